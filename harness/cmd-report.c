/* kdh report: the HTML page of a night, from its night.json (kdh-night.h). */
#include <glib/gstdio.h>

#include "kdh-cli.h"
#include "kdh-html-report.h"
#include "kdh-night.h"

#define NIGHT_FORMAT "kdh-night/1"

/* PATH's object, if it is a night.json in the format this kdh reads; else
 * ERROR names what was wrong with it. */
static JsonParser *report_load(const char *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) parse_error = NULL;
	JsonNode *root;
	JsonObject *night;
	JsonNode *format;

	/* GLib's own message quotes the name in curly quotes, which a C locale
	 * prints as '?'. */
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no file '%s'", path);
		return NULL;
	}
	if (!json_parser_load_from_file(parser, path, &parse_error)) {
		/* json-glib's message gives a line, not the file. */
		if (parse_error->domain == G_FILE_ERROR)
			g_propagate_error(error, g_steal_pointer(&parse_error));
		else
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "'%s' is not JSON: %s",
				    path, parse_error->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "'%s' is not a night.json: not a JSON object", path);
		return NULL;
	}
	night = json_node_get_object(root);
	format = json_object_get_member(night, "format");
	if (!format || !JSON_NODE_HOLDS_VALUE(format) ||
	    json_node_get_value_type(format) != G_TYPE_STRING ||
	    g_strcmp0(json_node_get_string(format), NIGHT_FORMAT) != 0) {
		g_autofree char *found =
		    format ? json_to_string(format, FALSE) : g_strdup("nothing");

		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "'%s' is not a night.json: its \"format\" is %s, expected \"%s\"", path,
			    found, NIGHT_FORMAT);
		return NULL;
	}
	return g_steal_pointer(&parser);
}

int kdh_cmd_report(int argc, char **argv)
{
	g_autofree char *out = NULL;
	g_autoptr(GOptionContext) ctx =
	    g_option_context_new("NIGHT_JSON - write the night's HTML report");
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "the page (default: night.html beside NIGHT_JSON, where its links work)",
		  "FILE" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	if (argc != 2)
		return kdh_cli_usage(ctx,
				     argc < 2 ? "which night.json?" : "one night.json at a time");
	parser = report_load(argv[1], &error);
	if (!parser) {
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_USAGE;
	}
	if (!out) {
		g_autofree char *dir = g_path_get_dirname(argv[1]);

		out = g_build_filename(dir, "night.html", NULL);
	} else {
		g_autofree char *dir = g_path_get_dirname(out);

		if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
			g_printerr("kdh: no directory '%s' for the page\n", dir);
			return KDH_EXIT_USAGE;
		}
	}
	if (!kdh_html_report_write(json_node_get_object(json_parser_get_root(parser)), out,
				   &error)) {
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_INFRA;
	}
	g_printerr("kdh: wrote %s\n", out);
	return 0;
}

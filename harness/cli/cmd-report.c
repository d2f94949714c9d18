/* kdh report: the HTML page of a night, from its night.json (kdh-night.h). */
#include <glib/gstdio.h>

#include "kdh-cli.h"
#include "kdh-html-report.h"
#include "kdh-night.h"

int kdh_cmd_report(int argc, char **argv)
{
	g_autofree char *out = NULL;
	g_autoptr(GOptionContext) ctx =
	    g_option_context_new("NIGHT_JSON - write the night's HTML report");
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "the page (default: report.html beside NIGHT_JSON, where its links work)",
		  "FILE" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	struct kdh_night *night;
	int code = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	if (argc != 2)
		return kdh_cli_usage(ctx,
				     argc < 2 ? "which night.json?" : "one night.json at a time");
	night = kdh_night_load(argv[1], &error);
	if (!night) {
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_USAGE;
	}
	if (!out) {
		g_autofree char *dir = g_path_get_dirname(argv[1]);

		out = g_build_filename(dir, "report.html", NULL);
	} else {
		g_autofree char *dir = g_path_get_dirname(out);

		if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
			g_printerr("kdh: no directory '%s' for the page\n", dir);
			kdh_night_free(night);
			return KDH_EXIT_USAGE;
		}
	}
	if (kdh_html_report_write(night, out, &error)) {
		g_printerr("kdh: wrote %s\n", out);
	} else {
		g_printerr("kdh: %s\n", error->message);
		code = KDH_EXIT_INFRA;
	}
	kdh_night_free(night);
	return code;
}

/* kdh: run kdump crash-path scenarios on libvirt guests. Exit codes: kdh-error.h. */
#include <signal.h>
#include <stdio.h>

#include "kdh-cli.h"
#include "kdh-config.h"

/* g_ptr_array_sort hands over pointers to the elements */
static gint main_path_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static int main_list(int argc, char **argv)
{
	g_autofree char *dir = kdh_cli_scenario_dir();
	g_autoptr(GOptionContext) ctx = g_option_context_new("- list the scenarios");
	GOptionEntry entries[] = {
		{ "scenario-dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "scenario files", "DIR" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *entry;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	d = g_dir_open(dir, 0, &error);
	if (!d) {
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_USAGE;
	}
	while ((entry = g_dir_read_name(d)))
		if (g_str_has_suffix(entry, ".conf"))
			g_ptr_array_add(names, g_build_filename(dir, entry, NULL));
	g_ptr_array_sort(names, main_path_cmp);
	for (guint i = 0; i < names->len; i++) {
		struct kdh_scenario s;

		if (!kdh_scenario_load(names->pdata[i], &s, &error)) {
			g_printerr("kdh: %s\n", error->message);
			return KDH_EXIT_USAGE;
		}
		printf("%-24s %s\n", s.name, s.description);
		kdh_scenario_clear(&s);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
		const char *help;
	} commands[] = {
		{ "run", kdh_cmd_run, "run scenarios on libvirt guests" },
		{ "analyze", kdh_cmd_analyze, "judge saved evidence again, without a guest" },
		{ "list", main_list, "list the scenarios" },
		{ "nightly", kdh_cmd_nightly, "run a matrix of cases, side by side" },
		{ "merge", kdh_cmd_merge, "join the shards of a night" },
		{ "report", kdh_cmd_report, "write a night's HTML report from its night.json" },
		{ "lab", kdh_cmd_lab, "the nested lab for the hyperv platform: up, down, status" },
	};

	gboolean asked;
	FILE *out;

	/* libvirt asks applications to: a peer that went away (the lab's ssh
	 * transport, a reader of our output) is then an EPIPE error that is told
	 * and ends kdh with its exit code, not a death by SIGPIPE (141). GLib's
	 * spawn gives children the default back (tests/test-spawn.c holds it to
	 * that). */
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2)
		for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
			if (g_str_equal(argv[1], commands[i].name))
				return commands[i].fn(argc - 1, argv + 1);
	/* asked for, the usage is the answer: on stdout, exit 0 */
	asked = argc >= 2 && (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h") ||
			      g_str_equal(argv[1], "help"));
	out = asked ? stdout : stderr;
	fprintf(out, "usage: kdh COMMAND [OPTION...]\n\ncommands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n'kdh COMMAND --help' tells a command's options.\n");
	if (asked)
		return 0;
	if (argc >= 2)
		g_printerr("\nkdh: unknown command '%s'\n", argv[1]);
	else
		g_printerr("\nkdh: which command?\n");
	return KDH_EXIT_USAGE;
}

/* What the commands share. */
#include "kdh-cli.h"

char *kdh_cli_exe_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);

	return exe ? g_path_get_dirname(exe) : g_strdup(".");
}

char *kdh_cli_scenario_dir(void)
{
	g_autofree char *dir = kdh_cli_exe_dir();

	return g_build_filename(dir, "..", "scenarios", NULL);
}

int kdh_cli_usage(GOptionContext *ctx, const char *what)
{
	g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);

	g_printerr("kdh: %s\n\n%s", what, help);
	return KDH_EXIT_USAGE;
}

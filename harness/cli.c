/* What the commands share. */
#include <signal.h>
#include <glib-unix.h>

#include "kdh-cli.h"

char *kdh_cli_exe_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);

	return exe ? g_path_get_dirname(exe) : g_strdup(".");
}

/* PATH in the tree the binary was built in (build/kdh). */
static char *cli_in_tree(const char *path)
{
	g_autofree char *dir = kdh_cli_exe_dir();
	g_autofree char *top = g_path_get_dirname(dir);

	return g_build_filename(top, path, NULL);
}

char *kdh_cli_scenario_dir(void)
{
	return cli_in_tree("scenarios");
}

char *kdh_cli_data_dir(void)
{
	return cli_in_tree("data");
}

char *kdh_cli_scripts_dir(void)
{
	return cli_in_tree("scripts");
}

char *kdh_cli_script(const char *name)
{
	g_autofree char *dir = kdh_cli_scripts_dir();

	return g_build_filename(dir, name, NULL);
}

int kdh_cli_usage(GOptionContext *ctx, const char *what)
{
	g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);

	g_printerr("kdh: %s\n\n%s", what, help);
	return KDH_EXIT_USAGE;
}

static gboolean cli_on_signal(gpointer data)
{
	struct kdh_cli_signal *sig = data;

	if (!sig->owner->signal)
		sig->owner->signal = sig->signo;
	g_cancellable_cancel(sig->owner->cancel);
	return G_SOURCE_CONTINUE;
}

void kdh_cli_signals_watch(struct kdh_cli_signals *s, GCancellable *cancel)
{
	static const int signos[] = { SIGINT, SIGTERM, SIGHUP };

	G_STATIC_ASSERT(G_N_ELEMENTS(signos) == G_N_ELEMENTS(s->watches));
	s->cancel = cancel;
	s->signal = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(signos); i++) {
		s->watches[i].owner = s;
		s->watches[i].signo = signos[i];
		s->watches[i].id = g_unix_signal_add(signos[i], cli_on_signal, &s->watches[i]);
	}
}

void kdh_cli_signals_unwatch(struct kdh_cli_signals *s)
{
	for (gsize i = 0; i < G_N_ELEMENTS(s->watches); i++)
		g_clear_handle_id(&s->watches[i].id, g_source_remove);
}

/* What the commands share. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

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

char *kdh_cli_cache_dir(void)
{
	const char *kdh = g_getenv("KDH_CACHE");
	const char *xdg = g_getenv("XDG_CACHE_HOME");

	/* not g_get_user_cache_dir(): it keeps the first answer for the process,
	 * and an empty variable must count as unset, as in the scripts' ${X:-} */
	if (kdh && *kdh)
		return g_strdup(kdh);
	if (xdg && *xdg)
		return g_build_filename(xdg, "kdh", NULL);
	return g_build_filename(g_get_home_dir(), ".cache", "kdh", NULL);
}

JsonObject *kdh_cli_read_summary(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "summary.json", NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;

	if (!json_parser_load_from_file(parser, path, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	return root && JSON_NODE_HOLDS_OBJECT(root) ? json_object_ref(json_node_get_object(root))
						    : NULL;
}

int kdh_cli_usage(GOptionContext *ctx, const char *what)
{
	g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);

	g_printerr("kdh: %s\n\n%s", what, help);
	return KDH_EXIT_USAGE;
}

gboolean kdh_cli_dir_writable(const char *option, const char *dir, GError **error)
{
	g_autofree char *probe = g_build_filename(dir, ".kdh-probe-XXXXXX", NULL);
	int fd;

	/* a file made and removed: the permission bits do not tell root, nor a
	 * read-only mount, nor /proc */
	if (g_mkdir_with_parents(dir, 0755) < 0 || (fd = g_mkstemp(probe)) < 0) {
		int err = errno;

		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%s: cannot write in '%s': %s",
			    option, dir, g_strerror(err));
		return FALSE;
	}
	close(fd);
	g_unlink(probe);
	return TRUE;
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

static gboolean cli_limit(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

int kdh_cli_signals_caught(struct kdh_cli_signals *s)
{
	g_autoptr(GSource) limit = NULL;
	gboolean over = FALSE;

	if (s->signal || !s->cancel || !g_cancellable_is_cancelled(s->cancel))
		return s->signal;
	/* GLib tells every watch of a signal, ours once the main loop runs: a
	 * second is more than it takes */
	limit = g_timeout_source_new_seconds(1);
	g_source_set_callback(limit, cli_limit, &over, NULL);
	g_source_attach(limit, NULL);
	while (!s->signal && !over)
		g_main_context_iteration(NULL, TRUE);
	g_source_destroy(limit);
	return s->signal;
}

void kdh_cli_signals_unwatch(struct kdh_cli_signals *s)
{
	for (gsize i = 0; i < G_N_ELEMENTS(s->watches); i++)
		g_clear_handle_id(&s->watches[i].id, g_source_remove);
}

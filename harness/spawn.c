/* The only module that runs processes: argv vectors, a cleaned environment, a
 * process group of the child's own so a timeout kills everything it started. */
#include <signal.h>
#include <unistd.h>
#include <gio/gio.h>

#include "kdh-spawn.h"

struct spawn_wait {
	GBytes *output;
	GError *error;
	gboolean done;
	gboolean timed_out;
};

static void spawn_child_setup(gpointer data)
{
	(void)data;
	setpgid(0, 0);
}

static void spawn_communicated(GObject *source, GAsyncResult *res, gpointer data)
{
	struct spawn_wait *w = data;

	g_subprocess_communicate_finish(G_SUBPROCESS(source), res, &w->output, NULL, &w->error);
	w->done = TRUE;
}

static gboolean spawn_timeout(gpointer data)
{
	struct spawn_wait *w = data;

	w->timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

static char *spawn_bytes_to_string(GBytes *bytes)
{
	gsize len = 0;
	const char *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;

	return g_strndup(data ? data : "", len);
}

/* What passes from kdh's environment to every child, beside the cleaned one:
 * kdh's own settings (KDH_CACHE, KDH_LAB_*, ...) and where the cache is, so
 * that a child kdh or script finds the same caches and settings as this one. */
static gboolean spawn_passes(const char *name)
{
	static const char *const prefixes[] = { "KDH_" };
	static const char *const names[] = { "XDG_CACHE_HOME" };

	for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++)
		if (g_str_has_prefix(name, prefixes[i]))
			return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_str_equal(name, names[i]))
			return TRUE;
	return FALSE;
}

/* A cleaned environment: a tool's behaviour must not depend on who ran kdh, but
 * for what spawn_passes() names. HOME stays for the caches under it. */
static char **spawn_environ(void)
{
	g_auto(GStrv) names = g_listenv();
	g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(env, g_strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
	g_ptr_array_add(env, g_strdup("LC_ALL=C"));
	g_ptr_array_add(env, g_strconcat("HOME=", g_get_home_dir(), NULL));
	for (char **n = names; *n; n++)
		if (spawn_passes(*n) && g_getenv(*n))
			g_ptr_array_add(env, g_strconcat(*n, "=", g_getenv(*n), NULL));
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&env), FALSE);
}

static GSubprocessLauncher *spawn_launcher(GSubprocessFlags flags)
{
	GSubprocessLauncher *launcher = g_subprocess_launcher_new(flags);
	g_auto(GStrv) env = spawn_environ();

	g_subprocess_launcher_set_environ(launcher, env);
	g_subprocess_launcher_set_stdin_file_path(launcher, "/dev/null");
	g_subprocess_launcher_set_child_setup(launcher, spawn_child_setup, NULL, NULL);
	return launcher;
}

/* The whole group: a tool's own children must not outlive it. */
static void spawn_kill_group(GSubprocess *proc, int signo)
{
	const char *id = g_subprocess_get_identifier(proc);

	if (id)
		kill(-(pid_t)g_ascii_strtoll(id, NULL, 10), signo);
}

static int spawn_status(GSubprocess *proc)
{
	return g_subprocess_get_if_signaled(proc) ? 128 + g_subprocess_get_term_sig(proc)
						    : g_subprocess_get_exit_status(proc);
}

gboolean kdh_spawn_sync(const char *const *argv, guint timeout_s, char **ret_output,
			int *ret_status, GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GSource) timer = NULL;
	struct spawn_wait w = { 0 };
	gboolean killed = FALSE;

	launcher = spawn_launcher(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);

	/* A private context: waiting here must not run the caller's event handlers. */
	g_main_context_push_thread_default(ctx);
	proc = g_subprocess_launcher_spawnv(launcher, argv, error);
	if (!proc) {
		g_main_context_pop_thread_default(ctx);
		g_prefix_error(error, "cannot run '%s': ", argv[0]);
		return FALSE;
	}
	timer = g_timeout_source_new_seconds(timeout_s);
	g_source_set_callback(timer, spawn_timeout, &w, NULL);
	g_source_attach(timer, ctx);
	g_subprocess_communicate_async(proc, NULL, NULL, spawn_communicated, &w);
	while (!w.done) {
		if (w.timed_out && !killed) {
			spawn_kill_group(proc, SIGKILL);
			killed = TRUE;
		}
		g_main_context_iteration(ctx, TRUE);
	}
	g_source_destroy(timer);
	g_subprocess_wait(proc, NULL, NULL);
	g_main_context_pop_thread_default(ctx);

	if (ret_output)
		*ret_output = spawn_bytes_to_string(w.output);
	g_clear_pointer(&w.output, g_bytes_unref);
	if (killed) {
		g_clear_error(&w.error);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "'%s' killed after %u s",
			    argv[0], timeout_s);
		return FALSE;
	}
	if (w.error) {
		g_propagate_error(error, w.error);
		return FALSE;
	}
	*ret_status = spawn_status(proc);
	return TRUE;
}

struct kdh_child {
	GSubprocess *proc;
	kdh_child_done_fn done;
	gpointer data;
};

static void spawn_child_exited(GObject *source, GAsyncResult *res, gpointer data)
{
	struct kdh_child *c = data;

	/* waiting cannot fail without a cancellable: the status is what is left */
	g_subprocess_wait_finish(G_SUBPROCESS(source), res, NULL);
	c->done(c, spawn_status(c->proc), c->data);
}

struct kdh_child *kdh_spawn_async(const char *const *argv, const char *out_path,
				  const char *err_path, kdh_child_done_fn done, gpointer data,
				  GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher = spawn_launcher(G_SUBPROCESS_FLAGS_NONE);
	struct kdh_child *c = g_new0(struct kdh_child, 1);

	g_subprocess_launcher_set_stdout_file_path(launcher, out_path);
	g_subprocess_launcher_set_stderr_file_path(launcher, err_path);
	c->proc = g_subprocess_launcher_spawnv(launcher, argv, error);
	if (!c->proc) {
		g_prefix_error(error, "cannot run '%s': ", argv[0]);
		g_free(c);
		return NULL;
	}
	c->done = done;
	c->data = data;
	g_subprocess_wait_async(c->proc, NULL, spawn_child_exited, c);
	return c;
}

void kdh_child_signal(struct kdh_child *c, int signo)
{
	spawn_kill_group(c->proc, signo);
}

void kdh_child_free(struct kdh_child *c)
{
	if (!c)
		return;
	g_clear_object(&c->proc);
	g_free(c);
}

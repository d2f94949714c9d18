/* The only module that runs processes: argv vectors, a cleaned environment, a
 * process group of the child's own so a timeout kills everything it started. */
#include <signal.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib-unix.h>

#include "kdh-spawn.h"

/* How long a child has to end after SIGTERM before SIGKILL: makedumpfile and
 * crash end at once; a script gets the time to remove its temporary files. */
#define SPAWN_GRACE_S 5

/* The child ended (done), or is being stopped: by its deadline (timed_out) or
 * by a cancellation. Stopping is a SIGTERM to its group, then, after the
 * grace, a SIGKILL. */
struct spawn_wait {
	pid_t group;
	GBytes *output;
	GError *error;
	gboolean done;   /* its output read to the end */
	gboolean exited;
	gboolean timed_out;
	gboolean cancelled;
	GSource *grace;
	GMainContext *ctx;
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

static void spawn_exited(GObject *source, GAsyncResult *res, gpointer data)
{
	struct spawn_wait *w = data;

	/* waiting cannot fail without a cancellable: the status is what is left */
	g_subprocess_wait_finish(G_SUBPROCESS(source), res, NULL);
	w->exited = TRUE;
}

static void spawn_kill_group(pid_t group, int signo);

static gboolean spawn_grace_over(gpointer data)
{
	struct spawn_wait *w = data;

	spawn_kill_group(w->group, SIGKILL);
	return G_SOURCE_REMOVE;
}

static void spawn_stop(struct spawn_wait *w)
{
	if (w->grace)
		return;
	spawn_kill_group(w->group, SIGTERM);
	w->grace = g_timeout_source_new_seconds(SPAWN_GRACE_S);
	g_source_set_callback(w->grace, spawn_grace_over, w, NULL);
	g_source_attach(w->grace, w->ctx);
}

static gboolean spawn_timeout(gpointer data)
{
	struct spawn_wait *w = data;

	w->timed_out = TRUE;
	spawn_stop(w);
	return G_SOURCE_REMOVE;
}

static gboolean spawn_cancelled(GCancellable *cancel, gpointer data)
{
	struct spawn_wait *w = data;

	(void)cancel;
	w->cancelled = TRUE;
	spawn_stop(w);
	return G_SOURCE_REMOVE;
}

/* The commands' signal watches (kdh_cli_signals_watch) cancel on the caller's
 * main loop, which does not run while this waits: the same signals cancel
 * here too. GLib tells every watch of a signal, so the caller's still learns
 * which signal came once its loop runs again. */
static gboolean spawn_signalled(gpointer data)
{
	g_cancellable_cancel(data);
	return G_SOURCE_CONTINUE;
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

/* The child's process group: its pid, which it made its group's id. Kept from
 * the start, since GLib forgets the pid once the child is reaped, and what it
 * started may still run in the group then. */
static pid_t spawn_group(GSubprocess *proc)
{
	const char *id = g_subprocess_get_identifier(proc);

	return id ? (pid_t)g_ascii_strtoll(id, NULL, 10) : 0;
}

/* The whole group: a tool's own children must not outlive it. A group that is
 * gone already (ESRCH) is what stopping wants. */
static void spawn_kill_group(pid_t group, int signo)
{
	if (group > 0)
		kill(-group, signo);
}

static int spawn_status(GSubprocess *proc)
{
	return g_subprocess_get_if_signaled(proc) ? 128 + g_subprocess_get_term_sig(proc)
						    : g_subprocess_get_exit_status(proc);
}

static void spawn_add_source(GSource *source, GSourceFunc fn, gpointer data, GMainContext *ctx,
			     GPtrArray *sources)
{
	g_source_set_callback(source, fn, data, NULL);
	g_source_attach(source, ctx);
	g_ptr_array_add(sources, source);
}

static void spawn_source_drop(gpointer source)
{
	g_source_destroy(source);
	g_source_unref(source);
}

gboolean kdh_spawn_run(const char *const *argv, guint timeout_s, GCancellable *cancel,
		       char **ret_output, int *ret_status, GError **error)
{
	static const int signos[] = { SIGINT, SIGTERM, SIGHUP };
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func(spawn_source_drop);
	struct spawn_wait w = { .ctx = ctx };

	if (g_cancellable_set_error_if_cancelled(cancel, error))
		return FALSE;
	launcher = spawn_launcher(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);

	/* A private context: waiting here must not run the caller's event handlers.
	 * The watches first: a signal that comes as the child starts is not lost. */
	g_main_context_push_thread_default(ctx);
	if (cancel) {
		spawn_add_source(g_cancellable_source_new(cancel), G_SOURCE_FUNC(spawn_cancelled), &w,
				 ctx, sources);
		for (gsize i = 0; i < G_N_ELEMENTS(signos); i++)
			spawn_add_source(g_unix_signal_source_new(signos[i]), spawn_signalled, cancel,
					 ctx, sources);
	}
	proc = g_subprocess_launcher_spawnv(launcher, argv, error);
	if (!proc) {
		g_ptr_array_set_size(sources, 0);
		g_main_context_pop_thread_default(ctx);
		g_prefix_error(error, "cannot run '%s': ", argv[0]);
		return FALSE;
	}
	w.group = spawn_group(proc);
	spawn_add_source(g_timeout_source_new_seconds(timeout_s), spawn_timeout, &w, ctx, sources);
	g_subprocess_communicate_async(proc, NULL, NULL, spawn_communicated, &w);
	g_subprocess_wait_async(proc, NULL, spawn_exited, &w);
	/* both: a child may close its output before it ends */
	while (!w.done || !w.exited)
		g_main_context_iteration(ctx, TRUE);
	g_ptr_array_set_size(sources, 0);
	if (w.grace) {
		g_source_destroy(w.grace);
		g_source_unref(w.grace);
	}
	g_main_context_pop_thread_default(ctx);

	if (ret_output)
		*ret_output = spawn_bytes_to_string(w.output);
	g_clear_pointer(&w.output, g_bytes_unref);
	if (w.timed_out || w.cancelled) {
		g_clear_error(&w.error);
		if (w.cancelled)
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "'%s' stopped: interrupted",
				    argv[0]);
		else
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
				    "'%s' stopped after %u s", argv[0], timeout_s);
		return FALSE;
	}
	if (w.error) {
		g_propagate_error(error, w.error);
		return FALSE;
	}
	*ret_status = spawn_status(proc);
	return TRUE;
}

gboolean kdh_spawn_sync(const char *const *argv, guint timeout_s, char **ret_output,
			int *ret_status, GError **error)
{
	return kdh_spawn_run(argv, timeout_s, NULL, ret_output, ret_status, error);
}

struct kdh_child {
	GSubprocess *proc;
	kdh_child_done_fn done;
	gpointer data;
	GSource *grace; /* SIGKILL when it runs out, once stopping */
	pid_t group;
};

static void spawn_child_exited(GObject *source, GAsyncResult *res, gpointer data)
{
	struct kdh_child *c = data;

	/* waiting cannot fail without a cancellable: the status is what is left */
	g_subprocess_wait_finish(G_SUBPROCESS(source), res, NULL);
	if (c->grace) {
		g_source_destroy(c->grace);
		g_clear_pointer(&c->grace, g_source_unref);
	}
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
	c->group = spawn_group(c->proc);
	c->done = done;
	c->data = data;
	g_subprocess_wait_async(c->proc, NULL, spawn_child_exited, c);
	return c;
}

static gboolean spawn_child_grace_over(gpointer data)
{
	struct kdh_child *c = data;

	spawn_kill_group(c->group, SIGKILL);
	return G_SOURCE_REMOVE;
}

void kdh_child_stop(struct kdh_child *c, guint grace_s)
{
	if (c->grace)
		return;
	spawn_kill_group(c->group, SIGTERM);
	c->grace = g_timeout_source_new_seconds(grace_s);
	g_source_set_callback(c->grace, spawn_child_grace_over, c, NULL);
	g_source_attach(c->grace, g_main_context_get_thread_default());
}

void kdh_child_free(struct kdh_child *c)
{
	if (!c)
		return;
	if (c->grace) {
		g_source_destroy(c->grace);
		g_source_unref(c->grace);
	}
	g_clear_object(&c->proc);
	g_free(c);
}

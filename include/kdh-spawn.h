/* The only module that runs processes. */
#ifndef KDH_SPAWN_H
#define KDH_SPAWN_H

#include <gio/gio.h>

/* Run ARGV to completion: environment cleaned to PATH, LC_ALL=C and HOME, with
 * kdh's own KDH_* variables and XDG_CACHE_HOME passed through, stdin from
 * /dev/null, stdout and stderr merged into *ret_output (if non-NULL), the child
 * in a process group of its own. The group is stopped, SIGTERM first and
 * SIGKILL 5 s later, when TIMEOUT_S passes or CANCEL (may be NULL) is
 * cancelled; with CANCEL, a SIGINT, SIGTERM or SIGHUP that comes while this
 * waits cancels it, since the main loop whose watches would is not running.
 * Returns TRUE when the child ran to an end, with *ret_status its exit status,
 * or 128+signal when a signal ended it. Returns FALSE with ERROR set when it
 * could not be started, or was stopped (G_IO_ERROR_TIMED_OUT, or
 * G_IO_ERROR_CANCELLED: then it is not started when CANCEL already is);
 * *ret_output is set even then. Does not log. */
gboolean kdh_spawn_run(const char *const *argv, guint timeout_s, GCancellable *cancel,
		       char **ret_output, int *ret_status, GError **error);
/* kdh_spawn_run() that no cancellation stops, only TIMEOUT_S. */
gboolean kdh_spawn_sync(const char *const *argv, guint timeout_s, char **ret_output,
			int *ret_status, GError **error);

/* A child that runs while the caller's main loop goes on. */
struct kdh_child;
/* Called on the thread-default main loop once the child has ended, with its exit
 * status or 128+signal. The callback owns C and frees it with kdh_child_free(). */
typedef void (*kdh_child_done_fn)(struct kdh_child *c, int status, gpointer data);

/* Start ARGV with the same environment, stdin and process group as
 * kdh_spawn_sync(), its stdout into OUT_PATH and stderr into ERR_PATH (both
 * created or truncated). NULL with ERROR set when it cannot start. Does not log. */
struct kdh_child *kdh_spawn_async(const char *const *argv, const char *out_path,
				  const char *err_path, kdh_child_done_fn done, gpointer data,
				  GError **error);
/* Stop the child's process group: SIGTERM now, SIGKILL when GRACE_S pass and it
 * has not ended (a kdh run needs the time to destroy its guest). The callback
 * still tells its end. */
void kdh_child_stop(struct kdh_child *c, guint grace_s);
/* Accepts NULL. */
void kdh_child_free(struct kdh_child *c);

#endif

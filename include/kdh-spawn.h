/* The only module that runs processes. */
#ifndef KDH_SPAWN_H
#define KDH_SPAWN_H

#include <glib.h>

/* Run ARGV to completion: environment cleaned to PATH and LC_ALL=C, stdin from
 * /dev/null, stdout and stderr merged into *ret_output (if non-NULL), the child in
 * a process group of its own that is killed when TIMEOUT_S passes.
 * Returns TRUE when the child ran to an end, with *ret_status its exit status, or
 * 128+signal when a signal ended it. Returns FALSE with ERROR set when it could
 * not be started or was killed at the timeout. Does not log. */
gboolean kdh_spawn_sync(const char *const *argv, guint timeout_s, char **ret_output,
			int *ret_status, GError **error);

#endif

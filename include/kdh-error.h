/* kdh's own error domain: the only errors whose code decides an exit code.
 * A generic GLib or libvirt error says what broke, never how kdh ends: whatever
 * is not in this domain ends as the harness broke (128). */
#ifndef KDH_ERROR_H
#define KDH_ERROR_H

#include <glib.h>

/* STYLE.md: 0 passed, 1 crash path broken, 2 usage, 125 not testable,
 * 128 harness or infrastructure broke, 128+N interrupted by signal N. */
#define KDH_EXIT_USAGE 2
#define KDH_EXIT_UNTESTABLE 125
#define KDH_EXIT_INFRA 128

#define KDH_ERROR (kdh_error_quark())
GQuark kdh_error_quark(void);

enum kdh_error_code {
	KDH_ERROR_USAGE,      /* bad input: an option, a file given, the environment */
	KDH_ERROR_UNTESTABLE, /* a need is unmet here: not the kernel's fault, nor ours */
	KDH_ERROR_HARNESS,    /* the harness or its infrastructure broke */
	KDH_ERROR__COUNT,
};

/* The exit code an error ends a command with: by the one table in error.c for
 * KDH_ERROR, KDH_EXIT_INFRA for any other domain (and for NULL). */
int kdh_error_exit_code(const GError *error);
/* "usage", "untestable", "harness"; NULL out of range. */
const char *kdh_error_name(int code);

#endif

/* Pure analysis: protocol lines, kernel logs, device inventories. No I/O, no logging. */
#ifndef KDH_ANALYSIS_H
#define KDH_ANALYSIS_H

#include <glib.h>
#include "kdh-evidence.h"

/* One parsed protocol message. */
struct kdh_msg {
	char *kind;         /* KDH_MSG_* */
	GHashTable *fields; /* char* key -> char* value */
};

void kdh_msg_clear(struct kdh_msg *msg);

/* Parse LINE (no trailing newline needed). Returns FALSE when the line holds no
 * KDH_PROTO_PREFIX or is malformed; ret_msg is then untouched. */
gboolean kdh_msg_parse(const char *line, struct kdh_msg *ret_msg);

/* Apply one message to the report of the kernel it came from. Which report a
 * message belongs to is decided by the caller from the latest hello's role.
 * Unknown kinds and malformed numbers are ignored (returns FALSE). */
gboolean kdh_guest_report_apply(struct kdh_guest_report *r, const struct kdh_msg *msg);

/* Feed a whole console log: splits lines, routes each message to first or
 * capture by the most recent hello's role. Used by `analyze` on saved logs and
 * by the unit tests; the live run feeds lines one by one the same way. */
void kdh_console_feed_line(struct kdh_evidence *e, const char *line, gboolean *capture_role);

/* True when LINE is a kernel's "Linux version" banner: the start of a kernel. */
gboolean kdh_line_is_kernel_banner(const char *line);

/* Classify a kernel log (dmesg text, with or without "[  1.234]" timestamps). */
void kdh_panic_log_parse(struct kdh_panic_log *ret, const char *text);

/* Compare two inventories by (bus, name, id, driver). Returns a newly allocated
 * human-readable list of differences ("missing pci 0000:00:03.0 1af4:1001 virtio-pci;
 * extra ..."), or NULL when they are the same. */
char *kdh_inventory_diff(GPtrArray *first, GPtrArray *capture);

#endif

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
gboolean kdh_analysis_guest_report_apply(struct kdh_guest_report *r, const struct kdh_msg *msg);

/* Feed one console line (no newline): a protocol message goes to the report of
 * the kernel whose hello came last; a kernel banner after the first kernel was
 * ready sets capture_banner; the end of a panic before that sets
 * panic_without_kexec. An agent's line a kernel message cut in two is put
 * back together, so it and that kernel line count when the next line comes
 * (the agent's "\r\n" makes one). The live run and `kdh analyze` both read
 * consoles so. */
void kdh_analysis_console_feed_line(struct kdh_evidence *e, const char *line);

/* The latest stage E shows signs of, -1 for none. The host's own NMI injection
 * leaves no sign in the evidence: TRIGGER shows only for the agent's sysrq. */
int kdh_analysis_evidence_reached(const struct kdh_evidence *e);

/* True when LINE is a kernel's "Linux version" banner: the start of a kernel. */
gboolean kdh_analysis_line_is_kernel_banner(const char *line);

/* True when LINE ends a panic ("---[ end Kernel panic - not syncing: ..."): the
 * kernel printed it because it did not kexec into a capture kernel. */
gboolean kdh_analysis_line_is_panic_end(const char *line);

/* One line of a kernel log (kdh_klog_clean()'s form) into P: the panic and its
 * header, unknown NMIs, VMBus facts, what the kernel printed after the panic.
 * The vmcore's log and `kdh analyze`'s foreign logs go through it alike. */
void kdh_analysis_panic_log_line(struct kdh_panic_log *p, const char *line);

/* Classify a kernel log (dmesg text, with or without "[  1.234]" timestamps). */
void kdh_analysis_panic_log_parse(struct kdh_panic_log *ret, const char *text);

/* The CPUs whose NMI count rose across the probe NMI (new sorted int array;
 * empty when the counts were not both reported for the same CPUs). */
GArray *kdh_analysis_nmi_probe_hits(const struct kdh_guest_report *r);

/* Whether RELEASE ("6.12.117+deb12-amd64") is MAJOR.MINOR or later; FALSE when
 * it cannot be read. Pure. */
gboolean kdh_analysis_release_at_least(const char *release, int major, int minor);

/* The CPU the kernel of R connected to VMBus from, whose vCPU gets every
 * message of the host (UNLOAD_RESPONSE among them): 0 for Linux 5.8 and later
 * (VMBUS_CONNECT_CPU), which R's release must say; -1 when R reported no VMBus
 * version or its release is older or unreadable (no sysfs file or log line
 * names the CPU). */
int kdh_analysis_vmbus_connect_cpu(const struct kdh_guest_report *r);

/* The CPU a kernel of RELEASE connects to VMBus from, whether or not it has
 * VMBus: SAID when its log named it ("hv_vmbus: VMBus connect CPU 1", only
 * kdh's vmbus-connect-cpu-1.patch prints it; -1 it did not), else 0 for Linux
 * 5.8 and later (VMBUS_CONNECT_CPU), -1 when RELEASE is older or unreadable.
 * The one place of that rule, for live runs and foreign logs. */
int kdh_analysis_release_vmbus_connect_cpu(const char *release, int said);

/* Compare two inventories by (bus, name, id, driver). Returns a newly allocated
 * human-readable list of differences ("missing pci 0000:00:03.0 1af4:1001 virtio-pci;
 * extra ..."), or NULL when they are the same. */
char *kdh_analysis_inventory_diff(GPtrArray *first, GPtrArray *capture);

#endif

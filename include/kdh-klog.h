/* Lines of a kernel log (printk output, with or without "[  1.234567] " time
 * stamps). Pure. */
#ifndef KDH_KLOG_H
#define KDH_KLOG_H

#include <glib.h>

/* The message text of LINE: past printk's time stamp when it has one, and past
 * CONFIG_PRINTK_CALLER's "[    T123]" after it. */
const char *kdh_klog_text(const char *line);
/* dump_stack()'s header "CPU: N PID: ..." (up to 6.9) or "CPU: N UID: ..." (since). */
gboolean kdh_klog_dump_stack_cpu(const char *text, int *ret_cpu);
/* "Uhhuh. NMI received for unknown reason XX on CPU N." */
gboolean kdh_klog_unknown_nmi_cpu(const char *text, int *ret_cpu);

/* The seconds of LINE's printk time stamp; FALSE when it has none. */
gboolean kdh_klog_stamp(const char *line, double *ret_seconds);
/* One line of a log as users have it, RAW (LEN bytes, -1: NUL-terminated),
 * made a printk line again: NUL bytes, terminal escapes, "\r" and other control
 * characters dropped, trailing blanks cut, invalid UTF-8 replaced; whatever
 * precedes the first printk time stamp dropped (syslog's and journald's
 * prefixes, a CI log's own times, another record's text interleaved); without
 * a stamp, a syslog prefix ("Mar  3 10:00:01 host kernel: ") or a "<4>" level
 * dropped (another ident than the kernel's stays: "kdump[636]: saving ...").
 * Returns a new string. */
char *kdh_klog_clean(const char *raw, gssize len);

#endif

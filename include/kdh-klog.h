/* Lines of a kernel log (printk output, with or without "[  1.234567] " time
 * stamps). Pure. */
#ifndef KDH_KLOG_H
#define KDH_KLOG_H

#include <glib.h>

/* The message text of LINE: past printk's time stamp when it has one. */
const char *kdh_klog_text(const char *line);
/* dump_stack()'s header "CPU: N PID: ..." (up to 6.9) or "CPU: N UID: ..." (since). */
gboolean kdh_klog_dump_stack_cpu(const char *text, int *ret_cpu);
/* "Uhhuh. NMI received for unknown reason XX on CPU N." */
gboolean kdh_klog_unknown_nmi_cpu(const char *text, int *ret_cpu);

#endif

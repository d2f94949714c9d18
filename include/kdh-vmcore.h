/* Reading a vmcore with the tools that understand it. */
#ifndef KDH_VMCORE_H
#define KDH_VMCORE_H

#include <gio/gio.h>
#include "kdh-evidence.h"

/* Extract VMCORE's kernel log into the file DMESG with makedumpfile --dump-dmesg
 * (its own output into TOOL_LOG) and parse it into E->vmcore_log, setting
 * E->vmcore_read. A vmcore makedumpfile cannot read is evidence, not an error:
 * TRUE with vmcore_read FALSE. FALSE when makedumpfile could not run or a file
 * could not be written, or CANCEL (may be NULL) stopped makedumpfile. Does not
 * log. */
gboolean kdh_vmcore_read_log(const char *vmcore, const char *dmesg, const char *tool_log,
			     GCancellable *cancel, struct kdh_evidence *e, GError **error);

/* Run crash (with VMLINUX, which must match the vmcore's kernel and have debug
 * info) on VMCORE: the commands it is given go to DIR/crash-commands.txt, what
 * it says to DIR/crash.txt, and what that means into E->crash (ran set; read
 * set when crash could read the vmcore). FALSE when crash could not run, a
 * file could not be written, or CANCEL (may be NULL) stopped crash. Does not
 * log. */
gboolean kdh_vmcore_crash(const char *vmlinux, const char *vmcore, const char *dir,
			  GCancellable *cancel, struct kdh_evidence *e, GError **error);

/* The kernel log in VMCORE, as makedumpfile --dump-dmesg writes it (into the
 * file DMESG, removed after): *RET_TEXT (new), NULL when makedumpfile could not
 * read it, with what it said in *RET_TOOL_OUTPUT (new, unless NULL). FALSE when
 * makedumpfile could not run. Does not log. */
gboolean kdh_vmcore_dump_dmesg(const char *vmcore, const char *dmesg, char **ret_text,
			       char **ret_tool_output, GError **error);

#endif

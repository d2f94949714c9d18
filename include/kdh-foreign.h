/* Crash evidence that no kdh agent wrote: console logs, `dmesg` files,
 * vmcore-dmesg.txt, kdump's own logs, as users attach them to bug reports.
 * The kernel's lines go through the same parsing as a live run's vmcore log
 * (kdh_analysis_panic_log_line(), kdh_complaint_scan_line()); this module adds what
 * only a log with several kernels in it can say: where each kernel starts,
 * which one is the capture kernel, what came after a panic, and whether the
 * capture kernel saved the vmcore. Pure: no I/O, no logging. */
#ifndef KDH_FOREIGN_H
#define KDH_FOREIGN_H

#include <json-glib/json-glib.h>
#include "kdh-evidence.h"
#include "kdh-verdict.h"

/* What a file is; each kind is read the same way, the kind says what its
 * kernels are (a vmcore's log is the crashed kernel's, kexec-dmesg.log the
 * capture kernel's). */
enum kdh_source_kind {
	KDH_SOURCE_CONSOLE,      /* a console log or a `dmesg` / journal excerpt */
	KDH_SOURCE_VMCORE_DMESG, /* vmcore-dmesg.txt, Debian's dmesg.<stamp>, or what
				  * makedumpfile --dump-dmesg read out of a vmcore */
	KDH_SOURCE_CAPTURE_LOG,  /* Red Hat's kexec-dmesg.log: the capture kernel's */
	KDH_SOURCE__COUNT
};

/* "console", "vmcore-dmesg", "capture-log" */
const char *kdh_source_kind_name(enum kdh_source_kind kind);

/* What followed a kernel's panic, in the evidence. */
enum kdh_after_panic {
	KDH_AFTER_LOG_ENDS,  /* nothing: the log ends (cut, or the machine hung) */
	KDH_AFTER_CAPTURE,   /* a capture kernel booted (or a vmcore of it exists) */
	KDH_AFTER_REBOOT,    /* another kernel booted, not a capture kernel */
	KDH_AFTER_REBOOTING, /* "Rebooting in N seconds..": panic=N, no kexec */
	KDH_AFTER_HALTED,    /* "---[ end Kernel panic": stopped, no kexec */
	KDH_AFTER__COUNT
};

/* "log-ends", "capture-kernel", "reboot", "rebooting", "halted" */
const char *kdh_after_panic_name(enum kdh_after_panic a);

/* What the capture kernel's dump tools said. */
enum kdh_dump_said {
	KDH_DUMP_SILENT, /* nothing */
	KDH_DUMP_SAVED,  /* kdumpctl's "saving vmcore complete", kdump-tools' "saved
			  * vmcore in", "makedumpfile Completed." */
	KDH_DUMP_FAILED, /* "saving vmcore failed", "failed to save vmcore",
			  * "makedumpfile Failed." */
	KDH_DUMP__COUNT
};

/* "silent", "saved", "failed" */
const char *kdh_dump_said_name(enum kdh_dump_said d);

/* One kernel's run, from its banner (or the log's start) to the next banner. */
struct kdh_boot {
	char *source;        /* the file it came from */
	enum kdh_source_kind source_kind;
	gboolean banner;     /* it starts with "Linux version": else the log began
			      * in the middle of it */
	char *release;       /* "5.19.10-300.fc37.x86_64", NULL unknown */
	char *cmdline;       /* "Command line: ..." */
	int cpus;            /* "smp: Brought up 1 node, 4 CPUs", -1 unknown */
	gboolean capture;    /* a capture kernel: elfcorehdr= or reset_devices on its
			      * command line, a kdump tool's message, or read from
			      * kexec-dmesg.log */
	double first_seconds, last_seconds; /* its time stamps, -1 none */
	guint lines;
	struct kdh_panic_log log;   /* its panic, NMIs, VMBus facts, complaints */
	struct kdh_complaint_scan scan;
	enum kdh_dump_said dump;
	char *dump_line;     /* the dump tool's message */
	enum kdh_after_panic after; /* set by kdh_foreign_finish() for a boot that
				     * panicked */
};

struct kdh_foreign {
	GPtrArray *boots;   /* struct kdh_boot*, in the order they ran */
	GPtrArray *sources; /* char*: "PATH (KIND)" of each file read */
	gboolean finished;
};

void kdh_foreign_init(struct kdh_foreign *f);
void kdh_foreign_clear(struct kdh_foreign *f);

/* Read DATA (LEN bytes, any bytes: NULs, CRLF, escapes, cut lines) of the file
 * PATH as a KIND. Files go in the order their kernels ran: a vmcore's log
 * before the consoles, kexec-dmesg.log after. */
void kdh_foreign_feed(struct kdh_foreign *f, const char *path, enum kdh_source_kind kind,
		      const char *data, gsize len);

/* After the last file: what followed each panic, and the complaints' "where"
 * ("first kernel", "capture kernel"). A console's copy of a panic that a
 * vmcore's log also holds is merged into the vmcore's (which has the
 * NMI-context lines a console misses). */
void kdh_foreign_finish(struct kdh_foreign *f);

/* Whether anything in F is a kernel's: a time stamp, a banner, a panic, a
 * complaint, a dump tool's message. FALSE: not a kernel log. */
gboolean kdh_foreign_has_kernel(const struct kdh_foreign *f);

/* The boot whose panic the evidence is about (the first that panicked and is
 * no capture kernel, else the first that panicked), NULL for none. */
const struct kdh_boot *kdh_foreign_crashed(const struct kdh_foreign *f);
/* The capture kernel that followed CRASHED (NULL: none in the evidence); with
 * CRASHED NULL, the first capture kernel. */
const struct kdh_boot *kdh_foreign_capture(const struct kdh_foreign *f,
					   const struct kdh_boot *crashed);

/* The verdict on F, in crash-path order: pass (a capture kernel saved the
 * vmcore, or a vmcore holds the panic), fail (the panic ended without kexec
 * although kdump was loaded, VMBus UNLOAD gave up, the capture kernel oopsed or
 * panicked, the dump failed), skip (no panic, nothing loaded, the log ends).
 * RET's reason is KDH_REASON__COUNT; its name is in *RET_REASON (static). */
void kdh_foreign_judge(const struct kdh_foreign *f, struct kdh_verdict *ret,
		       const char **ret_reason);

/* The summary JSON: the live run's fields where they apply ("result",
 * "reason", "detail", "panic", "first", "capture", "complaints") and
 * "foreign": { "sources", "boots": [..], "capture_outcome", "known_bugs" }.
 * KNOWN_BUGS: a JSON array node (kdh_known_bugs_json()), taken. */
JsonNode *kdh_foreign_summary(const struct kdh_foreign *f, const struct kdh_verdict *v,
			      const char *reason, JsonNode *known_bugs);

/* The human summary: a few lines, crash-path order, the first thing that went
 * wrong first. */
char *kdh_foreign_text(const struct kdh_foreign *f);

#endif

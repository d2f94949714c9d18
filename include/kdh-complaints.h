/* What a kernel complains about in its log (WARNING, BUG, Oops, a stray call
 * trace, "Dazed and confused"), each with the CPU that printed it and, where
 * the log says, the function and module it happened in. Soft and hard lockups
 * are BUGs (the kernel's "BUG: soft lockup", and the hard lockup that a
 * watchdog NMI reports as fatally), an RCU stall a WARNING: the five kinds are
 * what scenario files name, the "what" says which. Pure. */
#ifndef KDH_COMPLAINTS_H
#define KDH_COMPLAINTS_H

#include <glib.h>

enum kdh_complaint_kind {
	KDH_COMPLAINT_WARNING,    /* "WARNING: CPU: 0 PID: 0 at kernel/smp.c:769 ..." */
	KDH_COMPLAINT_BUG,        /* "BUG: kernel NULL pointer dereference, ..." */
	KDH_COMPLAINT_OOPS,       /* "Oops: 0000 [#1] PREEMPT SMP NOPTI" */
	KDH_COMPLAINT_CALL_TRACE, /* a call trace that belongs to none of the above
				   * nor to the panic itself */
	KDH_COMPLAINT_DAZED,      /* an unknown NMI the kernel survived */
	KDH_COMPLAINT__COUNT
};

/* "WARNING", "BUG", "Oops", "Call Trace", "Dazed and confused" */
const char *kdh_complaint_kind_name(enum kdh_complaint_kind kind);
/* -1 when NAME is none of the above */
int kdh_complaint_kind_from_name(const char *name);

struct kdh_complaint {
	enum kdh_complaint_kind kind;
	int cpu;     /* -1 unknown */
	char *where; /* "crash path" or "capture kernel" */
	char *line;  /* the message text */
	const char *what; /* static: "soft lockup", "hard lockup", "RCU stall",
			   * "NULL pointer dereference", "page fault",
			   * "general protection fault", "kernel BUG",
			   * "invalid opcode", or NULL */
	char *function;   /* where it happened ("relid2channel"), from the line itself
			   * (a WARNING's) or the "RIP:" / "IP:" / "pc :" after it; NULL */
	char *module;     /* that function's module ("hv_vmbus"), NULL built in */
};

void kdh_complaint_free(struct kdh_complaint *c);

struct kdh_pending_nmi {
	int cpu;
	char stamp[24]; /* the line's "[   12.345678] " time stamp, "" without */
};

/* Follows one kernel log line by line: the CPU of a BUG or Oops comes from the
 * dump_stack() header after it, and a call trace belongs to the event before it. */
struct kdh_complaint_scan {
	const char *where;
	int event;         /* the kind whose trace is expected, -1 none, -2 a panic */
	GArray *nmi_pending; /* struct kdh_pending_nmi: unknown NMIs awaiting a "Dazed" */
	int header_cpu;    /* of the last dump_stack() header */
	int awaiting_from; /* index of the first complaint waiting for a header, -1 */
	int rip_from;      /* index of the first complaint waiting for its function, -1 */
	gboolean rcu_cpu_next; /* an RCU stall waits for the line naming its CPU */
};

void kdh_complaint_scan_init(struct kdh_complaint_scan *s, const char *where);
void kdh_complaint_scan_clear(struct kdh_complaint_scan *s);
/* Scan LINE; complaints found are appended to COMPLAINTS (struct kdh_complaint*,
 * owned by it). */
void kdh_complaint_scan_line(struct kdh_complaint_scan *s, const char *line,
			     GPtrArray *complaints);

#endif

/* What the crash utility says of a vmcore (its `sys` and `bt -a`). Pure. */
#ifndef KDH_CRASH_H
#define KDH_CRASH_H

#include <glib.h>

enum kdh_cpu_state {
	KDH_CPU_UNSEEN,      /* no backtrace for this CPU */
	KDH_CPU_PANICKED,    /* the panic task: panic or __crash_kexec on its stack */
	KDH_CPU_NMI_STOPPED, /* halted by the crash shutdown's NMI (crash_nmi_callback,
			      * nmi_panic_self_stop) */
	KDH_CPU_RUNNING,     /* anything else: it was not stopped */
	KDH_CPU__COUNT
};

/* "unseen", "panicked", "nmi-stopped", "running" */
const char *kdh_cpu_state_name(enum kdh_cpu_state state);

struct kdh_crash_report {
	gboolean ran;       /* crash was run (a vmlinux with debug info was there) */
	gboolean read;      /* and it read the vmcore: `sys` printed CPUS */
	int cpus;           /* sys: CPUS, -1 unknown */
	char *panic;        /* sys: PANIC, without quotes */
	GArray *states;     /* enum kdh_cpu_state per CPU number */
	GPtrArray *frames;  /* char* per CPU number: the innermost frame's function, "" */
};

void kdh_crash_report_init(struct kdh_crash_report *c);
void kdh_crash_report_clear(struct kdh_crash_report *c);

/* Parse crash's output of `sys` and `bt -a` into C (initialised). Sets read when
 * the output has a CPUS line. */
void kdh_crash_parse(struct kdh_crash_report *c, const char *output);

/* The CPU whose state is KDH_CPU_PANICKED, -1 none. */
int kdh_crash_panic_cpu(const struct kdh_crash_report *c);

#endif

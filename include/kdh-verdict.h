/* The verdict: a pure function of the scenario's expectations and the evidence. */
#ifndef KDH_VERDICT_H
#define KDH_VERDICT_H

#include <glib.h>
#include "kdh-evidence.h"

enum kdh_result {
	KDH_RESULT_PASS,
	KDH_RESULT_FAIL,     /* the kernel's crash path is broken: exit 1 */
	KDH_RESULT_SKIP,     /* not testable (first kernel never booted): exit 125 */
	KDH_RESULT__COUNT
};

enum kdh_reason {
	KDH_REASON_OK,
	KDH_REASON_NO_BOOT,            /* first kernel's agent never said hello (skip) */
	KDH_REASON_DEADLINE,           /* a stage's deadline passed; stage in verdict */
	KDH_REASON_KEXEC_NOT_LOADED,   /* kexec -p failed or kexec_crash_loaded=0 */
	KDH_REASON_AGENT_ERROR,        /* the agent reported an error */
	KDH_REASON_CPUS_MISMATCH,      /* first kernel saw fewer CPUs than the domain has */
	KDH_REASON_NO_KEXEC,           /* loaded, but the panic ended without kexec */
	KDH_REASON_KERNEL_COMPLAINED,  /* a complaint the scenario fails on (BUG, Oops) in
					* the crash path or the capture kernel */
	KDH_REASON_INVENTORY_MISMATCH, /* capture kernel did not find the same devices */
	KDH_REASON_DUMP_FAILED,        /* makedumpfile failed or wrote nothing */
	KDH_REASON_VMCORE_UNREADABLE,  /* the vmcore's log could not be extracted */
	KDH_REASON_NO_PANIC,           /* no "Kernel panic - not syncing" in the vmcore */
	KDH_REASON_MULTIPLE_PANICS,
	KDH_REASON_WRONG_PANIC,        /* panic string is not the expected one */
	KDH_REASON_NMI_NOT_DELIVERED,  /* the probe NMI did not reach every CPU it should */
	KDH_REASON_WRONG_PANIC_CPU,    /* not the CPU the trigger aimed at, or a CPU that
					* did not see the NMI */
	KDH_REASON_VMBUS_NOT_RECONNECTED, /* hyperv: the capture kernel found no VMBus */
	KDH_REASON_VMBUS_UNLOAD,       /* hyperv: the first kernel gave up on VMBus UNLOAD */
	KDH_REASON_NO_VMBUS,           /* hyperv: the first kernel found no VMBus: the host
					* has no Hyper-V emulation (skip) */
	KDH_REASON_CRASH_UNREADABLE,   /* crash could not read the vmcore */
	KDH_REASON_CRASH_DISAGREES,    /* crash's CPUS, PANIC or panic CPU contradict */
	KDH_REASON_CPU_NOT_STOPPED,    /* a CPU was neither the panicking one nor stopped
					* by the crash shutdown's NMI */
	KDH_REASON_SETUP_FAILED,       /* the kernel lacks what the scenario needs: a
					* module missing, unreadable or that would not
					* load in the first kernel, no dump disk (skip) */
	KDH_REASON_CAPTURE_MODULE,     /* the capture kernel could not load a module
					* the first kernel loaded */
	KDH_REASON_CUT_SHORT,          /* the nested lab: the emulation cut every attempt
					* short (kdh-attempt.h; skip) */
	KDH_REASON__COUNT
};

const char *kdh_result_name(enum kdh_result r);   /* "pass", "fail", "skip" */
const char *kdh_reason_name(enum kdh_reason r);   /* "ok", "no-boot", "deadline", ... */

/* What the scenario expects; copied out of the scenario so the verdict does not
 * depend on the config module. */
struct kdh_expect {
	int vcpus;
	const char *panic_string;  /* e.g. "NMI: Not continuing" */
	gboolean nmi_probe;        /* the probe NMI's per-CPU counts are checked */
	gboolean nmi_on_every_cpu; /* TRUE: the probe must reach every vCPU;
				    * FALSE: CPU 0 */
	gboolean panic_from_nmi;   /* the panicking CPU must have logged the unknown NMI */
	int panic_cpu;             /* the CPU that must panic, -1 any */
	guint fail_on;             /* bit (1 << kind) of kdh_complaint_kind: fails */
	guint warn_on;             /* ... is reported in the verdict's detail */
	gboolean vmbus;            /* hyperv: both kernels must connect to VMBus */
};

struct kdh_verdict {
	enum kdh_result result;
	enum kdh_reason reason;
	enum kdh_stage stage; /* with KDH_REASON_DEADLINE, else KDH_STAGE__COUNT */
	char *detail;         /* one line for a person, never NULL */
};

/* Decide. Checks in crash-path order and reports the first failure. */
void kdh_verdict_decide(struct kdh_verdict *ret, const struct kdh_expect *expect,
			const struct kdh_evidence *e);
void kdh_verdict_clear(struct kdh_verdict *v);

/* Exit code for a verdict (0, 1 or 125); see STYLE.md. */
int kdh_verdict_exit_code(const struct kdh_verdict *v);

#endif

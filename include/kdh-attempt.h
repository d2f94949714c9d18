/* Attempts of a run in the nested lab (docs/HYPERV.md): which outcome the
 * emulation under L1 cut short, whether another attempt may start, and the
 * verdict when none gave one. Pure; nothing here logs. */
#ifndef KDH_ATTEMPT_H
#define KDH_ATTEMPT_H

#include <gio/gio.h>
#include "kdh-verdict.h"

/* Why an attempt was cut short by the emulation, or NULL when its outcome is
 * final. V is its verdict when it ran to one (BROKE NULL); BROKE why it broke
 * under the harness instead (V NULL). Cut short, as scripts/run-hyperv-tests
 * tells them apart: not testable (an L2 that reset or hung before its agent
 * said hello, no VMBus), but for setup-failed, which the kernel and the
 * scenario decide alone; a run whose connection to L1's libvirt was lost, or
 * whose libvirt in L1 failed a call or lost the guest's QEMU
 * (G_IO_ERROR_CONNECTION_CLOSED, G_IO_ERROR_FAILED); and a deadline after
 * boot (a stage not reached: the guest hung or stopped), because the
 * emulation hangs and resets L2s in every stage, so that in the lab a hang is
 * not evidence against the kernel: a crash path that hangs is judged on a host
 * with real KVM. Final: a pass, every other fail (exit 1), a crash path that
 * waited for VMBus UNLOAD and gave up included (a verdict, not a deadline); an
 * interruption (G_IO_ERROR_CANCELLED) and a local error (a file kdh could not
 * write). */
char *kdh_attempt_cut_short(const struct kdh_verdict *v, const GError *broke);

/* One attempt that was cut short. */
struct kdh_attempt_cut {
	int attempt; /* 1-based */
	char *why;
	char *dir;   /* its files, relative to the run's directory ("attempt-1"),
		      * NULL when it left none (the lab did not come up for it) */
};

struct kdh_attempt_cut *kdh_attempt_cut_new(int attempt, const char *why, const char *dir);
void kdh_attempt_cut_free(struct kdh_attempt_cut *c);

/* The attempts of one planned run. */
struct kdh_attempts {
	int max;        /* --lab-attempts; 1 where nothing is tried again */
	guint budget_s; /* --lab-budget: no attempt starts after this many seconds
			 * from the first one's start */
	int made;       /* attempts started */
	GPtrArray *cut; /* struct kdh_attempt_cut*, in order */
};

void kdh_attempts_init(struct kdh_attempts *a, int max, guint budget_s);
void kdh_attempts_clear(struct kdh_attempts *a);
/* The attempt made last was cut short for WHY; its files are in DIR (NULL none). */
void kdh_attempts_cut_short(struct kdh_attempts *a, const char *why, const char *dir);

enum kdh_attempt_next {
	KDH_ATTEMPT_AGAIN,        /* another attempt may start */
	KDH_ATTEMPT_NONE_LEFT,    /* max attempts made */
	KDH_ATTEMPT_BUDGET_SPENT, /* budget_s passed */
	KDH_ATTEMPT__COUNT
};

/* Whether another attempt may start ELAPSED_S seconds after the first one
 * started. */
enum kdh_attempt_next kdh_attempts_next(const struct kdh_attempts *a, double elapsed_s);
/* Seconds of the budget left ELAPSED_S seconds after the first attempt
 * started, 0 when spent: what bounds the wait for a lab brought up again. */
guint kdh_attempts_time_left(const struct kdh_attempts *a, double elapsed_s);

/* The verdict of a run whose every attempt was cut short, NEXT saying why no
 * other one started: skip (not testable, exit 125), reason cut-short, the
 * detail naming how many attempts and why each was cut short. */
void kdh_attempts_verdict(struct kdh_verdict *ret, const struct kdh_attempts *a,
			  enum kdh_attempt_next next);

#endif

/* Attempts in the nested lab: see kdh-attempt.h. The lab's emulation (L1
 * under TCG, L2 under nested KVM) resets an L2, loses its timer interrupts or
 * wedges L1 in about half of the attempts (docs/HYPERV.md); such an attempt
 * says nothing about the kernel, and another may. What a verdict on the crash
 * path says is never tried again: that would turn a hang of the crash path,
 * the very bug class kdh looks for, into "not testable". */
#include "kdh-attempt.h"

char *kdh_attempt_cut_short(const struct kdh_verdict *v, const GError *broke)
{
	if (broke) {
		/* what libvirt in L1, or the way to it, did (virt.c's errors and
		 * run.c's lost connection and dead QEMU); a signal and a file kdh
		 * could not write here are final */
		if (g_error_matches(broke, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
		    g_error_matches(broke, G_IO_ERROR, G_IO_ERROR_FAILED))
			return g_strdup(broke->message);
		return NULL;
	}
	/* A stage the guest never reached is the emulation's as often as the
	 * kernel's here: L2s hang and reset in the capture kernel's boot too
	 * (docs/HYPERV.md). Judged, it would be a false "bad" at a bisect. */
	if (v->result == KDH_RESULT_FAIL && v->reason == KDH_REASON_DEADLINE)
		return g_strdup_printf("%s: %s", kdh_reason_name(v->reason), v->detail);
	if (v->result != KDH_RESULT_SKIP || v->reason == KDH_REASON_SETUP_FAILED)
		return NULL;
	return g_strdup_printf("%s: %s", kdh_reason_name(v->reason), v->detail);
}

struct kdh_attempt_cut *kdh_attempt_cut_new(int attempt, const char *why, const char *dir)
{
	struct kdh_attempt_cut *c = g_new0(struct kdh_attempt_cut, 1);

	c->attempt = attempt;
	c->why = g_strdup(why);
	c->dir = g_strdup(dir);
	return c;
}

void kdh_attempt_cut_free(struct kdh_attempt_cut *c)
{
	if (!c)
		return;
	g_free(c->why);
	g_free(c->dir);
	g_free(c);
}

void kdh_attempts_init(struct kdh_attempts *a, int max, guint budget_s)
{
	a->max = max;
	a->budget_s = budget_s;
	a->made = 0;
	a->cut = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_attempt_cut_free);
}

void kdh_attempts_clear(struct kdh_attempts *a)
{
	g_clear_pointer(&a->cut, g_ptr_array_unref);
}

void kdh_attempts_cut_short(struct kdh_attempts *a, const char *why, const char *dir)
{
	g_ptr_array_add(a->cut, kdh_attempt_cut_new(a->made, why, dir));
}

enum kdh_attempt_next kdh_attempts_next(const struct kdh_attempts *a, double elapsed_s)
{
	if (a->made >= a->max)
		return KDH_ATTEMPT_NONE_LEFT;
	if (elapsed_s >= a->budget_s)
		return KDH_ATTEMPT_BUDGET_SPENT;
	return KDH_ATTEMPT_AGAIN;
}

guint kdh_attempts_time_left(const struct kdh_attempts *a, double elapsed_s)
{
	if (elapsed_s >= a->budget_s)
		return 0;
	/* a started second counts whole: never 0 while some is left */
	return a->budget_s - (guint)elapsed_s;
}

void kdh_attempts_verdict(struct kdh_verdict *ret, const struct kdh_attempts *a,
			  enum kdh_attempt_next next)
{
	g_autoptr(GString) whys = g_string_new(NULL);
	int n = (int)a->cut->len;
	g_autofree char *spent = next == KDH_ATTEMPT_BUDGET_SPENT
					 ? g_strdup_printf(" and the lab's budget of %u s "
							   "(--lab-budget) was spent",
							   a->budget_s)
					 : g_strdup(" (--lab-attempts)");

	for (guint i = 0; i < a->cut->len; i++) {
		const struct kdh_attempt_cut *c = a->cut->pdata[i];

		g_string_append_printf(whys, "%s%d: %s", i ? "; " : "", c->attempt, c->why);
	}
	ret->result = KDH_RESULT_SKIP;
	ret->reason = KDH_REASON_CUT_SHORT;
	ret->stage = KDH_STAGE__COUNT;
	ret->detail = g_strdup_printf("not testable: the emulation cut %s%d attempt%s short%s: %s",
				      next == KDH_ATTEMPT_NONE_LEFT && n > 1 ? "all " : "", n,
				      n == 1 ? "" : "s", spent, whys->str);
}

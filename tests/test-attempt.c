/* Unit tests of harness/judge/attempt.c: which attempt in the nested lab the
 * emulation cut short (judged the way the live run judges it, on real hyperv
 * evidence from the lab and its edits), whether another may start, and the
 * verdict when none gave one. Each group is a table of cases and one body. */
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-attempt.h"
#include "kdh-config.h"
#include "kdh-test.h"

#define CONSOLE "console-hyperv-nmi-all-vcpus.log"
#define DMESG "vmcore-dmesg-hyperv-nmi-all-vcpus.txt"
#define VCPUS 4
#define CONSOLE_NO_VMBUS "console-hyperv-no-vmbus-in-capture.log"
#define DMESG_NO_VMBUS "vmcore-dmesg-hyperv-no-vmbus-in-capture.txt"
#define VCPUS_NO_VMBUS 2

/* ---- which outcome is cut short: a run that ran to a verdict ---- */

static const struct {
	const char *name;
	const char *console;  /* a real run's console */
	const char *dmesg;    /* its vmcore's log, NULL: none came back */
	int vcpus;
	const char *after;    /* where to look for CUT from (NULL: the console's start) */
	const char *cut;      /* the console up to (not with) the first CUT; NULL: whole */
	enum kdh_stage missed; /* the deadline that ended the run (KDH_STAGE__COUNT: none) */
	const char *setup_failed;
	const char *verdict;  /* "result reason", as kdh_verdict_decide() has it */
	const char *why;      /* kdh_attempt_cut_short(); NULL: final */
} ran[] = {
	{ "pass", CONSOLE, DMESG, VCPUS, NULL, NULL, KDH_STAGE__COUNT, NULL, "pass ok", NULL },
	/* the seed's failure is a verdict, never an attempt to repeat */
	{ "vmbus-not-reconnected", CONSOLE_NO_VMBUS, DMESG_NO_VMBUS, VCPUS_NO_VMBUS, NULL, NULL,
	  KDH_STAGE__COUNT, NULL, "fail vmbus-not-reconnected", NULL },
	/* an L2 reset or hang in the first kernel's boot (docs/HYPERV.md): no-boot */
	{ "reset in the first boot", CONSOLE, NULL, VCPUS, NULL, "KDH: hello role=first",
	  KDH_STAGE_BOOT, NULL, "skip no-boot",
	  "no-boot: the first kernel's agent never said hello" },
	{ "hello, then the boot deadline", CONSOLE, NULL, VCPUS, NULL, "KDH: module name=",
	  KDH_STAGE_BOOT, NULL, "skip no-boot", "no-boot: deadline for stage 'boot' passed" },
	/* A deadline after boot is cut short in the lab: the emulation hangs and
	 * resets L2s in the capture kernel's boot too, and a hang judged there
	 * would be a false "bad" (scripts/run-hyperv-tests retries these too). */
	{ "deadline kexec", CONSOLE, NULL, VCPUS, "KDH: ready", "[    0.000000] Linux version",
	  KDH_STAGE_KEXEC, NULL, "fail deadline",
	  "deadline: stage 'kexec' not reached (its deadline passed or the guest stopped)" },
	{ "deadline capture", CONSOLE, NULL, VCPUS, NULL, "KDH: hello role=capture",
	  KDH_STAGE_CAPTURE, NULL, "fail deadline",
	  "deadline: stage 'capture' not reached (its deadline passed or the guest stopped)" },
	{ "deadline load", CONSOLE, NULL, VCPUS, NULL, "KDH: kexec status=", KDH_STAGE_LOAD, NULL,
	  "fail deadline",
	  "deadline: stage 'load' not reached (its deadline passed or the guest stopped)" },
	/* decided by the kernel and the scenario alone: no attempt changes it */
	{ "setup-failed", CONSOLE, NULL, VCPUS, NULL, "KDH: hello role=first", KDH_STAGE__COUNT,
	  "module hv_vmbus: not in the kernel", "skip setup-failed", NULL },
};

/* TEXT up to (not with) its first CUT after AFTER (NULL: whole). */
static char *head_of(const char *text, const char *after, const char *cut)
{
	const char *from = after ? strstr(text, after) : text;
	const char *at = from && cut ? strstr(from, cut) : NULL;

	ck_assert_msg(!cut || at, "no '%s' in the console", cut);
	return at ? g_strndup(text, at - text) : g_strdup(text);
}

START_TEST(test_cut_short_ran)
{
	g_autofree char *console = kdh_test_read_sample(ran[_i].console);
	g_autofree char *head = head_of(console, ran[_i].after, ran[_i].cut);
	g_autofree char *why = NULL;
	g_autofree char *verdict = NULL;
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s;
	struct kdh_expect expect;
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	if (!kdh_scenario_load("scenarios/hyperv-nmi-all-vcpus.conf", &s, &error))
		ck_abort_msg("%s", error->message);
	s.vcpus = ran[_i].vcpus;
	expect = kdh_scenario_expect(&s);
	kdh_evidence_init(&e);
	kdh_test_feed_console(&e, head);
	if (ran[_i].dmesg) {
		g_autofree char *dmesg = kdh_test_read_sample(ran[_i].dmesg);

		kdh_analysis_panic_log_parse(&e.vmcore_log, dmesg);
		e.vmcore_read = TRUE;
	}
	e.deadline_missed = ran[_i].missed;
	e.setup_failed = g_strdup(ran[_i].setup_failed);
	kdh_verdict_decide(&v, &expect, &e);
	verdict = g_strdup_printf("%s %s", kdh_result_name(v.result), kdh_reason_name(v.reason));
	ck_assert_msg(g_str_equal(verdict, ran[_i].verdict), "%s: %s (%s), expected %s",
		      ran[_i].name, verdict, v.detail, ran[_i].verdict);
	why = kdh_attempt_cut_short(&v, NULL);
	if (ran[_i].why)
		ck_assert_msg(why && g_str_equal(why, ran[_i].why), "%s: %s (%s: %s): cut short "
			      "'%s', expected '%s'", ran[_i].name, kdh_result_name(v.result),
			      kdh_reason_name(v.reason), v.detail, why ? why : "(final)",
			      ran[_i].why);
	else
		ck_assert_msg(!why, "%s: %s (%s: %s) cut short (%s), expected final", ran[_i].name,
			      kdh_result_name(v.result), kdh_reason_name(v.reason), v.detail, why);
	/* a cut-short attempt is not testable, or a stage never reached: never a
	 * fail with a reason of the crash path's own */
	ck_assert(!why || kdh_verdict_exit_code(&v) == 125 || v.reason == KDH_REASON_DEADLINE);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
	kdh_scenario_clear(&s);
}
END_TEST

/* The other not-testable verdict, as a verdict: a first kernel without VMBus
 * in the lab, whose L2 always has one, is the emulation's doing too. */
START_TEST(test_cut_short_no_vmbus)
{
	struct kdh_verdict v = { KDH_RESULT_SKIP, KDH_REASON_NO_VMBUS, KDH_STAGE__COUNT,
				 (char *)"the first kernel found no VMBus" };
	g_autofree char *why = kdh_attempt_cut_short(&v, NULL);

	ck_assert_str_eq(why, "no-vmbus: the first kernel found no VMBus");
}
END_TEST

/* ---- which outcome is cut short: a run that broke under the harness ---- */

static const struct {
	GQuark (*domain)(void);
	int code;
	const char *message;
	gboolean cut;
} broke[] = {
	/* L1 wedged: its libvirt's keepalive, or its ssh, ended the connection */
	{ g_io_error_quark, G_IO_ERROR_CONNECTION_CLOSED,
	  "lost the connection to libvirt (keepalive timeout)", TRUE },
	{ g_io_error_quark, G_IO_ERROR_CONNECTION_CLOSED,
	  "lost the connection to libvirt (end of file)", TRUE },
	/* libvirt in L1: a call it failed (virt.c), the L2's QEMU gone (run.c) */
	{ g_io_error_quark, G_IO_ERROR_FAILED,
	  "QEMU of domain 'kdh-20261204-021500-4242-hyperv-nmi-all-vcpus' died before stage "
	  "'kexec'", TRUE },
	{ g_io_error_quark, G_IO_ERROR_FAILED, "cannot start domain: Cannot recv data: Connection "
	  "reset by peer", TRUE },
	/* Ctrl-C, SIGTERM: the run ends, 128+N */
	{ g_io_error_quark, G_IO_ERROR_CANCELLED, "interrupted", FALSE },
	/* a file kdh could not write here: the harness's own, not the lab's */
	{ g_io_error_quark, G_IO_ERROR_NO_SPACE,
	  "cannot create 'results/x/console-first.log': No space left on device", FALSE },
	{ g_io_error_quark, G_IO_ERROR_PERMISSION_DENIED,
	  "cannot create 'results/x/console-first.log': Permission denied", FALSE },
	{ g_file_error_quark, G_FILE_ERROR_NOSPC, "failed to write 'summary.json'", FALSE },
};

START_TEST(test_cut_short_broke)
{
	g_autoptr(GError) error = g_error_new_literal(broke[_i].domain(), broke[_i].code,
						      broke[_i].message);
	g_autofree char *why = kdh_attempt_cut_short(NULL, error);

	if (broke[_i].cut)
		ck_assert_str_eq(why, broke[_i].message);
	else
		ck_assert_msg(!why, "'%s' cut short, expected final", broke[_i].message);
}
END_TEST

/* ---- the budget: whether another attempt starts ---- */

static const struct {
	int max;
	guint budget_s;
	int made;
	double elapsed_s;
	enum kdh_attempt_next next;
	guint left_s;
} budgets[] = {
	{ 3, 1200, 1, 0, KDH_ATTEMPT_AGAIN, 1200 },
	{ 3, 1200, 2, 600.5, KDH_ATTEMPT_AGAIN, 600 },
	{ 3, 1200, 3, 600, KDH_ATTEMPT_NONE_LEFT, 600 },
	/* a second left is a second: an attempt may still start */
	{ 3, 1200, 1, 1199.9, KDH_ATTEMPT_AGAIN, 1 },
	{ 3, 1200, 1, 1200, KDH_ATTEMPT_BUDGET_SPENT, 0 },
	{ 3, 1200, 2, 4000, KDH_ATTEMPT_BUDGET_SPENT, 0 },
	/* the attempts are counted first: all made is all made */
	{ 3, 1200, 3, 4000, KDH_ATTEMPT_NONE_LEFT, 0 },
	/* --lab-attempts 1, and a run that is not in the lab: never again */
	{ 1, 1200, 1, 0, KDH_ATTEMPT_NONE_LEFT, 1200 },
	{ 100, 86400, 99, 86399, KDH_ATTEMPT_AGAIN, 1 },
	{ 100, 86400, 100, 0, KDH_ATTEMPT_NONE_LEFT, 86400 },
};

START_TEST(test_budget)
{
	struct kdh_attempts a;

	kdh_attempts_init(&a, budgets[_i].max, budgets[_i].budget_s);
	a.made = budgets[_i].made;
	ck_assert_int_eq(kdh_attempts_next(&a, budgets[_i].elapsed_s), budgets[_i].next);
	ck_assert_uint_eq(kdh_attempts_time_left(&a, budgets[_i].elapsed_s), budgets[_i].left_s);
	kdh_attempts_clear(&a);
}
END_TEST

/* ---- the verdict when every attempt was cut short ---- */

static const struct {
	int max;
	const char *whys;   /* each attempt's, '|' between them; "-": one without files */
	enum kdh_attempt_next next;
	const char *detail;
} verdicts[] = {
	{ 3, "no-boot: the first kernel's agent never said hello|lost the connection to libvirt "
	     "(keepalive timeout)|no-boot: deadline for stage 'boot' passed",
	  KDH_ATTEMPT_NONE_LEFT,
	  "not testable: the emulation cut all 3 attempts short (--lab-attempts): 1: no-boot: "
	  "the first kernel's agent never said hello; 2: lost the connection to libvirt "
	  "(keepalive timeout); 3: no-boot: deadline for stage 'boot' passed" },
	{ 3, "lost the connection to libvirt (end of file)|-", KDH_ATTEMPT_BUDGET_SPENT,
	  "not testable: the emulation cut 2 attempts short and the lab's budget of 1200 s "
	  "(--lab-budget) was spent: 1: lost the connection to libvirt (end of file); 2: the lab "
	  "did not come up again: kdh-lab not ready after 300 s" },
	{ 1, "no-boot: the first kernel's agent never said hello", KDH_ATTEMPT_NONE_LEFT,
	  "not testable: the emulation cut 1 attempt short (--lab-attempts): 1: no-boot: the "
	  "first kernel's agent never said hello" },
};

START_TEST(test_verdict_every_attempt_cut)
{
	g_auto(GStrv) whys = g_strsplit(verdicts[_i].whys, "|", -1);
	struct kdh_attempts a;
	struct kdh_verdict v = { 0 };

	kdh_attempts_init(&a, verdicts[_i].max, 1200);
	for (char **w = whys; *w; w++) {
		g_autofree char *dir = g_strdup_printf("attempt-%d", a.made + 1);
		gboolean files = !g_str_equal(*w, "-");

		a.made++;
		kdh_attempts_cut_short(&a, files ? *w
					     : "the lab did not come up again: kdh-lab not ready "
					       "after 300 s",
				       files ? dir : NULL);
	}
	kdh_attempts_verdict(&v, &a, verdicts[_i].next);
	ck_assert_str_eq(v.detail, verdicts[_i].detail);
	ck_assert_str_eq(kdh_result_name(v.result), "skip");
	ck_assert_str_eq(kdh_reason_name(v.reason), "cut-short");
	ck_assert_int_eq(v.stage, KDH_STAGE__COUNT);
	/* not testable, for git bisect a commit to skip: never bad, never good */
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 125);
	/* each attempt in order, with its folder when it left files */
	ck_assert_int_eq((int)a.cut->len, (int)g_strv_length(whys));
	for (guint i = 0; i < a.cut->len; i++) {
		const struct kdh_attempt_cut *c = a.cut->pdata[i];
		g_autofree char *dir = g_strdup_printf("attempt-%u", i + 1);

		ck_assert_int_eq(c->attempt, (int)i + 1);
		if (g_str_equal(whys[i], "-"))
			ck_assert_ptr_null(c->dir);
		else
			ck_assert_str_eq(c->dir, dir);
	}
	kdh_verdict_clear(&v);
	kdh_attempts_clear(&a);
	/* cleared twice: fine */
	kdh_attempts_clear(&a);
}
END_TEST

static Suite *attempt_suite(void)
{
	Suite *s = suite_create("attempt");
	TCase *tc;

	tc = tcase_create("cut-short");
	tcase_add_loop_test(tc, test_cut_short_ran, 0, G_N_ELEMENTS(ran));
	tcase_add_test(tc, test_cut_short_no_vmbus);
	tcase_add_loop_test(tc, test_cut_short_broke, 0, G_N_ELEMENTS(broke));
	suite_add_tcase(s, tc);

	tc = tcase_create("budget");
	tcase_add_loop_test(tc, test_budget, 0, G_N_ELEMENTS(budgets));
	tcase_add_loop_test(tc, test_verdict_every_attempt_cut, 0, G_N_ELEMENTS(verdicts));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(attempt_suite());
}

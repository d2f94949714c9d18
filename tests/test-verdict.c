/* Unit tests of harness/verdict.c. Evidence is built the way the live run builds
 * it: console lines through kdh_console_feed_line(), the vmcore's log through
 * kdh_panic_log_parse(). */
#include <string.h>

#include <check.h>

#include "kdh-analysis.h"
#include "kdh-verdict.h"

/* A good run on the serial console (4 vCPUs), in the agent's protocol and the
 * kernel's formats, "\r\n" as a serial console writes it: the first kernel up
 * to the NMI, then the capture kernel. */
static const char console_first[] =
	"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP\r\n"
	"[    0.000000] Command line: console=ttyS0 apic_extnmi=all crashkernel=256M\r\n"
	"KDH: hello role=first release=6.1.0-56-amd64 cpus=4\r\n"
	"KDH: module name=virtio_blk status=ok errno=0\r\n"
	"KDH: module name=hv_balloon status=error errno=19\r\n"
	"KDH: device bus=pci name=0000:00:01.0 id=1af4:1042 driver=virtio-pci\r\n"
	"KDH: device bus=pci name=0000:00:02.0 id=1af4:1042 driver=virtio-pci\r\n"
	"KDH: device bus=virtio name=virtio0 id=0x0002 driver=virtio_blk\r\n"
	"KDH: device bus=virtio name=virtio1 id=0x0002 driver=virtio_blk\r\n"
	"KDH: inventory count=4\r\n"
	"KDH: kexec status=0 loaded=1\r\n"
	"KDH: nmis when=before counts=0,2,0,0\r\n"
	"KDH: probe\r\n"
	"[    3.040453] Uhhuh. NMI received for unknown reason 21 on CPU 0.\r\n"
	"[    3.040465] Uhhuh. NMI received for unknown reason 31 on CPU 1.\r\n"
	"KDH: nmis when=after counts=1,3,1,1\r\n"
	"KDH: ready\r\n";

static const char console_capture[] =
	"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP\r\n"
	"[    0.000000] Command line: console=ttyS0 nr_cpus=1 irqpoll reset_devices\r\n"
	"KDH: hello role=capture release=6.1.0-56-amd64 cpus=1\r\n"
	"KDH: module name=virtio_blk status=ok errno=0\r\n"
	"KDH: device bus=pci name=0000:00:02.0 id=1af4:1042 driver=virtio-pci\r\n"
	"KDH: device bus=pci name=0000:00:01.0 id=1af4:1042 driver=virtio-pci\r\n"
	"KDH: device bus=virtio name=virtio0 id=0x0002 driver=virtio_blk\r\n"
	"KDH: device bus=virtio name=virtio1 id=0x0002 driver=virtio_blk\r\n"
	"KDH: inventory count=4\r\n"
	"KDH: dump status=0 bytes=24903680\r\n"
	"KDH: bye\r\n";

/* The vmcore's log: the probe NMI reached every CPU, then the agent armed, then
 * the fatal NMI: CPU 2 panics, every CPU logs it. */
static const char dmesg_all[] =
	"[    3.040453] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
	"[    3.040465] Uhhuh. NMI received for unknown reason 31 on CPU 1.\n"
	"[    3.039518] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
	"[    3.036793] Uhhuh. NMI received for unknown reason 21 on CPU 2.\n"
	"[    4.111048] kdh: armed\n"
	"[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 2.\n"
	"[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
	"[   12.345691] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0-56-amd64 #1\n"
	"[   12.345693] Call Trace:\n"
	"[   12.345694]  <NMI>\n"
	"[   12.345700] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
	"[   12.345701] Uhhuh. NMI received for unknown reason 31 on CPU 0.\n"
	"[   12.345704] Uhhuh. NMI received for unknown reason 21 on CPU 1.\n";

/* What kdh_scenario_expect() makes of the shipped scenarios (test-config.c
 * checks that it does). */
static const struct kdh_expect expect_all = { /* nmi-all-vcpus */
	.vcpus = 4,
	.panic_string = "NMI: Not continuing",
	.nmi_probe = TRUE,
	.nmi_on_every_cpu = TRUE,
	.panic_from_nmi = TRUE,
	.panic_cpu = -1,
};

static const struct kdh_expect expect_cpu0 = { /* nmi-cpu0 */
	.vcpus = 4,
	.panic_string = "NMI: Not continuing",
	.nmi_probe = TRUE,
	.nmi_on_every_cpu = FALSE,
	.panic_from_nmi = TRUE,
	.panic_cpu = -1,
};

static const struct kdh_expect expect_sysrq = { /* sysrq-cpu2 */
	.vcpus = 4,
	.panic_string = "sysrq triggered crash",
	.nmi_probe = TRUE,
	.nmi_on_every_cpu = TRUE,
	.panic_from_nmi = FALSE,
	.panic_cpu = 2,
};

/* A scenario with nmi-probe=false (and so nmi-on-every-cpu=false), as the
 * samples from before the probe were run. */
static const struct kdh_expect expect_no_probe = {
	.vcpus = 4,
	.panic_string = "NMI: Not continuing",
	.nmi_probe = FALSE,
	.nmi_on_every_cpu = FALSE,
	.panic_from_nmi = TRUE,
	.panic_cpu = -1,
};

static void feed_console(struct kdh_evidence *e, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		kdh_console_feed_line(e, *l);
}

/* Evidence of a run whose console was FIRST then CAPTURE and whose vmcore's log
 * is DMESG (NULL: no vmcore came back). */
static void evidence_from(struct kdh_evidence *e, const char *first, const char *capture,
			  const char *dmesg)
{
	g_autofree char *console = g_strconcat(first, capture, NULL);

	kdh_evidence_init(e);
	feed_console(e, console);
	if (dmesg) {
		kdh_panic_log_parse(&e->vmcore_log, dmesg);
		e->vmcore_read = TRUE;
	}
}

/* TEXT with its one line that starts with FROM replaced by the lines TO ("": the
 * line dropped). */
static char *edit(const char *text, const char *from, const char *to)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GString) out = g_string_new(NULL);
	guint found = 0;

	for (char **l = lines; *l; l++) {
		const char *line = *l;

		if (g_str_has_prefix(line, from)) {
			found++;
			line = to;
		}
		if (*line != '\0')
			g_string_append_printf(out, "%s\n", line);
	}
	ck_assert_msg(found == 1, "%u lines start with '%s'", found, from);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void assert_verdict(const struct kdh_expect *x, const struct kdh_evidence *e,
			   enum kdh_result result, enum kdh_reason reason, const char *detail)
{
	struct kdh_verdict v = { 0 };

	kdh_verdict_decide(&v, x, e);
	ck_assert_str_eq(kdh_reason_name(v.reason), kdh_reason_name(reason));
	ck_assert_str_eq(kdh_result_name(v.result), kdh_result_name(result));
	ck_assert_str_eq(v.detail, detail);
	if (reason != KDH_REASON_DEADLINE)
		ck_assert_int_eq(v.stage, KDH_STAGE__COUNT);
	kdh_verdict_clear(&v);
}

/* Decides on a good run, DMESG_ALL, and the console of FIRST and CAPTURE, each
 * NULL for the good one. */
static void assert_run(const char *first, const char *capture, enum kdh_result result,
		       enum kdh_reason reason, const char *detail)
{
	struct kdh_evidence e;

	evidence_from(&e, first ? first : console_first, capture ? capture : console_capture,
		      dmesg_all);
	assert_verdict(&expect_all, &e, result, reason, detail);
	kdh_evidence_clear(&e);
}

START_TEST(test_names_and_exit_codes)
{
	struct kdh_verdict v = { 0 };

	ck_assert_str_eq(kdh_result_name(KDH_RESULT_PASS), "pass");
	ck_assert_str_eq(kdh_result_name(KDH_RESULT_FAIL), "fail");
	ck_assert_str_eq(kdh_result_name(KDH_RESULT_SKIP), "skip");
	ck_assert_ptr_null(kdh_result_name(KDH_RESULT__COUNT));
	ck_assert_str_eq(kdh_reason_name(KDH_REASON_OK), "ok");
	ck_assert_str_eq(kdh_reason_name(KDH_REASON_KEXEC_NOT_LOADED), "kexec-not-loaded");
	ck_assert_str_eq(kdh_reason_name(KDH_REASON_INVENTORY_MISMATCH), "inventory-mismatch");
	ck_assert_str_eq(kdh_reason_name(KDH_REASON_NO_KEXEC), "no-kexec");
	ck_assert_str_eq(kdh_reason_name(KDH_REASON_NMI_NOT_DELIVERED), "nmi-not-delivered");
	ck_assert_str_eq(kdh_reason_name(KDH_REASON_WRONG_PANIC_CPU), "wrong-panic-cpu");
	ck_assert_ptr_null(kdh_reason_name(KDH_REASON__COUNT));
	/* Every reason has a name of its own: reports and scripts match on them. */
	for (int i = 0; i < KDH_REASON__COUNT; i++) {
		ck_assert_ptr_nonnull(kdh_reason_name(i));
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(kdh_reason_name(i), kdh_reason_name(j));
	}

	v.result = KDH_RESULT_PASS;
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 0);
	v.result = KDH_RESULT_FAIL;
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 1);
	v.result = KDH_RESULT_SKIP;
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 125);
	kdh_verdict_clear(&v);
	kdh_verdict_clear(&v);
}
END_TEST

START_TEST(test_pass)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	evidence_from(&e, console_first, console_capture, dmesg_all);
	kdh_verdict_decide(&v, &expect_all, &e);
	ck_assert_int_eq(v.result, KDH_RESULT_PASS);
	ck_assert_int_eq(v.reason, KDH_REASON_OK);
	ck_assert_int_eq(v.stage, KDH_STAGE__COUNT);
	ck_assert_str_eq(v.detail, "panic on CPU 2; probe NMI reached CPUs 0-3; "
				   "unknown NMI logged on CPUs 0-3; "
				   "4 devices re-enumerated; vmcore 24.9 MB");
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 0);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

/* The good console with the probe's "after" counts replaced by AFTER. */
static char *first_with_probe(const char *after)
{
	g_autofree char *line = g_strdup_printf("KDH: nmis when=after counts=%s\r", after);

	return edit(console_first, "KDH: nmis when=after", line);
}

START_TEST(test_probe_missing_cpus)
{
	g_autofree char *first = first_with_probe("1,2,1,0");
	struct kdh_evidence e;

	/* CPU 1 had NMIs before the probe, but its count did not rise: not reached. */
	evidence_from(&e, first, console_capture, dmesg_all);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPUs 1,3");
	/* Only the boot CPU gets LINT1 by default: CPU 0 is enough then. */
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; probe NMI reached CPUs 0,2; unknown NMI logged on CPUs 0-3; "
		       "4 devices re-enumerated; vmcore 24.9 MB");
	/* Without the probe, its counts are not looked at. */
	assert_verdict(&expect_no_probe, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; probe NMI reached CPUs 0,2; unknown NMI logged on CPUs 0-3; "
		       "4 devices re-enumerated; vmcore 24.9 MB");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_probe_missing_cpu0)
{
	g_autofree char *first = first_with_probe("0,3,0,0");
	struct kdh_evidence e;

	evidence_from(&e, first, console_capture, dmesg_all);
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPU 0");
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPUs 0,2-3");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_probe_not_delivered_anywhere)
{
	g_autofree char *same = first_with_probe("0,2,0,0");
	g_autofree char *shorter = first_with_probe("1,3,1");
	struct kdh_evidence e;

	/* The agent gave up waiting: the counts did not move. */
	evidence_from(&e, same, console_capture, dmesg_all);
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPU 0");
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPUs 0-3");
	kdh_evidence_clear(&e);

	/* Counts for a different number of CPUs prove nothing. */
	evidence_from(&e, shorter, console_capture, dmesg_all);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPUs 0-3");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_probe_unreported)
{
	g_autofree char *first = edit(console_first, "KDH: nmis when=after", "");
	g_autofree char *stalled = g_strndup(first, strstr(first, "KDH: ready") - first);
	struct kdh_evidence e;

	/* The run went on, but the agent never said what the probe did. */
	evidence_from(&e, first, console_capture, dmesg_all);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the first kernel's agent never reported the probe NMI counts");
	assert_verdict(&expect_no_probe, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; no probe NMI; unknown NMI logged on CPUs 0-3; "
		       "4 devices re-enumerated; vmcore 24.9 MB");
	kdh_evidence_clear(&e);

	/* The agent is still waiting for the probe: the stall is the finding. */
	evidence_from(&e, stalled, "", NULL);
	e.deadline_missed = KDH_STAGE_ARM;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_DEADLINE,
		       "stage 'arm' not reached (its deadline passed or the guest stopped)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_probe_before_later_failures)
{
	g_autofree char *first = first_with_probe("1,3,1,0");
	g_autofree char *capture = edit(console_capture, "KDH: device bus=virtio name=virtio1", "");
	struct kdh_evidence e;

	/* A CPU the probe missed comes before anything after the trigger: the capture
	 * kernel's missing device and the deadline are consequences at most. */
	evidence_from(&e, first, capture, NULL);
	e.deadline_missed = KDH_STAGE_DUMP;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPU 3");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_sysrq_wrong_cpu)
{
	g_autofree char *first = edit(console_first, "KDH: ready",
				      "KDH: ready\r\nKDH: trigger how=sysrq cpu=2\r");
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };
	struct kdh_expect any_cpu = expect_sysrq;

	/* sysrq-c written from CPU 2, yet CPU 1 panicked. */
	evidence_from(&e, first, console_capture,
		      "[    3.0] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
		      "[    4.0] kdh: armed\n"
		      "[    4.1] sysrq: Trigger a crash\n"
		      "[    4.2] Kernel panic - not syncing: sysrq triggered crash\n"
		      "[    4.3] CPU: 1 PID: 1 Comm: init Kdump: loaded Not tainted 6.1.0-56-amd64 #1\n");
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "panic on CPU 1, expected CPU 2");
	/* No NMI is asked of a sysrq panic. */
	any_cpu.panic_cpu = -1;
	assert_verdict(&any_cpu, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; "
		       "4 devices re-enumerated; vmcore 24.9 MB");
	kdh_evidence_clear(&e);

	/* A panic whose CPU the log does not name is not on the expected CPU. */
	evidence_from(&e, first, console_capture,
		      "[    4.0] kdh: armed\n"
		      "[    4.2] Kernel panic - not syncing: sysrq triggered crash\n");
	kdh_verdict_decide(&v, &expect_sysrq, &e);
	ck_assert_str_eq(kdh_reason_name(v.reason), "wrong-panic-cpu");
	ck_assert_msg(g_str_has_suffix(v.detail, ", expected CPU 2"), "%s", v.detail);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_nmi_panic_cpu_without_nmi)
{
	struct kdh_evidence e;
	struct kdh_expect on_cpu3 = expect_all;

	/* CPU 3 panicked with "NMI: Not continuing" but logged no unknown NMI after
	 * the agent armed; its line from the probe does not count. */
	evidence_from(&e, console_first, console_capture,
		      "[    3.039518] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
		      "[    4.111048] kdh: armed\n"
		      "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
		      "[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
		      "[   12.345691] CPU: 3 PID: 0 Comm: swapper/3 Kdump: loaded Not tainted 6.1.0 #1\n"
		      "[   12.345701] Uhhuh. NMI received for unknown reason 31 on CPU 1.\n");
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "CPU 3 panicked but logged no unknown NMI");
	assert_verdict(&expect_no_probe, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "CPU 3 panicked but logged no unknown NMI");
	/* The expected CPU, yet still without the NMI. */
	on_cpu3.panic_cpu = 3;
	assert_verdict(&on_cpu3, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "CPU 3 panicked but logged no unknown NMI");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_nmi_panic_expected_cpu)
{
	struct kdh_evidence e;
	struct kdh_expect on_cpu0 = expect_all;
	struct kdh_expect on_cpu2 = expect_all;

	evidence_from(&e, console_first, console_capture, dmesg_all);
	on_cpu0.panic_cpu = 0;
	assert_verdict(&on_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "panic on CPU 2, expected CPU 0");
	on_cpu2.panic_cpu = 2;
	assert_verdict(&on_cpu2, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
		       "4 devices re-enumerated; vmcore 24.9 MB");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_no_kexec)
{
	g_autofree char *first = g_strconcat(console_first,
					     "[    4.114142] Kernel panic - not syncing: NMI: Not continuing\r\n"
					     "[    4.114142] ---[ end Kernel panic - not syncing: NMI: "
					     "Not continuing ]---\r\n", NULL);
	struct kdh_evidence e;

	/* Loaded, but the panic ran to its end; the run stopped there, before the
	 * kexec stage (harness/run.c). */
	evidence_from(&e, first, "", NULL);
	ck_assert(e.panic_without_kexec);
	e.deadline_missed = KDH_STAGE_KEXEC;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NO_KEXEC,
		       "the first kernel ended its panic without starting the capture kernel");
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_NO_KEXEC,
		       "the first kernel ended its panic without starting the capture kernel");
	/* Without the panic's end it is only a deadline. */
	e.panic_without_kexec = FALSE;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_DEADLINE,
		       "stage 'kexec' not reached (its deadline passed or the guest stopped)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_two_panics)
{
	struct kdh_evidence e;

	evidence_from(&e, console_first, console_capture,
		      "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
		      "[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
		      "[   12.345691] CPU: 0 PID: 0 Comm: swapper/0 Kdump: loaded Not tainted 6.1.0 #1\n"
		      "[   12.345800] Kernel panic - not syncing: Attempted to kill the idle task!\n");
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_MULTIPLE_PANICS,
		       "2 panics in the vmcore's log, the first \"NMI: Not continuing\"");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_no_panic_and_wrong_panic)
{
	struct kdh_evidence e;

	evidence_from(&e, console_first, console_capture,
		      "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
		      "[   12.345679] Dazed and confused, but trying to continue\n");
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_NO_PANIC,
		       "no \"Kernel panic - not syncing\" in the vmcore's log");
	kdh_evidence_clear(&e);

	evidence_from(&e, console_first, console_capture,
		      "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
		      "[   12.345690] Kernel panic - not syncing: sysrq triggered crash\n");
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC,
		       "panic \"sysrq triggered crash\", expected \"NMI: Not continuing\"");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_device_missing_in_capture)
{
	g_autofree char *capture = edit(console_capture, "KDH: device bus=virtio name=virtio1", "");

	assert_run(NULL, capture, KDH_RESULT_FAIL, KDH_REASON_INVENTORY_MISMATCH,
		   "missing virtio virtio1 0x0002 virtio_blk");
}
END_TEST

START_TEST(test_capture_device_unbound)
{
	g_autofree char *capture = edit(console_capture, "KDH: device bus=virtio name=virtio1",
					"KDH: device bus=virtio name=virtio1 id=0x0002 driver=-");

	assert_run(NULL, capture, KDH_RESULT_FAIL, KDH_REASON_INVENTORY_MISMATCH,
		   "missing virtio virtio1 0x0002 virtio_blk; extra virtio virtio1 0x0002 -");
}
END_TEST

START_TEST(test_no_hello_is_skip)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	evidence_from(&e, "[    0.000000] Linux version 6.1.0-56-amd64 #1 SMP\r\n"
			  "[    2.000000] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n",
		      "", NULL);
	e.deadline_missed = KDH_STAGE_BOOT;
	kdh_verdict_decide(&v, &expect_all, &e);
	ck_assert_int_eq(v.result, KDH_RESULT_SKIP);
	ck_assert_int_eq(v.reason, KDH_REASON_NO_BOOT);
	ck_assert_int_eq(v.stage, KDH_STAGE__COUNT);
	ck_assert_str_eq(v.detail, "the first kernel's agent never said hello");
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 125);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_boot_deadline_is_skip)
{
	struct kdh_evidence e;

	evidence_from(&e, "KDH: hello role=first release=6.1.0 cpus=4\r\n", "", NULL);
	e.deadline_missed = KDH_STAGE_BOOT;
	assert_verdict(&expect_all, &e, KDH_RESULT_SKIP, KDH_REASON_NO_BOOT,
		       "deadline for stage 'boot' passed");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_deadline_names_stage)
{
	g_autofree char *capture = edit(console_capture, "KDH: dump", "");
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	/* Everything before the dump was fine: the deadline is the finding, not the
	 * missing dump report. */
	capture[strlen(capture) - strlen("KDH: bye\r\n")] = '\0';
	evidence_from(&e, console_first, capture, NULL);
	e.deadline_missed = KDH_STAGE_DUMP;
	kdh_verdict_decide(&v, &expect_all, &e);
	ck_assert_int_eq(v.result, KDH_RESULT_FAIL);
	ck_assert_int_eq(v.reason, KDH_REASON_DEADLINE);
	ck_assert_int_eq(v.stage, KDH_STAGE_DUMP);
	ck_assert_str_eq(v.detail, "stage 'dump' not reached (its deadline passed or the guest stopped)");
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 1);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_deadline_before_capture)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	/* No capture kernel: its empty inventory must not hide the deadline. */
	evidence_from(&e, console_first, "", NULL);
	e.deadline_missed = KDH_STAGE_KEXEC;
	kdh_verdict_decide(&v, &expect_all, &e);
	ck_assert_int_eq(v.reason, KDH_REASON_DEADLINE);
	ck_assert_int_eq(v.stage, KDH_STAGE_KEXEC);
	ck_assert_str_eq(v.detail, "stage 'kexec' not reached (its deadline passed or the guest stopped)");
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_kexec_not_loaded_before_deadline)
{
	g_autofree char *first = edit(console_first, "KDH: kexec", "KDH: kexec status=255 loaded=0\r");
	struct kdh_evidence e;

	/* The first kernel could not load the capture kernel, so of course the kexec
	 * deadline passed: the verdict names the cause. */
	evidence_from(&e, first, "", NULL);
	e.deadline_missed = KDH_STAGE_KEXEC;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED,
		       "capture kernel not loaded: kexec status 255, kexec_crash_loaded=0");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_kexec_unreported)
{
	g_autofree char *first = edit(console_first, "KDH: kexec", "");
	g_autofree char *stalled = g_strndup(first, strstr(first, "KDH: nmis") - first);
	struct kdh_evidence e;

	/* The agent stalled before kexec: the load deadline is the finding. */
	evidence_from(&e, stalled, "", NULL);
	e.deadline_missed = KDH_STAGE_LOAD;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_DEADLINE,
		       "stage 'load' not reached (its deadline passed or the guest stopped)");
	kdh_evidence_clear(&e);

	/* The run went on without the report: the agent skipped kexec. */
	assert_run(first, NULL, KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED,
		   "the first kernel's agent never reported kexec");
}
END_TEST

START_TEST(test_cpus_mismatch)
{
	g_autofree char *first = edit(console_first, "KDH: hello",
				      "KDH: hello role=first release=6.1.0-56-amd64 cpus=1\r");

	assert_run(first, NULL, KDH_RESULT_FAIL, KDH_REASON_CPUS_MISMATCH,
		   "the first kernel has 1 of the domain's 4 vCPUs online");
}
END_TEST

START_TEST(test_agent_errors)
{
	g_autofree char *first = edit(console_first, "KDH: ready",
				      "KDH: error what=inventory errno=2\r\n"
				      "KDH: error what=mount_9p errno=19\r\n"
				      "KDH: ready\r");
	g_autofree char *capture = edit(console_capture, "KDH: dump",
					"KDH: error what=dump_disk errno=6\r");

	assert_run(first, NULL, KDH_RESULT_FAIL, KDH_REASON_AGENT_ERROR,
		   "the first kernel's agent failed: inventory errno=2, mount_9p errno=19");
	assert_run(NULL, capture, KDH_RESULT_FAIL, KDH_REASON_AGENT_ERROR,
		   "the capture kernel's agent failed: dump_disk errno=6");
	/* The first kernel's error comes first on the crash path. */
	assert_run(first, capture, KDH_RESULT_FAIL, KDH_REASON_AGENT_ERROR,
		   "the first kernel's agent failed: inventory errno=2, mount_9p errno=19");
}
END_TEST

START_TEST(test_dump_failed)
{
	g_autofree char *failed = edit(console_capture, "KDH: dump", "KDH: dump status=1 bytes=0\r");
	g_autofree char *empty = edit(console_capture, "KDH: dump", "KDH: dump status=0 bytes=0\r");
	g_autofree char *silent = edit(console_capture, "KDH: dump", "");

	assert_run(NULL, failed, KDH_RESULT_FAIL, KDH_REASON_DUMP_FAILED,
		   "makedumpfile status 1, 0 bytes written");
	assert_run(NULL, empty, KDH_RESULT_FAIL, KDH_REASON_DUMP_FAILED,
		   "makedumpfile status 0, 0 bytes written");
	assert_run(NULL, silent, KDH_RESULT_FAIL, KDH_REASON_DUMP_FAILED,
		   "makedumpfile status -2, -1 bytes written");
}
END_TEST

START_TEST(test_vmcore_unreadable)
{
	struct kdh_evidence e;

	evidence_from(&e, console_first, console_capture, NULL);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_VMCORE_UNREADABLE,
		       "makedumpfile could not read the log out of the vmcore");
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- real samples: Debian 6.1.0-56-amd64, 4 vCPUs, QEMU 7.2 q35 under TCG ---- */

static const char *data_dir(void)
{
	const char *dir = g_getenv("KDH_TEST_DATA");

	return dir ? dir : "tests/data";
}

/* A saved real sample (tests/data, or $KDH_TEST_DATA). */
static char *read_sample(const char *name)
{
	g_autofree char *path = g_build_filename(data_dir(), name, NULL);
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error))
		ck_abort_msg("%s", error->message);
	return text;
}

/* Evidence from a saved console and, unless NULL, a saved vmcore log. */
static void evidence_from_samples(struct kdh_evidence *e, const char *console_name,
				  const char *dmesg_name)
{
	g_autofree char *console = read_sample(console_name);
	g_autofree char *dmesg = dmesg_name ? read_sample(dmesg_name) : NULL;

	evidence_from(e, console, "", dmesg);
}

START_TEST(test_real_nmi_all)
{
	struct kdh_evidence e;

	/* From before the probe: unknown_nmi_panic on the command line, no counts. */
	evidence_from_samples(&e, "console-nmi-all.log", "vmcore-dmesg-nmi-all.txt");
	assert_verdict(&expect_no_probe, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; no probe NMI; unknown NMI logged on CPUs 0-3; "
		       "8 devices re-enumerated; vmcore 26.6 MB");
	/* A scenario with the probe cannot pass on a run without one. */
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the first kernel's agent never reported the probe NMI counts");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_nmi_cpu0)
{
	struct kdh_evidence e;

	evidence_from_samples(&e, "console-nmi-cpu0.log", "vmcore-dmesg-nmi-cpu0.txt");
	assert_verdict(&expect_no_probe, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 0; no probe NMI; unknown NMI logged on CPU 0; "
		       "8 devices re-enumerated; vmcore 34.0 MB");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_no_crashkernel)
{
	struct kdh_evidence e;

	/* The run stops when no kernel banner follows the NMI; the verdict names the
	 * cause, not the deadline. */
	evidence_from_samples(&e, "console-no-crashkernel.log", NULL);
	e.deadline_missed = KDH_STAGE_KEXEC;
	assert_verdict(&expect_no_probe, &e, KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED,
		       "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0");
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED,
		       "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0");
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- real samples with the probe NMI (tests/data/README.md) ---- */

START_TEST(test_real_probe_nmi_all_vcpus)
{
	struct kdh_evidence e;

	evidence_from_samples(&e, "console-probe-nmi-all-vcpus.log",
			      "vmcore-dmesg-probe-nmi-all-vcpus.txt");
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
		       "8 devices re-enumerated; vmcore 33.3 MB");
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
		       "8 devices re-enumerated; vmcore 33.3 MB");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_probe_nmi_cpu0)
{
	struct kdh_evidence e;

	evidence_from_samples(&e, "console-probe-nmi-cpu0.log", "vmcore-dmesg-probe-nmi-cpu0.txt");
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
		       "8 devices re-enumerated; vmcore 34.1 MB");
	/* The same run judged by a scenario that needs the NMI on every vCPU. */
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPUs 1-3");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_probe_sysrq_cpu2)
{
	struct kdh_evidence e;
	struct kdh_expect on_cpu1 = expect_sysrq;
	struct kdh_expect from_nmi = expect_sysrq;

	evidence_from_samples(&e, "console-probe-sysrq-cpu2.log",
			      "vmcore-dmesg-probe-sysrq-cpu2.txt");
	ck_assert_int_eq(e.first.trigger_cpu, 2);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; "
		       "8 devices re-enumerated; vmcore 34.0 MB");
	on_cpu1.panic_cpu = 1;
	assert_verdict(&on_cpu1, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "panic on CPU 2, expected CPU 1");
	/* Had an NMI been the trigger, CPU 2 would have had to log it: the probe's
	 * lines before the agent armed do not count. */
	from_nmi.panic_from_nmi = TRUE;
	assert_verdict(&from_nmi, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "CPU 2 panicked but logged no unknown NMI");
	/* And an NMI scenario expects a different panic. */
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC,
		       "panic \"sysrq triggered crash\", expected \"NMI: Not continuing\"");
	kdh_evidence_clear(&e);
}
END_TEST

/* Evidence of a run that saw CONSOLE end the first kernel's panic: harness/run.c
 * stops there, the kexec stage not reached. */
static void evidence_from_broken_sample(struct kdh_evidence *e, const char *console)
{
	evidence_from(e, console, "", NULL);
	ck_assert(e->panic_without_kexec);
	e->deadline_missed = KDH_STAGE_KEXEC;
}

START_TEST(test_real_probe_broken_no_crashkernel)
{
	g_autofree char *console = read_sample("console-probe-broken-no-crashkernel.log");
	g_autofree char *loaded = edit(console, "KDH: kexec", "KDH: kexec status=0 loaded=1");
	struct kdh_evidence e;

	evidence_from_broken_sample(&e, console);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED,
		       "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0");
	kdh_evidence_clear(&e);

	/* Had kexec -p claimed success, the panic's end would be the finding. */
	evidence_from_broken_sample(&e, loaded);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NO_KEXEC,
		       "the first kernel ended its panic without starting the capture kernel");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_probe_capture_missing_device)
{
	g_autofree char *console = read_sample("console-probe-nmi-all-vcpus.log");
	g_autofree char *capture_part = NULL;
	g_autofree char *edited = NULL;
	g_autofree char *dmesg = read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	const char *hello = strstr(console, "KDH: hello role=capture");
	g_autofree char *first_part = NULL;
	struct kdh_evidence e;

	/* The capture kernel did not find the virtio disk. */
	ck_assert_ptr_nonnull(hello);
	first_part = g_strndup(console, hello - console);
	capture_part = edit(hello, "KDH: device bus=virtio name=virtio0", "");
	edited = g_strconcat(first_part, capture_part, NULL);
	evidence_from(&e, edited, "", dmesg);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_INVENTORY_MISMATCH,
		       "missing virtio virtio0 0x0002 virtio_blk");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_probe_two_panics)
{
	g_autofree char *console = read_sample("console-probe-nmi-all-vcpus.log");
	g_autofree char *dmesg = read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	g_autofree char *more = g_strconcat(dmesg, "[    5.190000] Kernel panic - not syncing: "
						   "Attempted to kill the idle task!\n", NULL);
	struct kdh_evidence e;

	evidence_from(&e, console, "", more);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_MULTIPLE_PANICS,
		       "2 panics in the vmcore's log, the first \"NMI: Not continuing\"");
	kdh_evidence_clear(&e);
}
END_TEST

static Suite *verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, test_names_and_exit_codes);
	suite_add_tcase(s, tc);

	tc = tcase_create("decide");
	tcase_add_test(tc, test_pass);
	tcase_add_test(tc, test_probe_missing_cpus);
	tcase_add_test(tc, test_probe_missing_cpu0);
	tcase_add_test(tc, test_probe_not_delivered_anywhere);
	tcase_add_test(tc, test_probe_unreported);
	tcase_add_test(tc, test_probe_before_later_failures);
	tcase_add_test(tc, test_sysrq_wrong_cpu);
	tcase_add_test(tc, test_nmi_panic_cpu_without_nmi);
	tcase_add_test(tc, test_nmi_panic_expected_cpu);
	tcase_add_test(tc, test_no_kexec);
	tcase_add_test(tc, test_two_panics);
	tcase_add_test(tc, test_no_panic_and_wrong_panic);
	tcase_add_test(tc, test_device_missing_in_capture);
	tcase_add_test(tc, test_capture_device_unbound);
	tcase_add_test(tc, test_no_hello_is_skip);
	tcase_add_test(tc, test_boot_deadline_is_skip);
	tcase_add_test(tc, test_deadline_names_stage);
	tcase_add_test(tc, test_deadline_before_capture);
	tcase_add_test(tc, test_kexec_not_loaded_before_deadline);
	tcase_add_test(tc, test_kexec_unreported);
	tcase_add_test(tc, test_cpus_mismatch);
	tcase_add_test(tc, test_agent_errors);
	tcase_add_test(tc, test_dump_failed);
	tcase_add_test(tc, test_vmcore_unreadable);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-samples");
	tcase_add_test(tc, test_real_nmi_all);
	tcase_add_test(tc, test_real_nmi_cpu0);
	tcase_add_test(tc, test_real_no_crashkernel);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-probe-samples");
	tcase_add_test(tc, test_real_probe_nmi_all_vcpus);
	tcase_add_test(tc, test_real_probe_nmi_cpu0);
	tcase_add_test(tc, test_real_probe_sysrq_cpu2);
	tcase_add_test(tc, test_real_probe_broken_no_crashkernel);
	tcase_add_test(tc, test_real_probe_capture_missing_device);
	tcase_add_test(tc, test_real_probe_two_panics);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(verdict_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

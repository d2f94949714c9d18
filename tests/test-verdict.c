/* Unit tests of harness/judge/verdict.c. Evidence is built the way the live run builds
 * it: console lines through kdh_analysis_console_feed_line(), the vmcore's log through
 * kdh_analysis_panic_log_parse(). */
#include <string.h>

#include <check.h>

#include "kdh-analysis.h"
#include "kdh-test.h"
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

/* Evidence of a run whose console was FIRST then CAPTURE and whose vmcore's log
 * is DMESG (NULL: no vmcore came back). */
static void evidence_from(struct kdh_evidence *e, const char *first, const char *capture,
			  const char *dmesg)
{
	g_autofree char *console = g_strconcat(first, capture, NULL);

	kdh_evidence_init(e);
	kdh_test_feed_console_raw(e, console);
	if (dmesg) {
		kdh_analysis_panic_log_parse(&e->vmcore_log, dmesg);
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
	 * kexec stage (harness/drive/run.c). */
	evidence_from(&e, first, "", NULL);
	ck_assert(e.panic_without_kexec);
	e.deadline_missed = KDH_STAGE_KEXEC;
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_NO_KEXEC,
		       "the first kernel ended its panic without starting the capture kernel");
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_NO_KEXEC,
		       "the first kernel ended its panic without starting the capture kernel");
	/* Without the panic's end it is only a deadline. */
	g_clear_pointer(&e.panic_without_kexec, g_free);
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

START_TEST(test_real_nmi_all)
{
	struct kdh_evidence e;

	/* From before the probe: unknown_nmi_panic on the command line, no counts. */
	kdh_test_evidence_from_samples(&e, "console-nmi-all.log", "vmcore-dmesg-nmi-all.txt");
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

	kdh_test_evidence_from_samples(&e, "console-nmi-cpu0.log", "vmcore-dmesg-nmi-cpu0.txt");
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
	kdh_test_evidence_from_samples(&e, "console-no-crashkernel.log", NULL);
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

	kdh_test_evidence_from_samples(&e, "console-probe-nmi-all-vcpus.log",
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

	kdh_test_evidence_from_samples(&e, "console-probe-nmi-cpu0.log", "vmcore-dmesg-probe-nmi-cpu0.txt");
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

	kdh_test_evidence_from_samples(&e, "console-probe-sysrq-cpu2.log",
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

/* Evidence of a run that saw CONSOLE end the first kernel's panic: harness/drive/run.c
 * stops there, the kexec stage not reached. */
static void evidence_from_broken_sample(struct kdh_evidence *e, const char *console)
{
	evidence_from(e, console, "", NULL);
	ck_assert(e->panic_without_kexec);
	e->deadline_missed = KDH_STAGE_KEXEC;
}

START_TEST(test_real_probe_broken_no_crashkernel)
{
	g_autofree char *console = kdh_test_read_sample("console-probe-broken-no-crashkernel.log");
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
	g_autofree char *console = kdh_test_read_sample("console-probe-nmi-all-vcpus.log");
	g_autofree char *capture_part = NULL;
	g_autofree char *edited = NULL;
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
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

/* ---- Debian's 6.12 (bookworm-backports): .ko.xz modules, newer messages ---- */

START_TEST(test_real_612_nmi_all_vcpus)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, "console-6.12-nmi-all-vcpus.log",
				       "vmcore-dmesg-6.12-nmi-all-vcpus.txt");
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 3; probe NMI reached CPUs 0-3; unknown NMI logged on CPU 3; "
		       "8 devices re-enumerated; vmcore 32.8 MB");
	kdh_evidence_clear(&e);
}
END_TEST

/* Debian 11's 5.10, given to kdh run as its .deb file: every CPU logs the
 * fatal NMI (no rate limit before 6.8). */
START_TEST(test_real_510_nmi_all_vcpus)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, "console-5.10-nmi-all-vcpus.log",
				       "vmcore-dmesg-5.10-nmi-all-vcpus.txt");
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
		       "8 devices re-enumerated; vmcore 22.2 MB");
	kdh_evidence_clear(&e);
}
END_TEST

/* Since 6.8 the "Uhhuh" line is rate-limited: the panicking CPU's may be
 * missing (the sample's CPU 3 line dropped, as it was for other CPUs in other
 * runs); its panic in NMI context ties it to the NMI. On a 6.1 kernel, whose
 * every CPU logs the line, the same log is a wrong panic CPU. */
START_TEST(test_real_612_ratelimited_nmi_line)
{
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-6.12-nmi-all-vcpus.txt");
	g_autofree char *console = kdh_test_read_sample("console-6.12-nmi-all-vcpus.log");
	g_autofree char *cut = edit(dmesg, "[    8.323113] Uhhuh.", "");
	g_autofree char *task = edit(cut, "[    8.324805]  <NMI>", "[    8.324805]  <TASK>");
	struct kdh_evidence e;

	evidence_from(&e, console, "", cut);
	ck_assert_int_eq(e.vmcore_log.panic_context, 1);
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 3; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; "
		       "8 devices re-enumerated; vmcore 32.8 MB");
	g_free(e.first.release);
	e.first.release = g_strdup("6.1.0-57-amd64");
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "CPU 3 panicked but logged no unknown NMI");
	kdh_evidence_clear(&e);
	/* not called in NMI context: nothing ties the panic to the NMI */
	evidence_from(&e, console, "", task);
	ck_assert_int_eq(e.vmcore_log.panic_context, 0);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "CPU 3 panicked but logged no unknown NMI");
	kdh_evidence_clear(&e);
}
END_TEST

/* A virtio_blk.ko.xz of 6.1 in 6.12's tree: finit_module() says ENOEXEC, the
 * first kernel has no dump disk, and the agent arms nothing. Not testable,
 * never a crash-path failure. */
START_TEST(test_real_612_wrong_release_module)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, "console-6.12-wrong-release-module.log", NULL);
	ck_assert(e.first.bye);
	ck_assert(!e.first.ready);
	assert_verdict(&expect_all, &e, KDH_RESULT_SKIP, KDH_REASON_SETUP_FAILED,
		       "not testable: the first kernel lacks what the scenario needs (module "
		       "virtio_blk: Exec format error (errno 8), dump_disk kdhdump: No such device "
		       "(errno 19)); nothing was armed");
	kdh_evidence_clear(&e);
}
END_TEST

/* kexec's own words and the reservation: two breakages, two details. */
START_TEST(test_real_612_no_crashkernel)
{
	g_autofree char *console = kdh_test_read_sample("console-6.12-no-crashkernel.log");
	struct kdh_evidence e;

	evidence_from_broken_sample(&e, console);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED,
		       "capture kernel not loaded: kexec status 1 (\"Memory for crashkernel is not "
		       "reserved\"), kexec_crash_loaded=0, 0 MiB reserved for it");
	kdh_evidence_clear(&e);
}
END_TEST

/* The harness could not build the guest from the kernel (a truncated .ko.xz):
 * no guest ran, and the verdict says why rather than "never booted". */
START_TEST(test_setup_failed_is_skip)
{
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	e.setup_failed = g_strdup("module 'kernel/drivers/block/virtio_blk.ko.xz': truncated");
	assert_verdict(&expect_all, &e, KDH_RESULT_SKIP, KDH_REASON_SETUP_FAILED,
		       "not testable: module 'kernel/drivers/block/virtio_blk.ko.xz': truncated");
	kdh_evidence_clear(&e);
}
END_TEST

/* A module the first kernel loaded that the capture kernel cannot load is the
 * crash path's failure, named before its consequences (no dump disk). */
START_TEST(test_capture_module_failed)
{
	g_autofree char *console = kdh_test_read_sample("console-6.12-nmi-all-vcpus.log");
	g_autofree char *failed = NULL;
	const char *hello = strstr(console, "KDH: hello role=capture");
	g_autofree char *first_part = NULL;
	g_autofree char *capture_part = NULL;
	struct kdh_evidence e;

	ck_assert_ptr_nonnull(hello);
	first_part = g_strndup(console, hello - console);
	capture_part = edit(hello, "KDH: module name=virtio_blk",
			    "KDH: module name=virtio_blk status=error errno=12\n"
			    "KDH: error what=dump_disk errno=19");
	failed = g_strconcat(first_part, capture_part, NULL);
	evidence_from(&e, failed, "", NULL);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_CAPTURE_MODULE,
		       "the capture kernel could not load virtio_blk, which the first kernel "
		       "loaded");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_probe_two_panics)
{
	g_autofree char *console = kdh_test_read_sample("console-probe-nmi-all-vcpus.log");
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	g_autofree char *more = g_strconcat(dmesg, "[    5.190000] Kernel panic - not syncing: "
						   "Attempted to kill the idle task!\n", NULL);
	struct kdh_evidence e;

	evidence_from(&e, console, "", more);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_MULTIPLE_PANICS,
		       "2 panics in the vmcore's log, the first \"NMI: Not continuing\"");
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- complaints: what the scenario fails on, warns of, or ignores ---- */

/* The defaults of [expect] fail-on and warn-on (test-config.c checks them). */
#define FAIL_ON_DEFAULT (1u << KDH_COMPLAINT_BUG | 1u << KDH_COMPLAINT_OOPS)
#define WARN_ON_DEFAULT \
	(1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_CALL_TRACE | 1u << KDH_COMPLAINT_DAZED)

/* X with the default complaint levels. */
static struct kdh_expect with_levels(const struct kdh_expect *x)
{
	struct kdh_expect y = *x;

	y.fail_on = FAIL_ON_DEFAULT;
	y.warn_on = WARN_ON_DEFAULT;
	return y;
}

/* A capture kernel that oopses in hv_vmbus while it boots (arch/x86/mm/fault.c
 * of 6.1; the public RHEL 9 report's RIP), so its agent never says hello. Line
 * ends as the live run passes them: "\r" stripped. */
static const char capture_oops[] =
	"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP\n"
	"[    0.000000] Command line: console=ttyS0 nr_cpus=1 irqpoll reset_devices\n"
	"[    1.937017] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
	"[    1.937502] #PF: supervisor read access in kernel mode\n"
	"[    1.937826] #PF: error_code(0x0000) - not-present page\n"
	"[    1.938150] PGD 0 P4D 0 \n"
	"[    1.938318] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
	"[    1.938594] CPU: 0 PID: 62 Comm: kworker/0:2 Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2\n"
	"[    1.939800] Workqueue: hv_pri_chan vmbus_onmessage_work [hv_vmbus]\n"
	"[    1.940190] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]\n"
	"[    1.942230] Call Trace:\n"
	"[    1.942390]  <TASK>\n"
	"[    1.942534]  vmbus_onoffer_rescind+0x1d/0x140 [hv_vmbus]\n"
	"[    1.944120]  </TASK>\n"
	"[    1.944710] ---[ end trace 0000000000000000 ]---\n";

/* kernel/panic.c __warn() of 6.1 on the panicking CPU, from the crash
 * shutdown (as Hyper-V guests of 6.1 do): after the panic in DMESG_ALL. */
static const char crash_path_warning[] =
	"[   12.345710] ------------[ cut here ]------------\n"
	"[   12.345711] WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
	"smp_call_function_single+0x10c/0x120\n"
	"[   12.345712] Modules linked in: virtio_blk\n"
	"[   12.345713] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0-56-amd64 #1\n"
	"[   12.345714] RIP: 0010:smp_call_function_single+0x10c/0x120\n"
	"[   12.345715] Call Trace:\n"
	"[   12.345716]  <NMI>\n"
	"[   12.345717]  native_machine_crash_shutdown+0x2b/0x80\n"
	"[   12.345718]  </NMI>\n"
	"[   12.345719] ---[ end trace 0000000000000000 ]---\n";

#define PASS_DETAIL \
	"panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; " \
	"4 devices re-enumerated; vmcore 24.9 MB"
#define WARNING_TEXT \
	"WARNING on CPU 2 in the crash path: WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 " \
	"smp_call_function_single+0x10c/0x120"

START_TEST(test_capture_bug_before_deadline)
{
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;

	/* The capture kernel oopsed and so never said hello: the oops is the
	 * cause, the missed deadline its consequence. */
	evidence_from(&e, console_first, capture_oops, NULL);
	e.deadline_missed = KDH_STAGE_CAPTURE;
	ck_assert_uint_eq(e.capture_complaints->len, 2);
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "BUG on CPU 0 in the capture kernel: BUG: kernel NULL pointer dereference, "
		       "address: 0000000000000008 (and 1 more)");
	/* Oops alone is enough. */
	levels.fail_on = 1u << KDH_COMPLAINT_OOPS;
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "Oops on CPU 0 in the capture kernel: Oops: 0000 [#1] PREEMPT SMP NOPTI");
	/* A scenario that fails on neither sees only the deadline. */
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_DEADLINE,
		       "stage 'capture' not reached (its deadline passed or the guest stopped)");
	/* Warned of only: the deadline still decides. */
	levels.fail_on = 0;
	levels.warn_on = FAIL_ON_DEFAULT;
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_DEADLINE,
		       "stage 'capture' not reached (its deadline passed or the guest stopped)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_complaint_order)
{
	g_autofree char *capture = g_strconcat(capture_oops, console_capture, NULL);
	g_autofree char *first = first_with_probe("1,2,1,0");
	g_autofree char *missing = edit(console_capture, "KDH: device bus=virtio name=virtio1", "");
	g_autofree char *later = g_strconcat(missing, "[    9.000000] BUG: unable to handle page "
						      "fault for address: ffffffffc0a01000\n"
						      "[    9.000001] CPU: 0 PID: 1 Comm: init Not "
						      "tainted 6.1.0 #1\n", NULL);
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;

	/* Before everything that comes after the trigger: a missing device. */
	evidence_from(&e, console_first, later, dmesg_all);
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "BUG on CPU 0 in the capture kernel: BUG: unable to handle page fault for "
		       "address: ffffffffc0a01000");
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_INVENTORY_MISMATCH,
		       "missing virtio virtio1 0x0002 virtio_blk");
	kdh_evidence_clear(&e);

	/* After what came before the trigger: the probe NMI that missed CPUs. */
	evidence_from(&e, first, capture, dmesg_all);
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED,
		       "the probe NMI did not reach CPUs 1,3");
	kdh_evidence_clear(&e);

	/* Before the vmcore's checks: a wrong panic. */
	evidence_from(&e, console_first, capture,
		      "[    4.0] kdh: armed\n"
		      "[    4.2] Kernel panic - not syncing: sysrq triggered crash\n"
		      "[    4.3] CPU: 1 PID: 1 Comm: init Kdump: loaded Not tainted 6.1.0 #1\n");
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "BUG on CPU 0 in the capture kernel: BUG: kernel NULL pointer dereference, "
		       "address: 0000000000000008 (and 1 more)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_crash_path_bug)
{
	g_autofree char *dmesg = g_strconcat(dmesg_all,
					     "[   12.400000] BUG: unable to handle page fault for "
					     "address: ffffa16640083ee8\n"
					     "[   12.400001] #PF: supervisor write access in kernel mode\n"
					     "[   12.400002] Oops: 0002 [#2] PREEMPT SMP NOPTI\n"
					     "[   12.400003] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded "
					     "Tainted: G      D 6.1.0 #1\n", NULL);
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;

	/* The crash path oopsed, yet the capture kernel ran: still a failure. */
	evidence_from(&e, console_first, console_capture, dmesg);
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "BUG on CPU 2 in the crash path: BUG: unable to handle page fault for "
		       "address: ffffa16640083ee8 (and 1 more)");
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK, PASS_DETAIL);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_complaints_before_marker)
{
	g_autofree char *dmesg = edit(dmesg_all, "[    4.111048] kdh: armed",
				      "[    4.100000] BUG: kernel NULL pointer dereference, address: "
				      "0000000000000008\n"
				      "[    4.100001] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
				      "[    4.100002] CPU: 1 PID: 1 Comm: init Not tainted 6.1.0 #1\n"
				      "[    4.100003] WARNING: CPU: 3 PID: 1 at kernel/smp.c:769 x+0x1/0x2\n"
				      "[    4.100004] Dazed and confused, but trying to continue\n"
				      "[    4.111048] kdh: armed");
	g_autofree char *unarmed = edit(dmesg, "[    4.111048] kdh: armed", "");
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;

	/* What the first kernel said before the agent armed is no part of the
	 * crash path. */
	evidence_from(&e, console_first, console_capture, dmesg);
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 0);
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK, PASS_DETAIL);
	kdh_evidence_clear(&e);

	/* Without the marker all of it is. */
	evidence_from(&e, console_first, console_capture, unarmed);
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "BUG on CPU 1 in the crash path: BUG: kernel NULL pointer dereference, "
		       "address: 0000000000000008 (and 1 more)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_warning_passes)
{
	g_autofree char *dmesg = g_strconcat(dmesg_all, crash_path_warning, NULL);
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	evidence_from(&e, console_first, console_capture, dmesg);
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 1);
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       PASS_DETAIL "; warning: " WARNING_TEXT);
	kdh_verdict_decide(&v, &levels, &e);
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 0);
	kdh_verdict_clear(&v);

	/* fail-on=WARNING turns the same run into a failure. */
	levels.fail_on = 1u << KDH_COMPLAINT_WARNING;
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED, WARNING_TEXT);
	/* In both lists: failing wins. */
	levels.fail_on |= FAIL_ON_DEFAULT;
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED, WARNING_TEXT);

	/* In neither list: ignored, not even mentioned. */
	levels.fail_on = FAIL_ON_DEFAULT;
	levels.warn_on = 1u << KDH_COMPLAINT_DAZED | 1u << KDH_COMPLAINT_CALL_TRACE;
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK, PASS_DETAIL);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_warnings_counted)
{
	g_autofree char *dmesg = g_strconcat(dmesg_all, crash_path_warning, NULL);
	g_autofree char *capture = g_strconcat(console_capture,
					       "[    9.000000] Uhhuh. NMI received for unknown "
					       "reason 30 on CPU 0.\n"
					       "[    9.000001] Dazed and confused, but trying to "
					       "continue\n"
					       "[    9.000002] NMI backtrace for cpu 0\n"
					       "[    9.000003] CPU: 0 PID: 0 Comm: swapper/0 Not tainted "
					       "6.1.0 #1\n"
					       "[    9.000004] Call Trace:\n", NULL);
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;

	/* The crash path's first, then the capture kernel's; the rest counted. */
	evidence_from(&e, console_first, capture, dmesg);
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       PASS_DETAIL "; warning: " WARNING_TEXT " (and 2 more)");
	/* Without the WARNING among them, the capture kernel's come first. */
	levels.warn_on &= ~(1u << KDH_COMPLAINT_WARNING);
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       PASS_DETAIL "; warning: Dazed and confused on CPU 0 in the capture kernel: "
				   "Dazed and confused, but trying to continue (and 1 more)");
	levels.warn_on = 1u << KDH_COMPLAINT_CALL_TRACE;
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       PASS_DETAIL "; warning: Call Trace on CPU 0 in the capture kernel: Call Trace:");
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- crash's reading of the vmcore ---- */

/* TEXT with its one occurrence of FROM replaced by TO. */
static char *replace_once(const char *text, const char *from, const char *to)
{
	g_auto(GStrv) parts = g_strsplit(text, from, -1);

	ck_assert_msg(g_strv_length(parts) == 2, "'%s' is not there once", from);
	return g_strjoinv(to, parts);
}

/* E as if crash had run and said OUTPUT. */
static void crash_said(struct kdh_evidence *e, const char *output)
{
	e->crash.ran = TRUE;
	kdh_crash_parse(&e->crash, output);
}

/* Evidence of the real sysrq-cpu2 run, with crash's real output or an edited
 * copy of it. */
static void evidence_sysrq_crash(struct kdh_evidence *e, const char *crash_output)
{
	kdh_test_evidence_from_samples(e, "console-probe-sysrq-cpu2.log", "vmcore-dmesg-probe-sysrq-cpu2.txt");
	crash_said(e, crash_output);
}

#define SYSRQ_PASS \
	"panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; " \
	"8 devices re-enumerated; vmcore 34.0 MB"
#define CRASH_PASS "; crash: every other CPU stopped by NMI"

START_TEST(test_real_crash_sysrq)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	struct kdh_expect levels = with_levels(&expect_sysrq);
	struct kdh_evidence e;

	evidence_sysrq_crash(&e, output);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_PASS, KDH_REASON_OK, SYSRQ_PASS CRASH_PASS);
	/* The probe's "Dazed" lines came before the agent armed: no warning. */
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK, SYSRQ_PASS CRASH_PASS);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_crash_nmi)
{
	g_autofree char *output = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	struct kdh_evidence e;

	/* crash's run had CPU 0 panic; so did the nmi-cpu0 run's log. */
	kdh_test_evidence_from_samples(&e, "console-probe-nmi-cpu0.log", "vmcore-dmesg-probe-nmi-cpu0.txt");
	crash_said(&e, output);
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
		       "8 devices re-enumerated; vmcore 34.1 MB" CRASH_PASS);
	kdh_evidence_clear(&e);

	/* The nmi-all-vcpus run's log has CPU 1 panic: crash disagrees. */
	kdh_test_evidence_from_samples(&e, "console-probe-nmi-all-vcpus.log",
				       "vmcore-dmesg-probe-nmi-all-vcpus.txt");
	crash_said(&e, output);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_CRASH_DISAGREES,
		       "crash has the panic task on CPU 0, the log on CPU 1");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_crash_cpu_offline)
{
	g_autofree char *output = kdh_test_read_sample("crash-cpu3-offline.txt");
	struct kdh_evidence e;

	/* CPU 1 panicked, as in the nmi-all-vcpus run's log; CPU 3 was offline and
	 * crash could not read its stack. */
	kdh_test_evidence_from_samples(&e, "console-probe-nmi-all-vcpus.log",
				       "vmcore-dmesg-probe-nmi-all-vcpus.txt");
	crash_said(&e, output);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_CPU_NOT_STOPPED,
		       "CPU 3 was not stopped by NMI (crash: running, no backtrace)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_crash_cpu_running)
{
	g_autofree char *sysrq = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *nmi = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	/* CPU 3's backtrace without crash_nmi_callback: in an NMI, not the crash
	 * shutdown's. */
	g_autofree char *cpu3 = kdh_test_drop_frames(sysrq, 3, "crash_nmi_callback");
	/* CPU 2 idle, as if no NMI had reached it: its frames below the NMI's. */
	g_autofree char *idle = kdh_test_replace_backtrace(
		nmi, 2,
		"PID: 0        TASK: ffff9df4411a63c0  CPU: 2    COMMAND: \"swapper/2\"\n"
		" #0 [ffffa1664008bee8] amd_e400_idle at ffffffff9e2353e9\n"
		" #1 [ffffa1664008bee8] default_idle_call at ffffffff9ef6dcde\n"
		" #2 [ffffa1664008bef0] do_idle at ffffffff9e2bcfbd\n"
		" #3 [ffffa1664008bf30] cpu_startup_entry at ffffffff9e2bd221\n"
		" #4 [ffffa1664008bf40] start_secondary at ffffffff9e25251e\n"
		" #5 [ffffa1664008bf50] secondary_startup_64_no_verify at ffffffff9e200145\n");
	struct kdh_evidence e;

	evidence_sysrq_crash(&e, cpu3);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CPU_NOT_STOPPED,
		       "CPU 3 was not stopped by NMI (crash: running, innermost frame default_do_nmi)");
	kdh_evidence_clear(&e);

	kdh_test_evidence_from_samples(&e, "console-probe-nmi-cpu0.log", "vmcore-dmesg-probe-nmi-cpu0.txt");
	crash_said(&e, idle);
	assert_verdict(&expect_cpu0, &e, KDH_RESULT_FAIL, KDH_REASON_CPU_NOT_STOPPED,
		       "CPU 2 was not stopped by NMI (crash: running, innermost frame amd_e400_idle)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_crash_cpu_missing)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *no_cpu3 = kdh_test_replace_backtrace(output, 3, "");
	g_autofree char *no_cpu1 = kdh_test_replace_backtrace(output, 1, "");
	struct kdh_evidence e;

	evidence_sysrq_crash(&e, no_cpu3);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CPU_NOT_STOPPED,
		       "CPU 3 was not stopped by NMI (crash: unseen, no backtrace)");
	kdh_evidence_clear(&e);

	/* One in the middle. */
	evidence_sysrq_crash(&e, no_cpu1);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CPU_NOT_STOPPED,
		       "CPU 1 was not stopped by NMI (crash: unseen, no backtrace)");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_crash_disagrees)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *two = replace_once(output, "CPUS: 4\n", "CPUS: 2\n");
	g_autofree char *fatal = replace_once(output, "sysrq triggered crash\"",
					      "Fatal exception\"");
	g_autofree char *no_panic = replace_once(output, "\"Kernel panic - not syncing: sysrq "
							 "triggered crash\"", "");
	/* The panic task on CPU 0 instead: CPUs 0 and 2 swap their backtraces. */
	g_autofree char *swapped = replace_once(output, "CPU: 2    COMMAND: \"init\"",
						"CPU: 9    COMMAND: \"init\"");
	g_autofree char *swapped2 = replace_once(swapped, "CPU: 0    COMMAND: \"swapper/0\"",
						 "CPU: 2    COMMAND: \"swapper/0\"");
	g_autofree char *swapped3 = replace_once(swapped2, "CPU: 9    COMMAND: \"init\"",
						 "CPU: 0    COMMAND: \"init\"");
	struct kdh_evidence e;

	evidence_sysrq_crash(&e, two);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CRASH_DISAGREES,
		       "crash sees 2 CPUs, not 4");
	kdh_evidence_clear(&e);

	evidence_sysrq_crash(&e, fatal);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CRASH_DISAGREES,
		       "crash's PANIC is \"Kernel panic - not syncing: Fatal exception\", "
		       "not \"sysrq triggered crash\"");
	kdh_evidence_clear(&e);

	evidence_sysrq_crash(&e, no_panic);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CRASH_DISAGREES,
		       "crash's PANIC is \"\", not \"sysrq triggered crash\"");
	kdh_evidence_clear(&e);

	evidence_sysrq_crash(&e, swapped3);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CRASH_DISAGREES,
		       "crash has the panic task on CPU 0, the log on CPU 2");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_crash_unreadable)
{
	struct kdh_evidence e;

	evidence_sysrq_crash(&e, "crash: vmcore: not a supported file format\n"
				 "\n"
				 "Usage:\n"
				 "\n"
				 "  crash [OPTION]... NAMELIST MEMORY-IMAGE[@ADDRESS]\t(dumpfile form)\n"
				 "  crash [OPTION]... [NAMELIST]             \t(live system form)\n"
				 "\n"
				 "Enter \"crash -h\" for details.\n");
	ck_assert(!e.crash.read);
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_FAIL, KDH_REASON_CRASH_UNREADABLE,
		       "crash could not read the vmcore (see crash.txt)");
	/* crash that never ran (no vmlinux with debug info) is no failure. */
	e.crash.ran = FALSE;
	assert_verdict(&expect_sysrq, &e, KDH_RESULT_PASS, KDH_REASON_OK, SYSRQ_PASS);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_crash_after_log_checks)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *two = replace_once(output, "CPUS: 4\n", "CPUS: 2\n");
	struct kdh_expect on_cpu1 = expect_sysrq;
	struct kdh_expect fails_on_warning = with_levels(&expect_sysrq);
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-sysrq-cpu2.txt");
	g_autofree char *warned = g_strconcat(dmesg, "[    6.000000] WARNING: CPU: 2 PID: 1 at "
						     "kernel/smp.c:769 "
						     "smp_call_function_single+0x10c/0x120\n", NULL);
	g_autofree char *console = kdh_test_read_sample("console-probe-sysrq-cpu2.log");
	struct kdh_evidence e;

	/* The log's own findings come first, crash's second. */
	evidence_sysrq_crash(&e, two);
	on_cpu1.panic_cpu = 1;
	assert_verdict(&on_cpu1, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "panic on CPU 2, expected CPU 1");
	kdh_evidence_clear(&e);

	/* And a complaint the scenario fails on before both. */
	evidence_from(&e, console, "", warned);
	crash_said(&e, two);
	on_cpu1 = with_levels(&on_cpu1);
	assert_verdict(&on_cpu1, &e, KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU,
		       "panic on CPU 2, expected CPU 1");
	fails_on_warning.fail_on |= 1u << KDH_COMPLAINT_WARNING;
	fails_on_warning.panic_cpu = 1;
	assert_verdict(&fails_on_warning, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "WARNING on CPU 2 in the crash path: WARNING: CPU: 2 PID: 1 at "
		       "kernel/smp.c:769 smp_call_function_single+0x10c/0x120");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_vmcore_absent)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *two = replace_once(output, "CPUS: 4\n", "CPUS: 2\n");
	g_autofree char *capture = g_strconcat(console_capture,
					       "[    9.000000] Uhhuh. NMI received for unknown "
					       "reason 30 on CPU 0.\n"
					       "[    9.000001] Dazed and confused, but trying to "
					       "continue\n", NULL);
	struct kdh_expect levels = with_levels(&expect_all);
	struct kdh_evidence e;

	/* kdh analyze of the consoles only: the vmcore's checks are skipped, crash's
	 * among them, not failed. */
	evidence_from(&e, console_first, console_capture, NULL);
	e.vmcore_absent = TRUE;
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "probe NMI reached CPUs 0-3; 4 devices re-enumerated; vmcore 24.9 MB "
		       "(not given: its checks were skipped)");
	crash_said(&e, two);
	assert_verdict(&expect_all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "probe NMI reached CPUs 0-3; 4 devices re-enumerated; vmcore 24.9 MB "
		       "(not given: its checks were skipped)");
	kdh_evidence_clear(&e);

	/* The consoles' own checks still run, complaints among them. */
	evidence_from(&e, console_first, capture, NULL);
	e.vmcore_absent = TRUE;
	assert_verdict(&levels, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "probe NMI reached CPUs 0-3; 4 devices re-enumerated; vmcore 24.9 MB "
		       "(not given: its checks were skipped); warning: Dazed and confused on CPU 0 "
		       "in the capture kernel: Dazed and confused, but trying to continue");
	levels.fail_on |= 1u << KDH_COMPLAINT_DAZED;
	assert_verdict(&levels, &e, KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED,
		       "Dazed and confused on CPU 0 in the capture kernel: Dazed and confused, but "
		       "trying to continue");
	kdh_evidence_clear(&e);

	/* Without the flag, no vmcore is a failure. */
	evidence_from(&e, console_first, console_capture, NULL);
	assert_verdict(&expect_all, &e, KDH_RESULT_FAIL, KDH_REASON_VMCORE_UNREADABLE,
		       "makedumpfile could not read the log out of the vmcore");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_real_samples_default_levels)
{
	struct kdh_expect all = with_levels(&expect_all);
	struct kdh_expect cpu0 = with_levels(&expect_cpu0);
	struct kdh_expect no_probe = with_levels(&expect_no_probe);
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-nmi-cpu0.txt");
	g_autofree char *unarmed = edit(dmesg, "[    5.620637] kdh: armed", "");
	g_autofree char *console = kdh_test_read_sample("console-probe-nmi-cpu0.log");
	struct kdh_evidence e;

	/* The good runs complain about nothing, with the default levels too. */
	kdh_test_evidence_from_samples(&e, "console-probe-nmi-all-vcpus.log",
				       "vmcore-dmesg-probe-nmi-all-vcpus.txt");
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 0);
	ck_assert_uint_eq(e.capture_complaints->len, 0);
	assert_verdict(&all, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
		       "8 devices re-enumerated; vmcore 33.3 MB");
	kdh_evidence_clear(&e);

	kdh_test_evidence_from_samples(&e, "console-nmi-all.log", "vmcore-dmesg-nmi-all.txt");
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 0);
	ck_assert_uint_eq(e.capture_complaints->len, 0);
	assert_verdict(&no_probe, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 2; no probe NMI; unknown NMI logged on CPUs 0-3; "
		       "8 devices re-enumerated; vmcore 26.6 MB");
	kdh_evidence_clear(&e);

	kdh_test_evidence_from_samples(&e, "console-probe-nmi-cpu0.log", "vmcore-dmesg-probe-nmi-cpu0.txt");
	assert_verdict(&cpu0, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
		       "8 devices re-enumerated; vmcore 34.1 MB");
	kdh_evidence_clear(&e);

	/* The marker is what keeps the probe's survived NMI out of the crash path:
	 * without it, "Dazed" is a warning (and the probe's NMI counts as logged). */
	evidence_from(&e, console, "", unarmed);
	assert_verdict(&cpu0, &e, KDH_RESULT_PASS, KDH_REASON_OK,
		       "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
		       "8 devices re-enumerated; vmcore 34.1 MB; warning: Dazed and confused on "
		       "CPU 0 in the crash path: Dazed and confused, but trying to continue");
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
	tcase_add_test(tc, test_real_612_nmi_all_vcpus);
	tcase_add_test(tc, test_real_510_nmi_all_vcpus);
	tcase_add_test(tc, test_real_612_ratelimited_nmi_line);
	tcase_add_test(tc, test_real_612_wrong_release_module);
	tcase_add_test(tc, test_real_612_no_crashkernel);
	tcase_add_test(tc, test_setup_failed_is_skip);
	tcase_add_test(tc, test_capture_module_failed);
	suite_add_tcase(s, tc);

	tc = tcase_create("complaints");
	tcase_add_test(tc, test_capture_bug_before_deadline);
	tcase_add_test(tc, test_complaint_order);
	tcase_add_test(tc, test_crash_path_bug);
	tcase_add_test(tc, test_complaints_before_marker);
	tcase_add_test(tc, test_warning_passes);
	tcase_add_test(tc, test_warnings_counted);
	tcase_add_test(tc, test_real_samples_default_levels);
	suite_add_tcase(s, tc);

	tc = tcase_create("crash");
	tcase_add_test(tc, test_real_crash_sysrq);
	tcase_add_test(tc, test_real_crash_nmi);
	tcase_add_test(tc, test_real_crash_cpu_offline);
	tcase_add_test(tc, test_crash_cpu_running);
	tcase_add_test(tc, test_crash_cpu_missing);
	tcase_add_test(tc, test_crash_disagrees);
	tcase_add_test(tc, test_crash_unreadable);
	tcase_add_test(tc, test_crash_after_log_checks);
	tcase_add_test(tc, test_vmcore_absent);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(verdict_suite());
}

/* Unit tests of harness/judge/verdict.c. Evidence is built the way the live run builds
 * it: console lines through kdh_analysis_console_feed_line(), the vmcore's log through
 * kdh_analysis_panic_log_parse(). Each case is a row of cases[]: an evidence, given as
 * data (the texts below or real samples, and their edits), judged by what a
 * scenario expects; one body builds and checks every row, by name. */
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

/* TEXT with its one line that starts with FROM replaced by the lines TO ("": the
 * line dropped), for the case NAME. */
static char *edit(const char *name, const char *text, const char *from, const char *to)
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
	ck_assert_msg(found == 1, "%s: %u lines start with '%s'", name, found, from);
	return g_string_free(g_steal_pointer(&out), FALSE);
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

/* ---- what the scenarios expect ---- */

/* The defaults of [expect] fail-on and warn-on (test-config.c checks them). */
#define FAIL_ON_DEFAULT (1u << KDH_COMPLAINT_BUG | 1u << KDH_COMPLAINT_OOPS)
#define WARN_ON_DEFAULT \
	(1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_CALL_TRACE | 1u << KDH_COMPLAINT_DAZED)

/* What kdh_scenario_expect() makes of the shipped scenarios (test-config.c
 * checks that it does), but for the CPU that must panic, which each
 * expectation below says. */
#define NMI_ALL_VCPUS                                                                        \
	.vcpus = 4, .panic_string = "NMI: Not continuing", .nmi_probe = TRUE,                \
	.nmi_on_every_cpu = TRUE, .panic_from_nmi = TRUE
#define NMI_CPU0 .vcpus = 4, .panic_string = "NMI: Not continuing", .nmi_probe = TRUE, \
		 .panic_from_nmi = TRUE
#define SYSRQ_CPU2 .vcpus = 4, .panic_string = "sysrq triggered crash", .nmi_probe = TRUE, \
		   .nmi_on_every_cpu = TRUE
/* nmi-probe=false (and so nmi-on-every-cpu=false), as the samples from before
 * the probe were run */
#define NO_PROBE .vcpus = 4, .panic_string = "NMI: Not continuing", .panic_from_nmi = TRUE
#define LEVELS .fail_on = FAIL_ON_DEFAULT, .warn_on = WARN_ON_DEFAULT

static const struct kdh_expect expect_all = { NMI_ALL_VCPUS, .panic_cpu = -1 };
static const struct kdh_expect expect_cpu0 = { NMI_CPU0, .panic_cpu = -1 };
static const struct kdh_expect expect_sysrq = { SYSRQ_CPU2, .panic_cpu = 2 };
static const struct kdh_expect expect_no_probe = { NO_PROBE, .panic_cpu = -1 };
/* with another CPU, or none, that must panic */
static const struct kdh_expect expect_all_on_cpu0 = { NMI_ALL_VCPUS, .panic_cpu = 0 };
static const struct kdh_expect expect_all_on_cpu2 = { NMI_ALL_VCPUS, .panic_cpu = 2 };
static const struct kdh_expect expect_all_on_cpu3 = { NMI_ALL_VCPUS, .panic_cpu = 3 };
static const struct kdh_expect expect_sysrq_any_cpu = { SYSRQ_CPU2, .panic_cpu = -1 };
static const struct kdh_expect expect_sysrq_on_cpu1 = { SYSRQ_CPU2, .panic_cpu = 1 };
/* had an NMI been the trigger */
static const struct kdh_expect expect_sysrq_from_nmi = { SYSRQ_CPU2, .panic_from_nmi = TRUE,
							  .panic_cpu = 2 };
/* with the default complaint levels */
static const struct kdh_expect expect_all_levels = { NMI_ALL_VCPUS, .panic_cpu = -1, LEVELS };
static const struct kdh_expect expect_cpu0_levels = { NMI_CPU0, .panic_cpu = -1, LEVELS };
static const struct kdh_expect expect_no_probe_levels = { NO_PROBE, .panic_cpu = -1, LEVELS };
static const struct kdh_expect expect_sysrq_levels = { SYSRQ_CPU2, .panic_cpu = 2, LEVELS };
static const struct kdh_expect expect_sysrq_on_cpu1_levels = { SYSRQ_CPU2, .panic_cpu = 1,
								LEVELS };
/* and with other levels */
static const struct kdh_expect expect_all_fails_on_oops = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = 1u << KDH_COMPLAINT_OOPS,
	.warn_on = WARN_ON_DEFAULT,
};
static const struct kdh_expect expect_all_warns_of_bugs = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = 0, .warn_on = FAIL_ON_DEFAULT,
};
static const struct kdh_expect expect_all_fails_on_warning = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = 1u << KDH_COMPLAINT_WARNING,
	.warn_on = WARN_ON_DEFAULT,
};
/* in both lists */
static const struct kdh_expect expect_all_fails_on_warning_too = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = FAIL_ON_DEFAULT | 1u << KDH_COMPLAINT_WARNING,
	.warn_on = WARN_ON_DEFAULT,
};
/* in neither list */
static const struct kdh_expect expect_all_ignores_warning = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = FAIL_ON_DEFAULT,
	.warn_on = 1u << KDH_COMPLAINT_DAZED | 1u << KDH_COMPLAINT_CALL_TRACE,
};
static const struct kdh_expect expect_all_warns_of_call_traces = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = FAIL_ON_DEFAULT,
	.warn_on = 1u << KDH_COMPLAINT_CALL_TRACE,
};
static const struct kdh_expect expect_all_fails_on_dazed = {
	NMI_ALL_VCPUS, .panic_cpu = -1, .fail_on = FAIL_ON_DEFAULT | 1u << KDH_COMPLAINT_DAZED,
	.warn_on = WARN_ON_DEFAULT,
};
static const struct kdh_expect expect_sysrq_on_cpu1_fails_on_warning = {
	SYSRQ_CPU2, .panic_cpu = 1, .fail_on = FAIL_ON_DEFAULT | 1u << KDH_COMPLAINT_WARNING,
	.warn_on = WARN_ON_DEFAULT,
};

/* ---- evidence as data ---- */

/* The one line of a text that starts with FROM becomes the lines TO ("": it is
 * dropped). */
struct line_edit {
	const char *from;
	const char *to;
};

/* One text of a run: a console part or the vmcore's log. */
struct text {
	/* NULL: this file's good one (console_first, console_capture, dmesg_all);
	 * "@NAME": tests/data/NAME, of a console its first kernel's part (up to
	 * the capture agent's hello) or the capture kernel's (from it on);
	 * anything else: the text itself ("": none) */
	const char *base;
	struct line_edit edits[2]; /* in order, then */
	const char *cut;           /* the text ends before the first CUT, then */
	const char *prepend;       /* around it */
	const char *append;
};

/* crash's output (`sys`, `bt -a`). */
struct crash_text {
	const char *base;          /* "@NAME": tests/data/NAME; NULL: crash did not run */
	struct line_edit swaps[3]; /* each FROM, there once anywhere, becomes TO; then */
	int cpu;                   /* the CPU of BACKTRACE or DROP */
	const char *backtrace;     /* CPU's backtrace becomes these lines ("": none) */
	const char *drop;          /* CPU's frames that hold this are dropped */
};

/* What the evidence itself shows before it is judged: that the sample or the
 * edits are what the case says they are. */
enum {
	SHOWS_PANIC_END = 1 << 0,      /* the first kernel's panic ran to its end */
	SHOWS_SETUP_GAVE_UP = 1 << 1,  /* the first kernel's agent said bye, never ready */
	SHOWS_CRASH_UNREAD = 1 << 2,   /* crash could not read the vmcore */
	SHOWS_PANIC_IN_NMI = 1 << 3,   /* the panic's trace starts with <NMI> */
	SHOWS_PANIC_IN_TASK = 1 << 4,  /* ... or not */
	SHOWS_SYSRQ_FROM_CPU2 = 1 << 5,
};

/* A run's evidence, built the way the live run builds it: the console line by
 * line through kdh_analysis_console_feed_line() (its first kernel's part, then its
 * capture kernel's, as the serial console wrote them, "\r\n"), the vmcore's
 * log through kdh_analysis_panic_log_parse(), crash's output through
 * kdh_crash_parse(); then what the run made of it. */
struct evidence {
	/* a whole console from tests/data, fed as kdh_test_evidence_from_samples()
	 * feeds it (line ends stripped) instead of FIRST and CAPTURE; its vmcore's
	 * log in DMESG ("@NAME") or none */
	const char *console;
	struct text first, capture, dmesg;
	gboolean no_vmcore;     /* no vmcore came back: DMESG unused */
	struct crash_text crash;
	guint shows;            /* SHOWS_*: checked before the rest below */
	const int *complaints;  /* how many in the crash path and in the capture
				 * kernel; NULL: not checked */
	const char *missed;     /* the stage whose deadline passed (harness/drive/run.c) */
	gboolean panic_end_unseen; /* as if the console had not shown it */
	gboolean crash_not_run;    /* crash's output read, then crash not run */
	gboolean vmcore_absent;    /* kdh analyze of consoles only */
	const char *setup_failed;
	const char *first_release; /* the first kernel's release, said otherwise */
};

#define PROBE_AFTER(counts) \
	{ "KDH: nmis when=after", "KDH: nmis when=after counts=" counts "\r" }

/* A good run: the texts at the top. */
static const struct evidence ev_good = { 0 };

/* ---- the probe NMI ---- */

/* CPU 1 had NMIs before the probe, but its count did not rise: not reached;
 * nor was CPU 3. */
static const struct evidence ev_probe_missed_1_3 = {
	.first = { .edits = { PROBE_AFTER("1,2,1,0") } },
};
static const struct evidence ev_probe_missed_0_2_3 = {
	.first = { .edits = { PROBE_AFTER("0,3,0,0") } },
};
/* The agent gave up waiting: the counts did not move. */
static const struct evidence ev_probe_missed_all = {
	.first = { .edits = { PROBE_AFTER("0,2,0,0") } },
};
/* Counts for a different number of CPUs prove nothing. */
static const struct evidence ev_probe_counts_short = {
	.first = { .edits = { PROBE_AFTER("1,3,1") } },
};
/* The run went on, but the agent never said what the probe did. */
static const struct evidence ev_probe_unreported = {
	.first = { .edits = { { "KDH: nmis when=after", "" } } },
};
/* The agent is still waiting for the probe: the stall is the finding. */
static const struct evidence ev_probe_stalled = {
	.first = { .edits = { { "KDH: nmis when=after", "" } }, .cut = "KDH: ready" },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.missed = "arm",
};
/* A CPU the probe missed comes before anything after the trigger: the capture
 * kernel's missing device and the deadline are consequences at most. */
static const struct evidence ev_probe_missed_3_then_more = {
	.first = { .edits = { PROBE_AFTER("1,3,1,0") } },
	.capture = { .edits = { { "KDH: device bus=virtio name=virtio1", "" } } },
	.no_vmcore = TRUE,
	.missed = "dump",
};

/* ---- the panicking CPU ---- */

#define SYSRQ_FROM_CPU2 { "KDH: ready", "KDH: ready\r\nKDH: trigger how=sysrq cpu=2\r" }

/* sysrq-c written from CPU 2, yet CPU 1 panicked. */
static const struct evidence ev_sysrq_cpu1_panicked = {
	.first = { .edits = { SYSRQ_FROM_CPU2 } },
	.dmesg = { .base = "[    3.0] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
			   "[    4.0] kdh: armed\n"
			   "[    4.1] sysrq: Trigger a crash\n"
			   "[    4.2] Kernel panic - not syncing: sysrq triggered crash\n"
			   "[    4.3] CPU: 1 PID: 1 Comm: init Kdump: loaded Not tainted "
			   "6.1.0-56-amd64 #1\n" },
};
/* A panic whose CPU the log does not name is not on the expected CPU. */
static const struct evidence ev_sysrq_panic_cpu_unnamed = {
	.first = { .edits = { SYSRQ_FROM_CPU2 } },
	.dmesg = { .base = "[    4.0] kdh: armed\n"
			   "[    4.2] Kernel panic - not syncing: sysrq triggered crash\n" },
};
/* CPU 3 panicked with "NMI: Not continuing" but logged no unknown NMI after
 * the agent armed; its line from the probe does not count. */
static const struct evidence ev_nmi_panic_cpu_without_nmi = {
	.dmesg = { .base =
			   "[    3.039518] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
			   "[    4.111048] kdh: armed\n"
			   "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
			   "[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
			   "[   12.345691] CPU: 3 PID: 0 Comm: swapper/3 Kdump: loaded Not tainted "
			   "6.1.0 #1\n"
			   "[   12.345701] Uhhuh. NMI received for unknown reason 31 on CPU 1.\n" },
};

/* ---- the capture kernel never came, or came wrong ---- */

#define PANIC_END                                                                        \
	"[    4.114142] Kernel panic - not syncing: NMI: Not continuing\r\n"                 \
	"[    4.114142] ---[ end Kernel panic - not syncing: NMI: Not continuing ]---\r\n"

/* Loaded, but the panic ran to its end; the run stopped there, before the
 * kexec stage (harness/drive/run.c). */
static const struct evidence ev_panic_ended = {
	.first = { .append = PANIC_END },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.shows = SHOWS_PANIC_END,
	.missed = "kexec",
};
/* Without the panic's end it is only a deadline. */
static const struct evidence ev_panic_end_unseen = {
	.first = { .append = PANIC_END },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.shows = SHOWS_PANIC_END,
	.missed = "kexec",
	.panic_end_unseen = TRUE,
};
static const struct evidence ev_two_panics = {
	.dmesg = { .base = "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
			   "[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
			   "[   12.345691] CPU: 0 PID: 0 Comm: swapper/0 Kdump: loaded Not tainted "
			   "6.1.0 #1\n"
			   "[   12.345800] Kernel panic - not syncing: Attempted to kill the idle "
			   "task!\n" },
};
static const struct evidence ev_no_panic = {
	.dmesg = { .base = "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
			   "[   12.345679] Dazed and confused, but trying to continue\n" },
};
static const struct evidence ev_wrong_panic = {
	.dmesg = { .base = "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
			   "[   12.345690] Kernel panic - not syncing: sysrq triggered crash\n" },
};
static const struct evidence ev_capture_device_missing = {
	.capture = { .edits = { { "KDH: device bus=virtio name=virtio1", "" } } },
};
static const struct evidence ev_capture_device_unbound = {
	.capture = { .edits = { { "KDH: device bus=virtio name=virtio1",
				  "KDH: device bus=virtio name=virtio1 id=0x0002 driver=-" } } },
};

/* ---- deadlines, and what comes before them ---- */

static const struct evidence ev_no_hello = {
	.first = { .base = "[    0.000000] Linux version 6.1.0-56-amd64 #1 SMP\r\n"
			   "[    2.000000] Kernel panic - not syncing: VFS: Unable to mount root "
			   "fs\r\n" },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.missed = "boot",
};
static const struct evidence ev_hello_then_boot_deadline = {
	.first = { .base = "KDH: hello role=first release=6.1.0 cpus=4\r\n" },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.missed = "boot",
};
/* Everything before the dump was fine: the deadline is the finding, not the
 * missing dump report. */
static const struct evidence ev_dump_deadline = {
	.capture = { .edits = { { "KDH: dump", "" } }, .cut = "KDH: bye" },
	.no_vmcore = TRUE,
	.missed = "dump",
};
/* No capture kernel: its empty inventory must not hide the deadline. */
static const struct evidence ev_kexec_deadline = {
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.missed = "kexec",
};
/* The first kernel could not load the capture kernel, so of course the kexec
 * deadline passed: the verdict names the cause. */
static const struct evidence ev_kexec_failed_then_deadline = {
	.first = { .edits = { { "KDH: kexec", "KDH: kexec status=255 loaded=0\r" } } },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.missed = "kexec",
};
/* The agent stalled before kexec: the load deadline is the finding. */
static const struct evidence ev_kexec_stalled = {
	.first = { .edits = { { "KDH: kexec", "" } }, .cut = "KDH: nmis" },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.missed = "load",
};
/* The run went on without the report: the agent skipped kexec. */
static const struct evidence ev_kexec_unreported = {
	.first = { .edits = { { "KDH: kexec", "" } } },
};
static const struct evidence ev_first_cpus_1 = {
	.first = { .edits = { { "KDH: hello",
				"KDH: hello role=first release=6.1.0-56-amd64 cpus=1\r" } } },
};

/* ---- the agents' own reports ---- */

#define FIRST_AGENT_ERRORS                                                              \
	{ "KDH: ready", "KDH: error what=inventory errno=2\r\n"                               \
			"KDH: error what=mount_9p errno=19\r\n"                               \
			"KDH: ready\r" }
#define CAPTURE_AGENT_ERROR { "KDH: dump", "KDH: error what=dump_disk errno=6\r" }

static const struct evidence ev_first_agent_errors = {
	.first = { .edits = { FIRST_AGENT_ERRORS } },
};
static const struct evidence ev_capture_agent_error = {
	.capture = { .edits = { CAPTURE_AGENT_ERROR } },
};
/* The first kernel's error comes first on the crash path. */
static const struct evidence ev_both_agents_errors = {
	.first = { .edits = { FIRST_AGENT_ERRORS } },
	.capture = { .edits = { CAPTURE_AGENT_ERROR } },
};
static const struct evidence ev_dump_status_1 = {
	.capture = { .edits = { { "KDH: dump", "KDH: dump status=1 bytes=0\r" } } },
};
static const struct evidence ev_dump_empty = {
	.capture = { .edits = { { "KDH: dump", "KDH: dump status=0 bytes=0\r" } } },
};
static const struct evidence ev_dump_unreported = {
	.capture = { .edits = { { "KDH: dump", "" } } },
};
static const struct evidence ev_no_vmcore = {
	.no_vmcore = TRUE,
};

/* ---- real samples: Debian 6.1.0-56-amd64, 4 vCPUs, QEMU 7.2 q35 under TCG ---- */

/* From before the probe: unknown_nmi_panic on the command line, no counts. */
static const struct evidence ev_real_nmi_all = {
	.console = "console-nmi-all.log",
	.dmesg = { .base = "@vmcore-dmesg-nmi-all.txt" },
	.complaints = (const int[]){ 0, 0 },
};
static const struct evidence ev_real_nmi_cpu0 = {
	.console = "console-nmi-cpu0.log",
	.dmesg = { .base = "@vmcore-dmesg-nmi-cpu0.txt" },
};
/* The run stops when no kernel banner follows the NMI; the verdict names the
 * cause, not the deadline. */
static const struct evidence ev_real_no_crashkernel = {
	.console = "console-no-crashkernel.log",
	.no_vmcore = TRUE,
	.missed = "kexec",
};

/* ---- real samples with the probe NMI (tests/data/README.md) ---- */

static const struct evidence ev_real_probe_nmi_all_vcpus = {
	.console = "console-probe-nmi-all-vcpus.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-all-vcpus.txt" },
	/* the good runs complain about nothing */
	.complaints = (const int[]){ 0, 0 },
};
static const struct evidence ev_real_probe_nmi_cpu0 = {
	.console = "console-probe-nmi-cpu0.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-cpu0.txt" },
};
static const struct evidence ev_real_probe_sysrq_cpu2 = {
	.console = "console-probe-sysrq-cpu2.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-sysrq-cpu2.txt" },
	.shows = SHOWS_SYSRQ_FROM_CPU2,
};
/* A run that saw its console end the first kernel's panic: harness/drive/run.c stops
 * there, the kexec stage not reached. */
static const struct evidence ev_real_probe_broken_no_crashkernel = {
	.first = { .base = "@console-probe-broken-no-crashkernel.log" },
	.capture = { .base = "@console-probe-broken-no-crashkernel.log" },
	.no_vmcore = TRUE,
	.shows = SHOWS_PANIC_END,
	.missed = "kexec",
};
/* Had kexec -p claimed success, the panic's end would be the finding. */
static const struct evidence ev_real_probe_broken_kexec_loaded = {
	.first = { .base = "@console-probe-broken-no-crashkernel.log",
		   .edits = { { "KDH: kexec", "KDH: kexec status=0 loaded=1" } } },
	.capture = { .base = "@console-probe-broken-no-crashkernel.log" },
	.no_vmcore = TRUE,
	.shows = SHOWS_PANIC_END,
	.missed = "kexec",
};
/* The capture kernel did not find the virtio disk. */
static const struct evidence ev_real_probe_capture_missing_device = {
	.first = { .base = "@console-probe-nmi-all-vcpus.log" },
	.capture = { .base = "@console-probe-nmi-all-vcpus.log",
		     .edits = { { "KDH: device bus=virtio name=virtio0", "" } } },
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-all-vcpus.txt" },
};
static const struct evidence ev_real_probe_two_panics = {
	.first = { .base = "@console-probe-nmi-all-vcpus.log" },
	.capture = { .base = "@console-probe-nmi-all-vcpus.log" },
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-all-vcpus.txt",
		   .append = "[    5.190000] Kernel panic - not syncing: Attempted to kill the "
			     "idle task!\n" },
};

/* ---- Debian's 6.12 (bookworm-backports): .ko.xz modules, newer messages ---- */

static const struct evidence ev_real_612_nmi_all_vcpus = {
	.console = "console-6.12-nmi-all-vcpus.log",
	.dmesg = { .base = "@vmcore-dmesg-6.12-nmi-all-vcpus.txt" },
};
/* Debian 11's 5.10, given to kdh run as its .deb file: every CPU logs the
 * fatal NMI (no rate limit before 6.8). */
static const struct evidence ev_real_510_nmi_all_vcpus = {
	.console = "console-5.10-nmi-all-vcpus.log",
	.dmesg = { .base = "@vmcore-dmesg-5.10-nmi-all-vcpus.txt" },
};
/* Since 6.8 the "Uhhuh" line is rate-limited: the panicking CPU's may be
 * missing (the sample's CPU 3 line dropped, as it was for other CPUs in other
 * runs); its panic in NMI context ties it to the NMI. */
static const struct evidence ev_real_612_ratelimited_nmi_line = {
	.first = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.capture = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.dmesg = { .base = "@vmcore-dmesg-6.12-nmi-all-vcpus.txt",
		   .edits = { { "[    8.323113] Uhhuh.", "" } } },
	.shows = SHOWS_PANIC_IN_NMI,
};
/* On a 6.1 kernel, whose every CPU logs the line, the same log is a wrong
 * panic CPU. */
static const struct evidence ev_real_612_ratelimited_on_61 = {
	.first = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.capture = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.dmesg = { .base = "@vmcore-dmesg-6.12-nmi-all-vcpus.txt",
		   .edits = { { "[    8.323113] Uhhuh.", "" } } },
	.shows = SHOWS_PANIC_IN_NMI,
	.first_release = "6.1.0-57-amd64",
};
/* Not called in NMI context: nothing ties the panic to the NMI. */
static const struct evidence ev_real_612_ratelimited_in_task = {
	.first = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.capture = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.dmesg = { .base = "@vmcore-dmesg-6.12-nmi-all-vcpus.txt",
		   .edits = { { "[    8.323113] Uhhuh.", "" },
			      { "[    8.324805]  <NMI>", "[    8.324805]  <TASK>" } } },
	.shows = SHOWS_PANIC_IN_TASK,
};
/* A virtio_blk.ko.xz of 6.1 in 6.12's tree: finit_module() says ENOEXEC, the
 * first kernel has no dump disk, and the agent arms nothing. Not testable,
 * never a crash-path failure. */
static const struct evidence ev_real_612_wrong_release_module = {
	.console = "console-6.12-wrong-release-module.log",
	.no_vmcore = TRUE,
	.shows = SHOWS_SETUP_GAVE_UP,
};
/* kexec's own words and the reservation: two breakages, two details. */
static const struct evidence ev_real_612_no_crashkernel = {
	.first = { .base = "@console-6.12-no-crashkernel.log" },
	.capture = { .base = "@console-6.12-no-crashkernel.log" },
	.no_vmcore = TRUE,
	.shows = SHOWS_PANIC_END,
	.missed = "kexec",
};
/* The harness could not build the guest from the kernel (a truncated .ko.xz):
 * no guest ran, and the verdict says why rather than "never booted". */
static const struct evidence ev_setup_failed = {
	.first = { .base = "" },
	.capture = { .base = "" },
	.no_vmcore = TRUE,
	.setup_failed = "module 'kernel/drivers/block/virtio_blk.ko.xz': truncated",
};
/* A module the first kernel loaded that the capture kernel cannot load is the
 * crash path's failure, named before its consequences (no dump disk). */
static const struct evidence ev_capture_module_failed = {
	.first = { .base = "@console-6.12-nmi-all-vcpus.log" },
	.capture = { .base = "@console-6.12-nmi-all-vcpus.log",
		     .edits = { { "KDH: module name=virtio_blk",
				  "KDH: module name=virtio_blk status=error errno=12\n"
				  "KDH: error what=dump_disk errno=19" } } },
	.no_vmcore = TRUE,
};

/* ---- complaints: what the scenario fails on, warns of, or ignores ---- */

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


/* TEXT with its one occurrence of FROM replaced by TO, for the case NAME. */
static char *replace_once(const char *name, const char *text, const char *from, const char *to)
{
	g_auto(GStrv) parts = g_strsplit(text, from, -1);

	ck_assert_msg(g_strv_length(parts) == 2, "%s: '%s' is not there once", name, from);
	return g_strjoinv(to, parts);
}

/* The capture kernel oopsed and so never said hello: the oops is the cause,
 * the missed deadline its consequence. */
static const struct evidence ev_capture_oopsed = {
	.capture = { .base = capture_oops },
	.no_vmcore = TRUE,
	.complaints = (const int[]){ 0, 2 },
	.missed = "capture",
};
#define CAPTURE_BUG                                                                     \
	"[    9.000000] BUG: unable to handle page fault for address: ffffffffc0a01000\n"   \
	"[    9.000001] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1\n"
/* A complaint comes before everything after the trigger: a missing device. */
static const struct evidence ev_capture_bug_and_device_missing = {
	.capture = { .edits = { { "KDH: device bus=virtio name=virtio1", "" } },
		     .append = CAPTURE_BUG },
};
/* ... and after what came before the trigger: the probe NMI that missed CPUs. */
static const struct evidence ev_probe_missed_and_capture_oopsed = {
	.first = { .edits = { PROBE_AFTER("1,2,1,0") } },
	.capture = { .prepend = capture_oops },
};
/* ... and before the vmcore's checks: a wrong panic. */
static const struct evidence ev_capture_oopsed_and_wrong_panic = {
	.capture = { .prepend = capture_oops },
	.dmesg = { .base = "[    4.0] kdh: armed\n"
			   "[    4.2] Kernel panic - not syncing: sysrq triggered crash\n"
			   "[    4.3] CPU: 1 PID: 1 Comm: init Kdump: loaded Not tainted 6.1.0 "
			   "#1\n" },
};
/* The crash path oopsed, yet the capture kernel ran: still a failure. */
static const struct evidence ev_crash_path_bug = {
	.dmesg = { .append = "[   12.400000] BUG: unable to handle page fault for address: "
			     "ffffa16640083ee8\n"
			     "[   12.400001] #PF: supervisor write access in kernel mode\n"
			     "[   12.400002] Oops: 0002 [#2] PREEMPT SMP NOPTI\n"
			     "[   12.400003] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded "
			     "Tainted: G      D 6.1.0 #1\n" },
};
#define COMPLAINTS_BEFORE_ARMED                                                          \
	{ "[    4.111048] kdh: armed",                                                      \
	  "[    4.100000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"  \
	  "[    4.100001] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"                                 \
	  "[    4.100002] CPU: 1 PID: 1 Comm: init Not tainted 6.1.0 #1\n"                    \
	  "[    4.100003] WARNING: CPU: 3 PID: 1 at kernel/smp.c:769 x+0x1/0x2\n"             \
	  "[    4.100004] Dazed and confused, but trying to continue\n"                       \
	  "[    4.111048] kdh: armed" }
/* What the first kernel said before the agent armed is no part of the crash
 * path. */
static const struct evidence ev_complaints_before_marker = {
	.dmesg = { .edits = { COMPLAINTS_BEFORE_ARMED } },
	.complaints = (const int[]){ 0, 0 },
};
/* Without the marker all of it is. */
static const struct evidence ev_complaints_unmarked = {
	.dmesg = { .edits = { COMPLAINTS_BEFORE_ARMED, { "[    4.111048] kdh: armed", "" } } },
};
static const struct evidence ev_crash_path_warning = {
	.dmesg = { .append = crash_path_warning },
	.complaints = (const int[]){ 1, 0 },
};
/* The crash path's first, then the capture kernel's; the rest counted. */
static const struct evidence ev_warnings_in_both = {
	.capture = { .append = "[    9.000000] Uhhuh. NMI received for unknown reason 30 on "
			       "CPU 0.\n"
			       "[    9.000001] Dazed and confused, but trying to continue\n"
			       "[    9.000002] NMI backtrace for cpu 0\n"
			       "[    9.000003] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0 "
			       "#1\n"
			       "[    9.000004] Call Trace:\n" },
	.dmesg = { .append = crash_path_warning },
};
/* The marker is what keeps the probe's survived NMI out of the crash path:
 * without it, "Dazed" is a warning (and the probe's NMI counts as logged). */
static const struct evidence ev_real_probe_nmi_cpu0_unarmed = {
	.first = { .base = "@console-probe-nmi-cpu0.log" },
	.capture = { .base = "@console-probe-nmi-cpu0.log" },
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-cpu0.txt",
		   .edits = { { "[    5.620637] kdh: armed", "" } } },
};

/* ---- crash's reading of the vmcore ---- */

/* The real sysrq-cpu2 run with crash's real output, or an edited copy of it. */
#define REAL_SYSRQ_CPU2                                                                   \
	.console = "console-probe-sysrq-cpu2.log",                                        \
	.dmesg = { .base = "@vmcore-dmesg-probe-sysrq-cpu2.txt" }
#define CRASH_SYSRQ_CPU2 "@crash-sysrq-cpu2.txt"
#define CRASH_CPUS_2 { "CPUS: 4\n", "CPUS: 2\n" }

static const struct evidence ev_real_crash_sysrq = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2 },
};
/* crash's run had CPU 0 panic; so did the nmi-cpu0 run's log. */
static const struct evidence ev_real_crash_nmi_cpu0 = {
	.console = "console-probe-nmi-cpu0.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-cpu0.txt" },
	.crash = { .base = "@crash-nmi-all-vcpus.txt" },
};
/* The nmi-all-vcpus run's log has CPU 1 panic: crash disagrees. */
static const struct evidence ev_real_crash_nmi_log_cpu1 = {
	.console = "console-probe-nmi-all-vcpus.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-all-vcpus.txt" },
	.crash = { .base = "@crash-nmi-all-vcpus.txt" },
};
/* CPU 1 panicked, as in the nmi-all-vcpus run's log; CPU 3 was offline and
 * crash could not read its stack. */
static const struct evidence ev_real_crash_cpu3_offline = {
	.console = "console-probe-nmi-all-vcpus.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-all-vcpus.txt" },
	.crash = { .base = "@crash-cpu3-offline.txt" },
};
/* CPU 3's backtrace without crash_nmi_callback: in an NMI, not the crash
 * shutdown's. */
static const struct evidence ev_crash_cpu3_in_other_nmi = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2, .cpu = 3, .drop = "crash_nmi_callback" },
};
/* CPU 2 idle, as if no NMI had reached it: its frames below the NMI's. */
static const struct evidence ev_crash_cpu2_idle = {
	.console = "console-probe-nmi-cpu0.log",
	.dmesg = { .base = "@vmcore-dmesg-probe-nmi-cpu0.txt" },
	.crash = { .base = "@crash-nmi-all-vcpus.txt", .cpu = 2,
		   .backtrace =
			   "PID: 0        TASK: ffff9df4411a63c0  CPU: 2    COMMAND: \"swapper/2\"\n"
			   " #0 [ffffa1664008bee8] amd_e400_idle at ffffffff9e2353e9\n"
			   " #1 [ffffa1664008bee8] default_idle_call at ffffffff9ef6dcde\n"
			   " #2 [ffffa1664008bef0] do_idle at ffffffff9e2bcfbd\n"
			   " #3 [ffffa1664008bf30] cpu_startup_entry at ffffffff9e2bd221\n"
			   " #4 [ffffa1664008bf40] start_secondary at ffffffff9e25251e\n"
			   " #5 [ffffa1664008bf50] secondary_startup_64_no_verify at "
			   "ffffffff9e200145\n" },
};
static const struct evidence ev_crash_cpu3_unseen = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2, .cpu = 3, .backtrace = "" },
};
/* One in the middle. */
static const struct evidence ev_crash_cpu1_unseen = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2, .cpu = 1, .backtrace = "" },
};
static const struct evidence ev_crash_sees_2_cpus = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2, .swaps = { CRASH_CPUS_2 } },
};
static const struct evidence ev_crash_other_panic = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2,
		   .swaps = { { "sysrq triggered crash\"", "Fatal exception\"" } } },
};
static const struct evidence ev_crash_no_panic = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2,
		   .swaps = { { "\"Kernel panic - not syncing: sysrq triggered crash\"", "" } } },
};
/* The panic task on CPU 0 instead: CPUs 0 and 2 swap their backtraces. */
static const struct evidence ev_crash_panic_task_on_cpu0 = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_SYSRQ_CPU2,
		   .swaps = { { "CPU: 2    COMMAND: \"init\"", "CPU: 9    COMMAND: \"init\"" },
			      { "CPU: 0    COMMAND: \"swapper/0\"",
				"CPU: 2    COMMAND: \"swapper/0\"" },
			      { "CPU: 9    COMMAND: \"init\"", "CPU: 0    COMMAND: \"init\"" } } },
};
#define CRASH_UNREADABLE                                                                 \
	"crash: vmcore: not a supported file format\n"                                   \
	"\n"                                                                             \
	"Usage:\n"                                                                       \
	"\n"                                                                             \
	"  crash [OPTION]... NAMELIST MEMORY-IMAGE[@ADDRESS]\t(dumpfile form)\n"        \
	"  crash [OPTION]... [NAMELIST]             \t(live system form)\n"              \
	"\n"                                                                             \
	"Enter \"crash -h\" for details.\n"
static const struct evidence ev_crash_unreadable = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_UNREADABLE },
	.shows = SHOWS_CRASH_UNREAD,
};
/* crash that never ran (no vmlinux with debug info) is no failure. */
static const struct evidence ev_crash_unreadable_not_run = {
	REAL_SYSRQ_CPU2,
	.crash = { .base = CRASH_UNREADABLE },
	.shows = SHOWS_CRASH_UNREAD,
	.crash_not_run = TRUE,
};
/* A complaint the scenario fails on comes before the log's own findings and
 * crash's. */
static const struct evidence ev_crash_sees_2_cpus_and_warning = {
	.first = { .base = "@console-probe-sysrq-cpu2.log" },
	.capture = { .base = "@console-probe-sysrq-cpu2.log" },
	.dmesg = { .base = "@vmcore-dmesg-probe-sysrq-cpu2.txt",
		   .append = "[    6.000000] WARNING: CPU: 2 PID: 1 at kernel/smp.c:769 "
			     "smp_call_function_single+0x10c/0x120\n" },
	.crash = { .base = CRASH_SYSRQ_CPU2, .swaps = { CRASH_CPUS_2 } },
};
/* kdh analyze of the consoles only: the vmcore's checks are skipped, crash's
 * among them, not failed. */
static const struct evidence ev_vmcore_not_given = {
	.no_vmcore = TRUE,
	.vmcore_absent = TRUE,
};
static const struct evidence ev_vmcore_not_given_crash_disagrees = {
	.no_vmcore = TRUE,
	.vmcore_absent = TRUE,
	.crash = { .base = CRASH_SYSRQ_CPU2, .swaps = { CRASH_CPUS_2 } },
};
/* The consoles' own checks still run, complaints among them. */
static const struct evidence ev_vmcore_not_given_capture_dazed = {
	.capture = { .append = "[    9.000000] Uhhuh. NMI received for unknown reason 30 on "
			       "CPU 0.\n"
			       "[    9.000001] Dazed and confused, but trying to continue\n" },
	.no_vmcore = TRUE,
	.vmcore_absent = TRUE,
};

/* ---- the cases ---- */

/* Evidence EV judged by a scenario that expects X: RESULT, REASON and DETAIL
 * (a leading '*': the detail's end), with the stage of a deadline EV missed,
 * and the exit code of RESULT. */
struct verdict_case {
	const char *name;
	const struct evidence *evidence;
	const struct kdh_expect *expect;
	enum kdh_result result;
	enum kdh_reason reason;
	const char *detail;
};

#define CASE(ev, x, result, reason, detail)                                               \
	{ #ev " judged by " #x, &ev_##ev, &expect_##x, KDH_RESULT_##result,               \
	  KDH_REASON_##reason, detail }

#define SYSRQ_PASS \
	"panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; " \
	"8 devices re-enumerated; vmcore 34.0 MB"
#define CRASH_PASS "; crash: every other CPU stopped by NMI"
#define NO_VMCORE_PASS \
	"probe NMI reached CPUs 0-3; 4 devices re-enumerated; vmcore 24.9 MB " \
	"(not given: its checks were skipped)"
#define NOT_REACHED(stage) \
	"stage '" stage "' not reached (its deadline passed or the guest stopped)"
#define NO_KEXEC_DETAIL "the first kernel ended its panic without starting the capture kernel"
#define CAPTURE_OOPS_BUG \
	"BUG on CPU 0 in the capture kernel: BUG: kernel NULL pointer dereference, " \
	"address: 0000000000000008 (and 1 more)"

static const struct verdict_case cases[] = {
	CASE(good, all, PASS, OK, PASS_DETAIL),
	CASE(good, all_on_cpu0, FAIL, WRONG_PANIC_CPU, "panic on CPU 2, expected CPU 0"),
	CASE(good, all_on_cpu2, PASS, OK, PASS_DETAIL),

	/* the probe NMI */
	CASE(probe_missed_1_3, all, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPUs 1,3"),
	/* only the boot CPU gets LINT1 by default: CPU 0 is enough then */
	CASE(probe_missed_1_3, cpu0, PASS, OK,
	     "panic on CPU 2; probe NMI reached CPUs 0,2; unknown NMI logged on CPUs 0-3; "
	     "4 devices re-enumerated; vmcore 24.9 MB"),
	/* without the probe, its counts are not looked at */
	CASE(probe_missed_1_3, no_probe, PASS, OK,
	     "panic on CPU 2; probe NMI reached CPUs 0,2; unknown NMI logged on CPUs 0-3; "
	     "4 devices re-enumerated; vmcore 24.9 MB"),
	CASE(probe_missed_0_2_3, cpu0, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPU 0"),
	CASE(probe_missed_0_2_3, all, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPUs 0,2-3"),
	CASE(probe_missed_all, cpu0, FAIL, NMI_NOT_DELIVERED, "the probe NMI did not reach CPU 0"),
	CASE(probe_missed_all, all, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPUs 0-3"),
	CASE(probe_counts_short, all, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPUs 0-3"),
	CASE(probe_unreported, all, FAIL, NMI_NOT_DELIVERED,
	     "the first kernel's agent never reported the probe NMI counts"),
	CASE(probe_unreported, no_probe, PASS, OK,
	     "panic on CPU 2; no probe NMI; unknown NMI logged on CPUs 0-3; "
	     "4 devices re-enumerated; vmcore 24.9 MB"),
	CASE(probe_stalled, all, FAIL, DEADLINE, NOT_REACHED("arm")),
	CASE(probe_missed_3_then_more, all, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPU 3"),

	/* the panicking CPU */
	CASE(sysrq_cpu1_panicked, sysrq, FAIL, WRONG_PANIC_CPU, "panic on CPU 1, expected CPU 2"),
	/* no NMI is asked of a sysrq panic */
	CASE(sysrq_cpu1_panicked, sysrq_any_cpu, PASS, OK,
	     "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; "
	     "4 devices re-enumerated; vmcore 24.9 MB"),
	CASE(sysrq_panic_cpu_unnamed, sysrq, FAIL, WRONG_PANIC_CPU, "*, expected CPU 2"),
	CASE(nmi_panic_cpu_without_nmi, all, FAIL, WRONG_PANIC_CPU,
	     "CPU 3 panicked but logged no unknown NMI"),
	CASE(nmi_panic_cpu_without_nmi, no_probe, FAIL, WRONG_PANIC_CPU,
	     "CPU 3 panicked but logged no unknown NMI"),
	/* the expected CPU, yet still without the NMI */
	CASE(nmi_panic_cpu_without_nmi, all_on_cpu3, FAIL, WRONG_PANIC_CPU,
	     "CPU 3 panicked but logged no unknown NMI"),

	/* the capture kernel never came, or came wrong */
	CASE(panic_ended, all, FAIL, NO_KEXEC, NO_KEXEC_DETAIL),
	CASE(panic_ended, sysrq, FAIL, NO_KEXEC, NO_KEXEC_DETAIL),
	CASE(panic_end_unseen, all, FAIL, DEADLINE, NOT_REACHED("kexec")),
	CASE(two_panics, cpu0, FAIL, MULTIPLE_PANICS,
	     "2 panics in the vmcore's log, the first \"NMI: Not continuing\""),
	CASE(no_panic, cpu0, FAIL, NO_PANIC,
	     "no \"Kernel panic - not syncing\" in the vmcore's log"),
	CASE(wrong_panic, cpu0, FAIL, WRONG_PANIC,
	     "panic \"sysrq triggered crash\", expected \"NMI: Not continuing\""),
	CASE(capture_device_missing, all, FAIL, INVENTORY_MISMATCH,
	     "missing virtio virtio1 0x0002 virtio_blk"),
	CASE(capture_device_unbound, all, FAIL, INVENTORY_MISMATCH,
	     "missing virtio virtio1 0x0002 virtio_blk; extra virtio virtio1 0x0002 -"),

	/* deadlines, and what comes before them */
	CASE(no_hello, all, SKIP, NO_BOOT, "the first kernel's agent never said hello"),
	CASE(hello_then_boot_deadline, all, SKIP, NO_BOOT, "deadline for stage 'boot' passed"),
	CASE(dump_deadline, all, FAIL, DEADLINE, NOT_REACHED("dump")),
	CASE(kexec_deadline, all, FAIL, DEADLINE, NOT_REACHED("kexec")),
	CASE(kexec_failed_then_deadline, all, FAIL, KEXEC_NOT_LOADED,
	     "capture kernel not loaded: kexec status 255, kexec_crash_loaded=0"),
	CASE(kexec_stalled, all, FAIL, DEADLINE, NOT_REACHED("load")),
	CASE(kexec_unreported, all, FAIL, KEXEC_NOT_LOADED,
	     "the first kernel's agent never reported kexec"),
	CASE(first_cpus_1, all, FAIL, CPUS_MISMATCH,
	     "the first kernel has 1 of the domain's 4 vCPUs online"),

	/* the agents' own reports */
	CASE(first_agent_errors, all, FAIL, AGENT_ERROR,
	     "the first kernel's agent failed: inventory errno=2, mount_9p errno=19"),
	CASE(capture_agent_error, all, FAIL, AGENT_ERROR,
	     "the capture kernel's agent failed: dump_disk errno=6"),
	CASE(both_agents_errors, all, FAIL, AGENT_ERROR,
	     "the first kernel's agent failed: inventory errno=2, mount_9p errno=19"),
	CASE(dump_status_1, all, FAIL, DUMP_FAILED, "makedumpfile status 1, 0 bytes written"),
	CASE(dump_empty, all, FAIL, DUMP_FAILED, "makedumpfile status 0, 0 bytes written"),
	CASE(dump_unreported, all, FAIL, DUMP_FAILED, "makedumpfile status -2, -1 bytes written"),
	CASE(no_vmcore, all, FAIL, VMCORE_UNREADABLE,
	     "makedumpfile could not read the log out of the vmcore"),

	/* real samples: Debian 6.1.0-56-amd64, 4 vCPUs, QEMU 7.2 q35 under TCG */
	CASE(real_nmi_all, no_probe, PASS, OK,
	     "panic on CPU 2; no probe NMI; unknown NMI logged on CPUs 0-3; "
	     "8 devices re-enumerated; vmcore 26.6 MB"),
	/* a scenario with the probe cannot pass on a run without one */
	CASE(real_nmi_all, all, FAIL, NMI_NOT_DELIVERED,
	     "the first kernel's agent never reported the probe NMI counts"),
	CASE(real_nmi_cpu0, no_probe, PASS, OK,
	     "panic on CPU 0; no probe NMI; unknown NMI logged on CPU 0; "
	     "8 devices re-enumerated; vmcore 34.0 MB"),
	CASE(real_no_crashkernel, no_probe, FAIL, KEXEC_NOT_LOADED,
	     "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0"),
	CASE(real_no_crashkernel, all, FAIL, KEXEC_NOT_LOADED,
	     "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0"),

	/* real samples with the probe NMI */
	CASE(real_probe_nmi_all_vcpus, all, PASS, OK,
	     "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
	     "8 devices re-enumerated; vmcore 33.3 MB"),
	CASE(real_probe_nmi_all_vcpus, cpu0, PASS, OK,
	     "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
	     "8 devices re-enumerated; vmcore 33.3 MB"),
	CASE(real_probe_nmi_cpu0, cpu0, PASS, OK,
	     "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
	     "8 devices re-enumerated; vmcore 34.1 MB"),
	/* the same run judged by a scenario that needs the NMI on every vCPU */
	CASE(real_probe_nmi_cpu0, all, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPUs 1-3"),
	CASE(real_probe_sysrq_cpu2, sysrq, PASS, OK, SYSRQ_PASS),
	CASE(real_probe_sysrq_cpu2, sysrq_on_cpu1, FAIL, WRONG_PANIC_CPU,
	     "panic on CPU 2, expected CPU 1"),
	/* had an NMI been the trigger, CPU 2 would have had to log it: the
	 * probe's lines before the agent armed do not count */
	CASE(real_probe_sysrq_cpu2, sysrq_from_nmi, FAIL, WRONG_PANIC_CPU,
	     "CPU 2 panicked but logged no unknown NMI"),
	/* and an NMI scenario expects a different panic */
	CASE(real_probe_sysrq_cpu2, all, FAIL, WRONG_PANIC,
	     "panic \"sysrq triggered crash\", expected \"NMI: Not continuing\""),
	CASE(real_probe_broken_no_crashkernel, all, FAIL, KEXEC_NOT_LOADED,
	     "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0"),
	CASE(real_probe_broken_kexec_loaded, all, FAIL, NO_KEXEC, NO_KEXEC_DETAIL),
	CASE(real_probe_capture_missing_device, all, FAIL, INVENTORY_MISMATCH,
	     "missing virtio virtio0 0x0002 virtio_blk"),
	CASE(real_probe_two_panics, all, FAIL, MULTIPLE_PANICS,
	     "2 panics in the vmcore's log, the first \"NMI: Not continuing\""),

	/* Debian's 6.12 and 11's 5.10 */
	CASE(real_612_nmi_all_vcpus, all, PASS, OK,
	     "panic on CPU 3; probe NMI reached CPUs 0-3; unknown NMI logged on CPU 3; "
	     "8 devices re-enumerated; vmcore 32.8 MB"),
	CASE(real_510_nmi_all_vcpus, all, PASS, OK,
	     "panic on CPU 2; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
	     "8 devices re-enumerated; vmcore 22.2 MB"),
	CASE(real_612_ratelimited_nmi_line, all, PASS, OK,
	     "panic on CPU 3; probe NMI reached CPUs 0-3; unknown NMI logged on no CPU; "
	     "8 devices re-enumerated; vmcore 32.8 MB"),
	CASE(real_612_ratelimited_on_61, all, FAIL, WRONG_PANIC_CPU,
	     "CPU 3 panicked but logged no unknown NMI"),
	CASE(real_612_ratelimited_in_task, all, FAIL, WRONG_PANIC_CPU,
	     "CPU 3 panicked but logged no unknown NMI"),
	CASE(real_612_wrong_release_module, all, SKIP, SETUP_FAILED,
	     "not testable: the first kernel lacks what the scenario needs (module "
	     "virtio_blk: Exec format error (errno 8), dump_disk kdhdump: No such device "
	     "(errno 19)); nothing was armed"),
	CASE(real_612_no_crashkernel, all, FAIL, KEXEC_NOT_LOADED,
	     "capture kernel not loaded: kexec status 1 (\"Memory for crashkernel is not "
	     "reserved\"), kexec_crash_loaded=0, 0 MiB reserved for it"),
	CASE(setup_failed, all, SKIP, SETUP_FAILED,
	     "not testable: module 'kernel/drivers/block/virtio_blk.ko.xz': truncated"),
	CASE(capture_module_failed, all, FAIL, CAPTURE_MODULE,
	     "the capture kernel could not load virtio_blk, which the first kernel loaded"),

	/* complaints */
	CASE(capture_oopsed, all_levels, FAIL, KERNEL_COMPLAINED, CAPTURE_OOPS_BUG),
	/* Oops alone is enough */
	CASE(capture_oopsed, all_fails_on_oops, FAIL, KERNEL_COMPLAINED,
	     "Oops on CPU 0 in the capture kernel: Oops: 0000 [#1] PREEMPT SMP NOPTI"),
	/* a scenario that fails on neither sees only the deadline */
	CASE(capture_oopsed, all, FAIL, DEADLINE, NOT_REACHED("capture")),
	/* warned of only: the deadline still decides */
	CASE(capture_oopsed, all_warns_of_bugs, FAIL, DEADLINE, NOT_REACHED("capture")),
	CASE(capture_bug_and_device_missing, all_levels, FAIL, KERNEL_COMPLAINED,
	     "BUG on CPU 0 in the capture kernel: BUG: unable to handle page fault for "
	     "address: ffffffffc0a01000"),
	CASE(capture_bug_and_device_missing, all, FAIL, INVENTORY_MISMATCH,
	     "missing virtio virtio1 0x0002 virtio_blk"),
	CASE(probe_missed_and_capture_oopsed, all_levels, FAIL, NMI_NOT_DELIVERED,
	     "the probe NMI did not reach CPUs 1,3"),
	CASE(capture_oopsed_and_wrong_panic, all_levels, FAIL, KERNEL_COMPLAINED, CAPTURE_OOPS_BUG),
	CASE(crash_path_bug, all_levels, FAIL, KERNEL_COMPLAINED,
	     "BUG on CPU 2 in the crash path: BUG: unable to handle page fault for "
	     "address: ffffa16640083ee8 (and 1 more)"),
	CASE(crash_path_bug, all, PASS, OK, PASS_DETAIL),
	CASE(complaints_before_marker, all_levels, PASS, OK, PASS_DETAIL),
	CASE(complaints_unmarked, all_levels, FAIL, KERNEL_COMPLAINED,
	     "BUG on CPU 1 in the crash path: BUG: kernel NULL pointer dereference, "
	     "address: 0000000000000008 (and 1 more)"),
	CASE(crash_path_warning, all_levels, PASS, OK, PASS_DETAIL "; warning: " WARNING_TEXT),
	/* fail-on=WARNING turns the same run into a failure */
	CASE(crash_path_warning, all_fails_on_warning, FAIL, KERNEL_COMPLAINED, WARNING_TEXT),
	/* in both lists: failing wins */
	CASE(crash_path_warning, all_fails_on_warning_too, FAIL, KERNEL_COMPLAINED, WARNING_TEXT),
	/* in neither list: ignored, not even mentioned */
	CASE(crash_path_warning, all_ignores_warning, PASS, OK, PASS_DETAIL),
	CASE(warnings_in_both, all_levels, PASS, OK,
	     PASS_DETAIL "; warning: " WARNING_TEXT " (and 2 more)"),
	/* without the WARNING among them, the capture kernel's come first */
	CASE(warnings_in_both, all_ignores_warning, PASS, OK,
	     PASS_DETAIL "; warning: Dazed and confused on CPU 0 in the capture kernel: "
			 "Dazed and confused, but trying to continue (and 1 more)"),
	CASE(warnings_in_both, all_warns_of_call_traces, PASS, OK,
	     PASS_DETAIL "; warning: Call Trace on CPU 0 in the capture kernel: Call Trace:"),
	/* the good runs complain about nothing, with the default levels too */
	CASE(real_probe_nmi_all_vcpus, all_levels, PASS, OK,
	     "panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on CPUs 0-3; "
	     "8 devices re-enumerated; vmcore 33.3 MB"),
	CASE(real_nmi_all, no_probe_levels, PASS, OK,
	     "panic on CPU 2; no probe NMI; unknown NMI logged on CPUs 0-3; "
	     "8 devices re-enumerated; vmcore 26.6 MB"),
	CASE(real_probe_nmi_cpu0, cpu0_levels, PASS, OK,
	     "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
	     "8 devices re-enumerated; vmcore 34.1 MB"),
	CASE(real_probe_nmi_cpu0_unarmed, cpu0_levels, PASS, OK,
	     "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
	     "8 devices re-enumerated; vmcore 34.1 MB; warning: Dazed and confused on "
	     "CPU 0 in the crash path: Dazed and confused, but trying to continue"),

	/* crash's reading of the vmcore */
	CASE(real_crash_sysrq, sysrq, PASS, OK, SYSRQ_PASS CRASH_PASS),
	/* the probe's "Dazed" lines came before the agent armed: no warning */
	CASE(real_crash_sysrq, sysrq_levels, PASS, OK, SYSRQ_PASS CRASH_PASS),
	CASE(real_crash_nmi_cpu0, cpu0, PASS, OK,
	     "panic on CPU 0; probe NMI reached CPU 0; unknown NMI logged on CPU 0; "
	     "8 devices re-enumerated; vmcore 34.1 MB" CRASH_PASS),
	CASE(real_crash_nmi_log_cpu1, all, FAIL, CRASH_DISAGREES,
	     "crash has the panic task on CPU 0, the log on CPU 1"),
	CASE(real_crash_cpu3_offline, all, FAIL, CPU_NOT_STOPPED,
	     "CPU 3 was not stopped by NMI (crash: running, no backtrace)"),
	CASE(crash_cpu3_in_other_nmi, sysrq, FAIL, CPU_NOT_STOPPED,
	     "CPU 3 was not stopped by NMI (crash: running, innermost frame default_do_nmi)"),
	CASE(crash_cpu2_idle, cpu0, FAIL, CPU_NOT_STOPPED,
	     "CPU 2 was not stopped by NMI (crash: running, innermost frame amd_e400_idle)"),
	CASE(crash_cpu3_unseen, sysrq, FAIL, CPU_NOT_STOPPED,
	     "CPU 3 was not stopped by NMI (crash: unseen, no backtrace)"),
	CASE(crash_cpu1_unseen, sysrq, FAIL, CPU_NOT_STOPPED,
	     "CPU 1 was not stopped by NMI (crash: unseen, no backtrace)"),
	CASE(crash_sees_2_cpus, sysrq, FAIL, CRASH_DISAGREES, "crash sees 2 CPUs, not 4"),
	CASE(crash_other_panic, sysrq, FAIL, CRASH_DISAGREES,
	     "crash's PANIC is \"Kernel panic - not syncing: Fatal exception\", "
	     "not \"sysrq triggered crash\""),
	CASE(crash_no_panic, sysrq, FAIL, CRASH_DISAGREES,
	     "crash's PANIC is \"\", not \"sysrq triggered crash\""),
	CASE(crash_panic_task_on_cpu0, sysrq, FAIL, CRASH_DISAGREES,
	     "crash has the panic task on CPU 0, the log on CPU 2"),
	CASE(crash_unreadable, sysrq, FAIL, CRASH_UNREADABLE,
	     "crash could not read the vmcore (see crash.txt)"),
	CASE(crash_unreadable_not_run, sysrq, PASS, OK, SYSRQ_PASS),
	/* the log's own findings come first, crash's second */
	CASE(crash_sees_2_cpus, sysrq_on_cpu1, FAIL, WRONG_PANIC_CPU,
	     "panic on CPU 2, expected CPU 1"),
	CASE(crash_sees_2_cpus_and_warning, sysrq_on_cpu1_levels, FAIL, WRONG_PANIC_CPU,
	     "panic on CPU 2, expected CPU 1"),
	CASE(crash_sees_2_cpus_and_warning, sysrq_on_cpu1_fails_on_warning, FAIL,
	     KERNEL_COMPLAINED,
	     "WARNING on CPU 2 in the crash path: WARNING: CPU: 2 PID: 1 at "
	     "kernel/smp.c:769 smp_call_function_single+0x10c/0x120"),
	CASE(vmcore_not_given, all, PASS, OK, NO_VMCORE_PASS),
	CASE(vmcore_not_given_crash_disagrees, all, PASS, OK, NO_VMCORE_PASS),
	CASE(vmcore_not_given_capture_dazed, all_levels, PASS, OK,
	     NO_VMCORE_PASS "; warning: Dazed and confused on CPU 0 in the capture kernel: "
			    "Dazed and confused, but trying to continue"),
	CASE(vmcore_not_given_capture_dazed, all_fails_on_dazed, FAIL, KERNEL_COMPLAINED,
	     "Dazed and confused on CPU 0 in the capture kernel: Dazed and confused, but "
	     "trying to continue"),
	/* without the flag, no vmcore is a failure */
	CASE(no_vmcore, all, FAIL, VMCORE_UNREADABLE,
	     "makedumpfile could not read the log out of the vmcore"),
};

/* ---- one body for them all ---- */

enum part { WHOLE, FIRST_KERNEL, CAPTURE_KERNEL };

/* T's text; GOOD when its base is NULL, PART of a sample's console. NAME: the
 * case's, for a failure's message. */
static char *text_of(const char *name, const struct text *t, const char *good, enum part part)
{
	g_autofree char *s = NULL;

	if (!t->base) {
		s = g_strdup(good);
	} else if (t->base[0] == '@') {
		g_autofree char *whole = kdh_test_read_sample(t->base + 1);
		const char *hello = part != WHOLE ? strstr(whole, "KDH: hello role=capture") : NULL;

		if (part == FIRST_KERNEL && hello)
			s = g_strndup(whole, hello - whole);
		else if (part == CAPTURE_KERNEL)
			s = g_strdup(hello ? hello : "");
		else
			s = g_steal_pointer(&whole);
	} else {
		s = g_strdup(t->base);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(t->edits) && t->edits[i].from; i++) {
		char *edited = edit(name, s, t->edits[i].from, t->edits[i].to);

		g_free(s);
		s = edited;
	}
	if (t->cut) {
		char *at = strstr(s, t->cut);

		ck_assert_msg(at, "%s: no '%s' to cut the text at", name, t->cut);
		*at = '\0';
	}
	return g_strconcat(t->prepend ? t->prepend : "", s, t->append ? t->append : "", NULL);
}

static char *crash_of(const char *name, const struct crash_text *c)
{
	char *s = c->base[0] == '@' ? kdh_test_read_sample(c->base + 1) : g_strdup(c->base);

	for (gsize i = 0; i < G_N_ELEMENTS(c->swaps) && c->swaps[i].from; i++) {
		char *swapped = replace_once(name, s, c->swaps[i].from, c->swaps[i].to);

		g_free(s);
		s = swapped;
	}
	if (c->backtrace) {
		char *replaced = kdh_test_replace_backtrace(s, c->cpu, c->backtrace);

		g_free(s);
		s = replaced;
	}
	if (c->drop) {
		char *dropped = kdh_test_drop_frames(s, c->cpu, c->drop);

		g_free(s);
		s = dropped;
	}
	return s;
}

/* E (initialised here) as EV says, for the case NAME. */
static void evidence_build(struct kdh_evidence *e, const struct evidence *ev, const char *name)
{
	kdh_evidence_init(e);
	if (ev->console) {
		g_autofree char *console = kdh_test_read_sample(ev->console);

		ck_assert_msg(ev->no_vmcore || ev->dmesg.base, "%s: a sample's console, whose "
			      "vmcore log?", name);
		kdh_test_feed_console(e, console);
	} else {
		g_autofree char *first = text_of(name, &ev->first, console_first, FIRST_KERNEL);
		g_autofree char *capture = text_of(name, &ev->capture, console_capture,
						   CAPTURE_KERNEL);
		g_autofree char *console = g_strconcat(first, capture, NULL);

		kdh_test_feed_console_raw(e, console);
	}
	if (!ev->no_vmcore) {
		g_autofree char *dmesg = text_of(name, &ev->dmesg, dmesg_all, WHOLE);

		kdh_analysis_panic_log_parse(&e->vmcore_log, dmesg);
		e->vmcore_read = TRUE;
	}
	if (ev->crash.base) {
		g_autofree char *output = crash_of(name, &ev->crash);

		e->crash.ran = TRUE;
		kdh_crash_parse(&e->crash, output);
	}

	if (ev->shows & SHOWS_PANIC_END)
		ck_assert_msg(e->panic_without_kexec, "%s: no panic's end on the console", name);
	if (ev->shows & SHOWS_SETUP_GAVE_UP)
		ck_assert_msg(e->first.bye && !e->first.ready,
			      "%s: the first kernel's agent did not give up", name);
	if (ev->shows & SHOWS_CRASH_UNREAD)
		ck_assert_msg(!e->crash.read, "%s: crash read the vmcore", name);
	if (ev->shows & (SHOWS_PANIC_IN_NMI | SHOWS_PANIC_IN_TASK))
		ck_assert_msg(e->vmcore_log.panic_context == !!(ev->shows & SHOWS_PANIC_IN_NMI),
			      "%s: the panic's context is %d", name, e->vmcore_log.panic_context);
	if (ev->shows & SHOWS_SYSRQ_FROM_CPU2)
		ck_assert_msg(e->first.trigger_cpu == 2, "%s: sysrq from CPU %d", name,
			      e->first.trigger_cpu);
	if (ev->complaints) {
		ck_assert_msg((int)e->vmcore_log.complaints->len == ev->complaints[0],
			      "%s: %u complaints in the crash path, not %d", name,
			      e->vmcore_log.complaints->len, ev->complaints[0]);
		ck_assert_msg((int)e->capture_complaints->len == ev->complaints[1],
			      "%s: %u complaints in the capture kernel, not %d", name,
			      e->capture_complaints->len, ev->complaints[1]);
	}

	if (ev->missed) {
		int stage = kdh_stage_from_name(ev->missed);

		ck_assert_msg(stage >= 0, "%s: no stage '%s'", name, ev->missed);
		e->deadline_missed = stage;
	}
	if (ev->panic_end_unseen)
		g_clear_pointer(&e->panic_without_kexec, g_free);
	if (ev->crash_not_run)
		e->crash.ran = FALSE;
	e->vmcore_absent = ev->vmcore_absent;
	if (ev->setup_failed)
		e->setup_failed = g_strdup(ev->setup_failed);
	if (ev->first_release) {
		g_free(e->first.release);
		e->first.release = g_strdup(ev->first_release);
	}
}

START_TEST(test_verdict_case)
{
	const struct verdict_case *c = &cases[_i];
	/* a deadline's verdict names its stage; any other, none */
	int stage = c->reason == KDH_REASON_DEADLINE ? kdh_stage_from_name(c->evidence->missed)
						     : KDH_STAGE__COUNT;
	int exit = c->result == KDH_RESULT_PASS ? 0 : c->result == KDH_RESULT_FAIL ? 1 : 125;
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	evidence_build(&e, c->evidence, c->name);
	kdh_verdict_decide(&v, c->expect, &e);
	ck_assert_msg(v.reason == c->reason, "%s: reason %s, expected %s", c->name,
		      kdh_reason_name(v.reason), kdh_reason_name(c->reason));
	ck_assert_msg(v.result == c->result, "%s: result %s, expected %s", c->name,
		      kdh_result_name(v.result), kdh_result_name(c->result));
	if (c->detail[0] == '*')
		ck_assert_msg(g_str_has_suffix(v.detail, c->detail + 1),
			      "%s: detail \"%s\", expected one ending \"%s\"", c->name, v.detail,
			      c->detail + 1);
	else
		ck_assert_msg(g_str_equal(v.detail, c->detail),
			      "%s: detail \"%s\", expected \"%s\"", c->name, v.detail, c->detail);
	ck_assert_msg((int)v.stage == stage, "%s: stage %s, expected %s", c->name,
		      kdh_stage_name(v.stage), kdh_stage_name(stage));
	ck_assert_msg(kdh_verdict_exit_code(&v) == exit, "%s: exit code %d, expected %d",
		      c->name, kdh_verdict_exit_code(&v), exit);
	kdh_verdict_clear(&v);
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

	tc = tcase_create("cases");
	tcase_add_loop_test(tc, test_verdict_case, 0, G_N_ELEMENTS(cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(verdict_suite());
}

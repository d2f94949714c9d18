/* Unit tests of harness/evidence/klog.c: the printk formats of Linux 6.1 (and the
 * dump_stack() header of 6.10 and later) that the harness relies on. */
#include <check.h>

#include "kdh-klog.h"
#include "kdh-test.h"

START_TEST(test_text_past_timestamp)
{
	static const char line[] = "[    3.040453] Uhhuh. NMI received for unknown reason 21 on CPU 0.";

	ck_assert_str_eq(kdh_klog_text(line), "Uhhuh. NMI received for unknown reason 21 on CPU 0.");
	/* A pointer into the line itself, not a copy. */
	ck_assert_ptr_eq(kdh_klog_text(line), line + 15);
	ck_assert_str_eq(kdh_klog_text("[12345.678901] kdh: armed"), "kdh: armed");
	/* No blank after the stamp, or no fraction: still a stamp. */
	ck_assert_str_eq(kdh_klog_text("[1.2]Call Trace:"), "Call Trace:");
	ck_assert_str_eq(kdh_klog_text("[   12] Oops: 0000 [#1] PREEMPT SMP NOPTI"),
			 "Oops: 0000 [#1] PREEMPT SMP NOPTI");
	/* Only one blank is the separator: the message's own indent stays. */
	ck_assert_str_eq(kdh_klog_text("[    5.175099]  <NMI>"), " <NMI>");
	/* A stamp with nothing after it is an empty message. */
	ck_assert_str_eq(kdh_klog_text("[    5.175099] "), "");
	ck_assert_str_eq(kdh_klog_text("[    5.175099]"), "");
}
END_TEST

START_TEST(test_text_without_timestamp)
{
	static const char *const lines[] = {
		"Kernel panic - not syncing: NMI: Not continuing",
		"",
		"[",
		"[]",
		"[ ] x",
		"[    ] x",
		"[abc] x",
		"[ 1.0 x",
		"[ 1.0x] x",
		/* the register dump and the crash utility's frames are not stamps */
		"[exception RIP: amd_e400_idle+57]",
		" #0 [fffffe000000dd10] machine_kexec at ffffffff9e25ae00",
		/* /dev/kmsg's level prefix is not makedumpfile's format */
		"<4>[    1.0] WARNING: CPU: 0 PID: 1 at x",
		" [    1.0] indented",
		/* the lines after the first of a multi-line record (the real logs have one) */
		"               If you want to keep using the local clock, then add:",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(lines); i++)
		ck_assert_msg(kdh_klog_text(lines[i]) == lines[i], "'%s' became '%s'", lines[i],
			      kdh_klog_text(lines[i]));
}
END_TEST

START_TEST(test_dump_stack_cpu)
{
	int cpu = -7;

	/* lib/dump_stack.c of 6.1: "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s" */
	ck_assert(kdh_klog_dump_stack_cpu("CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted "
					  "6.1.0-56-amd64 #1  Debian 6.1.192-2", &cpu));
	ck_assert_int_eq(cpu, 2);
	ck_assert(kdh_klog_dump_stack_cpu("CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0 #1", &cpu));
	ck_assert_int_eq(cpu, 0);
	ck_assert(kdh_klog_dump_stack_cpu("CPU: 63 PID: 1 Comm: init Not tainted 6.1.0 #1", &cpu));
	ck_assert_int_eq(cpu, 63);
	/* 6.10 and later: "CPU: %d UID: %u PID: %d Comm: ..." */
	ck_assert(kdh_klog_dump_stack_cpu("CPU: 3 UID: 0 PID: 1 Comm: init Not tainted 6.12.0 #1", &cpu));
	ck_assert_int_eq(cpu, 3);
	ck_assert(kdh_klog_dump_stack_cpu("CPU: 1 PID: 77 Comm: kworker/1:1 Tainted: G        W "
					  "6.1.0 #1", &cpu));
	ck_assert_int_eq(cpu, 1);
}
END_TEST

START_TEST(test_dump_stack_cpu_rejects)
{
	static const char *const texts[] = {
		/* __warn() names the CPU too, but it is no header: the line starts otherwise */
		"WARNING: CPU: 0 PID: 0 at kernel/smp.c:769 smp_call_function_single+0x1/0x2",
		"[    5.175099] CPU: 1 PID: 0 Comm: swapper/1", /* the caller strips the stamp */
		" CPU: 1 PID: 0 Comm: swapper/1",
		"CPU: -1 PID: 0 Comm: swapper/1",
		"CPU:  1 PID: 0 Comm: swapper/1",
		"CPU: 1  PID: 0 Comm: swapper/1",
		"CPU: 1 PID:0 Comm: swapper/1",
		"CPU: 1 TID: 0 Comm: swapper/1",
		"CPU: 1",
		"CPU: 1 ",
		"CPU: PID: 0",
		"CPU: x PID: 0",
		"CPU: a PID: 0", /* a hex digit, but CPUs are counted in decimal */
		"CPU: 0x1 PID: 0",
		"CPU: 1.5 PID: 0",
		"CPU: 4294967296 PID: 0",
		"CPU: 2147483648 PID: 0",
		/* the crash utility's bt header names a CPU, but not so */
		"PID: 0        TASK: ffffffff9fa14a40  CPU: 0    COMMAND: \"swapper/0\"",
		"cpu: 1 PID: 0",
		"",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
		int cpu = -7;

		ck_assert_msg(!kdh_klog_dump_stack_cpu(texts[i], &cpu), "'%s' read as CPU %d",
			      texts[i], cpu);
	}
}
END_TEST

START_TEST(test_dump_stack_cpu_limits)
{
	int cpu = -7;

	ck_assert(kdh_klog_dump_stack_cpu("CPU: 2147483647 PID: 1", &cpu));
	ck_assert_int_eq(cpu, G_MAXINT);
	ck_assert(kdh_klog_dump_stack_cpu("CPU: 007 PID: 1", &cpu));
	ck_assert_int_eq(cpu, 7);
}
END_TEST

START_TEST(test_unknown_nmi_cpu)
{
	int cpu = -7;

	/* arch/x86/kernel/nmi.c unknown_nmi_error(): "... reason %02x on CPU %d." */
	ck_assert(kdh_klog_unknown_nmi_cpu("Uhhuh. NMI received for unknown reason 21 on CPU 0.", &cpu));
	ck_assert_int_eq(cpu, 0);
	ck_assert(kdh_klog_unknown_nmi_cpu("Uhhuh. NMI received for unknown reason 31 on CPU 3.", &cpu));
	ck_assert_int_eq(cpu, 3);
	/* The reason is hex, the CPU decimal. */
	ck_assert(kdh_klog_unknown_nmi_cpu("Uhhuh. NMI received for unknown reason 3d on CPU 12.", &cpu));
	ck_assert_int_eq(cpu, 12);
	ck_assert(kdh_klog_unknown_nmi_cpu("Uhhuh. NMI received for unknown reason ff on CPU 1.\r", &cpu));
	ck_assert_int_eq(cpu, 1);
	ck_assert(kdh_klog_unknown_nmi_cpu("Uhhuh. NMI received for unknown reason 00 on CPU 7", &cpu));
	ck_assert_int_eq(cpu, 7);
}
END_TEST

START_TEST(test_unknown_nmi_cpu_rejects)
{
	static const char *const texts[] = {
		"Uhhuh. NMI received for unknown reason zz on CPU 1.",
		"Uhhuh. NMI received for unknown reason 21 on CPU -1.",
		"Uhhuh. NMI received for unknown reason 21 on CPU .",
		"Uhhuh. NMI received for unknown reason 21 on CPU x.",
		"Uhhuh. NMI received for unknown reason  21 on CPU 1.",
		"Uhhuh. NMI received for unknown reason 21 on cpu 1.",
		"Uhhuh. NMI received for unknown reason 21 on CPU 4294967296.",
		"Uhhuh. NMI received for unknown reason on CPU 1.",
		"[    3.040453] Uhhuh. NMI received for unknown reason 21 on CPU 0.",
		"NMI received for unknown reason 21 on CPU 0.",
		/* the lines around it in the same handler */
		"Dazed and confused, but trying to continue",
		"Do you have a strange power saving mode enabled?",
		"NMI: PCI system error (SERR) for reason a1 on CPU 0.",
		"",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
		int cpu = -7;

		ck_assert_msg(!kdh_klog_unknown_nmi_cpu(texts[i], &cpu), "'%s' read as CPU %d",
			      texts[i], cpu);
	}
}
END_TEST

/* ---- the saved real logs ---- */

/* The CPUs of NAME's unknown-NMI lines and of its dump_stack() headers, in
 * order, as "1,2" text. */
static void scan_sample(const char *name, char **ret_nmis, char **ret_headers)
{
	g_autofree char *text = kdh_test_read_sample(name);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *nmis = g_string_new(NULL);
	GString *headers = g_string_new(NULL);

	for (char **l = lines; *l; l++) {
		const char *t = kdh_klog_text(*l);
		int cpu;

		if (kdh_klog_unknown_nmi_cpu(t, &cpu))
			g_string_append_printf(nmis, "%s%d", nmis->len ? "," : "", cpu);
		if (kdh_klog_dump_stack_cpu(t, &cpu))
			g_string_append_printf(headers, "%s%d", headers->len ? "," : "", cpu);
	}
	*ret_nmis = g_string_free(nmis, FALSE);
	*ret_headers = g_string_free(headers, FALSE);
}

START_TEST(test_real_vmcore_logs)
{
	static const struct {
		const char *name, *nmis, *headers;
	} samples[] = {
		/* the probe's NMIs, then the fatal one's: every CPU logs both */
		{ "vmcore-dmesg-probe-nmi-all-vcpus.txt", "0,1,3,2,2,1,3,0", "1" },
		{ "vmcore-dmesg-probe-nmi-cpu0.txt", "0,0", "0" },
		/* the probe's only: sysrq panics CPU 2 without an NMI */
		{ "vmcore-dmesg-probe-sysrq-cpu2.txt", "1,2,3,0", "2" },
		/* before the probe: one NMI, unknown_nmi_panic on the command line */
		{ "vmcore-dmesg-nmi-all.txt", "2,0,1,3", "2" },
		{ "vmcore-dmesg-nmi-cpu0.txt", "0", "0" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree char *nmis = NULL;
		g_autofree char *headers = NULL;

		scan_sample(samples[i].name, &nmis, &headers);
		ck_assert_msg(g_str_equal(nmis, samples[i].nmis), "%s: NMIs on %s, expected %s",
			      samples[i].name, nmis, samples[i].nmis);
		ck_assert_msg(g_str_equal(headers, samples[i].headers),
			      "%s: headers of CPUs %s, expected %s", samples[i].name, headers,
			      samples[i].headers);
	}
}
END_TEST

static Suite *klog_suite(void)
{
	Suite *s = suite_create("klog");
	TCase *tc;

	tc = tcase_create("text");
	tcase_add_test(tc, test_text_past_timestamp);
	tcase_add_test(tc, test_text_without_timestamp);
	suite_add_tcase(s, tc);

	tc = tcase_create("dump-stack");
	tcase_add_test(tc, test_dump_stack_cpu);
	tcase_add_test(tc, test_dump_stack_cpu_rejects);
	tcase_add_test(tc, test_dump_stack_cpu_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("unknown-nmi");
	tcase_add_test(tc, test_unknown_nmi_cpu);
	tcase_add_test(tc, test_unknown_nmi_cpu_rejects);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-samples");
	tcase_add_test(tc, test_real_vmcore_logs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(klog_suite());
}

/* Unit tests of harness/evidence/complaints.c: what a kernel complains about, with the
 * CPU that printed it. Logs are in the exact formats of Linux 6.1:
 * kernel/panic.c __warn(), arch/x86/mm/fault.c page_fault_oops(),
 * arch/x86/kernel/dumpstack.c __die_header(), lib/dump_stack.c, and
 * arch/x86/kernel/nmi.c unknown_nmi_error(); and the saved real logs. */
#include <string.h>

#include <check.h>

#include "kdh-complaints.h"
#include "kdh-protocol.h"
#include "kdh-test.h"

/* Scans TEXT line by line as WHERE; returns the complaints. */
static GPtrArray *scan(const char *where, const char *text)
{
	GPtrArray *complaints = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_complaint_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	struct kdh_complaint_scan s;

	kdh_complaint_scan_init(&s, where);
	for (char **l = lines; *l; l++)
		kdh_complaint_scan_line(&s, *l, complaints);
	kdh_complaint_scan_clear(&s);
	return complaints;
}

/* The complaints as text, one "kind cpu: line" per complaint and "|" between
 * them, so that a failed check shows all of them. */
static char *complaints_text(GPtrArray *complaints)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < complaints->len; i++) {
		const struct kdh_complaint *c = complaints->pdata[i];

		g_string_append_printf(out, "%s%s %d: %s", i ? "|" : "",
				       kdh_complaint_kind_name(c->kind), c->cpu, c->line);
	}
	return g_string_free(out, FALSE);
}

static void assert_scan(const char *text, const char *expected)
{
	g_autoptr(GPtrArray) complaints = scan("crash path", text);
	g_autofree char *got = complaints_text(complaints);

	ck_assert_str_eq(got, expected);
}

/* ---- names ---- */

START_TEST(test_kind_names)
{
	static const char *const names[] = { "WARNING", "BUG", "Oops", "Call Trace",
					     "Dazed and confused" };

	G_STATIC_ASSERT(G_N_ELEMENTS(names) == KDH_COMPLAINT__COUNT);
	for (int k = 0; k < KDH_COMPLAINT__COUNT; k++) {
		ck_assert_str_eq(kdh_complaint_kind_name(k), names[k]);
		ck_assert_int_eq(kdh_complaint_kind_from_name(names[k]), k);
	}
	ck_assert_ptr_null(kdh_complaint_kind_name(KDH_COMPLAINT__COUNT));
	ck_assert_ptr_null(kdh_complaint_kind_name((enum kdh_complaint_kind)-1));
	/* Scenario files spell them exactly so. */
	ck_assert_int_eq(kdh_complaint_kind_from_name("oops"), -1);
	ck_assert_int_eq(kdh_complaint_kind_from_name("Warning"), -1);
	ck_assert_int_eq(kdh_complaint_kind_from_name("Call"), -1);
	ck_assert_int_eq(kdh_complaint_kind_from_name("Dazed"), -1);
	ck_assert_int_eq(kdh_complaint_kind_from_name(" BUG"), -1);
	ck_assert_int_eq(kdh_complaint_kind_from_name(""), -1);
	ck_assert_int_eq(kdh_complaint_kind_from_name(NULL), -1);
	kdh_complaint_free(NULL);
}
END_TEST

START_TEST(test_scan_init)
{
	struct kdh_complaint_scan s;

	memset(&s, 0xa5, sizeof(s));
	kdh_complaint_scan_init(&s, "capture kernel");
	ck_assert_str_eq(s.where, "capture kernel");
	ck_assert_int_eq(s.event, -1);
	ck_assert_uint_eq(s.nmi_pending->len, 0);
	ck_assert_int_eq(s.header_cpu, -1);
	ck_assert_int_eq(s.awaiting_from, -1);
	kdh_complaint_scan_clear(&s);
	ck_assert_ptr_null(s.nmi_pending);
}
END_TEST

/* ---- one complaint at a time ---- */

/* __warn() of 6.1 with the registers of report_bug(): the CPU is on the line
 * itself, and the header, the registers and the trace that follow are its own. */
static const char warning_log[] =
	"[   12.345700] ------------[ cut here ]------------\n"
	"[   12.345701] WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
	"smp_call_function_single+0x10c/0x120\n"
	"[   12.345702] Modules linked in: hv_vmbus hv_balloon\n"
	"[   12.345703] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0-56-amd64 #1  "
	"Debian 6.1.192-2\n"
	"[   12.345704] Hardware name: Microsoft Corporation Virtual Machine/Virtual Machine, BIOS "
	"Hyper-V UEFI Release v4.1 04/06/2022\n"
	"[   12.345705] RIP: 0010:smp_call_function_single+0x10c/0x120\n"
	"[   12.345706] RSP: 0018:fffffe000004fd60 EFLAGS: 00010046\n"
	"[   12.345707] Call Trace:\n"
	"[   12.345708]  <NMI>\n"
	"[   12.345709]  hv_synic_disable_regs+0x2a/0x60 [hv_vmbus]\n"
	"[   12.345710]  hv_crash_handler+0x3b/0x60 [hv_vmbus]\n"
	"[   12.345711]  native_machine_crash_shutdown+0x2b/0x80\n"
	"[   12.345712]  __crash_kexec+0x8a/0x110\n"
	"[   12.345713]  panic+0x11d/0x2f4\n"
	"[   12.345714]  </NMI>\n"
	"[   12.345715] ---[ end trace 0000000000000000 ]---\n";

START_TEST(test_warning)
{
	g_autoptr(GPtrArray) complaints = scan("crash path", warning_log);
	const struct kdh_complaint *c;

	ck_assert_uint_eq(complaints->len, 1);
	c = complaints->pdata[0];
	ck_assert_int_eq(c->kind, KDH_COMPLAINT_WARNING);
	ck_assert_int_eq(c->cpu, 2);
	ck_assert_str_eq(c->where, "crash path");
	/* The message text, without printk's stamp. */
	ck_assert_str_eq(c->line, "WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
				  "smp_call_function_single+0x10c/0x120");
}
END_TEST

START_TEST(test_warning_cpu_from_line)
{
	/* The line's CPU wins over the header of an earlier trace. */
	assert_scan("CPU: 3 PID: 1 Comm: init Not tainted 6.1.0 #1\n"
		    "WARNING: CPU: 1 PID: 0 at kernel/smp.c:769 smp_call_function_single+0x10c/0x120\n"
		    "Modules linked in:\n"
		    "CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1\n"
		    "Call Trace:\n"
		    " <TASK>\n"
		    " </TASK>\n"
		    "---[ end trace 0000000000000000 ]---\n",
		    "WARNING 1: WARNING: CPU: 1 PID: 0 at kernel/smp.c:769 "
		    "smp_call_function_single+0x10c/0x120");
	/* A log that ends right after the line: the CPU is still known. */
	assert_scan("[   12.345701] WARNING: CPU: 3 PID: 0 at kernel/smp.c:769 "
		    "smp_call_function_single+0x10c/0x120\n",
		    "WARNING 3: WARNING: CPU: 3 PID: 0 at kernel/smp.c:769 "
		    "smp_call_function_single+0x10c/0x120");
	/* Lockdep's "WARNING: possible circular locking dependency detected" names
	 * no CPU on its line: the header after it does. */
	assert_scan("[    8.000000] WARNING: possible circular locking dependency detected\n"
		    "[    8.000001] 6.1.0 #1 Not tainted\n"
		    "[    8.000002] CPU: 3 PID: 1 Comm: init Not tainted 6.1.0 #1\n"
		    "[    8.000003] Call Trace:\n",
		    "WARNING 3: WARNING: possible circular locking dependency detected");
}
END_TEST

/* arch/x86/mm/fault.c page_fault_oops() of 6.1, in a capture kernel: the public
 * RHEL 9 report of a kdump kernel crashing in hv_vmbus. */
static const char null_deref_log[] =
	"[    1.937017] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
	"[    1.937502] #PF: supervisor read access in kernel mode\n"
	"[    1.937826] #PF: error_code(0x0000) - not-present page\n"
	"[    1.938150] PGD 0 P4D 0 \n"
	"[    1.938318] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
	"[    1.938594] CPU: 0 PID: 62 Comm: kworker/0:2 Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2\n"
	"[    1.939119] Hardware name: Microsoft Corporation Virtual Machine/Virtual Machine, BIOS "
	"Hyper-V UEFI Release v4.1 04/06/2022\n"
	"[    1.939800] Workqueue: hv_pri_chan vmbus_onmessage_work [hv_vmbus]\n"
	"[    1.940190] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]\n"
	"[    1.940530] Code: 0f 1f 44 00 00 48 8b 05 f4 5e 00 00 89 ff 48 8b 40 48 <48> 8b 04 f8 c3\n"
	"[    1.941470] RSP: 0018:ffffb4c6c0193e08 EFLAGS: 00010246\n"
	"[    1.941802] RAX: 0000000000000000 RBX: ffff9a4b41b2e000 RCX: 0000000000000000\n"
	"[    1.942230] Call Trace:\n"
	"[    1.942390]  <TASK>\n"
	"[    1.942534]  vmbus_onoffer_rescind+0x1d/0x140 [hv_vmbus]\n"
	"[    1.942870]  vmbus_onmessage_work+0x2c/0x40 [hv_vmbus]\n"
	"[    1.943200]  process_one_work+0x1c7/0x380\n"
	"[    1.943460]  worker_thread+0x4d/0x380\n"
	"[    1.943700]  kthread+0xd7/0x100\n"
	"[    1.943910]  ret_from_fork+0x1f/0x30\n"
	"[    1.944120]  </TASK>\n"
	"[    1.944260] Modules linked in: hv_vmbus\n"
	"[    1.944500] CR2: 0000000000000008\n"
	"[    1.944710] ---[ end trace 0000000000000000 ]---\n"
	"[    1.945000] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]\n";

START_TEST(test_bug_and_oops)
{
	g_autoptr(GPtrArray) complaints = scan("capture kernel", null_deref_log);
	const struct kdh_complaint *bug, *oops;

	/* Two complaints, both about the CPU of the header that follows both; the
	 * trace is theirs. */
	ck_assert_uint_eq(complaints->len, 2);
	bug = complaints->pdata[0];
	oops = complaints->pdata[1];
	ck_assert_int_eq(bug->kind, KDH_COMPLAINT_BUG);
	ck_assert_int_eq(bug->cpu, 0);
	ck_assert_str_eq(bug->where, "capture kernel");
	ck_assert_str_eq(bug->line, "BUG: kernel NULL pointer dereference, address: 0000000000000008");
	ck_assert_int_eq(oops->kind, KDH_COMPLAINT_OOPS);
	ck_assert_int_eq(oops->cpu, 0);
	ck_assert_str_eq(oops->where, "capture kernel");
	ck_assert_str_eq(oops->line, "Oops: 0000 [#1] PREEMPT SMP NOPTI");
}
END_TEST

START_TEST(test_bug_cpu_from_next_header)
{
	/* Not the header before it: the next one. */
	assert_scan("CPU: 3 PID: 1 Comm: init Not tainted 6.1.0 #1\n"
		    "BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		    "#PF: supervisor read access in kernel mode\n"
		    "Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
		    "CPU: 1 PID: 62 Comm: kworker/1:2 Not tainted 6.1.0 #1\n"
		    "Call Trace:\n"
		    "CPU: 2 PID: 0 Comm: swapper/2 Not tainted 6.1.0 #1\n",
		    "BUG 1: BUG: kernel NULL pointer dereference, address: 0000000000000008|"
		    "Oops 1: Oops: 0000 [#1] PREEMPT SMP NOPTI");
	/* 6.10 and later put UID: first in the header. */
	assert_scan("Oops: 0002 [#1] PREEMPT SMP NOPTI\n"
		    "CPU: 5 UID: 0 PID: 1 Comm: init Not tainted 6.12.0 #1\n"
		    "Call Trace:\n",
		    "Oops 5: Oops: 0002 [#1] PREEMPT SMP NOPTI");
	/* A log that ends before the header: the CPU is unknown. */
	assert_scan("BUG: unable to handle page fault for address: ffffffffc0a01000\n"
		    "#PF: supervisor write access in kernel mode\n",
		    "BUG -1: BUG: unable to handle page fault for address: ffffffffc0a01000");
}
END_TEST

START_TEST(test_bug_after_subsystem)
{
	/* kernel/watchdog.c: the subsystem's prefix comes first. */
	assert_scan("[   30.000000] watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [swapper/3:0]\n"
		    "[   30.000001] Modules linked in:\n"
		    "[   30.000002] CPU: 3 PID: 0 Comm: swapper/3 Not tainted 6.1.0 #1\n"
		    "[   30.000003] RIP: 0010:native_safe_halt+0xb/0x10\n"
		    "[   30.000004] Call Trace:\n"
		    "[   30.000005]  <TASK>\n",
		    "BUG 3: watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [swapper/3:0]");
	/* Words that merely contain it are not one. */
	assert_scan("[    2.0] acpi PNP0A08:00: _OSC: OS supports [ExtendedConfig ASPM]\n"
		    "[    2.1] DEBUG: BUGGY firmware\n"
		    "[    2.2] x86/cpu: BUGS: spectre_v1\n"
		    "[    2.3] NOOops: 0000\n"
		    "[    2.4] kdh: WARNING: is not at the start\n",
		    "");
}
END_TEST

START_TEST(test_panic_trace_is_not_a_complaint)
{
	/* nmi_panic() of 6.1: the panic's own header and trace. */
	assert_scan("[    5.175099] Kernel panic - not syncing: NMI: Not continuing\n"
		    "[    5.175099] CPU: 1 PID: 0 Comm: swapper/1 Kdump: loaded Not tainted "
		    "6.1.0-56-amd64 #1  Debian 6.1.192-2\n"
		    "[    5.175099] Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS "
		    "1.16.2-debian-1.16.2-1 04/01/2014\n"
		    "[    5.175099] Call Trace:\n"
		    "[    5.175099]  <NMI>\n"
		    "[    5.175099]  dump_stack_lvl+0x44/0x5c\n"
		    "[    5.175099]  panic+0x118/0x2f4\n"
		    "[    5.175099]  </NMI>\n",
		    "");
}
END_TEST

START_TEST(test_stray_call_trace)
{
	/* A trace with nothing before it: lib/nmi_backtrace.c on another CPU. */
	assert_scan("[   40.000000] NMI backtrace for cpu 3\n"
		    "[   40.000001] CPU: 3 PID: 0 Comm: swapper/3 Not tainted 6.1.0 #1\n"
		    "[   40.000002] Call Trace:\n"
		    "[   40.000003]  <NMI>\n"
		    "[   40.000004]  </NMI>\n",
		    "Call Trace 3: Call Trace:");
	/* A trace with no header at all. */
	assert_scan("Call Trace:\n <TASK>\n </TASK>\n", "Call Trace -1: Call Trace:");
	/* After the panic's own trace, the next one is stray again. */
	assert_scan("Kernel panic - not syncing: sysrq triggered crash\n"
		    "CPU: 2 PID: 1 Comm: init Kdump: loaded Not tainted 6.1.0 #1\n"
		    "Call Trace:\n"
		    " <TASK>\n"
		    " </TASK>\n"
		    "NMI backtrace for cpu 0\n"
		    "CPU: 0 PID: 0 Comm: swapper/0 Kdump: loaded Not tainted 6.1.0 #1\n"
		    "Call Trace:\n",
		    "Call Trace 0: Call Trace:");
	/* And after a WARNING's trace. */
	assert_scan("WARNING: CPU: 1 PID: 0 at kernel/smp.c:769 smp_call_function_single+0x10c/0x120\n"
		    "CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1\n"
		    "Call Trace:\n"
		    "---[ end trace 0000000000000000 ]---\n"
		    "Call Trace:\n",
		    "WARNING 1: WARNING: CPU: 1 PID: 0 at kernel/smp.c:769 "
		    "smp_call_function_single+0x10c/0x120|Call Trace 1: Call Trace:");
}
END_TEST

START_TEST(test_panic_header_is_the_panics)
{
	/* A BUG that got no header before the panic: the panic's header is the
	 * panic's, not the BUG's. */
	assert_scan("BUG: scheduling while atomic: swapper/0/0/0x00000002\n"
		    "Kernel panic - not syncing: Fatal exception\n"
		    "CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1\n"
		    "Call Trace:\n",
		    "BUG -1: BUG: scheduling while atomic: swapper/0/0/0x00000002");
}
END_TEST

START_TEST(test_dazed)
{
	/* arch/x86/kernel/nmi.c unknown_nmi_error() without unknown_nmi_panic: the
	 * kernel survived an NMI it could not place. */
	assert_scan("[    4.572175] Uhhuh. NMI received for unknown reason 21 on CPU 3.\n"
		    "[    4.572176] Do you have a strange power saving mode enabled?\n"
		    "[    4.573572] Dazed and confused, but trying to continue\n",
		    "Dazed and confused 3: Dazed and confused, but trying to continue");
	/* No NMI line before it: unknown CPU. */
	assert_scan("Dazed and confused, but trying to continue\n",
		    "Dazed and confused -1: Dazed and confused, but trying to continue");
	/* Each takes the CPU of the last NMI line before it. */
	assert_scan("Uhhuh. NMI received for unknown reason 21 on CPU 3.\n"
		    "Dazed and confused, but trying to continue\n"
		    "Uhhuh. NMI received for unknown reason 31 on CPU 0.\n"
		    "Dazed and confused, but trying to continue\n",
		    "Dazed and confused 3: Dazed and confused, but trying to continue|"
		    "Dazed and confused 0: Dazed and confused, but trying to continue");
	/* The fatal NMI's line without "Dazed" is no complaint. */
	assert_scan("Uhhuh. NMI received for unknown reason 21 on CPU 2.\n", "");
}
END_TEST

START_TEST(test_several)
{
	g_autofree char *log = g_strconcat(warning_log, null_deref_log,
					   "[    2.000000] Uhhuh. NMI received for unknown reason 21 on "
					   "CPU 1.\n"
					   "[    2.000001] Dazed and confused, but trying to continue\n",
					   NULL);

	/* In log order, each with its own CPU. */
	assert_scan(log, "WARNING 2: WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
			 "smp_call_function_single+0x10c/0x120|"
			 "BUG 0: BUG: kernel NULL pointer dereference, address: 0000000000000008|"
			 "Oops 0: Oops: 0000 [#1] PREEMPT SMP NOPTI|"
			 "Dazed and confused 1: Dazed and confused, but trying to continue");
}
END_TEST

START_TEST(test_appends)
{
	g_autoptr(GPtrArray) complaints =
		g_ptr_array_new_with_free_func((GDestroyNotify)kdh_complaint_free);
	struct kdh_complaint_scan s;
	const struct kdh_complaint *c;

	/* What the array held stays: the scan appends, and a header fills in only
	 * what it found waiting. */
	g_ptr_array_add(complaints, g_new0(struct kdh_complaint, 1));
	((struct kdh_complaint *)complaints->pdata[0])->cpu = -1;
	kdh_complaint_scan_init(&s, "capture kernel");
	kdh_complaint_scan_line(&s, "[    1.0] Oops: 0000 [#1] PREEMPT SMP NOPTI", complaints);
	kdh_complaint_scan_line(&s, "[    1.1] CPU: 2 PID: 9 Comm: kworker/2:0 Not tainted 6.1.0 #1",
				complaints);
	ck_assert_uint_eq(complaints->len, 2);
	ck_assert_int_eq(((struct kdh_complaint *)complaints->pdata[0])->cpu, -1);
	c = complaints->pdata[1];
	ck_assert_int_eq(c->kind, KDH_COMPLAINT_OOPS);
	ck_assert_int_eq(c->cpu, 2);
	ck_assert_str_eq(c->where, "capture kernel");
	/* The header's CPU is used once: a later trace's header is its own. */
	kdh_complaint_scan_line(&s, "[    1.2] Call Trace:", complaints);
	kdh_complaint_scan_line(&s, "[    1.3] Oops: 0002 [#2] PREEMPT SMP NOPTI", complaints);
	kdh_complaint_scan_line(&s, "[    1.4] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1",
				complaints);
	ck_assert_uint_eq(complaints->len, 3);
	ck_assert_int_eq(((struct kdh_complaint *)complaints->pdata[1])->cpu, 2);
	ck_assert_int_eq(((struct kdh_complaint *)complaints->pdata[2])->cpu, 0);
}
END_TEST

/* ---- the saved real logs ---- */

/* What NAME's whole text yields, from its first line (the armed marker means
 * nothing to the scan itself: kdh_analysis_panic_log_parse() starts it over there). */
static GPtrArray *scan_sample(const char *name)
{
	g_autofree char *text = kdh_test_read_sample(name);

	return scan("crash path", text);
}

START_TEST(test_real_logs_without_probe)
{
	static const char *const names[] = {
		/* the first kernel's panic with its trace, then the capture kernel's boot */
		"console-nmi-all.log",
		"console-nmi-cpu0.log",
		/* the panic with its trace, the guest reset by panic=-1 */
		"console-no-crashkernel.log",
		/* a whole boot and the fatal NMI: every CPU logs it and none survives it */
		"vmcore-dmesg-nmi-all.txt",
		"vmcore-dmesg-nmi-cpu0.txt",
	};

	/* A good run from before the probe complains about nothing, from its first line. */
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GPtrArray) complaints = scan_sample(names[i]);
		g_autofree char *text = complaints_text(complaints);

		ck_assert_msg(complaints->len == 0, "%s: %s", names[i], text);
	}
}
END_TEST

/* The probe NMI is survived: each CPU it reached logs "Dazed". Those lines come
 * before the agent arms, which is why the crash path starts there. */
static void assert_real_probe_dazed(const char *name, guint count)
{
	g_autoptr(GPtrArray) complaints = scan_sample(name);
	g_autofree char *text = complaints_text(complaints);

	ck_assert_msg(complaints->len == count, "%s: %s", name, text);
	for (guint i = 0; i < complaints->len; i++) {
		const struct kdh_complaint *c = complaints->pdata[i];

		ck_assert_int_eq(c->kind, KDH_COMPLAINT_DAZED);
		ck_assert_int_ge(c->cpu, 0);
		ck_assert_int_le(c->cpu, 3);
		ck_assert_str_eq(c->line, "Dazed and confused, but trying to continue");
	}
}

START_TEST(test_real_probe_logs)
{
	assert_real_probe_dazed("vmcore-dmesg-probe-nmi-cpu0.txt", 1);
	assert_real_probe_dazed("console-probe-nmi-cpu0.log", 1);
	assert_real_probe_dazed("vmcore-dmesg-probe-nmi-all-vcpus.txt", 4);
	assert_real_probe_dazed("console-probe-nmi-all-vcpus.log", 4);
	assert_real_probe_dazed("vmcore-dmesg-probe-sysrq-cpu2.txt", 4);
	assert_real_probe_dazed("console-probe-sysrq-cpu2.log", 4);
	/* The fatal NMI's panic, with its trace, ends that log. */
	assert_real_probe_dazed("console-probe-broken-no-crashkernel.log", 4);
}
END_TEST

START_TEST(test_real_probe_dazed_cpus)
{
	g_autoptr(GPtrArray) cpu0 = scan_sample("vmcore-dmesg-probe-nmi-cpu0.txt");
	g_autoptr(GPtrArray) all = scan_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	g_autoptr(GPtrArray) sysrq = scan_sample("vmcore-dmesg-probe-sysrq-cpu2.txt");

	ck_assert_int_eq(((struct kdh_complaint *)cpu0->pdata[0])->cpu, 0);
	/* In these two the lines of two CPUs interleave: "Uhhuh" of CPU a, "Uhhuh"
	 * of CPU b, "Dazed", "Dazed": the time stamps pair them. */
	ck_assert_int_eq(((struct kdh_complaint *)all->pdata[0])->cpu, 0);
	ck_assert_int_eq(((struct kdh_complaint *)all->pdata[1])->cpu, 1);
	ck_assert_int_eq(((struct kdh_complaint *)all->pdata[2])->cpu, 3);
	ck_assert_int_eq(((struct kdh_complaint *)all->pdata[3])->cpu, 2);
	ck_assert_int_eq(((struct kdh_complaint *)sysrq->pdata[0])->cpu, 1);
	ck_assert_int_eq(((struct kdh_complaint *)sysrq->pdata[1])->cpu, 2);
	ck_assert_int_eq(((struct kdh_complaint *)sysrq->pdata[2])->cpu, 3);
	ck_assert_int_eq(((struct kdh_complaint *)sysrq->pdata[3])->cpu, 0);
}
END_TEST

START_TEST(test_real_probe_logs_after_marker)
{
	static const char *const names[] = {
		"vmcore-dmesg-probe-nmi-all-vcpus.txt", "vmcore-dmesg-probe-nmi-cpu0.txt",
		"vmcore-dmesg-probe-sysrq-cpu2.txt", "console-probe-broken-no-crashkernel.log",
	};

	/* From the agent's marker on, a good crash path complains about nothing. */
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *text = kdh_test_read_sample(names[i]);
		const char *armed = strstr(text, "] " KDH_KMSG_ARMED "\n");
		g_autoptr(GPtrArray) complaints = NULL;
		g_autofree char *got = NULL;

		ck_assert_msg(armed, "%s has no marker", names[i]);
		complaints = scan("crash path", armed);
		got = complaints_text(complaints);
		ck_assert_msg(complaints->len == 0, "%s: %s", names[i], got);
	}
}
END_TEST

static Suite *complaints_suite(void)
{
	Suite *s = suite_create("complaints");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_scan_init);
	suite_add_tcase(s, tc);

	tc = tcase_create("scan");
	tcase_add_test(tc, test_warning);
	tcase_add_test(tc, test_warning_cpu_from_line);
	tcase_add_test(tc, test_bug_and_oops);
	tcase_add_test(tc, test_bug_cpu_from_next_header);
	tcase_add_test(tc, test_bug_after_subsystem);
	tcase_add_test(tc, test_panic_trace_is_not_a_complaint);
	tcase_add_test(tc, test_stray_call_trace);
	tcase_add_test(tc, test_panic_header_is_the_panics);
	tcase_add_test(tc, test_dazed);
	tcase_add_test(tc, test_several);
	tcase_add_test(tc, test_appends);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-samples");
	tcase_add_test(tc, test_real_logs_without_probe);
	tcase_add_test(tc, test_real_probe_logs);
	tcase_add_test(tc, test_real_probe_dazed_cpus);
	tcase_add_test(tc, test_real_probe_logs_after_marker);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(complaints_suite());
}

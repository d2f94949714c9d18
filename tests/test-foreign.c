/* Unit tests of harness/judge/foreign.c and harness/judge/known-bugs.c: crash evidence
 * that no kdh agent wrote. One case per real public log in tests/data
 * (foreign-*.log, sources and diagnoses in tests/data/README.md), one body;
 * then logs as users have them (made here, in memory, and said so), and the
 * known-bugs file. */
#include <string.h>

#include <check.h>

#include "kdh-foreign.h"
#include "kdh-known-bugs.h"
#include "kdh-klog.h"
#include "kdh-test.h"

#define KNOWN_BUGS "data/known-bugs.conf"

/* What kdh analyze must say of one sample. */
struct foreign_case {
	const char *sample;
	const char *result;     /* "pass", "fail", "skip" */
	const char *reason;
	int panic_cpu;          /* -1: none or unknown */
	const char *panic;      /* the panic string, NULL for none */
	const char *complaints; /* "KIND CPU what function [module]|...", "" none */
	const char *nmi_cpus;   /* "0,1", "" none */
	const char *vmbus;      /* the crashed kernel's VMBus version, NULL none */
	const char *after;      /* what followed the panic, NULL: no panic */
	const char *dump;       /* the dump tools' outcome over all boots: "saved",
				 * "failed", "silent" */
	const char *known_bug;  /* the id matched, NULL none */
	guint boots;
};

static const struct foreign_case cases[] = {
	{ "foreign-fcos-azure-relid2channel-5.19.log", "skip", "no-panic", -1, NULL,
	  "BUG 0 NULL pointer dereference relid2channel [hv_vmbus]|Oops 0 - relid2channel [hv_vmbus]",
	  "", NULL, NULL, "silent", "relid2channel-null-in-capture-kernel", 1 },
	{ "foreign-fcos-azure-relid2channel-6.1.log", "skip", "no-panic", -1, NULL,
	  "BUG 0 NULL pointer dereference relid2channel [hv_vmbus]|Oops 0 - relid2channel [hv_vmbus]",
	  "", NULL, NULL, "silent", "relid2channel-null-in-capture-kernel", 1 },
	{ "foreign-mshv-unknown-nmi.log", "skip", "log-ends", 0, "NMI: Not continuing", "", "0",
	  NULL, "log-ends", "silent", NULL, 1 },
	{ "foreign-cloud-hypervisor-dazed.log", "skip", "no-panic", -1, NULL,
	  "Dazed and confused -1 -|Dazed and confused 0 -|Dazed and confused 0 -", "0", NULL,
	  NULL, "silent", NULL, 1 },
	{ "foreign-syslog-wall-unknown-nmi.log", "skip", "no-panic", -1, NULL,
	  "Dazed and confused 42 -", "42", NULL, NULL, "silent", NULL, 1 },
	{ "foreign-hyperv-nmi-no-timestamps.log", "skip", "no-panic", -1, NULL,
	  "Dazed and confused -1 -", "", NULL, NULL, "silent", NULL, 1 },
	{ "foreign-fcos-ppc64le-makedumpfile-failed.log", "fail", "dump-failed", -1, NULL, "", "",
	  NULL, NULL, "failed", NULL, 1 },
	{ "foreign-journal-kdump-saving.log", "skip", "no-panic", -1, NULL, "", "", NULL, NULL,
	  "silent", NULL, 1 },
	{ "foreign-debian-sysrq-oops.log", "skip", "no-panic", -1, NULL,
	  "BUG 0 NULL pointer dereference sysrq_handle_crash|Oops 0 - -", "", NULL, NULL, "silent",
	  NULL, 1 },
	{ "foreign-speakup-fatal-exception.log", "skip", "no-kdump", -1,
	  "Fatal exception in interrupt", "", "", NULL, "halted", "silent", NULL, 1 },
	{ "foreign-rxe-panic-end-then-warning.log", "skip", "no-kdump", -1,
	  "Fatal exception in interrupt", "WARNING 2 - native_smp_send_reschedule", "", NULL,
	  "halted", "silent", NULL, 1 },
	{ "foreign-qubes-reboot-after-crash.log", "skip", "no-kdump", -1, NULL, "", "", NULL,
	  "reboot", "silent", NULL, 2 },
	{ "foreign-linuxkit-hyperv-oops-prefixed.log", "skip", "no-panic", -1, NULL,
	  "BUG 0 NULL pointer dereference hv_get_ringbuffer_availbytes|"
	  "Oops 0 - hv_get_ringbuffer_availbytes",
	  "", NULL, NULL, "silent", NULL, 1 },
	{ "foreign-arch-softlockup-panic.log", "skip", "log-ends", 3, "softlockup: hung tasks",
	  "BUG 3 soft lockup -", "", NULL, "log-ends", "silent", NULL, 1 },
	{ "foreign-sonic-vs-softlockup-login.log", "skip", "log-ends", 1, "softlockup: hung tasks",
	  "BUG 1 soft lockup -", "", NULL, "log-ends", "silent", NULL, 1 },
	{ "foreign-caliptra-journal-uart-softlockup.log", "skip", "log-ends", 3,
	  "softlockup: hung tasks", "BUG 3 soft lockup -", "", NULL, "log-ends", "silent", NULL, 1 },
	{ "foreign-cloud-hypervisor-rcu-softlockups.log", "skip", "no-panic", -1, NULL,
	  "WARNING -1 RCU stall -|BUG 0 soft lockup -|BUG 0 soft lockup -|BUG 0 soft lockup -|"
	  "BUG 0 soft lockup -|BUG 0 soft lockup -|BUG 0 soft lockup -|BUG 0 soft lockup -",
	  "", NULL, NULL, "silent", NULL, 1 },
	{ "foreign-propolis-rcu-stall-after-migration.log", "skip", "no-panic", -1, NULL,
	  "WARNING 0 RCU stall -", "", NULL, NULL, "silent", NULL, 1 },
	{ "foreign-openbmc-arm-kernel-bug.log", "skip", "no-panic", -1, NULL,
	  "BUG 0 kernel BUG skb_put|Oops 0 - skb_put", "", NULL, NULL, "silent", NULL, 1 },
	{ "foreign-rhel-kdump-saved-then-hung-reboot.log", "pass", "ok", -1, NULL,
	  "WARNING -1 hung task -|WARNING -1 hung task -", "", NULL, NULL, "saved", NULL, 1 },
	{ "foreign-op-test-fedora-power-kdump-prefixed.log", "skip", "no-panic", -1, NULL, "", "",
	  NULL, NULL, "silent", NULL, 1 },
	/* kdh's own nested-lab vmcore logs, read as a user's vmcore-dmesg.txt */
	{ "vmcore-dmesg-hyperv-nmi-panic-cpu1.txt", "pass", "ok", 1, "NMI: Not continuing",
	  /* the probe's survived NMIs, then the fatal one's crash handler WARNing */
	  "Dazed and confused 0 -|Dazed and confused 1 -|WARNING 1 - smp_call_function_single",
	  "0,1", "4.0", "capture-kernel", "silent",
	  "hyperv-unknown-nmi-on-every-cpu", 1 },
	{ "vmcore-dmesg-probe-nmi-cpu0.txt", "pass", "ok", 0, "NMI: Not continuing",
	  "Dazed and confused 0 -", "0", NULL,
	  "capture-kernel", "silent", NULL, 1 },
};

/* A complaint as the table writes it. */
static void complaint_text(GString *out, const struct kdh_complaint *c)
{
	g_string_append_printf(out, "%s%s %d %s", out->len ? "|" : "",
			       kdh_complaint_kind_name(c->kind), c->cpu, c->what ? c->what : "-");
	if (c->function)
		g_string_append_printf(out, " %s", c->function);
	else if (c->kind != KDH_COMPLAINT_DAZED)
		g_string_append(out, " -");
	if (c->module)
		g_string_append_printf(out, " [%s]", c->module);
}

/* Reads SAMPLE as kdh analyze would: a vmcore log by its name, else a console. */
static void foreign_from_sample(struct kdh_foreign *f, const char *sample)
{
	gsize len;
	g_autofree char *data = kdh_test_read_sample_len(sample, &len);
	enum kdh_source_kind kind = g_str_has_prefix(sample, "vmcore-dmesg")
					    ? KDH_SOURCE_VMCORE_DMESG
					    : KDH_SOURCE_CONSOLE;

	kdh_foreign_init(f);
	kdh_foreign_feed(f, sample, kind, data, len);
	kdh_foreign_finish(f);
}

START_TEST(test_sample)
{
	const struct foreign_case *tc = &cases[_i];
	g_autoptr(GPtrArray) bugs = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) complaints = g_string_new(NULL);
	g_autoptr(GString) nmis = g_string_new(NULL);
	g_autoptr(GString) dumps = g_string_new(NULL);
	g_autoptr(GString) matched = g_string_new(NULL);
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;
	const struct kdh_boot *p;

	foreign_from_sample(&f, tc->sample);
	ck_assert_msg(kdh_foreign_has_kernel(&f), "%s: no kernel found", tc->sample);
	ck_assert_uint_eq(f.boots->len, tc->boots);
	kdh_foreign_judge(&f, &v, &reason);
	ck_assert_msg(g_str_equal(kdh_result_name(v.result), tc->result) &&
			      g_str_equal(reason, tc->reason),
		      "%s: %s (%s): %s", tc->sample, kdh_result_name(v.result), reason, v.detail);
	p = kdh_foreign_crashed(&f);
	ck_assert_int_eq(p ? p->log.panic_cpu : -1, tc->panic_cpu);
	ck_assert_str_eq(p && p->log.panic_string ? p->log.panic_string : "(none)",
			 tc->panic ? tc->panic : "(none)");
	ck_assert_str_eq(p ? kdh_after_panic_name(p->after) : "(none)",
			 tc->after ? tc->after : "(none)");
	ck_assert_str_eq(p && p->log.vmbus_version ? p->log.vmbus_version : "(none)",
			 tc->vmbus ? tc->vmbus : "(none)");
	for (guint i = 0; i < f.boots->len; i++) {
		const struct kdh_boot *b = f.boots->pdata[i];

		for (guint k = 0; k < b->log.complaints->len; k++)
			complaint_text(complaints, b->log.complaints->pdata[k]);
		for (guint k = 0; k < b->log.nmi_cpus->len; k++)
			g_string_append_printf(nmis, "%s%d", nmis->len ? "," : "",
					       g_array_index(b->log.nmi_cpus, int, k));
		if (b->dump != KDH_DUMP_SILENT || !dumps->len)
			g_string_assign(dumps, kdh_dump_said_name(b->dump));
	}
	ck_assert_str_eq(complaints->str, tc->complaints);
	ck_assert_str_eq(nmis->str, tc->nmi_cpus);
	ck_assert_str_eq(dumps->str, tc->dump);
	ck_assert_msg(kdh_known_bugs_load(KNOWN_BUGS, &bugs, &error), "%s", error->message);
	for (guint i = 0; i < bugs->len; i++) {
		g_autofree char *why = NULL;
		const struct kdh_known_bug *b = bugs->pdata[i];

		if (kdh_known_bug_match(b, &f, &why))
			g_string_append_printf(matched, "%s%s", matched->len ? "," : "", b->id);
	}
	ck_assert_str_eq(matched->str, tc->known_bug ? tc->known_bug : "");
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}
END_TEST

/* kdh's own consoles with their vmcore logs, as a user would hand them over
 * (two files, the console first): one boot each for the crashed kernel, the
 * vmcore's log standing where the console's ran. */
static const struct {
	const char *console, *dmesg, *reason;
	int panic_cpu;
} pairs[] = {
	{ "console-probe-nmi-all-vcpus.log", "vmcore-dmesg-probe-nmi-all-vcpus.txt", "ok", 1 },
	{ "console-probe-sysrq-cpu2.log", "vmcore-dmesg-probe-sysrq-cpu2.txt", "ok", 2 },
	{ "console-hyperv-nmi-panic-cpu1.log", "vmcore-dmesg-hyperv-nmi-panic-cpu1.txt", "ok", 1 },
	{ "console-hyperv-no-vmbus-in-capture.log", "vmcore-dmesg-hyperv-no-vmbus-in-capture.txt",
	  "vmbus-not-reconnected", 0 },
};

START_TEST(test_console_and_vmcore)
{
	gsize clen, dlen;
	g_autofree char *console = kdh_test_read_sample_len(pairs[_i].console, &clen);
	g_autofree char *dmesg = kdh_test_read_sample_len(pairs[_i].dmesg, &dlen);
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;

	kdh_foreign_init(&f);
	kdh_foreign_feed(&f, pairs[_i].dmesg, KDH_SOURCE_VMCORE_DMESG, dmesg, dlen);
	kdh_foreign_feed(&f, pairs[_i].console, KDH_SOURCE_CONSOLE, console, clen);
	kdh_foreign_finish(&f);
	ck_assert_uint_eq(f.boots->len, 2);
	kdh_foreign_judge(&f, &v, &reason);
	ck_assert_msg(g_str_equal(reason, pairs[_i].reason), "%s: %s", pairs[_i].console, v.detail);
	ck_assert_int_eq(kdh_foreign_crashed(&f)->log.panic_cpu, pairs[_i].panic_cpu);
	ck_assert(kdh_foreign_capture(&f, kdh_foreign_crashed(&f))->capture);
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}
END_TEST

/* ---- logs as users have them (synthetic, made here) ---- */

/* Judges TEXT (LEN bytes, -1: a string) as one console. */
static void foreign_from_text(struct kdh_foreign *f, const char *text, gssize len)
{
	kdh_foreign_init(f);
	kdh_foreign_feed(f, "test", KDH_SOURCE_CONSOLE, text, len < 0 ? strlen(text) : (gsize)len);
	kdh_foreign_finish(f);
}

START_TEST(test_clean_prefixes)
{
	static const struct {
		const char *raw, *clean;
	} lines[] = {
		{ "Mar  3 10:00:01 host kernel: [   12.345678] Oops: 0000 [#1] SMP",
		  "[   12.345678] Oops: 0000 [#1] SMP" },
		{ "Mar  3 10:00:01 host kernel: Oops: 0000 [#1] SMP", "Oops: 0000 [#1] SMP" },
		{ "Dec 15 20:51:01 localhost.localdomain kdump[636]: saving vmcore",
		  "kdump[636]: saving vmcore" },
		{ "2024-03-05T10:00:01.123456+00:00 host kernel: BUG: soft lockup",
		  "BUG: soft lockup" },
		{ "<4>[    1.0] WARNING: CPU: 0 PID: 1 at x", "[    1.0] WARNING: CPU: 0 PID: 1 at x" },
		{ "<4>WARNING: CPU: 0 PID: 1 at x", "WARNING: CPU: 0 PID: 1 at x" },
		{ "[   12.000000] \x1b[1;31mKernel panic\x1b[0m - not syncing: x\r",
		  "[   12.000000] Kernel panic - not syncing: x" },
		{ "[ 1.0]\0\0\0 Oops", "[ 1.0] Oops" },
		{ "00:05:02.177  [   42.137787] RIP: 0010:f+0x1/0x2", "[   42.137787] RIP: 0010:f+0x1/0x2" },
		{ "run1.sh[75558]: UART: [57316.097991] x", "[57316.097991] x" },
		{ "[23:13:24.473][Moby   ][Info   ] Oops: 0000 [#1] SMP", "Oops: 0000 [#1] SMP" },
		{ "[drm] Initialized", "[drm] Initialized" },
		{ "[drm:intel_dp_aux_xfer [i915]] *ERROR* x", "[drm:intel_dp_aux_xfer [i915]] *ERROR* x" },
		{ "[Tue Dec  3 08:00:00 2026] Kernel panic - not syncing: x",
		  "Kernel panic - not syncing: x" },
		{ "[  123.456789] myhost kernel: Oops: 0000 [#1] SMP", "[  123.456789] Oops: 0000 [#1] SMP" },
		{ "[  123.456789] rcu: INFO: x kernel: y", "[  123.456789] rcu: INFO: x kernel: y" },
		{ "2026-", "2026-" },
		{ "Mar", "Mar" },
		{ "", "" },
		{ "\r\r   \t", "" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
		/* the NUL case has its length */
		gssize len = strstr(lines[i].raw, "[ 1.0]") == lines[i].raw ? 14 : -1;
		g_autofree char *got = kdh_klog_clean(lines[i].raw, len);

		ck_assert_msg(g_str_equal(got, lines[i].clean), "'%s' became '%s'", lines[i].raw, got);
	}
}
END_TEST

START_TEST(test_caller_id)
{
	/* CONFIG_PRINTK_CALLER */
	ck_assert_str_eq(kdh_klog_text("[    0.000000][    T0] Linux version 6.1.0"),
			 "Linux version 6.1.0");
	ck_assert_str_eq(kdh_klog_text("[   12.100000][    C3] Kernel panic - not syncing: x"),
			 "Kernel panic - not syncing: x");
	/* not a caller id */
	ck_assert_str_eq(kdh_klog_text("[    1.0][drm] x"), "[drm] x");
}
END_TEST

/* Synthetic lines in the kernel's formats: each complaint's kind, CPU, what,
 * function and module. */
START_TEST(test_complaint_whats)
{
	static const struct {
		const char *log, *expected;
	} logs[] = {
		{ "general protection fault, probably for non-canonical address "
		  "0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI\n"
		  "CPU: 5 PID: 9 Comm: kworker/5:0 Not tainted 6.1.0 #1\n"
		  "RIP: 0010:list_del+0x5/0x20 [mymod]\n",
		  "Oops 5 general protection fault list_del [mymod]" },
		{ "NMI watchdog: Watchdog detected hard LOCKUP on cpu 7\n"
		  "RIP: 0010:native_queued_spin_lock_slowpath+0x60/0x200\n",
		  "BUG 7 hard lockup native_queued_spin_lock_slowpath" },
		{ "rcu: INFO: rcu_preempt self-detected stall on CPU\n"
		  "rcu: \t2-....: (5249 ticks this GP) idle=..\n",
		  "WARNING 2 RCU stall -" },
		{ "INFO: rcu_sched detected stalls on CPUs/tasks: { 3} (detected by 1, t=5252)\n",
		  "WARNING 3 RCU stall -" },
		{ "Internal error: Oops: 96000004 [#1] PREEMPT SMP\n"
		  "CPU: 1 PID: 0 Comm: swapper/1 Not tainted 5.15.0 #1\n"
		  "pc : vmbus_isr+0x30/0x1c0 [hv_vmbus]\n",
		  "Oops 1 - vmbus_isr [hv_vmbus]" },
		{ "invalid opcode: 0000 [#1] SMP PTI\n"
		  "CPU: 0 PID: 1 Comm: init Not tainted 5.4.0 #1\n",
		  "Oops 0 invalid opcode -" },
		{ "WARNING: CPU: 0 PID: 580 at drivers/net/hyperv/rndis_filter.c:338 "
		  "rndis_filter_receive+0x6f4/0x740 [hv_netvsc]\n",
		  "WARNING 0 - rndis_filter_receive [hv_netvsc]" },
		/* the panic's own RIP is not the complaint's */
		{ "BUG: scheduling while atomic: swapper/0/0/0x00000002\n"
		  "Kernel panic - not syncing: Fatal exception\n"
		  "RIP: 0010:f+0x1/0x2\n",
		  "BUG -1 - -" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(logs); i++) {
		g_autoptr(GString) got = g_string_new(NULL);
		struct kdh_foreign f;
		const struct kdh_boot *b;

		foreign_from_text(&f, logs[i].log, -1);
		b = f.boots->pdata[0];
		for (guint k = 0; k < b->log.complaints->len; k++)
			complaint_text(got, b->log.complaints->pdata[k]);
		ck_assert_str_eq(got->str, logs[i].expected);
		kdh_foreign_clear(&f);
	}
}
END_TEST

/* Synthetic: two boots in one console with CRLF, a panic with "Kdump: loaded"
 * and a capture kernel that saved the dump. */
START_TEST(test_boots_and_capture)
{
	static const char log[] =
		"[    0.000000] Linux version 6.1.0-56-amd64 (x) #1 SMP\r\n"
		"[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 crashkernel=256M\r\n"
		"[    0.100000] smp: Brought up 1 node, 4 CPUs\r\n"
		"[   50.000000] Kernel panic - not syncing: sysrq triggered crash\r\n"
		"[   50.000001] CPU: 2 PID: 1234 Comm: bash Kdump: loaded Not tainted 6.1.0-56-amd64 #1\r\n"
		"[    0.000000] Linux version 6.1.0-56-amd64 (x) #1 SMP\r\n"
		"[    0.000000] Command line: BOOT_IMAGE=/vmlinuz nr_cpus=1 irqpoll reset_devices "
		"elfcorehdr=0x73000000\r\n"
		"[    0.100000] smp: Brought up 1 node, 1 CPU\r\n"
		"[    5.000000] kdump-tools[400]: kdump-tools: saved vmcore in /var/crash/202612030800\r\n";
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;
	const struct kdh_boot *p, *c;

	foreign_from_text(&f, log, -1);
	ck_assert_uint_eq(f.boots->len, 2);
	p = kdh_foreign_crashed(&f);
	c = kdh_foreign_capture(&f, p);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(c);
	ck_assert(!p->capture && c->capture);
	ck_assert_int_eq(p->cpus, 4);
	ck_assert_int_eq(c->cpus, 1);
	ck_assert_int_eq(p->log.panic_cpu, 2);
	ck_assert_int_eq(p->log.panic_pid, 1234);
	ck_assert_str_eq(p->log.panic_comm, "bash");
	ck_assert_str_eq(p->log.panic_taint, "Not tainted");
	ck_assert(p->log.kdump_loaded);
	ck_assert(p->log.panic_seconds == 50.0);
	ck_assert_int_eq(p->after, KDH_AFTER_CAPTURE);
	ck_assert_int_eq(c->dump, KDH_DUMP_SAVED);
	kdh_foreign_judge(&f, &v, &reason);
	ck_assert_int_eq(v.result, KDH_RESULT_PASS);
	ck_assert_str_eq(reason, "ok");
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}
END_TEST

/* Synthetic: kdump loaded, yet the panic ended ("end Kernel panic"): broken. */
START_TEST(test_loaded_but_no_kexec)
{
	static const char log[] = "Kernel panic - not syncing: NMI: Not continuing\n"
				  "CPU: 1 PID: 0 Comm: swapper/1 Kdump: loaded Not tainted 6.1.0 #1\n"
				  "Kernel Offset: disabled\n"
				  "---[ end Kernel panic - not syncing: NMI: Not continuing ]---\n";
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;

	foreign_from_text(&f, log, -1);
	kdh_foreign_judge(&f, &v, &reason);
	ck_assert_int_eq(v.result, KDH_RESULT_FAIL);
	ck_assert_str_eq(reason, "no-kexec");
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}
END_TEST

/* Synthetic: a Hyper-V guest that gave up on VMBus UNLOAD off the connect CPU,
 * then the capture kernel's relid2channel oops. UNLOAD comes first in the crash
 * path, and both known bugs are named. */
START_TEST(test_vmbus_unload_and_relid2channel)
{
	static const char log[] =
		"[    0.000000] Linux version 5.15.0-1019-azure (x) #24-Ubuntu SMP\n"
		"[    0.000000] Hypervisor detected: Microsoft Hyper-V\n"
		"[    1.000000] hv_vmbus: Vmbus version:5.3\n"
		"[   99.000000] Kernel panic - not syncing: sysrq triggered crash\n"
		"[   99.000001] CPU: 3 PID: 77 Comm: sh Kdump: loaded Not tainted 5.15.0 #1\n"
		"[  101.000000] hv_vmbus: Waiting for VMBus UNLOAD to complete\n"
		"[  200.000000] hv_vmbus: Waiting for VMBus UNLOAD to complete\n"
		"[  201.000000] hv_vmbus: Continuing even though VMBus UNLOAD did not complete\n"
		"[    0.000000] Linux version 5.15.0-1019-azure (x) #24-Ubuntu SMP\n"
		"[    0.000000] Command line: elfcorehdr=0x1000 reset_devices\n"
		"[    6.000000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n"
		"[    6.000001] Oops: 0000 [#1] SMP PTI\n"
		"[    6.000002] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 5.15.0 #1\n"
		"[    6.000003] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]\n";
	g_autoptr(GPtrArray) bugs = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) matched = NULL;
	g_autofree char *text = NULL;
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;

	foreign_from_text(&f, log, -1);
	kdh_foreign_judge(&f, &v, &reason);
	ck_assert_str_eq(reason, "vmbus-unload-incomplete");
	ck_assert_msg(strstr(v.detail, "panic on CPU 3, not the VMBus connect CPU 0") != NULL, "%s",
		      v.detail);
	ck_assert(kdh_known_bugs_load(KNOWN_BUGS, &bugs, &error));
	matched = kdh_known_bugs_json(bugs, &f, &text);
	ck_assert_uint_eq(json_array_get_length(json_node_get_array(matched)), 3);
	ck_assert_msg(strstr(text, "known bug vmbus-unload-gave-up:") &&
			      strstr(text, "panic on CPU 3, VMBus connect CPU 0") &&
			      strstr(text, "known bug relid2channel-null-in-capture-kernel:") &&
			      strstr(text, "in the capture kernel"),
		      "%s", text);
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}
END_TEST

/* Synthetic: a vmcore's log and the console's copy of the same panic are one
 * panic, before the console's capture kernel. */
START_TEST(test_vmcore_and_console_merge)
{
	static const char vmcore[] = "[    0.000000] Linux version 6.1.0-56-amd64 (x)\n"
				     "[    9.000000] Uhhuh. NMI received for unknown reason 21 on CPU 1.\n"
				     "[    9.000001] Kernel panic - not syncing: NMI: Not continuing\n"
				     "[    9.000002] CPU: 1 PID: 0 Comm: swapper/1 Kdump: loaded Not "
				     "tainted 6.1.0-56-amd64 #1\n";
	static const char console[] = "[    0.000000] Linux version 6.1.0-56-amd64 (x)\n"
				      "[    9.000001] Kernel panic - not syncing: NMI: Not continuing\n"
				      "[    0.000000] Linux version 6.1.0-56-amd64 (x)\n"
				      "[    0.000000] Command line: elfcorehdr=0x1000\n"
				      "[    3.000000] kdump: saving vmcore failed, exitcode:1\n";
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;

	kdh_foreign_init(&f);
	kdh_foreign_feed(&f, "vmcore-dmesg.txt", KDH_SOURCE_VMCORE_DMESG, vmcore, strlen(vmcore));
	kdh_foreign_feed(&f, "console.log", KDH_SOURCE_CONSOLE, console, strlen(console));
	kdh_foreign_finish(&f);
	ck_assert_uint_eq(f.boots->len, 2);
	kdh_foreign_judge(&f, &v, &reason);
	ck_assert_str_eq(reason, "dump-failed");
	ck_assert_int_eq(kdh_foreign_crashed(&f)->log.panic_cpu, 1);
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}
END_TEST

/* Synthetic garbage: nothing of a kernel's, and the parser survives it. */
START_TEST(test_not_a_kernel_log)
{
	static const char bytes[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
	static const char *const texts[] = { "", "\n\n\n", "hello world\nnothing here\n",
					     "[  OK  ] Started something.\n" };
	struct kdh_foreign f;

	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
		foreign_from_text(&f, texts[i], -1);
		ck_assert_msg(!kdh_foreign_has_kernel(&f), "'%s' read as a kernel's", texts[i]);
		kdh_foreign_clear(&f);
	}
	foreign_from_text(&f, bytes, sizeof(bytes));
	ck_assert(!kdh_foreign_has_kernel(&f));
	kdh_foreign_clear(&f);
}
END_TEST

/* ---- the known-bugs file ---- */

START_TEST(test_known_bugs_file)
{
	g_autoptr(GPtrArray) bugs = NULL;
	g_autoptr(GError) error = NULL;
	guint verified = 0;

	ck_assert_msg(kdh_known_bugs_load(KNOWN_BUGS, &bugs, &error), "%s", error->message);
	ck_assert_uint_ge(bugs->len, 3);
	for (guint i = 0; i < bugs->len; i++) {
		const struct kdh_known_bug *b = bugs->pdata[i];

		ck_assert_ptr_nonnull(b->cite);
		/* a verified id is a full one */
		if (b->fix_verified) {
			ck_assert_uint_eq(strlen(b->fix_commit), 40);
			verified++;
		}
	}
	ck_assert_uint_ge(verified, 2);
}
END_TEST

START_TEST(test_known_bugs_errors)
{
	static const char *const bad[] = {
		"[x]\ntitle=t\nfix-subject=s\nwhen-panic=p\nwhen-pnic=q\n",    /* a typo */
		"[x]\ntitle=t\nfix-subject=s\n",                             /* matches all */
		"[x]\ntitle=t\nfix-subject=s\nwhen-panic=p\nfix-verified=true\n", /* no id */
		"[x]\ntitle=t\nfix-subject=s\nwhen-kernel=second\nwhen-panic=p\n",
		"[x]\ntitle=t\nfix-subject=s\nwhen-vmbus-unload=maybe\n",
		"[x]\ntitle=t\nfix-subject=s\nwhen-nmi-cpus-min=two\n",
		"[x]\nfix-subject=s\nwhen-panic=p\n",                        /* no title */
		"not a key file",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GPtrArray) bugs = NULL;
		g_autoptr(GError) error = NULL;

		ck_assert_msg(!kdh_known_bugs_parse(bad[i], "t.conf", &bugs, &error), "accepted: %s",
			      bad[i]);
		ck_assert(g_str_has_prefix(error->message, "t.conf"));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("foreign");
	TCase *tc = tcase_create("samples");
	TCase *users = tcase_create("users");
	TCase *bugs = tcase_create("known-bugs");

	tcase_add_loop_test(tc, test_sample, 0, G_N_ELEMENTS(cases));
	tcase_add_loop_test(tc, test_console_and_vmcore, 0, G_N_ELEMENTS(pairs));
	suite_add_tcase(s, tc);
	tcase_add_test(users, test_clean_prefixes);
	tcase_add_test(users, test_caller_id);
	tcase_add_test(users, test_complaint_whats);
	tcase_add_test(users, test_boots_and_capture);
	tcase_add_test(users, test_loaded_but_no_kexec);
	tcase_add_test(users, test_vmbus_unload_and_relid2channel);
	tcase_add_test(users, test_vmcore_and_console_merge);
	tcase_add_test(users, test_not_a_kernel_log);
	suite_add_tcase(s, users);
	tcase_add_test(bugs, test_known_bugs_file);
	tcase_add_test(bugs, test_known_bugs_errors);
	suite_add_tcase(s, bugs);
	return kdh_test_run(s);
}

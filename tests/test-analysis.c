/* Unit tests of harness/evidence/analysis.c and evidence.c: protocol lines,
 * kernel logs in the formats of Linux 6.1, inventories, and the saved real samples. */
#include <string.h>

#include <check.h>

#include "kdh-analysis.h"
#include "kdh-protocol.h"
#include "kdh-verdict.h"
#include "kdh-test.h"

/* A panic-time log in the formats of Linux 6.1 (kernel/panic.c, lib/dump_stack.c,
 * arch/x86/kernel/nmi.c): CPU 2 panics, all four CPUs report the NMI, CPU 3 twice.
 * The WARNING's dump_stack header comes before the panic and must not count. */
static const char panic_log_ts[] =
	"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) "
	"(gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) "
	"#1 SMP PREEMPT_DYNAMIC Debian 6.1.137-1 (2025-05-07)\n"
	"[    3.100000] WARNING: CPU: 1 PID: 77 at kernel/smp.c:769 smp_call_function_single+0x1/0x2\n"
	"[    3.100001] CPU: 1 PID: 77 Comm: kworker/1:1 Not tainted 6.1.0-56-amd64 #1  Debian 6.1.137-1\n"
	"[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 2.\n"
	"[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
	"[   12.345691] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0-56-amd64 #1  Debian 6.1.137-1\n"
	"[   12.345692] Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n"
	"[   12.345693] Call Trace:\n"
	"[   12.345694]  <NMI>\n"
	"[   12.345695]  dump_stack_lvl+0x44/0x5c\n"
	"[   12.345696]  panic+0x118/0x2ed\n"
	"[   12.345697]  nmi_panic.cold+0xc/0xc\n"
	"[   12.345698]  unknown_nmi_error.cold+0x2d/0x4b\n"
	"[   12.345699]  </NMI>\n"
	"[   12.345700] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
	"[   12.345701] Uhhuh. NMI received for unknown reason 31 on CPU 0.\n"
	"[   12.345702] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
	"[   12.345703] CPU: 0 PID: 0 Comm: swapper/0 Kdump: loaded Not tainted 6.1.0-56-amd64 #1\n"
	"[   12.345704] Uhhuh. NMI received for unknown reason 21 on CPU 1.\n";

static int int_at(GArray *a, guint i)
{
	return g_array_index(a, int, i);
}

/* Compares an int array as text ("0,1,12"), so that a failed check shows the
 * whole array. */
static void assert_ints(GArray *a, const char *expected)
{
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; i < a->len; i++)
		g_string_append_printf(text, "%s%d", i ? "," : "", int_at(a, i));
	ck_assert_str_eq(text->str, expected);
}

/* TEXT without its lines that contain NEEDLE, of which there must be COUNT. */
static char *drop_lines(const char *text, const char *needle, guint count)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GString) out = g_string_new(NULL);
	guint dropped = 0;

	for (char **l = lines; *l; l++) {
		if (strstr(*l, needle))
			dropped++;
		else
			g_string_append_printf(out, "%s%s", *l, l[1] ? "\n" : "");
	}
	ck_assert_msg(dropped == count, "%u lines hold '%s', expected %u", dropped, needle, count);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ---- evidence ---- */

START_TEST(test_stage_names)
{
	/* In crash-path order: scenario files and summaries use these names. */
	static const char *const names[] = { "boot",	"load",	     "arm",  "trigger", "kexec",
					     "capture", "enumerate", "dump", "bye" };

	G_STATIC_ASSERT(G_N_ELEMENTS(names) == KDH_STAGE__COUNT);
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		ck_assert_str_eq(kdh_stage_name(s), names[s]);
	ck_assert_str_eq(kdh_stage_name(KDH_STAGE_BOOT), "boot");
	ck_assert_str_eq(kdh_stage_name(KDH_STAGE_LOAD), "load");
	ck_assert_str_eq(kdh_stage_name(KDH_STAGE_TRIGGER), "trigger");
	ck_assert_str_eq(kdh_stage_name(KDH_STAGE_ENUMERATE), "enumerate");
	ck_assert_str_eq(kdh_stage_name(KDH_STAGE_BYE), "bye");
	ck_assert_ptr_null(kdh_stage_name(KDH_STAGE__COUNT));
	ck_assert_int_eq(kdh_stage_from_name("capture"), KDH_STAGE_CAPTURE);
	ck_assert_int_eq(kdh_stage_from_name("kexec"), KDH_STAGE_KEXEC);
	ck_assert_int_eq(kdh_stage_from_name("Capture"), -1);
	ck_assert_int_eq(kdh_stage_from_name(""), -1);
	/* The stages of the old design are gone. */
	ck_assert_int_eq(kdh_stage_from_name("inject"), -1);
	ck_assert_int_eq(kdh_stage_from_name("poweroff"), -1);
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		ck_assert_int_eq(kdh_stage_from_name(kdh_stage_name(s)), s);
}
END_TEST

START_TEST(test_evidence_init)
{
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		ck_assert(e.stage_seconds[s] == -1);
	ck_assert_int_eq(e.deadline_missed, KDH_STAGE__COUNT);
	ck_assert(!e.first.seen);
	ck_assert_int_eq(e.first.cpus, -1);
	ck_assert_int_eq(e.first.kexec_status, -2);
	ck_assert_int_eq(e.first.kexec_loaded, -1);
	ck_assert_uint_eq(e.first.nmis_before->len, 0);
	ck_assert_uint_eq(e.first.nmis_after->len, 0);
	ck_assert(!e.first.probe_wanted);
	ck_assert(!e.first.ready);
	ck_assert_int_eq(e.first.trigger_cpu, -1);
	ck_assert(!e.capture.bye);
	ck_assert_int_eq(e.capture.trigger_cpu, -1);
	ck_assert(!e.capture_role);
	ck_assert(!e.capture_banner);
	ck_assert(!e.panic_without_kexec);
	ck_assert(!e.vmcore_read);
	ck_assert(!e.vmcore_absent);
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 0);
	ck_assert_uint_eq(e.capture_complaints->len, 0);
	ck_assert_str_eq(e.capture_scan.where, "capture kernel");
	ck_assert(!e.crash.ran);
	ck_assert(!e.crash.read);
	ck_assert_int_eq(e.crash.cpus, -1);
	ck_assert_uint_eq(e.crash.states->len, 0);
	ck_assert_int_eq(e.capture.dump_status, -2);
	ck_assert(e.capture.dump_bytes == -1);
	ck_assert_uint_eq(e.capture.devices->len, 0);
	ck_assert_int_eq(e.vmcore_log.panic_cpu, -1);
	ck_assert_int_eq(e.vmcore_log.panic_count, 0);
	ck_assert_uint_eq(e.vmcore_log.nmi_cpus->len, 0);
	kdh_evidence_clear(&e);
	/* Clear leaves it zeroed, and a zeroed record clears again. */
	ck_assert_ptr_null(e.first.devices);
	ck_assert_ptr_null(e.first.nmis_before);
	ck_assert_ptr_null(e.first.nmis_after);
	ck_assert_ptr_null(e.vmcore_log.nmi_cpus);
	ck_assert_ptr_null(e.vmcore_log.complaints);
	ck_assert_ptr_null(e.capture_complaints);
	ck_assert_ptr_null(e.crash.states);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_clear_zeroed)
{
	struct kdh_evidence e = { 0 };
	struct kdh_guest_report r = { 0 };
	struct kdh_panic_log p = { 0 };
	struct kdh_msg m = { 0 };

	kdh_evidence_clear(&e);
	kdh_guest_report_clear(&r);
	kdh_panic_log_clear(&p);
	kdh_msg_clear(&m);
	kdh_device_free(NULL);
	ck_assert_ptr_null(r.release);
}
END_TEST

/* ---- protocol ---- */

START_TEST(test_msg_parse)
{
	struct kdh_msg m = { 0 };

	ck_assert(kdh_msg_parse("KDH: hello role=first release=6.1.0-56-amd64 cpus=4", &m));
	ck_assert_str_eq(m.kind, KDH_MSG_HELLO);
	ck_assert_uint_eq(g_hash_table_size(m.fields), 3);
	ck_assert_str_eq(g_hash_table_lookup(m.fields, "role"), "first");
	ck_assert_str_eq(g_hash_table_lookup(m.fields, "release"), "6.1.0-56-amd64");
	ck_assert_str_eq(g_hash_table_lookup(m.fields, "cpus"), "4");
	kdh_msg_clear(&m);
	ck_assert_ptr_null(m.kind);
	ck_assert_ptr_null(m.fields);
}
END_TEST

START_TEST(test_msg_parse_mid_line_and_cr)
{
	struct kdh_msg m = { 0 };

	/* A kernel message printed mid-line before the agent's line, and "\r\n". */
	ck_assert(kdh_msg_parse("[    1.234567] virtio_blk virtio1: [vda] 8 512-byte blocksKDH: "
				"device bus=virtio name=virtio1 id=0x0002 driver=virtio_blk\r",
				&m));
	ck_assert_str_eq(m.kind, "device");
	ck_assert_str_eq(g_hash_table_lookup(m.fields, "driver"), "virtio_blk");
	ck_assert_str_eq(g_hash_table_lookup(m.fields, "id"), "0x0002");
	kdh_msg_clear(&m);

	ck_assert(kdh_msg_parse("KDH: ready\r\n", &m));
	ck_assert_str_eq(m.kind, "ready");
	ck_assert_uint_eq(g_hash_table_size(m.fields), 0);
	kdh_msg_clear(&m);

	/* An empty value is a value. */
	ck_assert(kdh_msg_parse("KDH: error what=mount errno=", &m));
	ck_assert_str_eq(g_hash_table_lookup(m.fields, "errno"), "");
	kdh_msg_clear(&m);
}
END_TEST

START_TEST(test_msg_parse_rejects)
{
	struct kdh_msg m = { 0 };

	ck_assert(!kdh_msg_parse("[    1.000000] Linux version 6.1.0", &m));
	ck_assert(!kdh_msg_parse("KDH:hello role=first", &m));
	ck_assert(!kdh_msg_parse("KDH: hello role=first garbage cpus=4", &m));
	ck_assert(!kdh_msg_parse("KDH: device bus=pci =x", &m));
	ck_assert(!kdh_msg_parse("KDH: ", &m));
	ck_assert(!kdh_msg_parse("KDH:    \r", &m));
	ck_assert(!kdh_msg_parse("KDH: role=first", &m));
	ck_assert(!kdh_msg_parse("", &m));
	/* Untouched on failure. */
	ck_assert_ptr_null(m.kind);
	ck_assert_ptr_null(m.fields);
}
END_TEST

static gboolean apply_line(struct kdh_guest_report *r, const char *line)
{
	struct kdh_msg m = { 0 };
	gboolean applied;

	ck_assert_msg(kdh_msg_parse(line, &m), "cannot parse '%s'", line);
	applied = kdh_analysis_guest_report_apply(r, &m);
	kdh_msg_clear(&m);
	return applied;
}

START_TEST(test_apply_every_kind)
{
	struct kdh_guest_report r;
	const struct kdh_device *dev;

	kdh_guest_report_init(&r);
	ck_assert(apply_line(&r, "KDH: hello role=first release=6.1.0-56-amd64 cpus=4"));
	ck_assert(r.seen);
	ck_assert_str_eq(r.release, "6.1.0-56-amd64");
	ck_assert_int_eq(r.cpus, 4);

	ck_assert(apply_line(&r, "KDH: module name=virtio_blk status=ok errno=0"));
	ck_assert(apply_line(&r, "KDH: module name=hv_vmbus status=error errno=19"));
	ck_assert_uint_eq(r.modules_failed->len, 1);
	ck_assert_str_eq(g_ptr_array_index(r.modules_failed, 0), "hv_vmbus");

	ck_assert(apply_line(&r, "KDH: kexec status=0 loaded=1"));
	ck_assert_int_eq(r.kexec_status, 0);
	ck_assert_int_eq(r.kexec_loaded, 1);

	ck_assert(apply_line(&r, "KDH: device bus=pci name=0000:00:01.0 id=1af4:1042 driver=virtio-pci"));
	ck_assert(apply_line(&r, "KDH: device bus=virtio name=virtio0 id=0x0002 driver=-"));
	ck_assert_uint_eq(r.devices->len, 2);
	dev = g_ptr_array_index(r.devices, 1);
	ck_assert_str_eq(dev->bus, "virtio");
	ck_assert_str_eq(dev->name, "virtio0");
	ck_assert_str_eq(dev->id, "0x0002");
	ck_assert_str_eq(dev->driver, "-");

	ck_assert(!r.inventory_done);
	ck_assert(apply_line(&r, "KDH: inventory count=2"));
	ck_assert(r.inventory_done);
	ck_assert(apply_line(&r, "KDH: nmis when=before counts=0,3,0,12"));
	assert_ints(r.nmis_before, "0,3,0,12");
	ck_assert_uint_eq(r.nmis_after->len, 0);
	ck_assert(!r.probe_wanted);
	ck_assert(apply_line(&r, "KDH: probe"));
	ck_assert(r.probe_wanted);
	ck_assert(apply_line(&r, "KDH: nmis when=after counts=1,3,2,13"));
	assert_ints(r.nmis_after, "1,3,2,13");
	assert_ints(r.nmis_before, "0,3,0,12");
	/* A later report replaces the earlier one. */
	ck_assert(apply_line(&r, "KDH: nmis when=after counts=1,4,2,13"));
	assert_ints(r.nmis_after, "1,4,2,13");

	ck_assert(!r.ready);
	ck_assert(apply_line(&r, "KDH: ready"));
	ck_assert(r.ready);
	ck_assert_int_eq(r.trigger_cpu, -1);
	ck_assert(apply_line(&r, "KDH: trigger how=sysrq cpu=2"));
	ck_assert_int_eq(r.trigger_cpu, 2);

	ck_assert(apply_line(&r, "KDH: dump status=0 bytes=26071040"));
	ck_assert_int_eq(r.dump_status, 0);
	ck_assert(r.dump_bytes == 26071040);

	ck_assert(apply_line(&r, "KDH: error what=mount_dump errno=19"));
	ck_assert(apply_line(&r, "KDH: error what=makedumpfile errno=-5"));
	ck_assert_uint_eq(r.errors->len, 2);
	ck_assert_str_eq(g_ptr_array_index(r.errors, 0), "mount_dump errno=19");
	ck_assert_str_eq(g_ptr_array_index(r.errors, 1), "makedumpfile errno=-5");

	ck_assert(!r.bye);
	ck_assert(apply_line(&r, "KDH: bye"));
	ck_assert(r.bye);
	kdh_guest_report_clear(&r);
}
END_TEST

START_TEST(test_apply_ignores_malformed)
{
	struct kdh_guest_report r;

	kdh_guest_report_init(&r);
	/* Applied whole or not at all. */
	ck_assert(!apply_line(&r, "KDH: hello role=first release=6.1.0 cpus=four"));
	ck_assert(!r.seen);
	ck_assert_ptr_null(r.release);
	ck_assert(!apply_line(&r, "KDH: hello role=first cpus=4"));
	ck_assert(!r.seen);
	ck_assert(!apply_line(&r, "KDH: kexec status=0 loaded=2"));
	ck_assert(!apply_line(&r, "KDH: kexec status=x loaded=1"));
	ck_assert_int_eq(r.kexec_status, -2);
	ck_assert_int_eq(r.kexec_loaded, -1);
	ck_assert(!apply_line(&r, "KDH: dump status=0 bytes=12MB"));
	ck_assert_int_eq(r.dump_status, -2);
	ck_assert(r.dump_bytes == -1);
	ck_assert(!apply_line(&r, "KDH: device bus=pci name=0000:00:01.0 id=1af4:1042"));
	ck_assert_uint_eq(r.devices->len, 0);
	ck_assert(!apply_line(&r, "KDH: error what=mount"));
	ck_assert_uint_eq(r.errors->len, 0);
	ck_assert(!apply_line(&r, "KDH: module name=virtio_blk"));
	ck_assert(!apply_line(&r, "KDH: reboot now=1"));
	ck_assert(!apply_line(&r, "KDH: hello role=first release=6.1.0 cpus=99999999999"));
	ck_assert_int_eq(r.cpus, -1);

	/* NMI counts: a garbled list leaves what was reported before. */
	ck_assert(apply_line(&r, "KDH: nmis when=before counts=0,0,0,0"));
	ck_assert(!apply_line(&r, "KDH: nmis when=before counts=1,x,0,0"));
	ck_assert(!apply_line(&r, "KDH: nmis when=before counts=1,,0,0"));
	ck_assert(!apply_line(&r, "KDH: nmis when=before counts=1,-1,0,0"));
	ck_assert(!apply_line(&r, "KDH: nmis when=before counts=1,99999999999"));
	ck_assert(!apply_line(&r, "KDH: nmis when=during counts=1,1,1,1"));
	ck_assert(!apply_line(&r, "KDH: nmis counts=1,1,1,1"));
	ck_assert(!apply_line(&r, "KDH: nmis when=after"));
	assert_ints(r.nmis_before, "0,0,0,0");
	ck_assert_uint_eq(r.nmis_after->len, 0);

	ck_assert(!apply_line(&r, "KDH: trigger how=sysrq"));
	ck_assert(!apply_line(&r, "KDH: trigger how=sysrq cpu=two"));
	ck_assert(!apply_line(&r, "KDH: trigger how=sysrq cpu=-1"));
	ck_assert_int_eq(r.trigger_cpu, -1);
	kdh_guest_report_clear(&r);
}
END_TEST

/* A report with the given "nmis" lines applied (NULL: that line not sent). */
static void report_with_counts(struct kdh_guest_report *r, const char *before, const char *after)
{
	kdh_guest_report_init(r);
	if (before) {
		g_autofree char *line = g_strdup_printf("KDH: nmis when=before counts=%s", before);

		ck_assert(apply_line(r, line));
	}
	if (after) {
		g_autofree char *line = g_strdup_printf("KDH: nmis when=after counts=%s", after);

		ck_assert(apply_line(r, line));
	}
}

static void assert_hits(const char *before, const char *after, const char *expected)
{
	struct kdh_guest_report r;
	g_autoptr(GArray) hits = NULL;

	report_with_counts(&r, before, after);
	hits = kdh_analysis_nmi_probe_hits(&r);
	ck_assert_ptr_nonnull(hits);
	assert_ints(hits, expected);
	kdh_guest_report_clear(&r);
}

START_TEST(test_nmi_probe_hits)
{
	assert_hits("0,0,0,0", "1,1,1,1", "0,1,2,3");
	assert_hits("0,0,0,0", "1,0,0,0", "0");
	/* Rising, not being non-zero, is a hit: CPU 1 had NMIs before the probe. */
	assert_hits("0,5,0,7", "0,5,1,9", "2,3");
	assert_hits("3,5", "3,5", "");
	/* A count that went down (a wrapped or garbled counter) is no hit. */
	assert_hits("4,4", "3,5", "1");
	/* Not both reported, or not for the same CPUs: nothing can be said. */
	assert_hits("0,0,0,0", "1,1,1", "");
	assert_hits("0,0,0", "1,1,1,1", "");
	assert_hits("0,0,0,0", NULL, "");
	assert_hits(NULL, "1,1,1,1", "");
	assert_hits(NULL, NULL, "");
	assert_hits("0", "1", "0");
}
END_TEST

START_TEST(test_console_routes_by_role)
{
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	kdh_analysis_console_feed_line(&e, "KDH: hello role=first release=6.1.0 cpus=4\r");
	ck_assert(!e.capture_role);
	kdh_analysis_console_feed_line(&e, "KDH: device bus=pci name=0000:00:01.0 id=1af4:1042 driver=virtio-pci");
	kdh_analysis_console_feed_line(&e, "[   20.000000] Kernel panic - not syncing: NMI: Not continuing");
	kdh_analysis_console_feed_line(&e, "KDH: hello role=capture release=6.1.0-capture cpus=1\r");
	ck_assert(e.capture_role);
	kdh_analysis_console_feed_line(&e, "KDH: dump status=0 bytes=1000");
	/* An unknown role keeps the current one. */
	kdh_analysis_console_feed_line(&e, "KDH: hello role=third release=x cpus=2");
	ck_assert(e.capture_role);

	ck_assert(e.first.seen);
	ck_assert_str_eq(e.first.release, "6.1.0");
	ck_assert_int_eq(e.first.cpus, 4);
	ck_assert_uint_eq(e.first.devices->len, 1);
	ck_assert_int_eq(e.first.dump_status, -2);
	ck_assert(e.capture.seen);
	ck_assert_str_eq(e.capture.release, "x");
	ck_assert_int_eq(e.capture.cpus, 2);
	ck_assert_uint_eq(e.capture.devices->len, 0);
	ck_assert_int_eq(e.capture.dump_status, 0);

	kdh_analysis_console_feed_line(&e, "KDH: hello role=first release=6.1.0 cpus=3");
	ck_assert(!e.capture_role);
	ck_assert_int_eq(e.first.cpus, 3);
	kdh_evidence_clear(&e);
}
END_TEST

#define BANNER "[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP"
#define PANIC_END "[    4.114142] ---[ end Kernel panic - not syncing: NMI: Not continuing ]---"

START_TEST(test_console_banner_and_panic_end)
{
	struct kdh_evidence e;

	/* The first kernel's own banner, and one before it is ready, are not kexec. */
	kdh_evidence_init(&e);
	kdh_analysis_console_feed_line(&e, BANNER);
	kdh_analysis_console_feed_line(&e, "KDH: hello role=first release=6.1.0 cpus=4");
	kdh_analysis_console_feed_line(&e, BANNER);
	ck_assert(!e.capture_banner);
	kdh_analysis_console_feed_line(&e, "KDH: ready");
	ck_assert(!e.capture_banner);
	ck_assert(!e.panic_without_kexec);
	/* Once ready, a banner is the capture kernel's... */
	kdh_analysis_console_feed_line(&e, BANNER "\r");
	ck_assert(e.capture_banner);
	/* ...and a panic's end after it is not the first kernel giving up on kexec. */
	kdh_analysis_console_feed_line(&e, PANIC_END);
	ck_assert(!e.panic_without_kexec);
	kdh_evidence_clear(&e);

	/* The first kernel ended its panic: it never tried the capture kernel. */
	kdh_evidence_init(&e);
	kdh_analysis_console_feed_line(&e, "KDH: hello role=first release=6.1.0 cpus=4");
	kdh_analysis_console_feed_line(&e, "KDH: ready");
	kdh_analysis_console_feed_line(&e, "[    4.114142] Kernel panic - not syncing: NMI: Not continuing");
	ck_assert(!e.panic_without_kexec);
	kdh_analysis_console_feed_line(&e, PANIC_END);
	ck_assert(e.panic_without_kexec);
	ck_assert(!e.capture_banner);
	/* A banner after that (a reset) does not undo it. */
	kdh_analysis_console_feed_line(&e, BANNER);
	ck_assert(e.panic_without_kexec);
	kdh_evidence_clear(&e);
}
END_TEST

/* A real first kernel that panicked on its way up (no init: rdinit= named no
 * program): the panic's words are kept, and the run is not testable (no-boot),
 * with the words in its reason, never a verdict on the crash path. */
START_TEST(test_console_panic_before_hello)
{
	g_autofree char *text = kdh_test_read_sample("console-boot-panic-no-init.log");
	const struct kdh_expect expect = { .vcpus = 4, .panic_cpu = -1 };
	struct kdh_verdict v;
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	kdh_test_feed_console(&e, text);
	ck_assert(!e.first.seen);
	ck_assert_str_eq(e.panic_without_kexec, "VFS: Unable to mount root fs on unknown-block(0,0)");
	kdh_verdict_decide(&v, &expect, &e);
	ck_assert_int_eq(v.result, KDH_RESULT_SKIP);
	ck_assert_int_eq(v.reason, KDH_REASON_NO_BOOT);
	ck_assert_str_eq(v.detail, "the first kernel panicked before its agent started: "
				   "VFS: Unable to mount root fs on unknown-block(0,0)");
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 125);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

/* The stage E has reached after each of LINES is fed, in turn. */
static void assert_reached(struct kdh_evidence *e, const char *line, int stage)
{
	kdh_analysis_console_feed_line(e, line);
	ck_assert_msg(kdh_analysis_evidence_reached(e) == stage, "after '%s': stage %d (%s), expected %d (%s)",
		      line, kdh_analysis_evidence_reached(e), kdh_stage_name(kdh_analysis_evidence_reached(e)), stage,
		      kdh_stage_name(stage));
}

START_TEST(test_evidence_reached)
{
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	ck_assert_int_eq(kdh_analysis_evidence_reached(&e), -1);
	assert_reached(&e, BANNER, -1);
	assert_reached(&e, "KDH: hello role=first release=6.1.0 cpus=4", KDH_STAGE_BOOT);
	assert_reached(&e, "KDH: inventory count=0", KDH_STAGE_BOOT);
	assert_reached(&e, "KDH: kexec status=0 loaded=1", KDH_STAGE_LOAD);
	assert_reached(&e, "KDH: nmis when=before counts=0,0", KDH_STAGE_LOAD);
	assert_reached(&e, "KDH: probe", KDH_STAGE_LOAD);
	assert_reached(&e, "KDH: nmis when=after counts=1,1", KDH_STAGE_LOAD);
	assert_reached(&e, "KDH: ready", KDH_STAGE_ARM);
	assert_reached(&e, "KDH: trigger how=sysrq cpu=1", KDH_STAGE_TRIGGER);
	assert_reached(&e, BANNER, KDH_STAGE_KEXEC);
	assert_reached(&e, "KDH: hello role=capture release=6.1.0 cpus=1", KDH_STAGE_CAPTURE);
	assert_reached(&e, "KDH: inventory count=0", KDH_STAGE_ENUMERATE);
	assert_reached(&e, "KDH: dump status=1 bytes=0", KDH_STAGE_DUMP);
	assert_reached(&e, "KDH: bye", KDH_STAGE_BYE);
	kdh_evidence_clear(&e);

	/* The host's NMI leaves no sign: from ready straight to the new kernel. A
	 * later sign stands for the earlier ones even when theirs was lost. */
	kdh_evidence_init(&e);
	assert_reached(&e, "KDH: hello role=first release=6.1.0 cpus=4", KDH_STAGE_BOOT);
	assert_reached(&e, "KDH: ready", KDH_STAGE_ARM);
	assert_reached(&e, BANNER, KDH_STAGE_KEXEC);
	assert_reached(&e, "KDH: hello role=capture release=6.1.0 cpus=1", KDH_STAGE_CAPTURE);
	assert_reached(&e, "KDH: bye", KDH_STAGE_BYE);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_kernel_banner)
{
	ck_assert(kdh_analysis_line_is_kernel_banner("[    0.000000] Linux version 6.1.0-56-amd64 "
						     "(debian-kernel@lists.debian.org) #1 SMP\r"));
	ck_assert(kdh_analysis_line_is_kernel_banner("Linux version 6.1.0-56-amd64 (gcc-12) #1 SMP"));
	ck_assert(kdh_analysis_line_is_kernel_banner("[12345.678901] Linux version 6.1.0"));
	ck_assert(!kdh_analysis_line_is_kernel_banner("[    0.000000] Command line: console=ttyS0"));
	ck_assert(!kdh_analysis_line_is_kernel_banner("KDH: hello role=first release=6.1.0 cpus=4"));
	ck_assert(!kdh_analysis_line_is_kernel_banner("[    0.000000] printk: Linux version 6.1.0"));
	ck_assert(!kdh_analysis_line_is_kernel_banner("[boot] Linux version 6.1.0"));
	/* SeaBIOS's last words and escapes, with no line break before the kernel's. */
	ck_assert(kdh_analysis_line_is_kernel_banner("Probing EDD (edd=off to disable)... o\033c\033[?7l"
						     "\033[2J[    0.000000] Linux version 6.1.0-56-amd64 #1"));
	ck_assert(!kdh_analysis_line_is_kernel_banner("Probing EDD (edd=off to disable)... o\033c\033[?7l"
						      "\033[2J Linux version 6.1.0-56-amd64 #1"));
	ck_assert(!kdh_analysis_line_is_kernel_banner("Linux version"));
	ck_assert(!kdh_analysis_line_is_kernel_banner(""));
}
END_TEST

/* ---- kernel logs ---- */

START_TEST(test_panic_log_with_timestamps)
{
	struct kdh_panic_log p;

	kdh_panic_log_init(&p);
	kdh_analysis_panic_log_parse(&p, panic_log_ts);
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 2);
	ck_assert_uint_eq(p.nmi_cpus->len, 4);
	for (int cpu = 0; cpu < 4; cpu++)
		ck_assert_int_eq(int_at(p.nmi_cpus, cpu), cpu);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_panic_log_without_timestamps)
{
	struct kdh_panic_log p = { 0 };

	/* The parse replaces what a zeroed or earlier-parsed record held. */
	kdh_analysis_panic_log_parse(&p, panic_log_ts);
	kdh_analysis_panic_log_parse(&p, "Uhhuh. NMI received for unknown reason 3d on CPU 0.\r\n"
					 "Kernel panic - not syncing: NMI: Not continuing  \r\n"
					 "CPU: 0 PID: 0 Comm: swapper/0 Kdump: loaded Not tainted 6.1.0 #1\r\n"
					 "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009)\r\n");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 0);
	ck_assert_uint_eq(p.nmi_cpus->len, 1);
	ck_assert_int_eq(int_at(p.nmi_cpus, 0), 0);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_panic_log_two_panics)
{
	struct kdh_panic_log p = { 0 };

	kdh_analysis_panic_log_parse(&p, "[   10.000000] Kernel panic - not syncing: Fatal exception\n"
					 "[   10.000001] CPU: 3 UID: 0 PID: 1 Comm: init Not tainted 6.12.0 #1\n"
					 "[   10.000002] Kernel panic - not syncing: NMI: Not continuing\n"
					 "[   10.000003] CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1\n");
	ck_assert_int_eq(p.panic_count, 2);
	ck_assert_str_eq(p.panic_string, "Fatal exception");
	/* 6.10 and later put UID: before PID: in the header. */
	ck_assert_int_eq(p.panic_cpu, 3);
	ck_assert_uint_eq(p.nmi_cpus->len, 0);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_panic_log_end_trailer)
{
	struct kdh_panic_log p = { 0 };

	/* Without a capture kernel panic() ends with a trailer that repeats the
	 * message: it is the same panic, not a second one. */
	kdh_analysis_panic_log_parse(&p, "[   20.000000] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
					 "[   20.000001] Kernel panic - not syncing: NMI: Not continuing\n"
					 "[   20.000002] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0 #1\n"
					 "[   20.000003] Kernel Offset: 0x2000000 from 0xffffffff81000000\n"
					 "[   20.000004] ---[ end Kernel panic - not syncing: NMI: Not continuing ]---\n");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_int_eq(p.panic_cpu, 0);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_panic_log_none)
{
	struct kdh_panic_log p = { 0 };

	kdh_analysis_panic_log_parse(&p, "[    3.000001] CPU: 1 PID: 77 Comm: kworker/1:1 Not tainted 6.1.0 #1\n"
					 "[    3.000002] Uhhuh. NMI received for unknown reason zz on CPU 1.\n"
					 "[    3.000003] Uhhuh. NMI received for unknown reason 21 on CPU -1.\n"
					 "[    3.000004] Dazed and confused, but trying to continue\n");
	ck_assert_int_eq(p.panic_count, 0);
	ck_assert_ptr_null(p.panic_string);
	ck_assert_int_eq(p.panic_cpu, -1);
	ck_assert_uint_eq(p.nmi_cpus->len, 0);
	kdh_analysis_panic_log_parse(&p, "");
	ck_assert_int_eq(p.panic_count, 0);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_panic_end)
{
	ck_assert(kdh_analysis_line_is_panic_end("[    4.114142] ---[ end Kernel panic - not syncing: NMI: "
						 "Not continuing ]---"));
	ck_assert(kdh_analysis_line_is_panic_end("---[ end Kernel panic - not syncing: sysrq triggered crash ]---\r"));
	/* The panic's own message is its start, not its end. */
	ck_assert(!kdh_analysis_line_is_panic_end("[    4.114142] Kernel panic - not syncing: NMI: Not continuing"));
	ck_assert(!kdh_analysis_line_is_panic_end("[    4.114142] ---[ end trace 0000000000000000 ]---"));
	ck_assert(!kdh_analysis_line_is_panic_end("[    4.114142] ---[ end Kernel panic"));
	ck_assert(!kdh_analysis_line_is_panic_end("KDH: ready"));
	ck_assert(!kdh_analysis_line_is_panic_end(""));
}
END_TEST

/* The probe NMI (before the agent arms) and the fatal one (after): CPU 3 got
 * the probe but logs nothing for the fatal NMI. */
static const char panic_log_armed[] =
	"[    3.040453] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
	"[    3.040465] Uhhuh. NMI received for unknown reason 31 on CPU 1.\n"
	"[    3.039518] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
	"[    3.039519] Dazed and confused, but trying to continue\n"
	"[    4.111048] " KDH_KMSG_ARMED "\n"
	"[    4.114142] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n"
	"[    4.114142] Kernel panic - not syncing: NMI: Not continuing\n"
	"[    4.114142] CPU: 0 PID: 0 Comm: swapper/0 Kdump: loaded Not tainted 6.1.0-56-amd64 #1\n"
	"[    4.120549] Uhhuh. NMI received for unknown reason 31 on CPU 1.\n";

START_TEST(test_panic_log_armed_marker)
{
	struct kdh_panic_log p = { 0 };
	g_autofree char *unarmed = NULL;
	g_autofree char *twice = NULL;
	g_autofree char *bare = NULL;

	kdh_analysis_panic_log_parse(&p, panic_log_armed);
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_int_eq(p.panic_cpu, 0);
	assert_ints(p.nmi_cpus, "0,1");

	/* Without the marker every NMI line counts: the marker is what drops CPU 3. */
	unarmed = drop_lines(panic_log_armed, KDH_KMSG_ARMED, 1);
	kdh_analysis_panic_log_parse(&p, unarmed);
	assert_ints(p.nmi_cpus, "0,1,3");
	ck_assert_int_eq(p.panic_cpu, 0);

	/* Only the exact message is the marker; a line that merely mentions it is not. */
	kdh_analysis_panic_log_parse(&p, "[    3.0] Uhhuh. NMI received for unknown reason 21 on CPU 2.\n"
					 "[    4.0] kdh: armed twice\n"
					 "[    4.1] KDH: ready kdh: armed\n");
	assert_ints(p.nmi_cpus, "2");

	/* Without printk times too, and the last marker wins. */
	twice = g_strconcat("Uhhuh. NMI received for unknown reason 21 on CPU 2.\n"
			    KDH_KMSG_ARMED "\n"
			    "Uhhuh. NMI received for unknown reason 21 on CPU 1.\n"
			    KDH_KMSG_ARMED "\n"
			    "Uhhuh. NMI received for unknown reason 21 on CPU 0.\n", NULL);
	kdh_analysis_panic_log_parse(&p, twice);
	assert_ints(p.nmi_cpus, "0");

	/* The marker clears the NMI lines only, never the panic. */
	bare = g_strconcat("Kernel panic - not syncing: NMI: Not continuing\n"
			   "CPU: 3 PID: 0 Comm: swapper/3 Not tainted 6.1.0 #1\n"
			   KDH_KMSG_ARMED "\n", NULL);
	kdh_analysis_panic_log_parse(&p, bare);
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 3);
	ck_assert_uint_eq(p.nmi_cpus->len, 0);
	kdh_panic_log_clear(&p);
}
END_TEST

/* The complaints of P (or of an evidence's capture kernel) as text: "kind cpu
 * where: line" joined by "|". */
static char *complaints_text(GPtrArray *complaints)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < complaints->len; i++) {
		const struct kdh_complaint *c = complaints->pdata[i];

		g_string_append_printf(out, "%s%s %d %s: %s", i ? "|" : "",
				       kdh_complaint_kind_name(c->kind), c->cpu, c->where, c->line);
	}
	return g_string_free(out, FALSE);
}

static void assert_complaints(GPtrArray *complaints, const char *expected)
{
	g_autofree char *got = complaints_text(complaints);

	ck_assert_str_eq(got, expected);
}

START_TEST(test_panic_log_complaints)
{
	struct kdh_panic_log p = { 0 };

	/* From the marker on: the crash path's complaints, each with its CPU. */
	kdh_analysis_panic_log_parse(&p, "[    3.000000] Uhhuh. NMI received for unknown reason 21 on CPU 1.\n"
					 "[    3.000001] Dazed and confused, but trying to continue\n"
					 "[    3.000002] WARNING: CPU: 0 PID: 1 at kernel/smp.c:769 x+0x1/0x2\n"
					 "[    4.000000] kdh: armed\n"
					 "[    4.100000] Uhhuh. NMI received for unknown reason 21 on CPU 2.\n"
					 "[    4.100001] Kernel panic - not syncing: NMI: Not continuing\n"
					 "[    4.100002] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0 #1\n"
					 "[    4.100003] Call Trace:\n"
					 "[    4.100004]  <NMI>\n"
					 "[    4.100005]  </NMI>\n"
					 "[    4.100010] WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
					 "smp_call_function_single+0x10c/0x120\n"
					 "[    4.100011] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0 #1\n"
					 "[    4.100012] Call Trace:\n"
					 "[    4.100020] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n"
					 "[    4.100021] Dazed and confused, but trying to continue\n");
	assert_complaints(p.complaints,
			  "WARNING 2 crash path: WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
			  "smp_call_function_single+0x10c/0x120|"
			  "Dazed and confused 3 crash path: Dazed and confused, but trying to continue");
	assert_ints(p.nmi_cpus, "2,3");
	ck_assert_int_eq(p.panic_cpu, 2);

	/* No marker: the whole log is the crash path. */
	kdh_analysis_panic_log_parse(&p, "Uhhuh. NMI received for unknown reason 21 on CPU 1.\n"
					 "Dazed and confused, but trying to continue\n");
	assert_complaints(p.complaints, "Dazed and confused 1 crash path: Dazed and confused, but "
					"trying to continue");

	/* A BUG before the marker that waits for its header: the header after the
	 * marker is not its, and the BUG is gone with what came before. */
	kdh_analysis_panic_log_parse(&p, "BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
					 "kdh: armed\n"
					 "Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
					 "CPU: 3 PID: 1 Comm: init Not tainted 6.1.0 #1\n");
	assert_complaints(p.complaints, "Oops 3 crash path: Oops: 0000 [#1] PREEMPT SMP NOPTI");

	/* A later parse replaces them. */
	kdh_analysis_panic_log_parse(&p, "");
	ck_assert_uint_eq(p.complaints->len, 0);
	kdh_panic_log_clear(&p);
	ck_assert_ptr_null(p.complaints);
}
END_TEST

START_TEST(test_panic_log_crlf)
{
	struct kdh_panic_log p = { 0 };

	/* A console saved with a serial console's "\r\n": the marker still is one,
	 * and nothing keeps a "\r". */
	kdh_analysis_panic_log_parse(&p, "[    3.040453] Uhhuh. NMI received for unknown reason 21 on CPU 0.\r\n"
					 "[    3.040454] Dazed and confused, but trying to continue\r\n"
					 "[    3.040465] Uhhuh. NMI received for unknown reason 31 on CPU 1.\r\n"
					 "[    3.040466] Dazed and confused, but trying to continue\r\n"
					 "[    4.111048] kdh: armed\r\n"
					 "[    4.114142] Uhhuh. NMI received for unknown reason 21 on CPU 3.\r\n"
					 "[    4.114142] Kernel panic - not syncing: NMI: Not continuing\r\n"
					 "[    4.114142] CPU: 3 PID: 0 Comm: swapper/3 Kdump: loaded Not tainted "
					 "6.1.0 #1\r\n"
					 "[    4.114143] Call Trace:\r\n"
					 "[    4.114150] Oops: 0000 [#1] PREEMPT SMP NOPTI\r\n"
					 "[    4.114151] CPU: 3 PID: 0 Comm: swapper/3 Kdump: loaded Not tainted "
					 "6.1.0 #1\r\n");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 3);
	assert_ints(p.nmi_cpus, "3");
	assert_complaints(p.complaints, "Oops 3 crash path: Oops: 0000 [#1] PREEMPT SMP NOPTI");
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_console_capture_complaints)
{
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	/* The first kernel's complaints, before and after it is ready, are not the
	 * capture kernel's (its crash path is read from the vmcore). */
	kdh_analysis_console_feed_line(&e, BANNER);
	kdh_analysis_console_feed_line(&e, "[    1.000000] WARNING: CPU: 1 PID: 1 at kernel/smp.c:769 x+0x1/0x2");
	kdh_analysis_console_feed_line(&e, "KDH: hello role=first release=6.1.0 cpus=4");
	kdh_analysis_console_feed_line(&e, "KDH: ready");
	kdh_analysis_console_feed_line(&e, "[    4.0] Uhhuh. NMI received for unknown reason 21 on CPU 2.");
	kdh_analysis_console_feed_line(&e, "[    4.1] Dazed and confused, but trying to continue");
	kdh_analysis_console_feed_line(&e, "[    4.2] Kernel panic - not syncing: NMI: Not continuing");
	kdh_analysis_console_feed_line(&e, "[    4.3] CPU: 2 PID: 0 Comm: swapper/2 Not tainted 6.1.0 #1");
	kdh_analysis_console_feed_line(&e, "[    4.4] Call Trace:");
	ck_assert_uint_eq(e.capture_complaints->len, 0);
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 0);

	/* From the capture kernel's banner on, they are. */
	kdh_analysis_console_feed_line(&e, BANNER);
	kdh_analysis_console_feed_line(&e, "[    1.937017] BUG: kernel NULL pointer dereference, address: "
					   "0000000000000008");
	kdh_analysis_console_feed_line(&e, "[    1.938318] Oops: 0000 [#1] PREEMPT SMP NOPTI");
	kdh_analysis_console_feed_line(&e, "KDH: hello role=capture release=6.1.0 cpus=1");
	kdh_analysis_console_feed_line(&e, "[    1.938594] CPU: 0 PID: 62 Comm: kworker/0:2 Not tainted 6.1.0 #1");
	kdh_analysis_console_feed_line(&e, "[    1.940190] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]");
	kdh_analysis_console_feed_line(&e, "[    1.942230] Call Trace:");
	kdh_analysis_console_feed_line(&e, "[    2.000000] NMI backtrace for cpu 0");
	kdh_analysis_console_feed_line(&e, "[    2.000001] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0 #1");
	kdh_analysis_console_feed_line(&e, "[    2.000002] Call Trace:");
	assert_complaints(e.capture_complaints,
			  "BUG 0 capture kernel: BUG: kernel NULL pointer dereference, address: "
			  "0000000000000008|"
			  "Oops 0 capture kernel: Oops: 0000 [#1] PREEMPT SMP NOPTI|"
			  "Call Trace 0 capture kernel: Call Trace:");
	ck_assert(e.capture.seen);
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- inventories ---- */

static GPtrArray *devices(const char *const *specs)
{
	GPtrArray *a = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_device_free);

	for (; *specs; specs++) {
		g_auto(GStrv) f = g_strsplit(*specs, " ", 4);

		g_ptr_array_add(a, kdh_device_new(f[0], f[1], f[2], f[3]));
	}
	return a;
}

START_TEST(test_inventory_same)
{
	static const char *const first[] = { "pci 0000:00:01.0 1af4:1042 virtio-pci",
					     "virtio virtio0 0x0002 virtio_blk",
					     "pci 0000:00:1f.0 8086:2918 lpc_ich", NULL };
	static const char *const capture[] = { "pci 0000:00:1f.0 8086:2918 lpc_ich",
					       "virtio virtio0 0x0002 virtio_blk",
					       "pci 0000:00:01.0 1af4:1042 virtio-pci", NULL };
	g_autoptr(GPtrArray) a = devices(first);
	g_autoptr(GPtrArray) b = devices(capture);
	g_autoptr(GPtrArray) none1 = devices((const char *const[]){ NULL });
	g_autoptr(GPtrArray) none2 = devices((const char *const[]){ NULL });

	ck_assert_ptr_null(kdh_analysis_inventory_diff(a, b));
	ck_assert_ptr_null(kdh_analysis_inventory_diff(none1, none2));
}
END_TEST

START_TEST(test_inventory_missing_and_extra)
{
	static const char *const first[] = { "pci 0000:00:01.0 1af4:1042 virtio-pci",
					     "virtio virtio1 0x0002 virtio_blk",
					     "virtio virtio0 0x0001 virtio_net", NULL };
	static const char *const capture[] = { "pci 0000:00:04.0 1af4:1042 -",
					       "virtio virtio0 0x0001 virtio_net",
					       "pci 0000:00:01.0 1af4:1042 virtio-pci", NULL };
	g_autoptr(GPtrArray) a = devices(first);
	g_autoptr(GPtrArray) b = devices(capture);
	g_autofree char *diff = kdh_analysis_inventory_diff(a, b);

	ck_assert_str_eq(diff, "missing virtio virtio1 0x0002 virtio_blk; "
			       "extra pci 0000:00:04.0 1af4:1042 -");
}
END_TEST

START_TEST(test_inventory_driver_and_multiset)
{
	static const char *const first[] = { "pci 0000:00:02.0 1af4:1001 virtio-pci",
					     "vmbus dev1 {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} hv_storvsc",
					     "vmbus dev1 {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} hv_storvsc",
					     NULL };
	static const char *const capture[] = { "pci 0000:00:02.0 1af4:1001 -",
					       "vmbus dev1 {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} hv_storvsc",
					       NULL };
	g_autoptr(GPtrArray) a = devices(first);
	g_autoptr(GPtrArray) b = devices(capture);
	g_autofree char *diff = kdh_analysis_inventory_diff(a, b);
	g_autofree char *reverse = kdh_analysis_inventory_diff(b, a);

	/* An unbound driver is a difference; a duplicate counts. */
	ck_assert_str_eq(diff, "missing pci 0000:00:02.0 1af4:1001 virtio-pci; "
			       "missing vmbus dev1 {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} hv_storvsc; "
			       "extra pci 0000:00:02.0 1af4:1001 -");
	ck_assert_str_eq(reverse, "missing pci 0000:00:02.0 1af4:1001 -; "
				  "extra pci 0000:00:02.0 1af4:1001 virtio-pci; "
				  "extra vmbus dev1 {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} hv_storvsc");
}
END_TEST

/* ---- real samples: Debian 6.1.0-56-amd64, 4 vCPUs, QEMU 7.2 q35 under TCG ---- */

static void parse_sample(struct kdh_panic_log *p, const char *name)
{
	g_autofree char *text = kdh_test_read_sample(name);

	kdh_analysis_panic_log_parse(p, text);
}

/* The lines of TEXT for which IS is true. */
static int count_lines(const char *text, gboolean (*is)(const char *line))
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	int n = 0;

	for (char **l = lines; *l; l++)
		n += is(*l);
	return n;
}

/* Feeds a saved console as it stands ("\r" and all: the analysis must cope);
 * returns the number of kernel banners in it. */
static int feed_sample(struct kdh_evidence *e, const char *name)
{
	g_autofree char *text = kdh_test_read_sample(name);

	kdh_evidence_init(e);
	kdh_test_feed_console_raw(e, text);
	return count_lines(text, kdh_analysis_line_is_kernel_banner);
}

START_TEST(test_real_vmcore_nmi_all)
{
	struct kdh_panic_log p = { 0 };

	/* apic_extnmi=all: every vCPU got the NMI, CPU 2 won the race to panic. */
	parse_sample(&p, "vmcore-dmesg-nmi-all.txt");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 2);
	ck_assert_uint_eq(p.nmi_cpus->len, 4);
	for (int cpu = 0; cpu < 4; cpu++)
		ck_assert_int_eq(int_at(p.nmi_cpus, cpu), cpu);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_real_vmcore_nmi_cpu0)
{
	struct kdh_panic_log p = { 0 };

	/* By default only the boot CPU unmasks LINT1. */
	parse_sample(&p, "vmcore-dmesg-nmi-cpu0.txt");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 0);
	ck_assert_uint_eq(p.nmi_cpus->len, 1);
	ck_assert_int_eq(int_at(p.nmi_cpus, 0), 0);
	kdh_panic_log_clear(&p);
}
END_TEST

/* What both kernels of a good run reported on the console. */
static void assert_real_good_run(const char *name, gint64 dump_bytes)
{
	struct kdh_evidence e;
	g_autofree char *diff = NULL;

	ck_assert_int_eq(feed_sample(&e, name), 2);
	ck_assert(e.first.seen);
	ck_assert_str_eq(e.first.release, "6.1.0-56-amd64");
	ck_assert_int_eq(e.first.cpus, 4);
	ck_assert_int_eq(e.first.kexec_status, 0);
	ck_assert_int_eq(e.first.kexec_loaded, 1);
	ck_assert(e.first.ready);
	ck_assert(e.first.inventory_done);
	ck_assert_uint_eq(e.first.modules_failed->len, 0);
	ck_assert_uint_eq(e.first.errors->len, 0);
	ck_assert_uint_eq(e.first.devices->len, 8);

	ck_assert(e.capture.seen);
	ck_assert_str_eq(e.capture.release, "6.1.0-56-amd64");
	ck_assert_int_eq(e.capture.cpus, 1);
	ck_assert(e.capture.inventory_done);
	ck_assert(!e.capture.ready);
	ck_assert_int_eq(e.capture.kexec_loaded, -1);
	ck_assert_uint_eq(e.capture.errors->len, 0);
	ck_assert_uint_eq(e.capture.devices->len, 8);
	ck_assert_int_eq(e.capture.dump_status, 0);
	ck_assert(e.capture.dump_bytes == dump_bytes);
	ck_assert(e.capture.bye);

	/* The agent of that time sent no probe and no trigger. */
	ck_assert(!e.first.probe_wanted);
	ck_assert_uint_eq(e.first.nmis_before->len, 0);
	ck_assert_uint_eq(e.first.nmis_after->len, 0);
	ck_assert_int_eq(e.first.trigger_cpu, -1);

	ck_assert(e.capture_banner);
	ck_assert(!e.panic_without_kexec);
	ck_assert_int_eq(kdh_analysis_evidence_reached(&e), KDH_STAGE_BYE);

	diff = kdh_analysis_inventory_diff(e.first.devices, e.capture.devices);
	ck_assert_ptr_null(diff);
	kdh_evidence_clear(&e);
}

START_TEST(test_real_console_nmi_all)
{
	assert_real_good_run("console-nmi-all.log", 26573642);
}
END_TEST

START_TEST(test_real_console_nmi_cpu0)
{
	assert_real_good_run("console-nmi-cpu0.log", 33956322);
}
END_TEST

START_TEST(test_real_console_no_crashkernel)
{
	struct kdh_evidence e;
	g_autofree char *text = kdh_test_read_sample("console-no-crashkernel.log");
	struct kdh_panic_log p = { 0 };

	/* One kernel only: kexec -p failed, and no capture kernel ever came. */
	ck_assert_int_eq(feed_sample(&e, "console-no-crashkernel.log"), 1);
	ck_assert(e.first.seen);
	ck_assert_int_eq(e.first.cpus, 4);
	ck_assert_int_eq(e.first.kexec_status, 1);
	ck_assert_int_eq(e.first.kexec_loaded, 0);
	ck_assert(e.first.ready);
	ck_assert_uint_eq(e.first.devices->len, 8);
	ck_assert(!e.capture.seen);
	ck_assert_uint_eq(e.capture.devices->len, 0);
	ck_assert_int_eq(e.capture.dump_status, -2);
	ck_assert(!e.capture_banner);
	ck_assert(!e.panic_without_kexec);
	ck_assert_int_eq(kdh_analysis_evidence_reached(&e), KDH_STAGE_ARM);
	kdh_evidence_clear(&e);
	/* panic=-1 on that command line: the guest reset before the panic's end. */
	ck_assert_int_eq(count_lines(text, kdh_analysis_line_is_panic_end), 0);

	/* Without kdump loaded the panic reaches the console. */
	kdh_analysis_panic_log_parse(&p, text);
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 2);
	ck_assert_uint_eq(p.nmi_cpus->len, 4);
	ck_assert_int_eq(int_at(p.nmi_cpus, 3), 3);
	kdh_panic_log_clear(&p);
}
END_TEST

/* ---- real samples with the probe NMI: the harness's own runs of the shipped
 * scenarios (Debian 6.1.0-56-amd64, 4 vCPUs, QEMU q35 under TCG). The console is
 * the first kernel's followed by the capture kernel's. ---- */

/* What both kernels of a good run with the probe reported on the console. */
static void assert_real_probe_run(const char *name, const char *after, const char *hits,
				  int trigger_cpu, gint64 dump_bytes)
{
	struct kdh_evidence e;
	g_autofree char *text = kdh_test_read_sample(name);
	g_autoptr(GArray) got = NULL;
	g_autofree char *diff = NULL;

	ck_assert_int_eq(feed_sample(&e, name), 2);
	ck_assert(e.first.seen);
	ck_assert_str_eq(e.first.release, "6.1.0-56-amd64");
	ck_assert_int_eq(e.first.cpus, 4);
	ck_assert_int_eq(e.first.kexec_status, 0);
	ck_assert_int_eq(e.first.kexec_loaded, 1);
	ck_assert(e.first.probe_wanted);
	assert_ints(e.first.nmis_before, "0,0,0,0");
	assert_ints(e.first.nmis_after, after);
	got = kdh_analysis_nmi_probe_hits(&e.first);
	assert_ints(got, hits);
	ck_assert(e.first.ready);
	ck_assert_int_eq(e.first.trigger_cpu, trigger_cpu);
	ck_assert(!e.first.bye);
	ck_assert(e.first.inventory_done);
	ck_assert_uint_eq(e.first.modules_failed->len, 0);
	ck_assert_uint_eq(e.first.errors->len, 0);
	ck_assert_uint_eq(e.first.devices->len, 8);

	ck_assert(e.capture.seen);
	ck_assert_str_eq(e.capture.release, "6.1.0-56-amd64");
	ck_assert_int_eq(e.capture.cpus, 1);
	ck_assert(e.capture.inventory_done);
	ck_assert(!e.capture.ready);
	ck_assert(!e.capture.probe_wanted);
	ck_assert_uint_eq(e.capture.nmis_after->len, 0);
	ck_assert_int_eq(e.capture.trigger_cpu, -1);
	ck_assert_int_eq(e.capture.kexec_loaded, -1);
	ck_assert_uint_eq(e.capture.errors->len, 0);
	ck_assert_uint_eq(e.capture.devices->len, 8);
	ck_assert_int_eq(e.capture.dump_status, 0);
	ck_assert(e.capture.dump_bytes == dump_bytes);
	ck_assert(e.capture.bye);

	diff = kdh_analysis_inventory_diff(e.first.devices, e.capture.devices);
	ck_assert_ptr_null(diff);
	/* It kexec'd: the first kernel never ended its panic. */
	ck_assert_int_eq(count_lines(text, kdh_analysis_line_is_panic_end), 0);
	ck_assert(e.capture_banner);
	ck_assert(!e.panic_without_kexec);
	ck_assert_int_eq(kdh_analysis_evidence_reached(&e), KDH_STAGE_BYE);
	kdh_evidence_clear(&e);
}

START_TEST(test_real_probe_console_nmi_all_vcpus)
{
	/* apic_extnmi=all: the probe NMI raised every CPU's count. */
	assert_real_probe_run("console-probe-nmi-all-vcpus.log", "1,1,1,1", "0,1,2,3", -1, 33255921);
}
END_TEST

START_TEST(test_real_probe_console_nmi_cpu0)
{
	/* Without apic_extnmi=all only the boot CPU takes the NMI. */
	assert_real_probe_run("console-probe-nmi-cpu0.log", "1,0,0,0", "0", -1, 34101913);
}
END_TEST

START_TEST(test_real_probe_console_sysrq_cpu2)
{
	assert_real_probe_run("console-probe-sysrq-cpu2.log", "1,1,1,1", "0,1,2,3", 2, 33990821);
}
END_TEST

START_TEST(test_real_probe_vmcore_nmi_all_vcpus)
{
	struct kdh_panic_log p = { 0 };

	/* The fatal NMI reached every CPU; CPU 1 won the race this time. */
	parse_sample(&p, "vmcore-dmesg-probe-nmi-all-vcpus.txt");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 1);
	assert_ints(p.nmi_cpus, "0,1,2,3");
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_real_probe_vmcore_nmi_cpu0)
{
	struct kdh_panic_log p = { 0 };

	parse_sample(&p, "vmcore-dmesg-probe-nmi-cpu0.txt");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 0);
	assert_ints(p.nmi_cpus, "0");
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_real_probe_vmcore_sysrq_cpu2)
{
	struct kdh_panic_log p = { 0 };
	g_autofree char *text = kdh_test_read_sample("vmcore-dmesg-probe-sysrq-cpu2.txt");
	g_autofree char *unarmed = drop_lines(text, KDH_KMSG_ARMED, 1);

	kdh_analysis_panic_log_parse(&p, text);
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "sysrq triggered crash");
	ck_assert_int_eq(p.panic_cpu, 2);
	/* The log holds the probe's unknown NMIs, all before the agent armed. */
	ck_assert_uint_eq(p.nmi_cpus->len, 0);

	/* The marker is what keeps them out: without it, every CPU "saw" an NMI. */
	kdh_analysis_panic_log_parse(&p, unarmed);
	assert_ints(p.nmi_cpus, "0,1,2,3");
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_int_eq(p.panic_cpu, 2);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_real_probe_broken_no_crashkernel)
{
	struct kdh_evidence e;
	g_autofree char *text = kdh_test_read_sample("console-probe-broken-no-crashkernel.log");
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);
	g_autoptr(GArray) hits = NULL;
	struct kdh_panic_log p = { 0 };

	/* One kernel: kexec -p found no crashkernel= memory, the NMI panic ran to its end. */
	ck_assert_int_eq(feed_sample(&e, "console-probe-broken-no-crashkernel.log"), 1);
	ck_assert(e.first.seen);
	ck_assert_int_eq(e.first.cpus, 4);
	ck_assert_int_eq(e.first.kexec_status, 1);
	ck_assert_int_eq(e.first.kexec_loaded, 0);
	ck_assert(e.first.probe_wanted);
	assert_ints(e.first.nmis_before, "0,0,0,0");
	assert_ints(e.first.nmis_after, "1,1,1,1");
	hits = kdh_analysis_nmi_probe_hits(&e.first);
	assert_ints(hits, "0,1,2,3");
	ck_assert(e.first.ready);
	ck_assert_uint_eq(e.first.devices->len, 8);
	ck_assert(!e.capture.seen);
	ck_assert(!e.capture.bye);
	ck_assert_int_eq(e.capture.dump_status, -2);
	ck_assert(!e.capture_banner);
	ck_assert(e.panic_without_kexec);
	/* Armed, then the host's NMI, which leaves no sign of its own. */
	ck_assert_int_eq(kdh_analysis_evidence_reached(&e), KDH_STAGE_ARM);
	kdh_evidence_clear(&e);

	/* Its last line is the panic's trailer, and the only line that ends a panic. */
	ck_assert_uint_ge(n, 2);
	ck_assert_str_eq(lines[n - 1], "");
	ck_assert_str_eq(lines[n - 2], "[    4.114142] ---[ end Kernel panic - not syncing: NMI: "
				       "Not continuing ]---");
	ck_assert(kdh_analysis_line_is_panic_end(lines[n - 2]));
	ck_assert_int_eq(count_lines(text, kdh_analysis_line_is_panic_end), 1);

	/* The trailer is not a second panic; the armed marker reached the console. */
	kdh_analysis_panic_log_parse(&p, text);
	ck_assert_int_eq(p.panic_count, 1);
	ck_assert_str_eq(p.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(p.panic_cpu, 0);
	assert_ints(p.nmi_cpus, "0,1,2,3");
	kdh_panic_log_clear(&p);
}
END_TEST

/* ---- complaints in the real samples ---- */

START_TEST(test_real_no_complaints)
{
	static const char *const consoles[] = {
		"console-nmi-all.log",		   "console-nmi-cpu0.log",
		"console-no-crashkernel.log",	   "console-probe-nmi-all-vcpus.log",
		"console-probe-nmi-cpu0.log",	   "console-probe-sysrq-cpu2.log",
		"console-probe-broken-no-crashkernel.log",
	};
	static const char *const logs[] = {
		/* the probe's "Dazed" lines are all before the marker */
		"vmcore-dmesg-probe-nmi-all-vcpus.txt", "vmcore-dmesg-probe-nmi-cpu0.txt",
		"vmcore-dmesg-probe-sysrq-cpu2.txt",
		/* no marker: the whole log, and nothing in it */
		"vmcore-dmesg-nmi-all.txt", "vmcore-dmesg-nmi-cpu0.txt",
	};

	/* Good runs: the capture kernels complain about nothing (the first kernels'
	 * "Dazed" lines from the probe are before their banners)... */
	for (gsize i = 0; i < G_N_ELEMENTS(consoles); i++) {
		struct kdh_evidence e;
		g_autofree char *got = NULL;

		feed_sample(&e, consoles[i]);
		got = complaints_text(e.capture_complaints);
		ck_assert_msg(e.capture_complaints->len == 0, "%s: %s", consoles[i], got);
		kdh_evidence_clear(&e);
	}
	/* ...and neither do the crash paths. */
	for (gsize i = 0; i < G_N_ELEMENTS(logs); i++) {
		struct kdh_panic_log p = { 0 };
		g_autofree char *got = NULL;

		parse_sample(&p, logs[i]);
		got = complaints_text(p.complaints);
		ck_assert_msg(p.complaints->len == 0, "%s: %s", logs[i], got);
		kdh_panic_log_clear(&p);
	}
}
END_TEST

START_TEST(test_real_probe_unarmed_complaints)
{
	g_autofree char *text = kdh_test_read_sample("vmcore-dmesg-probe-nmi-cpu0.txt");
	g_autofree char *unarmed = drop_lines(text, KDH_KMSG_ARMED, 1);
	g_autofree char *all = kdh_test_read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	g_autofree char *all_unarmed = drop_lines(all, KDH_KMSG_ARMED, 1);
	struct kdh_panic_log p = { 0 };

	/* Without the marker the probe's survived NMI is in the crash path. */
	kdh_analysis_panic_log_parse(&p, unarmed);
	assert_complaints(p.complaints, "Dazed and confused 0 crash path: Dazed and confused, but "
					"trying to continue");
	kdh_analysis_panic_log_parse(&p, all_unarmed);
	ck_assert_uint_eq(p.complaints->len, 4);
	kdh_panic_log_clear(&p);
}
END_TEST

START_TEST(test_real_capture_oops)
{
	g_autofree char *text = kdh_test_read_sample("console-probe-nmi-all-vcpus.log");
	const char *hello = strstr(text, "KDH: hello role=capture");
	g_autofree char *first_part = NULL;
	g_autofree char *edited = NULL;
	g_auto(GStrv) lines = NULL;
	struct kdh_evidence e;

	/* The real run, with the capture kernel oopsing just before its agent
	 * started (the console's own line ends: "\n"). */
	ck_assert_ptr_nonnull(hello);
	first_part = g_strndup(text, hello - text);
	edited = g_strconcat(first_part,
			     "[    1.937017] BUG: kernel NULL pointer dereference, address: "
			     "0000000000000008\n"
			     "[    1.937502] #PF: supervisor read access in kernel mode\n"
			     "[    1.938318] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
			     "[    1.938594] CPU: 0 PID: 62 Comm: kworker/0:2 Not tainted 6.1.0-56-amd64 #1"
			     "  Debian 6.1.192-2\n"
			     "[    1.940190] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]\n"
			     "[    1.942230] Call Trace:\n"
			     "[    1.942390]  <TASK>\n"
			     "[    1.944120]  </TASK>\n",
			     hello, NULL);
	kdh_evidence_init(&e);
	lines = g_strsplit(edited, "\n", -1);
	for (char **l = lines; *l; l++)
		kdh_analysis_console_feed_line(&e, *l);
	assert_complaints(e.capture_complaints,
			  "BUG 0 capture kernel: BUG: kernel NULL pointer dereference, address: "
			  "0000000000000008|"
			  "Oops 0 capture kernel: Oops: 0000 [#1] PREEMPT SMP NOPTI");
	ck_assert(e.capture.bye);
	kdh_evidence_clear(&e);
}
END_TEST

/* A real console where a kernel message landed between the capture agent's
 * hello and its line end: "KDH: hello role=capture ... cpus=1[    2.286794] tsc:
 * ...". The hello must still count, and the kernel's line after it too. */
START_TEST(test_real_interleaved_hello)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, "console-interleaved-hello.log", NULL);
	ck_assert(e.capture.seen);
	ck_assert_int_eq(e.capture.cpus, 1);
	ck_assert(e.capture.inventory_done);
	ck_assert_uint_eq(e.capture.devices->len, 8);
	ck_assert_int_eq(e.capture.dump_bytes, 30528126);
	ck_assert(e.capture.bye);
	ck_assert_int_eq(kdh_analysis_evidence_reached(&e), KDH_STAGE_BYE);
	kdh_evidence_clear(&e);
}
END_TEST

/* The shapes a kernel message cutting the agent's line takes, on the lines of
 * the real cut (console-hyperv-agent-line-cut.log, test-vmbus.c): its rest on
 * the next line; cut twice; cut just before the line end (an empty line
 * follows); and a line whose cut is followed at once by another kernel or
 * agent line. Each agent line counts, and each kernel line after it. */
START_TEST(test_agent_line_cut_shapes)
{
	static const char *const twice[] = {
		"KDH: hello role=first release=6.1.192 cpus=2",
		"KDH: nmis when=a[   15.084853] Dazed and confused, but trying to continue",
		"fter cou[   15.090000] Uhhuh. NMI received for unknown reason 00 on CPU 1.",
		"nts=1,1",
		"KDH: ready[   15.100000] Linux version 6.1.192 (root@vm)",
		"",
		"KDH: hello role=capture release=6.1.192 cpus=1[    2.286794] tsc: Refined",
		"[    2.300000] hv_vmbus: Vmbus version:4.0",
		"KDH: bye[    3.000000] reboot: Power down",
	};
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	for (gsize i = 0; i < G_N_ELEMENTS(twice); i++)
		kdh_analysis_console_feed_line(&e, twice[i]);
	ck_assert_uint_eq(e.first.nmis_after->len, 2);
	ck_assert_int_eq(g_array_index(e.first.nmis_after, int, 1), 1);
	/* ready came before the banner that cut it: the banner is the capture's */
	ck_assert(e.first.ready);
	ck_assert(e.capture_banner);
	ck_assert(e.capture.seen);
	ck_assert_int_eq(e.capture.cpus, 1);
	ck_assert_str_eq(e.capture.vmbus_version, "4.0");
	/* the last line waits for the next one; a kdh analyze of a file gets it
	 * from the file's final newline */
	ck_assert(!e.capture.bye);
	kdh_analysis_console_feed_line(&e, "");
	ck_assert(e.capture.bye);
	ck_assert_ptr_null(e.console_cut_head);
	kdh_evidence_clear(&e);
}
END_TEST

static Suite *analysis_suite(void)
{
	Suite *s = suite_create("analysis");
	TCase *tc;

	tc = tcase_create("evidence");
	tcase_add_test(tc, test_stage_names);
	tcase_add_test(tc, test_evidence_init);
	tcase_add_test(tc, test_clear_zeroed);
	suite_add_tcase(s, tc);

	tc = tcase_create("protocol");
	tcase_add_test(tc, test_msg_parse);
	tcase_add_test(tc, test_msg_parse_mid_line_and_cr);
	tcase_add_test(tc, test_agent_line_cut_shapes);
	tcase_add_test(tc, test_msg_parse_rejects);
	tcase_add_test(tc, test_apply_every_kind);
	tcase_add_test(tc, test_apply_ignores_malformed);
	tcase_add_test(tc, test_nmi_probe_hits);
	tcase_add_test(tc, test_console_routes_by_role);
	tcase_add_test(tc, test_console_banner_and_panic_end);
	tcase_add_test(tc, test_console_panic_before_hello);
	tcase_add_test(tc, test_evidence_reached);
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel-log");
	tcase_add_test(tc, test_kernel_banner);
	tcase_add_test(tc, test_panic_end);
	tcase_add_test(tc, test_panic_log_with_timestamps);
	tcase_add_test(tc, test_panic_log_without_timestamps);
	tcase_add_test(tc, test_panic_log_two_panics);
	tcase_add_test(tc, test_panic_log_end_trailer);
	tcase_add_test(tc, test_panic_log_none);
	tcase_add_test(tc, test_panic_log_armed_marker);
	tcase_add_test(tc, test_panic_log_complaints);
	tcase_add_test(tc, test_panic_log_crlf);
	tcase_add_test(tc, test_console_capture_complaints);
	suite_add_tcase(s, tc);

	tc = tcase_create("inventory");
	tcase_add_test(tc, test_inventory_same);
	tcase_add_test(tc, test_inventory_missing_and_extra);
	tcase_add_test(tc, test_inventory_driver_and_multiset);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-samples");
	tcase_add_test(tc, test_real_vmcore_nmi_all);
	tcase_add_test(tc, test_real_vmcore_nmi_cpu0);
	tcase_add_test(tc, test_real_console_nmi_all);
	tcase_add_test(tc, test_real_console_nmi_cpu0);
	tcase_add_test(tc, test_real_console_no_crashkernel);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-probe-samples");
	tcase_add_test(tc, test_real_probe_console_nmi_all_vcpus);
	tcase_add_test(tc, test_real_probe_console_nmi_cpu0);
	tcase_add_test(tc, test_real_probe_console_sysrq_cpu2);
	tcase_add_test(tc, test_real_probe_vmcore_nmi_all_vcpus);
	tcase_add_test(tc, test_real_probe_vmcore_nmi_cpu0);
	tcase_add_test(tc, test_real_probe_vmcore_sysrq_cpu2);
	tcase_add_test(tc, test_real_probe_broken_no_crashkernel);
	tcase_add_test(tc, test_real_interleaved_hello);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-complaints");
	tcase_add_test(tc, test_real_no_complaints);
	tcase_add_test(tc, test_real_probe_unarmed_complaints);
	tcase_add_test(tc, test_real_capture_oops);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(analysis_suite());
}

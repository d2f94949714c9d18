/* Unit tests of harness/report/report.c: KTAP lines, the summary JSON and run.json. */
#include <check.h>

#include "kdh-analysis.h"
#include "kdh-error.h"
#include "kdh-report.h"
#include "kdh-test.h"

static const struct kdh_expect expect = {
	.vcpus = 4,
	.panic_string = "NMI: Not continuing",
	.nmi_probe = TRUE,
	.nmi_on_every_cpu = TRUE,
	.panic_from_nmi = TRUE,
	.panic_cpu = -1,
};

/* A run that reached the capture kernel's dump, with a vmcore log. */
static void evidence_good(struct kdh_evidence *e)
{
	kdh_evidence_init(e);
	kdh_test_feed_console_raw(e,
				  "KDH: hello role=first release=6.1.0-56-amd64 cpus=4\r\n"
				  "KDH: module name=hv_balloon status=error errno=19\r\n"
				  "KDH: kexec status=0 loaded=1\r\n"
				  "KDH: device bus=pci name=0000:00:01.0 id=1af4:1042 driver=virtio-pci\r\n"
				  "KDH: device bus=virtio name=virtio0 id=0x0002 driver=virtio_blk\r\n"
				  "KDH: inventory count=2\r\n"
				  "KDH: nmis when=before counts=0,5,0,0\r\n"
				  "KDH: probe\r\n"
				  "KDH: nmis when=after counts=1,5,2,1\r\n"
				  "KDH: ready\r\n"
				  "KDH: trigger how=sysrq cpu=3\r\n"
				  "KDH: hello role=capture release=6.1.0-56-amd64 cpus=1\r\n"
				  "KDH: device bus=pci name=0000:00:01.0 id=1af4:1042 driver=-\r\n"
				  "KDH: error what=dump_disk errno=6\r\n"
				  "KDH: dump status=0 bytes=24903680\r\n");
	kdh_analysis_panic_log_parse(&e->vmcore_log,
				     "[   12.345678] Uhhuh. NMI received for unknown reason 21 on CPU 1.\n"
				     "[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
				     "[   12.345691] CPU: 1 PID: 0 Comm: swapper/1 Kdump: loaded Not tainted 6.1.0 #1\n"
				     "[   12.345700] Uhhuh. NMI received for unknown reason 31 on CPU 3.\n");
	e->vmcore_read = TRUE;
	e->stage_seconds[KDH_STAGE_BOOT] = 7.5;
	e->stage_seconds[KDH_STAGE_ARM] = 0.25;
	e->stage_seconds[KDH_STAGE_TRIGGER] = 0;
}

static void assert_ints(JsonArray *a, const char *expected)
{
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; i < json_array_get_length(a); i++)
		g_string_append_printf(text, "%s%" G_GINT64_FORMAT, i ? "," : "",
				       json_array_get_int_element(a, i));
	ck_assert_str_eq(text->str, expected);
}

START_TEST(test_ktap_plan)
{
	g_autofree char *plan = kdh_report_ktap_plan(3);
	g_autofree char *none = kdh_report_ktap_plan(0);

	ck_assert_str_eq(plan, "KTAP version 1\n1..3\n");
	ck_assert_str_eq(none, "KTAP version 1\n1..0\n");
}
END_TEST

START_TEST(test_ktap_results)
{
	struct kdh_verdict pass = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT,
				    (char *)"panic on CPU 0; NMI seen on CPU 0" };
	struct kdh_verdict fail = { KDH_RESULT_FAIL, KDH_REASON_DEADLINE, KDH_STAGE_CAPTURE,
				    (char *)"deadline for stage 'capture' passed" };
	struct kdh_verdict skip = { KDH_RESULT_SKIP, KDH_REASON_NO_BOOT, KDH_STAGE__COUNT,
				    (char *)"the first kernel's agent never said hello" };
	g_autofree char *p = kdh_report_ktap_result(1, "nmi-all", &pass);
	g_autofree char *f = kdh_report_ktap_result(2, "nmi-cpu0", &fail);
	g_autofree char *s = kdh_report_ktap_result(3, "hyperv", &skip);

	ck_assert_str_eq(p, "ok 1 nmi-all\n");
	ck_assert_str_eq(f, "not ok 2 nmi-cpu0 # deadline: deadline for stage 'capture' passed\n");
	ck_assert_str_eq(s, "ok 3 hyperv # SKIP the first kernel's agent never said hello\n");
}
END_TEST

/* A run that broke, and those that never ran: each still has its line. */
START_TEST(test_ktap_error_and_not_run)
{
	g_autofree char *e = kdh_report_ktap_error(1, "nmi-all", "libvirt's connection lost:\nend of file");
	g_autofree char *n = kdh_report_ktap_not_run(2, "nmi-cpu0", "nmi-all broke under the harness");

	ck_assert_str_eq(e, "not ok 1 nmi-all # error: libvirt's connection lost: end of file\n");
	ck_assert_str_eq(n, "ok 2 nmi-cpu0 # SKIP not run: nmi-all broke under the harness\n");
}
END_TEST

START_TEST(test_ktap_new_reasons)
{
	struct kdh_verdict probe = { KDH_RESULT_FAIL, KDH_REASON_NMI_NOT_DELIVERED, KDH_STAGE__COUNT,
				     (char *)"the probe NMI did not reach CPUs 1-3" };
	struct kdh_verdict cpu = { KDH_RESULT_FAIL, KDH_REASON_WRONG_PANIC_CPU, KDH_STAGE__COUNT,
				   (char *)"panic on CPU 1, expected CPU 2" };
	struct kdh_verdict kexec = { KDH_RESULT_FAIL, KDH_REASON_NO_KEXEC, KDH_STAGE__COUNT,
				     (char *)"the first kernel ended its panic without starting the "
					     "capture kernel" };
	g_autofree char *p = kdh_report_ktap_result(1, "nmi-cpu0", &probe);
	g_autofree char *c = kdh_report_ktap_result(2, "sysrq-cpu2", &cpu);
	g_autofree char *k = kdh_report_ktap_result(3, "nmi-all-vcpus", &kexec);

	ck_assert_str_eq(p, "not ok 1 nmi-cpu0 # nmi-not-delivered: the probe NMI did not reach CPUs 1-3\n");
	ck_assert_str_eq(c, "not ok 2 sysrq-cpu2 # wrong-panic-cpu: panic on CPU 1, expected CPU 2\n");
	ck_assert_str_eq(k, "not ok 3 nmi-all-vcpus # no-kexec: the first kernel ended its panic "
			    "without starting the capture kernel\n");
}
END_TEST

START_TEST(test_ktap_flattens_newlines)
{
	struct kdh_verdict fail = { KDH_RESULT_FAIL, KDH_REASON_AGENT_ERROR, KDH_STAGE__COUNT,
				    (char *)"line one\nline two\r\nthree" };
	g_autofree char *f = kdh_report_ktap_result(12, "odd\nname", &fail);

	ck_assert_str_eq(f, "not ok 12 odd name # agent-error: line one line two  three\n");
}
END_TEST

static JsonObject *member_object(JsonObject *o, const char *name)
{
	ck_assert_msg(json_object_has_member(o, name), "no member '%s'", name);
	return json_object_get_object_member(o, name);
}

static void assert_null(JsonObject *o, const char *name)
{
	ck_assert_msg(json_object_has_member(o, name), "no member '%s'", name);
	ck_assert_msg(json_object_get_null_member(o, name), "'%s' is not null", name);
}

START_TEST(test_summary_pass)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o, *panic, *first, *capture, *dev, *stages, *probe;
	JsonArray *nmi;
	GList *names;

	evidence_good(&e);
	v.result = KDH_RESULT_PASS;
	v.reason = KDH_REASON_OK;
	v.stage = KDH_STAGE__COUNT;
	v.detail = g_strdup("all good");
	root = kdh_report_summary("nmi-all", &expect, &e, &v);
	o = json_node_get_object(root);

	ck_assert_str_eq(json_object_get_string_member(o, "scenario"), "nmi-all");
	ck_assert_str_eq(json_object_get_string_member(o, "result"), "pass");
	ck_assert_str_eq(json_object_get_string_member(o, "reason"), "ok");
	assert_null(o, "stage");
	ck_assert_str_eq(json_object_get_string_member(o, "detail"), "all good");
	ck_assert_int_eq(json_object_get_int_member(o, "vcpus"), 4);

	panic = member_object(o, "panic");
	ck_assert_int_eq(json_object_get_int_member(panic, "count"), 1);
	ck_assert_int_eq(json_object_get_int_member(panic, "cpu"), 1);
	ck_assert_str_eq(json_object_get_string_member(panic, "string"), "NMI: Not continuing");
	nmi = json_object_get_array_member(panic, "nmi_cpus");
	ck_assert_uint_eq(json_array_get_length(nmi), 2);
	ck_assert_int_eq(json_array_get_int_element(nmi, 0), 1);
	ck_assert_int_eq(json_array_get_int_element(nmi, 1), 3);

	first = member_object(o, "first");
	ck_assert(json_object_get_boolean_member(first, "seen"));
	ck_assert_str_eq(json_object_get_string_member(first, "release"), "6.1.0-56-amd64");
	ck_assert_int_eq(json_object_get_int_member(first, "cpus"), 4);
	ck_assert_int_eq(json_object_get_int_member(first, "kexec_status"), 0);
	ck_assert_int_eq(json_object_get_int_member(first, "kexec_loaded"), 1);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(first, "modules_failed")), 1);
	ck_assert_str_eq(json_array_get_string_element(
				 json_object_get_array_member(first, "modules_failed"), 0),
			 "hv_balloon");
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(first, "errors")), 0);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(first, "devices")), 2);
	dev = json_array_get_object_element(json_object_get_array_member(first, "devices"), 1);
	ck_assert_str_eq(json_object_get_string_member(dev, "bus"), "virtio");
	ck_assert_str_eq(json_object_get_string_member(dev, "name"), "virtio0");
	ck_assert_str_eq(json_object_get_string_member(dev, "id"), "0x0002");
	ck_assert_str_eq(json_object_get_string_member(dev, "driver"), "virtio_blk");
	/* Only the capture kernel dumps. */
	ck_assert(!json_object_has_member(first, "dump_status"));
	ck_assert(!json_object_has_member(first, "dump_bytes"));
	/* The probe's counts, and the CPUs whose count rose (not CPU 1: it only had
	 * NMIs before). */
	probe = member_object(first, "nmi_probe");
	assert_ints(json_object_get_array_member(probe, "before"), "0,5,0,0");
	assert_ints(json_object_get_array_member(probe, "after"), "1,5,2,1");
	assert_ints(json_object_get_array_member(probe, "cpus"), "0,2,3");
	ck_assert_int_eq(json_object_get_int_member(first, "trigger_cpu"), 3);

	capture = member_object(o, "capture");
	ck_assert_int_eq(json_object_get_int_member(capture, "cpus"), 1);
	/* Not reported: null, not the in-memory sentinel. */
	assert_null(capture, "kexec_status");
	assert_null(capture, "kexec_loaded");
	ck_assert_int_eq(json_object_get_int_member(capture, "dump_status"), 0);
	ck_assert_int_eq(json_object_get_int_member(capture, "dump_bytes"), 24903680);
	ck_assert_str_eq(json_array_get_string_element(
				 json_object_get_array_member(capture, "errors"), 0),
			 "dump_disk errno=6");
	dev = json_array_get_object_element(json_object_get_array_member(capture, "devices"), 0);
	ck_assert_str_eq(json_object_get_string_member(dev, "driver"), "-");
	/* Only the first kernel probes and triggers. */
	ck_assert(!json_object_has_member(capture, "nmi_probe"));
	ck_assert(!json_object_has_member(capture, "trigger_cpu"));

	stages = member_object(o, "stages");
	names = json_object_get_members(stages);
	ck_assert_uint_eq(g_list_length(names), KDH_STAGE__COUNT);
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		ck_assert_str_eq(g_list_nth_data(names, s), kdh_stage_name(s));
	g_list_free(names);
	ck_assert(json_object_get_double_member(stages, "boot") == 7.5);
	ck_assert(json_object_get_double_member(stages, "arm") == 0.25);
	/* Zero seconds is a time, not "not reached". */
	ck_assert(!json_object_get_null_member(stages, "trigger"));
	ck_assert(json_object_get_double_member(stages, "trigger") == 0);
	assert_null(stages, "load");
	assert_null(stages, "bye");
	ck_assert(!json_object_has_member(stages, "inject"));
	ck_assert(!json_object_has_member(stages, "poweroff"));

	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_summary_unreached)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { KDH_RESULT_FAIL, KDH_REASON_DEADLINE, KDH_STAGE_CAPTURE,
				 (char *)"deadline for stage 'capture' passed" };
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o, *first, *capture, *probe;

	kdh_evidence_init(&e);
	kdh_test_feed_console_raw(&e, "KDH: hello role=first release=6.1.0 cpus=4\n");
	root = kdh_report_summary("nmi-cpu0", &expect, &e, &v);
	o = json_node_get_object(root);
	ck_assert_str_eq(json_object_get_string_member(o, "result"), "fail");
	ck_assert_str_eq(json_object_get_string_member(o, "reason"), "deadline");
	ck_assert_str_eq(json_object_get_string_member(o, "stage"), "capture");
	/* No vmcore log: no panic object. */
	assert_null(o, "panic");
	first = member_object(o, "first");
	assert_null(first, "kexec_status");
	assert_null(first, "kexec_loaded");
	/* No probe reported: empty lists; no trigger: null, not -1. */
	probe = member_object(first, "nmi_probe");
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(probe, "before")), 0);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(probe, "after")), 0);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(probe, "cpus")), 0);
	assert_null(first, "trigger_cpu");
	capture = member_object(o, "capture");
	ck_assert(!json_object_get_boolean_member(capture, "seen"));
	assert_null(capture, "release");
	assert_null(capture, "cpus");
	assert_null(capture, "dump_status");
	assert_null(capture, "dump_bytes");
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(capture, "devices")), 0);
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_json_text)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT, (char *)"ok" };
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree char *text = NULL;

	evidence_good(&e);
	root = kdh_report_summary("nmi-all", &expect, &e, &v);
	text = kdh_report_json_text(root);
	ck_assert(g_str_has_prefix(text, "{\n"));
	ck_assert(g_str_has_suffix(text, "}\n"));
	ck_assert(json_parser_load_from_data(parser, text, -1, NULL));
	ck_assert(json_node_equal(json_parser_get_root(parser), root));
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_summary_real_sysrq)
{
	g_autofree char *console = kdh_test_read_sample("console-probe-sysrq-cpu2.log");
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-sysrq-cpu2.txt");
	struct kdh_verdict v = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT, (char *)"ok" };
	struct kdh_evidence e;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o, *panic, *first, *probe, *capture;

	kdh_evidence_init(&e);
	kdh_test_feed_console_raw(&e, console);
	kdh_analysis_panic_log_parse(&e.vmcore_log, dmesg);
	e.vmcore_read = TRUE;
	root = kdh_report_summary("sysrq-cpu2", &expect, &e, &v);
	o = json_node_get_object(root);
	panic = member_object(o, "panic");
	ck_assert_int_eq(json_object_get_int_member(panic, "count"), 1);
	ck_assert_int_eq(json_object_get_int_member(panic, "cpu"), 2);
	ck_assert_str_eq(json_object_get_string_member(panic, "string"), "sysrq triggered crash");
	/* The probe's unknown NMIs came before the agent armed. */
	assert_ints(json_object_get_array_member(panic, "nmi_cpus"), "");
	first = member_object(o, "first");
	probe = member_object(first, "nmi_probe");
	assert_ints(json_object_get_array_member(probe, "before"), "0,0,0,0");
	assert_ints(json_object_get_array_member(probe, "after"), "1,1,1,1");
	assert_ints(json_object_get_array_member(probe, "cpus"), "0,1,2,3");
	ck_assert_int_eq(json_object_get_int_member(first, "trigger_cpu"), 2);
	capture = member_object(o, "capture");
	ck_assert_int_eq(json_object_get_int_member(capture, "dump_bytes"), 33990821);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(capture, "devices")), 8);
	/* The probe's "Dazed" lines came before the agent armed. */
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(o, "complaints")), 0);
	assert_null(o, "crash");
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- complaints and crash ---- */

/* One complaint object as "where|kind|cpu|line|level" (cpu "null" for null). */
static char *complaint_text(JsonObject *c)
{
	g_autofree char *cpu = json_object_get_null_member(c, "cpu")
				       ? g_strdup("null")
				       : g_strdup_printf("%" G_GINT64_FORMAT,
							 json_object_get_int_member(c, "cpu"));

	ck_assert_uint_eq(json_object_get_size(c), 5);
	return g_strdup_printf("%s|%s|%s|%s|%s", json_object_get_string_member(c, "where"),
			       json_object_get_string_member(c, "kind"), cpu,
			       json_object_get_string_member(c, "line"),
			       json_object_get_string_member(c, "level"));
}

static void assert_complaint(JsonArray *a, guint i, const char *expected)
{
	g_autofree char *got = NULL;

	ck_assert_uint_gt(json_array_get_length(a), i);
	got = complaint_text(json_array_get_object_element(a, i));
	ck_assert_str_eq(got, expected);
}

START_TEST(test_summary_complaints)
{
	struct kdh_expect levels = expect;
	struct kdh_verdict v = { KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED, KDH_STAGE__COUNT,
				 (char *)"BUG on CPU 0 in the capture kernel: ..." };
	struct kdh_evidence e;
	g_autoptr(JsonNode) root = NULL;
	JsonArray *a;

	kdh_evidence_init(&e);
	kdh_test_feed_console_raw(&e,
				  "KDH: hello role=first release=6.1.0-56-amd64 cpus=4\n"
				  "KDH: kexec status=0 loaded=1\n"
				  "KDH: ready\n"
				  "[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP\n"
				  "[    1.937017] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
				  "[    1.937502] #PF: supervisor read access in kernel mode\n"
				  "[    1.938318] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
				  "[    1.938594] CPU: 0 PID: 62 Comm: kworker/0:2 Not tainted 6.1.0-56-amd64 #1\n"
				  "[    1.940190] RIP: 0010:relid2channel+0x1a/0x30 [hv_vmbus]\n"
				  "[    1.942230] Call Trace:\n"
				  "[    2.000000] Dazed and confused, but trying to continue\n");
	kdh_analysis_panic_log_parse(&e.vmcore_log,
				     "[    3.000000] Dazed and confused, but trying to continue\n"
				     "[    4.000000] kdh: armed\n"
				     "[   12.345690] Kernel panic - not syncing: NMI: Not continuing\n"
				     "[   12.345691] CPU: 2 PID: 0 Comm: swapper/2 Kdump: loaded Not tainted 6.1.0 #1\n"
				     "[   12.345692] Call Trace:\n"
				     "[   12.345711] WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
				     "smp_call_function_single+0x10c/0x120\n");
	e.vmcore_read = TRUE;
	levels.fail_on = 1u << KDH_COMPLAINT_BUG | 1u << KDH_COMPLAINT_OOPS;
	levels.warn_on = 1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_CALL_TRACE;
	root = kdh_report_summary("nmi-all-vcpus", &levels, &e, &v);
	a = json_object_get_array_member(json_node_get_object(root), "complaints");

	/* The crash path's, then the capture kernel's, each with its level. */
	ck_assert_uint_eq(json_array_get_length(a), 4);
	assert_complaint(a, 0, "crash path|WARNING|2|WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
			       "smp_call_function_single+0x10c/0x120|warn");
	assert_complaint(a, 1, "capture kernel|BUG|0|BUG: kernel NULL pointer dereference, "
			       "address: 0000000000000008|fail");
	assert_complaint(a, 2, "capture kernel|Oops|0|Oops: 0000 [#1] PREEMPT SMP NOPTI|fail");
	/* In neither list: listed all the same; no CPU known: null. */
	assert_complaint(a, 3, "capture kernel|Dazed and confused|null|Dazed and confused, but "
			       "trying to continue|ignored");
	json_node_unref(g_steal_pointer(&root));

	/* What the scenario makes of them is the scenario's: fail wins over warn. */
	levels.fail_on = 1u << KDH_COMPLAINT_WARNING;
	levels.warn_on = 1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_DAZED;
	root = kdh_report_summary("nmi-all-vcpus", &levels, &e, &v);
	a = json_object_get_array_member(json_node_get_object(root), "complaints");
	assert_complaint(a, 0, "crash path|WARNING|2|WARNING: CPU: 2 PID: 0 at kernel/smp.c:769 "
			       "smp_call_function_single+0x10c/0x120|fail");
	assert_complaint(a, 1, "capture kernel|BUG|0|BUG: kernel NULL pointer dereference, "
			       "address: 0000000000000008|ignored");
	assert_complaint(a, 3, "capture kernel|Dazed and confused|null|Dazed and confused, but "
			       "trying to continue|warn");
	kdh_evidence_clear(&e);
}
END_TEST

START_TEST(test_summary_no_complaints_no_crash)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT, (char *)"ok" };
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o;

	evidence_good(&e);
	root = kdh_report_summary("nmi-all", &expect, &e, &v);
	o = json_node_get_object(root);
	ck_assert(JSON_NODE_HOLDS_ARRAY(json_object_get_member(o, "complaints")));
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(o, "complaints")), 0);
	/* crash did not run: null, not an empty reading. */
	assert_null(o, "crash");
	kdh_evidence_clear(&e);
}
END_TEST

/* "cpu:state:frame,..." of a crash object's cpu_states. */
static char *cpu_states_text(JsonObject *crash)
{
	JsonArray *a = json_object_get_array_member(crash, "cpu_states");
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *s = json_array_get_object_element(a, i);

		ck_assert_uint_eq(json_object_get_size(s), 3);
		g_string_append_printf(out, "%s%" G_GINT64_FORMAT ":%s:%s", i ? "," : "",
				       json_object_get_int_member(s, "cpu"),
				       json_object_get_string_member(s, "state"),
				       json_object_get_string_member(s, "frame"));
	}
	return g_string_free(out, FALSE);
}

/* The summary's crash object after crash said OUTPUT. */
static JsonNode *summary_with_crash(const char *output)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT, (char *)"ok" };
	JsonNode *root;

	evidence_good(&e);
	e.crash.ran = TRUE;
	kdh_crash_parse(&e.crash, output);
	root = kdh_report_summary("nmi-all-vcpus", &expect, &e, &v);
	kdh_evidence_clear(&e);
	return root;
}

START_TEST(test_summary_crash)
{
	g_autofree char *nmi = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	g_autofree char *offline = kdh_test_read_sample("crash-cpu3-offline.txt");
	g_autoptr(JsonNode) root = summary_with_crash(nmi);
	g_autoptr(JsonNode) root2 = summary_with_crash(offline);
	JsonObject *crash = member_object(json_node_get_object(root), "crash");
	JsonObject *crash2 = member_object(json_node_get_object(root2), "crash");
	g_autofree char *states = cpu_states_text(crash);
	g_autofree char *states2 = cpu_states_text(crash2);

	ck_assert_uint_eq(json_object_get_size(crash), 4);
	ck_assert(json_object_get_boolean_member(crash, "read"));
	ck_assert_int_eq(json_object_get_int_member(crash, "cpus"), 4);
	ck_assert_str_eq(json_object_get_string_member(crash, "panic"),
			 "Kernel panic - not syncing: NMI: Not continuing");
	ck_assert_str_eq(states, "0:panicked:machine_kexec,1:nmi-stopped:crash_nmi_callback,"
				 "2:nmi-stopped:crash_nmi_callback,3:nmi-stopped:crash_nmi_callback");
	/* A CPU crash could not read the stack of: running, no frame. */
	ck_assert_str_eq(states2, "0:nmi-stopped:crash_nmi_callback,1:panicked:machine_kexec,"
				  "2:nmi-stopped:crash_nmi_callback,3:running:");
}
END_TEST

START_TEST(test_summary_crash_unreadable)
{
	g_autoptr(JsonNode) root = summary_with_crash("crash: vmcore: not a supported file format\n");
	JsonObject *crash = member_object(json_node_get_object(root), "crash");

	ck_assert(!json_object_get_boolean_member(crash, "read"));
	assert_null(crash, "cpus");
	assert_null(crash, "panic");
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(crash, "cpu_states")), 0);
}
END_TEST

/* A run cut off under the harness keeps what it saw but carries no verdict: the
 * one its partial evidence gives (here a capture deadline) would blame the
 * kernel for the lost connection. */
START_TEST(test_summary_broke)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { KDH_RESULT_FAIL, KDH_REASON_DEADLINE, KDH_STAGE_CAPTURE,
				 (char *)"stage 'capture' missed its deadline" };
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o;

	evidence_good(&e);
	root = kdh_report_summary("hyperv-nmi-all-vcpus", &expect, &e, &v);
	kdh_report_summary_broke(root, "lost the connection to libvirt (end of file)");
	o = json_node_get_object(root);
	ck_assert_str_eq(json_object_get_string_member(o, "result"), "error");
	ck_assert_str_eq(json_object_get_string_member(o, "reason"), "harness");
	assert_null(o, "stage");
	ck_assert_str_eq(json_object_get_string_member(o, "detail"),
			 "lost the connection to libvirt (end of file)");
	ck_assert(json_object_get_boolean_member(member_object(o, "first"), "seen"));
	ck_assert_int_eq(json_object_get_int_member(member_object(o, "panic"), "cpu"), 1);
	kdh_evidence_clear(&e);
}
END_TEST

/* A run in the nested lab: how many attempts, and why and where each one the
 * emulation cut short is, beside the verdict of the one that gave it. */
START_TEST(test_summary_attempts)
{
	struct kdh_evidence e;
	struct kdh_verdict v = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT, (char *)"ok" };
	struct kdh_attempts a;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *o, *c;
	JsonArray *cut;

	evidence_good(&e);
	kdh_attempts_init(&a, 3, 1200);
	a.made = 1;
	kdh_attempts_cut_short(&a, "no-boot: the first kernel's agent never said hello",
			       "attempt-1");
	a.made = 2;
	kdh_attempts_cut_short(&a, "the lab did not come up again: kdh-lab not ready after 300 s",
			       NULL);
	a.made = 3;
	root = kdh_report_summary("hyperv-nmi-all-vcpus", &expect, &e, &v);
	kdh_report_summary_attempts(root, &a);
	o = json_node_get_object(root);
	ck_assert_str_eq(json_object_get_string_member(o, "result"), "pass");
	ck_assert_int_eq(json_object_get_int_member(o, "attempts"), 3);
	cut = json_object_get_array_member(o, "cut_short");
	ck_assert_uint_eq(json_array_get_length(cut), 2);
	c = json_array_get_object_element(cut, 0);
	ck_assert_int_eq(json_object_get_int_member(c, "attempt"), 1);
	ck_assert_str_eq(json_object_get_string_member(c, "why"),
			 "no-boot: the first kernel's agent never said hello");
	ck_assert_str_eq(json_object_get_string_member(c, "dir"), "attempt-1");
	c = json_array_get_object_element(cut, 1);
	ck_assert_int_eq(json_object_get_int_member(c, "attempt"), 2);
	assert_null(c, "dir");
	kdh_attempts_clear(&a);
	kdh_evidence_clear(&e);
}
END_TEST

/* ---- run.json ---- */

/* How far the sample run has got. */
enum sample_run_at { PLANNED, MIDWAY, ENDED, LAB_ATTEMPTS /* sample_lab_run() */ };

/* A run of five scenarios, the hyperv one in the lab, stopped by SIGTERM
 * during the fourth: what kdh run's run.json says at AT. */
static void sample_run(struct kdh_run_manifest *m, enum sample_run_at at)
{
	static const struct {
		const char *scenario, *platform, *host;
		struct kdh_verdict v; /* result -1: broke under the harness; -2: not run */
	} runs[] = {
		{ "nmi-all-vcpus", "virtio", "qemu:///system",
		  { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT,
		    (char *)"panic on CPU 1; probe NMI reached CPUs 0-3; unknown NMI logged on "
			    "CPUs 0-3; 8 devices re-enumerated; vmcore 33.3 MB" } },
		{ "broken-no-crashkernel", "virtio", "qemu:///system",
		  { KDH_RESULT_FAIL, KDH_REASON_KEXEC_NOT_LOADED, KDH_STAGE__COUNT,
		    (char *)"capture kernel not loaded: kexec status 1, kexec_crash_loaded=0" } },
		{ "nmi-cpu0", "virtio", "qemu:///system",
		  { KDH_RESULT_SKIP, KDH_REASON_NO_BOOT, KDH_STAGE__COUNT,
		    (char *)"the first kernel's agent never said hello" } },
		{ "hyperv-nmi-all-vcpus", "hyperv", "qemu+ssh://root@127.0.0.1:10022/system",
		  { -1, 0, 0, (char *)"interrupted by signal 15" } },
		{ "sysrq-cpu2", "virtio", NULL, { -2, 0, 0, (char *)"interrupted by signal 15" } },
	};

	kdh_run_manifest_init(m);
	m->run = g_strdup("20261204-021500-4242");
	m->started = g_strdup("2026-12-04T02:15:00.123456+00");
	m->kernel_release = g_strdup("6.1.0-56-amd64");
	m->kernel_image = g_strdup("/root/.cache/kdh/kernels/default/boot/vmlinuz-6.1.0-56-amd64");
	m->uri = g_strdup("qemu:///system");
	m->accel = g_strdup("tcg");
	m->lab = g_strdup("qemu+ssh://root@127.0.0.1:10022/system");
	for (gsize i = 0; i < G_N_ELEMENTS(runs); i++) {
		struct kdh_run_entry *e = kdh_run_manifest_plan(m, runs[i].scenario,
								runs[i].scenario, 1,
								runs[i].platform);

		if (at == PLANNED || (at == MIDWAY && i >= 2))
			continue;
		if ((int)runs[i].v.result == -1)
			kdh_run_entry_broke(e, runs[i].v.detail, 143, runs[i].host, runs[i].scenario);
		else if ((int)runs[i].v.result == -2)
			kdh_run_entry_not_run(e, runs[i].v.detail);
		else
			kdh_run_entry_judged(e, &runs[i].v, runs[i].host, runs[i].scenario);
	}
	if (at == ENDED) {
		m->finished = g_strdup("2026-12-04T02:19:41.654321+00");
		m->exit = 143;
	}
}

/* A run of three scenarios in the nested lab (kdh-attempt.h), ended: the
 * first passed on its third attempt, the second's every attempt was cut
 * short (the second left no files: the lab did not come up again), the
 * third failed on its first. */
static void sample_lab_run(struct kdh_run_manifest *m)
{
	static const char lab[] = "qemu+ssh://root@127.0.0.1:10022/system?keyfile=/root/.cache/"
				  "kdh/lab/0123abcd/id_ed25519&no_verify=1&command=/kdh/scripts/lab-ssh";
	static const char *const no_boot = "no-boot: the first kernel's agent never said hello";
	static const char *const lost = "lost the connection to libvirt (keepalive timeout)";
	struct kdh_verdict pass = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT,
				    (char *)"panic on CPU 1, not the VMBus connect CPU 0; probe NMI "
					    "reached CPUs 0-1; unknown NMI logged on CPU 1; 9 "
					    "devices re-enumerated; vmcore 27.4 MB" };
	struct kdh_verdict red = { KDH_RESULT_FAIL, KDH_REASON_VMBUS_NOT_RECONNECTED,
				   KDH_STAGE__COUNT,
				   (char *)"the capture kernel did not reconnect to VMBus (the "
					   "first had version 4.0); panic on CPU 0, the VMBus "
					   "connect CPU" };
	struct kdh_verdict cut = { 0 };
	struct kdh_attempts a;
	struct kdh_run_entry *e;

	kdh_run_manifest_init(m);
	m->run = g_strdup("20261205-101500-5151");
	m->started = g_strdup("2026-12-05T10:15:00.123456+00");
	m->finished = g_strdup("2026-12-05T10:52:13.654321+00");
	m->exit = 1;
	m->kernel_release = g_strdup("6.1.0-57-amd64");
	m->kernel_image = g_strdup("/root/.cache/kdh/kernels/default/boot/vmlinuz-6.1.0-57-amd64");
	m->uri = g_strdup("qemu:///system");
	m->accel = g_strdup("tcg");
	m->lab = g_strdup(lab);

	e = kdh_run_manifest_plan(m, "hyperv-nmi-all-vcpus", "hyperv-nmi-all-vcpus", 1, "hyperv");
	kdh_attempts_init(&a, 3, 1200);
	a.made = 1;
	kdh_attempts_cut_short(&a, no_boot, "attempt-1");
	a.made = 2;
	kdh_attempts_cut_short(&a, lost, "attempt-2");
	a.made = 3;
	kdh_run_entry_judged(e, &pass, lab, e->name);
	kdh_run_entry_attempts(e, &a);
	kdh_attempts_clear(&a);

	e = kdh_run_manifest_plan(m, "hyperv-sysrq-cpu1", "hyperv-sysrq-cpu1", 1, "hyperv");
	kdh_attempts_init(&a, 3, 1200);
	a.made = 1;
	kdh_attempts_cut_short(&a, lost, "attempt-1");
	a.made = 2;
	kdh_attempts_cut_short(&a, "the lab did not come up again: kdh-lab not ready after 300 s "
				   "(ssh, /dev/kvm with nested SVM, its libvirt); its console: "
				   "/var/lib/kdh/lab/console.log",
			       NULL);
	a.made = 3;
	kdh_attempts_cut_short(&a, no_boot, "attempt-3");
	kdh_attempts_verdict(&cut, &a, KDH_ATTEMPT_NONE_LEFT);
	kdh_run_entry_judged(e, &cut, lab, e->name);
	kdh_run_entry_attempts(e, &a);
	kdh_verdict_clear(&cut);
	kdh_attempts_clear(&a);

	e = kdh_run_manifest_plan(m, "broken-hyperv-no-vmbus-in-capture",
				  "broken-hyperv-no-vmbus-in-capture", 1, "hyperv");
	kdh_attempts_init(&a, 3, 1200);
	a.made = 1;
	kdh_run_entry_judged(e, &red, lab, e->name);
	kdh_run_entry_attempts(e, &a);
	kdh_attempts_clear(&a);
}

static char *run_text(const struct kdh_run_manifest *m)
{
	g_autoptr(JsonNode) json = kdh_run_manifest_json(m);

	return kdh_report_json_text(json);
}

/* What the readers (scripts/e2e-lib, scripts/bisect-step, kdh nightly) are
 * tested on is what the writer writes: tests/data/run-*.json are its text. */
START_TEST(test_run_manifest_samples)
{
	static const struct {
		enum sample_run_at at;
		const char *sample;
	} samples[] = { { MIDWAY, "run-midway.json" },
			{ ENDED, "run-interrupted.json" },
			{ LAB_ATTEMPTS, "run-lab-attempts.json" } };

	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		struct kdh_run_manifest m;
		g_autofree char *text = NULL;
		g_autofree char *expected = kdh_test_read_sample(samples[i].sample);

		if (samples[i].at == LAB_ATTEMPTS)
			sample_lab_run(&m);
		else
			sample_run(&m, samples[i].at);
		text = run_text(&m);
		ck_assert_str_eq(text, expected);
		kdh_run_manifest_clear(&m);
	}
}
END_TEST

/* The attempts of runs in the nested lab: only theirs, the attempts' folders
 * relative to run.json. */
START_TEST(test_run_manifest_attempts)
{
	struct kdh_run_manifest m;
	g_autoptr(JsonNode) json = NULL;
	JsonArray *list, *cut;
	JsonObject *e, *c;

	sample_lab_run(&m);
	json = kdh_run_manifest_json(&m);
	list = json_object_get_array_member(json_node_get_object(json), "scenarios");
	e = json_array_get_object_element(list, 0);
	ck_assert_str_eq(json_object_get_string_member(e, "verdict"), "pass");
	ck_assert_int_eq(json_object_get_int_member(e, "attempts"), 3);
	cut = json_object_get_array_member(e, "cut_short");
	ck_assert_uint_eq(json_array_get_length(cut), 2);
	c = json_array_get_object_element(cut, 1);
	ck_assert_int_eq(json_object_get_int_member(c, "attempt"), 2);
	ck_assert_str_eq(json_object_get_string_member(c, "dir"), "hyperv-nmi-all-vcpus/attempt-2");
	e = json_array_get_object_element(list, 1);
	ck_assert_str_eq(json_object_get_string_member(e, "verdict"), "skip");
	ck_assert_str_eq(json_object_get_string_member(e, "reason"), "cut-short");
	ck_assert_int_eq(json_object_get_int_member(e, "exit"), 125);
	cut = json_object_get_array_member(e, "cut_short");
	ck_assert_uint_eq(json_array_get_length(cut), 3);
	assert_null(json_array_get_object_element(cut, 1), "dir");
	e = json_array_get_object_element(list, 2);
	ck_assert_int_eq(json_object_get_int_member(e, "attempts"), 1);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(e, "cut_short")), 0);
	kdh_run_manifest_clear(&m);

	/* a run not in the lab has neither member */
	sample_run(&m, ENDED);
	g_clear_pointer(&json, json_node_unref);
	json = kdh_run_manifest_json(&m);
	list = json_object_get_array_member(json_node_get_object(json), "scenarios");
	for (guint i = 0; i < json_array_get_length(list); i++) {
		e = json_array_get_object_element(list, i);
		ck_assert(!json_object_has_member(e, "attempts"));
		ck_assert(!json_object_has_member(e, "cut_short"));
	}
	kdh_run_manifest_clear(&m);
}
END_TEST

START_TEST(test_run_manifest_members)
{
	struct kdh_run_manifest m;
	g_autoptr(JsonNode) json = NULL;
	JsonObject *o, *e;
	JsonArray *list;

	sample_run(&m, PLANNED);
	json = kdh_run_manifest_json(&m);
	o = json_node_get_object(json);
	ck_assert_str_eq(json_object_get_string_member(o, "format"), "kdh-run/1");
	assert_null(o, "finished");
	assert_null(o, "exit");
	assert_null(member_object(o, "kernel"), "vmlinux");
	list = json_object_get_array_member(o, "scenarios");
	ck_assert_uint_eq(json_array_get_length(list), 5);
	/* planned, not run yet: where it will run and its evidence are unknown */
	e = json_array_get_object_element(list, 3);
	ck_assert_str_eq(json_object_get_string_member(e, "platform"), "hyperv");
	ck_assert_str_eq(json_object_get_string_member(e, "verdict"), "pending");
	ck_assert_int_eq(json_object_get_int_member(e, "repeat"), 1);
	for (const char *const *n = (const char *const[]){ "host", "dir", "reason", "detail", "exit",
							  NULL };
	     *n; n++)
		assert_null(e, *n);
	kdh_run_manifest_clear(&m);

	sample_run(&m, ENDED);
	g_clear_pointer(&json, json_node_unref);
	json = kdh_run_manifest_json(&m);
	list = json_object_get_array_member(json_node_get_object(json), "scenarios");
	/* each verdict's exit code, as kdh run's own would be for it alone */
	for (guint i = 0; i < 4; i++) {
		static const int exits[] = { 0, 1, 125, 143 };

		e = json_array_get_object_element(list, i);
		ck_assert_int_eq(json_object_get_int_member(e, "exit"), exits[i]);
	}
	e = json_array_get_object_element(list, 3);
	ck_assert_str_eq(json_object_get_string_member(e, "verdict"), "error");
	ck_assert_str_eq(json_object_get_string_member(e, "reason"), "harness");
	ck_assert_str_eq(json_object_get_string_member(e, "host"),
			 "qemu+ssh://root@127.0.0.1:10022/system");
	e = json_array_get_object_element(list, 4);
	ck_assert_str_eq(json_object_get_string_member(e, "verdict"), "not-run");
	ck_assert_str_eq(json_object_get_string_member(e, "detail"), "interrupted by signal 15");
	assert_null(e, "reason");
	assert_null(e, "exit");
	assert_null(e, "dir");
	kdh_run_manifest_clear(&m);
	/* cleared twice: a half-built or cleared manifest is fine to clear */
	kdh_run_manifest_clear(&m);
}
END_TEST

/* Read back, each sample is the same manifest: written again, the same text. */
START_TEST(test_run_manifest_read_back)
{
	static const char *const samples[] = { "run-midway.json", "run-interrupted.json",
					       "run-lab-attempts.json" };
	g_autoptr(GError) error = NULL;
	struct kdh_run_manifest m;

	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree char *text = kdh_test_read_sample(samples[i]);
		g_autofree char *again = NULL;

		ck_assert_msg(kdh_run_manifest_parse(text, &m, &error), "%s: %s", samples[i],
			      error ? error->message : "");
		again = run_text(&m);
		ck_assert_str_eq(again, text);
		kdh_run_manifest_clear(&m);
	}
	ck_assert(!kdh_run_manifest_parse("{\"format\": ", &m, &error));
	ck_assert(g_error_matches(error, KDH_ERROR, KDH_ERROR_USAGE));
	ck_assert(g_str_has_prefix(error->message, "not JSON: "));
	kdh_run_manifest_clear(&m);
}
END_TEST

START_TEST(test_run_verdict_names)
{
	static const char *const names[] = { "pass", "fail", "skip", "error", "not-run", "pending" };

	G_STATIC_ASSERT(G_N_ELEMENTS(names) == KDH_RUN__COUNT);
	for (int v = 0; v < KDH_RUN__COUNT; v++) {
		ck_assert_str_eq(kdh_run_verdict_name(v), names[v]);
		ck_assert_int_eq(kdh_run_verdict_from_name(names[v]), v);
	}
	ck_assert_ptr_null(kdh_run_verdict_name(KDH_RUN__COUNT));
	ck_assert_ptr_null(kdh_run_verdict_name(-1));
	ck_assert_int_eq(kdh_run_verdict_from_name("passed"), -1);
	ck_assert_int_eq(kdh_run_verdict_from_name(NULL), -1);
}
END_TEST

/* run-interrupted.json with one member changed: refused by name, as bad input. */
static const struct {
	const char *object; /* where, from the top: "scenarios/3" */
	const char *member;
	const char *json;   /* its new value; NULL: removed */
	const char *message;
} broken_runs[] = {
	{ "", "format", "\"kdh-night/1\"", "not a run's manifest (format \"kdh-run/1\")" },
	{ "", "run", NULL, "no member run (a string)" },
	{ "", "started", "null", "started is not a string" },
	{ "", "finished", "3", "finished is not a string or null" },
	{ "", "exit", "\"143\"", "exit is not a whole number or null" },
	{ "", "exit", "-1", "exit: -1 is out of range" },
	{ "", "kernel", "[]", "kernel is not an object" },
	{ "kernel", "release", NULL, "no member kernel.release (a string)" },
	{ "kernel", "vmlinux", "false", "kernel.vmlinux is not a string or null" },
	{ "host", "uri", NULL, "no member host.uri (a string)" },
	{ "host", "accel", "1", "host.accel is not a string or null" },
	{ "", "scenarios", "{}", "scenarios is not an array" },
	{ "", "scenarios", "[7]", "scenarios[0] is not an object" },
	{ "scenarios/0", "name", NULL, "no member scenarios[0].name (a string)" },
	{ "scenarios/1", "repeat", "1.5", "scenarios[1].repeat is not a whole number" },
	{ "scenarios/2", "dir", "[\"x\"]", "scenarios[2].dir is not a string or null" },
	{ "scenarios/3", "verdict", "\"broken\"",
	  "scenarios[3].verdict: 'broken' is not one of pass, fail, skip, error, not-run, pending" },
	{ "scenarios/3", "verdict", "null", "scenarios[3].verdict is not a string" },
	{ "scenarios/4", "reason", NULL, "no member scenarios[4].reason (a string or null)" },
	{ "scenarios/4", "exit", "true", "scenarios[4].exit is not a whole number or null" },
	/* a lab run's attempts come with the attempts cut short */
	{ "scenarios/3", "attempts", "2", "no member scenarios[3].cut_short (an array)" },
	{ "scenarios/3", "cut_short", "[]", "no member scenarios[3].attempts (a whole number)" },
};

/* run-lab-attempts.json with one member changed: refused by name. */
static const struct {
	const char *object;
	const char *member;
	const char *json;
	const char *message;
} broken_lab_runs[] = {
	{ "scenarios/0", "attempts", "0", "scenarios[0].attempts: 0 is not 1 or more" },
	{ "scenarios/0", "attempts", "null", "scenarios[0].attempts is not a whole number" },
	{ "scenarios/0", "cut_short", "{}", "scenarios[0].cut_short is not an array" },
	{ "scenarios/0", "cut_short", "[3]", "scenarios[0].cut_short[0] is not an object" },
	{ "scenarios/0/cut_short/1", "why", NULL,
	  "no member scenarios[0].cut_short[1].why (a string)" },
	{ "scenarios/1/cut_short/2", "dir", "7",
	  "scenarios[1].cut_short[2].dir is not a string or null" },
	{ "scenarios/1/cut_short/0", "attempt", "\"1\"",
	  "scenarios[1].cut_short[0].attempt is not a whole number" },
};

START_TEST(test_run_manifest_lab_refused)
{
	g_autofree char *text = kdh_test_read_sample("run-lab-attempts.json");
	g_autofree char *changed = kdh_test_json_with(text, broken_lab_runs[_i].object,
						      broken_lab_runs[_i].member,
						      broken_lab_runs[_i].json);
	g_autoptr(GError) error = NULL;
	struct kdh_run_manifest m;

	ck_assert(!kdh_run_manifest_parse(changed, &m, &error));
	ck_assert(g_error_matches(error, KDH_ERROR, KDH_ERROR_USAGE));
	ck_assert_str_eq(error->message, broken_lab_runs[_i].message);
	kdh_run_manifest_clear(&m);
}
END_TEST

START_TEST(test_run_manifest_refused)
{
	g_autofree char *text = kdh_test_read_sample("run-interrupted.json");
	g_autofree char *changed = kdh_test_json_with(text, broken_runs[_i].object,
						      broken_runs[_i].member, broken_runs[_i].json);
	g_autoptr(GError) error = NULL;
	struct kdh_run_manifest m;

	ck_assert(!kdh_run_manifest_parse(changed, &m, &error));
	ck_assert(g_error_matches(error, KDH_ERROR, KDH_ERROR_USAGE));
	ck_assert_str_eq(error->message, broken_runs[_i].message);
	kdh_run_manifest_clear(&m);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc;

	tc = tcase_create("ktap");
	tcase_add_test(tc, test_ktap_plan);
	tcase_add_test(tc, test_ktap_results);
	tcase_add_test(tc, test_ktap_new_reasons);
	tcase_add_test(tc, test_ktap_error_and_not_run);
	tcase_add_test(tc, test_ktap_flattens_newlines);
	suite_add_tcase(s, tc);

	tc = tcase_create("summary");
	tcase_add_test(tc, test_summary_pass);
	tcase_add_test(tc, test_summary_unreached);
	tcase_add_test(tc, test_json_text);
	tcase_add_test(tc, test_summary_real_sysrq);
	tcase_add_test(tc, test_summary_complaints);
	tcase_add_test(tc, test_summary_no_complaints_no_crash);
	tcase_add_test(tc, test_summary_crash);
	tcase_add_test(tc, test_summary_crash_unreadable);
	tcase_add_test(tc, test_summary_broke);
	tcase_add_test(tc, test_summary_attempts);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_add_test(tc, test_run_manifest_samples);
	tcase_add_test(tc, test_run_manifest_members);
	tcase_add_test(tc, test_run_manifest_read_back);
	tcase_add_test(tc, test_run_verdict_names);
	tcase_add_loop_test(tc, test_run_manifest_refused, 0, G_N_ELEMENTS(broken_runs));
	tcase_add_test(tc, test_run_manifest_attempts);
	tcase_add_loop_test(tc, test_run_manifest_lab_refused, 0, G_N_ELEMENTS(broken_lab_runs));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(report_suite());
}

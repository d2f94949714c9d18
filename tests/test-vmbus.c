/* VMBus evidence and verdicts on real Hyper-V runs: Debian 6.1 as an L2 guest
 * (Hyper-V enlightenments, KVM hidden, vmbus-bridge with an hv-balloon) under
 * QEMU 10.0 / KVM inside the nested lab: 6.1.0-56 with 4 vCPUs, panic on CPU 0,
 * and 6.1.0-57 with 2 vCPUs, the NMI's panic on CPU 1; and 6.1.0-57 with 2
 * vCPUs under QEMU 7.2 whose capture kernel could not load hv_vmbus. */
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-config.h"
#include "kdh-report.h"
#include "kdh-test.h"
#include "kdh-verdict.h"

#define CONSOLE "console-hyperv-nmi-all-vcpus.log"
#define DMESG "vmcore-dmesg-hyperv-nmi-all-vcpus.txt"
#define VCPUS 4
#define CONSOLE_CPU1 "console-hyperv-nmi-panic-cpu1.log"
#define DMESG_CPU1 "vmcore-dmesg-hyperv-nmi-panic-cpu1.txt"
#define VCPUS_CPU1 2
#define CONSOLE_NO_VMBUS "console-hyperv-no-vmbus-in-capture.log"
#define DMESG_NO_VMBUS "vmcore-dmesg-hyperv-no-vmbus-in-capture.txt"
#define VCPUS_NO_VMBUS 2
#define CONSOLE_SEED "console-hyperv-seed-connect-cpu1.log"
#define CONSOLE_CUT "console-hyperv-agent-line-cut.log"
#define DMESG_CUT "vmcore-dmesg-hyperv-seed-fixed.txt"

/* The shipped hyperv scenario's expectations, for a run with VCPUS. */
static struct kdh_expect expect_hyperv(struct kdh_scenario *s, int vcpus)
{
	g_autoptr(GError) error = NULL;

	if (!kdh_scenario_load("scenarios/hyperv-nmi-all-vcpus.conf", s, &error))
		ck_abort_msg("%s", error->message);
	s->vcpus = vcpus;
	return kdh_scenario_expect(s);
}

static void judge_run(const struct kdh_evidence *e, int vcpus, enum kdh_result result,
		      enum kdh_reason reason, const char *detail_part)
{
	struct kdh_scenario s;
	struct kdh_expect expect = expect_hyperv(&s, vcpus);
	struct kdh_verdict v = { 0 };

	kdh_verdict_decide(&v, &expect, e);
	ck_assert_str_eq(kdh_result_name(v.result), kdh_result_name(result));
	ck_assert_str_eq(kdh_reason_name(v.reason), kdh_reason_name(reason));
	ck_assert_msg(strstr(v.detail, detail_part), "detail \"%s\" lacks \"%s\"", v.detail,
		      detail_part);
	kdh_verdict_clear(&v);
	kdh_scenario_clear(&s);
}

/* judge_run() on evidence from the 4-vCPU run */
static void judge(const struct kdh_evidence *e, enum kdh_result result, enum kdh_reason reason,
		  const char *detail_part)
{
	judge_run(e, VCPUS, result, reason, detail_part);
}

START_TEST(test_real_hyperv_run)
{
	struct kdh_evidence e;
	const struct kdh_complaint *c;

	kdh_test_evidence_from_samples(&e, CONSOLE, DMESG);
	ck_assert_str_eq(e.first.vmbus_version, "4.0");
	ck_assert_str_eq(e.capture.vmbus_version, "4.0");
	ck_assert_int_eq(e.vmcore_log.vmbus_unload_waits, 0);
	ck_assert(!e.vmcore_log.vmbus_unload_gave_up);
	/* hv_crash_handler's WARNING on the panicking CPU, surfaced, not failed on */
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 1);
	c = e.vmcore_log.complaints->pdata[0];
	ck_assert_int_eq(c->kind, KDH_COMPLAINT_WARNING);
	ck_assert_int_eq(c->cpu, 0);
	ck_assert_ptr_nonnull(strstr(c->line, "kernel/smp.c:769 smp_call_function_single"));
	ck_assert_int_eq(e.vmcore_log.panic_cpu, 0);
	/* Linux 6.1 connects from CPU 0; the NMI panicked there */
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), 0);
	judge(&e, KDH_RESULT_PASS, KDH_REASON_OK,
	      "warning: WARNING on CPU 0 in the crash path: WARNING: CPU: 0 PID: 0 at "
	      "kernel/smp.c:769");
	judge(&e, KDH_RESULT_PASS, KDH_REASON_OK, "panic on CPU 0, the VMBus connect CPU; ");
	kdh_evidence_clear(&e);
}
END_TEST

/* The seed's failure, for real: the lab's broken variant
 * (tests/scenarios/broken-hyperv-no-vmbus-in-capture.conf), whose capture
 * kernel may not load hv_vmbus. It never says "Vmbus version" and loses the
 * hv_balloon device; the vmcore is still written (virtio-blk). */
START_TEST(test_real_capture_without_vmbus)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, CONSOLE_NO_VMBUS, DMESG_NO_VMBUS);
	ck_assert_str_eq(e.first.vmbus_version, "4.0");
	ck_assert_ptr_null(e.capture.vmbus_version);
	ck_assert_uint_eq(e.first.devices->len, 9);
	ck_assert_uint_eq(e.capture.devices->len, 8);
	ck_assert_int_eq(e.capture.dump_status, 0);
	ck_assert_int_eq(e.vmcore_log.panic_cpu, 0);
	/* the lost VMBus is the reason, not the inventory it costs */
	judge_run(&e, VCPUS_NO_VMBUS, KDH_RESULT_FAIL, KDH_REASON_VMBUS_NOT_RECONNECTED,
		  "the capture kernel did not reconnect to VMBus (the first had version 4.0); "
		  "panic on CPU 0, the VMBus connect CPU");
	kdh_evidence_clear(&e);
}
END_TEST

/* drivers/hv/channel_mgmt.c vmbus_wait_for_unload(), from hv_crash_handler()
 * after the panic message: a crash path that gave up waiting for UNLOAD. */
START_TEST(test_unload_gave_up)
{
	g_autofree char *dmesg = kdh_test_read_sample(DMESG);
	g_autofree char *bad = g_strconcat(
		dmesg, "[   86.979298] hv_vmbus: Waiting for VMBus UNLOAD to complete\n",
		"[   91.979298] hv_vmbus: Waiting for VMBus UNLOAD to complete\n",
		"[  181.979301] hv_vmbus: Continuing even though VMBus UNLOAD did not complete\n",
		NULL);
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, CONSOLE, NULL);
	kdh_analysis_panic_log_parse(&e.vmcore_log, bad);
	e.vmcore_read = TRUE;
	ck_assert_int_eq(e.vmcore_log.vmbus_unload_waits, 2);
	ck_assert(e.vmcore_log.vmbus_unload_gave_up);
	/* from the panic line's stamp (81.979298) to the give-up's */
	ck_assert_double_eq_tol(e.vmcore_log.vmbus_unload_seconds, 100.000003, 1e-6);
	judge(&e, KDH_RESULT_FAIL, KDH_REASON_VMBUS_UNLOAD,
	      "continued even though VMBus UNLOAD did not complete after waiting 100.0 s "
	      "for it (2 waits)");
	kdh_evidence_clear(&e);
}
END_TEST

/* In TEXT, the first FROM at or after AFTER becomes TO (as long). */
static void overwrite_after(char *text, const char *after, const char *from, const char *to)
{
	char *start = strstr(text, after);
	char *at = start ? strstr(start, from) : NULL;

	ck_assert_msg(at, "no '%s' after '%s'", from, after);
	ck_assert_uint_eq(strlen(from), strlen(to));
	memcpy(at, to, strlen(to));
}

/* The real sample with its fatal NMI handled, and the panic started, on CPU 2
 * (the vmcore's log names the CPU in the "Uhhuh" line after the agent armed
 * and in the "CPU: N PID:" line after the panic): the seed's case, a panic off
 * the VMBus connect CPU. */
static void evidence_panic_on_cpu2(struct kdh_evidence *e, const char *extra_dmesg)
{
	g_autofree char *dmesg = kdh_test_read_sample(DMESG);
	g_autofree char *log = NULL;

	overwrite_after(dmesg, "kdh: armed", "unknown reason 21 on CPU 0.",
			"unknown reason 21 on CPU 2.");
	overwrite_after(dmesg, "Kernel panic - not syncing", "CPU: 0 PID: 0 Comm: swapper/0",
			"CPU: 2 PID: 0 Comm: swapper/2");
	log = g_strconcat(dmesg, extra_dmesg, NULL);
	kdh_test_evidence_from_samples(e, CONSOLE, NULL);
	kdh_analysis_panic_log_parse(&e->vmcore_log, log);
	e->vmcore_read = TRUE;
	ck_assert_int_eq(e->vmcore_log.panic_cpu, 2);
}

START_TEST(test_panic_off_connect_cpu)
{
	struct kdh_evidence e;

	/* passes (CPU 2 logged the unknown NMI too), and says where it was */
	evidence_panic_on_cpu2(&e, "");
	judge(&e, KDH_RESULT_PASS, KDH_REASON_OK, "panic on CPU 2, not the VMBus connect CPU 0; ");
	kdh_evidence_clear(&e);
	/* a failure of the VMBus says it too */
	evidence_panic_on_cpu2(
		&e, "[   92.000000] hv_vmbus: Continuing even though VMBus UNLOAD did not complete\n");
	judge(&e, KDH_RESULT_FAIL, KDH_REASON_VMBUS_UNLOAD,
	      "did not complete after waiting 10.0 s for it (0 waits); "
	      "panic on CPU 2, not the VMBus connect CPU 0");
	kdh_evidence_clear(&e);
}
END_TEST

/* The real run whose host NMI panicked CPU 1, away from the connect CPU 0: the
 * first CPU to take an unknown NMI handles it on Hyper-V, and here it was CPU 1.
 * The capture kernel still reconnected (QEMU resets the bus on a new contact). */
START_TEST(test_real_panic_off_connect_cpu)
{
	struct kdh_evidence e;
	const struct kdh_complaint *c;

	kdh_test_evidence_from_samples(&e, CONSOLE_CPU1, DMESG_CPU1);
	ck_assert_int_eq(e.first.cpus, VCPUS_CPU1);
	ck_assert_str_eq(e.first.vmbus_version, "4.0");
	ck_assert_str_eq(e.capture.vmbus_version, "4.0");
	ck_assert_int_eq(e.vmcore_log.panic_cpu, 1);
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), 0);
	ck_assert_int_eq(e.vmcore_log.vmbus_unload_waits, 0);
	ck_assert(!e.vmcore_log.vmbus_unload_gave_up);
	ck_assert_uint_eq(e.vmcore_log.complaints->len, 1);
	c = e.vmcore_log.complaints->pdata[0];
	ck_assert_int_eq(c->kind, KDH_COMPLAINT_WARNING);
	ck_assert_int_eq(c->cpu, 1);
	judge_run(&e, VCPUS_CPU1, KDH_RESULT_PASS, KDH_REASON_OK,
		  "panic on CPU 1, not the VMBus connect CPU 0; ");
	kdh_evidence_clear(&e);
}
END_TEST

/* The connect CPU is known from the release: 0 from Linux 5.8 on, unless the
 * kernel said otherwise. */
START_TEST(test_connect_cpu_by_release)
{
	static const struct {
		const char *release;
		int cpu;
	} cases[] = {
		{ "6.1.0-56-amd64", 0 }, { "5.8.0", 0 },  { "5.10.209-1", 0 },
		{ "10.0", 0 },           { "5.7.19", -1 }, { "4.19.0-26-amd64", -1 },
		{ "", -1 },              { "x.y", -1 },
	};
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, CONSOLE, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_free(e.first.release);
		e.first.release = g_strdup(cases[i].release);
		ck_assert_msg(kdh_analysis_vmbus_connect_cpu(&e.first) == cases[i].cpu, "release '%s': %d",
			      cases[i].release, kdh_analysis_vmbus_connect_cpu(&e.first));
	}
	/* a kernel that names its connect CPU (vmbus-connect-cpu-1.patch) is believed
	 * over its release, whatever the release */
	e.first.vmbus_connect_said = 1;
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), 1);
	g_free(e.first.release);
	e.first.release = g_strdup("4.19.0-26-amd64");
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), 1);
	e.first.vmbus_connect_said = -1;
	/* no VMBus, no connect CPU */
	g_free(e.first.release);
	e.first.release = g_strdup("6.1.0-56-amd64");
	g_clear_pointer(&e.first.vmbus_version, g_free);
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), -1);
	e.first.vmbus_connect_said = 1;
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), -1);
	kdh_evidence_clear(&e);
}
END_TEST

/* The seed's kernel (vmbus-connect-cpu-1.patch) names its connect CPU, and kdh
 * believes it over the 6.1 release; its capture kernel, on one CPU and stopped
 * by the lab 4.5 s in, reported no VMBus. */
START_TEST(test_real_connect_cpu_said)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, CONSOLE_SEED, NULL);
	ck_assert_str_eq(e.first.release, "6.1.192");
	ck_assert_str_eq(e.first.vmbus_version, "4.0");
	ck_assert_int_eq(e.first.vmbus_connect_said, 1);
	ck_assert_int_eq(kdh_analysis_vmbus_connect_cpu(&e.first), 1);
	ck_assert(e.capture_banner);
	ck_assert_ptr_null(e.capture.vmbus_version);
	ck_assert_int_eq(e.capture.vmbus_connect_said, -1);
	kdh_evidence_clear(&e);
}
END_TEST

/* The real run kdh once failed with nmi-not-delivered: a kernel message landed
 * inside the agent's "KDH: nmis when=after counts=1,1" ("KDH: nmis when=a[
 * 15.08] Dazed and confused, ..." then "fter counts=1,1"). Put back together,
 * the probe reached both CPUs, and the founding fix's kernel (connect CPU 1,
 * hv_nmi_unknown() restored) passes with its panic on CPU 0. */
START_TEST(test_real_agent_line_cut)
{
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, CONSOLE_CUT, DMESG_CUT);
	ck_assert_uint_eq(e.first.nmis_after->len, 2);
	ck_assert_int_eq(g_array_index(e.first.nmis_after, int, 0), 1);
	ck_assert_int_eq(g_array_index(e.first.nmis_after, int, 1), 1);
	ck_assert(e.first.ready);
	ck_assert_str_eq(e.capture.vmbus_version, "4.0");
	ck_assert_int_eq(e.vmcore_log.panic_cpu, 0);
	ck_assert_int_eq(e.vmcore_log.vmbus_unload_waits, 0);
	judge_run(&e, 2, KDH_RESULT_PASS, KDH_REASON_OK,
		  "panic on CPU 0, not the VMBus connect CPU 1; ");
	kdh_evidence_clear(&e);
}
END_TEST

/* summary.json of the real run: the connect CPU beside the panic CPU. */
static JsonObject *summary_panic(struct kdh_evidence *e, JsonNode **ret_root)
{
	struct kdh_scenario s;
	struct kdh_expect expect = expect_hyperv(&s, VCPUS);
	struct kdh_verdict v = { 0 };

	kdh_verdict_decide(&v, &expect, e);
	*ret_root = kdh_report_summary(s.name, &expect, e, &v);
	kdh_verdict_clear(&v);
	kdh_scenario_clear(&s);
	return json_object_get_object_member(json_node_get_object(*ret_root), "panic");
}

START_TEST(test_summary_connect_cpu)
{
	g_autoptr(JsonNode) root = NULL, root2 = NULL, root3 = NULL;
	struct kdh_evidence e;
	JsonObject *panic;

	kdh_test_evidence_from_samples(&e, CONSOLE, DMESG);
	panic = summary_panic(&e, &root);
	ck_assert_int_eq(json_object_get_int_member(panic, "cpu"), 0);
	ck_assert(json_object_has_member(panic, "vmbus_connect_cpu"));
	ck_assert(!json_object_get_null_member(panic, "vmbus_connect_cpu"));
	ck_assert_int_eq(json_object_get_int_member(panic, "vmbus_connect_cpu"), 0);
	/* before 5.8 Linux connected from whichever CPU it was on */
	g_free(e.first.release);
	e.first.release = g_strdup("5.4.0-42-generic");
	panic = summary_panic(&e, &root2);
	ck_assert(json_object_get_null_member(panic, "vmbus_connect_cpu"));
	/* no VMBus in the first kernel: no connect CPU */
	g_free(e.first.release);
	e.first.release = g_strdup("6.1.0-56-amd64");
	g_clear_pointer(&e.first.vmbus_version, g_free);
	panic = summary_panic(&e, &root3);
	ck_assert(json_object_get_null_member(panic, "vmbus_connect_cpu"));
	kdh_evidence_clear(&e);
}
END_TEST

/* The real first kernel's console as a host without Hyper-V emulation would
 * show it: hv_vmbus finds no VMBus and does not load. */
static char *console_without_vmbus(void)
{
	g_autofree char *console = kdh_test_read_sample(CONSOLE);
	g_autoptr(GRegex) version = g_regex_new("^.*hv_vmbus: Vmbus version:.*\n", G_REGEX_MULTILINE,
						0, NULL);
	g_autofree char *no_version = g_regex_replace_literal(version, console, -1, 0, "", 0, NULL);
	g_autoptr(GRegex) module = g_regex_new("module name=hv_vmbus status=ok errno=0", 0, 0, NULL);

	ck_assert_ptr_nonnull(strstr(console, "module name=hv_vmbus status=ok errno=0"));
	return g_regex_replace_literal(module, no_version, -1, 0,
				       "module name=hv_vmbus status=error errno=19", 0, NULL);
}

/* CONSOLE up to (not with) its first line holding CUT, as the console of a run
 * whose deadline for stage 'load' passed: judged as RESULT with REASON. */
static void judge_stopped_at(const char *console, const char *cut, enum kdh_result result,
			     enum kdh_reason reason, const char *detail_part)
{
	g_autofree char *head = g_strdup(console);
	char *at = strstr(head, cut);
	struct kdh_evidence e;

	ck_assert_ptr_nonnull(at);
	*at = '\0';
	kdh_evidence_init(&e);
	kdh_test_feed_console(&e, head);
	e.deadline_missed = KDH_STAGE_LOAD;
	judge(&e, result, reason, detail_part);
	kdh_evidence_clear(&e);
}

START_TEST(test_first_without_vmbus)
{
	g_autofree char *console = console_without_vmbus();
	struct kdh_scenario s;
	struct kdh_expect expect = expect_hyperv(&s, VCPUS);
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	/* the whole run went on (the crash path without VMBus): not testable */
	kdh_evidence_init(&e);
	kdh_test_feed_console(&e, console);
	ck_assert_ptr_null(e.first.vmbus_version);
	judge(&e, KDH_RESULT_SKIP, KDH_REASON_NO_VMBUS,
	      "the first kernel found no VMBus (hv_vmbus did not load): the host offers no "
	      "Hyper-V VMBus");
	kdh_verdict_decide(&v, &expect, &e);
	ck_assert_int_eq(kdh_verdict_exit_code(&v), 125);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
	kdh_scenario_clear(&s);

	/* Stopped by the deadline after its modules, before the capture kernel:
	 * still not testable, not the deadline. */
	judge_stopped_at(console, "KDH: kexec status=", KDH_RESULT_SKIP, KDH_REASON_NO_VMBUS,
			 "hv_vmbus did not load");
	/* Stopped before the inventory: hv_vmbus may not have loaded yet, so the
	 * missing VMBus proves nothing and the deadline decides. */
	judge_stopped_at(console, "KDH: module name=hv_vmbus", KDH_RESULT_FAIL,
			 KDH_REASON_DEADLINE, "stage 'load' not reached");
}
END_TEST

static Suite *vmbus_suite(void)
{
	Suite *s = suite_create("vmbus");
	TCase *tc = tcase_create("real-hyperv");

	tcase_add_test(tc, test_real_hyperv_run);
	tcase_add_test(tc, test_real_capture_without_vmbus);
	tcase_add_test(tc, test_unload_gave_up);
	tcase_add_test(tc, test_panic_off_connect_cpu);
	tcase_add_test(tc, test_real_panic_off_connect_cpu);
	tcase_add_test(tc, test_connect_cpu_by_release);
	tcase_add_test(tc, test_real_connect_cpu_said);
	tcase_add_test(tc, test_real_agent_line_cut);
	tcase_add_test(tc, test_summary_connect_cpu);
	tcase_add_test(tc, test_first_without_vmbus);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(vmbus_suite());
}

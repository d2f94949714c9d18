/* VMBus evidence and verdicts on the real Hyper-V run: Debian 6.1.0-56 as an L2
 * guest (4 vCPUs, Hyper-V enlightenments, KVM hidden, vmbus-bridge with an
 * hv-balloon) under QEMU 10.0 / KVM inside the nested lab. */
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-config.h"
#include "kdh-test.h"
#include "kdh-verdict.h"

#define CONSOLE "console-hyperv-nmi-all-vcpus.log"
#define DMESG "vmcore-dmesg-hyperv-nmi-all-vcpus.txt"

/* The shipped hyperv scenario's expectations. */
static struct kdh_expect expect_hyperv(struct kdh_scenario *s)
{
	g_autoptr(GError) error = NULL;

	if (!kdh_scenario_load("scenarios/hyperv-nmi-all-vcpus.conf", s, &error))
		ck_abort_msg("%s", error->message);
	return kdh_scenario_expect(s);
}

static void judge(const struct kdh_evidence *e, enum kdh_result result, enum kdh_reason reason,
		  const char *detail_part)
{
	struct kdh_scenario s;
	struct kdh_expect expect = expect_hyperv(&s);
	struct kdh_verdict v = { 0 };

	kdh_verdict_decide(&v, &expect, e);
	ck_assert_str_eq(kdh_result_name(v.result), kdh_result_name(result));
	ck_assert_str_eq(kdh_reason_name(v.reason), kdh_reason_name(reason));
	ck_assert_msg(strstr(v.detail, detail_part), "detail \"%s\" lacks \"%s\"", v.detail,
		      detail_part);
	kdh_verdict_clear(&v);
	kdh_scenario_clear(&s);
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
	judge(&e, KDH_RESULT_PASS, KDH_REASON_OK,
	      "warning: WARNING on CPU 0 in the crash path: WARNING: CPU: 0 PID: 0 at "
	      "kernel/smp.c:769");
	kdh_evidence_clear(&e);
}
END_TEST

/* The seed's failure: the capture kernel never says "Vmbus version". */
START_TEST(test_capture_without_vmbus)
{
	g_autofree char *console = kdh_test_read_sample(CONSOLE);
	g_autofree char *dmesg = kdh_test_read_sample(DMESG);
	g_autoptr(GRegex) vmbus = g_regex_new("hv_vmbus: Vmbus version:[0-9.]+", 0, 0, NULL);
	g_autofree char *capture = NULL;
	/* the capture kernel's part: from the last banner on */
	char *banner = g_strrstr(console, "] Linux version ");
	struct kdh_evidence e;

	ck_assert_ptr_nonnull(banner);
	capture = g_regex_replace_literal(vmbus, banner, -1, 0, "hv_vmbus: no VMBus", 0, NULL);
	*banner = '\0';
	kdh_evidence_init(&e);
	kdh_test_feed_console(&e, console);
	kdh_test_feed_console(&e, capture);
	kdh_panic_log_parse(&e.vmcore_log, dmesg);
	e.vmcore_read = TRUE;
	ck_assert_str_eq(e.first.vmbus_version, "4.0");
	ck_assert_ptr_null(e.capture.vmbus_version);
	judge(&e, KDH_RESULT_FAIL, KDH_REASON_VMBUS_NOT_RECONNECTED,
	      "the capture kernel did not reconnect to VMBus (the first had version 4.0)");
	kdh_evidence_clear(&e);
}
END_TEST

/* drivers/hv/channel_mgmt.c vmbus_wait_for_unload(), from hv_crash_handler()
 * after the panic message: a crash path that gave up waiting for UNLOAD. */
START_TEST(test_unload_gave_up)
{
	g_autofree char *dmesg = kdh_test_read_sample(DMESG);
	g_autofree char *bad = g_strconcat(
		dmesg, "[    9.000000] hv_vmbus: Waiting for VMBus UNLOAD to complete\n",
		"[   19.000000] hv_vmbus: Waiting for VMBus UNLOAD to complete\n",
		"[   29.000000] hv_vmbus: Continuing even though VMBus UNLOAD did not complete\n",
		NULL);
	struct kdh_evidence e;

	kdh_test_evidence_from_samples(&e, CONSOLE, NULL);
	kdh_panic_log_parse(&e.vmcore_log, bad);
	e.vmcore_read = TRUE;
	ck_assert_int_eq(e.vmcore_log.vmbus_unload_waits, 2);
	ck_assert(e.vmcore_log.vmbus_unload_gave_up);
	judge(&e, KDH_RESULT_FAIL, KDH_REASON_VMBUS_UNLOAD,
	      "continued even though VMBus UNLOAD did not complete (2 waits)");
	kdh_evidence_clear(&e);
}
END_TEST

static Suite *vmbus_suite(void)
{
	Suite *s = suite_create("vmbus");
	TCase *tc = tcase_create("real-hyperv");

	tcase_add_test(tc, test_real_hyperv_run);
	tcase_add_test(tc, test_capture_without_vmbus);
	tcase_add_test(tc, test_unload_gave_up);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(vmbus_suite());
}

/* Unit tests of harness/report/tally.c: counts over repeated runs, as text and JSON,
 * and their cross table of panic CPU by result and reason. The panicking CPUs
 * come from the saved real vmcore logs; the Hyper-V runs are judged from the
 * saved real consoles and vmcore logs of the nested lab. */
#include <check.h>

#include "kdh-analysis.h"
#include "kdh-tally.h"
#include "kdh-test.h"

/* Evidence with the vmcore log DMESG_NAME (NULL: no vmcore came back). */
static void evidence_with(struct kdh_evidence *e, const char *dmesg_name)
{
	kdh_evidence_init(e);
	if (dmesg_name) {
		g_autofree char *dmesg = kdh_test_read_sample(dmesg_name);

		kdh_analysis_panic_log_parse(&e->vmcore_log, dmesg);
		e->vmcore_read = TRUE;
	}
}

/* Counts one run of SCENARIO that ended RESULT for REASON, with the vmcore log
 * DMESG_NAME (or none). */
static void add_run(struct kdh_tally *t, const char *scenario, enum kdh_result result,
		    enum kdh_reason reason, const char *dmesg_name)
{
	struct kdh_verdict v = { result, reason, KDH_STAGE__COUNT, (char *)"detail" };
	struct kdh_evidence e;

	evidence_with(&e, dmesg_name);
	kdh_tally_add(t, scenario, &v, &e);
	kdh_evidence_clear(&e);
}

static void assert_text(const struct kdh_tally *t, const char *expected)
{
	g_autofree char *text = kdh_tally_text(t);

	ck_assert_str_eq(text, expected);
}

/* The scenario's object in the tally's JSON. */
static JsonObject *scenario_object(JsonNode *root, const char *scenario)
{
	JsonObject *o = json_node_get_object(root);

	ck_assert_msg(json_object_has_member(o, scenario), "no '%s'", scenario);
	return json_object_get_object_member(o, scenario);
}

/* The members of O as "name=value,..." in their order. */
static char *counts_text(JsonObject *o)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GList) names = json_object_get_members(o);

	for (GList *n = names; n; n = n->next)
		g_string_append_printf(out, "%s%s=%" G_GINT64_FORMAT, out->len ? "," : "",
				       (const char *)n->data, json_object_get_int_member(o, n->data));
	return g_string_free(out, FALSE);
}

/* The cross table BY ("by_panic_cpu") as "CPU[c|n]=result:reason:n,...", a row
 * each, separated by blanks: "c" for the VMBus connect CPU, "n" for another
 * CPU when the connect CPU is known. Each row's runs must add up. */
static char *cross_text(JsonObject *by)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GList) cpus = json_object_get_members(by);

	for (GList *c = cpus; c; c = c->next) {
		JsonObject *row = json_object_get_object_member(by, c->data);
		JsonArray *outcomes = json_object_get_array_member(row, "outcomes");
		JsonNode *connect = json_object_get_member(row, "vmbus_connect_cpu");
		gint64 sum = 0;

		ck_assert_int_eq(json_object_get_size(row), 3);
		g_string_append_printf(out, "%s%s%s=", out->len ? " " : "", (const char *)c->data,
				       JSON_NODE_HOLDS_NULL(connect) ? ""
				       : json_node_get_boolean(connect) ? "c"
									: "n");
		for (guint i = 0; i < json_array_get_length(outcomes); i++) {
			JsonObject *o = json_array_get_object_element(outcomes, i);

			ck_assert_int_eq(json_object_get_size(o), 3);
			g_string_append_printf(out, "%s%s:%s:%" G_GINT64_FORMAT, i ? "," : "",
					       json_object_get_string_member(o, "result"),
					       json_object_get_string_member(o, "reason"),
					       json_object_get_int_member(o, "runs"));
			sum += json_object_get_int_member(o, "runs");
		}
		ck_assert_int_eq(json_object_get_int_member(row, "runs"), sum);
	}
	return g_string_free(out, FALSE);
}

static void assert_json(JsonNode *root, const char *scenario, int runs, int passed, int failed,
			int skipped, const char *reasons, const char *panic_cpus,
			const char *by_panic_cpu)
{
	JsonObject *o = scenario_object(root, scenario);
	g_autofree char *r = counts_text(json_object_get_object_member(o, "reasons"));
	g_autofree char *p = counts_text(json_object_get_object_member(o, "panic_cpus"));
	g_autofree char *x = cross_text(json_object_get_object_member(o, "by_panic_cpu"));

	ck_assert_int_eq(json_object_get_size(o), 7);
	ck_assert_int_eq(json_object_get_int_member(o, "runs"), runs);
	ck_assert_int_eq(json_object_get_int_member(o, "passed"), passed);
	ck_assert_int_eq(json_object_get_int_member(o, "failed"), failed);
	ck_assert_int_eq(json_object_get_int_member(o, "skipped"), skipped);
	ck_assert_str_eq(r, reasons);
	ck_assert_str_eq(p, panic_cpus);
	ck_assert_str_eq(x, by_panic_cpu);
}

START_TEST(test_empty)
{
	struct kdh_tally *t = kdh_tally_new();
	g_autoptr(JsonNode) root = kdh_tally_json(t);

	assert_text(t, "");
	ck_assert(JSON_NODE_HOLDS_OBJECT(root));
	ck_assert_uint_eq(json_object_get_size(json_node_get_object(root)), 0);
	kdh_tally_free(t);
	kdh_tally_free(NULL);
}
END_TEST

START_TEST(test_all_passed)
{
	struct kdh_tally *t = kdh_tally_new();
	g_autoptr(JsonNode) root = NULL;

	/* The NMI won by CPU 1 once, by CPU 0 twice: real logs of those runs. */
	add_run(t, "nmi-all-vcpus", KDH_RESULT_PASS, KDH_REASON_OK,
		"vmcore-dmesg-probe-nmi-all-vcpus.txt");
	add_run(t, "nmi-all-vcpus", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-probe-nmi-cpu0.txt");
	add_run(t, "nmi-all-vcpus", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-nmi-cpu0.txt");
	assert_text(t, "nmi-all-vcpus: 3 runs, 3 passed, 0 failed, 0 skipped; "
		       "panic on CPU 0 x2, CPU 1 x1\n"
		       "  CPU 0: pass (ok) x2\n"
		       "  CPU 1: pass (ok) x1\n");
	root = kdh_tally_json(t);
	assert_json(root, "nmi-all-vcpus", 3, 3, 0, 0, "", "0=2,1=1", "0=pass:ok:2 1=pass:ok:1");
	kdh_tally_free(t);
}
END_TEST

START_TEST(test_scenarios_in_order_added)
{
	struct kdh_tally *t = kdh_tally_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GList) names = NULL;

	add_run(t, "sysrq-cpu2", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-probe-sysrq-cpu2.txt");
	add_run(t, "nmi-cpu0", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-probe-nmi-cpu0.txt");
	add_run(t, "sysrq-cpu2", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-probe-sysrq-cpu2.txt");
	add_run(t, "nmi-all-vcpus", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-nmi-all.txt");
	assert_text(t, "sysrq-cpu2: 2 runs, 2 passed, 0 failed, 0 skipped; panic on CPU 2 x2\n"
		       "  CPU 2: pass (ok) x2\n"
		       "nmi-cpu0: 1 runs, 1 passed, 0 failed, 0 skipped; panic on CPU 0 x1\n"
		       "  CPU 0: pass (ok) x1\n"
		       "nmi-all-vcpus: 1 runs, 1 passed, 0 failed, 0 skipped; panic on CPU 2 x1\n"
		       "  CPU 2: pass (ok) x1\n");
	root = kdh_tally_json(t);
	names = json_object_get_members(json_node_get_object(root));
	ck_assert_uint_eq(g_list_length(names), 3);
	ck_assert_str_eq(g_list_nth_data(names, 0), "sysrq-cpu2");
	ck_assert_str_eq(g_list_nth_data(names, 1), "nmi-cpu0");
	ck_assert_str_eq(g_list_nth_data(names, 2), "nmi-all-vcpus");
	assert_json(root, "sysrq-cpu2", 2, 2, 0, 0, "", "2=2", "2=pass:ok:2");
	assert_json(root, "nmi-cpu0", 1, 1, 0, 0, "", "0=1", "0=pass:ok:1");
	assert_json(root, "nmi-all-vcpus", 1, 1, 0, 0, "", "2=1", "2=pass:ok:1");
	kdh_tally_free(t);
}
END_TEST

START_TEST(test_failures_and_skips)
{
	struct kdh_tally *t = kdh_tally_new();
	g_autoptr(JsonNode) root = NULL;

	add_run(t, "nmi-all-vcpus", KDH_RESULT_PASS, KDH_REASON_OK,
		"vmcore-dmesg-probe-nmi-all-vcpus.txt");
	/* A failure with a vmcore still says where the panic was. */
	add_run(t, "nmi-all-vcpus", KDH_RESULT_FAIL, KDH_REASON_CPU_NOT_STOPPED,
		"vmcore-dmesg-probe-nmi-all-vcpus.txt");
	add_run(t, "nmi-all-vcpus", KDH_RESULT_FAIL, KDH_REASON_DEADLINE, NULL);
	add_run(t, "nmi-all-vcpus", KDH_RESULT_FAIL, KDH_REASON_DEADLINE, NULL);
	add_run(t, "nmi-all-vcpus", KDH_RESULT_SKIP, KDH_REASON_NO_BOOT, NULL);
	/* Reasons in the enum's (crash-path) order, not in the order seen; in the
	 * cross table, each CPU's in the order seen, runs without a panic CPU last. */
	assert_text(t, "nmi-all-vcpus: 5 runs, 1 passed, 3 failed, 1 skipped; panic on CPU 1 x2; "
		       "reasons: no-boot x1, deadline x2, cpu-not-stopped x1\n"
		       "  CPU 1: pass (ok) x1, fail (cpu-not-stopped) x1\n"
		       "  CPU unknown: fail (deadline) x2, skip (no-boot) x1\n");
	root = kdh_tally_json(t);
	assert_json(root, "nmi-all-vcpus", 5, 1, 3, 1, "no-boot=1,deadline=2,cpu-not-stopped=1",
		    "1=2", "1=pass:ok:1,fail:cpu-not-stopped:1 unknown=fail:deadline:2,skip:no-boot:1");
	kdh_tally_free(t);
}
END_TEST

START_TEST(test_no_panic_cpu)
{
	struct kdh_tally *t = kdh_tally_new();
	struct kdh_verdict v = { KDH_RESULT_FAIL, KDH_REASON_VMCORE_UNREADABLE, KDH_STAGE__COUNT,
				 (char *)"makedumpfile could not read the log out of the vmcore" };
	struct kdh_evidence e;
	g_autoptr(JsonNode) root = NULL;

	/* A log that was parsed but not read from the vmcore does not count. */
	evidence_with(&e, "vmcore-dmesg-probe-sysrq-cpu2.txt");
	e.vmcore_read = FALSE;
	kdh_tally_add(t, "sysrq-cpu2", &v, &e);
	kdh_evidence_clear(&e);
	/* Nor does a log that names no panicking CPU. */
	v = (struct kdh_verdict){ KDH_RESULT_FAIL, KDH_REASON_NO_PANIC, KDH_STAGE__COUNT,
				  (char *)"no panic" };
	kdh_evidence_init(&e);
	kdh_analysis_panic_log_parse(&e.vmcore_log, "[    4.0] kdh: armed\n");
	e.vmcore_read = TRUE;
	kdh_tally_add(t, "sysrq-cpu2", &v, &e);
	kdh_evidence_clear(&e);

	assert_text(t, "sysrq-cpu2: 2 runs, 0 passed, 2 failed, 0 skipped; "
		       "reasons: vmcore-unreadable x1, no-panic x1\n"
		       "  CPU unknown: fail (vmcore-unreadable) x1, fail (no-panic) x1\n");
	root = kdh_tally_json(t);
	assert_json(root, "sysrq-cpu2", 2, 0, 2, 0, "vmcore-unreadable=1,no-panic=1", "",
		    "unknown=fail:vmcore-unreadable:1,fail:no-panic:1");
	kdh_tally_free(t);
}
END_TEST

START_TEST(test_high_cpu)
{
	struct kdh_tally *t = kdh_tally_new();
	struct kdh_verdict v = { KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT, (char *)"ok" };
	struct kdh_evidence e;
	g_autoptr(JsonNode) root = NULL;

	/* CPU numbers grow the counts as far as they need, and only CPUs that
	 * panicked are listed. */
	kdh_evidence_init(&e);
	kdh_analysis_panic_log_parse(&e.vmcore_log, "Kernel panic - not syncing: NMI: Not continuing\n"
						    "CPU: 63 PID: 0 Comm: swapper/63 Not tainted 6.1.0 #1\n");
	e.vmcore_read = TRUE;
	kdh_tally_add(t, "big", &v, &e);
	kdh_evidence_clear(&e);
	add_run(t, "big", KDH_RESULT_PASS, KDH_REASON_OK, "vmcore-dmesg-probe-sysrq-cpu2.txt");
	/* rows by CPU number, not in the order seen */
	assert_text(t, "big: 2 runs, 2 passed, 0 failed, 0 skipped; panic on CPU 2 x1, CPU 63 x1\n"
		       "  CPU 2: pass (ok) x1\n"
		       "  CPU 63: pass (ok) x1\n");
	root = kdh_tally_json(t);
	assert_json(root, "big", 2, 2, 0, 0, "", "2=1,63=1", "2=pass:ok:1 63=pass:ok:1");
	kdh_tally_free(t);
}
END_TEST

/* ---- the cross table on the seed's case: hyperv-nmi-all-vcpus repeated ---- */

/* One of the lab's real runs (kdh-test.h), judged and tallied as `kdh run` does. */
static void add_hyperv_run(struct kdh_tally *t, enum kdh_test_hyperv_run run)
{
	struct kdh_verdict v = { 0 };
	struct kdh_evidence e;

	kdh_test_hyperv_run(run, &e, &v, NULL);
	kdh_tally_add(t, "hyperv-nmi-all-vcpus", &v, &e);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
}

/* The pattern the founding commit describes, as a reader must see it at once:
 * on a kernel that gives up on VMBus UNLOAD whenever the panic is off the
 * connect CPU, 8 runs: CPU 0 passes 3 times, CPU 1 fails 5 times; one more run
 * whose vmcore never came is filed under an unknown CPU, with no word on the
 * connect CPU. */
START_TEST(test_hyperv_by_panic_cpu)
{
	struct kdh_tally *t = kdh_tally_new();
	g_autoptr(JsonNode) root = NULL;

	/* interleaved, CPU 1 first: rows come by CPU number */
	for (int i = 0; i < 5; i++) {
		add_hyperv_run(t, KDH_TEST_HYPERV_CPU1_GAVE_UP);
		if (i < 3)
			add_hyperv_run(t, KDH_TEST_HYPERV_CPU0);
	}
	assert_text(t, "hyperv-nmi-all-vcpus: 8 runs, 3 passed, 5 failed, 0 skipped; "
		       "panic on CPU 0 x3, CPU 1 x5; reasons: vmbus-unload-incomplete x5\n"
		       "  CPU 0 (the VMBus connect CPU): pass (ok) x3\n"
		       "  CPU 1 (not the VMBus connect CPU): fail (vmbus-unload-incomplete) x5\n");
	root = kdh_tally_json(t);
	assert_json(root, "hyperv-nmi-all-vcpus", 8, 3, 5, 0, "vmbus-unload-incomplete=5",
		    "0=3,1=5", "0c=pass:ok:3 1n=fail:vmbus-unload-incomplete:5");
	g_clear_pointer(&root, json_node_unref);

	/* a deadline says its stage in the cross table, as in night.json */
	add_hyperv_run(t, KDH_TEST_HYPERV_CAPTURE_DEADLINE);
	assert_text(t, "hyperv-nmi-all-vcpus: 9 runs, 3 passed, 6 failed, 0 skipped; "
		       "panic on CPU 0 x3, CPU 1 x5; "
		       "reasons: deadline x1, vmbus-unload-incomplete x5\n"
		       "  CPU 0 (the VMBus connect CPU): pass (ok) x3\n"
		       "  CPU 1 (not the VMBus connect CPU): fail (vmbus-unload-incomplete) x5\n"
		       "  CPU unknown: fail (deadline:capture) x1\n");
	root = kdh_tally_json(t);
	assert_json(root, "hyperv-nmi-all-vcpus", 9, 3, 6, 0,
		    "deadline=1,vmbus-unload-incomplete=5", "0=3,1=5",
		    "0c=pass:ok:3 1n=fail:vmbus-unload-incomplete:5 unknown=fail:deadline:capture:1");
	kdh_tally_free(t);
}
END_TEST

/* The table by itself, as night.c fills it from night.json's runs: results and
 * reasons as strings (a run that broke is "error" for "harness"), the connect
 * CPU known for some runs only. */
START_TEST(test_table)
{
	struct kdh_tally_table *table = kdh_tally_table_new();
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *x = NULL;

	kdh_tally_table_text(table, "  ", text);
	ck_assert_str_eq(text->str, "");
	kdh_tally_table_add(table, "error", "harness", -1, 0);
	kdh_tally_table_add(table, "pass", "ok", 3, -1);
	/* a connect CPU known from another run on the same CPU */
	kdh_tally_table_add(table, "pass", "ok", 3, 0);
	kdh_tally_table_add(table, "fail", "no-kexec", 0, -1);
	kdh_tally_table_add(table, "pass", "ok", -7, 0);
	kdh_tally_table_add(table, "fail", "no-kexec", 0, 0);
	/* the connect CPU as any run on the CPU saw it */
	kdh_tally_table_add(table, "fail", "no-kexec", 0, 1);
	kdh_tally_table_text(table, "# ", text);
	ck_assert_str_eq(text->str, "# CPU 0 (the VMBus connect CPU): fail (no-kexec) x3\n"
				    "# CPU 3 (not the VMBus connect CPU): pass (ok) x2\n"
				    "# CPU unknown: error (harness) x1, pass (ok) x1\n");
	kdh_tally_table_json(table, b);
	root = json_builder_get_root(b);
	x = cross_text(json_node_get_object(root));
	ck_assert_str_eq(x, "0c=fail:no-kexec:3 3n=pass:ok:2 unknown=error:harness:1,pass:ok:1");
	kdh_tally_table_free(table);
	kdh_tally_table_free(NULL);
}
END_TEST

static Suite *tally_suite(void)
{
	Suite *s = suite_create("tally");
	TCase *tc = tcase_create("tally");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_all_passed);
	tcase_add_test(tc, test_scenarios_in_order_added);
	tcase_add_test(tc, test_failures_and_skips);
	tcase_add_test(tc, test_no_panic_cpu);
	tcase_add_test(tc, test_high_cpu);
	tcase_add_test(tc, test_hyperv_by_panic_cpu);
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(tally_suite());
}

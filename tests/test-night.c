/* Unit tests of harness/report/night.c: runs from real summary.json files judged per
 * case (flaky, reasons, panic CPUs, stage medians), shards merged, nights
 * compared. */
#include <check.h>

#include <string.h>

#include "kdh-config.h"
#include "kdh-error.h"
#include "kdh-matrix.h"
#include "kdh-night.h"
#include "kdh-test.h"

#define PASS "summary-nmi-all-vcpus-pass.json"          /* panic on CPU 1 */
#define NOT_LOADED "summary-kexec-not-loaded.json"      /* no panic in a vmcore */
#define DEADLINE "summary-hyperv-capture-deadline.json" /* deadline, stage capture */

static JsonObject *sample(const char *name)
{
	g_autofree char *text = kdh_test_read_sample(name);
	g_autoptr(JsonParser) p = json_parser_new();

	ck_assert(json_parser_load_from_data(p, text, -1, NULL));
	return json_object_ref(json_node_get_object(json_parser_get_root(p)));
}

/* A case with the given id and its axes (only the id matters here). */
static struct kdh_case *a_case(const char *id)
{
	struct kdh_case *c = g_new0(struct kdh_case, 1);

	c->id = g_strdup(id);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		c->values[a] = g_strdup(kdh_axis_key(a));
	return c;
}

/* Night ID of matrix "m" with cases "a" and "b", REPEAT runs each, PLANNED of
 * them here. */
static struct kdh_night *night_of(const char *id, int repeat, int planned)
{
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_case_free);
	int plan[] = { planned, planned };

	g_ptr_array_add(cases, a_case("a"));
	g_ptr_array_add(cases, a_case("b"));
	return kdh_night_new(id, "m", "1/1", "2026-11-25T01:00:00Z", cases, repeat, plan);
}

/* Case ID's run from SAMPLE (NULL: no summary) ending with EXIT. */
static void add(struct kdh_night *night, const char *id, int repeat, const char *name, int exit)
{
	g_autoptr(JsonObject) summary = name ? sample(name) : NULL;
	g_autofree char *dir = g_strdup_printf("runs/%s/%d", id, repeat);

	ck_assert(kdh_night_add_run(night, id,
				    kdh_night_run(summary, exit, "qemu:///system", repeat,
						  "2026-11-25T01:00:00Z", 20.5, dir)));
}

static struct kdh_night_case *case_of(struct kdh_night *night, const char *id)
{
	struct kdh_night_case *c = kdh_night_case(night, id);

	ck_assert_msg(c != NULL, "no case %s", id);
	return c;
}

static const char *status_of(struct kdh_night *night, const char *id)
{
	return kdh_night_status_name(case_of(night, id)->status);
}

static const struct kdh_night_run *run_of(struct kdh_night *night, const char *id, guint i)
{
	GPtrArray *runs = case_of(night, id)->runs;

	ck_assert_uint_lt(i, runs->len);
	return runs->pdata[i];
}

/* Member IN of case ID as night.json has it, as JSON text. */
static char *json_of(struct kdh_night *night, const char *id, const char *in)
{
	g_autoptr(JsonNode) root = kdh_night_json(night);
	JsonArray *cases = json_object_get_array_member(json_node_get_object(root), "cases");

	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *c = json_array_get_object_element(cases, i);

		if (g_str_equal(json_object_get_string_member(c, "id"), id))
			return json_to_string(json_object_get_member(c, in), FALSE);
	}
	ck_abort_msg("no case %s in night.json", id);
	return NULL;
}

/* A stage's seconds of SUMMARY (a summary.json). */
static double summary_stage(JsonObject *summary, const char *stage)
{
	return json_object_get_double_member(json_object_get_object_member(summary, "stages"),
					     stage);
}

START_TEST(test_run_from_summary)
{
	struct kdh_night *night = night_of("n1", 3, 3);
	const struct kdh_night_run *r;
	g_autofree char *stages = NULL;
	g_autofree char *analysis = NULL;

	add(night, "a", 1, PASS, 0);
	add(night, "a", 2, DEADLINE, 1);
	add(night, "a", 3, NULL, 128);
	r = run_of(night, "a", 0);
	ck_assert_str_eq(kdh_night_status_name(r->result), "pass");
	ck_assert_int_eq(r->panic_cpu, 1);
	ck_assert(r->stages_known);
	ck_assert(r->stages[KDH_STAGE_KEXEC] > 5.0);
	ck_assert(r->stages[KDH_NIGHT_ANALYSIS] > 0.2);
	ck_assert_str_eq(r->dir, "runs/a/1");
	ck_assert_str_eq(r->host, "qemu:///system");
	ck_assert_int_eq(r->exit, 0);
	r = run_of(night, "a", 1);
	ck_assert_str_eq(kdh_night_status_name(r->result), "fail");
	ck_assert_str_eq(r->reason, "deadline:capture");
	ck_assert_int_eq(r->panic_cpu, -1);
	ck_assert(r->stages[KDH_NIGHT_ANALYSIS] < 0);
	r = run_of(night, "a", 2);
	ck_assert_str_eq(kdh_night_status_name(r->result), "error");
	ck_assert_str_eq(r->reason, "harness");
	ck_assert_str_eq(r->detail, "kdh run exited 128: see kdh-run.log");
	ck_assert(!r->stages_known);
	/* as night.json says them: null where nothing is known */
	stages = json_of(night, "a", "runs");
	ck_assert_msg(strstr(stages, "\"panic_cpu\":null,\"started\":\"2026-11-25T01:00:00Z\","
				     "\"seconds\":20.5,\"stages\":null,\"analysis\":null,"
				     "\"dir\":\"runs/a/3\"}"),
		      "%s", stages);
	ck_assert_msg(strstr(stages, "\"reason\":\"deadline:capture\""), "%s", stages);
	kdh_night_free(night);
}
END_TEST

START_TEST(test_case_judged)
{
	struct kdh_night *night = night_of("n1", 3, 3);
	g_autofree char *reasons = NULL;
	g_autofree char *cpus = NULL;

	ck_assert_str_eq(status_of(night, "a"), "pending");
	add(night, "a", 1, PASS, 0);
	ck_assert_str_eq(status_of(night, "a"), "pass");
	add(night, "a", 2, NOT_LOADED, 1);
	add(night, "a", 3, DEADLINE, 1);
	/* passed once, failed twice: flaky, with both reasons */
	ck_assert_str_eq(status_of(night, "a"), "flaky");
	ck_assert_int_eq(case_of(night, "a")->passed, 1);
	ck_assert_int_eq(case_of(night, "a")->failed, 2);
	reasons = json_of(night, "a", "reasons");
	ck_assert_str_eq(reasons, "{\"kexec-not-loaded\":1,\"deadline:capture\":1}");
	cpus = json_of(night, "a", "panic_cpus");
	ck_assert_str_eq(cpus, "{\"1\":1}");
	ck_assert_int_eq(kdh_night_exit_code(night), 1);
	/* failed every time: fail */
	add(night, "b", 1, NOT_LOADED, 1);
	ck_assert_str_eq(status_of(night, "b"), "fail");
	ck_assert(!kdh_night_add_run(night, "c", kdh_night_run(NULL, 0, NULL, 1, NULL, 0, "d")));
	kdh_night_free(night);
}
END_TEST

START_TEST(test_statuses_and_exit)
{
	struct kdh_night *night = night_of("n1", 2, 2);

	ck_assert_int_eq(kdh_night_exit_code(night), 0);
	add(night, "a", 1, PASS, 0);
	add(night, "b", 1, NULL, 125);
	ck_assert_str_eq(status_of(night, "b"), "skip");
	ck_assert_int_eq(kdh_night_exit_code(night), 125);
	/* a run that broke: the night broke, whatever passed */
	add(night, "a", 2, PASS, 130);
	ck_assert_str_eq(status_of(night, "a"), "error");
	ck_assert_int_eq(kdh_night_exit_code(night), 128);
	kdh_night_free(night);
}
END_TEST

/* Medians of each stage over the runs that reached it. */
START_TEST(test_medians)
{
	struct kdh_night *night = night_of("n1", 3, 3);
	g_autoptr(JsonObject) pass = sample(PASS);
	g_autoptr(JsonObject) deadline = sample(DEADLINE);
	g_autofree char *medians = NULL;
	const double *m;
	double kexec = summary_stage(pass, "kexec");
	double late = summary_stage(deadline, "kexec");

	add(night, "a", 1, PASS, 0);
	add(night, "a", 2, DEADLINE, 1);
	m = case_of(night, "a")->medians;
	/* two runs reached kexec: the median is their mean */
	ck_assert_double_eq_tol(m[KDH_STAGE_KEXEC], (kexec + late) / 2, 1e-6);
	/* only one run reached the dump's analysis */
	ck_assert_double_eq_tol(m[KDH_NIGHT_ANALYSIS], 0.234206, 1e-6);
	/* the deadline run did not reach the capture stage: the passing run's alone */
	ck_assert_double_eq_tol(m[KDH_STAGE_CAPTURE], summary_stage(pass, "capture"), 1e-6);
	/* three runs: the middle one */
	add(night, "a", 3, PASS, 0);
	m = case_of(night, "a")->medians;
	ck_assert_double_eq_tol(m[KDH_STAGE_KEXEC], kexec, 1e-6);
	/* in night.json: the stages, then analysis, each that some run reached */
	medians = json_of(night, "a", "stage_medians");
	ck_assert_msg(g_str_has_prefix(medians, "{\"boot\":") &&
			      strstr(medians, "\"bye\":") && strstr(medians, ",\"analysis\":0.234206}"),
		      "%s", medians);
	kdh_night_free(night);
}
END_TEST

static GPtrArray *strings(const char *a, const char *b)
{
	GPtrArray *p = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(p, g_strdup(a));
	if (b)
		g_ptr_array_add(p, g_strdup(b));
	return p;
}

/* NIGHT's shards made SHARD alone. */
static void set_shard(struct kdh_night *night, const char *shard)
{
	g_ptr_array_set_size(night->shards, 0);
	g_ptr_array_add(night->shards, g_strdup(shard));
}

START_TEST(test_merge)
{
	struct kdh_night *s1 = night_of("n2", 2, 1);
	struct kdh_night *s2 = night_of("n1", 2, 1);
	struct kdh_night *other = night_of("n3", 2, 1);
	g_autoptr(GPtrArray) nights = g_ptr_array_new();
	g_autoptr(GPtrArray) prefixes = strings("../s1", "../s2");
	struct kdh_night *m = NULL;
	g_autoptr(GError) error = NULL;

	set_shard(s2, "2/2");
	set_shard(s1, "1/2");
	s1->finished = g_strdup("2026-11-25T02:00:00Z");
	add(s1, "a", 1, PASS, 0);
	add(s1, "b", 1, PASS, 0);
	add(s2, "a", 2, NOT_LOADED, 1);
	add(s2, "b", 2, PASS, 0);
	g_ptr_array_add(nights, s1);
	g_ptr_array_add(nights, s2);
	m = kdh_night_merge(nights, prefixes, &error);
	ck_assert_msg(m != NULL, "%s", error ? error->message : "");
	ck_assert_str_eq(m->night, "n1");
	/* one shard still running: the night is not finished */
	ck_assert_ptr_null(m->finished);
	ck_assert_int_eq(m->shards->len, 2);
	ck_assert_int_eq(m->cases->len, 2);
	ck_assert_str_eq(status_of(m, "a"), "flaky");
	ck_assert_str_eq(status_of(m, "b"), "pass");
	ck_assert_int_eq(case_of(m, "a")->planned, 2);
	ck_assert_str_eq(run_of(m, "a", 0)->dir, "../s1/runs/a/1");
	ck_assert_str_eq(run_of(m, "a", 1)->dir, "../s2/runs/a/2");
	kdh_night_free(m);
	/* the same shard twice, or runs in two shards: refused */
	g_ptr_array_index(nights, 1) = s1;
	ck_assert_ptr_null(kdh_night_merge(nights, prefixes, &error));
	ck_assert_str_eq(error->message, "shard 1/2 is given twice");
	g_clear_error(&error);
	g_free(other->matrix);
	other->matrix = g_strdup("x");
	g_ptr_array_index(nights, 1) = other;
	ck_assert_ptr_null(kdh_night_merge(nights, prefixes, &error));
	ck_assert_str_eq(error->message, "shards of two matrices: 'm' and 'x'");
	g_clear_error(&error);
	g_free(other->matrix);
	other->matrix = g_strdup("m");
	add(other, "b", 1, PASS, 0);
	ck_assert_ptr_null(kdh_night_merge(nights, prefixes, &error));
	ck_assert_str_eq(error->message, "case b: run 1 is in two shards");
	kdh_night_free(s1);
	kdh_night_free(s2);
	kdh_night_free(other);
}
END_TEST

/* Stage STAGE's median of case ID set to SECONDS. */
static void set_median(struct kdh_night *night, const char *id, int stage, double seconds)
{
	case_of(night, id)->medians[stage] = seconds;
}

START_TEST(test_compare)
{
	struct kdh_night *n1 = night_of("n1", 1, 1);
	struct kdh_night *n2 = night_of("n2", 1, 1);
	struct kdh_night *shard = night_of("n2b", 2, 1);
	struct kdh_night *later = night_of("n9", 1, 1);
	struct kdh_night *n3 = night_of("n3", 1, 1);
	g_autoptr(GPtrArray) earlier = g_ptr_array_new();
	const struct kdh_night_comparison *cmp;
	const struct kdh_night_slower *slow;
	const struct kdh_night_history *h;
	g_autoptr(JsonNode) json = NULL;
	g_autofree char *news = NULL;
	g_autofree char *fixed = NULL;
	JsonObject *o;

	add(n1, "a", 1, NOT_LOADED, 1);
	add(n1, "b", 1, NOT_LOADED, 1);
	add(n2, "a", 1, PASS, 0);
	add(n2, "b", 1, NOT_LOADED, 1);
	add(n3, "a", 1, NOT_LOADED, 1);
	add(n3, "b", 1, PASS, 0);
	add(shard, "a", 1, PASS, 0);
	/* notably slower: half again and 2 s more; not: either alone */
	set_median(n2, "b", KDH_STAGE_BOOT, 8.0);
	set_median(n3, "b", KDH_STAGE_BOOT, 12.0);
	set_median(n2, "b", KDH_STAGE_LOAD, 1.0);
	set_median(n3, "b", KDH_STAGE_LOAD, 2.9);
	set_median(n2, "b", KDH_STAGE_CAPTURE, 10.0);
	set_median(n3, "b", KDH_STAGE_CAPTURE, 14.0);
	g_ptr_array_add(earlier, later);
	g_ptr_array_add(earlier, n2);
	g_ptr_array_add(earlier, shard);
	g_ptr_array_add(earlier, n1);
	kdh_night_compare(n3, earlier);
	cmp = n3->comparison;
	ck_assert_ptr_nonnull(cmp);
	/* against the latest whole night before it: n2, not the shard nor n9 */
	ck_assert_str_eq(cmp->against, "n2");
	/* as night.json says it */
	json = kdh_night_json(n3);
	o = json_object_get_object_member(json_node_get_object(json), "comparison");
	news = json_to_string(json_object_get_member(o, "new_failures"), FALSE);
	fixed = json_to_string(json_object_get_member(o, "fixed"), FALSE);
	ck_assert_str_eq(news, "[\"a\"]");
	ck_assert_str_eq(fixed, "[\"b\"]");
	ck_assert_int_eq(cmp->slower->len, 1);
	slow = cmp->slower->pdata[0];
	ck_assert_str_eq(slow->stage, "boot");
	ck_assert_str_eq(slow->case_id, "b");
	ck_assert_double_eq(slow->before, 8.0);
	ck_assert_double_eq(slow->after, 12.0);
	ck_assert_int_eq(n3->history->len, 3);
	h = n3->history->pdata[0];
	ck_assert_str_eq(h->night, "n1");
	ck_assert_int_eq(h->counts[KDH_NIGHT_FAIL], 2);
	ck_assert_str_eq(((const struct kdh_night_history *)n3->history->pdata[2])->night, "n3");
	/* no earlier night: no comparison, a history of one */
	g_ptr_array_set_size(earlier, 0);
	kdh_night_compare(n3, earlier);
	ck_assert_ptr_null(n3->comparison);
	ck_assert_int_eq(n3->history->len, 1);
	for (struct kdh_night **n = (struct kdh_night *[]){ n1, n2, shard, later, n3, NULL }; *n;
	     n++)
		kdh_night_free(*n);
}
END_TEST

START_TEST(test_load)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_build_filename(kdh_test_data_dir(), PASS, NULL);

	ck_assert_ptr_null(kdh_night_load(path, &error));
	ck_assert(g_str_has_suffix(error->message, "not a night (format \"kdh-night/1\")"));
	g_clear_error(&error);
	ck_assert_ptr_null(kdh_night_load("/nonexistent/night.json", &error));
	ck_assert_str_eq(error->message, "no file '/nonexistent/night.json'");
}
END_TEST

/* night-e2e.json with one member changed: each must be refused by name, as
 * bad input, before anything reads it (a case without "id" crashed kdh merge). */
static const struct {
	const char *object; /* where, from the top: "cases/1/runs/0" */
	const char *member;
	const char *json;   /* its new value; NULL: removed */
	const char *message;
} broken[] = {
	{ "cases/0", "id", NULL, "no member cases[0].id (a string)" },
	{ "cases/1", "id", "7", "cases[1].id is not a string" },
	{ "", "night", NULL, "no member night (a string)" },
	{ "", "matrix", "null", "matrix is not a string" },
	{ "", "shards", "[1]", "shards[0] is not a string" },
	{ "", "cases", "{}", "cases is not an array" },
	{ "", "cases", "[3]", "cases[0] is not an object" },
	{ "", "finished", "1", "finished is not a string or null" },
	{ "cases/0", "status", "\"great\"",
	  "cases[0].status: 'great' is not one of pass, fail, flaky, skip, error, pending" },
	{ "cases/0", "repeat", "\"2\"", "cases[0].repeat is not a whole number" },
	{ "cases/0", "planned", NULL, "no member cases[0].planned (a whole number)" },
	{ "cases/0", "axes", "{\"vcpus\": 2}", "cases[0].axes.vcpus is not a string" },
	{ "cases/0", "runs", NULL, "no member cases[0].runs (an array)" },
	{ "cases/0", "stage_medians", "{\"boot\": null}",
	  "cases[0].stage_medians.boot is not a number" },
	{ "cases/0/runs/0", "dir", NULL, "no member cases[0].runs[0].dir (a string)" },
	{ "cases/0/runs/0", "result", "\"ok\"",
	  "cases[0].runs[0].result: 'ok' is not one of pass, fail, skip, error" },
	{ "cases/0/runs/0", "panic_cpu", NULL,
	  "no member cases[0].runs[0].panic_cpu (a whole number or null)" },
	{ "cases/0/runs/0", "panic_cpu", "1.5",
	  "cases[0].runs[0].panic_cpu is not a whole number or null" },
	{ "cases/0/runs/0", "vmbus_connect_cpu", "\"0\"",
	  "cases[0].runs[0].vmbus_connect_cpu is not a whole number or null" },
	{ "cases/0/runs/1", "vmbus_connect_cpu", "-1",
	  "cases[0].runs[1].vmbus_connect_cpu: -1 is out of range" },
	{ "cases/0/runs/0", "stages", "{\"boot\": \"fast\"}",
	  "cases[0].runs[0].stages.boot is not a number or null" },
	{ "cases/0/runs/0", "repeat", NULL, "no member cases[0].runs[0].repeat (a whole number)" },
	{ "", "comparison", "{\"against\": \"n\"}",
	  "no member comparison.new_failures (an array)" },
	{ "", "history", "[{\"night\": 1}]", "history[0].night is not a string" },
	/* what the types alone do not say, checked as the night is read */
	{ "cases/0", "axes", "{\"color\": \"red\"}",
	  "cases[0].axes: 'color' is not one of scenario, kernel, platform, vcpus, memory-mib, "
	  "crashkernel, kexec" },
	{ "cases/0/axes", "kernel", NULL, "no member cases[0].axes.kernel (a string)" },
	{ "cases/0/runs/0/stages", "fast", "1.0",
	  "cases[0].runs[0].stages: 'fast' is not one of the stages (boot ... bye)" },
	{ "cases/0/runs/0/stages", "analysis", "1.0",
	  "cases[0].runs[0].stages: 'analysis' is not one of the stages (boot ... bye)" },
	{ "cases/0/runs/0/stages", "boot", "-3", "cases[0].runs[0].stages: boot: -3 is negative" },
	{ "cases/0/stage_medians", "slow", "2.0",
	  "cases[0].stage_medians: 'slow' is not one of the stages (boot ... bye) or analysis" },
	{ "cases/0/panic_cpus", "cpu0", "1", "cases[0].panic_cpus: 'cpu0' is not a CPU number" },
	{ "cases/0/panic_cpus", "-1", "1", "cases[0].panic_cpus: '-1' is not a CPU number" },
	{ "cases/0/reasons", "no-kexec", "-2", "cases[0].reasons.no-kexec: -2 is out of range" },
	{ "cases/0", "repeat", "-1", "cases[0].repeat: -1 is out of range" },
	{ "cases/1", "errors", "-1", "cases[1].errors: -1 is out of range" },
	{ "cases/0/runs/0", "panic_cpu", "4294967296",
	  "cases[0].runs[0].panic_cpu: 4294967296 is out of range" },
	{ "cases/0/runs/1", "exit", "-1", "cases[0].runs[1].exit: -1 is out of range" },
	{ "history/0", "fail", "-1", "history[0].fail: -1 is out of range" },
};

START_TEST(test_load_checks_members)
{
	g_autofree char *text = kdh_test_read_sample("night-e2e.json");
	g_autofree char *out = kdh_test_json_with(text, broken[_i].object, broken[_i].member,
						  broken[_i].json);
	g_autofree char *path = g_build_filename(kdh_test_dir(), "night.json", NULL);
	g_autofree char *expected = NULL;
	g_autoptr(GError) error = NULL;

	ck_assert(g_file_set_contents(path, out, -1, NULL));
	ck_assert_ptr_null(kdh_night_load(path, &error));
	ck_assert(g_error_matches(error, KDH_ERROR, KDH_ERROR_USAGE));
	expected = g_strdup_printf("%s: %s", path, broken[_i].message);
	ck_assert_str_eq(error->message, expected);
}
END_TEST

START_TEST(test_status_names)
{
	static const char *const names[] = { "pass", "fail", "flaky", "skip", "error", "pending" };

	G_STATIC_ASSERT(G_N_ELEMENTS(names) == KDH_NIGHT__COUNT);
	for (int s = 0; s < KDH_NIGHT__COUNT; s++) {
		ck_assert_str_eq(kdh_night_status_name(s), names[s]);
		ck_assert_int_eq(kdh_night_status_from_name(names[s]), s);
	}
	ck_assert_ptr_null(kdh_night_status_name(KDH_NIGHT__COUNT));
	ck_assert_ptr_null(kdh_night_status_name(-1));
	ck_assert_int_eq(kdh_night_status_from_name("passed"), -1);
	ck_assert_int_eq(kdh_night_status_from_name(NULL), -1);
}
END_TEST

/* NIGHT as night.json has it, read back: the same night, written the same. */
static void assert_reads_back(const struct kdh_night *night, const char *what)
{
	g_autoptr(JsonNode) json = kdh_night_json(night);
	g_autoptr(JsonNode) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = json_to_string(json, TRUE);
	g_autofree char *text_again = NULL;
	struct kdh_night *read = kdh_night_from_json(json_node_get_object(json), &error);

	ck_assert_msg(read != NULL, "%s: %s", what, error ? error->message : "");
	again = kdh_night_json(read);
	text_again = json_to_string(again, TRUE);
	ck_assert_str_eq(text_again, text);
	kdh_night_free(read);
}

/* Every night kdh writes, and the samples, read back whole. */
START_TEST(test_load_samples)
{
	static const char *const samples[] = { "night-e2e.json", "night-2x2x2.json" };
	struct kdh_night *n = night_of("n1", 2, 2);
	g_autoptr(GPtrArray) earlier = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_night_free);
	g_autoptr(GError) error = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree char *path = g_build_filename(kdh_test_data_dir(), samples[i], NULL);
		struct kdh_night *loaded = kdh_night_load(path, &error);

		ck_assert_msg(loaded, "%s: %s", samples[i], error ? error->message : "");
		assert_reads_back(loaded, samples[i]);
		kdh_night_free(loaded);
	}
	assert_reads_back(n, "a new night");
	add(n, "a", 1, PASS, 0);
	add(n, "a", 2, NULL, 128);
	add(n, "b", 1, DEADLINE, 1);
	assert_reads_back(n, "a night with runs");
	/* with a comparison and a history */
	g_ptr_array_add(earlier, night_of("n0", 2, 2));
	add(earlier->pdata[0], "b", 1, PASS, 0);
	kdh_night_compare(n, earlier);
	ck_assert_ptr_nonnull(n->comparison);
	assert_reads_back(n, "a night compared");
	kdh_night_free(n);
}
END_TEST

/* The sample as read, its cases, runs, comparison and history as it says. */
START_TEST(test_load_members)
{
	g_autofree char *path = g_build_filename(kdh_test_data_dir(), "night-2x2x2.json", NULL);
	g_autoptr(GError) error = NULL;
	struct kdh_night *n = kdh_night_load(path, &error);
	const struct kdh_night_case *c;
	const struct kdh_night_run *r;
	const struct kdh_night_count *cpu;

	ck_assert_msg(n, "%s", error ? error->message : "");
	ck_assert_str_eq(n->matrix, "nightly");
	ck_assert_uint_eq(n->cases->len, 4);
	c = n->cases->pdata[0];
	ck_assert_str_eq(c->axes[KDH_AXIS_KERNEL], "6.1.0-56-amd64");
	ck_assert_str_eq(c->axes[KDH_AXIS_MEMORY], "1024");
	ck_assert_uint_eq(c->runs->len, 2);
	ck_assert_uint_eq(c->panic_cpus->len, 2);
	cpu = c->panic_cpus->pdata[1];
	ck_assert_str_eq(cpu->name, "1");
	ck_assert_int_eq(cpu->count, 1);
	ck_assert_double_eq_tol(c->medians[KDH_STAGE_BOOT], 9.7, 1e-9);
	ck_assert_double_eq_tol(c->medians[KDH_NIGHT_ANALYSIS], 3.05, 1e-9);
	r = c->runs->pdata[0];
	ck_assert_int_eq(r->repeat, 1);
	ck_assert(r->stages_known);
	ck_assert_double_eq_tol(r->stages[KDH_STAGE_BOOT], 9.8, 1e-9);
	ck_assert_str_eq(kdh_night_status_name(r->result), "pass");
	ck_assert_ptr_nonnull(n->comparison);
	ck_assert_str_eq(n->comparison->against, "20261125-020000");
	ck_assert_uint_eq(n->history->len, 4);
	kdh_night_free(n);
}
END_TEST

/* Case ID's run REPEAT from one of the lab's real Hyper-V runs (kdh-test.h),
 * through its summary.json as kdh nightly reads it. */
static void add_hyperv(struct kdh_night *night, const char *id, int repeat,
		       enum kdh_test_hyperv_run run)
{
	g_autofree char *dir = g_strdup_printf("runs/%s/%d", id, repeat);

	ck_assert(kdh_night_add_run(night, id,
				    kdh_test_hyperv_night_run(run, repeat, "qemu+ext:///lab", dir)));
}

/* The seed's pattern in a night: each run keeps its first kernel's VMBus
 * connect CPU, and the case has the cross table of its runs' panic CPU by
 * result and reason (tally.c's), in night.json and, read back, the same. */
START_TEST(test_by_panic_cpu)
{
	struct kdh_night *night = night_of("n1", 5, 5);
	static const char cross[] =
		"{\"0\":{\"runs\":1,\"vmbus_connect_cpu\":true,\"outcomes\":"
		"[{\"result\":\"pass\",\"reason\":\"ok\",\"runs\":1}]},"
		"\"1\":{\"runs\":2,\"vmbus_connect_cpu\":false,\"outcomes\":"
		"[{\"result\":\"fail\",\"reason\":\"vmbus-unload-incomplete\",\"runs\":2}]},"
		"\"unknown\":{\"runs\":2,\"vmbus_connect_cpu\":null,\"outcomes\":"
		"[{\"result\":\"fail\",\"reason\":\"deadline:capture\",\"runs\":1},"
		"{\"result\":\"error\",\"reason\":\"harness\",\"runs\":1}]}}";
	g_autofree char *by_cpu = NULL, *runs = NULL, *by_cpu_read = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autoptr(GError) error = NULL;
	struct kdh_night *read;
	JsonObject *c;

	add_hyperv(night, "a", 1, KDH_TEST_HYPERV_CPU1_GAVE_UP);
	add_hyperv(night, "a", 2, KDH_TEST_HYPERV_CAPTURE_DEADLINE);
	add_hyperv(night, "a", 3, KDH_TEST_HYPERV_CPU0);
	add(night, "a", 4, NULL, 128);
	add_hyperv(night, "a", 5, KDH_TEST_HYPERV_CPU1_GAVE_UP);
	ck_assert_str_eq(status_of(night, "a"), "flaky");
	ck_assert_int_eq(run_of(night, "a", 0)->panic_cpu, 1);
	ck_assert_int_eq(run_of(night, "a", 0)->vmbus_connect_cpu, 0);
	ck_assert_int_eq(run_of(night, "a", 2)->vmbus_connect_cpu, 0);
	/* no vmcore: summary.json's panic is null, and the connect CPU with it */
	ck_assert_int_eq(run_of(night, "a", 1)->vmbus_connect_cpu, -1);
	ck_assert_int_eq(run_of(night, "a", 3)->vmbus_connect_cpu, -1);
	by_cpu = json_of(night, "a", "by_panic_cpu");
	ck_assert_str_eq(by_cpu, cross);
	/* what the runs say, said where it is known */
	runs = json_of(night, "a", "runs");
	ck_assert_msg(strstr(runs, "\"panic_cpu\":1,\"vmbus_connect_cpu\":0,\"started\""), "%s",
		      runs);
	ck_assert_msg(strstr(runs, "\"panic_cpu\":null,\"started\""), "%s", runs);
	assert_reads_back(night, "a night of the seed's pattern");
	/* read, the table is built again from the runs, not taken as written */
	json = kdh_night_json(night);
	c = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(json), "cases"), 0);
	json_object_set_null_member(c, "by_panic_cpu");
	read = kdh_night_from_json(json_node_get_object(json), &error);
	ck_assert_msg(read != NULL, "%s", error ? error->message : "");
	by_cpu_read = json_of(read, "a", "by_panic_cpu");
	ck_assert_str_eq(by_cpu_read, cross);
	kdh_night_free(read);
	kdh_night_free(night);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("night");
	TCase *tc = tcase_create("night");

	tcase_add_test(tc, test_run_from_summary);
	tcase_add_test(tc, test_case_judged);
	tcase_add_test(tc, test_statuses_and_exit);
	tcase_add_test(tc, test_medians);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_load_samples);
	tcase_add_test(tc, test_load_members);
	tcase_add_test(tc, test_status_names);
	tcase_add_test(tc, test_by_panic_cpu);
	suite_add_tcase(s, tc);
	tc = tcase_create("broken");
	kdh_test_tmp_fixtures(tc);
	tcase_add_loop_test(tc, test_load_checks_members, 0, G_N_ELEMENTS(broken));
	suite_add_tcase(s, tc);
	return kdh_test_run(s);
}

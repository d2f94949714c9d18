/* Nights: runs gathered per case, each case judged again whenever a run is added
 * (so that night.json, rewritten after every run, is always a whole report). */
#include <string.h>
#include <gio/gio.h>

#include "kdh-error.h"
#include "kdh-evidence.h"
#include "kdh-matrix.h"
#include "kdh-night.h"

#define NIGHT_FORMAT "kdh-night/1"
/* A stage is "notably slower" when its median grew by half and by 2 s: under
 * TCG a stage's median moves by a few tenths from night to night, single runs
 * by more (benchmark: kexec 1.8 to 6.0 s). */
#define SLOWER_FACTOR 1.5
#define SLOWER_SECONDS 2.0

static const char *const statuses[] = {
	[KDH_NIGHT_PASS] = "pass",   [KDH_NIGHT_FAIL] = "fail",   [KDH_NIGHT_FLAKY] = "flaky",
	[KDH_NIGHT_SKIP] = "skip",   [KDH_NIGHT_ERROR] = "error", [KDH_NIGHT_PENDING] = "pending",
};
G_STATIC_ASSERT(G_N_ELEMENTS(statuses) == KDH_NIGHT__COUNT);

const char *kdh_night_status_name(int status)
{
	return status >= 0 && status < KDH_NIGHT__COUNT ? statuses[status] : NULL;
}

int kdh_night_status_from_name(const char *name)
{
	for (int i = 0; name && i < KDH_NIGHT__COUNT; i++)
		if (g_str_equal(name, statuses[i]))
			return i;
	return -1;
}

/* The status member NAME of O: the checks of kdh_night_load() and the judging
 * here leave none unknown, but one that were would fail, never pass. */
static enum kdh_night_status night_status_of(JsonObject *o, const char *name)
{
	int s = kdh_night_status_from_name(json_object_get_string_member_with_default(o, name,
										     NULL));

	return s < 0 ? KDH_NIGHT_ERROR : s;
}

JsonObject *kdh_night_new(const char *night, const char *matrix, const char *shard,
			  const char *started, GPtrArray *cases, int repeat, const int *planned)
{
	JsonObject *n = json_object_new();
	JsonArray *shards = json_array_new();
	JsonArray *list = json_array_new();

	json_object_set_string_member(n, "format", NIGHT_FORMAT);
	json_object_set_string_member(n, "night", night);
	json_object_set_string_member(n, "matrix", matrix);
	json_array_add_string_element(shards, shard);
	json_object_set_array_member(n, "shards", shards);
	json_object_set_string_member(n, "started", started);
	json_object_set_null_member(n, "finished");
	for (guint i = 0; i < cases->len; i++) {
		const struct kdh_case *c = cases->pdata[i];
		JsonObject *o = json_object_new();
		JsonObject *axes = json_object_new();

		json_object_set_string_member(o, "id", c->id);
		for (int a = 0; a < KDH_AXIS__COUNT; a++)
			json_object_set_string_member(axes, kdh_axis_key(a), c->values[a]);
		json_object_set_object_member(o, "axes", axes);
		json_object_set_int_member(o, "repeat", repeat);
		json_object_set_int_member(o, "planned", planned[i]);
		json_object_set_string_member(o, "status", statuses[KDH_NIGHT_PENDING]);
		json_object_set_array_member(o, "runs", json_array_new());
		json_array_add_object_element(list, o);
	}
	json_object_set_array_member(n, "cases", list);
	json_object_set_null_member(n, "comparison");
	json_object_set_array_member(n, "history", json_array_new());
	return n;
}

static enum kdh_night_status night_result(int exit)
{
	switch (exit) {
	case 0:
		return KDH_NIGHT_PASS;
	case 1:
		return KDH_NIGHT_FAIL;
	case 125:
		return KDH_NIGHT_SKIP;
	default:
		return KDH_NIGHT_ERROR;
	}
}

/* A member that is an object, or NULL (absent or null). */
static JsonObject *night_object(JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* A copy of member NAME of FROM set into TO, null when FROM has none. */
static void night_copy_member(JsonObject *to, JsonObject *from, const char *name)
{
	JsonNode *n = from ? json_object_get_member(from, name) : NULL;

	if (n)
		json_object_set_member(to, name, json_node_copy(n));
	else
		json_object_set_null_member(to, name);
}

JsonObject *kdh_night_run(JsonObject *summary, int exit, const char *host, int repeat,
			  const char *started, double seconds, const char *dir)
{
	JsonObject *r = json_object_new();
	enum kdh_night_status result = night_result(exit);
	JsonObject *panic = night_object(summary, "panic");
	const char *reason = summary ? json_object_get_string_member_with_default(summary, "reason",
										     "harness")
				     : "harness";
	const char *stage = summary ? json_object_get_string_member_with_default(summary, "stage",
										    NULL)
				    : NULL;

	json_object_set_int_member(r, "repeat", repeat);
	json_object_set_string_member(r, "host", host);
	json_object_set_int_member(r, "exit", exit);
	json_object_set_string_member(r, "result", statuses[result]);
	/* a run that broke was not judged: whatever its summary says is partial */
	if (result == KDH_NIGHT_ERROR) {
		g_autofree char *detail = g_strdup_printf("kdh run exited %d: see kdh-run.log", exit);

		json_object_set_string_member(r, "reason", "harness");
		json_object_set_string_member(r, "detail", detail);
	} else {
		g_autofree char *both = stage ? g_strdup_printf("%s:%s", reason, stage) : NULL;

		json_object_set_string_member(r, "reason", both ? both : reason);
		json_object_set_string_member(
			r, "detail",
			summary ? json_object_get_string_member_with_default(summary, "detail", "")
				: "");
	}
	if (panic && json_object_get_int_member_with_default(panic, "cpu", -1) >= 0)
		json_object_set_int_member(r, "panic_cpu", json_object_get_int_member(panic, "cpu"));
	else
		json_object_set_null_member(r, "panic_cpu");
	json_object_set_string_member(r, "started", started);
	json_object_set_double_member(r, "seconds", seconds);
	night_copy_member(r, summary, "stages");
	night_copy_member(r, summary, "analysis");
	json_object_set_string_member(r, "dir", dir);
	return r;
}

static JsonObject *night_case(JsonObject *night, const char *id)
{
	JsonArray *cases = json_object_get_array_member(night, "cases");

	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *c = json_array_get_object_element(cases, i);

		if (g_str_equal(json_object_get_string_member(c, "id"), id))
			return c;
	}
	return NULL;
}

static void night_count(JsonObject *counts, const char *key)
{
	json_object_set_int_member(counts, key,
				   json_object_get_int_member_with_default(counts, key, 0) + 1);
}

static gint night_double_cmp(gconstpointer a, gconstpointer b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of member NAME of each run's object IN (the run itself when IN
 * is NULL), over the runs that have it; negative when none has. */
static double night_median(JsonArray *runs, const char *in, const char *name)
{
	g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(double));

	for (guint i = 0; i < json_array_get_length(runs); i++) {
		JsonObject *r = json_array_get_object_element(runs, i);
		JsonObject *o = in ? night_object(r, in) : r;
		JsonNode *n = o ? json_object_get_member(o, name) : NULL;

		if (n && JSON_NODE_HOLDS_VALUE(n)) {
			double d = json_node_get_double(n);

			g_array_append_val(v, d);
		}
	}
	if (!v->len)
		return -1;
	g_array_sort(v, night_double_cmp);
	return v->len % 2 ? g_array_index(v, double, v->len / 2)
			  : (g_array_index(v, double, v->len / 2 - 1) +
			     g_array_index(v, double, v->len / 2)) / 2;
}

/* Flaky before failed: a case that passed and failed is the interesting one.
 * A run that broke hides nothing: a case with one is in error unless it failed. */
static enum kdh_night_status night_status(int passed, int failed, int skipped, int errors)
{
	if (passed && failed)
		return KDH_NIGHT_FLAKY;
	if (failed)
		return KDH_NIGHT_FAIL;
	if (errors)
		return KDH_NIGHT_ERROR;
	if (passed)
		return KDH_NIGHT_PASS;
	return skipped ? KDH_NIGHT_SKIP : KDH_NIGHT_PENDING;
}

static void night_judge(JsonObject *c)
{
	JsonArray *runs = json_object_get_array_member(c, "runs");
	JsonObject *results = json_object_new();
	JsonObject *reasons = json_object_new();
	JsonObject *cpus = json_object_new();
	JsonObject *medians = json_object_new();
	double m;

	for (guint i = 0; i < json_array_get_length(runs); i++) {
		JsonObject *r = json_array_get_object_element(runs, i);
		enum kdh_night_status result = night_status_of(r, "result");

		night_count(results, statuses[result]);
		if (result == KDH_NIGHT_FAIL || result == KDH_NIGHT_ERROR)
			night_count(reasons, json_object_get_string_member(r, "reason"));
		if (!json_object_get_null_member(r, "panic_cpu")) {
			g_autofree char *cpu = g_strdup_printf(
				"%" G_GINT64_FORMAT, json_object_get_int_member(r, "panic_cpu"));

			night_count(cpus, cpu);
		}
	}
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		if ((m = night_median(runs, "stages", kdh_stage_name(s))) >= 0)
			json_object_set_double_member(medians, kdh_stage_name(s), m);
	if ((m = night_median(runs, NULL, "analysis")) >= 0)
		json_object_set_double_member(medians, "analysis", m);
	json_object_set_string_member(
		c, "status",
		statuses[night_status(json_object_get_int_member_with_default(results, "pass", 0),
				      json_object_get_int_member_with_default(results, "fail", 0),
				      json_object_get_int_member_with_default(results, "skip", 0),
				      json_object_get_int_member_with_default(results, "error", 0))]);
	json_object_set_int_member(c, "passed",
				   json_object_get_int_member_with_default(results, "pass", 0));
	json_object_set_int_member(c, "failed",
				   json_object_get_int_member_with_default(results, "fail", 0));
	json_object_set_int_member(c, "skipped",
				   json_object_get_int_member_with_default(results, "skip", 0));
	json_object_set_int_member(c, "errors",
				   json_object_get_int_member_with_default(results, "error", 0));
	json_object_set_object_member(c, "reasons", reasons);
	json_object_set_object_member(c, "panic_cpus", cpus);
	json_object_set_object_member(c, "stage_medians", medians);
	json_object_unref(results);
}

gboolean kdh_night_add_run(JsonObject *night, const char *case_id, JsonObject *run)
{
	JsonObject *c = night_case(night, case_id);

	if (!c) {
		json_object_unref(run);
		return FALSE;
	}
	json_array_add_object_element(json_object_get_array_member(c, "runs"), run);
	night_judge(c);
	return TRUE;
}

int kdh_night_exit_code(JsonObject *night)
{
	JsonArray *cases = json_object_get_array_member(night, "cases");
	gboolean failed = FALSE, skipped = FALSE;

	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *c = json_array_get_object_element(cases, i);
		enum kdh_night_status status = night_status_of(c, "status");

		if (json_object_get_int_member_with_default(c, "errors", 0) ||
		    status == KDH_NIGHT_ERROR)
			return 128;
		failed |= status == KDH_NIGHT_FAIL || status == KDH_NIGHT_FLAKY;
		skipped |= status == KDH_NIGHT_SKIP;
	}
	return failed ? 1 : skipped ? 125 : 0;
}

static const char *night_str(JsonObject *o, const char *name)
{
	return json_object_get_string_member_with_default(o, name, NULL);
}

/* Whether shard list SHARDS already has SHARD. */
static gboolean night_has_string(JsonArray *list, const char *s)
{
	for (guint i = 0; i < json_array_get_length(list); i++)
		if (g_str_equal(json_array_get_string_element(list, i), s))
			return TRUE;
	return FALSE;
}

static gboolean night_has_repeat(JsonArray *runs, gint64 repeat)
{
	for (guint i = 0; i < json_array_get_length(runs); i++)
		if (json_object_get_int_member(json_array_get_object_element(runs, i), "repeat") ==
		    repeat)
			return TRUE;
	return FALSE;
}

/* Shard S's cases into M, their run dirs under PREFIX. */
static gboolean night_merge_one(JsonObject *m, JsonObject *s, const char *prefix,
				GError **error)
{
	JsonArray *cases = json_object_get_array_member(s, "cases");
	JsonArray *shards = json_object_get_array_member(s, "shards");
	const char *finished = night_str(s, "finished");

	for (guint i = 0; i < json_array_get_length(shards); i++) {
		const char *shard = json_array_get_string_element(shards, i);

		if (night_has_string(json_object_get_array_member(m, "shards"), shard)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "shard %s is given twice", shard);
			return FALSE;
		}
		json_array_add_string_element(json_object_get_array_member(m, "shards"), shard);
	}
	if (g_strcmp0(night_str(s, "started"), night_str(m, "started")) < 0)
		json_object_set_string_member(m, "started", night_str(s, "started"));
	/* finished when every shard is */
	if (!finished || (night_str(m, "finished") && g_strcmp0(finished, night_str(m, "finished")) > 0))
		night_copy_member(m, s, "finished");
	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *c = json_array_get_object_element(cases, i);
		JsonObject *to = night_case(m, night_str(c, "id"));
		JsonArray *runs = json_object_get_array_member(c, "runs");

		if (!to) {
			to = json_object_new();
			json_object_set_string_member(to, "id", night_str(c, "id"));
			night_copy_member(to, c, "axes");
			night_copy_member(to, c, "repeat");
			json_object_set_int_member(to, "planned", 0);
			json_object_set_array_member(to, "runs", json_array_new());
			json_array_add_object_element(json_object_get_array_member(m, "cases"), to);
		}
		json_object_set_int_member(to, "planned",
					   json_object_get_int_member(to, "planned") +
						   json_object_get_int_member(c, "planned"));
		for (guint j = 0; j < json_array_get_length(runs); j++) {
			JsonObject *r = json_array_get_object_element(runs, j);
			JsonNode *copy = json_node_copy(json_array_get_element(runs, j));
			g_autofree char *dir = g_build_filename(prefix, night_str(r, "dir"), NULL);

			if (night_has_repeat(json_object_get_array_member(to, "runs"),
					     json_object_get_int_member(r, "repeat"))) {
				json_node_unref(copy);
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					    "case %s: run %" G_GINT64_FORMAT " is in two shards",
					    night_str(c, "id"), json_object_get_int_member(r, "repeat"));
				return FALSE;
			}
			json_object_set_string_member(json_node_get_object(copy), "dir", dir);
			json_array_add_element(json_object_get_array_member(to, "runs"), copy);
		}
		night_judge(to);
	}
	return TRUE;
}

JsonObject *kdh_night_merge(GPtrArray *nights, GPtrArray *prefixes, GError **error)
{
	JsonObject *first = nights->pdata[0];
	g_autoptr(JsonObject) m = json_object_new();

	json_object_set_string_member(m, "format", NIGHT_FORMAT);
	night_copy_member(m, first, "night");
	night_copy_member(m, first, "matrix");
	json_object_set_array_member(m, "shards", json_array_new());
	night_copy_member(m, first, "started");
	night_copy_member(m, first, "finished");
	json_object_set_array_member(m, "cases", json_array_new());
	for (guint i = 0; i < nights->len; i++) {
		JsonObject *s = nights->pdata[i];

		if (g_strcmp0(night_str(s, "matrix"), night_str(m, "matrix"))) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "shards of two matrices: '%s' and '%s'", night_str(m, "matrix"),
				    night_str(s, "matrix"));
			return NULL;
		}
		/* the merged night is named after its first shard to start */
		if (g_strcmp0(night_str(s, "night"), night_str(m, "night")) < 0)
			night_copy_member(m, s, "night");
		if (!night_merge_one(m, s, prefixes->pdata[i], error))
			return NULL;
	}
	json_object_set_null_member(m, "comparison");
	json_object_set_array_member(m, "history", json_array_new());
	return g_steal_pointer(&m);
}

static gint night_id_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(night_str(*(JsonObject *const *)a, "night"),
			 night_str(*(JsonObject *const *)b, "night"));
}

static JsonObject *night_history_entry(JsonObject *night)
{
	JsonObject *h = json_object_new();
	JsonArray *cases = json_object_get_array_member(night, "cases");

	night_copy_member(h, night, "night");
	night_copy_member(h, night, "started");
	/* pending is no night's outcome */
	for (int s = 0; s < KDH_NIGHT_PENDING; s++)
		json_object_set_int_member(h, statuses[s], 0);
	for (guint i = 0; i < json_array_get_length(cases); i++) {
		enum kdh_night_status status =
			night_status_of(json_array_get_object_element(cases, i), "status");

		if (status != KDH_NIGHT_PENDING)
			night_count(h, statuses[status]);
	}
	return h;
}

static gboolean night_failing(enum kdh_night_status status)
{
	return status == KDH_NIGHT_FAIL || status == KDH_NIGHT_FLAKY;
}

static void night_add_id(JsonObject *o, const char *list, const char *id)
{
	json_array_add_string_element(json_object_get_array_member(o, list), id);
}

/* The stages of case NOW notably slower than in THEN into SLOWER. */
static void night_compare_stages(JsonObject *now, JsonObject *then, JsonArray *slower)
{
	JsonObject *after = night_object(now, "stage_medians");
	JsonObject *before = night_object(then, "stage_medians");
	g_autoptr(GList) stages = after ? json_object_get_members(after) : NULL;

	for (GList *l = stages; l && before; l = l->next) {
		double a = json_object_get_double_member(after, l->data);
		double b = json_object_get_double_member_with_default(before, l->data, -1);
		JsonObject *o;

		if (b < 0 || a < b * SLOWER_FACTOR || a - b < SLOWER_SECONDS)
			continue;
		o = json_object_new();
		json_object_set_string_member(o, "case", night_str(now, "id"));
		json_object_set_string_member(o, "stage", l->data);
		json_object_set_double_member(o, "before", b);
		json_object_set_double_member(o, "after", a);
		json_array_add_object_element(slower, o);
	}
}

static JsonObject *night_comparison(JsonObject *night, JsonObject *then)
{
	JsonObject *cmp = json_object_new();
	JsonArray *cases = json_object_get_array_member(night, "cases");
	JsonArray *slower = json_array_new();

	json_object_set_string_member(cmp, "against", night_str(then, "night"));
	json_object_set_array_member(cmp, "new_failures", json_array_new());
	json_object_set_array_member(cmp, "fixed", json_array_new());
	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *now = json_array_get_object_element(cases, i);
		const char *id = night_str(now, "id");
		JsonObject *before = night_case(then, id);
		enum kdh_night_status was = before ? night_status_of(before, "status")
						   : KDH_NIGHT_PENDING;
		enum kdh_night_status is = night_status_of(now, "status");

		if (night_failing(is) && was == KDH_NIGHT_PASS)
			night_add_id(cmp, "new_failures", id);
		if (is == KDH_NIGHT_PASS && night_failing(was))
			night_add_id(cmp, "fixed", id);
		if (before)
			night_compare_stages(now, before, slower);
	}
	json_object_set_array_member(cmp, "slower", slower);
	return cmp;
}

/* Whether every run the matrix asks for was planned: not a lone shard. */
static gboolean night_whole(JsonObject *night)
{
	JsonArray *cases = json_object_get_array_member(night, "cases");

	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *c = json_array_get_object_element(cases, i);

		if (json_object_get_int_member(c, "planned") < json_object_get_int_member(c, "repeat"))
			return FALSE;
	}
	return TRUE;
}

void kdh_night_compare(JsonObject *night, GPtrArray *earlier)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	JsonArray *history = json_array_new();

	for (guint i = 0; i < earlier->len; i++)
		if (night_whole(earlier->pdata[i]) &&
		    g_strcmp0(night_str(earlier->pdata[i], "night"), night_str(night, "night")) < 0)
			g_ptr_array_add(sorted, earlier->pdata[i]);
	g_ptr_array_sort(sorted, night_id_cmp);
	for (guint i = 0; i < sorted->len; i++)
		json_array_add_object_element(history, night_history_entry(sorted->pdata[i]));
	json_array_add_object_element(history, night_history_entry(night));
	json_object_set_array_member(night, "history", history);
	if (sorted->len)
		json_object_set_object_member(night, "comparison",
					      night_comparison(night, sorted->pdata[sorted->len - 1]));
	else
		json_object_set_null_member(night, "comparison");
}

/* What night.json must hold, checked once when it is read so that nothing
 * that reads a night (night.c, junit.c, html-report.c) meets a member that is
 * missing or of another type: json-glib's getters return NULL for those, or
 * warn and return 0, and a NULL case id ended `kdh merge` in a SIGSEGV. */
enum {
	T_STR = 1 << 0,
	T_INT = 1 << 1,
	T_NUM = 1 << 2, /* a whole number or not */
	T_NULL = 1 << 3,
	T_OBJ = 1 << 4,
	T_ARR = 1 << 5,
};

struct night_member {
	const char *name;
	guint types;
	gboolean required;
	/* T_OBJ: its members; T_ARR: its elements, each an object of these members */
	const struct night_member *members;
	/* T_OBJ without MEMBERS: the types of every member (a map); T_ARR without
	 * MEMBERS: the types of every element */
	guint each;
	guint statuses; /* T_STR: a status, one of these (bit 1 << enum kdh_night_status) */
};

#define CASE_STATUSES ((1u << KDH_NIGHT__COUNT) - 1)
#define RUN_RESULTS                                                                      \
	(1u << KDH_NIGHT_PASS | 1u << KDH_NIGHT_FAIL | 1u << KDH_NIGHT_SKIP |              \
	 1u << KDH_NIGHT_ERROR)

#define END { NULL, 0, FALSE, NULL, 0, 0 }

static const struct night_member run_members[] = {
	{ "repeat", T_INT, TRUE, NULL, 0, 0 },
	{ "host", T_STR, FALSE, NULL, 0, 0 },
	{ "exit", T_INT, FALSE, NULL, 0, 0 },
	{ "result", T_STR, TRUE, NULL, 0, RUN_RESULTS },
	{ "reason", T_STR, TRUE, NULL, 0, 0 },
	{ "detail", T_STR, TRUE, NULL, 0, 0 },
	{ "panic_cpu", T_INT | T_NULL, TRUE, NULL, 0, 0 },
	{ "started", T_STR, FALSE, NULL, 0, 0 },
	{ "seconds", T_NUM, FALSE, NULL, 0, 0 },
	{ "stages", T_OBJ | T_NULL, FALSE, NULL, T_NUM | T_NULL, 0 },
	{ "analysis", T_NUM | T_NULL, FALSE, NULL, 0, 0 },
	{ "dir", T_STR, TRUE, NULL, 0, 0 },
	END,
};

static const struct night_member case_members[] = {
	{ "id", T_STR, TRUE, NULL, 0, 0 },
	{ "axes", T_OBJ, TRUE, NULL, T_STR, 0 },
	{ "repeat", T_INT, TRUE, NULL, 0, 0 },
	{ "planned", T_INT, TRUE, NULL, 0, 0 },
	{ "status", T_STR, TRUE, NULL, 0, CASE_STATUSES },
	{ "passed", T_INT, FALSE, NULL, 0, 0 },
	{ "failed", T_INT, FALSE, NULL, 0, 0 },
	{ "skipped", T_INT, FALSE, NULL, 0, 0 },
	{ "errors", T_INT, FALSE, NULL, 0, 0 },
	{ "reasons", T_OBJ, FALSE, NULL, T_INT, 0 },
	{ "panic_cpus", T_OBJ, FALSE, NULL, T_INT, 0 },
	{ "stage_medians", T_OBJ, FALSE, NULL, T_NUM, 0 },
	{ "runs", T_ARR, TRUE, run_members, 0, 0 },
	END,
};

static const struct night_member slower_members[] = {
	{ "case", T_STR, TRUE, NULL, 0, 0 },
	{ "stage", T_STR, TRUE, NULL, 0, 0 },
	{ "before", T_NUM, TRUE, NULL, 0, 0 },
	{ "after", T_NUM, TRUE, NULL, 0, 0 },
	END,
};

static const struct night_member comparison_members[] = {
	{ "against", T_STR, TRUE, NULL, 0, 0 },
	{ "new_failures", T_ARR, TRUE, NULL, T_STR, 0 },
	{ "fixed", T_ARR, TRUE, NULL, T_STR, 0 },
	{ "slower", T_ARR, TRUE, slower_members, 0, 0 },
	END,
};

static const struct night_member history_members[] = {
	{ "night", T_STR, TRUE, NULL, 0, 0 },
	{ "started", T_STR | T_NULL, FALSE, NULL, 0, 0 },
	{ "pass", T_INT, TRUE, NULL, 0, 0 },
	{ "fail", T_INT, TRUE, NULL, 0, 0 },
	{ "flaky", T_INT, TRUE, NULL, 0, 0 },
	{ "skip", T_INT, TRUE, NULL, 0, 0 },
	{ "error", T_INT, TRUE, NULL, 0, 0 },
	END,
};

static const struct night_member night_members[] = {
	{ "night", T_STR, TRUE, NULL, 0, 0 },
	{ "matrix", T_STR, TRUE, NULL, 0, 0 },
	{ "shards", T_ARR, TRUE, NULL, T_STR, 0 },
	{ "started", T_STR, TRUE, NULL, 0, 0 },
	{ "finished", T_STR | T_NULL, TRUE, NULL, 0, 0 },
	{ "cases", T_ARR, TRUE, case_members, 0, 0 },
	{ "comparison", T_OBJ | T_NULL, FALSE, comparison_members, 0, 0 },
	{ "history", T_ARR, FALSE, history_members, 0, 0 },
	END,
};

static guint night_type_of(JsonNode *n)
{
	switch (JSON_NODE_TYPE(n)) {
	case JSON_NODE_OBJECT:
		return T_OBJ;
	case JSON_NODE_ARRAY:
		return T_ARR;
	case JSON_NODE_NULL:
		return T_NULL;
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type(n)) {
	case G_TYPE_STRING:
		return T_STR;
	case G_TYPE_INT64:
		return T_INT | T_NUM;
	case G_TYPE_DOUBLE:
		return T_NUM;
	default:
		return 0; /* a boolean: nothing in a night is one */
	}
}

static const char *night_type_name(guint types)
{
	static const struct {
		guint types;
		const char *name;
	} names[] = {
		{ T_STR, "a string" },
		{ T_INT, "a whole number" },
		{ T_NUM, "a number" },
		{ T_OBJ, "an object" },
		{ T_ARR, "an array" },
		{ T_STR | T_NULL, "a string or null" },
		{ T_INT | T_NULL, "a whole number or null" },
		{ T_NUM | T_NULL, "a number or null" },
		{ T_OBJ | T_NULL, "an object or null" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (names[i].types == types)
			return names[i].name;
	return "of another type";
}

static gboolean night_check_object(JsonObject *o, const struct night_member *members,
				   GString *where, GError **error);

static gboolean night_status_allowed(guint allowed, const char *name)
{
	int s = kdh_night_status_from_name(name);

	return s >= 0 && (allowed & 1u << s);
}

/* NODE, member or element WHERE, is of TYPES (and EACH, ALLOWED, MEMBERS). */
static gboolean night_check_node(JsonNode *node, guint types, const struct night_member *members,
				 guint each, guint allowed, GString *where,
				 GError **error)
{
	guint type = night_type_of(node);
	gsize len = where->len;

	if (!(type & types)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%s is not %s", where->str,
			    night_type_name(types));
		return FALSE;
	}
	if (type == T_STR && allowed && !night_status_allowed(allowed, json_node_get_string(node))) {
		g_autoptr(GString) list = g_string_new(NULL);

		for (int st = 0; st < KDH_NIGHT__COUNT; st++)
			if (allowed & 1u << st)
				g_string_append_printf(list, "%s%s", list->len ? ", " : "", statuses[st]);

		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%s: '%s' is not one of %s",
			    where->str, json_node_get_string(node), list->str);
		return FALSE;
	}
	if (type == T_OBJ && members)
		return night_check_object(json_node_get_object(node), members, where, error);
	if (type == T_OBJ && each) {
		JsonObject *o = json_node_get_object(node);
		g_autoptr(GList) names = json_object_get_members(o);

		for (GList *l = names; l; l = l->next) {
			g_string_append_printf(where, ".%s", (char *)l->data);
			if (!night_check_node(json_object_get_member(o, l->data), each, NULL, 0,
					      0, where, error))
				return FALSE;
			g_string_truncate(where, len);
		}
	}
	if (type == T_ARR) {
		JsonArray *a = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(a); i++) {
			g_string_append_printf(where, "[%u]", i);
			if (!night_check_node(json_array_get_element(a, i), members ? T_OBJ : each,
					      members, 0, 0, where, error))
				return FALSE;
			g_string_truncate(where, len);
		}
	}
	return TRUE;
}

static gboolean night_check_object(JsonObject *o, const struct night_member *members,
				   GString *where, GError **error)
{
	gsize len = where->len;

	for (const struct night_member *m = members; m->name; m++) {
		JsonNode *n = json_object_get_member(o, m->name);

		if (len)
			g_string_append_c(where, '.');
		g_string_append(where, m->name);
		if (!n && m->required) {
			g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "no member %s (%s)",
				    where->str, night_type_name(m->types));
			return FALSE;
		}
		if (n && !night_check_node(n, m->types, m->members, m->each, m->statuses, where,
					   error))
			return FALSE;
		g_string_truncate(where, len);
	}
	return TRUE;
}

gboolean kdh_night_check(JsonObject *night, GError **error)
{
	g_autoptr(GString) where = g_string_new(NULL);

	return night_check_object(night, night_members, where, error);
}

JsonObject *kdh_night_load(const char *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *root;

	/* GLib's own messages quote in curly quotes, which kdh's C locale prints
	 * as '?' */
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "no file '%s'", path);
		return NULL;
	}
	if (!json_parser_load_from_file(parser, path, error)) {
		g_prefix_error(error, "%s: not JSON: ", path);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root) ||
	    g_strcmp0(night_str(json_node_get_object(root), "format"), NIGHT_FORMAT)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "%s: not a night (format \"" NIGHT_FORMAT "\")", path);
		return NULL;
	}
	if (!kdh_night_check(json_node_get_object(root), error)) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

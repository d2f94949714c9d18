/* Nights: runs gathered per case, each case judged again whenever a run is added
 * (so that night.json, rewritten after every run, is always a whole report).
 * A night is a struct kdh_night in memory; night.json is read into one (and
 * checked) in one place and written from one in another, at the end of this
 * file. */
#include <stdarg.h>
#include <string.h>
#include <gio/gio.h>

#include "kdh-error.h"
#include "kdh-evidence.h"
#include "kdh-json.h"
#include "kdh-matrix.h"
#include "kdh-night.h"
#include "kdh-report.h"

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

/* The name of a run's or a case's column of seconds: a stage's, "analysis". */
static const char *night_seconds_name(int s)
{
	return s == KDH_NIGHT_ANALYSIS ? "analysis" : kdh_stage_name(s);
}

/* ---- the night in memory ---- */

void kdh_night_run_free(struct kdh_night_run *r)
{
	if (!r)
		return;
	g_free(r->host);
	g_free(r->reason);
	g_free(r->detail);
	g_free(r->started);
	g_free(r->dir);
	g_free(r);
}

/* A run with nothing said yet. */
static struct kdh_night_run *night_run_new(void)
{
	struct kdh_night_run *r = g_new0(struct kdh_night_run, 1);

	r->exit = -1;
	r->panic_cpu = -1;
	r->vmbus_connect_cpu = -1;
	r->seconds = -1;
	for (int s = 0; s < KDH_NIGHT_SECONDS; s++)
		r->stages[s] = -1;
	return r;
}

static struct kdh_night_run *night_run_copy(const struct kdh_night_run *from)
{
	struct kdh_night_run *r = g_memdup2(from, sizeof(*r));

	r->host = g_strdup(from->host);
	r->reason = g_strdup(from->reason);
	r->detail = g_strdup(from->detail);
	r->started = g_strdup(from->started);
	r->dir = g_strdup(from->dir);
	return r;
}

static void night_count_free(struct kdh_night_count *c)
{
	if (!c)
		return;
	g_free(c->name);
	g_free(c);
}

static void night_case_free(struct kdh_night_case *c)
{
	if (!c)
		return;
	g_free(c->id);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		g_free(c->axes[a]);
	g_clear_pointer(&c->reasons, g_ptr_array_unref);
	g_clear_pointer(&c->panic_cpus, g_ptr_array_unref);
	kdh_tally_table_free(c->by_panic_cpu);
	g_clear_pointer(&c->runs, g_ptr_array_unref);
	g_free(c);
}

/* Case ID, pending, without runs, axes or counts. */
static struct kdh_night_case *night_case_new(const char *id)
{
	struct kdh_night_case *c = g_new0(struct kdh_night_case, 1);

	c->id = g_strdup(id);
	c->status = KDH_NIGHT_PENDING;
	c->reasons = g_ptr_array_new_with_free_func((GDestroyNotify)night_count_free);
	c->panic_cpus = g_ptr_array_new_with_free_func((GDestroyNotify)night_count_free);
	c->by_panic_cpu = kdh_tally_table_new();
	c->runs = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_night_run_free);
	for (int s = 0; s < KDH_NIGHT_SECONDS; s++)
		c->medians[s] = -1;
	return c;
}

static void night_slower_free(struct kdh_night_slower *s)
{
	if (!s)
		return;
	g_free(s->case_id);
	g_free(s->stage);
	g_free(s);
}

static void night_comparison_free(struct kdh_night_comparison *cmp)
{
	if (!cmp)
		return;
	g_free(cmp->against);
	g_clear_pointer(&cmp->new_failures, g_ptr_array_unref);
	g_clear_pointer(&cmp->fixed, g_ptr_array_unref);
	g_clear_pointer(&cmp->slower, g_ptr_array_unref);
	g_free(cmp);
}

static struct kdh_night_comparison *night_comparison_new(const char *against)
{
	struct kdh_night_comparison *cmp = g_new0(struct kdh_night_comparison, 1);

	cmp->against = g_strdup(against);
	cmp->new_failures = g_ptr_array_new_with_free_func(g_free);
	cmp->fixed = g_ptr_array_new_with_free_func(g_free);
	cmp->slower = g_ptr_array_new_with_free_func((GDestroyNotify)night_slower_free);
	return cmp;
}

static void night_history_free(struct kdh_night_history *h)
{
	if (!h)
		return;
	g_free(h->night);
	g_free(h->started);
	g_free(h);
}

void kdh_night_free(struct kdh_night *n)
{
	if (!n)
		return;
	g_free(n->night);
	g_free(n->matrix);
	g_clear_pointer(&n->shards, g_ptr_array_unref);
	g_free(n->started);
	g_free(n->finished);
	g_clear_pointer(&n->cases, g_ptr_array_unref);
	night_comparison_free(n->comparison);
	g_clear_pointer(&n->history, g_ptr_array_unref);
	g_free(n);
}

/* A night named NIGHT of MATRIX, without shards, cases or history. */
static struct kdh_night *night_empty(const char *night, const char *matrix, const char *started,
				     const char *finished)
{
	struct kdh_night *n = g_new0(struct kdh_night, 1);

	n->night = g_strdup(night);
	n->matrix = g_strdup(matrix);
	n->shards = g_ptr_array_new_with_free_func(g_free);
	n->started = g_strdup(started);
	n->finished = g_strdup(finished);
	n->cases = g_ptr_array_new_with_free_func((GDestroyNotify)night_case_free);
	n->history = g_ptr_array_new_with_free_func((GDestroyNotify)night_history_free);
	return n;
}

struct kdh_night *kdh_night_new(const char *night, const char *matrix, const char *shard,
				const char *started, GPtrArray *cases, int repeat,
				const int *planned)
{
	struct kdh_night *n = night_empty(night, matrix, started, NULL);

	if (shard)
		g_ptr_array_add(n->shards, g_strdup(shard));
	for (guint i = 0; i < cases->len; i++) {
		const struct kdh_case *kc = cases->pdata[i];
		struct kdh_night_case *c = night_case_new(kc->id);

		for (int a = 0; a < KDH_AXIS__COUNT; a++)
			c->axes[a] = g_strdup(kc->values[a]);
		c->repeat = repeat;
		c->planned = planned[i];
		g_ptr_array_add(n->cases, c);
	}
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

/* ---- a summary.json, read as far as it goes: it is not checked ---- */

/* A member that is an object, or NULL (absent, null, another type). */
static JsonObject *summary_object(JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* A member that is a string, or DEFAULT. */
static const char *summary_string(JsonObject *o, const char *name, const char *def)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;

	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
		       ? json_node_get_string(n)
		       : def;
}

/* A member that is a whole number from 0 to G_MAXINT, or -1. */
static int summary_int(JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;

	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64 &&
			       json_node_get_int(n) >= 0 && json_node_get_int(n) <= G_MAXINT
		       ? (int)json_node_get_int(n)
		       : -1;
}

/* A member that is a number, or -1 (absent, null, another type, negative). */
static double summary_seconds(JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;
	double v;

	if (!n || !JSON_NODE_HOLDS_VALUE(n) || (json_node_get_value_type(n) != G_TYPE_INT64 &&
						json_node_get_value_type(n) != G_TYPE_DOUBLE))
		return -1;
	v = json_node_get_double(n);
	return v >= 0 ? v : -1;
}

struct kdh_night_run *kdh_night_run(JsonObject *summary, int exit, const char *host,
				    int repeat, const char *started, double seconds,
				    const char *dir)
{
	struct kdh_night_run *r = night_run_new();
	JsonObject *panic = summary_object(summary, "panic");
	JsonObject *stages = summary_object(summary, "stages");

	r->repeat = repeat;
	r->host = g_strdup(host);
	r->exit = exit;
	r->result = night_result(exit);
	/* a run that broke was not judged: whatever its summary says is partial */
	if (r->result == KDH_NIGHT_ERROR) {
		r->reason = g_strdup("harness");
		r->detail = g_strdup_printf("kdh run exited %d: see kdh-run.log", exit);
	} else {
		const char *reason = summary_string(summary, "reason", "harness");
		const char *stage = summary_string(summary, "stage", NULL);

		r->reason = stage ? g_strdup_printf("%s:%s", reason, stage) : g_strdup(reason);
		r->detail = g_strdup(summary_string(summary, "detail", ""));
	}
	r->panic_cpu = summary_int(panic, "cpu");
	r->vmbus_connect_cpu = summary_int(panic, "vmbus_connect_cpu");
	r->started = g_strdup(started);
	r->seconds = seconds;
	r->stages_known = stages != NULL;
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		r->stages[s] = summary_seconds(stages, kdh_stage_name(s));
	r->stages[KDH_NIGHT_ANALYSIS] = summary_seconds(summary, "analysis");
	r->dir = g_strdup(dir);
	return r;
}

struct kdh_night_case *kdh_night_case(const struct kdh_night *night, const char *case_id)
{
	for (guint i = 0; i < night->cases->len; i++) {
		struct kdh_night_case *c = night->cases->pdata[i];

		if (g_str_equal(c->id, case_id))
			return c;
	}
	return NULL;
}

/* One more of NAME in COUNTS (struct kdh_night_count*): at the end when new. */
static void night_count(GPtrArray *counts, const char *name)
{
	struct kdh_night_count *c;

	for (guint i = 0; i < counts->len; i++) {
		c = counts->pdata[i];
		if (g_str_equal(c->name, name)) {
			c->count++;
			return;
		}
	}
	c = g_new0(struct kdh_night_count, 1);
	c->name = g_strdup(name);
	c->count = 1;
	g_ptr_array_add(counts, c);
}

static gint night_double_cmp(gconstpointer a, gconstpointer b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of column S of RUNS' seconds, over the runs that have it;
 * negative when none has. */
static double night_median(GPtrArray *runs, int s)
{
	g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(double));

	for (guint i = 0; i < runs->len; i++) {
		const struct kdh_night_run *r = runs->pdata[i];

		if (r->stages[s] >= 0)
			g_array_append_val(v, r->stages[s]);
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

/* The cross table of C's runs, built again: the one kdh run's tally builds. */
static void night_cross(struct kdh_night_case *c)
{
	kdh_tally_table_free(c->by_panic_cpu);
	c->by_panic_cpu = kdh_tally_table_new();
	for (guint i = 0; i < c->runs->len; i++) {
		const struct kdh_night_run *r = c->runs->pdata[i];

		kdh_tally_table_add(c->by_panic_cpu, statuses[r->result], r->reason, r->panic_cpu,
				    r->vmbus_connect_cpu);
	}
}

static void night_judge(struct kdh_night_case *c)
{
	c->passed = c->failed = c->skipped = c->errors = 0;
	g_ptr_array_set_size(c->reasons, 0);
	g_ptr_array_set_size(c->panic_cpus, 0);
	for (guint i = 0; i < c->runs->len; i++) {
		const struct kdh_night_run *r = c->runs->pdata[i];

		c->passed += r->result == KDH_NIGHT_PASS;
		c->failed += r->result == KDH_NIGHT_FAIL;
		c->skipped += r->result == KDH_NIGHT_SKIP;
		/* a result that is none of a run's is no pass */
		c->errors += r->result != KDH_NIGHT_PASS && r->result != KDH_NIGHT_FAIL &&
			     r->result != KDH_NIGHT_SKIP;
		if (r->result != KDH_NIGHT_PASS && r->result != KDH_NIGHT_SKIP)
			night_count(c->reasons, r->reason);
		if (r->panic_cpu >= 0) {
			g_autofree char *cpu = g_strdup_printf("%d", r->panic_cpu);

			night_count(c->panic_cpus, cpu);
		}
	}
	night_cross(c);
	for (int s = 0; s < KDH_NIGHT_SECONDS; s++)
		c->medians[s] = night_median(c->runs, s);
	c->status = night_status(c->passed, c->failed, c->skipped, c->errors);
}

gboolean kdh_night_add_run(struct kdh_night *night, const char *case_id,
			   struct kdh_night_run *run)
{
	struct kdh_night_case *c = kdh_night_case(night, case_id);

	if (!c) {
		kdh_night_run_free(run);
		return FALSE;
	}
	g_ptr_array_add(c->runs, run);
	night_judge(c);
	return TRUE;
}

int kdh_night_exit_code(const struct kdh_night *night)
{
	gboolean failed = FALSE, skipped = FALSE;

	for (guint i = 0; i < night->cases->len; i++) {
		const struct kdh_night_case *c = night->cases->pdata[i];

		if (c->errors || c->status == KDH_NIGHT_ERROR)
			return 128;
		failed |= c->status == KDH_NIGHT_FAIL || c->status == KDH_NIGHT_FLAKY;
		skipped |= c->status == KDH_NIGHT_SKIP;
	}
	return failed ? 1 : skipped ? 125 : 0;
}

/* Whether LIST (char*) already has S. */
static gboolean night_has_string(GPtrArray *list, const char *s)
{
	return g_ptr_array_find_with_equal_func(list, s, g_str_equal, NULL);
}

static gboolean night_has_repeat(GPtrArray *runs, int repeat)
{
	for (guint i = 0; i < runs->len; i++)
		if (((const struct kdh_night_run *)runs->pdata[i])->repeat == repeat)
			return TRUE;
	return FALSE;
}

/* Shard S's cases into M, their run dirs under PREFIX. */
static gboolean night_merge_one(struct kdh_night *m, const struct kdh_night *s,
				const char *prefix, GError **error)
{
	for (guint i = 0; i < s->shards->len; i++) {
		const char *shard = s->shards->pdata[i];

		if (night_has_string(m->shards, shard)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "shard %s is given twice", shard);
			return FALSE;
		}
		g_ptr_array_add(m->shards, g_strdup(shard));
	}
	if (g_strcmp0(s->started, m->started) < 0) {
		g_free(m->started);
		m->started = g_strdup(s->started);
	}
	/* finished when every shard is */
	if (!s->finished || (m->finished && g_strcmp0(s->finished, m->finished) > 0)) {
		g_free(m->finished);
		m->finished = g_strdup(s->finished);
	}
	for (guint i = 0; i < s->cases->len; i++) {
		const struct kdh_night_case *c = s->cases->pdata[i];
		struct kdh_night_case *to = kdh_night_case(m, c->id);

		if (!to) {
			to = night_case_new(c->id);
			for (int a = 0; a < KDH_AXIS__COUNT; a++)
				to->axes[a] = g_strdup(c->axes[a]);
			to->repeat = c->repeat;
			g_ptr_array_add(m->cases, to);
		}
		to->planned += c->planned;
		for (guint j = 0; j < c->runs->len; j++) {
			const struct kdh_night_run *r = c->runs->pdata[j];
			struct kdh_night_run *copy;

			if (night_has_repeat(to->runs, r->repeat)) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					    "case %s: run %d is in two shards", c->id, r->repeat);
				return FALSE;
			}
			copy = night_run_copy(r);
			g_free(copy->dir);
			copy->dir = g_build_filename(prefix, r->dir, NULL);
			g_ptr_array_add(to->runs, copy);
		}
		night_judge(to);
	}
	return TRUE;
}

struct kdh_night *kdh_night_merge(GPtrArray *nights, GPtrArray *prefixes, GError **error)
{
	const struct kdh_night *first = nights->pdata[0];
	struct kdh_night *m = night_empty(first->night, first->matrix, first->started,
					  first->finished);

	for (guint i = 0; i < nights->len; i++) {
		const struct kdh_night *s = nights->pdata[i];

		if (g_strcmp0(s->matrix, m->matrix)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "shards of two matrices: '%s' and '%s'", m->matrix, s->matrix);
			kdh_night_free(m);
			return NULL;
		}
		/* the merged night is named after its first shard to start */
		if (g_strcmp0(s->night, m->night) < 0) {
			g_free(m->night);
			m->night = g_strdup(s->night);
		}
		if (!night_merge_one(m, s, prefixes->pdata[i], error)) {
			kdh_night_free(m);
			return NULL;
		}
	}
	return m;
}

static gint night_id_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0((*(const struct kdh_night *const *)a)->night,
			 (*(const struct kdh_night *const *)b)->night);
}

static struct kdh_night_history *night_history_entry(const struct kdh_night *night)
{
	struct kdh_night_history *h = g_new0(struct kdh_night_history, 1);

	h->night = g_strdup(night->night);
	h->started = g_strdup(night->started);
	/* pending is no night's outcome */
	for (guint i = 0; i < night->cases->len; i++) {
		const struct kdh_night_case *c = night->cases->pdata[i];

		if (c->status != KDH_NIGHT_PENDING)
			h->counts[c->status]++;
	}
	return h;
}

static gboolean night_failing(enum kdh_night_status status)
{
	return status == KDH_NIGHT_FAIL || status == KDH_NIGHT_FLAKY;
}

/* The stages of case NOW notably slower than in THEN into SLOWER. */
static void night_compare_stages(const struct kdh_night_case *now,
				 const struct kdh_night_case *then, GPtrArray *slower)
{
	for (int s = 0; s < KDH_NIGHT_SECONDS; s++) {
		double a = now->medians[s], b = then->medians[s];
		struct kdh_night_slower *o;

		if (a < 0 || b < 0 || a < b * SLOWER_FACTOR || a - b < SLOWER_SECONDS)
			continue;
		o = g_new0(struct kdh_night_slower, 1);
		o->case_id = g_strdup(now->id);
		o->stage = g_strdup(night_seconds_name(s));
		o->before = b;
		o->after = a;
		g_ptr_array_add(slower, o);
	}
}

static struct kdh_night_comparison *night_comparison(const struct kdh_night *night,
						     const struct kdh_night *then)
{
	struct kdh_night_comparison *cmp = night_comparison_new(then->night);

	for (guint i = 0; i < night->cases->len; i++) {
		const struct kdh_night_case *now = night->cases->pdata[i];
		const struct kdh_night_case *before = kdh_night_case(then, now->id);
		enum kdh_night_status was = before ? before->status : KDH_NIGHT_PENDING;

		if (night_failing(now->status) && was == KDH_NIGHT_PASS)
			g_ptr_array_add(cmp->new_failures, g_strdup(now->id));
		if (now->status == KDH_NIGHT_PASS && night_failing(was))
			g_ptr_array_add(cmp->fixed, g_strdup(now->id));
		if (before)
			night_compare_stages(now, before, cmp->slower);
	}
	return cmp;
}

/* Whether every run the matrix asks for was planned: not a lone shard. */
static gboolean night_whole(const struct kdh_night *night)
{
	for (guint i = 0; i < night->cases->len; i++) {
		const struct kdh_night_case *c = night->cases->pdata[i];

		if (c->planned < c->repeat)
			return FALSE;
	}
	return TRUE;
}

void kdh_night_compare(struct kdh_night *night, GPtrArray *earlier)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();

	for (guint i = 0; i < earlier->len; i++) {
		const struct kdh_night *e = earlier->pdata[i];

		if (night_whole(e) && g_strcmp0(e->night, night->night) < 0)
			g_ptr_array_add(sorted, earlier->pdata[i]);
	}
	g_ptr_array_sort(sorted, night_id_cmp);
	g_ptr_array_set_size(night->history, 0);
	for (guint i = 0; i < sorted->len; i++)
		g_ptr_array_add(night->history, night_history_entry(sorted->pdata[i]));
	g_ptr_array_add(night->history, night_history_entry(night));
	g_clear_pointer(&night->comparison, night_comparison_free);
	if (sorted->len)
		night->comparison = night_comparison(night, sorted->pdata[sorted->len - 1]);
}

/* What night.json must hold, checked once when it is read so that nothing
 * that reads a night (night.c, junit.c, html-report.c, all from the struct
 * it is read into) meets a member that is missing or of another type:
 * json-glib's getters return NULL for those, or warn and return 0, and a NULL
 * case id ended `kdh merge` in a SIGSEGV. */
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
	{ "vmbus_connect_cpu", T_INT | T_NULL, FALSE, NULL, 0, 0 },
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


/* ---- night.json read: checked as above, then into a struct kdh_night ---- */

/* What the types alone do not say, checked as the night is read: WHERE (a
 * member's path) names what is wrong. */
static gboolean G_GNUC_PRINTF(3, 4) night_bad(GError **error, const char *where,
					      const char *format, ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	va_start(ap, format);
	what = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%s: %s", where, what);
	return FALSE;
}

/* Member NAME of O, checked to be a whole number, as an int. */
static gboolean night_int(JsonObject *o, const char *where, const char *name, int *ret,
			  GError **error)
{
	gint64 v = json_object_get_int_member(o, name);

	if (v < 0 || v > G_MAXINT) {
		g_autofree char *path = g_strdup_printf("%s%s", where, name);

		return night_bad(error, path, "%" G_GINT64_FORMAT " is out of range", v);
	}
	*ret = (int)v;
	return TRUE;
}

/* Optional member NAME: a string, or NULL. */
static char *night_string(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	return n && !JSON_NODE_HOLDS_NULL(n) ? g_strdup(json_node_get_string(n)) : NULL;
}

/* Optional member NAME: seconds, or -1 (null, or no member). */
static double night_seconds(JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;

	return n && !JSON_NODE_HOLDS_NULL(n) ? json_node_get_double(n) : -1;
}

/* The column of seconds named NAME, up to LAST (a run's stages: its stages;
 * a case's medians: and analysis); -1 when it is none. */
static int night_seconds_from_name(const char *name, int last)
{
	for (int s = 0; s <= last; s++)
		if (g_str_equal(name, night_seconds_name(s)))
			return s;
	return -1;
}

/* Seconds by name, the object O at WHERE, into RET's columns up to LAST. */
static gboolean night_columns(JsonObject *o, const char *where, int last, double *ret,
			      GError **error)
{
	g_autoptr(GList) names = json_object_get_members(o);

	for (GList *l = names; l; l = l->next) {
		int s = night_seconds_from_name(l->data, last);

		if (s < 0)
			return night_bad(error, where, "'%s' is not one of %s", (char *)l->data,
					 last == KDH_NIGHT_ANALYSIS
						 ? "the stages (boot ... bye) or analysis"
						 : "the stages (boot ... bye)");
		ret[s] = night_seconds(o, l->data);
		if (ret[s] < 0 && !JSON_NODE_HOLDS_NULL(json_object_get_member(o, l->data)))
			return night_bad(error, where, "%s: %g is negative", (char *)l->data,
					 ret[s]);
	}
	return TRUE;
}

static struct kdh_night_run *night_run_read(JsonObject *o, const char *where, GError **error)
{
	struct kdh_night_run *r = night_run_new();
	JsonNode *stages = json_object_get_member(o, "stages");
	g_autofree char *in = g_strdup_printf("%sstages", where);

	r->host = night_string(o, "host");
	r->result = kdh_night_status_from_name(json_object_get_string_member(o, "result"));
	r->reason = g_strdup(json_object_get_string_member(o, "reason"));
	r->detail = g_strdup(json_object_get_string_member(o, "detail"));
	r->started = night_string(o, "started");
	r->seconds = night_seconds(o, "seconds");
	r->stages[KDH_NIGHT_ANALYSIS] = night_seconds(o, "analysis");
	r->dir = g_strdup(json_object_get_string_member(o, "dir"));
	r->stages_known = stages && JSON_NODE_HOLDS_OBJECT(stages);
	if (!night_int(o, where, "repeat", &r->repeat, error) ||
	    (json_object_has_member(o, "exit") && !night_int(o, where, "exit", &r->exit, error)) ||
	    (!json_object_get_null_member(o, "panic_cpu") &&
	     !night_int(o, where, "panic_cpu", &r->panic_cpu, error)) ||
	    (json_object_has_member(o, "vmbus_connect_cpu") &&
	     !json_object_get_null_member(o, "vmbus_connect_cpu") &&
	     !night_int(o, where, "vmbus_connect_cpu", &r->vmbus_connect_cpu, error)) ||
	    (r->stages_known && !night_columns(json_node_get_object(stages), in,
					       KDH_STAGE__COUNT - 1, r->stages, error))) {
		kdh_night_run_free(r);
		return NULL;
	}
	return r;
}

/* The counts of object O at WHERE into COUNTS; CPUS: each name a CPU number. */
static gboolean night_counts(JsonObject *o, const char *where, gboolean cpus, GPtrArray *counts,
			     GError **error)
{
	g_autoptr(GList) names = o ? json_object_get_members(o) : NULL;

	for (GList *l = names; l; l = l->next) {
		g_autofree char *path = g_strdup_printf("%s.%s", where, (char *)l->data);
		struct kdh_night_count *c = g_new0(struct kdh_night_count, 1);
		guint64 cpu;

		c->name = g_strdup(l->data);
		g_ptr_array_add(counts, c);
		if (cpus && !g_ascii_string_to_unsigned(l->data, 10, 0, G_MAXINT, &cpu, NULL))
			return night_bad(error, where, "'%s' is not a CPU number", (char *)l->data);
		if (!night_int(o, "", l->data, &c->count, error)) {
			g_prefix_error(error, "%s.", where);
			return FALSE;
		}
	}
	return TRUE;
}

static struct kdh_night_case *night_case_read(JsonObject *o, const char *where, GError **error)
{
	struct kdh_night_case *c = night_case_new(json_object_get_string_member(o, "id"));
	JsonObject *axes = json_object_get_object_member(o, "axes");
	JsonObject *medians = json_object_has_member(o, "stage_medians")
				      ? json_object_get_object_member(o, "stage_medians")
				      : NULL;
	JsonArray *runs = json_object_get_array_member(o, "runs");
	g_autofree char *at_axes = g_strdup_printf("%saxes", where);
	g_autofree char *at_reasons = g_strdup_printf("%sreasons", where);
	g_autofree char *at_cpus = g_strdup_printf("%spanic_cpus", where);
	g_autofree char *at_medians = g_strdup_printf("%sstage_medians", where);
	g_autoptr(GList) names = json_object_get_members(axes);
	static const char *const counts[] = { "passed", "failed", "skipped", "errors" };
	int *count_of[] = { &c->passed, &c->failed, &c->skipped, &c->errors };
	gboolean ok = TRUE;

	for (GList *l = names; ok && l; l = l->next) {
		int a = 0;

		while (a < KDH_AXIS__COUNT && !g_str_equal(l->data, kdh_axis_key(a)))
			a++;
		if (a == KDH_AXIS__COUNT)
			ok = night_bad(error, at_axes, "'%s' is not one of scenario, kernel, "
				       "platform, vcpus, memory-mib, crashkernel, kexec",
				       (char *)l->data);
		else
			c->axes[a] = g_strdup(json_object_get_string_member(axes, l->data));
	}
	for (int a = 0; ok && a < KDH_AXIS__COUNT; a++)
		if (!c->axes[a]) {
			g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "no member %s.%s (a string)",
				    at_axes, kdh_axis_key(a));
			ok = FALSE;
		}
	c->status = kdh_night_status_from_name(json_object_get_string_member(o, "status"));
	ok = ok && night_int(o, where, "repeat", &c->repeat, error) &&
	     night_int(o, where, "planned", &c->planned, error);
	for (gsize k = 0; ok && k < G_N_ELEMENTS(counts); k++)
		ok = !json_object_has_member(o, counts[k]) ||
		     night_int(o, where, counts[k], count_of[k], error);
	ok = ok &&
	     night_counts(json_object_has_member(o, "reasons")
				  ? json_object_get_object_member(o, "reasons")
				  : NULL,
			  at_reasons, FALSE, c->reasons, error) &&
	     night_counts(json_object_has_member(o, "panic_cpus")
				  ? json_object_get_object_member(o, "panic_cpus")
				  : NULL,
			  at_cpus, TRUE, c->panic_cpus, error) &&
	     (!medians ||
	      night_columns(medians, at_medians, KDH_NIGHT_ANALYSIS, c->medians, error));
	for (guint i = 0; ok && i < json_array_get_length(runs); i++) {
		g_autofree char *at = g_strdup_printf("%sruns[%u].", where, i);
		struct kdh_night_run *r = night_run_read(json_array_get_object_element(runs, i),
							 at, error);

		if (r)
			g_ptr_array_add(c->runs, r);
		ok = r != NULL;
	}
	if (!ok) {
		night_case_free(c);
		return NULL;
	}
	night_cross(c);
	return c;
}

static GPtrArray *night_strings(JsonArray *a)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < json_array_get_length(a); i++)
		g_ptr_array_add(out, g_strdup(json_array_get_string_element(a, i)));
	return out;
}

static struct kdh_night_comparison *night_comparison_read(JsonObject *o)
{
	struct kdh_night_comparison *cmp =
		night_comparison_new(json_object_get_string_member(o, "against"));
	JsonArray *slower = json_object_get_array_member(o, "slower");

	g_ptr_array_unref(cmp->new_failures);
	g_ptr_array_unref(cmp->fixed);
	cmp->new_failures = night_strings(json_object_get_array_member(o, "new_failures"));
	cmp->fixed = night_strings(json_object_get_array_member(o, "fixed"));
	for (guint i = 0; i < json_array_get_length(slower); i++) {
		JsonObject *s = json_array_get_object_element(slower, i);
		struct kdh_night_slower *e = g_new0(struct kdh_night_slower, 1);

		e->case_id = g_strdup(json_object_get_string_member(s, "case"));
		e->stage = g_strdup(json_object_get_string_member(s, "stage"));
		e->before = json_object_get_double_member(s, "before");
		e->after = json_object_get_double_member(s, "after");
		g_ptr_array_add(cmp->slower, e);
	}
	return cmp;
}

static struct kdh_night_history *night_history_read(JsonObject *o, const char *where,
						    GError **error)
{
	struct kdh_night_history *h = g_new0(struct kdh_night_history, 1);

	h->night = g_strdup(json_object_get_string_member(o, "night"));
	h->started = json_object_has_member(o, "started") ? night_string(o, "started") : NULL;
	for (int s = 0; s < KDH_NIGHT_PENDING; s++)
		if (!night_int(o, where, statuses[s], &h->counts[s], error)) {
			night_history_free(h);
			return NULL;
		}
	return h;
}

struct kdh_night *kdh_night_from_json(JsonObject *o, GError **error)
{
	g_autoptr(GString) where = g_string_new(NULL);
	g_autofree char *finished = NULL;
	JsonArray *cases, *history;
	struct kdh_night *n;

	if (!night_check_object(o, night_members, where, error))
		return NULL;
	finished = night_string(o, "finished");
	n = night_empty(json_object_get_string_member(o, "night"),
			json_object_get_string_member(o, "matrix"),
			json_object_get_string_member(o, "started"), finished);
	g_ptr_array_unref(n->shards);
	n->shards = night_strings(json_object_get_array_member(o, "shards"));
	cases = json_object_get_array_member(o, "cases");
	for (guint i = 0; i < json_array_get_length(cases); i++) {
		g_autofree char *at = g_strdup_printf("cases[%u].", i);
		struct kdh_night_case *c = night_case_read(json_array_get_object_element(cases, i),
							   at, error);

		if (!c) {
			kdh_night_free(n);
			return NULL;
		}
		g_ptr_array_add(n->cases, c);
	}
	if (json_object_has_member(o, "comparison") && !json_object_get_null_member(o, "comparison"))
		n->comparison = night_comparison_read(json_object_get_object_member(o, "comparison"));
	history = json_object_has_member(o, "history") ? json_object_get_array_member(o, "history")
						       : NULL;
	for (guint i = 0; history && i < json_array_get_length(history); i++) {
		g_autofree char *at = g_strdup_printf("history[%u].", i);
		struct kdh_night_history *h =
			night_history_read(json_array_get_object_element(history, i), at, error);

		if (!h) {
			kdh_night_free(n);
			return NULL;
		}
		g_ptr_array_add(n->history, h);
	}
	return n;
}

struct kdh_night *kdh_night_load(const char *path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	struct kdh_night *n;
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
	    g_strcmp0(json_object_get_string_member_with_default(json_node_get_object(root),
								 "format", NULL),
		      NIGHT_FORMAT)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "%s: not a night (format \"" NIGHT_FORMAT "\")", path);
		return NULL;
	}
	n = kdh_night_from_json(json_node_get_object(root), error);
	if (!n)
		g_prefix_error(error, "%s: ", path);
	return n;
}

/* ---- night.json written ---- */

/* Every whole number of a night is 0 or more, -1 its "null" (kdh_json_add_int()):
 * a run's panic_cpu can be null; an exit, started or seconds not said is left
 * out, as night.json had it. */

static void night_add_counts(JsonBuilder *b, const char *key, GPtrArray *counts)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	for (guint i = 0; i < counts->len; i++) {
		const struct kdh_night_count *c = counts->pdata[i];

		kdh_json_add_int(b, c->name, c->count, -1);
	}
	json_builder_end_object(b);
}

static void night_add_run(JsonBuilder *b, const struct kdh_night_run *r)
{
	json_builder_begin_object(b);
	kdh_json_add_int(b, "repeat", r->repeat, -1);
	/* what an older night may not say, kdh's own always do */
	if (r->host)
		kdh_json_add_string(b, "host", r->host);
	if (r->exit >= 0)
		kdh_json_add_int(b, "exit", r->exit, -1);
	kdh_json_add_string(b, "result", statuses[r->result]);
	kdh_json_add_string(b, "reason", r->reason);
	kdh_json_add_string(b, "detail", r->detail);
	kdh_json_add_int(b, "panic_cpu", r->panic_cpu, -1);
	if (r->vmbus_connect_cpu >= 0)
		kdh_json_add_int(b, "vmbus_connect_cpu", r->vmbus_connect_cpu, -1);
	if (r->started)
		kdh_json_add_string(b, "started", r->started);
	if (r->seconds >= 0)
		kdh_json_add_seconds(b, "seconds", r->seconds);
	json_builder_set_member_name(b, "stages");
	if (r->stages_known) {
		json_builder_begin_object(b);
		for (int s = 0; s < KDH_STAGE__COUNT; s++)
			kdh_json_add_seconds(b, kdh_stage_name(s), r->stages[s]);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	kdh_json_add_seconds(b, "analysis", r->stages[KDH_NIGHT_ANALYSIS]);
	kdh_json_add_string(b, "dir", r->dir);
	json_builder_end_object(b);
}

static void night_add_case(JsonBuilder *b, const struct kdh_night_case *c)
{
	json_builder_begin_object(b);
	kdh_json_add_string(b, "id", c->id);
	json_builder_set_member_name(b, "axes");
	json_builder_begin_object(b);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		kdh_json_add_string(b, kdh_axis_key(a), c->axes[a]);
	json_builder_end_object(b);
	kdh_json_add_int(b, "repeat", c->repeat, -1);
	kdh_json_add_int(b, "planned", c->planned, -1);
	kdh_json_add_string(b, "status", statuses[c->status]);
	json_builder_set_member_name(b, "runs");
	json_builder_begin_array(b);
	for (guint i = 0; i < c->runs->len; i++)
		night_add_run(b, c->runs->pdata[i]);
	json_builder_end_array(b);
	kdh_json_add_int(b, "passed", c->passed, -1);
	kdh_json_add_int(b, "failed", c->failed, -1);
	kdh_json_add_int(b, "skipped", c->skipped, -1);
	kdh_json_add_int(b, "errors", c->errors, -1);
	night_add_counts(b, "reasons", c->reasons);
	night_add_counts(b, "panic_cpus", c->panic_cpus);
	json_builder_set_member_name(b, "by_panic_cpu");
	kdh_tally_table_json(c->by_panic_cpu, b);
	json_builder_set_member_name(b, "stage_medians");
	json_builder_begin_object(b);
	for (int s = 0; s < KDH_NIGHT_SECONDS; s++)
		if (c->medians[s] >= 0)
			kdh_json_add_seconds(b, night_seconds_name(s), c->medians[s]);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void night_add_comparison(JsonBuilder *b, const struct kdh_night_comparison *cmp)
{
	json_builder_set_member_name(b, "comparison");
	if (!cmp) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_object(b);
	kdh_json_add_string(b, "against", cmp->against);
	kdh_json_add_strings(b, "new_failures", cmp->new_failures);
	kdh_json_add_strings(b, "fixed", cmp->fixed);
	json_builder_set_member_name(b, "slower");
	json_builder_begin_array(b);
	for (guint i = 0; i < cmp->slower->len; i++) {
		const struct kdh_night_slower *s = cmp->slower->pdata[i];

		json_builder_begin_object(b);
		kdh_json_add_string(b, "case", s->case_id);
		kdh_json_add_string(b, "stage", s->stage);
		kdh_json_add_seconds(b, "before", s->before);
		kdh_json_add_seconds(b, "after", s->after);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

JsonNode *kdh_night_json(const struct kdh_night *night)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	kdh_json_add_string(b, "format", NIGHT_FORMAT);
	kdh_json_add_string(b, "night", night->night);
	kdh_json_add_string(b, "matrix", night->matrix);
	kdh_json_add_strings(b, "shards", night->shards);
	kdh_json_add_string(b, "started", night->started);
	kdh_json_add_string(b, "finished", night->finished);
	json_builder_set_member_name(b, "cases");
	json_builder_begin_array(b);
	for (guint i = 0; i < night->cases->len; i++)
		night_add_case(b, night->cases->pdata[i]);
	json_builder_end_array(b);
	night_add_comparison(b, night->comparison);
	json_builder_set_member_name(b, "history");
	json_builder_begin_array(b);
	for (guint i = 0; i < night->history->len; i++) {
		const struct kdh_night_history *h = night->history->pdata[i];

		json_builder_begin_object(b);
		kdh_json_add_string(b, "night", h->night);
		kdh_json_add_string(b, "started", h->started);
		for (int s = 0; s < KDH_NIGHT_PENDING; s++)
			kdh_json_add_int(b, statuses[s], h->counts[s], -1);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

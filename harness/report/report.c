/* Reports: KTAP v1 lines and the summary JSON of one run. In the JSON, a value
 * the guest never reported is null rather than its in-memory sentinel (-1, -2),
 * so a reader needs no knowledge of kdh-evidence.h. */
#include "kdh-analysis.h"
#include "kdh-error.h"
#include "kdh-json.h"
#include "kdh-report.h"

char *kdh_report_ktap_plan(int count)
{
	return g_strdup_printf("KTAP version 1\n1..%d\n", count);
}

/* A KTAP result is one line: a line break would end it early. */
static char *ktap_flatten(const char *text)
{
	return g_strdelimit(g_strdup(text), "\r\n", ' ');
}

char *kdh_report_ktap_result(int index, const char *name, const struct kdh_verdict *v)
{
	g_autofree char *flat_name = ktap_flatten(name);
	g_autofree char *detail = ktap_flatten(v->detail);

	if (v->result == KDH_RESULT_PASS)
		return g_strdup_printf("ok %d %s\n", index, flat_name);
	if (v->result == KDH_RESULT_SKIP)
		return g_strdup_printf("ok %d %s # SKIP %s\n", index, flat_name, detail);
	return g_strdup_printf("not ok %d %s # %s: %s\n", index, flat_name,
			       kdh_reason_name(v->reason), detail);
}

char *kdh_report_ktap_error(int index, const char *name, const char *why)
{
	g_autofree char *flat_name = ktap_flatten(name);
	g_autofree char *flat_why = ktap_flatten(why);

	return g_strdup_printf("not ok %d %s # error: %s\n", index, flat_name, flat_why);
}

char *kdh_report_ktap_not_run(int index, const char *name, const char *why)
{
	g_autofree char *flat_name = ktap_flatten(name);
	g_autofree char *flat_why = ktap_flatten(why);

	return g_strdup_printf("ok %d %s # SKIP not run: %s\n", index, flat_name, flat_why);
}

static void add_devices(JsonBuilder *b, GPtrArray *devices)
{
	json_builder_set_member_name(b, "devices");
	json_builder_begin_array(b);
	for (guint i = 0; i < devices->len; i++) {
		const struct kdh_device *dev = devices->pdata[i];

		json_builder_begin_object(b);
		kdh_json_add_string(b, "bus", dev->bus);
		kdh_json_add_string(b, "name", dev->name);
		kdh_json_add_string(b, "id", dev->id);
		kdh_json_add_string(b, "driver", dev->driver);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

/* The "first" and "capture" objects; only the capture kernel dumps. */
static void add_guest_report(JsonBuilder *b, const char *key, const struct kdh_guest_report *r,
			     gboolean with_dump)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "seen");
	json_builder_add_boolean_value(b, r->seen);
	kdh_json_add_string(b, "release", r->release);
	kdh_json_add_int(b, "cpus", r->cpus, -1);
	kdh_json_add_int(b, "kexec_status", r->kexec_status, -2);
	kdh_json_add_int(b, "kexec_loaded", r->kexec_loaded, -1);
	kdh_json_add_int(b, "crash_size", r->crash_size, -1);
	kdh_json_add_string(b, "kexec_said", r->kexec_said);
	kdh_json_add_strings(b, "modules_failed", r->modules_failed);
	kdh_json_add_strings(b, "unfit", r->unfit);
	kdh_json_add_strings(b, "errors", r->errors);
	add_devices(b, r->devices);
	kdh_json_add_string(b, "vmbus_version", r->vmbus_version);
	if (!with_dump) {
		g_autoptr(GArray) hits = kdh_analysis_nmi_probe_hits(r);

		json_builder_set_member_name(b, "nmi_probe");
		json_builder_begin_object(b);
		kdh_json_add_ints(b, "before", r->nmis_before);
		kdh_json_add_ints(b, "after", r->nmis_after);
		kdh_json_add_ints(b, "cpus", hits);
		json_builder_end_object(b);
		kdh_json_add_int(b, "trigger_cpu", r->trigger_cpu, -1);
	} else {
		kdh_json_add_int(b, "dump_status", r->dump_status, -2);
		kdh_json_add_int(b, "dump_bytes", r->dump_bytes, -1);
	}
	json_builder_end_object(b);
}

static void add_panic(JsonBuilder *b, const struct kdh_evidence *e)
{
	const struct kdh_panic_log *log = &e->vmcore_log;

	json_builder_set_member_name(b, "panic");
	if (!e->vmcore_read) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "count");
	json_builder_add_int_value(b, log->panic_count);
	kdh_json_add_int(b, "cpu", log->panic_cpu, -1);
	json_builder_set_member_name(b, "in_nmi");
	if (log->panic_context < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_boolean_value(b, log->panic_context == 1);
	/* beside the panic CPU: a panic off the VMBus connect CPU is the seed's case */
	kdh_json_add_int(b, "vmbus_connect_cpu", kdh_analysis_vmbus_connect_cpu(&e->first), -1);
	kdh_json_add_string(b, "string", log->panic_string);
	kdh_json_add_ints(b, "nmi_cpus", log->nmi_cpus);
	json_builder_set_member_name(b, "vmbus_unload_waits");
	json_builder_add_int_value(b, log->vmbus_unload_waits);
	json_builder_set_member_name(b, "vmbus_unload_gave_up");
	json_builder_add_boolean_value(b, log->vmbus_unload_gave_up);
	kdh_json_add_seconds(b, "vmbus_unload_seconds", log->vmbus_unload_seconds);
	json_builder_end_object(b);
}

/* Both sources in one list, each complaint with what the scenario makes of it. */
static void add_complaints(JsonBuilder *b, const struct kdh_expect *expect,
			   const struct kdh_evidence *e)
{
	GPtrArray *sources[] = { e->vmcore_log.complaints, e->capture_complaints };

	json_builder_set_member_name(b, "complaints");
	json_builder_begin_array(b);
	for (gsize s = 0; s < G_N_ELEMENTS(sources); s++)
		for (guint i = 0; i < sources[s]->len; i++) {
			const struct kdh_complaint *c = sources[s]->pdata[i];
			guint bit = 1u << c->kind;

			json_builder_begin_object(b);
			kdh_json_add_string(b, "where", c->where);
			kdh_json_add_string(b, "kind", kdh_complaint_kind_name(c->kind));
			kdh_json_add_int(b, "cpu", c->cpu, -1);
			kdh_json_add_string(b, "line", c->line);
			kdh_json_add_string(b, "level", expect->fail_on & bit   ? "fail"
					       : expect->warn_on & bit ? "warn"
								: "ignored");
			json_builder_end_object(b);
		}
	json_builder_end_array(b);
}

static void add_crash(JsonBuilder *b, const struct kdh_crash_report *c)
{
	json_builder_set_member_name(b, "crash");
	if (!c->ran) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "read");
	json_builder_add_boolean_value(b, c->read);
	kdh_json_add_int(b, "cpus", c->cpus, -1);
	kdh_json_add_string(b, "panic", c->panic);
	json_builder_set_member_name(b, "cpu_states");
	json_builder_begin_array(b);
	for (guint cpu = 0; cpu < c->states->len; cpu++) {
		json_builder_begin_object(b);
		kdh_json_add_int(b, "cpu", cpu, -1);
		kdh_json_add_string(b, "state", kdh_cpu_state_name(g_array_index(c->states, int, cpu)));
		kdh_json_add_string(b, "frame", c->frames->pdata[cpu]);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

static void add_stages(JsonBuilder *b, const struct kdh_evidence *e)
{
	json_builder_set_member_name(b, "stages");
	json_builder_begin_object(b);
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		kdh_json_add_seconds(b, kdh_stage_name(s), e->stage_seconds[s]);
	json_builder_end_object(b);
	kdh_json_add_seconds(b, "analysis", e->analysis_seconds);
}

JsonNode *kdh_report_summary(const char *scenario, const struct kdh_expect *expect,
			     const struct kdh_evidence *e, const struct kdh_verdict *v)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	kdh_json_add_string(b, "scenario", scenario);
	kdh_json_add_string(b, "result", kdh_result_name(v->result));
	kdh_json_add_string(b, "reason", kdh_reason_name(v->reason));
	kdh_json_add_string(b, "stage", kdh_stage_name(v->stage));
	kdh_json_add_string(b, "detail", v->detail);
	kdh_json_add_string(b, "setup_failed", e->setup_failed);
	json_builder_set_member_name(b, "vcpus");
	json_builder_add_int_value(b, expect->vcpus);
	add_panic(b, e);
	add_guest_report(b, "first", &e->first, FALSE);
	add_guest_report(b, "capture", &e->capture, TRUE);
	add_complaints(b, expect, e);
	add_crash(b, &e->crash);
	add_stages(b, e);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

void kdh_report_summary_broke(JsonNode *summary, const char *why)
{
	JsonObject *o = json_node_get_object(summary);

	json_object_set_string_member(o, "result", "error");
	json_object_set_string_member(o, "reason", "harness");
	json_object_set_null_member(o, "stage");
	json_object_set_string_member(o, "detail", why);
}

/* "cut_short": each of CUT (struct kdh_attempt_cut*). */
static void add_cut_short(JsonBuilder *b, GPtrArray *cut)
{
	json_builder_set_member_name(b, "cut_short");
	json_builder_begin_array(b);
	for (guint i = 0; i < cut->len; i++) {
		const struct kdh_attempt_cut *c = cut->pdata[i];

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "attempt");
		json_builder_add_int_value(b, c->attempt);
		kdh_json_add_string(b, "why", c->why);
		kdh_json_add_string(b, "dir", c->dir);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

void kdh_report_summary_attempts(JsonNode *summary, const struct kdh_attempts *a)
{
	JsonObject *o = json_node_get_object(summary);
	JsonArray *cut = json_array_new();

	for (guint i = 0; i < a->cut->len; i++) {
		const struct kdh_attempt_cut *c = a->cut->pdata[i];
		JsonObject *one = json_object_new();

		json_object_set_int_member(one, "attempt", c->attempt);
		json_object_set_string_member(one, "why", c->why);
		if (c->dir)
			json_object_set_string_member(one, "dir", c->dir);
		else
			json_object_set_null_member(one, "dir");
		json_array_add_object_element(cut, one);
	}
	json_object_set_int_member(o, "attempts", a->made);
	json_object_set_array_member(o, "cut_short", cut);
}

char *kdh_report_json_text(JsonNode *node)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *text = NULL;

	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, node);
	text = json_generator_to_data(gen, NULL);
	return g_strconcat(text, "\n", NULL);
}

/* ---- run.json ---- */

#define RUN_FORMAT "kdh-run/1"

static const char *const run_verdicts[] = {
	[KDH_RUN_PASS] = "pass",	 [KDH_RUN_FAIL] = "fail",
	[KDH_RUN_SKIP] = "skip",	 [KDH_RUN_ERROR] = "error",
	[KDH_RUN_NOT_RUN] = "not-run", [KDH_RUN_PENDING] = "pending",
};
G_STATIC_ASSERT(G_N_ELEMENTS(run_verdicts) == KDH_RUN__COUNT);

const char *kdh_run_verdict_name(int verdict)
{
	return verdict >= 0 && verdict < KDH_RUN__COUNT ? run_verdicts[verdict] : NULL;
}

int kdh_run_verdict_from_name(const char *name)
{
	for (int i = 0; name && i < KDH_RUN__COUNT; i++)
		if (g_str_equal(name, run_verdicts[i]))
			return i;
	return -1;
}

static void run_entry_free(struct kdh_run_entry *e)
{
	if (!e)
		return;
	g_free(e->name);
	g_free(e->scenario);
	g_free(e->platform);
	g_free(e->host);
	g_free(e->dir);
	g_free(e->reason);
	g_free(e->detail);
	if (e->cut_short)
		g_ptr_array_unref(e->cut_short);
	g_free(e);
}

void kdh_run_manifest_init(struct kdh_run_manifest *m)
{
	*m = (struct kdh_run_manifest){ .exit = -1 };
	m->scenarios = g_ptr_array_new_with_free_func((GDestroyNotify)run_entry_free);
}

void kdh_run_manifest_clear(struct kdh_run_manifest *m)
{
	g_free(m->run);
	g_free(m->started);
	g_free(m->finished);
	g_free(m->kernel_release);
	g_free(m->kernel_image);
	g_free(m->kernel_vmlinux);
	g_free(m->uri);
	g_free(m->accel);
	g_free(m->lab);
	if (m->scenarios)
		g_ptr_array_unref(m->scenarios);
	*m = (struct kdh_run_manifest){ .exit = -1 };
}

struct kdh_run_entry *kdh_run_manifest_plan(struct kdh_run_manifest *m, const char *name,
					    const char *scenario, int repeat,
					    const char *platform)
{
	struct kdh_run_entry *e = g_new0(struct kdh_run_entry, 1);

	e->name = g_strdup(name);
	e->scenario = g_strdup(scenario);
	e->repeat = repeat;
	e->platform = g_strdup(platform);
	e->verdict = KDH_RUN_PENDING;
	e->exit = -1;
	g_ptr_array_add(m->scenarios, e);
	return e;
}

/* E's outcome: VERDICT, REASON, DETAIL and EXIT, where it ran and its evidence. */
static void run_entry_set(struct kdh_run_entry *e, enum kdh_run_verdict verdict,
			  const char *reason, const char *detail, int exit, const char *host,
			  const char *dir)
{
	e->verdict = verdict;
	g_free(e->reason);
	e->reason = g_strdup(reason);
	g_free(e->detail);
	e->detail = g_strdup(detail);
	e->exit = exit;
	g_free(e->host);
	e->host = g_strdup(host);
	g_free(e->dir);
	e->dir = g_strdup(dir);
}

void kdh_run_entry_judged(struct kdh_run_entry *e, const struct kdh_verdict *v,
			  const char *host, const char *dir)
{
	/* the verdict's result names are run.json's first three */
	G_STATIC_ASSERT(KDH_RUN_PASS == (int)KDH_RESULT_PASS &&
			KDH_RUN_FAIL == (int)KDH_RESULT_FAIL && KDH_RUN_SKIP == (int)KDH_RESULT_SKIP);

	run_entry_set(e, (enum kdh_run_verdict)v->result, kdh_reason_name(v->reason),
		      v->detail ? v->detail : "", kdh_verdict_exit_code(v), host, dir);
}

void kdh_run_entry_broke(struct kdh_run_entry *e, const char *why, int exit, const char *host,
			 const char *dir)
{
	run_entry_set(e, KDH_RUN_ERROR, "harness", why, exit, host, dir);
}

void kdh_run_entry_not_run(struct kdh_run_entry *e, const char *why)
{
	run_entry_set(e, KDH_RUN_NOT_RUN, NULL, why, -1, NULL, NULL);
}

void kdh_run_entry_attempts(struct kdh_run_entry *e, const struct kdh_attempts *a)
{
	if (e->cut_short)
		g_ptr_array_unref(e->cut_short);
	e->attempts = a->made;
	e->cut_short = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_attempt_cut_free);
	for (guint i = 0; i < a->cut->len; i++) {
		const struct kdh_attempt_cut *c = a->cut->pdata[i];
		g_autofree char *dir = c->dir && e->dir ? g_build_filename(e->dir, c->dir, NULL)
							: NULL;

		g_ptr_array_add(e->cut_short, kdh_attempt_cut_new(c->attempt, c->why, dir));
	}
}

JsonNode *kdh_run_manifest_json(const struct kdh_run_manifest *m)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	kdh_json_add_string(b, "format", RUN_FORMAT);
	kdh_json_add_string(b, "run", m->run);
	kdh_json_add_string(b, "started", m->started);
	kdh_json_add_string(b, "finished", m->finished);
	kdh_json_add_int(b, "exit", m->exit, -1);
	json_builder_set_member_name(b, "kernel");
	json_builder_begin_object(b);
	kdh_json_add_string(b, "release", m->kernel_release);
	kdh_json_add_string(b, "image", m->kernel_image);
	kdh_json_add_string(b, "vmlinux", m->kernel_vmlinux);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "host");
	json_builder_begin_object(b);
	kdh_json_add_string(b, "uri", m->uri);
	kdh_json_add_string(b, "accel", m->accel);
	kdh_json_add_string(b, "lab", m->lab);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "scenarios");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->scenarios->len; i++) {
		const struct kdh_run_entry *e = m->scenarios->pdata[i];

		json_builder_begin_object(b);
		kdh_json_add_string(b, "name", e->name);
		kdh_json_add_string(b, "scenario", e->scenario);
		json_builder_set_member_name(b, "repeat");
		json_builder_add_int_value(b, e->repeat);
		kdh_json_add_string(b, "platform", e->platform);
		kdh_json_add_string(b, "host", e->host);
		kdh_json_add_string(b, "dir", e->dir);
		kdh_json_add_string(b, "verdict", kdh_run_verdict_name(e->verdict));
		kdh_json_add_string(b, "reason", e->reason);
		kdh_json_add_string(b, "detail", e->detail);
		kdh_json_add_int(b, "exit", e->exit, -1);
		if (e->attempts > 0) {
			json_builder_set_member_name(b, "attempts");
			json_builder_add_int_value(b, e->attempts);
			add_cut_short(b, e->cut_short);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* What run.json's reader asks of a member. */
enum run_type { RUN_STRING, RUN_INT, RUN_OBJECT, RUN_ARRAY };

/* Member NAME of O, WHERE its path ("scenarios[1]."; "" at the top), of TYPE,
 * or null when NULLABLE (then RET_NODE is NULL): FALSE with ERROR naming it, as
 * kdh_night_check() does, when it is missing or of another type. */
static gboolean run_member(JsonObject *o, const char *where, const char *name,
			   enum run_type type, gboolean nullable, JsonNode **ret_node,
			   GError **error)
{
	static const char *const what[][2] = {
		[RUN_STRING] = { "a string", "a string or null" },
		[RUN_INT] = { "a whole number", "a whole number or null" },
		[RUN_OBJECT] = { "an object", "an object or null" },
		[RUN_ARRAY] = { "an array", "an array or null" },
	};
	JsonNode *n = json_object_get_member(o, name);
	gboolean ok;

	*ret_node = NULL;
	if (!n) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "no member %s%s (%s)", where, name,
			    what[type][nullable]);
		return FALSE;
	}
	if (nullable && JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	switch (type) {
	case RUN_STRING:
		ok = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING;
		break;
	case RUN_INT:
		ok = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64;
		break;
	case RUN_OBJECT:
		ok = JSON_NODE_HOLDS_OBJECT(n);
		break;
	default:
		ok = JSON_NODE_HOLDS_ARRAY(n);
		break;
	}
	if (!ok) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%s%s is not %s", where, name,
			    what[type][nullable]);
		return FALSE;
	}
	*ret_node = n;
	return TRUE;
}

/* String member NAME into *RET (NULL for null when NULLABLE). */
static gboolean run_string(JsonObject *o, const char *where, const char *name,
			   gboolean nullable, char **ret, GError **error)
{
	JsonNode *n;

	if (!run_member(o, where, name, RUN_STRING, nullable, &n, error))
		return FALSE;
	*ret = n ? g_strdup(json_node_get_string(n)) : NULL;
	return TRUE;
}

/* Whole number member NAME into *RET (-1 for null when NULLABLE), from 0 to
 * G_MAXINT: no count or exit code in run.json is negative. */
static gboolean run_int(JsonObject *o, const char *where, const char *name, gboolean nullable,
			int *ret, GError **error)
{
	JsonNode *n;

	if (!run_member(o, where, name, RUN_INT, nullable, &n, error))
		return FALSE;
	if (n && (json_node_get_int(n) < 0 || json_node_get_int(n) > G_MAXINT)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%s%s: %" G_GINT64_FORMAT
			    " is out of range", where, name, json_node_get_int(n));
		return FALSE;
	}
	*ret = n ? (int)json_node_get_int(n) : -1;
	return TRUE;
}

static JsonObject *run_object(JsonObject *o, const char *where, const char *name,
			      GError **error)
{
	JsonNode *n;

	return run_member(o, where, name, RUN_OBJECT, FALSE, &n, error) ? json_node_get_object(n)
									 : NULL;
}

/* A run in the nested lab's "attempts" and "cut_short", which come together
 * or not at all. */
static gboolean run_entry_attempts_parse(JsonObject *o, const char *where,
					 struct kdh_run_entry *e, GError **error)
{
	JsonNode *list;
	JsonArray *array;

	if (!json_object_has_member(o, "attempts") && !json_object_has_member(o, "cut_short"))
		return TRUE;
	if (!run_int(o, where, "attempts", FALSE, &e->attempts, error) ||
	    !run_member(o, where, "cut_short", RUN_ARRAY, FALSE, &list, error))
		return FALSE;
	if (e->attempts < 1) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "%sattempts: %d is not 1 or more",
			    where, e->attempts);
		return FALSE;
	}
	e->cut_short = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_attempt_cut_free);
	array = json_node_get_array(list);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *node = json_array_get_element(array, i);
		g_autofree char *at = g_strdup_printf("%scut_short[%u].", where, i);
		g_autofree char *why = NULL, *dir = NULL;
		int attempt;

		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
				    "%scut_short[%u] is not an object", where, i);
			return FALSE;
		}
		if (!run_int(json_node_get_object(node), at, "attempt", FALSE, &attempt, error) ||
		    !run_string(json_node_get_object(node), at, "why", FALSE, &why, error) ||
		    !run_string(json_node_get_object(node), at, "dir", TRUE, &dir, error))
			return FALSE;
		g_ptr_array_add(e->cut_short, kdh_attempt_cut_new(attempt, why, dir));
	}
	return TRUE;
}

static gboolean run_entry_parse(JsonNode *node, guint i, struct kdh_run_manifest *m,
				GError **error)
{
	g_autofree char *where = g_strdup_printf("scenarios[%u].", i);
	g_autofree char *verdict = NULL;
	struct kdh_run_entry *e;
	JsonObject *o;
	int v;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "scenarios[%u] is not an object", i);
		return FALSE;
	}
	o = json_node_get_object(node);
	e = kdh_run_manifest_plan(m, NULL, NULL, 0, NULL);
	if (!run_string(o, where, "name", FALSE, &e->name, error) ||
	    !run_string(o, where, "scenario", FALSE, &e->scenario, error) ||
	    !run_int(o, where, "repeat", FALSE, &e->repeat, error) ||
	    !run_string(o, where, "platform", FALSE, &e->platform, error) ||
	    !run_string(o, where, "host", TRUE, &e->host, error) ||
	    !run_string(o, where, "dir", TRUE, &e->dir, error) ||
	    !run_string(o, where, "verdict", FALSE, &verdict, error))
		return FALSE;
	v = kdh_run_verdict_from_name(verdict);
	if (v < 0) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "%sverdict: '%s' is not one of pass, fail, skip, error, not-run, pending",
			    where, verdict);
		return FALSE;
	}
	e->verdict = v;
	return run_string(o, where, "reason", TRUE, &e->reason, error) &&
	       run_string(o, where, "detail", TRUE, &e->detail, error) &&
	       run_int(o, where, "exit", TRUE, &e->exit, error) &&
	       run_entry_attempts_parse(o, where, e, error);
}

gboolean kdh_run_manifest_parse(const char *text, struct kdh_run_manifest *ret,
				GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) json_error = NULL;
	g_autofree char *format = NULL;
	JsonObject *o, *kernel, *host;
	JsonNode *root, *list;

	kdh_run_manifest_init(ret);
	if (!json_parser_load_from_data(parser, text, -1, &json_error)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE, "not JSON: %s", json_error->message);
		return FALSE;
	}
	root = json_parser_get_root(parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root) ||
	    !run_string(json_node_get_object(root), "", "format", FALSE, &format, NULL) ||
	    !g_str_equal(format, RUN_FORMAT)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "not a run's manifest (format \"" RUN_FORMAT "\")");
		return FALSE;
	}
	o = json_node_get_object(root);
	if (!run_string(o, "", "run", FALSE, &ret->run, error) ||
	    !run_string(o, "", "started", FALSE, &ret->started, error) ||
	    !run_string(o, "", "finished", TRUE, &ret->finished, error) ||
	    !run_int(o, "", "exit", TRUE, &ret->exit, error) ||
	    !(kernel = run_object(o, "", "kernel", error)) ||
	    !run_string(kernel, "kernel.", "release", FALSE, &ret->kernel_release, error) ||
	    !run_string(kernel, "kernel.", "image", FALSE, &ret->kernel_image, error) ||
	    !run_string(kernel, "kernel.", "vmlinux", TRUE, &ret->kernel_vmlinux, error) ||
	    !(host = run_object(o, "", "host", error)) ||
	    !run_string(host, "host.", "uri", FALSE, &ret->uri, error) ||
	    !run_string(host, "host.", "accel", TRUE, &ret->accel, error) ||
	    !run_string(host, "host.", "lab", TRUE, &ret->lab, error) ||
	    !run_member(o, "", "scenarios", RUN_ARRAY, FALSE, &list, error))
		return FALSE;
	for (guint i = 0; i < json_array_get_length(json_node_get_array(list)); i++)
		if (!run_entry_parse(json_array_get_element(json_node_get_array(list), i), i, ret,
				     error))
			return FALSE;
	return TRUE;
}

/* Reports: KTAP v1 lines and the summary JSON of one run. In the JSON, a value
 * the guest never reported is null rather than its in-memory sentinel (-1, -2),
 * so a reader needs no knowledge of kdh-evidence.h. */
#include "kdh-analysis.h"
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

/* VALUE, or null when it equals UNREPORTED. */
static void add_int(JsonBuilder *b, const char *key, gint64 value, gint64 unreported)
{
	json_builder_set_member_name(b, key);
	if (value == unreported)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, value);
}

static void add_strings(JsonBuilder *b, const char *key, GPtrArray *strings)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < strings->len; i++)
		json_builder_add_string_value(b, strings->pdata[i]);
	json_builder_end_array(b);
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
	add_int(b, "cpus", r->cpus, -1);
	add_int(b, "kexec_status", r->kexec_status, -2);
	add_int(b, "kexec_loaded", r->kexec_loaded, -1);
	add_int(b, "crash_size", r->crash_size, -1);
	kdh_json_add_string(b, "kexec_said", r->kexec_said);
	add_strings(b, "modules_failed", r->modules_failed);
	add_strings(b, "unfit", r->unfit);
	add_strings(b, "errors", r->errors);
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
		add_int(b, "trigger_cpu", r->trigger_cpu, -1);
	} else {
		add_int(b, "dump_status", r->dump_status, -2);
		add_int(b, "dump_bytes", r->dump_bytes, -1);
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
	add_int(b, "cpu", log->panic_cpu, -1);
	json_builder_set_member_name(b, "in_nmi");
	if (log->panic_context < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_boolean_value(b, log->panic_context == 1);
	/* beside the panic CPU: a panic off the VMBus connect CPU is the seed's case */
	add_int(b, "vmbus_connect_cpu", kdh_analysis_vmbus_connect_cpu(&e->first), -1);
	kdh_json_add_string(b, "string", log->panic_string);
	kdh_json_add_ints(b, "nmi_cpus", log->nmi_cpus);
	json_builder_set_member_name(b, "vmbus_unload_waits");
	json_builder_add_int_value(b, log->vmbus_unload_waits);
	json_builder_set_member_name(b, "vmbus_unload_gave_up");
	json_builder_add_boolean_value(b, log->vmbus_unload_gave_up);
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
			add_int(b, "cpu", c->cpu, -1);
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
	add_int(b, "cpus", c->cpus, -1);
	kdh_json_add_string(b, "panic", c->panic);
	json_builder_set_member_name(b, "cpu_states");
	json_builder_begin_array(b);
	for (guint cpu = 0; cpu < c->states->len; cpu++) {
		json_builder_begin_object(b);
		add_int(b, "cpu", cpu, -1);
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
	for (int s = 0; s < KDH_STAGE__COUNT; s++) {
		json_builder_set_member_name(b, kdh_stage_name(s));
		if (e->stage_seconds[s] < 0)
			json_builder_add_null_value(b);
		else
			json_builder_add_double_value(b, e->stage_seconds[s]);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "analysis");
	if (e->analysis_seconds < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_double_value(b, e->analysis_seconds);
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

char *kdh_report_json_text(JsonNode *node)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *text = NULL;

	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, node);
	text = json_generator_to_data(gen, NULL);
	return g_strconcat(text, "\n", NULL);
}

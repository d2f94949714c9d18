/* Tallies of repeated runs: a nightly run wants to know whether the interesting
 * case (a panic on a CPU that is not CPU 0) was covered, and how often each
 * failure came up; and where a failure depends on the CPU that panicked (the
 * VMBus UNLOAD response sits in the connect CPU's message page), the cross
 * table shows it. */
#include "kdh-analysis.h"
#include "kdh-json.h"
#include "kdh-tally.h"

/* ---- the cross table: panic CPU by result and reason ---- */

static void tally_outcome_free(struct kdh_tally_outcome *o)
{
	g_free(o->result);
	g_free(o->reason);
	g_free(o);
}

static void tally_row_free(struct kdh_tally_row *row)
{
	g_ptr_array_unref(row->outcomes);
	g_free(row);
}

struct kdh_tally_table *kdh_tally_table_new(void)
{
	struct kdh_tally_table *table = g_new0(struct kdh_tally_table, 1);

	table->rows = g_ptr_array_new_with_free_func((GDestroyNotify)tally_row_free);
	return table;
}

void kdh_tally_table_free(struct kdh_tally_table *table)
{
	if (!table)
		return;
	g_ptr_array_unref(table->rows);
	g_free(table);
}

/* The row of CPU (-1: unknown), made in its place when new: by CPU number,
 * unknown last. */
static struct kdh_tally_row *tally_row(struct kdh_tally_table *table, int cpu)
{
	struct kdh_tally_row *row;
	guint at = 0;

	for (; at < table->rows->len; at++) {
		row = table->rows->pdata[at];
		if (row->cpu == cpu)
			return row;
		if (cpu >= 0 && (row->cpu < 0 || row->cpu > cpu))
			break;
	}
	row = g_new0(struct kdh_tally_row, 1);
	row->cpu = cpu;
	row->connect = -1;
	row->outcomes = g_ptr_array_new_with_free_func((GDestroyNotify)tally_outcome_free);
	g_ptr_array_insert(table->rows, at, row);
	return row;
}

void kdh_tally_table_add(struct kdh_tally_table *table, const char *result, const char *reason,
			 int panic_cpu, int connect_cpu)
{
	struct kdh_tally_row *row = tally_row(table, panic_cpu < 0 ? -1 : panic_cpu);
	struct kdh_tally_outcome *o;

	row->runs++;
	if (row->cpu >= 0 && connect_cpu >= 0)
		row->connect = MAX(row->connect, connect_cpu == row->cpu);
	for (guint i = 0; i < row->outcomes->len; i++) {
		o = row->outcomes->pdata[i];
		if (g_str_equal(o->result, result) && g_str_equal(o->reason, reason)) {
			o->runs++;
			return;
		}
	}
	o = g_new0(struct kdh_tally_outcome, 1);
	o->result = g_strdup(result);
	o->reason = g_strdup(reason);
	o->runs = 1;
	g_ptr_array_add(row->outcomes, o);
}

void kdh_tally_table_text(const struct kdh_tally_table *table, const char *prefix, GString *out)
{
	static const char *const connect_words[] = { " (not the VMBus connect CPU)",
						     " (the VMBus connect CPU)" };

	for (guint i = 0; i < table->rows->len; i++) {
		const struct kdh_tally_row *row = table->rows->pdata[i];

		g_string_append_printf(out, "%sCPU ", prefix);
		if (row->cpu < 0)
			g_string_append(out, "unknown");
		else
			g_string_append_printf(out, "%d", row->cpu);
		if (row->connect >= 0)
			g_string_append(out, connect_words[row->connect]);
		for (guint k = 0; k < row->outcomes->len; k++) {
			const struct kdh_tally_outcome *o = row->outcomes->pdata[k];

			g_string_append_printf(out, "%s%s (%s) x%d", k ? ", " : ": ", o->result,
					       o->reason, o->runs);
		}
		g_string_append_c(out, '\n');
	}
}

void kdh_tally_table_json(const struct kdh_tally_table *table, JsonBuilder *b)
{
	json_builder_begin_object(b);
	for (guint i = 0; i < table->rows->len; i++) {
		const struct kdh_tally_row *row = table->rows->pdata[i];
		g_autofree char *key = row->cpu < 0 ? g_strdup("unknown")
						    : g_strdup_printf("%d", row->cpu);

		json_builder_set_member_name(b, key);
		json_builder_begin_object(b);
		kdh_json_add_int(b, "runs", row->runs, -1);
		json_builder_set_member_name(b, "vmbus_connect_cpu");
		if (row->connect < 0)
			json_builder_add_null_value(b);
		else
			json_builder_add_boolean_value(b, row->connect);
		json_builder_set_member_name(b, "outcomes");
		json_builder_begin_array(b);
		for (guint k = 0; k < row->outcomes->len; k++) {
			const struct kdh_tally_outcome *o = row->outcomes->pdata[k];

			json_builder_begin_object(b);
			kdh_json_add_string(b, "result", o->result);
			kdh_json_add_string(b, "reason", o->reason);
			kdh_json_add_int(b, "runs", o->runs, -1);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
}

/* ---- per scenario ---- */

struct tally_entry {
	char *scenario;
	int counts[KDH_RESULT__COUNT];
	int reasons[KDH_REASON__COUNT];
	GArray *panic_cpus; /* int per CPU number: how many runs panicked there */
	struct kdh_tally_table *table;
};

struct kdh_tally {
	GPtrArray *entries; /* struct tally_entry*, in the order first added */
};

static void tally_entry_free(struct tally_entry *en)
{
	g_free(en->scenario);
	g_array_unref(en->panic_cpus);
	kdh_tally_table_free(en->table);
	g_free(en);
}

struct kdh_tally *kdh_tally_new(void)
{
	struct kdh_tally *t = g_new0(struct kdh_tally, 1);

	t->entries = g_ptr_array_new_with_free_func((GDestroyNotify)tally_entry_free);
	return t;
}

void kdh_tally_free(struct kdh_tally *t)
{
	if (!t)
		return;
	g_ptr_array_unref(t->entries);
	g_free(t);
}

static struct tally_entry *tally_entry(struct kdh_tally *t, const char *scenario)
{
	struct tally_entry *en;

	for (guint i = 0; i < t->entries->len; i++) {
		en = t->entries->pdata[i];
		if (g_str_equal(en->scenario, scenario))
			return en;
	}
	en = g_new0(struct tally_entry, 1);
	en->scenario = g_strdup(scenario);
	en->panic_cpus = g_array_new(FALSE, TRUE, sizeof(int));
	en->table = kdh_tally_table_new();
	g_ptr_array_add(t->entries, en);
	return en;
}

void kdh_tally_add(struct kdh_tally *t, const char *scenario, const struct kdh_verdict *v,
		   const struct kdh_evidence *e)
{
	struct tally_entry *en = tally_entry(t, scenario);
	int cpu = e->vmcore_read ? e->vmcore_log.panic_cpu : -1;
	/* a deadline with its stage, as summary.json and night.json say it */
	g_autofree char *reason =
		v->stage < KDH_STAGE__COUNT
			? g_strdup_printf("%s:%s", kdh_reason_name(v->reason), kdh_stage_name(v->stage))
			: g_strdup(kdh_reason_name(v->reason));

	kdh_tally_table_add(en->table, kdh_result_name(v->result), reason, cpu,
			    kdh_analysis_vmbus_connect_cpu(&e->first));
	en->counts[v->result]++;
	if (v->result != KDH_RESULT_PASS)
		en->reasons[v->reason]++;
	if (cpu < 0)
		return;
	if ((guint)cpu >= en->panic_cpus->len)
		g_array_set_size(en->panic_cpus, cpu + 1);
	g_array_index(en->panic_cpus, int, cpu)++;
}

static int tally_runs(const struct tally_entry *en)
{
	int runs = 0;

	for (int r = 0; r < KDH_RESULT__COUNT; r++)
		runs += en->counts[r];
	return runs;
}

static void tally_entry_text(GString *out, const struct tally_entry *en)
{
	const char *sep = "; panic on ";

	g_string_append_printf(out, "%s: %d runs, %d passed, %d failed, %d skipped", en->scenario,
			       tally_runs(en), en->counts[KDH_RESULT_PASS],
			       en->counts[KDH_RESULT_FAIL], en->counts[KDH_RESULT_SKIP]);
	for (guint cpu = 0; cpu < en->panic_cpus->len; cpu++) {
		int n = g_array_index(en->panic_cpus, int, cpu);

		if (n) {
			g_string_append_printf(out, "%sCPU %u x%d", sep, cpu, n);
			sep = ", ";
		}
	}
	sep = "; reasons: ";
	for (int r = 0; r < KDH_REASON__COUNT; r++)
		if (en->reasons[r]) {
			g_string_append_printf(out, "%s%s x%d", sep, kdh_reason_name(r), en->reasons[r]);
			sep = ", ";
		}
	g_string_append_c(out, '\n');
	kdh_tally_table_text(en->table, "  ", out);
}

char *kdh_tally_text(const struct kdh_tally *t)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < t->entries->len; i++)
		tally_entry_text(out, t->entries->pdata[i]);
	return g_string_free(out, FALSE);
}

static void tally_entry_json(JsonBuilder *b, const struct tally_entry *en)
{
	static const char *const count_keys[KDH_RESULT__COUNT] = {
		[KDH_RESULT_PASS] = "passed",
		[KDH_RESULT_FAIL] = "failed",
		[KDH_RESULT_SKIP] = "skipped",
	};

	json_builder_set_member_name(b, en->scenario);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "runs");
	json_builder_add_int_value(b, tally_runs(en));
	for (int r = 0; r < KDH_RESULT__COUNT; r++) {
		json_builder_set_member_name(b, count_keys[r]);
		json_builder_add_int_value(b, en->counts[r]);
	}
	json_builder_set_member_name(b, "reasons");
	json_builder_begin_object(b);
	for (int r = 0; r < KDH_REASON__COUNT; r++)
		if (en->reasons[r]) {
			json_builder_set_member_name(b, kdh_reason_name(r));
			json_builder_add_int_value(b, en->reasons[r]);
		}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "panic_cpus");
	json_builder_begin_object(b);
	for (guint cpu = 0; cpu < en->panic_cpus->len; cpu++)
		if (g_array_index(en->panic_cpus, int, cpu)) {
			g_autofree char *key = g_strdup_printf("%u", cpu);

			json_builder_set_member_name(b, key);
			json_builder_add_int_value(b, g_array_index(en->panic_cpus, int, cpu));
		}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "by_panic_cpu");
	kdh_tally_table_json(en->table, b);
	json_builder_end_object(b);
}

JsonNode *kdh_tally_json(const struct kdh_tally *t)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	for (guint i = 0; i < t->entries->len; i++)
		tally_entry_json(b, t->entries->pdata[i]);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* libFuzzer harness of the parsers of everything else that comes from outside
 * kdh: scenario and matrix files, night.json and summary.json, crash's output
 * and the agent's protocol lines. The first byte picks the parser, the rest is
 * its input. `make fuzz-inputs` builds it with clang and runs it;
 * tests/test-fuzz-inputs.c replays tests/fuzz/inputs/ under the unit tests. */
#include <stdint.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "kdh-analysis.h"
#include "kdh-config.h"
#include "kdh-crash.h"
#include "kdh-matrix.h"
#include "kdh-night.h"

/* What a matrix's scenarios expand from: a shipped scenario's shape. */
static const char fuzz_scenario[] = "[scenario]\ndescription=d\nvcpus=2\ntrigger=nmi\n"
				    "[expect]\npanic=NMI: Not continuing\n";

static void fuzz_scenario_file(const char *text)
{
	struct kdh_scenario s = { 0 };

	if (kdh_scenario_parse("fuzz", text, &s, NULL))
		kdh_scenario_clear(&s);
}

static void fuzz_matrix_file(const char *text)
{
	struct kdh_matrix m = { 0 };
	g_autoptr(GHashTable) scenarios = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) cases = NULL;

	if (!kdh_matrix_parse("fuzz", text, &m, NULL))
		return;
	for (guint i = 0; m.axes[KDH_AXIS_SCENARIO] && m.axes[KDH_AXIS_SCENARIO][i]; i++)
		g_hash_table_insert(scenarios, m.axes[KDH_AXIS_SCENARIO][i], (gpointer)fuzz_scenario);
	cases = kdh_matrix_expand(&m, scenarios, NULL);
	kdh_matrix_clear(&m);
}

static JsonObject *fuzz_json_object(const char *text, JsonParser *parser)
{
	JsonNode *root;

	if (!json_parser_load_from_data(parser, text, -1, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	return root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
}

static void fuzz_night(const char *text)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *o = fuzz_json_object(text, parser);
	g_autoptr(GPtrArray) earlier = g_ptr_array_new();
	g_autoptr(JsonNode) written = NULL;
	struct kdh_night *night = o ? kdh_night_from_json(o, NULL) : NULL;

	if (!night)
		return;
	kdh_night_exit_code(night);
	g_ptr_array_add(earlier, night);
	kdh_night_compare(night, earlier);
	written = kdh_night_json(night);
	kdh_night_free(night);
}

static void fuzz_summary(const char *text)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *summary = fuzz_json_object(text, parser);
	struct kdh_night_run *run =
		kdh_night_run(summary, 1, "host", 1, "2026-12-03T00:00:00Z", 1.0, "d");

	kdh_night_run_free(run);
}

static void fuzz_crash(const char *text)
{
	struct kdh_crash_report c;

	kdh_crash_report_init(&c);
	kdh_crash_parse(&c, text);
	kdh_crash_panic_cpu(&c);
	kdh_crash_report_clear(&c);
}

static void fuzz_protocol(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	struct kdh_guest_report r;

	kdh_guest_report_init(&r);
	for (char **l = lines; *l; l++) {
		struct kdh_msg msg = { 0 };

		if (kdh_msg_parse(*l, &msg))
			kdh_analysis_guest_report_apply(&r, &msg);
		kdh_msg_clear(&msg);
	}
	kdh_guest_report_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *) = {
		fuzz_scenario_file, fuzz_matrix_file, fuzz_night,
		fuzz_summary,       fuzz_crash,       fuzz_protocol,
	};
	g_autofree char *text = NULL;

	if (size == 0)
		return 0;
	text = g_strndup((const char *)data + 1, size - 1);
	parsers[data[0] % G_N_ELEMENTS(parsers)](text);
	return 0;
}

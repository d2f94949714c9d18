/* Test support: see kdh-test.h. */
#include "kdh-analysis.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kdh-config.h"
#include "kdh-report.h"
#include "kdh-spawn.h"
#include "kdh-test.h"

const char *kdh_test_data_dir(void)
{
	const char *dir = g_getenv("KDH_TEST_DATA");

	return dir ? dir : "tests/data";
}

char *kdh_test_read_sample_len(const char *name, gsize *ret_len)
{
	g_autofree char *path = g_build_filename(kdh_test_data_dir(), name, NULL);
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, ret_len, &error))
		ck_abort_msg("%s", error->message);
	return text;
}

char *kdh_test_read_sample(const char *name)
{
	return kdh_test_read_sample_len(name, NULL);
}

void kdh_test_feed_console(struct kdh_evidence *e, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		kdh_analysis_console_feed_line(e, g_strchomp(*l));
}

void kdh_test_feed_console_raw(struct kdh_evidence *e, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		kdh_analysis_console_feed_line(e, *l);
}

void kdh_test_evidence_from_samples(struct kdh_evidence *e, const char *console_name,
				    const char *dmesg_name)
{
	g_autofree char *console = kdh_test_read_sample(console_name);

	kdh_evidence_init(e);
	kdh_test_feed_console(e, console);
	if (dmesg_name) {
		g_autofree char *dmesg = kdh_test_read_sample(dmesg_name);

		kdh_analysis_panic_log_parse(&e->vmcore_log, dmesg);
		e->vmcore_read = TRUE;
	}
}

void kdh_test_hyperv_run(enum kdh_test_hyperv_run run, struct kdh_evidence *e,
			 struct kdh_verdict *ret, JsonNode **ret_summary)
{
	static const struct {
		const char *console, *dmesg, *extra;
		int vcpus;
	} runs[] = {
		[KDH_TEST_HYPERV_CPU0] = { "console-hyperv-nmi-all-vcpus.log",
					   "vmcore-dmesg-hyperv-nmi-all-vcpus.txt", "", 4 },
		[KDH_TEST_HYPERV_CPU1_GAVE_UP] = {
			"console-hyperv-nmi-panic-cpu1.log", "vmcore-dmesg-hyperv-nmi-panic-cpu1.txt",
			"[  101.000000] hv_vmbus: Continuing even though VMBus UNLOAD did not "
			"complete\n", 2 },
		[KDH_TEST_HYPERV_CAPTURE_DEADLINE] = { "console-hyperv-nmi-panic-cpu1.log", NULL,
						       NULL, 2 },
	};
	g_autofree char *console = kdh_test_read_sample(runs[run].console);
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s;
	struct kdh_expect expect;

	if (!kdh_scenario_load("scenarios/hyperv-nmi-all-vcpus.conf", &s, &error))
		ck_abort_msg("%s", error->message);
	s.vcpus = runs[run].vcpus;
	expect = kdh_scenario_expect(&s);
	kdh_evidence_init(e);
	if (runs[run].dmesg) {
		g_autofree char *dmesg = kdh_test_read_sample(runs[run].dmesg);
		g_autofree char *log = g_strconcat(dmesg, runs[run].extra, NULL);

		kdh_test_feed_console(e, console);
		kdh_analysis_panic_log_parse(&e->vmcore_log, log);
		e->vmcore_read = TRUE;
	} else {
		char *at = strstr(console, "KDH: hello role=capture");

		ck_assert_ptr_nonnull(at);
		*at = '\0';
		kdh_test_feed_console(e, console);
		e->deadline_missed = KDH_STAGE_CAPTURE;
	}
	kdh_verdict_decide(ret, &expect, e);
	if (ret_summary)
		*ret_summary = kdh_report_summary(s.name, &expect, e, ret);
	kdh_scenario_clear(&s);
}

struct kdh_night_run *kdh_test_hyperv_night_run(enum kdh_test_hyperv_run run, int repeat,
						const char *host, const char *dir)
{
	g_autoptr(JsonNode) summary = NULL;
	struct kdh_verdict v = { 0 };
	struct kdh_evidence e;
	struct kdh_night_run *r;

	kdh_test_hyperv_run(run, &e, &v, &summary);
	r = kdh_night_run(json_node_get_object(summary), kdh_verdict_exit_code(&v), host, repeat,
			  "2026-12-04T01:00:00Z", 60.0, dir);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
	return r;
}

/* ---- JSON samples edited in memory ---- */

/* The object at PATH ("a/0/b") below O. */
static JsonObject *test_object_at(JsonObject *o, const char *path)
{
	g_auto(GStrv) steps = g_strsplit(path, "/", -1);
	JsonNode *n = NULL;

	for (char **s = steps; *s && **s; s++) {
		if (g_ascii_isdigit(**s))
			n = json_array_get_element(json_node_get_array(n), atoi(*s));
		else
			n = json_object_get_member(o, *s);
		ck_assert_msg(n != NULL, "no '%s' in '%s'", *s, path);
		if (JSON_NODE_HOLDS_OBJECT(n))
			o = json_node_get_object(n);
	}
	return o;
}

char *kdh_test_json_with(const char *text, const char *path, const char *member,
			 const char *value)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	JsonObject *o;

	ck_assert(json_parser_load_from_data(p, text, -1, NULL));
	o = test_object_at(json_node_get_object(json_parser_get_root(p)), path);
	if (value) {
		g_autoptr(JsonParser) v = json_parser_new();

		ck_assert_msg(json_parser_load_from_data(v, value, -1, NULL), "not JSON: %s", value);
		json_object_set_member(o, member, json_node_copy(json_parser_get_root(v)));
	} else {
		ck_assert_msg(json_object_has_member(o, member), "no member '%s' in '%s'", member,
			      path);
		json_object_remove_member(o, member);
	}
	json_generator_set_root(gen, json_parser_get_root(p));
	return json_generator_to_data(gen, NULL);
}

int kdh_test_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

/* ---- crash output edited in memory ---- */

/* Whether LINE is the bt header of CPU. */
static gboolean bt_header_of(const char *line, int cpu)
{
	g_autofree char *tag = g_strdup_printf("  CPU: %d ", cpu);

	return g_str_has_prefix(line, "PID: ") && strstr(line, tag) && strstr(line, "COMMAND: ");
}

/* TEXT with the backtrace of CPU (its header up to the blank line after it)
 * replaced by the lines of WITH ("": the block dropped, header and all), which
 * must be there once. */
char *kdh_test_replace_backtrace(const char *text, int cpu, const char *with)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	guint found = 0;

	for (char **l = lines; *l; l++) {
		if (!bt_header_of(*l, cpu)) {
			g_string_append_printf(out, "%s%s", *l, l[1] ? "\n" : "");
			continue;
		}
		found++;
		while (l[1] && *l[1])
			l++;
		g_string_append(out, with);
		if (!*with && l[1]) /* and the blank line after it */
			l++;
	}
	ck_assert_msg(found == 1, "%u backtraces of CPU %d", found, cpu);
	return g_string_free(out, FALSE);
}

/* TEXT without the lines in CPU's backtrace that hold NEEDLE; there must be some. */
char *kdh_test_drop_frames(const char *text, int cpu, const char *needle)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	gboolean inside = FALSE;
	guint dropped = 0;

	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix(*l, "PID: "))
			inside = bt_header_of(*l, cpu);
		if (inside && strstr(*l, needle)) {
			dropped++;
			continue;
		}
		g_string_append_printf(out, "%s%s", *l, l[1] ? "\n" : "");
	}
	ck_assert_msg(dropped > 0, "no '%s' in the backtrace of CPU %d", needle, cpu);
	return g_string_free(out, FALSE);
}

/* ---- libvirt XML read back ---- */

void kdh_test_doc_parse(struct kdh_test_doc *d, const char *text)
{
	d->doc = xmlReadMemory(text, strlen(text), "kdh.xml", NULL, XML_PARSE_NONET);
	ck_assert_msg(d->doc, "not well-formed:\n%s", text);
	d->xpath = xmlXPathNewContext(d->doc);
	ck_assert_ptr_nonnull(d->xpath);
	/* The prefix is the tests' own: what counts is the namespace URI. */
	ck_assert_int_eq(xmlXPathRegisterNs(d->xpath, BAD_CAST "q",
					    BAD_CAST "http://libvirt.org/schemas/domain/qemu/1.0"),
			 0);
}

void kdh_test_doc_clear(struct kdh_test_doc *d)
{
	g_clear_pointer(&d->xpath, xmlXPathFreeContext);
	g_clear_pointer(&d->doc, xmlFreeDoc);
}

char *kdh_test_doc_string(struct kdh_test_doc *d, const char *expr)
{
	g_autofree char *wrapped = g_strdup_printf("string(%s)", expr);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST wrapped, d->xpath);
	char *value;

	ck_assert_msg(o && o->type == XPATH_STRING, "bad XPath '%s'", expr);
	value = g_strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return value;
}

int kdh_test_doc_count(struct kdh_test_doc *d, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, d->xpath);
	int n;

	ck_assert_msg(o && o->type == XPATH_NODESET, "bad XPath '%s'", expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

void kdh_test_assert_xpath(struct kdh_test_doc *d, const char *expr, const char *expected)
{
	g_autofree char *value = NULL;

	ck_assert_msg(kdh_test_doc_count(d, expr) == 1, "'%s' selects %d nodes", expr,
		      kdh_test_doc_count(d, expr));
	value = kdh_test_doc_string(d, expr);
	ck_assert_msg(strcmp(value, expected) == 0, "%s is '%s', expected '%s'", expr, value,
		      expected);
}

char *kdh_test_doc_qemu_args(struct kdh_test_doc *d)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(
		BAD_CAST "/domain/q:commandline/q:arg/@value", d->xpath);
	g_autoptr(GString) s = g_string_new(NULL);

	ck_assert(o && o->type == XPATH_NODESET);
	for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		g_string_append_printf(s, "%s%s", i ? " " : "", (const char *)v);
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

void kdh_test_assert_valid(const char *xml, const char *schema)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *output = NULL;
	int fd = g_file_open_tmp("kdh-test-XXXXXX.xml", &path, &error);
	const char *argv[] = { "virt-xml-validate", path, schema, NULL };
	int status = -1;
	gboolean ran, written;

	ck_assert_msg(fd >= 0, "%s", error ? error->message : "-");
	close(fd);
	written = g_file_set_contents(path, xml, -1, &error);
	ran = written && kdh_spawn_sync(argv, 60, &output, &status, &error);
	/* Removed before any check can end the test. */
	g_unlink(path);
	ck_assert_msg(written && ran, "%s", error ? error->message : "-");
	ck_assert_msg(status == 0, "virt-xml-validate %s exited %d:\n%s\n%s", schema, status,
		      output, xml);
}

/* ---- temporary directories ---- */

static char *base_dir;
static char *test_dir;

void kdh_test_tmp_remove(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			kdh_test_tmp_remove(path);
		else
			g_unlink(path);
	}
	g_rmdir(dir);
}

static void base_dir_setup(void)
{
	base_dir = g_dir_make_tmp("kdh-test-XXXXXX", NULL);
	if (!base_dir)
		g_error("cannot make a temporary directory");
}

static void base_dir_teardown(void)
{
	if (base_dir)
		kdh_test_tmp_remove(base_dir);
	g_clear_pointer(&base_dir, g_free);
}

static void test_dir_setup(void)
{
	test_dir = g_build_filename(base_dir, "test-XXXXXX", NULL);
	ck_assert_msg(g_mkdtemp(test_dir) != NULL, "cannot make a directory in '%s'", base_dir);
}

static void test_dir_teardown(void)
{
	if (test_dir)
		kdh_test_tmp_remove(test_dir);
	g_clear_pointer(&test_dir, g_free);
}

void kdh_test_tmp_fixtures(TCase *tc)
{
	tcase_add_unchecked_fixture(tc, base_dir_setup, base_dir_teardown);
	tcase_add_checked_fixture(tc, test_dir_setup, test_dir_teardown);
}

const char *kdh_test_dir(void)
{
	return test_dir;
}

void kdh_test_replay_dir(const char *dir, int (*one)(const uint8_t *data, size_t size))
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	const char *name;
	guint n = 0;

	ck_assert_msg(d, "%s", error ? error->message : "");
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *data = NULL;
		gsize len;

		ck_assert(g_file_get_contents(path, &data, &len, NULL));
		one((const uint8_t *)data, len);
		n++;
	}
	ck_assert_uint_gt(n, 0);
}

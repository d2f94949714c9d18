/* Unit tests of harness/report/junit.c. Verdicts are decided on evidence built from the
 * real samples in tests/data the way the live run builds it (console lines
 * through kdh_analysis_console_feed_line(), the vmcore's log through
 * kdh_analysis_panic_log_parse()); the report is written, read back with libxml2 and
 * validated against tests/data/junit.xsd, the JUnit layout Jenkins and GitLab
 * read. */
#include <string.h>

#include <check.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "kdh-analysis.h"
#include "kdh-config.h"
#include "kdh-junit.h"
#include "kdh-night.h"
#include "kdh-test.h"
#include "kdh-verdict.h"

/* TEXT with its one line that starts with FROM replaced by TO. */
static char *edit(const char *text, const char *from, const char *to)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint found = 0;

	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix(*l, from)) {
			g_free(*l);
			*l = g_strdup(to);
			found++;
		}
	}
	ck_assert_msg(found == 1, "%u lines start with '%s'", found, from);
	return g_strjoinv("\n", lines);
}

/* The shipped scenario's expectations, as `kdh run` takes them. */
struct scenario {
	struct kdh_scenario s;
	struct kdh_expect expect;
};

static void scenario_load(struct scenario *sc, const char *name)
{
	g_autofree char *file = g_strconcat(name, ".conf", NULL);
	g_autofree char *path = g_build_filename("scenarios", file, NULL);
	g_autoptr(GError) error = NULL;

	ck_assert_msg(kdh_scenario_load(path, &sc->s, &error), "%s", error ? error->message : "-");
	sc->expect = kdh_scenario_expect(&sc->s);
}

/* The stage times of a good run of nmi-all-vcpus (README.md's example), as
 * harness/drive/run.c records them; the stages from FIRST_MISSED on not reached. */
static const double good_stages[KDH_STAGE__COUNT] = { 6.4, 1.6, 1.4, 0.0, 4.1, 2.0, 0.1, 1.2, 0.1 };

static void set_stages(struct kdh_evidence *e, enum kdh_stage first_missed)
{
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		e->stage_seconds[s] = s < (int)first_missed ? good_stages[s] : -1;
}

/* One run: evidence from CONSOLE (and DMESG, the vmcore's log, or NULL), judged
 * against SC and added to J as NAME. Returns the verdict's detail: its wording
 * is verdict.c's business, the report only has to carry it. */
static char *add_run(struct kdh_junit *j, const struct scenario *sc, const char *name,
		     const char *console, const char *dmesg, enum kdh_stage first_missed,
		     const char *results_dir, enum kdh_reason want)
{
	char *detail;
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };

	kdh_evidence_init(&e);
	if (console)
		kdh_test_feed_console_raw(&e, console);
	if (dmesg) {
		kdh_analysis_panic_log_parse(&e.vmcore_log, dmesg);
		e.vmcore_read = TRUE;
	}
	/* Where harness/drive/run.c stops: a panic's end, or silence, at this stage. */
	if (first_missed < KDH_STAGE__COUNT)
		e.deadline_missed = first_missed;
	set_stages(&e, first_missed);
	kdh_verdict_decide(&v, &sc->expect, &e);
	ck_assert_str_eq(kdh_reason_name(v.reason), kdh_reason_name(want));
	kdh_junit_add(j, name, &v, &e, results_dir);
	ck_assert_str_ne(v.detail, "");
	detail = g_strdup(v.detail);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
	return detail;
}

/* ---- reading the report back ---- */

static void ignore_xml_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDocPtr read_report(const char *path)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);

	ck_assert_msg(doc != NULL, "'%s' is not well-formed XML", path);
	return doc;
}

static char *xpath_string(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlChar *s;
	char *out;

	ck_assert_msg(obj != NULL, "bad XPath '%s'", expr);
	s = xmlXPathCastToString(obj);
	out = g_strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return out;
}

#define assert_xpath(doc, expr, want)                                                    \
	do {                                                                             \
		g_autofree char *got_ = xpath_string((doc), (expr));                     \
		ck_assert_msg(g_strcmp0(got_, (want)) == 0, "%s: '%s', not '%s'", (expr), \
			      got_, (want));                                             \
	} while (0)

/* The totals, the same on <testsuites> and on its one <testsuite>: TOTALS is
 * "tests failures errors skipped time", as the attributes hold them. */
static void assert_totals(xmlDocPtr doc, const char *totals)
{
	static const char *const at[] = { "/testsuites", "/testsuites/testsuite" };

	for (gsize i = 0; i < G_N_ELEMENTS(at); i++) {
		g_autofree char *expr = g_strdup_printf(
			"concat(%1$s/@tests, ' ', %1$s/@failures, ' ', %1$s/@errors, ' ', "
			"%1$s/@skipped, ' ', %1$s/@time)", at[i]);

		assert_xpath(doc, expr, totals);
	}
}

/* xmlSchemaValidateDoc's answer for DOC: 0 valid, > 0 invalid, < 0 broken. */
static int validate(xmlDocPtr doc)
{
	g_autofree char *xsd = g_build_filename(kdh_test_data_dir(), "junit.xsd", NULL);
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(xsd);
	xmlSchemaPtr schema = xmlSchemaParse(pctx);
	xmlSchemaValidCtxtPtr vctx;
	int rc;

	ck_assert_msg(schema != NULL, "cannot read the schema '%s'", xsd);
	vctx = xmlSchemaNewValidCtxt(schema);
	xmlSchemaSetValidErrors(vctx, (xmlSchemaValidityErrorFunc)ignore_xml_error,
				(xmlSchemaValidityWarningFunc)ignore_xml_error, NULL);
	rc = xmlSchemaValidateDoc(vctx, doc);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	return rc;
}

static void touch(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	ck_assert(g_file_set_contents(path, "x\n", -1, NULL));
}

/* Four runs of nmi-all-vcpus from the real samples, written to DIR/junit.xml:
 * a pass, two failures (kexec-not-loaded, and no-kexec with kexec's report
 * edited to success), a skip (the agent never said hello). The pass's results
 * directory is RESULTS (may be NULL). Returns the report's path; the verdicts'
 * details in RET_DETAILS when that is not NULL. */
static char *write_four_runs(const char *dir, const char *results, GStrv *ret_details)
{
	GPtrArray *details = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *good = kdh_test_read_sample("console-probe-nmi-all-vcpus.log");
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	g_autofree char *broken = kdh_test_read_sample("console-probe-broken-no-crashkernel.log");
	g_autofree char *loaded = edit(broken, "KDH: kexec", "KDH: kexec status=0 loaded=1");
	g_autoptr(GError) error = NULL;
	char *path = g_build_filename(dir, "junit.xml", NULL);
	struct kdh_junit *j = kdh_junit_new("kdh");
	struct scenario sc;

	scenario_load(&sc, "nmi-all-vcpus");
	g_ptr_array_add(details, add_run(j, &sc, "nmi-all-vcpus.1", good, dmesg,
					     KDH_STAGE__COUNT, results, KDH_REASON_OK));
	g_ptr_array_add(details, add_run(j, &sc, "nmi-all-vcpus.2", broken, NULL,
					     KDH_STAGE_KEXEC, NULL, KDH_REASON_KEXEC_NOT_LOADED));
	g_ptr_array_add(details, add_run(j, &sc, "nmi-all-vcpus.3", loaded, NULL,
					     KDH_STAGE_KEXEC, NULL, KDH_REASON_NO_KEXEC));
	g_ptr_array_add(details, add_run(j, &sc, "nmi-all-vcpus.4", NULL, NULL,
					     KDH_STAGE_BOOT, NULL, KDH_REASON_NO_BOOT));
	ck_assert_msg(kdh_junit_write(j, path, &error), "%s", error ? error->message : "-");
	kdh_junit_free(j);
	kdh_scenario_clear(&sc.s);
	g_ptr_array_add(details, NULL);
	if (ret_details)
		*ret_details = (GStrv)g_ptr_array_free(details, FALSE);
	else
		g_ptr_array_free(details, TRUE);
	return path;
}

START_TEST(test_counts)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = write_four_runs(dir, NULL, NULL);
	xmlDocPtr doc = read_report(path);

	assert_xpath(doc, "name(/*)", "testsuites");
	assert_xpath(doc, "count(/testsuites/testsuite)", "1");
	/* 16.9 s for the pass, 9.4 for each failure (boot to trigger), 0 for the skip */
	assert_totals(doc, "4 2 0 1 35.700");
	assert_xpath(doc, "concat(/testsuites/@name, ' ', /testsuites/testsuite/@name)", "kdh kdh");
	assert_xpath(doc, "count(//testcase)", "4");
	assert_xpath(doc, "count(//testcase[@classname='kdh'])", "4");
	assert_xpath(doc, "string(//testcase[1]/@name)", "nmi-all-vcpus.1");
	assert_xpath(doc, "string(//testcase[1]/@time)", "16.900");
	assert_xpath(doc, "string(//testcase[4]/@time)", "0.000");
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_failures_and_skips)
{
	const char *dir = kdh_test_dir();
	g_auto(GStrv) details = NULL;
	g_autofree char *path = write_four_runs(dir, NULL, &details);
	xmlDocPtr doc = read_report(path);

	/* The pass has neither. */
	assert_xpath(doc, "count(//testcase[1]/failure | //testcase[1]/skipped)", "0");
	/* message: the reason's name; text: the verdict's detail */
	assert_xpath(doc, "string(//testcase[2]/failure/@message)", "kexec-not-loaded");
	assert_xpath(doc, "string(//testcase[2]/failure)", details[1]);
	assert_xpath(doc, "string(//testcase[3]/failure/@message)", "no-kexec");
	assert_xpath(doc, "string(//testcase[3]/failure)", details[2]);
	assert_xpath(doc, "count(//testcase[4]/failure)", "0");
	assert_xpath(doc, "string(//testcase[4]/skipped/@message)", "no-boot");
	assert_xpath(doc, "string(//testcase[4]/skipped)", details[3]);
	assert_xpath(doc, "count(//failure)", "2");
	assert_xpath(doc, "count(//skipped)", "1");
	xmlFreeDoc(doc);
}
END_TEST

/* The harness broke under two runs, in the two ways kdh run reports (exit 128
 * and 128+N): libvirt went away after the arm stage, with the run's logs so far
 * in RESULTS; and an interrupt before the next run began, with nothing. Around
 * them a pass and a failure from the real samples. Returns the report's path. */
static char *write_with_errors(const char *dir, const char *results)
{
	g_autofree char *good = kdh_test_read_sample("console-probe-nmi-all-vcpus.log");
	g_autofree char *dmesg = kdh_test_read_sample("vmcore-dmesg-probe-nmi-all-vcpus.txt");
	g_autofree char *broken = kdh_test_read_sample("console-probe-broken-no-crashkernel.log");
	g_autoptr(GError) error = NULL;
	char *path = g_build_filename(dir, "junit.xml", NULL);
	struct kdh_junit *j = kdh_junit_new("kdh");
	struct kdh_evidence e;
	struct scenario sc;

	scenario_load(&sc, "nmi-all-vcpus");
	g_free(add_run(j, &sc, "nmi-all-vcpus.1", good, dmesg, KDH_STAGE__COUNT, NULL,
		       KDH_REASON_OK));
	/* What harness/drive/run.c holds when the connection drops after the probe. */
	kdh_evidence_init(&e);
	kdh_test_feed_console_raw(&e, good);
	set_stages(&e, KDH_STAGE_TRIGGER);
	kdh_junit_add_error(j, "nmi-all-vcpus.2", "lost the connection to libvirt (end of file)",
			    &e, results);
	kdh_evidence_clear(&e);
	g_free(add_run(j, &sc, "nmi-all-vcpus.3", broken, NULL, KDH_STAGE_KEXEC, NULL,
		       KDH_REASON_KEXEC_NOT_LOADED));
	kdh_junit_add_error(j, "nmi-all-vcpus.4", "interrupted by signal 15 (Terminated)", NULL,
			    NULL);
	ck_assert_msg(kdh_junit_write(j, path, &error), "%s", error ? error->message : "-");
	kdh_junit_free(j);
	kdh_scenario_clear(&sc.s);
	return path;
}

START_TEST(test_harness_errors)
{
	const char *dir = kdh_test_dir();
	g_autofree char *results = g_build_filename(dir, "nmi-all-vcpus.2", NULL);
	g_autofree char *path = NULL;
	g_autofree char *log = NULL;
	xmlDocPtr doc;

	ck_assert_int_eq(g_mkdir(results, 0755), 0);
	touch(results, "console-first.log");
	path = write_with_errors(dir, results);
	doc = read_report(path);
	/* An error is neither a failure nor a skip. 16.9 s for the pass, 9.4 each
	 * for the first error (boot to arm) and the failure (boot to trigger), 0
	 * for the interrupt. */
	assert_totals(doc, "4 1 2 0 35.700");
	assert_xpath(doc, "count(//error)", "2");
	assert_xpath(doc, "count(//failure)", "1");
	/* What broke, in the attribute and in the text. */
	assert_xpath(doc, "string(//testcase[2]/error/@message)",
		     "lost the connection to libvirt (end of file)");
	assert_xpath(doc, "string(//testcase[2]/error)",
		     "lost the connection to libvirt (end of file)");
	assert_xpath(doc, "count(//testcase[2]/failure | //testcase[2]/skipped)", "0");
	/* How far it got, and its logs. */
	assert_xpath(doc, "count(//testcase[2]/properties/property)", "3");
	assert_xpath(doc, "string(//testcase[2]/properties/property[3]/@name)", "stage.arm");
	assert_xpath(doc, "string(//testcase[2]/@time)", "9.400");
	log = g_strdup_printf("%s/console-first.log\n", results);
	assert_xpath(doc, "string(//testcase[2]/system-out)", log);
	/* The failure after it is still a failure. */
	assert_xpath(doc, "string(//testcase[3]/failure/@message)", "kexec-not-loaded");
	/* Interrupted before it began: the error alone. */
	assert_xpath(doc, "string(//testcase[4]/@name)", "nmi-all-vcpus.4");
	assert_xpath(doc, "string(//testcase[4]/error/@message)",
		     "interrupted by signal 15 (Terminated)");
	assert_xpath(doc, "string(//testcase[4]/error)", "interrupted by signal 15 (Terminated)");
	assert_xpath(doc, "string(//testcase[4]/@time)", "0.000");
	assert_xpath(doc, "count(//testcase[4]/properties | //testcase[4]/system-out)", "0");
	ck_assert_int_eq(validate(doc), 0);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_stage_properties)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = write_four_runs(dir, NULL, NULL);
	xmlDocPtr doc = read_report(path);

	/* Every stage of the pass, in order, in seconds. */
	assert_xpath(doc, "count(//testcase[1]/properties/property)", "9");
	assert_xpath(doc, "string(//testcase[1]/properties/property[1]/@name)", "stage.boot");
	assert_xpath(doc, "string(//testcase[1]/properties/property[1]/@value)", "6.400");
	assert_xpath(doc, "string(//testcase[1]/properties/property[@name='stage.kexec']/@value)",
		     "4.100");
	assert_xpath(doc, "string(//testcase[1]/properties/property[9]/@name)", "stage.bye");
	/* Only the stages a failure reached: boot, load, arm, trigger. */
	assert_xpath(doc, "count(//testcase[2]/properties/property)", "4");
	assert_xpath(doc, "string(//testcase[2]/properties/property[4]/@name)", "stage.trigger");
	assert_xpath(doc, "count(//testcase[2]/properties/property[@name='stage.kexec'])", "0");
	/* A run that reached no stage has no <properties> at all. */
	assert_xpath(doc, "count(//testcase[4]/properties)", "0");
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_system_out_lists_logs)
{
	const char *dir = kdh_test_dir();
	g_autofree char *results = g_build_filename(dir, "nmi-all-vcpus", NULL);
	g_autofree char *sub = g_build_filename(results, "not-a-log", NULL);
	g_autofree char *path = NULL;
	g_autofree char *want = NULL;
	xmlDocPtr doc;

	ck_assert_int_eq(g_mkdir_with_parents(sub, 0755), 0);
	touch(results, "summary.json");
	touch(results, "console-first.log");
	touch(results, "vmcore-dmesg.txt");
	touch(results, "console-capture.log");
	path = write_four_runs(dir, results, NULL);
	doc = read_report(path);
	/* The run's files, sorted, one a line; not its subdirectories. */
	want = g_strdup_printf("%s/console-capture.log\n%s/console-first.log\n"
			       "%s/summary.json\n%s/vmcore-dmesg.txt\n",
			       results, results, results, results);
	assert_xpath(doc, "string(//testcase[1]/system-out)", want);
	/* No results directory: no system-out. */
	assert_xpath(doc, "count(//testcase[2]/system-out)", "0");
	ck_assert_int_eq(validate(doc), 0);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_missing_results_dir)
{
	const char *dir = kdh_test_dir();
	g_autofree char *gone = g_build_filename(dir, "never-made", NULL);
	g_autofree char *path = write_four_runs(dir, gone, NULL);
	xmlDocPtr doc = read_report(path);

	/* Not an error: the testcase just lists nothing. */
	assert_xpath(doc, "count(//system-out)", "0");
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_valid_against_schema)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = write_four_runs(dir, dir, NULL);
	xmlDocPtr doc = read_report(path);

	ck_assert_int_eq(validate(doc), 0);
	xmlFreeDoc(doc);
}
END_TEST

/* DOC's first node matching EXPR. */
static xmlNodePtr find(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlNodePtr node;

	ck_assert_msg(obj && obj->nodesetval && obj->nodesetval->nodeNr > 0, "no '%s'", expr);
	node = obj->nodesetval->nodeTab[0];
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return node;
}

/* The schema must be able to say no: each of these breaks of a valid report
 * fails validation. */
START_TEST(test_schema_rejects_wrong_documents)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = write_four_runs(dir, dir, NULL);
	xmlDocPtr good = read_report(path);
	enum { NO_TESTS, WORDS_FOR_COUNT, NEGATIVE_TIME, FAILURE_IN_SUITE, NO_NAME,
	       UNKNOWN_ELEMENT, TWO_OUTCOMES, N_BREAKS };

	ck_assert_int_eq(validate(good), 0);
	for (int b = 0; b < N_BREAKS; b++) {
		xmlDocPtr doc = xmlCopyDoc(good, 1);
		xmlNodePtr suite = find(doc, "/testsuites/testsuite");
		xmlNodePtr tc = find(doc, "//testcase[1]");

		switch (b) {
		case NO_TESTS:
			xmlUnsetProp(suite, BAD_CAST "tests");
			break;
		case WORDS_FOR_COUNT:
			xmlSetProp(suite, BAD_CAST "failures", BAD_CAST "two");
			break;
		case NEGATIVE_TIME:
			xmlSetProp(tc, BAD_CAST "time", BAD_CAST "-1.000");
			break;
		case FAILURE_IN_SUITE:
			xmlNewTextChild(suite, NULL, BAD_CAST "failure", BAD_CAST "lost");
			break;
		case NO_NAME:
			xmlUnsetProp(tc, BAD_CAST "name");
			break;
		case UNKNOWN_ELEMENT:
			xmlNewTextChild(tc, NULL, BAD_CAST "verdict", BAD_CAST "pass");
			break;
		case TWO_OUTCOMES:
			/* a skipped testcase that also failed */
			xmlAddPrevSibling(find(doc, "//testcase[4]/skipped"),
					  xmlNewNode(NULL, BAD_CAST "failure"));
			break;
		}
		ck_assert_msg(validate(doc) > 0, "break %d validated", b);
		xmlFreeDoc(doc);
	}
	xmlFreeDoc(good);
}
END_TEST

START_TEST(test_hostile_text)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = g_build_filename(dir, "junit.xml", NULL);
	g_autoptr(GError) error = NULL;
	struct kdh_junit *j = kdh_junit_new("kdh <suite> & \"co\"");
	/* What a console can put into a detail: markup, a terminal's escape,
	 * bytes that are not UTF-8. */
	struct kdh_verdict v = { KDH_RESULT_FAIL, KDH_REASON_KERNEL_COMPLAINED, KDH_STAGE__COUNT,
				 (char *)"BUG at <mm/slub.c:42> & \"x\" \x1b[31mred\x1b[0m \xff\xfe end" };
	struct kdh_evidence e;
	xmlDocPtr doc;

	kdh_evidence_init(&e);
	kdh_junit_add(j, "a]]>b</testcase>", &v, &e, NULL);
	/* An error's message can quote a URI or a path the user gave. */
	kdh_junit_add_error(j, "err", "cannot connect to 'qemu+ssh://<h>&x/' \x1b[1m\xff", NULL, NULL);
	ck_assert_msg(kdh_junit_write(j, path, &error), "%s", error ? error->message : "-");
	kdh_junit_free(j);
	kdh_evidence_clear(&e);

	doc = read_report(path);
	assert_xpath(doc, "string(/testsuites/@name)", "kdh <suite> & \"co\"");
	assert_xpath(doc, "string(//testcase/@name)", "a]]>b</testcase>");
	assert_xpath(doc, "string(//failure/@message)", "kernel-complained");
	/* Text kept, markup escaped; what XML cannot hold replaced by U+FFFD. */
	assert_xpath(doc, "string(//failure)",
		     "BUG at <mm/slub.c:42> & \"x\" \xef\xbf\xbd[31mred\xef\xbf\xbd[0m "
		     "\xef\xbf\xbd\xef\xbf\xbd end");
	assert_xpath(doc, "string(//error/@message)",
		     "cannot connect to 'qemu+ssh://<h>&x/' \xef\xbf\xbd[1m\xef\xbf\xbd");
	assert_xpath(doc, "string(//error)",
		     "cannot connect to 'qemu+ssh://<h>&x/' \xef\xbf\xbd[1m\xef\xbf\xbd");
	assert_xpath(doc, "count(//testcase)", "2");
	ck_assert_int_eq(validate(doc), 0);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_empty_report)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = g_build_filename(dir, "junit.xml", NULL);
	struct kdh_junit *j = kdh_junit_new("kdh");
	xmlDocPtr doc;

	ck_assert(kdh_junit_write(j, path, NULL));
	kdh_junit_free(j);
	kdh_junit_free(NULL);
	doc = read_report(path);
	assert_xpath(doc, "string(/testsuites/testsuite/@tests)", "0");
	assert_xpath(doc, "string(/testsuites/testsuite/@time)", "0.000");
	ck_assert_int_eq(validate(doc), 0);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_write_error)
{
	const char *dir = kdh_test_dir();
	g_autofree char *path = g_build_filename(dir, "no-such-dir", "junit.xml", NULL);
	g_autoptr(GError) error = NULL;
	struct kdh_junit *j = kdh_junit_new("kdh");

	ck_assert(!kdh_junit_write(j, path, &error));
	ck_assert_ptr_nonnull(error);
	/* The message names the file. */
	ck_assert_ptr_nonnull(strstr(error->message, "junit.xml"));
	ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
	kdh_junit_free(j);
}
END_TEST

/* A real night (tests/data/night-e2e.json: a case that passed twice, one whose
 * 16 MiB crashkernel failed twice) plus a run that broke: a testcase per run. */
START_TEST(test_night)
{
	g_autofree char *sample = g_build_filename(kdh_test_data_dir(), "night-e2e.json", NULL);
	g_autofree char *path = g_build_filename(kdh_test_dir(), "junit.xml", NULL);
	struct kdh_night *night = kdh_night_load(sample, NULL);
	const char *broken = "nmi-all-vcpus/default/virtio/vcpus=2/memory-mib=1024/"
			     "crashkernel=256M/kexec=kexec_load";
	struct kdh_junit *j = kdh_junit_new("e2e");
	xmlDocPtr doc;

	ck_assert(night != NULL);
	ck_assert(kdh_night_add_run(night, broken,
				    kdh_night_run(NULL, 143, "qemu:///system", 3, "", 1.0, "x")));
	kdh_junit_add_night(j, night, "nights/n1");
	kdh_night_free(night);
	ck_assert(kdh_junit_write(j, path, NULL));
	kdh_junit_free(j);
	doc = read_report(path);
	/* the stages of the four runs that ran: 112.581 s */
	assert_totals(doc, "5 2 1 0 112.581");
	assert_xpath(doc, "string(//testcase[1]/@name)", "nmi-all-vcpus/default/virtio/vcpus=2/"
		     "memory-mib=1024/crashkernel=256M/kexec=kexec_load #1");
	/* a case's runs together, the one that broke after the others */
	assert_xpath(doc, "string(//testcase[3]/@name)", "nmi-all-vcpus/default/virtio/vcpus=2/"
		     "memory-mib=1024/crashkernel=256M/kexec=kexec_load #3");
	assert_xpath(doc, "string(//testcase[3]/error/@message)", "kdh run exited 143: see kdh-run.log");
	assert_xpath(doc, "count(//testcase[3]/properties)", "0");
	assert_xpath(doc, "string(//testcase[4]/failure/@message)", "kexec-not-loaded");
	assert_xpath(doc, "string(//testcase[4]/failure)",
		     "capture kernel not loaded: kexec status 1, kexec_crash_loaded=0");
	assert_xpath(doc, "string(//testcase[4]/properties/property[2]/@name)", "stage.load");
	ck_assert_int_eq(validate(doc), 0);
	xmlFreeDoc(doc);
}
END_TEST

/* A run result JUnit does not know (a night built wrong in memory: one read
 * from a file is checked) is an error, never a pass. */
START_TEST(test_night_unknown_result)
{
	g_autofree char *path = g_build_filename(kdh_test_dir(), "junit.xml", NULL);
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_case_free);
	struct kdh_case *c = g_new0(struct kdh_case, 1);
	const int planned[] = { 1 };
	struct kdh_junit *j = kdh_junit_new("n");
	struct kdh_night *night;
	struct kdh_night_run *run = kdh_night_run(NULL, 0, NULL, 1, NULL, 0, "d");
	xmlDocPtr doc;

	c->id = g_strdup("a");
	g_ptr_array_add(cases, c);
	night = kdh_night_new("n", "m", "1/1", "", cases, 1, planned);
	/* a case's status, no run's result */
	run->result = KDH_NIGHT_FLAKY;
	g_free(run->detail);
	run->detail = g_strdup("what");
	ck_assert(kdh_night_add_run(night, "a", run));
	kdh_junit_add_night(j, night, "n1");
	kdh_night_free(night);
	ck_assert(kdh_junit_write(j, path, NULL));
	kdh_junit_free(j);
	doc = read_report(path);
	assert_xpath(doc, "count(//testcase)", "1");
	assert_xpath(doc, "string(//testcase[1]/error/@message)", "what");
	xmlFreeDoc(doc);
}
END_TEST

static Suite *junit_suite(void)
{
	Suite *s = suite_create("junit");
	TCase *tc;

	tc = tcase_create("report");
	kdh_test_tmp_fixtures(tc);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_failures_and_skips);
	tcase_add_test(tc, test_harness_errors);
	tcase_add_test(tc, test_stage_properties);
	tcase_add_test(tc, test_system_out_lists_logs);
	tcase_add_test(tc, test_missing_results_dir);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_empty_report);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_night);
	tcase_add_test(tc, test_night_unknown_result);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	kdh_test_tmp_fixtures(tc);
	tcase_add_test(tc, test_valid_against_schema);
	tcase_add_test(tc, test_schema_rejects_wrong_documents);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	/* Parse errors of the broken documents are expected: not on stderr. */
	xmlSetGenericErrorFunc(NULL, ignore_xml_error);
	return kdh_test_run(junit_suite());
}

/* Unit tests of harness/report/html-report.c and `kdh report`. The night is the
 * hand-made tests/data/night-2x2x2.json (2 kernels x 2 vCPU counts x 2 repeats,
 * a flaky case, a failing one, a comparison, 4 nights of history); variants
 * are edited in memory. Every page is written with kdh_html_report_write(),
 * read back with libxml2's HTML parser and checked against the night it came
 * from. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib/gstdio.h>
#include <libxml/HTMLparser.h>

#include "kdh-cli.h"
#include "kdh-evidence.h"
#include "kdh-html-report.h"
#include "kdh-night.h"
#include "kdh-test.h"

#define SAMPLE "night-2x2x2.json"

/* What `kdh run` leaves in a run's directory (harness/drive/run.c, harness/cli/cmd-run.c). */
static const char *const run_files[] = { "summary.json", "console-first.log", "console-capture.log",
					 "vmcore-dmesg.txt", "makedumpfile.log" };

static JsonNode *night_load(void)
{
	g_autofree char *text = kdh_test_read_sample(SAMPLE);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;

	ck_assert_msg(json_parser_load_from_data(parser, text, -1, &error), "%s",
		      error ? error->message : "-");
	return json_node_copy(json_parser_get_root(parser));
}

/* Each test's night, the sample as read, and its page (report.html in the
 * test's directory) read back. */
static JsonNode *root;
static JsonObject *night;
static struct kdh_test_doc d;

static JsonObject *case_of(guint i)
{
	return json_array_get_object_element(json_object_get_array_member(night, "cases"), i);
}

static guint case_count(void)
{
	return json_array_get_length(json_object_get_array_member(night, "cases"));
}

static JsonObject *run_of(guint i, guint j)
{
	return json_array_get_object_element(json_object_get_array_member(case_of(i), "runs"), j);
}

/* The first case whose status is STATUS; there must be one. */
static guint case_with_status(const char *status)
{
	for (guint i = 0; i < case_count(); i++)
		if (g_str_equal(json_object_get_string_member(case_of(i), "status"), status))
			return i;
	ck_abort_msg("no %s case in the sample", status);
	return 0;
}

/* N's page written into the test's directory as NAME, read back into DOC. */
static void render_night(const struct kdh_night *n, const char *name, struct kdh_test_doc *doc)
{
	g_autofree char *path = g_build_filename(kdh_test_dir(), name, NULL);
	g_autoptr(GError) error = NULL;

	ck_assert_msg(kdh_html_report_write(n, path, &error), "%s", error ? error->message : "-");
	doc->doc =
	    htmlReadFile(path, NULL, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	ck_assert_msg(doc->doc, "'%s' does not parse as HTML", path);
	doc->xpath = xmlXPathNewContext(doc->doc);
	ck_assert_ptr_nonnull(doc->xpath);
}

/* The night N (night.json's object, edited in memory), read as kdh reads a
 * night.json, and its page as render_night(). */
static void render(JsonObject *n, const char *name, struct kdh_test_doc *doc)
{
	g_autoptr(GError) error = NULL;
	struct kdh_night *night = kdh_night_from_json(n, &error);

	ck_assert_msg(night != NULL, "%s", error ? error->message : "-");
	render_night(night, name, doc);
	kdh_night_free(night);
}

static void night_setup(void)
{
	root = night_load();
	night = json_node_get_object(root);
	render(night, "report.html", &d);
}

static void night_teardown(void)
{
	kdh_test_doc_clear(&d);
	g_clear_pointer(&root, json_node_unref);
	night = NULL;
}

static char *G_GNUC_PRINTF(2, 3) xstr(struct kdh_test_doc *doc, const char *format, ...)
{
	g_autofree char *expr = NULL;
	va_list ap;

	va_start(ap, format);
	expr = g_strdup_vprintf(format, ap);
	va_end(ap);
	return kdh_test_doc_string(doc, expr);
}

static int G_GNUC_PRINTF(2, 3) xcount(struct kdh_test_doc *doc, const char *format, ...)
{
	g_autofree char *expr = NULL;
	va_list ap;

	va_start(ap, format);
	expr = g_strdup_vprintf(format, ap);
	va_end(ap);
	return kdh_test_doc_count(doc, expr);
}

static double xnum(struct kdh_test_doc *doc, const char *expr)
{
	g_autofree char *s = kdh_test_doc_string(doc, expr);
	char *end;
	double v = g_ascii_strtod(s, &end);

	ck_assert_msg(*s && !*end, "%s is '%s', not a number", expr, s);
	return v;
}

/* Every case has one cell in the grid, in its kernel's column and its vCPUs'
 * row, with its status as class and word, its runs passed of those asked for,
 * and a link to the section of that case. */
START_TEST(test_grid)
{
	ck_assert_int_eq(xcount(&d, "//table[@class='grid']//td[contains(@class,'cell')]"),
			 case_count());
	for (guint i = 0; i < case_count(); i++) {
		JsonObject *c = case_of(i);
		const char *status = json_object_get_string_member(c, "status");
		g_autofree char *cell =
		    g_strdup_printf("//table[@class='grid']//td[a/@href='#case-%u']", i + 1);
		g_autofree char *class = xstr(&d, "%s/@class", cell);
		g_autofree char *word = xstr(&d, "%s//span[@class='word']", cell);
		g_autofree char *count = xstr(&d, "%s//span[@class='count']", cell);
		g_autofree char *want_class = g_strdup_printf("cell status-%s", status);
		g_autofree char *want_count =
		    g_strdup_printf("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " passed",
				    json_object_get_int_member(c, "passed"),
				    json_object_get_int_member(c, "repeat"));
		g_autofree char *kernel_col = xstr(
		    &d, "count(//table[@class='grid']/thead/tr/th[.='%s']/preceding-sibling::th)",
		    json_object_get_string_member(json_object_get_object_member(c, "axes"), "kernel"));
		g_autofree char *cell_col = xstr(&d, "count(%s/preceding-sibling::*)", cell);
		g_autofree char *vcpus = xstr(&d, "%s/../th[2]", cell);
		g_autofree char *want_vcpus = g_strdup(
		    json_object_get_string_member(json_object_get_object_member(c, "axes"), "vcpus"));
		g_autofree char *heading = xstr(&d, "//section[@id='case-%u']/h3/code", i + 1);

		ck_assert_int_eq(xcount(&d, "%s", cell), 1);
		ck_assert_str_eq(class, want_class);
		ck_assert_str_eq(word, status);
		ck_assert_str_eq(count, want_count);
		ck_assert_str_eq(cell_col, kernel_col);
		/* The vCPU count varies in the sample: a column of its own after the scenario. */
		ck_assert_str_eq(vcpus, want_vcpus);
		ck_assert_str_eq(heading, json_object_get_string_member(c, "id"));
	}
	/* The axes that are the same for every case are said once. */
	ck_assert_int_eq(xcount(&d, "//table[@class='grid']/thead/tr/th"), 2 + 2);
}
END_TEST

/* The flaky case says so, in the grid and its section, and lists why its
 * failed run failed. */
START_TEST(test_flaky)
{
	guint i = case_with_status("flaky");
	g_autofree char *badge = NULL, *reason = NULL, *count = NULL, *run_reason = NULL;

	badge = xstr(&d, "//section[@id='case-%u']/h3/span[contains(@class,'badge')]", i + 1);
	ck_assert_str_eq(badge, "flaky");
	ck_assert_int_eq(
	    xcount(&d, "//section[@id='case-%u']/h3/span[@class='badge status-flaky']", i + 1), 1);
	ck_assert_int_eq(xcount(&d, "//section[@id='case-%u']//ul[@class='reasons']/li", i + 1), 1);
	reason = xstr(&d, "//section[@id='case-%u']//ul[@class='reasons']/li/code", i + 1);
	count =
	    xstr(&d, "normalize-space(//section[@id='case-%u']//ul[@class='reasons']/li)", i + 1);
	ck_assert_str_eq(reason, "deadline");
	ck_assert_str_eq(count, "deadline × 1");
	/* And the run that failed, with its reason, among the runs. */
	run_reason =
	    xstr(&d, "//section[@id='case-%u']//table[@class='runs']/tbody/tr[2]/td[3]", i + 1);
	ck_assert_str_eq(run_reason, "deadline");
}
END_TEST

/* A stage's name in night.json and in the page: the run's stages, then analysis. */
static const char *stage_name(int s)
{
	return s < KDH_STAGE__COUNT ? kdh_stage_name(s) : "analysis";
}

static gboolean stage_seconds(JsonObject *run, int s, double *ret)
{
	JsonObject *o = s < KDH_STAGE__COUNT ? json_object_get_object_member(run, "stages") : run;
	JsonNode *n = json_object_get_member(o, stage_name(s));

	if (JSON_NODE_HOLDS_NULL(n))
		return FALSE;
	*ret = json_node_get_double(n);
	return TRUE;
}

/* A timeline per case, a bar per run; each bar a segment per stage reached, in
 * order, starting where the previous one ends, as wide as the stage's seconds
 * on one scale for the whole night; no segment for a stage not reached. */
START_TEST(test_timelines)
{
	double scale = 0;
	guint missing = 0;

	for (guint i = 0; i < case_count(); i++) {
		JsonArray *runs = json_object_get_array_member(case_of(i), "runs");
		g_autofree char *svg =
		    g_strdup_printf("//section[@id='case-%u']//svg[@class='timeline']", i + 1);

		ck_assert_int_eq(xcount(&d, "%s", svg), 1);
		ck_assert_int_eq(xcount(&d, "%s/g[@class='run']", svg),
				 json_array_get_length(runs));
		for (guint j = 0; j < json_array_get_length(runs); j++) {
			JsonObject *run = run_of(i, j);
			double end = -1;

			for (int s = 0; s < KDH_STAGE__COUNT + 1; s++) {
				g_autofree char *rect = g_strdup_printf(
				    "%s/g[@class='run'][%u]/rect[@class='stage stage-%s']", svg,
				    j + 1, stage_name(s));
				g_autofree char *x = g_strdup_printf("%s/@x", rect);
				g_autofree char *w = g_strdup_printf("%s/@width", rect);
				double seconds;

				if (!stage_seconds(run, s, &seconds)) {
					ck_assert_int_eq(xcount(&d, "%s", rect), 0);
					missing++;
					continue;
				}
				ck_assert_int_eq(xcount(&d, "%s", rect), 1);
				if (scale == 0)
					scale = xnum(&d, w) / seconds;
				ck_assert_double_eq_tol(xnum(&d, w), seconds * scale, 0.011);
				if (end >= 0)
					ck_assert_double_eq_tol(xnum(&d, x), end, 0.011);
				end = xnum(&d, x) + xnum(&d, w);
			}
		}
	}
	/* The flaky case's failed run stopped after kexec: the sample has such stages. */
	ck_assert_uint_gt(missing, 0);
}
END_TEST

/* Every link resolves: in-page ones to an element with that id, the others to
 * a file beside the page, in the run directories night.json names. */
START_TEST(test_links)
{
	const char *dir = kdh_test_dir();
	g_autofree char *json_path = g_build_filename(dir, "night.json", NULL);
	xmlXPathObjectPtr hrefs;
	guint runs = 0;

	ck_assert(g_file_set_contents(json_path, "{}", -1, NULL));
	for (guint i = 0; i < case_count(); i++)
		for (guint j = 0;
		     j < json_array_get_length(json_object_get_array_member(case_of(i), "runs"));
		     j++) {
			const char *run_dir = json_object_get_string_member(run_of(i, j), "dir");
			g_autofree char *path = g_build_filename(dir, run_dir, NULL);

			ck_assert_int_eq(g_mkdir_with_parents(path, 0700), 0);
			for (gsize f = 0; f < G_N_ELEMENTS(run_files); f++) {
				g_autofree char *file = g_build_filename(path, run_files[f], NULL);

				ck_assert(g_file_set_contents(file, "x\n", -1, NULL));
			}
			runs++;
		}
	for (guint i = 0; i < case_count(); i++)
		for (guint j = 0;
		     j < json_array_get_length(json_object_get_array_member(case_of(i), "runs"));
		     j++) {
			const char *run_dir = json_object_get_string_member(run_of(i, j), "dir");

			ck_assert_int_eq(
			    xcount(&d, "//section[@id='case-%u']//a[@href='%s/']", i + 1, run_dir),
			    1);
			ck_assert_int_eq(
			    xcount(&d, "//section[@id='case-%u']//a[@href='%s/summary.json']",
				   i + 1, run_dir),
			    1);
		}
	/* Self-contained: nothing to fetch, nothing to run. */
	ck_assert_int_eq(xcount(&d, "//script|//link|//img|//iframe|//object|//@src"), 0);
	hrefs = xmlXPathEvalExpression(BAD_CAST "//a/@href", d.xpath);
	ck_assert_int_gt(hrefs->nodesetval->nodeNr, (int)(runs * G_N_ELEMENTS(run_files)));
	for (int k = 0; k < hrefs->nodesetval->nodeNr; k++) {
		xmlChar *href = xmlNodeGetContent(hrefs->nodesetval->nodeTab[k]);
		const char *h = (const char *)href;

		if (h[0] == '#') {
			ck_assert_msg(xcount(&d, "//*[@id='%s']", h + 1) == 1, "no id for '%s'", h);
		} else {
			g_autofree char *name = g_uri_unescape_string(h, NULL);
			g_autofree char *path = g_build_filename(dir, name, NULL);

			ck_assert_msg(!strstr(h, "://") && !g_path_is_absolute(h),
				      "'%s' is not relative", h);
			ck_assert_msg(g_file_test(path, G_FILE_TEST_EXISTS), "'%s' leads nowhere",
				      h);
		}
		xmlFree(href);
	}
	xmlXPathFreeObject(hrefs);
}
END_TEST

/* Text that means something in HTML comes out as text: the page has the same
 * elements as with a plain detail, and the detail reads as it was (a terminal
 * escape, which no HTML may hold, as U+FFFD). */
START_TEST(test_hostile_text)
{
	static const char hostile[] = "</td></tr></table><script>alert(\"x&y\")</script>"
				      "<b>'q'</b> &amp; \x1b[31m";
	static const char shown[] = "</td></tr></table><script>alert(\"x&y\")</script>"
				    "<b>'q'</b> &amp; \xef\xbf\xbd[31m";
	guint i = case_with_status("flaky");
	struct kdh_test_doc plain = { 0 }, d = { 0 };
	g_autofree char *detail = NULL;
	int elements;

	json_object_set_string_member(run_of(i, 1), "detail", "plain");
	render(night, "plain.html", &plain);
	elements = kdh_test_doc_count(&plain, "//*");
	json_object_set_string_member(run_of(i, 1), "detail", hostile);
	render(night, "hostile.html", &d);
	ck_assert_int_eq(kdh_test_doc_count(&d, "//*"), elements);
	ck_assert_int_eq(kdh_test_doc_count(&d, "//script"), 0);
	detail = xstr(
	    &d, "//section[@id='case-%u']//table[@class='runs']/tbody/tr[2]/td[@class='detail']",
	    i + 1);
	ck_assert_str_eq(detail, shown);
	kdh_test_doc_clear(&plain);
	kdh_test_doc_clear(&d);
}
END_TEST

/* What changed since the previous night, each case linked to its section. */
START_TEST(test_comparison)
{
	g_autofree char *heading = NULL, *fixed = NULL, *then = NULL, *now = NULL, *change = NULL;

	heading = xstr(&d, "//section[@id='comparison']/h2");
	ck_assert_str_eq(heading, "Since night 20261125-020000");
	/* new failures: the flaky and the failing case (3 and 4), fixed: case 2 */
	ck_assert_int_eq(xcount(&d, "//section[@id='comparison']/ul[1]/li"), 2);
	ck_assert_int_eq(xcount(&d, "//section[@id='comparison']/ul[1]/li/a[@href='#case-3']"), 1);
	ck_assert_int_eq(xcount(&d, "//section[@id='comparison']/ul[1]/li/a[@href='#case-4']"), 1);
	ck_assert_int_eq(xcount(&d, "//section[@id='comparison']/ul[2]/li"), 1);
	fixed = xstr(&d, "//section[@id='comparison']/ul[2]/li/a/@href");
	ck_assert_str_eq(fixed, "#case-2");
	ck_assert_int_eq(xcount(&d, "//section[@id='comparison']//tbody/tr"), 1);
	ck_assert_int_eq(
	    xcount(&d, "//section[@id='comparison']//tbody/tr/td[1]/a[@href='#case-1']"), 1);
	then = xstr(&d, "//section[@id='comparison']//tbody/tr/td[3]");
	now = xstr(&d, "//section[@id='comparison']//tbody/tr/td[4]");
	change = xstr(&d, "//section[@id='comparison']//tbody/tr/td[5]");
	ck_assert_str_eq(then, "6.4 s");
	ck_assert_str_eq(now, "9.7 s");
	ck_assert_str_eq(change, "+3.3 s (+52%)");
}
END_TEST

/* The panicking CPUs of a case, every vCPU shown; whether a CPU other than
 * the boot CPU ever panicked. */
START_TEST(test_panic_cpus)
{
	guint flaky = case_with_status("flaky");
	g_autofree char *counts = NULL, *note = NULL, *note1 = NULL, *flaky_counts = NULL;
	g_autofree char *flaky_note = NULL;

	/* case 2: 4 vCPUs, panics on CPUs 1 and 3 */
	ck_assert_int_eq(xcount(&d, "//section[@id='case-2']//table[@class='cpus']/tr[1]/th"),
			 1 + 4);
	/* normalize-space: the HTML writer may break the line after a bar. */
	counts = xstr(
	    &d, "concat(normalize-space(//section[@id='case-2']//table[@class='cpus']/tr[2]/"
		"td[1]), ',',"
		"normalize-space(//section[@id='case-2']//table[@class='cpus']/tr[2]/td[2]), ',',"
		"normalize-space(//section[@id='case-2']//table[@class='cpus']/tr[2]/td[3]), ',',"
		"normalize-space(//section[@id='case-2']//table[@class='cpus']/tr[2]/td[4]))");
	ck_assert_str_eq(counts, "0,1,0,1");
	note = xstr(&d, "//section[@id='case-2']//table[@class='cpus']/following-sibling::p[1]");
	ck_assert_msg(strstr(note, "other than the boot CPU (0) panicked in 2 of the 2 runs"), "%s",
		      note);
	/* case 1: panics on CPUs 0 and 1 */
	note1 = xstr(&d, "//section[@id='case-1']//table[@class='cpus']/following-sibling::p[1]");
	ck_assert_msg(strstr(note1, "other than the boot CPU (0) panicked in 1 of the 2 runs"),
		      "%s", note1);
	/* the flaky case: 2 vCPUs, its one panic (the other run left no vmcore) on CPU 0 */
	ck_assert_int_eq(
	    xcount(&d, "//section[@id='case-%u']//table[@class='cpus']/tr[1]/th", flaky + 1),
	    1 + 2);
	flaky_counts =
	    xstr(&d,
		 "concat(normalize-space(//section[@id='case-%u']//table[@class='cpus']/tr[2]/"
		 "td[1]), ',',"
		 "normalize-space(//section[@id='case-%u']//table[@class='cpus']/tr[2]/td[2]))",
		 flaky + 1, flaky + 1);
	ck_assert_str_eq(flaky_counts, "1,0");
	flaky_note =
	    xstr(&d, "//section[@id='case-%u']//table[@class='cpus']/following-sibling::p[1]",
		 flaky + 1);
	ck_assert_msg(strstr(flaky_note, "no run covered a panic on another CPU"), "%s",
		      flaky_note);
}
END_TEST

/* The column of table BY (an XPath) headed by RESULT's badge and REASON:
 * its position (1-based), 0 when there is none. */
static int by_cpu_column(struct kdh_test_doc *doc, const char *by, const char *result,
			 const char *reason)
{
	g_autofree char *th = g_strdup_printf("%s/thead/tr/th[span[contains(@class,'badge')]='%s'"
					      "][code='%s']",
					      by, result, reason);
	g_autofree char *before = NULL;

	if (xcount(doc, "%s", th) != 1)
		return 0;
	before = xstr(doc, "count(%s/preceding-sibling::th)", th);
	return atoi(before) + 1;
}

/* The page's table of results by panic CPU says what night.json's
 * "by_panic_cpu" says, for every case: a row per CPU in its order, each
 * outcome's runs in the column of its result and reason, coloured by the
 * result, and the row's runs; nothing else. */
static void assert_by_cpu_as_json(struct kdh_test_doc *doc, const struct kdh_night *n)
{
	g_autoptr(JsonNode) json = kdh_night_json(n);
	JsonArray *cases = json_object_get_array_member(json_node_get_object(json), "cases");

	for (guint i = 0; i < json_array_get_length(cases); i++) {
		JsonObject *by = json_object_get_object_member(json_array_get_object_element(cases, i),
							       "by_panic_cpu");
		g_autoptr(GList) cpus = json_object_get_members(by);
		g_autofree char *table =
		    g_strdup_printf("//section[@id='case-%u']//table[@class='by-cpu']", i + 1);
		guint k = 1, cells = 0;

		ck_assert_int_eq(xcount(doc, "%s", table), cpus != NULL);
		ck_assert_int_eq(xcount(doc, "%s/tbody/tr", table), g_list_length(cpus));
		for (GList *c = cpus; c; c = c->next, k++) {
			JsonObject *row = json_object_get_object_member(by, c->data);
			JsonArray *outcomes = json_object_get_array_member(row, "outcomes");
			g_autofree char *tr = g_strdup_printf("%s/tbody/tr[%u]", table, k);
			g_autofree char *cpu = xstr(doc, "normalize-space(%s/th/text())", tr);
			g_autofree char *runs = xstr(doc, "%s/td[last()]", tr);
			g_autofree char *want_runs = g_strdup_printf(
			    "%" G_GINT64_FORMAT, json_object_get_int_member(row, "runs"));

			ck_assert_str_eq(cpu, c->data);
			ck_assert_str_eq(runs, want_runs);
			for (guint o = 0; o < json_array_get_length(outcomes); o++, cells++) {
				JsonObject *out = json_array_get_object_element(outcomes, o);
				const char *result = json_object_get_string_member(out, "result");
				int col = by_cpu_column(doc, table, result,
							json_object_get_string_member(out, "reason"));
				g_autofree char *cell = NULL, *class = NULL;
				g_autofree char *want = g_strdup_printf(
				    "%" G_GINT64_FORMAT, json_object_get_int_member(out, "runs"));
				g_autofree char *want_class = g_strdup_printf("status-%s", result);

				ck_assert_int_gt(col, 1);
				cell = xstr(doc, "%s/*[%d]", tr, col);
				class = xstr(doc, "%s/*[%d]/@class", tr, col);
				ck_assert_str_eq(cell, want);
				ck_assert_str_eq(class, want_class);
			}
		}
		/* no count the table does not hold: every other cell empty */
		ck_assert_int_eq(xcount(doc, "%s/tbody/tr/td[not(position()=last())][.!='']", table),
				 cells);
	}
}

/* Each case's runs by panic CPU: the flaky case's pass on CPU 0 and its
 * deadline, which left no vmcore, under an unknown CPU, said so below. */
START_TEST(test_by_panic_cpu)
{
	g_autoptr(GError) error = NULL;
	struct kdh_night *n = kdh_night_from_json(night, &error);
	guint flaky = case_with_status("flaky");
	g_autofree char *table =
	    g_strdup_printf("//section[@id='case-%u']//table[@class='by-cpu']", flaky + 1);
	g_autofree char *rows = NULL, *note = NULL;

	ck_assert_msg(n != NULL, "%s", error ? error->message : "-");
	assert_by_cpu_as_json(&d, n);
	kdh_night_free(n);
	rows = xstr(&d, "concat(%s/tbody/tr[1]/th, ',', %s/tbody/tr[2]/th)", table, table);
	ck_assert_str_eq(rows, "0,unknown");
	ck_assert_int_eq(by_cpu_column(&d, table, "pass", "ok"), 2);
	ck_assert_int_eq(by_cpu_column(&d, table, "fail", "deadline"), 3);
	note = xstr(&d, "%s/following-sibling::p[1]", table);
	ck_assert_msg(g_str_has_prefix(note, "unknown: runs whose panic CPU no vmcore log told"),
		      "%s", note);
	/* no unknown CPU in the first case: no note */
	ck_assert_int_eq(
	    xcount(&d, "//section[@id='case-1']//table[@class='by-cpu']/following-sibling::p[1]"
		       "[starts-with(.,'unknown')]"),
	    0);
}
END_TEST

/* Two outcomes on one CPU: the flaky case's failed run moved to CPU 0 and
 * repeated, each count in its own column. */
START_TEST(test_by_panic_cpu_two_outcomes)
{
	guint flaky = case_with_status("flaky");
	g_autofree char *table =
	    g_strdup_printf("//section[@id='case-%u']//table[@class='by-cpu']", flaky + 1);
	g_autofree char *cells = NULL;
	g_autoptr(GError) error = NULL;
	struct kdh_test_doc one = { 0 };
	struct kdh_night *n;
	JsonArray *runs = json_object_get_array_member(case_of(flaky), "runs");
	JsonNode *again;

	json_object_set_int_member(run_of(flaky, 1), "panic_cpu", 0);
	again = json_node_copy(json_array_get_element(runs, 1));
	json_object_set_int_member(json_node_get_object(again), "repeat", 3);
	json_array_add_element(runs, again);
	n = kdh_night_from_json(night, &error);
	ck_assert_msg(n != NULL, "%s", error ? error->message : "-");
	render_night(n, "one-cpu.html", &one);
	assert_by_cpu_as_json(&one, n);
	kdh_night_free(n);
	ck_assert_int_eq(xcount(&one, "%s/tbody/tr", table), 1);
	cells = xstr(&one, "concat(%s/tbody/tr/td[1], '|', %s/tbody/tr/td[2], '|', %s/tbody/tr/td[3])",
		     table, table, table);
	ck_assert_str_eq(cells, "1|2|3");
	kdh_test_doc_clear(&one);
}
END_TEST

/* The seed's pattern from the lab's real runs (kdh-test.h), as a night of
 * hyperv-nmi-all-vcpus repeated 8 times on a kernel that gives up on VMBus
 * UNLOAD off the connect CPU: CPU 0, the connect CPU, passed 3 times, CPU 1
 * failed 5 times, in a row each, readable at a glance. */
START_TEST(test_by_panic_cpu_seed)
{
	static const char id[] = "hyperv-nmi-all-vcpus/6.1.0-57-amd64/hyperv/vcpus=2/"
				 "memory-mib=1024/crashkernel=256M/kexec=kexec_load";
	static const char *const values[KDH_AXIS__COUNT] = {
		"hyperv-nmi-all-vcpus", "6.1.0-57-amd64", "hyperv", "2", "1024", "256M",
		"kexec_load",
	};
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_case_free);
	struct kdh_case *c = g_new0(struct kdh_case, 1);
	struct kdh_night *n;
	struct kdh_test_doc seed = { 0 };
	const char *table = "//section[@id='case-1']//table[@class='by-cpu']";
	g_autofree char *cpu0 = NULL, *cpu1 = NULL, *cells = NULL, *connect = NULL;

	c->id = g_strdup(id);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		c->values[a] = g_strdup(values[a]);
	g_ptr_array_add(cases, c);
	n = kdh_night_new("20261204-010000", "seed", "1/1", "2026-12-04T01:00:00Z", cases, 8,
			  (const int[]){ 8 });
	/* as the NMI happened to fall, CPU 1 first */
	static const enum kdh_test_hyperv_run runs[] = {
		KDH_TEST_HYPERV_CPU1_GAVE_UP, KDH_TEST_HYPERV_CPU0, KDH_TEST_HYPERV_CPU1_GAVE_UP,
		KDH_TEST_HYPERV_CPU1_GAVE_UP, KDH_TEST_HYPERV_CPU0, KDH_TEST_HYPERV_CPU1_GAVE_UP,
		KDH_TEST_HYPERV_CPU0,	      KDH_TEST_HYPERV_CPU1_GAVE_UP,
	};
	for (gsize r = 0; r < G_N_ELEMENTS(runs); r++) {
		g_autofree char *dir = g_strdup_printf("runs/%zu", r + 1);

		ck_assert(kdh_night_add_run(
		    n, id, kdh_test_hyperv_night_run(runs[r], r + 1, "qemu+ext:///lab", dir)));
	}
	render_night(n, "seed.html", &seed);
	assert_by_cpu_as_json(&seed, n);
	cpu0 = xstr(&seed, "normalize-space(%s/tbody/tr[1]/th)", table);
	cpu1 = xstr(&seed, "normalize-space(%s/tbody/tr[2]/th)", table);
	ck_assert_str_eq(cpu0, "0 the VMBus connect CPU");
	ck_assert_str_eq(cpu1, "1 not the VMBus connect CPU");
	connect = xstr(&seed, "%s/tbody/tr[1]/th/span/@class", table);
	ck_assert_str_eq(connect, "connect");
	/* columns in the rows' order: CPU 0's pass first */
	ck_assert_int_eq(by_cpu_column(&seed, table, "pass", "ok"), 2);
	ck_assert_int_eq(by_cpu_column(&seed, table, "fail", "vmbus-unload-incomplete"), 3);
	cells = xstr(&seed,
		     "concat(%s/tbody/tr[1]/td[1], '|', %s/tbody/tr[1]/td[2], '|', "
		     "%s/tbody/tr[1]/td[3], ';', %s/tbody/tr[2]/td[1], '|', "
		     "%s/tbody/tr[2]/td[2], '|', %s/tbody/tr[2]/td[3])",
		     table, table, table, table, table, table);
	ck_assert_str_eq(cells, "3||3;|5|5");
	kdh_night_free(n);
	kdh_test_doc_clear(&seed);
}
END_TEST

/* A bar per night of the history, this one marked, each status's segment as
 * tall as its count on one scale. */
START_TEST(test_trend)
{
	JsonArray *history = json_object_get_array_member(night, "history");
	double scale = 0;

	ck_assert_int_eq(xcount(&d, "//svg[@class='trend']/g[contains(@class,'night')]"),
			 json_array_get_length(history));
	ck_assert_int_eq(xcount(&d, "//svg[@class='trend']/g[@class='night current']"), 1);
	ck_assert_int_eq(xcount(&d, "//svg[@class='trend']/g[last()][@class='night current']"), 1);
	for (guint i = 0; i < json_array_get_length(history); i++) {
		JsonObject *h = json_array_get_object_element(history, i);
		static const char *const counted[] = { "pass", "fail", "flaky", "skip", "error" };
		g_autofree char *segs = g_strdup_printf("//svg[@class='trend']/g[%u]/rect", i + 1);
		int n_segs = xcount(&d, "%s", segs);

		/* Stacked: each segment starts where the one below it ends. */
		for (int m = 2; m <= n_segs; m++) {
			g_autofree char *below = g_strdup_printf("%s[%d]/@y", segs, m - 1);
			g_autofree char *y = g_strdup_printf("%s[%d]/@y", segs, m);
			g_autofree char *h_attr = g_strdup_printf("%s[%d]/@height", segs, m);

			ck_assert_double_eq_tol(xnum(&d, y) + xnum(&d, h_attr), xnum(&d, below),
						0.011);
		}

		for (gsize k = 0; k < G_N_ELEMENTS(counted); k++) {
			gint64 n = json_object_get_int_member(h, counted[k]);
			g_autofree char *rect = g_strdup_printf(
			    "//svg[@class='trend']/g[%u]/rect[@class='seg status-%s']", i + 1,
			    counted[k]);
			g_autofree char *height = g_strdup_printf("%s/@height", rect);

			ck_assert_int_eq(xcount(&d, "%s", rect), n > 0);
			if (n <= 0)
				continue;
			if (scale == 0)
				scale = xnum(&d, height) / n;
			ck_assert_double_eq_tol(xnum(&d, height), n * scale, 0.011);
		}
	}
}
END_TEST

/* A first night, still running: no comparison, no history, no finish. And a
 * night with nothing in it at all still makes a page. */
START_TEST(test_first_night)
{
	g_autoptr(GPtrArray) no_cases = g_ptr_array_new();
	struct kdh_night *empty = kdh_night_new(NULL, NULL, NULL, NULL, no_cases, 0, NULL);
	struct kdh_test_doc first = { 0 }, e = { 0 };
	g_autofree char *finished = NULL, *compared = NULL, *title = NULL;

	json_object_set_null_member(night, "comparison");
	json_object_remove_member(night, "history");
	json_object_set_null_member(night, "finished");
	render(night, "first.html", &first);
	ck_assert_int_eq(kdh_test_doc_count(&first, "//section[@id='comparison']"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&first, "//svg[@class='trend']"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&first, "//section[@id='trend']/p[@class='note']"), 1);
	ck_assert_int_eq(kdh_test_doc_count(&first, "//a[@href='#comparison']"), 0);
	ck_assert_int_eq(xcount(&first, "//table[@class='grid']//td[contains(@class,'cell')]"),
			 case_count());
	ck_assert_int_eq(xcount(&first, "//svg[@class='timeline']"), case_count());
	finished = xstr(&first, "//table[@class='facts']//tr[th='finished']/td");
	compared = xstr(&first, "//table[@class='facts']//tr[th='compared with']/td");
	ck_assert_str_eq(finished, "not yet: the night is still running");
	ck_assert_str_eq(compared, "no earlier night");

	render_night(empty, "empty.html", &e);
	kdh_night_free(empty);
	title = kdh_test_doc_string(&e, "//h1");
	ck_assert_str_eq(title, "kdh night (unnamed)");
	ck_assert_int_eq(kdh_test_doc_count(&e, "//section[@class='case']"), 0);
	kdh_test_doc_clear(&first);
	kdh_test_doc_clear(&e);
}
END_TEST

static int report_cmd(const char *in, const char *out)
{
	char *argv[] = { (char *)"report", (char *)in, (char *)"-o", (char *)out, NULL };

	return kdh_cmd_report(out ? 4 : 2, argv);
}

static char *write_file(const char *name, const char *text)
{
	char *path = g_build_filename(kdh_test_dir(), name, NULL);

	ck_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* `kdh report`: bad input is a usage error (2); a night.json makes its page,
 * beside it unless told otherwise. */
START_TEST(test_cmd_report)
{
	g_autofree char *sample = kdh_test_read_sample(SAMPLE);
	g_autofree char *good = write_file("night.json", sample);
	g_autofree char *beside = g_build_filename(kdh_test_dir(), "report.html", NULL);
	g_autofree char *out = g_build_filename(kdh_test_dir(), "elsewhere.html", NULL);
	g_autofree char *missing = g_build_filename(kdh_test_dir(), "missing.json", NULL);
	g_autofree char *not_json = write_file("not.json", "{ \"format\": ");
	g_autofree char *array = write_file("array.json", "[]");
	g_autofree char *other = write_file("other.json", "{ \"format\": \"kdh-night/2\" }");
	g_autofree char *none = write_file("none.json", "{ \"night\": \"x\" }");
	g_autofree char *unwritable =
	    g_build_filename(kdh_test_dir(), "no", "such", "dir.html", NULL);

	ck_assert_int_eq(report_cmd(missing, NULL), KDH_EXIT_USAGE);
	ck_assert_int_eq(report_cmd(not_json, NULL), KDH_EXIT_USAGE);
	ck_assert_int_eq(report_cmd(array, NULL), KDH_EXIT_USAGE);
	ck_assert_int_eq(report_cmd(other, NULL), KDH_EXIT_USAGE);
	ck_assert_int_eq(report_cmd(none, NULL), KDH_EXIT_USAGE);
	ck_assert(!g_file_test(beside, G_FILE_TEST_EXISTS));
	ck_assert_int_eq(report_cmd(good, unwritable), KDH_EXIT_USAGE);
	ck_assert_int_eq(report_cmd(good, NULL), 0);
	ck_assert(g_file_test(beside, G_FILE_TEST_IS_REGULAR));
	ck_assert_int_eq(report_cmd(good, out), 0);
	ck_assert(g_file_test(out, G_FILE_TEST_IS_REGULAR));
}
END_TEST

static Suite *html_report_suite(void)
{
	Suite *s = suite_create("html-report");
	TCase *tc = tcase_create("page");

	kdh_test_tmp_fixtures(tc);
	tcase_add_checked_fixture(tc, night_setup, night_teardown);
	tcase_add_test(tc, test_grid);
	tcase_add_test(tc, test_flaky);
	tcase_add_test(tc, test_timelines);
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_comparison);
	tcase_add_test(tc, test_panic_cpus);
	tcase_add_test(tc, test_by_panic_cpu);
	tcase_add_test(tc, test_by_panic_cpu_two_outcomes);
	tcase_add_test(tc, test_by_panic_cpu_seed);
	tcase_add_test(tc, test_trend);
	tcase_add_test(tc, test_first_night);
	suite_add_tcase(s, tc);

	tc = tcase_create("command");
	kdh_test_tmp_fixtures(tc);
	tcase_add_test(tc, test_cmd_report);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(html_report_suite());
}

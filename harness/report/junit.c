/* JUnit XML reports. Testcases are kept as plain data and the document is built
 * only when written: the totals on <testsuite> are known then, and the results
 * directories are listed then, so that adding stays pure. */
#include <string.h>

#include <libxml/tree.h>

#include "kdh-junit.h"
#include "kdh-night.h"
#include "kdh-xml.h"

struct junit_case {
	char *name;
	char *error;                              /* what broke the run; NULL: it finished */
	enum kdh_result result;                   /* the verdict; a pass when it broke */
	char *reason;                             /* the reason's name */
	char *detail;
	double stage_seconds[KDH_STAGE__COUNT];   /* negative: not reached */
	char *results_dir;                        /* NULL: none */
};

struct kdh_junit {
	char *suite;
	GPtrArray *cases; /* struct junit_case* */
};

static void junit_case_free(struct junit_case *c)
{
	if (!c)
		return;
	g_free(c->name);
	g_free(c->error);
	g_free(c->reason);
	g_free(c->detail);
	g_free(c->results_dir);
	g_free(c);
}

struct kdh_junit *kdh_junit_new(const char *suite)
{
	struct kdh_junit *j = g_new0(struct kdh_junit, 1);

	j->suite = g_strdup(suite);
	j->cases = g_ptr_array_new_with_free_func((GDestroyNotify)junit_case_free);
	return j;
}

void kdh_junit_free(struct kdh_junit *j)
{
	if (!j)
		return;
	g_free(j->suite);
	if (j->cases)
		g_ptr_array_unref(j->cases);
	g_free(j);
}

/* A new testcase NAME in J with what every testcase has: the stages E reached
 * (none when E is NULL) and the results directory. */
static struct junit_case *junit_case_add(struct kdh_junit *j, const char *name,
					 const struct kdh_evidence *e, const char *results_dir)
{
	struct junit_case *c = g_new0(struct junit_case, 1);

	c->name = g_strdup(name);
	/* Until kdh_junit_add() says otherwise: an error counts as nothing else. */
	c->result = KDH_RESULT_PASS;
	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		c->stage_seconds[s] = e ? e->stage_seconds[s] : -1;
	c->results_dir = g_strdup(results_dir);
	g_ptr_array_add(j->cases, c);
	return c;
}

void kdh_junit_add(struct kdh_junit *j, const char *name, const struct kdh_verdict *v,
		   const struct kdh_evidence *e, const char *results_dir)
{
	struct junit_case *c = junit_case_add(j, name, e, results_dir);
	const char *reason = kdh_reason_name(v->reason);

	c->result = v->result;
	c->reason = g_strdup(reason ? reason : "unknown");
	c->detail = g_strdup(v->detail ? v->detail : "");
}

void kdh_junit_add_error(struct kdh_junit *j, const char *name, const char *message,
			 const struct kdh_evidence *e, const char *results_dir)
{
	junit_case_add(j, name, e, results_dir)->error = g_strdup(message);
}

/* A night's run result as a verdict's; an error (or a result no run has:
 * a night built wrong in memory) is none: -1. Never a pass by default. */
static int junit_result(enum kdh_night_status result)
{
	switch (result) {
	case KDH_NIGHT_PASS:
		return KDH_RESULT_PASS;
	case KDH_NIGHT_FAIL:
		return KDH_RESULT_FAIL;
	case KDH_NIGHT_SKIP:
		return KDH_RESULT_SKIP;
	default:
		return -1;
	}
}

void kdh_junit_add_night(struct kdh_junit *j, const struct kdh_night *night,
			 const char *night_dir)
{
	for (guint i = 0; i < night->cases->len; i++) {
		const struct kdh_night_case *kase = night->cases->pdata[i];

		for (guint k = 0; k < kase->runs->len; k++) {
			const struct kdh_night_run *run = kase->runs->pdata[k];
			g_autofree char *name = g_strdup_printf("%s #%d", kase->id, run->repeat);
			g_autofree char *dir = g_build_filename(night_dir, run->dir, NULL);
			struct junit_case *c = junit_case_add(j, name, NULL, dir);

			for (int s = 0; run->stages_known && s < KDH_STAGE__COUNT; s++)
				c->stage_seconds[s] = run->stages[s];
			if (junit_result(run->result) < 0) {
				c->error = g_strdup(run->detail);
				continue;
			}
			c->result = junit_result(run->result);
			c->reason = g_strdup(run->reason);
			c->detail = g_strdup(run->detail);
		}
	}
}

static void junit_attr_int(xmlNodePtr node, const char *name, guint value)
{
	char buf[16];

	g_snprintf(buf, sizeof(buf), "%u", value);
	kdh_xml_attr(node, name, buf);
}

/* Seconds with three decimals and a point whatever the locale: the schema's
 * xs:decimal. */
static void junit_attr_seconds(xmlNodePtr node, const char *name, double seconds)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	kdh_xml_attr(node, name, g_ascii_formatd(buf, sizeof(buf), "%.3f", seconds));
}

static double junit_case_seconds(const struct junit_case *c)
{
	double total = 0;

	for (int s = 0; s < KDH_STAGE__COUNT; s++)
		if (c->stage_seconds[s] >= 0)
			total += c->stage_seconds[s];
	return total;
}

static int junit_cmp_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files in DIR as paths, sorted, one a line; NULL when there are
 * none or DIR cannot be read. */
static char *junit_list_files(const char *dir)
{
	g_autoptr(GDir) d = dir ? g_dir_open(dir, 0, NULL) : NULL;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) out = g_string_new(NULL);
	const char *name;

	if (!d)
		return NULL;
	while ((name = g_dir_read_name(d))) {
		char *path = g_build_filename(dir, name, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add(paths, path);
		else
			g_free(path);
	}
	if (paths->len == 0)
		return NULL;
	g_ptr_array_sort(paths, junit_cmp_paths);
	for (guint i = 0; i < paths->len; i++)
		g_string_append_printf(out, "%s\n", (char *)paths->pdata[i]);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void junit_testcase(xmlNodePtr suite, const char *classname, const struct junit_case *c)
{
	xmlNodePtr tc = kdh_xml_child(suite, "testcase", NULL);
	xmlNodePtr props = NULL;
	g_autofree char *files = junit_list_files(c->results_dir);

	kdh_xml_attr(tc, "name", c->name);
	kdh_xml_attr(tc, "classname", classname);
	junit_attr_seconds(tc, "time", junit_case_seconds(c));
	for (int s = 0; s < KDH_STAGE__COUNT; s++) {
		g_autofree char *prop_name = NULL;
		xmlNodePtr prop;

		if (c->stage_seconds[s] < 0)
			continue;
		if (!props)
			props = kdh_xml_child(tc, "properties", NULL);
		prop = kdh_xml_child(props, "property", NULL);
		prop_name = g_strdup_printf("stage.%s", kdh_stage_name(s));
		kdh_xml_attr(prop, "name", prop_name);
		junit_attr_seconds(prop, "value", c->stage_seconds[s]);
	}
	/* The message twice: Jenkins shows the attribute, GitLab the text. */
	if (c->error)
		kdh_xml_attr(kdh_xml_child(tc, "error", c->error), "message", c->error);
	else if (c->result == KDH_RESULT_FAIL)
		kdh_xml_attr(kdh_xml_child(tc, "failure", c->detail), "message", c->reason);
	else if (c->result == KDH_RESULT_SKIP)
		kdh_xml_attr(kdh_xml_child(tc, "skipped", c->detail), "message", c->reason);
	if (files)
		kdh_xml_child(tc, "system-out", files);
}

/* tests, failures, errors, skipped and time on NODE. */
static void junit_totals(xmlNodePtr node, const struct kdh_junit *j)
{
	guint failures = 0, errors = 0, skipped = 0;
	double time = 0;

	for (guint i = 0; i < j->cases->len; i++) {
		const struct junit_case *c = j->cases->pdata[i];

		errors += c->error != NULL;
		failures += c->result == KDH_RESULT_FAIL;
		skipped += c->result == KDH_RESULT_SKIP;
		time += junit_case_seconds(c);
	}
	junit_attr_int(node, "tests", j->cases->len);
	junit_attr_int(node, "failures", failures);
	junit_attr_int(node, "errors", errors);
	junit_attr_int(node, "skipped", skipped);
	junit_attr_seconds(node, "time", time);
}

static xmlDocPtr junit_doc(const struct kdh_junit *j)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr suites = xmlNewNode(NULL, BAD_CAST "testsuites");
	xmlNodePtr suite;

	xmlDocSetRootElement(doc, suites);
	kdh_xml_attr(suites, "name", j->suite);
	junit_totals(suites, j);
	suite = kdh_xml_child(suites, "testsuite", NULL);
	kdh_xml_attr(suite, "name", j->suite);
	junit_totals(suite, j);
	for (guint i = 0; i < j->cases->len; i++)
		junit_testcase(suite, j->suite, j->cases->pdata[i]);
	return doc;
}

gboolean kdh_junit_write(struct kdh_junit *j, const char *path, GError **error)
{
	xmlDocPtr doc = junit_doc(j);
	g_autofree char *text = NULL;
	xmlChar *buf = NULL;
	int len = 0;

	xmlDocDumpFormatMemoryEnc(doc, &buf, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!buf) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
			    "cannot write JUnit report '%s': libxml2 could not serialize it", path);
		return FALSE;
	}
	/* A text file ends with a newline; libxml2 leaves the last one out. */
	text = len > 0 && buf[len - 1] == '\n' ? g_strndup((const char *)buf, len)
					       : g_strdup_printf("%.*s\n", len, (const char *)buf);
	xmlFree(buf);
	return g_file_set_contents(path, text, -1, error);
}

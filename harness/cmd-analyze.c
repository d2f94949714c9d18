/* kdh analyze: judge saved evidence again, without booting anything: the
 * consoles, the vmcore's log (or the vmcore itself), under a scenario's
 * expectations. The same parsing and the same verdict as a live run. */
#include <stdio.h>
#include <glib/gstdio.h>

#include "kdh-analysis.h"
#include "kdh-cli.h"
#include "kdh-config.h"
#include "kdh-report.h"
#include "kdh-verdict.h"
#include "kdh-vmcore.h"

struct analyze {
	char *scenario;
	char **consoles;
	char *vmcore_dmesg;
	char *vmcore;
	char *vmlinux;
	GCancellable *cancel; /* a signal stops makedumpfile and crash */
	struct kdh_cli_signals signals;
};

static gboolean analyze_console(struct kdh_evidence *e, const char *path, GError **error)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_strchomp(*l); /* a serial console's "\r" */
		kdh_console_feed_line(e, *l);
	}
	return TRUE;
}

static gboolean analyze_vmcore_dmesg(struct kdh_evidence *e, const char *path, GError **error)
{
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	kdh_panic_log_parse(&e->vmcore_log, text);
	e->vmcore_read = TRUE;
	return TRUE;
}

/* The tools write their files somewhere: a directory of our own, removed after. */
static gboolean analyze_vmcore(struct kdh_evidence *e, const char *vmcore, const char *vmlinux,
			       GCancellable *cancel, GError **error)
{
	static const char *const files[] = { "vmcore-dmesg.txt", "makedumpfile.log",
					     "crash-commands.txt", "crash.txt" };
	g_autofree char *dir = g_dir_make_tmp("kdh-analyze-XXXXXX", error);
	g_autofree char *dmesg = NULL, *log = NULL;
	gboolean ok;

	if (!dir)
		return FALSE;
	dmesg = g_build_filename(dir, files[0], NULL);
	log = g_build_filename(dir, files[1], NULL);
	ok = kdh_vmcore_read_log(vmcore, dmesg, log, cancel, e, error);
	if (ok && vmlinux)
		ok = kdh_vmcore_crash(vmlinux, vmcore, dir, cancel, e, error);
	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_build_filename(dir, files[i], NULL);

		g_unlink(path);
	}
	g_rmdir(dir);
	return ok;
}

/* A results directory of `kdh run` stands for the files it holds. */
static void analyze_results_dir(struct analyze *a, const char *dir)
{
	g_autofree char *first = g_build_filename(dir, "console-first.log", NULL);
	g_autofree char *capture = g_build_filename(dir, "console-capture.log", NULL);
	g_autofree char *vmcore = g_build_filename(dir, "vmcore", NULL);
	g_autofree char *dmesg = g_build_filename(dir, "vmcore-dmesg.txt", NULL);

	if (!a->consoles) {
		const char *both[] = { first, capture, NULL };

		a->consoles = g_strdupv((char **)both);
	}
	if (!a->vmcore && !a->vmcore_dmesg && g_file_test(vmcore, G_FILE_TEST_EXISTS))
		a->vmcore = g_steal_pointer(&vmcore);
	if (!a->vmcore && !a->vmcore_dmesg && g_file_test(dmesg, G_FILE_TEST_EXISTS))
		a->vmcore_dmesg = g_steal_pointer(&dmesg);
}

static gboolean analyze_evidence(const struct analyze *a, struct kdh_evidence *e, GError **error)
{
	int reached;

	for (char **c = a->consoles; c && *c; c++)
		if (!analyze_console(e, *c, error))
			return FALSE;
	if (a->vmcore_dmesg && !analyze_vmcore_dmesg(e, a->vmcore_dmesg, error))
		return FALSE;
	if (a->vmcore && !analyze_vmcore(e, a->vmcore, a->vmlinux, a->cancel, error))
		return FALSE;
	e->vmcore_absent = !a->vmcore && !a->vmcore_dmesg;
	/* Saved logs have no deadlines: where they end is the stage not reached. */
	reached = kdh_evidence_reached(e);
	if (reached < KDH_STAGE_BYE)
		e->deadline_missed = reached + 1;
	return TRUE;
}

static int analyze_judge(struct analyze *a, const struct kdh_scenario *s)
{
	struct kdh_expect expect = kdh_scenario_expect(s);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) summary = NULL;
	g_autofree char *text = NULL;
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };
	int code;

	kdh_evidence_init(&e);
	if (!analyze_evidence(a, &e, &error)) {
		int signo = kdh_cli_signals_caught(&a->signals);

		g_printerr("kdh: %s\n", error->message);
		kdh_evidence_clear(&e);
		return signo ? 128 + signo : KDH_EXIT_USAGE;
	}
	kdh_verdict_decide(&v, &expect, &e);
	summary = kdh_report_summary(s->name, &expect, &e, &v);
	text = kdh_report_json_text(summary);
	fputs(text, stdout);
	g_printerr("kdh: %s: %s (%s): %s\n", s->name, kdh_result_name(v.result),
		   kdh_reason_name(v.reason), v.detail);
	code = kdh_verdict_exit_code(&v);
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
	return code;
}

static void analyze_clear(struct analyze *a)
{
	g_free(a->scenario);
	g_strfreev(a->consoles);
	g_free(a->vmcore_dmesg);
	g_free(a->vmcore);
	g_free(a->vmlinux);
	g_clear_object(&a->cancel);
}

int kdh_cmd_analyze(int argc, char **argv)
{
	struct analyze a = { 0 };
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("[RESULTS-DIR] - judge saved evidence again");
	GOptionEntry entries[] = {
		{ "scenario", 0, 0, G_OPTION_ARG_FILENAME, &a.scenario,
		  "the expectations: a scenario name or file (nmi-all-vcpus)", "SCENARIO" },
		{ "console", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.consoles,
		  "a console log, first kernel's before capture kernel's (repeatable)", "FILE" },
		{ "vmcore-dmesg", 0, 0, G_OPTION_ARG_FILENAME, &a.vmcore_dmesg,
		  "the vmcore's log, as makedumpfile --dump-dmesg wrote it", "FILE" },
		{ "vmcore", 0, 0, G_OPTION_ARG_FILENAME, &a.vmcore, "the vmcore itself", "FILE" },
		{ "vmlinux", 0, 0, G_OPTION_ARG_FILENAME, &a.vmlinux,
		  "the vmcore's kernel with debug info: crash checks where each CPU was", "FILE" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = kdh_cli_scenario_dir();
	g_autofree char *path = NULL;
	struct kdh_scenario s = { 0 };
	int code;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		code = kdh_cli_usage(ctx, error->message);
	else if (argc > 2)
		code = kdh_cli_usage(ctx, "one results directory at most");
	else if (argc < 2 && !a.consoles)
		code = kdh_cli_usage(ctx, "no evidence: give a results directory or --console");
	else if (!(path = kdh_scenario_path(a.scenario ? a.scenario : "nmi-all-vcpus", dir,
					   &error)) ||
		 !kdh_scenario_load(path, &s, &error)) {
		g_printerr("kdh: %s\n", error->message);
		code = KDH_EXIT_USAGE;
	} else {
		if (argc == 2)
			analyze_results_dir(&a, argv[1]);
		a.cancel = g_cancellable_new();
		kdh_cli_signals_watch(&a.signals, a.cancel);
		code = analyze_judge(&a, &s);
		kdh_cli_signals_unwatch(&a.signals);
	}
	kdh_scenario_clear(&s);
	analyze_clear(&a);
	return code;
}

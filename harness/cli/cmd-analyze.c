/* kdh analyze: judge saved evidence again, without booting anything: the
 * consoles, the vmcore's log (or the vmcore itself), under a scenario's
 * expectations. The same parsing and the same verdict as a live run. */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "kdh-analysis.h"
#include "kdh-cli.h"
#include "kdh-config.h"
#include "kdh-foreign.h"
#include "kdh-known-bugs.h"
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
	char *known_bugs;
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
		kdh_analysis_console_feed_line(e, *l);
	}
	return TRUE;
}

static gboolean analyze_vmcore_dmesg(struct kdh_evidence *e, const char *path, GError **error)
{
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	kdh_analysis_panic_log_parse(&e->vmcore_log, text);
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
	reached = kdh_analysis_evidence_reached(e);
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
	g_free(a->known_bugs);
}

/* ---- foreign evidence: files no kdh agent wrote ---- */

/* One file to read: a log, or a vmcore whose log makedumpfile reads out. */
struct input {
	char *path;
	enum kdh_source_kind kind;
	gboolean vmcore;
};

static void input_free(struct input *in)
{
	if (!in)
		return;
	g_free(in->path);
	g_free(in);
}

/* The kernels' order: the crashed kernel's log (a vmcore's), consoles, the
 * capture kernel's own log. */
static int input_rank(const struct input *in)
{
	return in->vmcore || in->kind == KDH_SOURCE_VMCORE_DMESG ? 0
	       : in->kind == KDH_SOURCE_CONSOLE		  ? 1
								  : 2;
}

static gint input_compare(gconstpointer a, gconstpointer b)
{
	const struct input *x = *(struct input *const *)a, *y = *(struct input *const *)b;

	return input_rank(x) - input_rank(y);
}

/* A vmcore: ELF (/proc/vmcore copied, makedumpfile -E), kdump-compressed
 * ("KDUMP   "), or makedumpfile's flattened format. */
static gboolean file_is_vmcore(const char *path)
{
	char head[16] = { 0 };
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return FALSE;
	n = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	return (n >= 4 && memcmp(head, "\177ELF", 4) == 0) ||
	       (n >= 8 && memcmp(head, "KDUMP   ", 8) == 0) ||
	       (n >= 12 && memcmp(head, "makedumpfile", 12) == 0);
}

/* By name: Red Hat's vmcore-dmesg.txt (and vmcore-dmesg-*: kept copies) and
 * kexec-dmesg.log, Debian's dmesg.<stamp>; anything else is a console. */
static enum kdh_source_kind file_kind(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);

	if (g_str_has_prefix(base, "vmcore-dmesg") || g_str_has_prefix(base, "dmesg."))
		return KDH_SOURCE_VMCORE_DMESG;
	if (g_str_equal(base, "kexec-dmesg.log"))
		return KDH_SOURCE_CAPTURE_LOG;
	return KDH_SOURCE_CONSOLE;
}

static void inputs_add(GPtrArray *inputs, const char *path, enum kdh_source_kind kind,
		       gboolean vmcore)
{
	struct input *in = g_new0(struct input, 1);

	in->path = g_strdup(path);
	in->kind = kind;
	in->vmcore = vmcore;
	g_ptr_array_add(inputs, in);
}

/* What a crash directory holds: Debian's /var/crash/<stamp>/ (dmesg.<stamp>,
 * dump.<stamp>), Red Hat's /var/crash/<host>-<date>/ (vmcore-dmesg.txt,
 * vmcore, kexec-dmesg.log), and logs (*.log, *.txt) put beside them. A vmcore
 * is read only when no log of it is there. The directories one level down
 * too, when the directory itself holds none (/var/crash). */
static gint name_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean inputs_from_dir(GPtrArray *inputs, const char *dir, int depth, GError **error)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vmcores = g_ptr_array_new_with_free_func(g_free);
	gboolean have_dmesg = FALSE;
	guint before = inputs->len;
	const char *name;

	if (!d)
		return FALSE;
	while ((name = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, name_compare);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		g_autofree char *path = g_build_filename(dir, n, NULL);

		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		if (g_str_equal(n, "vmcore") || g_str_has_prefix(n, "dump.")) {
			g_ptr_array_add(vmcores, g_steal_pointer(&path));
		} else if (g_str_equal(n, "vmcore-dmesg.txt") || g_str_has_prefix(n, "dmesg.") ||
			   g_str_equal(n, "kexec-dmesg.log") || g_str_has_suffix(n, ".log") ||
			   g_str_has_suffix(n, ".txt")) {
			have_dmesg |= file_kind(path) == KDH_SOURCE_VMCORE_DMESG;
			inputs_add(inputs, path, file_kind(path), FALSE);
		}
	}
	for (guint i = 0; i < vmcores->len && !have_dmesg; i++)
		inputs_add(inputs, vmcores->pdata[i], KDH_SOURCE_VMCORE_DMESG, TRUE);
	/* /var/crash: one directory per crash, named so that the newest sorts last
	 * (Debian's <YYYYMMDDHHMM>, Red Hat's <host>-<YYYY-MM-DD-HH:MM:SS>); the
	 * newest is the crash asked about, and crashes are not mixed */
	for (guint i = names->len; i > 0 && inputs->len == before && depth == 0; i--) {
		g_autofree char *path = g_build_filename(dir, names->pdata[i - 1], NULL);

		if (!g_file_test(path, G_FILE_TEST_IS_DIR))
			continue;
		if (!inputs_from_dir(inputs, path, 1, error))
			return FALSE;
		if (inputs->len > before)
			g_printerr("kdh: %s: reading its newest crash directory, %s\n", dir,
				   (const char *)names->pdata[i - 1]);
	}
	if (inputs->len == before && depth == 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "%s: no crash evidence in it (vmcore-dmesg.txt, dmesg.*, "
			    "kexec-dmesg.log, vmcore, dump.*, *.log, *.txt)", dir);
		return FALSE;
	}
	return TRUE;
}

static gboolean inputs_from_path(GPtrArray *inputs, const char *path, GError **error)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR))
		return inputs_from_dir(inputs, path, 0, error);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such file", path);
		return FALSE;
	}
	if (file_is_vmcore(path))
		inputs_add(inputs, path, KDH_SOURCE_VMCORE_DMESG, TRUE);
	else
		inputs_add(inputs, path, file_kind(path), FALSE);
	return TRUE;
}

/* Text, or something else: a log may hold a few NULs and escapes (a console
 * cut by a reset), a binary file holds many bytes no log has. */
static gboolean text_is_binary(const char *data, gsize len)
{
	gsize n = MIN(len, 65536), odd = 0;

	for (gsize i = 0; i < n; i++) {
		unsigned char c = data[i];

		odd += c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b && c != 0;
		odd += c == 0 && (i == 0 || data[i - 1] != 0); /* runs of NULs count once */
	}
	return odd * 10 > n;
}

static gboolean foreign_read(struct kdh_foreign *f, const struct input *in, GError **error)
{
	g_autofree char *data = NULL, *tool = NULL;
	gsize len = 0;

	if (in->vmcore) {
		g_autofree char *dir = g_dir_make_tmp("kdh-analyze-XXXXXX", error);
		g_autofree char *dmesg = NULL;
		/* the child runs elsewhere than here */
		g_autofree char *vmcore = g_canonicalize_filename(in->path, NULL);
		gboolean ok;

		if (!dir)
			return FALSE;
		dmesg = g_build_filename(dir, "vmcore-dmesg.txt", NULL);
		ok = kdh_vmcore_dump_dmesg(vmcore, dmesg, &data, &tool, error);
		g_rmdir(dir);
		if (!ok)
			return FALSE;
		if (!data) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s: makedumpfile could not read the log out of it: %s", in->path,
				    g_strstrip(tool));
			return FALSE;
		}
		len = strlen(data);
	} else if (!g_file_get_contents(in->path, &data, &len, error)) {
		return FALSE;
	}
	if (len == 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: empty", in->path);
		return FALSE;
	}
	if (text_is_binary(data, len)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s: binary, not a kernel log nor a vmcore", in->path);
		return FALSE;
	}
	kdh_foreign_feed(f, in->path, in->kind, data, len);
	return TRUE;
}

static int analyze_foreign(const struct analyze *a, int argc, char **argv)
{
	g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func((GDestroyNotify)input_free);
	g_autoptr(GPtrArray) bugs = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) summary = NULL;
	g_autofree char *data_dir = kdh_cli_data_dir();
	g_autofree char *bugs_path = a->known_bugs ? g_strdup(a->known_bugs)
						   : g_build_filename(data_dir, "known-bugs.conf",
								      NULL);
	g_autofree char *text = NULL, *bugs_text = NULL, *json = NULL;
	JsonNode *matched;
	struct kdh_foreign f;
	struct kdh_verdict v = { 0 };
	const char *reason = NULL;
	gboolean ok = TRUE;
	int code;

	for (int i = 1; i < argc && ok; i++)
		ok = inputs_from_path(inputs, argv[i], &error);
	/* --vmcore-dmesg: the crashed kernel's log, whatever the file's name */
	if (ok && a->vmcore_dmesg && (ok = inputs_from_path(inputs, a->vmcore_dmesg, &error)))
		((struct input *)inputs->pdata[inputs->len - 1])->kind = KDH_SOURCE_VMCORE_DMESG;
	if (ok && a->vmcore)
		inputs_add(inputs, a->vmcore, KDH_SOURCE_VMCORE_DMESG, TRUE);
	if (!ok) {
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_USAGE;
	}
	if (a->scenario || a->vmlinux)
		g_printerr("kdh: --scenario and --vmlinux judge kdh run's evidence; ignored for "
			   "these files\n");
	/* a known-bugs file given and bad is bad input; the shipped one missing
	 * only costs the names of the bugs */
	if (!kdh_known_bugs_load(bugs_path, &bugs, &error)) {
		g_printerr("kdh: %s\n", error->message);
		if (a->known_bugs)
			return KDH_EXIT_USAGE;
		g_clear_error(&error);
	}
	g_ptr_array_sort(inputs, input_compare);
	kdh_foreign_init(&f);
	for (guint i = 0; i < inputs->len && ok; i++) {
		const struct input *in = inputs->pdata[i];

		g_printerr("kdh: reading %s as %s%s\n", in->path, kdh_source_kind_name(in->kind),
			   in->vmcore ? " (a vmcore: makedumpfile --dump-dmesg)" : "");
		ok = foreign_read(&f, in, &error);
	}
	if (ok && (kdh_foreign_finish(&f), !kdh_foreign_has_kernel(&f))) {
		g_set_error(&error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "no kernel messages in the evidence (no time stamps, no \"Linux "
			    "version\", no panic, no oops)");
		ok = FALSE;
	}
	if (!ok) {
		g_printerr("kdh: %s\n", error->message);
		kdh_foreign_clear(&f);
		return KDH_EXIT_USAGE;
	}
	kdh_foreign_judge(&f, &v, &reason);
	matched = kdh_known_bugs_json(bugs, &f, &bugs_text);
	summary = kdh_foreign_summary(&f, &v, reason, matched);
	json = kdh_report_json_text(summary);
	fputs(json, stdout);
	text = kdh_foreign_text(&f);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		g_printerr("kdh: %s\n", line);
	for (char *line = strtok(bugs_text, "\n"); line; line = strtok(NULL, "\n"))
		g_printerr("kdh: %s\n", line);
	g_printerr("kdh: foreign: %s (%s): %s\n", kdh_result_name(v.result), reason, v.detail);
	code = kdh_verdict_exit_code(&v);
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
	return code;
}

/* A results directory of `kdh run`: its own files. */
static gboolean is_results_dir(const char *dir)
{
	g_autofree char *first = g_build_filename(dir, "console-first.log", NULL);
	g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);

	return g_file_test(first, G_FILE_TEST_EXISTS) || g_file_test(summary, G_FILE_TEST_EXISTS);
}

/* The scenario to judge under: --scenario's; else the one a results directory's
 * run was judged under, when kdh knows it (judged under another one, a hyperv
 * run's 2 vCPUs were a cpus-mismatch of nmi-all-vcpus's 4: a false fail); else
 * nmi-all-vcpus (no summary.json, or a test's own scenario file). */
static char *analyze_scenario(const struct analyze *a, int argc, char **argv,
			      const char *scenario_dir)
{
	g_autoptr(JsonObject) summary = NULL;
	g_autofree char *path = NULL;
	const char *name = NULL;

	if (a->scenario)
		return g_strdup(a->scenario);
	if (argc == 2 && (summary = kdh_cli_read_summary(argv[1])))
		name = json_object_get_string_member_with_default(summary, "scenario", NULL);
	if (name && (path = kdh_scenario_path(name, scenario_dir, NULL)))
		return g_strdup(name);
	return g_strdup("nmi-all-vcpus");
}

int kdh_cmd_analyze(int argc, char **argv)
{
	struct analyze a = { 0 };
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("[RESULTS-DIR | FILE... | DIR...] - judge saved evidence again");
	GOptionEntry entries[] = {
		{ "scenario", 0, 0, G_OPTION_ARG_FILENAME, &a.scenario,
		  "the expectations: a scenario name or file (a results directory's own, else "
		  "nmi-all-vcpus)",
		  "SCENARIO" },
		{ "console", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.consoles,
		  "a console log, first kernel's before capture kernel's (repeatable)", "FILE" },
		{ "vmcore-dmesg", 0, 0, G_OPTION_ARG_FILENAME, &a.vmcore_dmesg,
		  "the vmcore's log, as makedumpfile --dump-dmesg wrote it", "FILE" },
		{ "vmcore", 0, 0, G_OPTION_ARG_FILENAME, &a.vmcore, "the vmcore itself", "FILE" },
		{ "vmlinux", 0, 0, G_OPTION_ARG_FILENAME, &a.vmlinux,
		  "the vmcore's kernel with debug info: crash checks where each CPU was", "FILE" },
		{ "known-bugs", 0, 0, G_OPTION_ARG_FILENAME, &a.known_bugs,
		  "known bugs to name in foreign evidence (data/known-bugs.conf)", "FILE" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = kdh_cli_scenario_dir();
	g_autofree char *path = NULL;
	g_autofree char *name = NULL;
	struct kdh_scenario s = { 0 };
	int code;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		code = kdh_cli_usage(ctx, error->message);
	else if (!a.consoles && !(argc == 2 && is_results_dir(argv[1])) &&
		 (argc >= 2 || a.vmcore_dmesg || a.vmcore))
		/* evidence no kdh agent wrote: no scenario, no agent, the logs alone */
		code = analyze_foreign(&a, argc, argv);
	else if (argc > 2)
		code = kdh_cli_usage(ctx, "one results directory at most");
	else if (argc < 2 && !a.consoles)
		code = kdh_cli_usage(ctx, "no evidence: give a results directory, --console, or log files, crash "
				     "directories, a vmcore");
	else if (!(path = kdh_scenario_path(name = analyze_scenario(&a, argc, argv, dir), dir,
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

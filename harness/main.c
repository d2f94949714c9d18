/* kdh: run kdump crash-path scenarios on libvirt guests.
 *
 * Exit codes (STYLE.md): 0 all passed, 1 a crash path is broken, 2 usage or bad
 * input, 125 not testable, 128 the harness or its infrastructure broke, 128+N
 * interrupted by signal N. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "kdh-config.h"
#include "kdh-evidence.h"
#include "kdh-kernel.h"
#include "kdh-report.h"
#include "kdh-run.h"
#include "kdh-verdict.h"
#include "kdh-virt.h"

#define EXIT_USAGE 2
#define EXIT_INFRA 128
#define KDH_PREFIX "kdh-"
#define DEFAULT_SCENARIO "nmi-all-vcpus"

/* Where the binary lives: the agent sits beside it, the scenarios one level up. */
static char *main_exe_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);

	return exe ? g_path_get_dirname(exe) : g_strdup(".");
}

static char *main_default_scenario_dir(void)
{
	g_autofree char *dir = main_exe_dir();

	return g_build_filename(dir, "..", "scenarios", NULL);
}

static int main_usage(GOptionContext *ctx, const char *fmt, const char *what)
{
	g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);

	g_printerr("kdh: ");
	g_printerr(fmt, what);
	g_printerr("\n\n%s", help);
	return EXIT_USAGE;
}

/* ---- kdh list ---- */

static int main_list(int argc, char **argv)
{
	g_autofree char *dir = main_default_scenario_dir();
	g_autoptr(GOptionContext) ctx = g_option_context_new("- list the scenarios");
	GOptionEntry entries[] = {
		{ "scenario-dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "scenario files", "DIR" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *entry;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return main_usage(ctx, "%s", error->message);
	d = g_dir_open(dir, 0, &error);
	if (!d) {
		g_printerr("kdh: %s\n", error->message);
		return EXIT_USAGE;
	}
	while ((entry = g_dir_read_name(d)))
		if (g_str_has_suffix(entry, ".conf"))
			g_ptr_array_add(names, g_build_filename(dir, entry, NULL));
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		struct kdh_scenario s;

		if (!kdh_scenario_load(names->pdata[i], &s, &error)) {
			g_printerr("kdh: %s\n", error->message);
			return EXIT_USAGE;
		}
		printf("%-24s %s\n", s.name, s.description);
		kdh_scenario_clear(&s);
	}
	return 0;
}

/* ---- kdh run ---- */

struct main_run {
	char *uri;
	char *kernel_spec;
	char *results;
	char *scenario_dir;
	char *accel;
	gboolean keep_vmcore;
	int signal; /* the signal that interrupted the run, 0 none */
	GCancellable *cancel;
};

struct main_signal {
	struct main_run *m;
	int signo;
};

static gboolean main_on_signal(gpointer data)
{
	struct main_signal *sig = data;

	sig->m->signal = sig->signo;
	g_cancellable_cancel(sig->m->cancel);
	return G_SOURCE_CONTINUE;
}

/* A name kdh-YYYYmmdd-HHMMSS-PID-... is stale when its process is gone. */
static gboolean main_name_is_stale(const char *name)
{
	g_auto(GStrv) parts = g_strsplit(name, "-", 5);
	gint64 pid;

	if (g_strv_length(parts) < 4 || !g_ascii_string_to_signed(parts[3], 10, 1, G_MAXINT, &pid,
								 NULL))
		return FALSE;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static void main_reap(struct kdh_virt *virt)
{
	g_autoptr(GPtrArray) reaped = kdh_virt_reap(virt, KDH_PREFIX, main_name_is_stale);

	for (guint i = 0; i < reaped->len; i++)
		g_printerr("kdh: removed '%s', left behind by a run that was killed\n",
			   (char *)reaped->pdata[i]);
}

static char *main_default_kernel(void)
{
	return g_build_filename(g_get_user_cache_dir(), "kdh", "kernels", "default", NULL);
}

/* TCG unless asked otherwise: see README ("KVM") for why auto is not yet KVM. */
static const char *main_domain_type(const struct main_run *m, struct kdh_virt *virt,
				    GError **error)
{
	if (g_str_equal(m->accel, "tcg"))
		return "qemu";
	if (g_str_equal(m->accel, "kvm")) {
		if (kdh_virt_offers_kvm(virt))
			return "kvm";
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
			    "--accel kvm: libvirt at '%s' offers no KVM domain", m->uri);
		return NULL;
	}
	return "qemu";
}

static gboolean main_write_summary(const char *dir, JsonNode *summary, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "summary.json", NULL);
	g_autofree char *text = kdh_report_json_text(summary);

	return g_file_set_contents(path, text, -1, error);
}

/* Run one scenario and report it. Returns its verdict's exit code, or
 * EXIT_INFRA with ERROR set. */
static int main_run_one(struct main_run *m, struct kdh_virt *virt, const char *type,
			const struct kdh_kernel *kernel, const char *run_id, int index,
			const struct kdh_scenario *s, GError **error)
{
	g_autofree char *exe_dir = main_exe_dir();
	g_autofree char *agent = g_build_filename(exe_dir, "kdh-agent", NULL);
	g_autofree char *name = g_strdup_printf(KDH_PREFIX "%s-%s", run_id, s->name);
	g_autofree char *pool_dir = g_build_filename("/var/lib/libvirt/images", name, NULL);
	g_autofree char *results = g_build_filename(m->results, run_id, s->name, NULL);
	g_autofree char *ktap = NULL;
	g_autoptr(JsonNode) summary = NULL;
	const struct kdh_run_options o = {
		.virt = virt,
		.kernel = kernel,
		.agent = agent,
		.domain_type = type,
		.name = name,
		.pool_dir = pool_dir,
		.results = results,
		.keep_vmcore = m->keep_vmcore,
		.cancel = m->cancel,
	};
	struct kdh_expect expect = kdh_scenario_expect(s);
	struct kdh_evidence e;
	struct kdh_verdict v = { 0 };
	gboolean ran;
	int code;

	kdh_evidence_init(&e);
	ran = kdh_run_scenario(s, &o, &e, error);
	kdh_verdict_decide(&v, &expect, &e);
	summary = kdh_report_summary(s->name, &expect, &e, &v);
	/* What was seen is kept even when the run broke off. */
	if (!main_write_summary(results, summary, ran ? error : NULL) && ran)
		ran = FALSE;
	if (ran) {
		ktap = kdh_ktap_result(index, s->name, &v);
		fputs(ktap, stdout);
		fflush(stdout);
		g_printerr("kdh: %s: %s (%s): %s\n", s->name, kdh_result_name(v.result),
			   kdh_reason_name(v.reason), v.detail);
	}
	code = ran ? kdh_verdict_exit_code(&v) : EXIT_INFRA;
	kdh_verdict_clear(&v);
	kdh_evidence_clear(&e);
	return code;
}

static int main_worst(int a, int b)
{
	/* infrastructure > crash path broken > not testable > pass */
	static const int rank[] = { 0, 125, 1, EXIT_INFRA };

	for (int i = G_N_ELEMENTS(rank) - 1; i >= 0; i--)
		if (a == rank[i] || b == rank[i])
			return rank[i];
	return 0;
}

static gboolean main_load_scenarios(struct main_run *m, int argc, char **argv,
				    GArray *scenarios, GError **error)
{
	const char *def[] = { DEFAULT_SCENARIO };
	const char *const *specs = argc > 1 ? (const char *const *)argv + 1 : def;
	int n = argc > 1 ? argc - 1 : 1;

	for (int i = 0; i < n; i++) {
		g_autofree char *path = kdh_scenario_path(specs[i], m->scenario_dir, error);
		struct kdh_scenario s;

		if (!path || !kdh_scenario_load(path, &s, error))
			return FALSE;
		g_array_append_val(scenarios, s);
	}
	return TRUE;
}

static int main_run_all(struct main_run *m, GArray *scenarios, const struct kdh_kernel *kernel)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
	g_autofree char *run_id = g_strdup_printf("%s-%d", stamp, (int)getpid());
	g_autofree char *plan = kdh_ktap_plan((int)scenarios->len);
	struct kdh_virt *virt = kdh_virt_open(m->uri, &error);
	const char *type;
	int worst = 0;

	if (!virt) {
		g_printerr("kdh: %s\n", error->message);
		return EXIT_INFRA;
	}
	main_reap(virt);
	type = main_domain_type(m, virt, &error);
	if (!type) {
		kdh_virt_free(virt);
		g_printerr("kdh: %s\n", error->message);
		return 125;
	}
	g_printerr("kdh: run %s on %s (%s), kernel %s, results in %s/%s\n", run_id, m->uri,
		   g_str_equal(type, "kvm") ? "KVM" : "TCG", kernel->release, m->results, run_id);
	fputs(plan, stdout);
	for (guint i = 0; i < scenarios->len && worst != EXIT_INFRA; i++) {
		const struct kdh_scenario *s = &g_array_index(scenarios, struct kdh_scenario, i);

		worst = main_worst(worst, main_run_one(m, virt, type, kernel, run_id, (int)i + 1, s,
						       &error));
	}
	kdh_virt_free(virt);
	if (error) {
		g_printerr("kdh: %s\n", error->message);
		if (m->signal)
			return 128 + m->signal;
	}
	return worst;
}

static int main_run(int argc, char **argv)
{
	struct main_run m = { 0 };
	g_autoptr(GOptionContext) ctx = g_option_context_new("[SCENARIO...] - run scenarios");
	GOptionEntry entries[] = {
		{ "uri", 0, 0, G_OPTION_ARG_STRING, &m.uri, "libvirt URI (qemu:///system)", "URI" },
		{ "kernel", 0, 0, G_OPTION_ARG_FILENAME, &m.kernel_spec,
		  "guest kernel: unpacked package, build tree or bzImage (the setup's default)",
		  "PATH" },
		{ "results", 0, 0, G_OPTION_ARG_FILENAME, &m.results, "results directory (results)",
		  "DIR" },
		{ "scenario-dir", 0, 0, G_OPTION_ARG_FILENAME, &m.scenario_dir, "scenario files",
		  "DIR" },
		{ "accel", 0, 0, G_OPTION_ARG_STRING, &m.accel, "auto, tcg or kvm (auto)", "ACCEL" },
		{ "keep-vmcore", 0, 0, G_OPTION_ARG_NONE, &m.keep_vmcore,
		  "keep the vmcore in the results", NULL },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) scenarios = g_array_new(FALSE, TRUE, sizeof(struct kdh_scenario));
	struct kdh_kernel kernel = { 0 };
	struct main_signal sigs[] = { { &m, SIGINT }, { &m, SIGTERM }, { &m, SIGHUP } };
	guint sig_ids[G_N_ELEMENTS(sigs)];
	int code;

	g_array_set_clear_func(scenarios, (GDestroyNotify)kdh_scenario_clear);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return main_usage(ctx, "%s", error->message);
	m.uri = m.uri ? m.uri : g_strdup("qemu:///system");
	m.kernel_spec = m.kernel_spec ? m.kernel_spec : main_default_kernel();
	m.results = m.results ? m.results : g_strdup("results");
	m.scenario_dir = m.scenario_dir ? m.scenario_dir : main_default_scenario_dir();
	m.accel = m.accel ? m.accel : g_strdup("auto");
	if (!g_str_equal(m.accel, "auto") && !g_str_equal(m.accel, "tcg") &&
	    !g_str_equal(m.accel, "kvm"))
		return main_usage(ctx, "--accel: '%s' is not auto, tcg or kvm", m.accel);
	if (!main_load_scenarios(&m, argc, argv, scenarios, &error) ||
	    !kdh_kernel_resolve(m.kernel_spec, &kernel, &error)) {
		g_printerr("kdh: %s\n", error->message);
		return EXIT_USAGE;
	}
	m.cancel = g_cancellable_new();
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
		sig_ids[i] = g_unix_signal_add(sigs[i].signo, main_on_signal, &sigs[i]);
	code = main_run_all(&m, scenarios, &kernel);
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
		g_source_remove(sig_ids[i]);
	g_object_unref(m.cancel);
	kdh_kernel_clear(&kernel);
	g_free(m.uri);
	g_free(m.kernel_spec);
	g_free(m.results);
	g_free(m.scenario_dir);
	g_free(m.accel);
	return code;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
		const char *help;
	} commands[] = {
		{ "run", main_run, "run scenarios on libvirt guests" },
		{ "list", main_list, "list the scenarios" },
	};

	if (argc >= 2)
		for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
			if (g_str_equal(argv[1], commands[i].name))
				return commands[i].fn(argc - 1, argv + 1);
	g_printerr("usage: kdh COMMAND [OPTION...]\n\ncommands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		g_printerr("  %-8s %s\n", commands[i].name, commands[i].help);
	if (argc >= 2)
		g_printerr("\nkdh: unknown command '%s'\n", argv[1]);
	return EXIT_USAGE;
}

/* kdh run: scenarios on libvirt guests, one after the other: on the --uri's
 * libvirt, and the hyperv platform's, where that host cannot run them, in the
 * nested lab on a second connection. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kdh-attempt.h"
#include "kdh-cli.h"
#include "kdh-config.h"
#include "kdh-evidence.h"
#include "kdh-junit.h"
#include "kdh-kernel.h"
#include "kdh-lab.h"
#include "kdh-report.h"
#include "kdh-run.h"
#include "kdh-tally.h"
#include "kdh-verdict.h"
#include "kdh-virt.h"

#define KDH_PREFIX "kdh-"
#define DEFAULT_SCENARIO "nmi-all-vcpus"
/* Under KVM the guest's agent says hello in a few seconds; where KVM cannot run
 * it (a PVM host) it never does. A slow answer only costs TCG's speed. */
#define ACCEL_PROBE_BOOT_S 10
/* A run in the nested lab that the emulation cut short is tried again: up to
 * this many attempts, none started after this many seconds (docs/HYPERV.md:
 * an attempt that passes takes 2 to 6 minutes, one cut short up to 4, a new
 * L1 about one). */
#define LAB_ATTEMPTS 3
#define LAB_ATTEMPTS_MAX 100
#define LAB_BUDGET_S 1200
#define LAB_BUDGET_MAX_S 86400

/* A libvirt host that runs scenarios. */
struct main_target {
	char *uri;
	struct kdh_virt *virt;
	const char *type; /* libvirt domain type: "qemu" (TCG) or "kvm" */
};

struct main_run {
	/* options */
	gboolean uri_given; /* --uri: the hyperv scenarios never go to the lab */
	char **kernel_specs; /* --kernel, repeated for the packages of one kernel */
	char *results;
	char *scenario_dir;
	char *accel;
	gboolean keep_vmcore;
	gboolean keep_lab;
	char *lab_attempts_text; /* --lab-attempts, NULL when not given */
	char *lab_budget_text;   /* --lab-budget, NULL when not given */
	int lab_attempts;
	guint lab_budget_s;
	int repeat;
	char *junit_path;
	/* the session */
	struct kdh_kernel kernel;
	struct main_target local;  /* --uri's (qemu:///system) */
	struct main_target lab;    /* the nested lab, for the hyperv scenarios when the
				    * local host cannot run them; virt NULL when unused */
	struct kdh_lab lab_config;
	gboolean lab_used;         /* the hyperv scenarios run in the lab (lab.virt NULL
				    * when the lab did not come up again for an attempt) */
	gboolean lab_started;      /* this run brought the lab up: it takes it down */
	char *run_id;       /* YYYYmmdd-HHMMSS-PID: the PID lets a later run reap */
	struct kdh_tally *tally;
	struct kdh_junit *junit; /* NULL without --junit */
	struct kdh_run_manifest manifest; /* run.json: an entry per KTAP test, in order */
	int index;          /* of the KTAP test being run */
	struct kdh_cli_signals signals; /* .signal: what interrupted the run, 0 none */
	GCancellable *cancel;
};

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
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) reaped = kdh_virt_reap(virt, KDH_PREFIX, main_name_is_stale, problems);

	for (guint i = 0; i < reaped->len; i++)
		g_printerr("kdh: removed %s, left behind by a run that was killed\n",
			   (char *)reaped->pdata[i]);
	for (guint i = 0; i < problems->len; i++)
		g_printerr("kdh: %s\n", (char *)problems->pdata[i]);
}

static gboolean main_open(struct main_target *t, GError **error)
{
	t->virt = kdh_virt_open(t->uri, error);
	if (!t->virt)
		return FALSE;
	main_reap(t->virt);
	return TRUE;
}

/* DIR/NAME replaced whole: g_file_set_contents() writes a temporary file
 * beside it and renames it over, so a reader never sees half of one. */
static gboolean main_write_json(const char *dir, const char *name, JsonNode *node,
				GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *text = kdh_report_json_text(node);

	return g_file_set_contents(path, text, -1, error);
}

/* Run S on T as LABEL (its results directory and guest name), up to stage LAST;
 * ATTEMPT (from 1) of it: a later one's guest has a name of its own, in case
 * an earlier one's could not be removed. */
static gboolean main_run_scenario(struct main_run *m, const struct main_target *t,
				  const char *type, const char *label, int attempt,
				  const struct kdh_scenario *s, enum kdh_stage last,
				  struct kdh_evidence *e, GError **error)
{
	g_autofree char *exe_dir = kdh_cli_exe_dir();
	g_autofree char *agent = g_build_filename(exe_dir, "kdh-agent", NULL);
	g_autofree char *name = attempt > 1 ? g_strdup_printf(KDH_PREFIX "%s-%s-attempt-%d",
							      m->run_id, label, attempt)
					    : g_strdup_printf(KDH_PREFIX "%s-%s", m->run_id, label);
	g_autofree char *pool_dir = g_build_filename("/var/lib/libvirt/images", name, NULL);
	g_autofree char *results = g_build_filename(m->results, m->run_id, label, NULL);
	const struct kdh_run_options o = {
		.virt = t->virt,
		.kernel = &m->kernel,
		.agent = agent,
		.domain_type = type,
		.name = name,
		.pool_dir = pool_dir,
		.results = results,
		.keep_vmcore = m->keep_vmcore,
		.last_stage = last,
		/* a run that stops early is the probe */
		.probe = last < KDH_STAGE_BYE,
		.cancel = m->cancel,
	};

	return kdh_run_scenario(s, &o, e, error);
}

/* The probe's answer is cached per libvirt host, hypervisor and host kernel:
 * whether KVM can run a stock guest is the host's property, and a bisect gives
 * every commit a kernel release of its own. */
static char *main_probe_cache_path(const struct main_run *m)
{
	g_autofree char *host = kdh_virt_host_id(m->local.virt);
	g_autofree char *osrelease = NULL;
	g_autofree char *what = NULL;
	g_autofree char *key = NULL;
	g_autofree char *cache = kdh_cli_cache_dir();

	g_file_get_contents("/proc/sys/kernel/osrelease", &osrelease, NULL, NULL);
	what = g_strjoin("\n", m->local.uri, host, osrelease ? osrelease : "", NULL);
	key = g_compute_checksum_for_string(G_CHECKSUM_SHA256, what, -1);
	return g_build_filename(cache, "accel", key, NULL);
}

/* Libvirt offers KVM on hosts where KVM cannot run a stock guest (FIELD-NOTES:
 * a PVM host kernel): boot the guest kernel under KVM up to the agent's hello,
 * and use KVM only if that works. The probe guest is always of the plain
 * platform: the question is whether KVM runs guests at all, and a hyperv
 * guest's QEMU does not even start where KVM lacks Hyper-V emulation. */
static const char *main_probe_kvm(struct main_run *m, const struct kdh_scenario *s,
				  GError **error)
{
	g_autofree char *cache = main_probe_cache_path(m);
	g_autofree char *cached = NULL;
	g_autofree char *dir = g_path_get_dirname(cache);
	struct kdh_scenario probe = *s;
	struct kdh_evidence e;
	const char *type;
	gboolean ok;

	if (g_file_get_contents(cache, &cached, NULL, NULL))
		return g_str_equal(cached, "kvm") ? "kvm" : "qemu";
	probe.deadlines[KDH_STAGE_BOOT] = ACCEL_PROBE_BOOT_S;
	probe.hyperv = FALSE;
	g_printerr("kdh: probing KVM on %s: does the guest kernel boot under it (%d s at most)?\n",
		   m->local.uri, ACCEL_PROBE_BOOT_S);
	kdh_evidence_init(&e);
	ok = main_run_scenario(m, &m->local, "kvm", "accel-probe", 1, &probe, KDH_STAGE_BOOT, &e,
			       error);
	type = e.first.seen ? "kvm" : "qemu";
	kdh_evidence_clear(&e);
	if (!ok)
		return NULL;
	g_printerr("kdh: KVM %s boot the guest kernel on %s: using %s\n",
		   g_str_equal(type, "kvm") ? "can" : "cannot", m->local.uri,
		   g_str_equal(type, "kvm") ? "KVM" : "TCG");
	g_mkdir_with_parents(dir, 0755);
	g_file_set_contents(cache, type, -1, NULL);
	return type;
}

static const char *main_domain_type(struct main_run *m, const struct kdh_scenario *s,
				    GError **error)
{
	if (g_str_equal(m->accel, "tcg"))
		return "qemu";
	if (!kdh_virt_offers_kvm(m->local.virt)) {
		if (g_str_equal(m->accel, "auto"))
			return "qemu";
		g_set_error(error, KDH_ERROR, KDH_ERROR_UNTESTABLE,
			    "--accel kvm: libvirt at '%s' offers no KVM domain", m->local.uri);
		return NULL;
	}
	if (g_str_equal(m->accel, "kvm"))
		return "kvm";
	return main_probe_kvm(m, s, error);
}

/* Scenario S's run R as the results, the guest and the reports name it:
 * "name.R" when each scenario runs more than once. */
static char *main_label(const struct main_run *m, const struct kdh_scenario *s, int r)
{
	return m->repeat > 1 ? g_strdup_printf("%s.%d", s->name, r) : g_strdup(s->name);
}

/* run.json's entry of the KTAP test INDEX (1-based): both follow the plan. */
static struct kdh_run_entry *main_entry(struct main_run *m, int index)
{
	return m->manifest.scenarios->pdata[index - 1];
}

/* run.json as it stands, in results/<run id>/, replacing the last one. */
static gboolean main_write_manifest(struct main_run *m, GError **error)
{
	g_autofree char *dir = g_build_filename(m->results, m->run_id, NULL);
	g_autoptr(JsonNode) json = kdh_run_manifest_json(&m->manifest);

	if (g_mkdir_with_parents(dir, 0755) < 0) {
		int err = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(err), "cannot create '%s': %s",
			    dir, g_strerror(err));
		return FALSE;
	}
	return main_write_json(dir, "run.json", json, error);
}

/* Every planned run in run.json, pending, before the first starts. */
static void main_plan_manifest(struct main_run *m, GArray *scenarios)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();

	m->manifest.run = g_strdup(m->run_id);
	m->manifest.started = g_date_time_format_iso8601(now);
	m->manifest.kernel_release = g_strdup(m->kernel.release);
	m->manifest.kernel_image = g_strdup(m->kernel.vmlinuz);
	m->manifest.kernel_vmlinux = g_strdup(m->kernel.vmlinux);
	m->manifest.uri = g_strdup(m->local.uri);
	for (guint i = 0; i < scenarios->len; i++) {
		const struct kdh_scenario *s = &g_array_index(scenarios, struct kdh_scenario, i);

		for (int r = 1; r <= m->repeat; r++) {
			g_autofree char *label = main_label(m, s, r);

			kdh_run_manifest_plan(&m->manifest, label, s->name, r,
					      kdh_platform_name(s->platform));
		}
	}
}

/* The run ended with CODE: run.json complete. Returns CODE, or KDH_EXIT_INFRA
 * when run.json, the run's one account for its readers, cannot be written. */
static int main_finish_manifest(struct main_run *m, int code)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autoptr(GError) error = NULL;

	m->manifest.finished = g_date_time_format_iso8601(now);
	m->manifest.exit = code;
	if (main_write_manifest(m, &error))
		return code;
	g_printerr("kdh: run.json: %s\n", error->message);
	return code >= KDH_EXIT_INFRA ? code : KDH_EXIT_INFRA;
}

/* The run LABEL broke under the harness: an <error> testcase in the JUnit
 * report, so that CI shows what broke (ERROR's message, or the signal that
 * interrupted it) beside the runs that finished. E and RESULTS as far as the
 * run got; NULL when it never started. A report that cannot be written is told
 * in ERROR too, which stays the one error returned. */
static void main_junit_error(struct main_run *m, const char *label, const struct kdh_evidence *e,
			     const char *results, GError **error)
{
	g_autofree char *message = NULL;
	g_autoptr(GError) write_error = NULL;
	int signo;

	if (!m->junit)
		return;
	/* Cancelled by a signal, the run's own error only says "interrupted". */
	signo = kdh_cli_signals_caught(&m->signals);
	message = signo ? g_strdup_printf("interrupted by signal %d (%s)", signo, g_strsignal(signo))
			: g_strdup((*error)->message);
	kdh_junit_add_error(m->junit, label, message, e, results);
	if (!kdh_junit_write(m->junit, m->junit_path, &write_error))
		g_prefix_error(error, "--junit: %s, so the report misses this: ",
			       write_error->message);
}

/* KTAP's line for the run LABEL, which broke under the harness for WHY (or a
 * signal): every planned test has its line, this one too; run.json's entry
 * with HOST, where it ran, and DIR, its evidence (each NULL: none). */
static void main_ktap_error(struct main_run *m, const char *label, const char *why,
			    const char *host, const char *dir)
{
	int signo = kdh_cli_signals_caught(&m->signals);
	g_autofree char *interrupted = signo ? g_strdup_printf("interrupted by signal %d", signo)
					     : NULL;
	g_autofree char *line = kdh_report_ktap_error(++m->index, label,
							interrupted ? interrupted : why);

	fputs(line, stdout);
	fflush(stdout);
	kdh_run_entry_broke(main_entry(m, m->index), interrupted ? interrupted : why,
			    signo ? 128 + signo : KDH_EXIT_INFRA, host, dir);
}

/* KTAP's lines (and run.json's entries) for the runs of SCENARIOS from run R
 * of scenario I on, which will not run for WHY (NULL: the run before them
 * broke, or a signal came). */
static void main_ktap_not_run(struct main_run *m, GArray *scenarios, guint i, int r,
			      const char *reason)
{
	int signo = kdh_cli_signals_caught(&m->signals);
	g_autofree char *why = signo    ? g_strdup_printf("interrupted by signal %d", signo)
			       : reason ? g_strdup(reason)
					: g_strdup("a run before it broke under the harness");

	for (; i < scenarios->len; i++, r = 1) {
		const struct kdh_scenario *s = &g_array_index(scenarios, struct kdh_scenario, i);

		for (; r <= m->repeat; r++) {
			g_autofree char *label = main_label(m, s, r);
			g_autofree char *line = kdh_report_ktap_not_run(++m->index, label, why);

			fputs(line, stdout);
			kdh_run_entry_not_run(main_entry(m, m->index), why);
		}
	}
	fflush(stdout);
}

/* Every name is stale to this: what the run's own earlier attempts left. */
static gboolean main_name_is_ours(const char *name)
{
	(void)name;
	return TRUE;
}

/* The lab for another attempt: the connection to it closed (one to an L1
 * that wedged is dead), the lab restarted when RESTART (L1 no longer
 * answered, or is down), its wait for L1 within LEFT_S seconds, and a new
 * connection, which also removes what the run's earlier attempts left in L1
 * (a pool, when the connection was lost before the run could delete it). */
static gboolean main_lab_again(struct main_run *m, gboolean restart, guint left_s,
			       GError **error)
{
	g_autofree char *ours = g_strdup_printf(KDH_PREFIX "%s-", m->run_id);
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) reaped = NULL;

	/* a signal reaches the main loop only when it runs: one that came while
	 * the attempt before ended stops here, before any lab goes down */
	while (g_main_context_iteration(NULL, FALSE))
		;
	if (g_cancellable_set_error_if_cancelled(m->cancel, error))
		return FALSE;
	g_clear_pointer(&m->lab.virt, kdh_virt_free);
	if (restart) {
		guint up_timeout = m->lab_config.timeout_s;
		gboolean destroyed, started;
		char *uri;

		if (!kdh_lab_down(&m->lab_config, &destroyed, error))
			return FALSE;
		m->lab_config.timeout_s = MIN(up_timeout, MAX(left_s, 1));
		/* a lab that ran before this run stays up at its end, restarted or not */
		uri = kdh_lab_up(&m->lab_config, m->cancel, &started, error);
		m->lab_config.timeout_s = up_timeout;
		if (!uri)
			return FALSE;
		g_free(m->lab.uri);
		m->lab.uri = uri;
	}
	if (!main_open(&m->lab, error))
		return FALSE;
	reaped = kdh_virt_reap(m->lab.virt, ours, main_name_is_ours, problems);
	for (guint i = 0; i < reaped->len; i++)
		g_printerr("kdh: removed %s, left behind by an attempt before\n",
			   (char *)reaped->pdata[i]);
	for (guint i = 0; i < problems->len; i++)
		g_printerr("kdh: %s\n", (char *)problems->pdata[i]);
	return TRUE;
}

/* The files of attempt N, which are those directly in RESULTS (the attempts
 * before it are in folders of their own), moved into RESULTS/attempt-N, so
 * that RESULTS holds the files of the attempt that gives the verdict. Returns
 * "attempt-N", or NULL when it left no file. Tells what it could not move. */
static char *main_keep_attempt(const char *results, int n)
{
	g_autofree char *name = g_strdup_printf("attempt-%d", n);
	g_autofree char *to_dir = g_build_filename(results, name, NULL);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = g_dir_open(results, 0, NULL);
	const char *entry;

	while (d && (entry = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(results, entry, NULL);

		if (!g_file_test(path, G_FILE_TEST_IS_DIR))
			g_ptr_array_add(files, g_strdup(entry));
	}
	if (files->len == 0)
		return NULL;
	if (g_mkdir_with_parents(to_dir, 0755) < 0) {
		g_printerr("kdh: cannot create '%s': %s\n", to_dir, g_strerror(errno));
		return NULL;
	}
	for (guint i = 0; i < files->len; i++) {
		g_autofree char *from = g_build_filename(results, files->pdata[i], NULL);
		g_autofree char *to = g_build_filename(to_dir, files->pdata[i], NULL);

		if (g_rename(from, to) < 0)
			g_printerr("kdh: cannot move '%s' into '%s': %s\n", from, to_dir,
				   g_strerror(errno));
	}
	return g_steal_pointer(&name);
}

/* What one attempt saw: its evidence and the verdict on it, or, when the run
 * broke under the harness (or the lab did not come up for it), why. */
struct main_attempt {
	struct kdh_evidence e;
	struct kdh_verdict v;
	gboolean guest;  /* a guest was started: the attempt has files */
	GError *broke;
};

static void main_attempt_init(struct main_attempt *a)
{
	kdh_evidence_init(&a->e);
	a->v = (struct kdh_verdict){ 0 };
	a->guest = FALSE;
	a->broke = NULL;
}

static void main_attempt_clear(struct main_attempt *a)
{
	kdh_verdict_clear(&a->v);
	kdh_evidence_clear(&a->e);
	g_clear_error(&a->broke);
}

static JsonNode *main_summary(const struct kdh_scenario *s, const struct kdh_expect *expect,
			      const struct main_attempt *a)
{
	JsonNode *summary = kdh_report_summary(s->name, expect, &a->e, &a->v);

	/* What was seen is kept even when the run broke off, but not judged. */
	if (a->broke)
		kdh_report_summary_broke(summary, a->broke->message);
	return summary;
}

/* L1's console, which the lab's restart is about to replace, kept as
 * RESULTS/DIR/lab-console.log: how L1 died (its kernel's last words) is the
 * only account of an attempt that lost it. */
static void main_keep_lab_console(const struct main_run *m, const char *results, const char *dir)
{
	g_autofree char *from = g_build_filename(m->lab_config.state, "console.log", NULL);
	g_autofree char *to = g_build_filename(results, dir, "lab-console.log", NULL);
	g_autoptr(GFile) src = g_file_new_for_path(from);
	g_autoptr(GFile) dst = g_file_new_for_path(to);
	g_autoptr(GError) error = NULL;

	if (!g_file_copy(src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
		g_printerr("kdh: could not keep L1's console %s: %s\n", from, error->message);
}

/* Attempt A of run LABEL of S, which the emulation cut short for WHY: said
 * on stderr with what comes next (NEXT; RESTART: the lab no longer answers),
 * its summary.json written and its files moved aside, and A made ready for
 * the next attempt. */
static void main_attempt_cut_short(struct main_run *m, const struct kdh_scenario *s,
				   const char *label, const char *results,
				   struct kdh_attempts *attempts, enum kdh_attempt_next next,
				   gboolean restart, const char *why, struct main_attempt *a)
{
	struct kdh_expect expect = kdh_scenario_expect(s);
	g_autofree char *then = next == KDH_ATTEMPT_NONE_LEFT ? g_strdup("no attempt left")
				: next == KDH_ATTEMPT_BUDGET_SPENT
					? g_strdup_printf("the lab's budget of %u s (--lab-budget) "
							  "is spent", m->lab_budget_s)
				: restart ? g_strdup("restarting the lab")
					  : g_strdup("trying again");
	g_autofree char *dir = NULL;

	g_printerr("kdh: %s: attempt %d of %d cut short by the emulation (%s); %s\n", label,
		   attempts->made, attempts->max, why, then);
	if (a->guest) {
		g_autoptr(JsonNode) summary = main_summary(s, &expect, a);

		/* its own account, beside its consoles; what cannot be written
		 * here is only this attempt's loss */
		main_write_json(results, "summary.json", summary, NULL);
		dir = main_keep_attempt(results, attempts->made);
	}
	if (restart && dir)
		main_keep_lab_console(m, results, dir);
	kdh_attempts_cut_short(attempts, why, dir);
	main_attempt_clear(a);
	main_attempt_init(a);
}

/* Attempts of run LABEL of S on T until one is not cut short by the
 * emulation, in A: the only one for a run that is not in the nested lab.
 * When every one the attempts and the budget allow was cut short, A holds the
 * verdict that says so, and no evidence. */
static void main_attempts(struct main_run *m, const struct kdh_scenario *s, const char *label,
			  const struct main_target *t, struct kdh_attempts *attempts,
			  struct main_attempt *a)
{
	g_autofree char *results = g_build_filename(m->results, m->run_id, label, NULL);
	struct kdh_expect expect = kdh_scenario_expect(s);
	gboolean lab = t == &m->lab;
	g_autoptr(GTimer) clock = g_timer_new();
	/* a lab that did not come up again for an earlier run is tried first */
	gboolean restart = lab && !m->lab.virt && !kdh_lab_answers(&m->lab_config);

	for (;;) {
		g_autofree char *why = NULL;
		enum kdh_attempt_next next;
		guint left_s;

		attempts->made++;
		left_s = kdh_attempts_time_left(attempts, g_timer_elapsed(clock, NULL));
		if (lab && (attempts->made > 1 || !m->lab.virt) &&
		    !main_lab_again(m, restart, left_s, &a->broke)) {
			if (!g_error_matches(a->broke, G_IO_ERROR, G_IO_ERROR_CANCELLED))
				why = g_strdup_printf("the lab did not come up again: %s",
						      a->broke->message);
		} else {
			a->guest = TRUE;
			main_run_scenario(m, t, t->type, label, attempts->made, s, KDH_STAGE_BYE,
					  &a->e, &a->broke);
			kdh_verdict_decide(&a->v, &expect, &a->e);
			if (lab)
				why = kdh_attempt_cut_short(a->broke ? NULL : &a->v, a->broke);
		}
		if (!why)
			return;
		next = kdh_attempts_next(attempts, g_timer_elapsed(clock, NULL));
		/* no question to L1 once a signal came (main_lab_again() ends at once) */
		while (g_main_context_iteration(NULL, FALSE))
			;
		restart = next == KDH_ATTEMPT_AGAIN && !g_cancellable_is_cancelled(m->cancel) &&
			  !kdh_lab_answers(&m->lab_config);
		main_attempt_cut_short(m, s, label, results, attempts, next, restart, why, a);
		if (next != KDH_ATTEMPT_AGAIN) {
			kdh_attempts_verdict(&a->v, attempts, next);
			return;
		}
	}
}

/* Run scenario S once as LABEL (in the nested lab, as many attempts as it
 * takes) and report it. Returns its verdict's exit code, or KDH_EXIT_INFRA
 * with ERROR set. */
static int main_run_one(struct main_run *m, const struct kdh_scenario *s, const char *label,
			GError **error)
{
	g_autofree char *results = g_build_filename(m->results, m->run_id, label, NULL);
	g_autofree char *ktap = NULL;
	g_autoptr(JsonNode) summary = NULL;
	struct kdh_expect expect = kdh_scenario_expect(s);
	gboolean lab = s->hyperv && m->lab_used;
	const struct main_target *t = lab ? &m->lab : &m->local;
	struct kdh_attempts attempts;
	struct main_attempt a;
	const char *dir;
	gboolean ran;
	int code;

	kdh_attempts_init(&attempts, lab ? m->lab_attempts : 1, m->lab_budget_s);
	main_attempt_init(&a);
	main_attempts(m, s, label, t, &attempts, &a);
	summary = main_summary(s, &expect, &a);
	ran = !a.broke;
	if (!ran)
		g_propagate_error(error, g_steal_pointer(&a.broke));
	if (lab) {
		kdh_report_summary_attempts(summary, &attempts);
		/* the attempts' folders and the verdict, when no attempt gave one */
		if (attempts.cut->len)
			g_mkdir_with_parents(results, 0755);
	}
	if (!main_write_json(results, "summary.json", summary, ran ? error : NULL) && ran)
		ran = FALSE;
	/* its evidence in run.json: where its summary is, relative to run.json */
	dir = g_file_test(results, G_FILE_TEST_IS_DIR) ? label : NULL;
	if (!ran) {
		main_junit_error(m, label, &a.e, results, error);
		main_ktap_error(m, label, (*error)->message, t->uri, dir);
	} else {
		ktap = kdh_report_ktap_result(++m->index, label, &a.v);
		fputs(ktap, stdout);
		fflush(stdout);
		g_printerr("kdh: %s: %s (%s): %s\n", label, kdh_result_name(a.v.result),
			   kdh_reason_name(a.v.reason), a.v.detail);
		kdh_tally_add(m->tally, s->name, &a.v, &a.e);
		kdh_run_entry_judged(main_entry(m, m->index), &a.v, t->uri, dir);
		/* written after every run: what a later failure interrupts is kept */
		if (m->junit) {
			kdh_junit_add(m->junit, label, &a.v, &a.e, results);
			if (!kdh_junit_write(m->junit, m->junit_path, error))
				ran = FALSE;
		}
	}
	if (lab)
		kdh_run_entry_attempts(main_entry(m, m->index), &attempts);
	/* A report it could not write (the JUnit file, run.json itself) breaks
	 * the run: run.json says so, if it can be written at all. */
	if (ran && !main_write_manifest(m, error))
		ran = FALSE;
	if (!ran) {
		struct kdh_run_entry *entry = main_entry(m, m->index);

		if (entry->verdict != KDH_RUN_ERROR)
			kdh_run_entry_broke(entry, (*error)->message, KDH_EXIT_INFRA, t->uri, dir);
		main_write_manifest(m, NULL);
	}
	code = ran ? kdh_verdict_exit_code(&a.v) : KDH_EXIT_INFRA;
	main_attempt_clear(&a);
	kdh_attempts_clear(&attempts);
	return code;
}

static int main_worst(int a, int b)
{
	/* infrastructure > crash path broken > not testable > pass */
	static const int rank[] = { 0, KDH_EXIT_UNTESTABLE, 1, KDH_EXIT_INFRA };

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

/* Every scenario, each m->repeat times ("name.1", "name.2", ... when repeated). */
static int main_run_scenarios(struct main_run *m, GArray *scenarios, GError **error)
{
	int worst = 0;

	for (guint i = 0; i < scenarios->len; i++) {
		const struct kdh_scenario *s = &g_array_index(scenarios, struct kdh_scenario, i);

		for (int r = 1; r <= m->repeat; r++) {
			g_autofree char *label = main_label(m, s, r);

			worst = main_worst(worst, main_run_one(m, s, label, error));
			if (worst == KDH_EXIT_INFRA) {
				main_ktap_not_run(m, scenarios, r < m->repeat ? i : i + 1,
						  r < m->repeat ? r + 1 : 1, NULL);
				return worst;
			}
		}
	}
	return worst;
}

/* The tally of all runs: on stderr for a person, as KTAP diagnostics, and in
 * results/<run id>/tally.json. */
static void main_report_tally(struct main_run *m)
{
	g_autofree char *text = kdh_tally_text(m->tally);
	g_autofree char *dir = g_build_filename(m->results, m->run_id, NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(JsonNode) json = kdh_tally_json(m->tally);
	g_autoptr(GError) error = NULL;

	for (char **l = lines; *l && **l; l++) {
		printf("# %s\n", *l);
		g_printerr("kdh: %s\n", *l);
	}
	if (!main_write_json(dir, "tally.json", json, &error))
		g_printerr("kdh: %s\n", error->message);
}

/* An error before any scenario ran breaks the first one to run (LABEL): its
 * exit code, told on stderr and, but for a need that is unmet, in the JUnit
 * report. */
static int main_broke(struct main_run *m, const char *label, GError **error)
{
	int code, signo;

	/* only KDH_ERROR decides: a GLib or libvirt error that happens to say "not
	 * supported" is the harness breaking, not a need that is unmet */
	signo = kdh_cli_signals_caught(&m->signals);
	code = signo ? 128 + signo : kdh_error_exit_code(*error);
	if (code != KDH_EXIT_UNTESTABLE && code != KDH_EXIT_USAGE)
		main_junit_error(m, label, NULL, NULL, error);
	g_printerr("kdh: %s\n", (*error)->message);
	return code;
}

/* The nested lab for the hyperv scenarios (the first is HYPERV), on the local
 * host's libvirt: brought up (or found running), then connected to as a host
 * whose KVM works (FIELD-NOTES: nested KVM in L1 emulates Hyper-V). */
static gboolean main_lab_up(struct main_run *m, const struct kdh_scenario *hyperv,
			    GError **error)
{
	g_autofree char *scripts = kdh_cli_scripts_dir();

	if (!kdh_lab_init(&m->lab_config, m->local.uri, scripts, error))
		return FALSE;
	/* vmbus-bridge needs KVM's SynIC: under TCG the guest has no VMBus */
	g_printerr("kdh: %s: the hyperv platform needs KVM with Hyper-V emulation, and KVM "
		   "cannot run guests on %s: running the hyperv scenarios in the nested lab "
		   "(docs/HYPERV.md)\n",
		   hyperv->name, m->local.uri);
	m->lab.uri = kdh_lab_up(&m->lab_config, m->cancel, &m->lab_started, error);
	if (!m->lab.uri)
		return FALSE;
	m->lab.type = "kvm";
	m->lab_used = TRUE;
	return main_open(&m->lab, error);
}

/* A lab this run brought up goes down again, unless --keep-lab; one that ran
 * before stays. Returns CODE, or KDH_EXIT_INFRA when the lab cannot be taken
 * down after runs that did not break. */
static int main_lab_down(struct main_run *m, int code)
{
	g_autoptr(GError) error = NULL;
	gboolean destroyed;

	if (!m->lab_started)
		return code;
	if (m->keep_lab) {
		g_printerr("kdh: left the nested lab up (--keep-lab): 'kdh lab down' ends it\n");
		return code;
	}
	/* the connection first: L1 going away must not read as a lost libvirt */
	g_clear_pointer(&m->lab.virt, kdh_virt_free);
	if (kdh_lab_down(&m->lab_config, &destroyed, &error))
		return code;
	g_printerr("kdh: cannot take the nested lab down: %s\n", error->message);
	return code >= KDH_EXIT_INFRA ? code : KDH_EXIT_INFRA;
}

static const struct kdh_scenario *main_first_hyperv(GArray *scenarios)
{
	for (guint i = 0; i < scenarios->len; i++) {
		const struct kdh_scenario *s = &g_array_index(scenarios, struct kdh_scenario, i);

		if (s->hyperv)
			return s;
	}
	return NULL;
}

/* Where every scenario runs: the local host, and for the hyperv ones, where
 * its KVM cannot run guests, the nested lab. */
static gboolean main_targets(struct main_run *m, GArray *scenarios, GError **error)
{
	const struct kdh_scenario *first = &g_array_index(scenarios, struct kdh_scenario, 0);
	const struct kdh_scenario *hyperv = main_first_hyperv(scenarios);

	if (!main_open(&m->local, error))
		return FALSE;
	m->local.type = main_domain_type(m, first, error);
	if (!m->local.type)
		return FALSE;
	if (!hyperv || g_str_equal(m->local.type, "kvm"))
		return TRUE;
	/* An explicit host or accelerator is the user's: not testable there. */
	if (m->uri_given || !g_str_equal(m->accel, "auto")) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_UNTESTABLE,
			    "%s: the hyperv platform needs KVM with Hyper-V emulation, which %s "
			    "does not offer%s: see docs/HYPERV.md for the nested lab",
			    hyperv->name, m->local.uri,
			    m->uri_given ? "" : " with --accel tcg");
		return FALSE;
	}
	return main_lab_up(m, hyperv, error);
}

static int main_session(struct main_run *m, GArray *scenarios)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
	g_autofree char *plan = kdh_report_ktap_plan((int)scenarios->len * m->repeat);
	const struct kdh_scenario *first = &g_array_index(scenarios, struct kdh_scenario, 0);
	/* What breaks before the first run starts, breaks the first run. */
	g_autofree char *first_label = main_label(m, first, 1);
	int code;

	m->run_id = g_strdup_printf("%s-%d", stamp, (int)getpid());
	main_plan_manifest(m, scenarios);
	if (!main_targets(m, scenarios, &error)) {
		code = main_broke(m, first_label, &error);
		/* bad input has no plan (KTAP's nor run.json); otherwise every
		 * planned test gets its line */
		if (code == KDH_EXIT_USAGE)
			return main_lab_down(m, code);
		fputs(plan, stdout);
		if (code == KDH_EXIT_UNTESTABLE) {
			main_ktap_not_run(m, scenarios, 0, 1, error->message);
		} else {
			main_ktap_error(m, first_label, error->message, NULL, NULL);
			main_ktap_not_run(m, scenarios, m->repeat > 1 ? 0 : 1,
					  m->repeat > 1 ? 2 : 1, NULL);
		}
		return main_finish_manifest(m, main_lab_down(m, code));
	}
	g_printerr("kdh: run %s on %s (%s), kernel %s, results in %s/%s\n", m->run_id,
		   m->local.uri, g_str_equal(m->local.type, "kvm") ? "KVM" : "TCG",
		   m->kernel.release, m->results, m->run_id);
	if (m->lab_used)
		g_printerr("kdh: the hyperv scenarios on %s (KVM, the nested lab); an attempt the "
			   "emulation cuts short is tried again, up to %d within %u s\n",
			   m->lab.uri, m->lab_attempts, m->lab_budget_s);
	m->manifest.accel = g_strdup(g_str_equal(m->local.type, "kvm") ? "kvm" : "tcg");
	m->manifest.lab = g_strdup(m->lab_used ? m->lab.uri : NULL);
	fputs(plan, stdout);
	if (!main_write_manifest(m, &error)) {
		/* as a report that cannot be written after a run: that run broke */
		g_printerr("kdh: run.json: %s\n", error->message);
		main_ktap_error(m, first_label, error->message, NULL, NULL);
		main_ktap_not_run(m, scenarios, m->repeat > 1 ? 0 : 1, m->repeat > 1 ? 2 : 1, NULL);
		return main_finish_manifest(m, main_lab_down(m, KDH_EXIT_INFRA));
	}
	code = main_run_scenarios(m, scenarios, &error);
	if (m->repeat > 1)
		main_report_tally(m);
	if (error) {
		g_printerr("kdh: %s\n", error->message);
		if (kdh_cli_signals_caught(&m->signals))
			code = 128 + m->signals.signal;
	}
	return main_finish_manifest(m, main_lab_down(m, code));
}

static void main_target_clear(struct main_target *t)
{
	kdh_virt_free(t->virt);
	g_free(t->uri);
}

static void main_run_clear(struct main_run *m)
{
	main_target_clear(&m->local);
	main_target_clear(&m->lab);
	kdh_lab_clear(&m->lab_config);
	kdh_kernel_clear(&m->kernel);
	kdh_tally_free(m->tally);
	kdh_junit_free(m->junit);
	kdh_run_manifest_clear(&m->manifest);
	g_free(m->junit_path);
	g_clear_object(&m->cancel);
	g_free(m->run_id);
	g_strfreev(m->kernel_specs);
	g_free(m->results);
	g_free(m->scenario_dir);
	g_free(m->accel);
	g_free(m->lab_attempts_text);
	g_free(m->lab_budget_text);
}

/* The guest kernel; where the default one is missing, the error says what
 * fetches it (and only then: a bad scenario is not the setup's business). */
static gboolean main_resolve_kernel(struct main_run *m, gboolean default_kernel,
				    GError **error)
{
	g_autofree char *cache = kdh_cli_cache_dir();

	if (kdh_kernel_resolve((const char *const *)m->kernel_specs, cache, &m->kernel, error))
		return TRUE;
	if (default_kernel) {
		char *message = g_strdup_printf("%s (scripts/setup fetches the default kernel)",
						(*error)->message);

		g_free((*error)->message);
		(*error)->message = message;
	}
	return FALSE;
}

/* TEXT, given with OPTION, as a whole number from 1 to MAX into *RET; DEF
 * when TEXT is NULL. */
static gboolean main_count_option(const char *option, const char *text, guint64 def,
				  guint64 max, guint64 *ret, GError **error)
{
	if (!text) {
		*ret = def;
		return TRUE;
	}
	if (g_ascii_string_to_unsigned(text, 10, 1, max, ret, NULL))
		return TRUE;
	g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
		    "%s: '%s' is not a whole number from 1 to %" G_GUINT64_FORMAT, option, text,
		    max);
	return FALSE;
}

/* --lab-attempts and --lab-budget: in range, and only where kdh runs the lab
 * itself. With --uri the host is the user's, even the lab's own URI: kdh
 * restarts no lab it was not asked to run, and a caller that has its own
 * attempts (scripts/run-hyperv-tests) keeps them. */
static gboolean main_lab_options(struct main_run *m, GError **error)
{
	guint64 attempts, budget;

	if (!main_count_option("--lab-attempts", m->lab_attempts_text, LAB_ATTEMPTS,
			       LAB_ATTEMPTS_MAX, &attempts, error) ||
	    !main_count_option("--lab-budget", m->lab_budget_text, LAB_BUDGET_S,
			       LAB_BUDGET_MAX_S, &budget, error))
		return FALSE;
	if (m->uri_given && (m->lab_attempts_text || m->lab_budget_text)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "%s: only for the nested lab that kdh runs itself, not with --uri",
			    m->lab_attempts_text ? "--lab-attempts" : "--lab-budget");
		return FALSE;
	}
	m->lab_attempts = (int)attempts;
	m->lab_budget_s = (guint)budget;
	return TRUE;
}

int kdh_cmd_run(int argc, char **argv)
{
	struct main_run m = { .repeat = 1 };
	g_autofree char *uri = NULL;
	g_autoptr(GOptionContext) ctx = g_option_context_new("[SCENARIO...] - run scenarios");
	GOptionEntry entries[] = {
		{ "uri", 0, 0, G_OPTION_ARG_STRING, &uri, "libvirt URI (qemu:///system)", "URI" },
		{ "kernel", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &m.kernel_specs,
		  "guest kernel: unpacked package, build tree, kernel image, or .deb/.rpm "
		  "files, one --kernel each (the setup's default)",
		  "PATH" },
		{ "results", 0, 0, G_OPTION_ARG_FILENAME, &m.results, "results directory (results)",
		  "DIR" },
		{ "scenario-dir", 0, 0, G_OPTION_ARG_FILENAME, &m.scenario_dir, "scenario files",
		  "DIR" },
		{ "accel", 0, 0, G_OPTION_ARG_STRING, &m.accel, "auto, tcg or kvm (auto)", "ACCEL" },
		{ "repeat", 0, 0, G_OPTION_ARG_INT, &m.repeat, "run each scenario N times (1)", "N" },
		{ "junit", 0, 0, G_OPTION_ARG_FILENAME, &m.junit_path,
		  "also write a JUnit XML report to FILE", "FILE" },
		{ "keep-vmcore", 0, 0, G_OPTION_ARG_NONE, &m.keep_vmcore,
		  "keep the vmcore in the results", NULL },
		{ "keep-lab", 0, 0, G_OPTION_ARG_NONE, &m.keep_lab,
		  "leave up the nested lab this run brought up for the hyperv scenarios", NULL },
		{ "lab-attempts", 0, 0, G_OPTION_ARG_STRING, &m.lab_attempts_text,
		  "in the nested lab: attempts at a run while the emulation cuts them short (3)",
		  "N" },
		{ "lab-budget", 0, 0, G_OPTION_ARG_STRING, &m.lab_budget_text,
		  "in the nested lab: no new attempt SECONDS after a run's first (1200)",
		  "SECONDS" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) scenarios = g_array_new(FALSE, TRUE, sizeof(struct kdh_scenario));
	gboolean default_kernel = FALSE;
	int code;

	kdh_run_manifest_init(&m.manifest);
	g_array_set_clear_func(scenarios, (GDestroyNotify)kdh_scenario_clear);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "The hyperv scenarios run in the nested lab where the local KVM cannot run "
		     "them (not with --uri).\nThere, an attempt that the emulation cuts short "
		     "(not testable, a stage never reached, or\nthe connection to L1 lost) is "
		     "tried again, after restarting a lab that no longer\nanswers; any other "
		     "fail is final. When every "
		     "attempt was cut short, the run is not testable (skip, cut-short).\n\n"
		     "Exit: 0 passed, 1 a crash path broken, 2 usage, 125 not testable, 128 the "
		     "harness broke,\n128+N signal N.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	m.uri_given = uri != NULL;
	m.local.uri = uri ? g_steal_pointer(&uri) : g_strdup("qemu:///system");
	if (!m.kernel_specs) {
		g_autofree char *cache = kdh_cli_cache_dir();

		m.kernel_specs = g_new0(char *, 2);
		m.kernel_specs[0] = g_build_filename(cache, "kernels", "default", NULL);
		default_kernel = TRUE;
	}
	m.results = m.results ? m.results : g_strdup("results");
	m.scenario_dir = m.scenario_dir ? m.scenario_dir : kdh_cli_scenario_dir();
	m.accel = m.accel ? m.accel : g_strdup("auto");
	if (!g_str_equal(m.accel, "auto") && !g_str_equal(m.accel, "tcg") &&
	    !g_str_equal(m.accel, "kvm"))
		code = kdh_cli_usage(ctx, "--accel: not auto, tcg or kvm");
	else if (m.repeat < 1 || m.repeat > 1000)
		code = kdh_cli_usage(ctx, "--repeat: not a number from 1 to 1000");
	else if (!main_lab_options(&m, &error))
		code = kdh_cli_usage(ctx, error->message);
	else if (!main_load_scenarios(&m, argc, argv, scenarios, &error) ||
		 !main_resolve_kernel(&m, default_kernel, &error) ||
		 !kdh_cli_dir_writable("--results", m.results, &error)) {
		g_printerr("kdh: %s\n", error->message);
		code = KDH_EXIT_USAGE;
	} else if ((m.junit = m.junit_path ? kdh_junit_new("kdh") : NULL) &&
		   !kdh_junit_write(m.junit, m.junit_path, &error)) {
		/* an empty report now: a path that cannot be written is bad input,
		 * found before a guest runs */
		g_printerr("kdh: --junit: %s\n", error->message);
		code = KDH_EXIT_USAGE;
	} else {
		m.cancel = g_cancellable_new();
		m.tally = kdh_tally_new();
		kdh_cli_signals_watch(&m.signals, m.cancel);
		code = main_session(&m, scenarios);
		kdh_cli_signals_unwatch(&m.signals);
	}
	main_run_clear(&m);
	return code;
}

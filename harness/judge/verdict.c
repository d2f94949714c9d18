/* The verdict: one check per step of the crash path, run in the order the
 * kernel goes through them, so that the first failure named is the root cause
 * and not one of its consequences. */
#include <stdarg.h>
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-verdict.h"

static const char *const result_names[] = {
	[KDH_RESULT_PASS] = "pass",
	[KDH_RESULT_FAIL] = "fail",
	[KDH_RESULT_SKIP] = "skip",
};
G_STATIC_ASSERT(G_N_ELEMENTS(result_names) == KDH_RESULT__COUNT);

/* git bisect run: good, bad, skip this commit (STYLE.md). */
static const int result_exit_codes[] = {
	[KDH_RESULT_PASS] = 0,
	[KDH_RESULT_FAIL] = 1,
	[KDH_RESULT_SKIP] = 125,
};
G_STATIC_ASSERT(G_N_ELEMENTS(result_exit_codes) == KDH_RESULT__COUNT);

static const char *const reason_names[] = {
	[KDH_REASON_OK] = "ok",
	[KDH_REASON_NO_BOOT] = "no-boot",
	[KDH_REASON_DEADLINE] = "deadline",
	[KDH_REASON_KEXEC_NOT_LOADED] = "kexec-not-loaded",
	[KDH_REASON_AGENT_ERROR] = "agent-error",
	[KDH_REASON_CPUS_MISMATCH] = "cpus-mismatch",
	[KDH_REASON_NO_KEXEC] = "no-kexec",
	[KDH_REASON_KERNEL_COMPLAINED] = "kernel-complained",
	[KDH_REASON_VMBUS_NOT_RECONNECTED] = "vmbus-not-reconnected",
	[KDH_REASON_VMBUS_UNLOAD] = "vmbus-unload-incomplete",
	[KDH_REASON_NO_VMBUS] = "no-vmbus",
	[KDH_REASON_CRASH_UNREADABLE] = "crash-unreadable",
	[KDH_REASON_CRASH_DISAGREES] = "crash-disagrees",
	[KDH_REASON_CPU_NOT_STOPPED] = "cpu-not-stopped",
	[KDH_REASON_INVENTORY_MISMATCH] = "inventory-mismatch",
	[KDH_REASON_DUMP_FAILED] = "dump-failed",
	[KDH_REASON_VMCORE_UNREADABLE] = "vmcore-unreadable",
	[KDH_REASON_NO_PANIC] = "no-panic",
	[KDH_REASON_MULTIPLE_PANICS] = "multiple-panics",
	[KDH_REASON_WRONG_PANIC] = "wrong-panic",
	[KDH_REASON_NMI_NOT_DELIVERED] = "nmi-not-delivered",
	[KDH_REASON_WRONG_PANIC_CPU] = "wrong-panic-cpu",
	[KDH_REASON_SETUP_FAILED] = "setup-failed",
	[KDH_REASON_CAPTURE_MODULE] = "capture-module-failed",
	[KDH_REASON_CUT_SHORT] = "cut-short",
};
G_STATIC_ASSERT(G_N_ELEMENTS(reason_names) == KDH_REASON__COUNT);

/* NULL for a value outside the enum, like kdh_stage_name(). */
const char *kdh_result_name(enum kdh_result r)
{
	return (unsigned int)r < KDH_RESULT__COUNT ? result_names[r] : NULL;
}

const char *kdh_reason_name(enum kdh_reason r)
{
	return (unsigned int)r < KDH_REASON__COUNT ? reason_names[r] : NULL;
}

int kdh_verdict_exit_code(const struct kdh_verdict *v)
{
	return result_exit_codes[v->result];
}

void kdh_verdict_clear(struct kdh_verdict *v)
{
	g_clear_pointer(&v->detail, g_free);
}

/* Fills RET and returns TRUE, so that a check can end with "return verdict_set(...)". */
G_GNUC_PRINTF(5, 6)
static gboolean verdict_set(struct kdh_verdict *ret, enum kdh_result result,
			    enum kdh_reason reason, enum kdh_stage stage, const char *fmt, ...)
{
	va_list ap;

	ret->result = result;
	ret->reason = reason;
	ret->stage = stage;
	va_start(ap, fmt);
	ret->detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return TRUE;
}

#define verdict_fail(ret, reason, ...) \
	verdict_set(ret, KDH_RESULT_FAIL, reason, KDH_STAGE__COUNT, __VA_ARGS__)

/* "CPU 3", or "an unknown CPU" for -1. */
static char *cpu_text(int cpu)
{
	return cpu < 0 ? g_strdup("an unknown CPU") : g_strdup_printf("CPU %d", cpu);
}

/* The panicking CPU as the detail names it: "CPU 2", and on the hyperv
 * platform whether it is the VMBus connect CPU, whose vCPU gets the host's
 * UNLOAD_RESPONSE (a panic elsewhere is the seed's case). */
static char *panic_cpu_text(const struct kdh_expect *expect, const struct kdh_evidence *e)
{
	int panic = e->vmcore_log.panic_cpu;
	int connect = kdh_analysis_vmbus_connect_cpu(&e->first);
	g_autofree char *cpu = cpu_text(panic);

	if (!expect->vmbus || panic < 0)
		return g_steal_pointer(&cpu);
	if (connect < 0)
		return g_strconcat(cpu, ", VMBus connect CPU unknown", NULL);
	if (panic == connect)
		return g_strconcat(cpu, ", the VMBus connect CPU", NULL);
	return g_strdup_printf("%s, not the VMBus connect CPU %d", cpu, connect);
}

/* "; panic on CPU 2, not the VMBus connect CPU 0" for a VMBus failure, when
 * the vmcore's log names the panicking CPU; "" otherwise. */
static char *vmbus_panic_note(const struct kdh_expect *expect, const struct kdh_evidence *e)
{
	g_autofree char *cpu = NULL;

	if (!e->vmcore_read || e->vmcore_log.panic_cpu < 0)
		return g_strdup("");
	cpu = panic_cpu_text(expect, e);
	return g_strconcat("; panic on ", cpu, NULL);
}

/* "CPU 0" or "CPUs 0,2-3". */
static char *cpus_text(GArray *cpus_array)
{
	const int *cpus = (const int *)(void *)cpus_array->data;
	guint n = cpus_array->len;
	g_autoptr(GString) out = g_string_new(n == 1 ? "CPU " : "CPUs ");

	if (n == 0)
		return g_strdup("no CPU");
	for (guint i = 0; i < n;) {
		guint j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		g_string_append_printf(out, "%s%d", i ? "," : "", cpus[i]);
		if (j > i)
			g_string_append_printf(out, "-%d", cpus[j]);
		i = j + 1;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gboolean cpus_contain(GArray *cpus, int cpu)
{
	for (guint i = 0; i < cpus->len; i++)
		if (g_array_index(cpus, int, i) == cpu)
			return TRUE;
	return FALSE;
}

/* Each check returns TRUE when it decided (and filled RET). */
typedef gboolean (*verdict_check)(struct kdh_verdict *ret, const struct kdh_expect *expect,
				  const struct kdh_evidence *e);

/* "a, b": the strings of ARRAY joined. */
static char *strings_text(GPtrArray *array)
{
	g_autoptr(GString) out = g_string_new(NULL);

	for (guint i = 0; i < array->len; i++)
		g_string_append_printf(out, "%s%s", i ? ", " : "", (const char *)array->pdata[i]);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* The harness could not build the guest from this kernel: no guest ran. */
static gboolean check_setup(struct kdh_verdict *ret, const struct kdh_expect *expect,
			    const struct kdh_evidence *e)
{
	(void)expect;
	if (!e->setup_failed)
		return FALSE;
	return verdict_set(ret, KDH_RESULT_SKIP, KDH_REASON_SETUP_FAILED, KDH_STAGE__COUNT,
			   "not testable: %s", e->setup_failed);
}

/* The first kernel lacked a need of the scenario, so nothing was armed: what
 * the kernel would have done on a crash is unknown, not wrong. */
static gboolean check_first_unfit(struct kdh_verdict *ret, const struct kdh_expect *expect,
				  const struct kdh_evidence *e)
{
	g_autofree char *text = NULL;

	(void)expect;
	if (e->first.unfit->len == 0)
		return FALSE;
	text = strings_text(e->first.unfit);
	return verdict_set(ret, KDH_RESULT_SKIP, KDH_REASON_SETUP_FAILED, KDH_STAGE__COUNT,
			   "not testable: the first kernel lacks what the scenario needs (%s); "
			   "nothing was armed",
			   text);
}

/* Nothing about the crash path can be said of a kernel that never came up. */
static gboolean check_boot(struct kdh_verdict *ret, const struct kdh_expect *expect,
			   const struct kdh_evidence *e)
{
	(void)expect;
	/* a kernel that panics on its way up failed before the crash path could be
	 * armed: not testable, but say what it died of */
	if (!e->first.seen && e->panic_without_kexec)
		return verdict_set(ret, KDH_RESULT_SKIP, KDH_REASON_NO_BOOT, KDH_STAGE__COUNT,
				   "the first kernel panicked before its agent started: %s",
				   e->panic_without_kexec);
	if (!e->first.seen)
		return verdict_set(ret, KDH_RESULT_SKIP, KDH_REASON_NO_BOOT, KDH_STAGE__COUNT,
				   "the first kernel's agent never said hello");
	if (e->deadline_missed == KDH_STAGE_BOOT)
		return verdict_set(ret, KDH_RESULT_SKIP, KDH_REASON_NO_BOOT, KDH_STAGE__COUNT,
				   "deadline for stage 'boot' passed");
	return FALSE;
}

/* hyperv: a first kernel that came up without VMBus ran on a host that has no
 * Hyper-V VMBus to give (KVM without Hyper-V emulation, QEMU without
 * vmbus-bridge): the platform was not there to test. Known once its modules
 * are loaded (hv_vmbus connects while it loads, before the inventory), or when
 * the run went to its end. */
static gboolean check_first_vmbus(struct kdh_verdict *ret, const struct kdh_expect *expect,
				  const struct kdh_evidence *e)
{
	gboolean failed = FALSE;

	if (!expect->vmbus || e->first.vmbus_version)
		return FALSE;
	if (!e->first.inventory_done && e->deadline_missed != KDH_STAGE__COUNT)
		return FALSE;
	for (guint i = 0; i < e->first.modules_failed->len; i++)
		failed |= g_str_equal(e->first.modules_failed->pdata[i], "hv_vmbus");
	return verdict_set(ret, KDH_RESULT_SKIP, KDH_REASON_NO_VMBUS, KDH_STAGE__COUNT,
			   "the first kernel found no VMBus (%s): the host offers no Hyper-V "
			   "VMBus (KVM without Hyper-V emulation, or QEMU without vmbus-bridge)",
			   failed ? "hv_vmbus did not load" : "no \"Vmbus version\" line");
}

/* Before the deadline check: a kernel that could not load its capture kernel
 * then misses the kexec deadline, and the load is the cause. Silence about
 * kexec is only that when the run went on regardless; when a deadline stopped
 * the run first, the stall is the finding (the agent never got to kexec). */
static gboolean check_kexec_loaded(struct kdh_verdict *ret, const struct kdh_expect *expect,
				   const struct kdh_evidence *e)
{
	(void)expect;
	if (e->first.kexec_loaded == 1)
		return FALSE;
	if (e->first.kexec_loaded == 0) {
		g_autofree char *said = e->first.kexec_said && *e->first.kexec_said
						? g_strdup_printf(" (\"%s\")", e->first.kexec_said)
						: g_strdup("");
		g_autofree char *size =
			e->first.crash_size >= 0
				? g_strdup_printf(", %" G_GINT64_FORMAT " MiB reserved for it",
						  e->first.crash_size >> 20)
				: g_strdup("");

		return verdict_fail(ret, KDH_REASON_KEXEC_NOT_LOADED,
				    "capture kernel not loaded: kexec status %d%s, "
				    "kexec_crash_loaded=0%s",
				    e->first.kexec_status, said, size);
	}
	if (e->deadline_missed != KDH_STAGE__COUNT)
		return FALSE;
	return verdict_fail(ret, KDH_REASON_KEXEC_NOT_LOADED,
			    "the first kernel's agent never reported kexec");
}

static gboolean check_cpus(struct kdh_verdict *ret, const struct kdh_expect *expect,
			   const struct kdh_evidence *e)
{
	if (e->first.cpus == expect->vcpus)
		return FALSE;
	return verdict_fail(ret, KDH_REASON_CPUS_MISMATCH,
			    "the first kernel has %d of the domain's %d vCPUs online",
			    e->first.cpus, expect->vcpus);
}

static gboolean check_agent_errors(struct kdh_verdict *ret, const char *kernel,
				   const struct kdh_guest_report *r)
{
	g_autoptr(GString) errors = g_string_new(NULL);

	if (r->errors->len == 0)
		return FALSE;
	for (guint i = 0; i < r->errors->len; i++)
		g_string_append_printf(errors, "%s%s", i ? ", " : "",
				       (const char *)r->errors->pdata[i]);
	return verdict_fail(ret, KDH_REASON_AGENT_ERROR, "the %s kernel's agent failed: %s",
			    kernel, errors->str);
}

static gboolean check_first_errors(struct kdh_verdict *ret, const struct kdh_expect *expect,
				   const struct kdh_evidence *e)
{
	(void)expect;
	return check_agent_errors(ret, "first", &e->first);
}

/* The complaints in E of a kind in MASK: the crash path's, then the capture
 * kernel's. Returns the first (NULL: none) and their number. */
static const struct kdh_complaint *complaints_find(const struct kdh_evidence *e, guint mask,
						   guint *ret_count)
{
	GPtrArray *sources[] = { e->vmcore_log.complaints, e->capture_complaints };
	const struct kdh_complaint *first = NULL;

	*ret_count = 0;
	for (gsize s = 0; s < G_N_ELEMENTS(sources); s++)
		for (guint i = 0; i < sources[s]->len; i++) {
			const struct kdh_complaint *c = sources[s]->pdata[i];

			if (!(mask & (1u << c->kind)))
				continue;
			first = first ? first : c;
			(*ret_count)++;
		}
	return first;
}

/* "BUG on CPU 0 in the capture kernel: BUG: kernel NULL pointer dereference" */
static char *complaint_text(const struct kdh_complaint *c, guint count)
{
	g_autofree char *cpu = cpu_text(c->cpu);
	g_autofree char *more = count > 1 ? g_strdup_printf(" (and %u more)", count - 1)
					  : g_strdup("");

	return g_strdup_printf("%s on %s in the %s: %s%s", kdh_complaint_kind_name(c->kind), cpu,
			       c->where, c->line, more);
}

/* Before the deadline: a capture kernel that oopses then never dumps, and the
 * oops is the cause. */
static gboolean check_complaints(struct kdh_verdict *ret, const struct kdh_expect *expect,
				 const struct kdh_evidence *e)
{
	guint count;
	const struct kdh_complaint *c = complaints_find(e, expect->fail_on, &count);
	g_autofree char *text = NULL;

	if (!c)
		return FALSE;
	text = complaint_text(c, count);
	return verdict_fail(ret, KDH_REASON_KERNEL_COMPLAINED, "%s", text);
}

static gboolean check_no_kexec(struct kdh_verdict *ret, const struct kdh_expect *expect,
			       const struct kdh_evidence *e)
{
	(void)expect;
	if (!e->panic_without_kexec)
		return FALSE;
	return verdict_fail(ret, KDH_REASON_NO_KEXEC,
			    "the first kernel ended its panic without starting the capture kernel");
}

static gboolean check_deadline(struct kdh_verdict *ret, const struct kdh_expect *expect,
			       const struct kdh_evidence *e)
{
	(void)expect;
	if (e->deadline_missed == KDH_STAGE__COUNT)
		return FALSE;
	return verdict_set(ret, KDH_RESULT_FAIL, KDH_REASON_DEADLINE, e->deadline_missed,
			   "stage '%s' not reached (its deadline passed or the guest stopped)",
			   kdh_stage_name(e->deadline_missed));
}

/* A module that loaded in the first kernel (else check_first_unfit) and not in
 * the capture kernel: after VMBus (hv_* modules fail without it), before the
 * agent's errors and the inventory, which are its consequences (no dump disk,
 * missing devices). */
static gboolean check_capture_modules(struct kdh_verdict *ret, const struct kdh_expect *expect,
				      const struct kdh_evidence *e)
{
	g_autofree char *text = NULL;

	(void)expect;
	if (e->capture.modules_failed->len == 0)
		return FALSE;
	text = strings_text(e->capture.modules_failed);
	return verdict_fail(ret, KDH_REASON_CAPTURE_MODULE,
			    "the capture kernel could not load %s, which the first kernel loaded",
			    text);
}

static gboolean check_capture_errors(struct kdh_verdict *ret, const struct kdh_expect *expect,
				     const struct kdh_evidence *e)
{
	(void)expect;
	return check_agent_errors(ret, "capture", &e->capture);
}

/* The seed's bug: a capture kernel that cannot reconnect to VMBus sees no disk
 * or network. Before the inventory: missing VMBus devices are its consequence. */
static gboolean check_vmbus(struct kdh_verdict *ret, const struct kdh_expect *expect,
			    const struct kdh_evidence *e)
{
	g_autofree char *note = NULL;

	/* a first kernel without VMBus was judged by check_first_vmbus() */
	if (!expect->vmbus || e->capture.vmbus_version)
		return FALSE;
	note = vmbus_panic_note(expect, e);
	return verdict_fail(ret, KDH_REASON_VMBUS_NOT_RECONNECTED,
			    "the capture kernel did not reconnect to VMBus (the first had version %s)%s",
			    e->first.vmbus_version, note);
}

static gboolean check_vmbus_unload(struct kdh_verdict *ret, const struct kdh_expect *expect,
				   const struct kdh_evidence *e)
{
	const struct kdh_panic_log *log = &e->vmcore_log;
	g_autofree char *note = NULL;
	g_autofree char *waited = NULL;

	if (!expect->vmbus || !log->vmbus_unload_gave_up)
		return FALSE;
	note = vmbus_panic_note(expect, e);
	if (log->vmbus_unload_seconds >= 0)
		waited = g_strdup_printf(" after waiting %.1f s for it", log->vmbus_unload_seconds);
	return verdict_fail(ret, KDH_REASON_VMBUS_UNLOAD,
			    "the first kernel continued even though VMBus UNLOAD did not complete%s "
			    "(%d waits)%s",
			    waited ? waited : "", log->vmbus_unload_waits, note);
}

static gboolean check_inventory(struct kdh_verdict *ret, const struct kdh_expect *expect,
				const struct kdh_evidence *e)
{
	g_autofree char *diff = kdh_analysis_inventory_diff(e->first.devices, e->capture.devices);

	(void)expect;
	if (!diff)
		return FALSE;
	return verdict_fail(ret, KDH_REASON_INVENTORY_MISMATCH, "%s", diff);
}

static gboolean check_dump(struct kdh_verdict *ret, const struct kdh_expect *expect,
			   const struct kdh_evidence *e)
{
	(void)expect;
	if (e->capture.dump_status == 0 && e->capture.dump_bytes > 0)
		return FALSE;
	return verdict_fail(ret, KDH_REASON_DUMP_FAILED,
			    "makedumpfile status %d, %" G_GINT64_FORMAT " bytes written",
			    e->capture.dump_status, e->capture.dump_bytes);
}

static gboolean check_vmcore(struct kdh_verdict *ret, const struct kdh_expect *expect,
			     const struct kdh_evidence *e)
{
	(void)expect;
	if (e->vmcore_read)
		return FALSE;
	return verdict_fail(ret, KDH_REASON_VMCORE_UNREADABLE,
			    "makedumpfile could not read the log out of the vmcore");
}

static gboolean check_panic(struct kdh_verdict *ret, const struct kdh_expect *expect,
			    const struct kdh_evidence *e)
{
	const struct kdh_panic_log *log = &e->vmcore_log;

	if (log->panic_count == 0)
		return verdict_fail(ret, KDH_REASON_NO_PANIC,
				    "no \"Kernel panic - not syncing\" in the vmcore's log");
	if (log->panic_count > 1)
		return verdict_fail(ret, KDH_REASON_MULTIPLE_PANICS,
				    "%d panics in the vmcore's log, the first \"%s\"",
				    log->panic_count, log->panic_string);
	if (g_strcmp0(log->panic_string, expect->panic_string) != 0)
		return verdict_fail(ret, KDH_REASON_WRONG_PANIC, "panic \"%s\", expected \"%s\"",
				    log->panic_string, expect->panic_string);
	return FALSE;
}

/* The CPUs of 0..N-1 that are not in CPUS. */
static GArray *cpus_missing(GArray *cpus, int n)
{
	GArray *missing = g_array_new(FALSE, FALSE, sizeof(int));

	for (int cpu = 0; cpu < n; cpu++)
		if (!cpus_contain(cpus, cpu))
			g_array_append_val(missing, cpu);
	return missing;
}

/* Delivery is proven by the probe NMI's counters, not by the fatal NMI's log:
 * a CPU that the crash shutdown's own NMI stops first never logs the host's
 * NMI, although it got it (both NMIs latch into one). */
static gboolean check_nmi_probe(struct kdh_verdict *ret, const struct kdh_expect *expect,
				const struct kdh_evidence *e)
{
	g_autoptr(GArray) hits = NULL;
	g_autoptr(GArray) missing = NULL;
	g_autofree char *text = NULL;

	if (!expect->nmi_probe)
		return FALSE;
	if (e->first.nmis_after->len == 0) {
		if (e->deadline_missed != KDH_STAGE__COUNT)
			return FALSE;
		return verdict_fail(ret, KDH_REASON_NMI_NOT_DELIVERED,
				    "the first kernel's agent never reported the probe NMI counts");
	}
	hits = kdh_analysis_nmi_probe_hits(&e->first);
	missing = cpus_missing(hits, expect->nmi_on_every_cpu ? expect->vcpus : 1);
	if (missing->len == 0)
		return FALSE;
	text = cpus_text(missing);
	return verdict_fail(ret, KDH_REASON_NMI_NOT_DELIVERED, "the probe NMI did not reach %s",
			    text);
}

/* Since 6.8 the "Uhhuh. NMI received for unknown reason" line is rate-limited
 * (seen on Debian's 6.12: four lines for the probe NMI, one for the fatal NMI a
 * second later), so the panicking CPU's may be missing; a panic called in NMI
 * context still ties it to the NMI. Before 6.8 every CPU logs its line. */
static gboolean nmi_line_ratelimited(const struct kdh_evidence *e)
{
	return kdh_analysis_release_at_least(e->first.release, 6, 8) &&
	       e->vmcore_log.panic_context == 1;
}

static gboolean check_panic_cpu(struct kdh_verdict *ret, const struct kdh_expect *expect,
				const struct kdh_evidence *e)
{
	const struct kdh_panic_log *log = &e->vmcore_log;

	g_autofree char *cpu = cpu_text(log->panic_cpu);

	if (expect->panic_cpu >= 0 && log->panic_cpu != expect->panic_cpu)
		return verdict_fail(ret, KDH_REASON_WRONG_PANIC_CPU, "panic on %s, expected CPU %d",
				    cpu, expect->panic_cpu);
	if (expect->panic_from_nmi && !cpus_contain(log->nmi_cpus, log->panic_cpu) &&
	    !nmi_line_ratelimited(e))
		return verdict_fail(ret, KDH_REASON_WRONG_PANIC_CPU,
				    "%s panicked but logged no unknown NMI", cpu);
	return FALSE;
}

/* crash, where a vmlinux with debug info allowed it: a second reading of the
 * vmcore that must agree with the log, and that shows every CPU stopped. */
static gboolean check_crash(struct kdh_verdict *ret, const struct kdh_expect *expect,
			    const struct kdh_evidence *e)
{
	const struct kdh_crash_report *c = &e->crash;
	int panic_cpu = kdh_crash_panic_cpu(c);

	if (!c->ran)
		return FALSE;
	if (!c->read)
		return verdict_fail(ret, KDH_REASON_CRASH_UNREADABLE,
				    "crash could not read the vmcore (see crash.txt)");
	if (c->cpus != expect->vcpus)
		return verdict_fail(ret, KDH_REASON_CRASH_DISAGREES, "crash sees %d CPUs, not %d",
				    c->cpus, expect->vcpus);
	if (!c->panic || !strstr(c->panic, expect->panic_string))
		return verdict_fail(ret, KDH_REASON_CRASH_DISAGREES,
				    "crash's PANIC is \"%s\", not \"%s\"", c->panic ? c->panic : "",
				    expect->panic_string);
	if (panic_cpu != e->vmcore_log.panic_cpu)
		return verdict_fail(ret, KDH_REASON_CRASH_DISAGREES,
				    "crash has the panic task on CPU %d, the log on CPU %d", panic_cpu,
				    e->vmcore_log.panic_cpu);
	for (int cpu = 0; cpu < expect->vcpus; cpu++) {
		enum kdh_cpu_state state = (guint)cpu < c->states->len
						   ? g_array_index(c->states, int, cpu)
						   : KDH_CPU_UNSEEN;
		const char *frame = (guint)cpu < c->frames->len ? c->frames->pdata[cpu] : "";

		if (state != KDH_CPU_PANICKED && state != KDH_CPU_NMI_STOPPED)
			return verdict_fail(ret, KDH_REASON_CPU_NOT_STOPPED,
					    "CPU %d was not stopped by NMI (crash: %s, %s%s)", cpu,
					    kdh_cpu_state_name(state),
					    *frame ? "innermost frame " : "no backtrace", frame);
	}
	return FALSE;
}

/* What the guest's agent and console show, in crash-path order. */
static const verdict_check guest_checks[] = {
	check_setup,
	check_boot,
	check_first_vmbus,
	check_first_unfit,
	check_kexec_loaded,
	check_cpus,
	check_first_errors,
	check_nmi_probe,
	check_complaints,
	check_no_kexec,
	check_deadline,
	check_vmbus,
	check_capture_modules,
	check_capture_errors,
	check_inventory,
	check_dump,
};

/* What the vmcore shows. */
static const verdict_check vmcore_checks[] = {
	check_vmcore,
	check_panic,
	check_panic_cpu,
	check_vmbus_unload,
	check_crash,
};

/* The size in MB by hand: g_format_size() puts a no-break space before the unit,
 * which does not belong in a KTAP line. */
static void verdict_pass(struct kdh_verdict *ret, const struct kdh_expect *expect,
			 const struct kdh_evidence *e)
{
	const struct kdh_panic_log *log = &e->vmcore_log;
	g_autoptr(GArray) hits = kdh_analysis_nmi_probe_hits(&e->first);
	g_autofree char *logged = cpus_text(log->nmi_cpus);
	g_autofree char *reached = cpus_text(hits);
	g_autofree char *probed = e->first.nmis_after->len
					  ? g_strconcat("probe NMI reached ", reached, NULL)
					  : g_strdup("no probe NMI");
	g_autofree char *cpu = panic_cpu_text(expect, e);
	guint count;
	const struct kdh_complaint *w = complaints_find(e, expect->warn_on, &count);
	g_autofree char *wtext = w ? complaint_text(w, count) : NULL;
	g_autofree char *warning = w ? g_strconcat("; warning: ", wtext, NULL) : g_strdup("");

	if (e->vmcore_absent) {
		verdict_set(ret, KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT,
			    "%s; %u devices re-enumerated; vmcore %.1f MB "
			    "(not given: its checks were skipped)%s",
			    probed, e->capture.devices->len, e->capture.dump_bytes / 1e6, warning);
		return;
	}
	verdict_set(ret, KDH_RESULT_PASS, KDH_REASON_OK, KDH_STAGE__COUNT,
		    "panic on %s; %s; unknown NMI logged on %s; "
		    "%u devices re-enumerated; vmcore %.1f MB%s%s",
		    cpu, probed, logged, e->capture.devices->len,
		    e->capture.dump_bytes / 1e6,
		    e->crash.ran ? "; crash: every other CPU stopped by NMI" : "", warning);
}

void kdh_verdict_decide(struct kdh_verdict *ret, const struct kdh_expect *expect,
			const struct kdh_evidence *e)
{
	for (gsize i = 0; i < G_N_ELEMENTS(guest_checks); i++)
		if (guest_checks[i](ret, expect, e))
			return;
	for (gsize i = 0; i < G_N_ELEMENTS(vmcore_checks) && !e->vmcore_absent; i++)
		if (vmcore_checks[i](ret, expect, e))
			return;
	verdict_pass(ret, expect, e);
}

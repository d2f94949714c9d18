/* Foreign crash evidence: logs with several kernels in them, split into boots,
 * each boot's lines read by the same code as a live run's vmcore log. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-foreign.h"
#include "kdh-json.h"
#include "kdh-klog.h"

#define WHERE_FIRST "first kernel"
#define WHERE_CAPTURE "capture kernel"

static const char *const source_kind_names[] = {
	[KDH_SOURCE_CONSOLE] = "console",
	[KDH_SOURCE_VMCORE_DMESG] = "vmcore-dmesg",
	[KDH_SOURCE_CAPTURE_LOG] = "capture-log",
};
G_STATIC_ASSERT(G_N_ELEMENTS(source_kind_names) == KDH_SOURCE__COUNT);

static const char *const after_names[] = {
	[KDH_AFTER_LOG_ENDS] = "log-ends",
	[KDH_AFTER_CAPTURE] = "capture-kernel",
	[KDH_AFTER_REBOOT] = "reboot",
	[KDH_AFTER_REBOOTING] = "rebooting",
	[KDH_AFTER_HALTED] = "halted",
};
G_STATIC_ASSERT(G_N_ELEMENTS(after_names) == KDH_AFTER__COUNT);

static const char *const dump_names[] = {
	[KDH_DUMP_SILENT] = "silent",
	[KDH_DUMP_SAVED] = "saved",
	[KDH_DUMP_FAILED] = "failed",
};
G_STATIC_ASSERT(G_N_ELEMENTS(dump_names) == KDH_DUMP__COUNT);

const char *kdh_source_kind_name(enum kdh_source_kind kind)
{
	return (unsigned int)kind < KDH_SOURCE__COUNT ? source_kind_names[kind] : NULL;
}

const char *kdh_after_panic_name(enum kdh_after_panic a)
{
	return (unsigned int)a < KDH_AFTER__COUNT ? after_names[a] : NULL;
}

const char *kdh_dump_said_name(enum kdh_dump_said d)
{
	return (unsigned int)d < KDH_DUMP__COUNT ? dump_names[d] : NULL;
}

static struct kdh_boot *boot_new(const char *source, enum kdh_source_kind kind)
{
	struct kdh_boot *b = g_new0(struct kdh_boot, 1);

	b->source = g_strdup(source);
	b->source_kind = kind;
	b->cpus = -1;
	b->first_seconds = b->last_seconds = -1;
	b->capture = kind == KDH_SOURCE_CAPTURE_LOG;
	kdh_panic_log_init(&b->log);
	kdh_complaint_scan_init(&b->scan, b->capture ? WHERE_CAPTURE : WHERE_FIRST);
	return b;
}

static void boot_free(struct kdh_boot *b)
{
	if (!b)
		return;
	g_free(b->source);
	g_free(b->release);
	g_free(b->cmdline);
	g_free(b->dump_line);
	kdh_panic_log_clear(&b->log);
	kdh_complaint_scan_clear(&b->scan);
	g_free(b);
}

void kdh_foreign_init(struct kdh_foreign *f)
{
	memset(f, 0, sizeof(*f));
	f->boots = g_ptr_array_new_with_free_func((GDestroyNotify)boot_free);
	f->sources = g_ptr_array_new_with_free_func(g_free);
}

void kdh_foreign_clear(struct kdh_foreign *f)
{
	g_clear_pointer(&f->boots, g_ptr_array_unref);
	g_clear_pointer(&f->sources, g_ptr_array_unref);
	memset(f, 0, sizeof(*f));
}

/* The capture kernel's command line: kexec-tools adds elfcorehdr= (kexec_load,
 * and the kernel's own loader for kexec_file_load on x86); reset_devices is on
 * every distribution's kdump command line. */
static gboolean cmdline_is_capture(const char *cmdline)
{
	g_auto(GStrv) words = g_strsplit(cmdline, " ", -1);

	for (char **w = words; *w; w++)
		if (g_str_has_prefix(*w, "elfcorehdr=") || g_str_equal(*w, "reset_devices"))
			return TRUE;
	return FALSE;
}

/* kernel/smp.c "smp: Brought up %d node%s, %d CPU%s" (4.x: "Brought up %d
 * CPUs"), arch/x86 "x86: Booted up %d node%s, %d CPUs". */
static int line_cpus(const char *text)
{
	const char *p = strstr(text, "Brought up ");
	const char *cpus;

	if (!p)
		p = strstr(text, "Booted up ");
	if (!p || !(cpus = strstr(p, " CPU")))
		return -1;
	while (cpus > p && g_ascii_isdigit(cpus[-1]))
		cpus--;
	return g_ascii_isdigit(*cpus) ? atoi(cpus) : -1;
}

/* The capture kernel's userspace: Red Hat's kdumpctl / dracut module ("kdump:
 * saving vmcore complete", "kdump[513]: saving vmcore failed, exitcode:1"),
 * Debian's kdump-tools ("kdump-tools: saved vmcore in /var/crash/..",
 * "failed to save vmcore in"), makedumpfile itself. */
static enum kdh_dump_said line_dump(const char *text)
{
	static const char *const failed[] = { "saving vmcore failed", "failed to save vmcore",
					      "makedumpfile Failed" };
	static const char *const saved[] = { "saving vmcore complete", "saved vmcore in",
					     "makedumpfile Completed" };

	/* kdh's own capture agent: "KDH: dump status=0 bytes=33255921" */
	if (g_str_has_prefix(text, "KDH: dump status="))
		return g_str_has_prefix(text, "KDH: dump status=0 ") && !strstr(text, " bytes=0") &&
				       !strstr(text, " bytes=-")
			       ? KDH_DUMP_SAVED
			       : KDH_DUMP_FAILED;
	for (gsize i = 0; i < G_N_ELEMENTS(failed); i++)
		if (strstr(text, failed[i]))
			return KDH_DUMP_FAILED;
	for (gsize i = 0; i < G_N_ELEMENTS(saved); i++)
		if (strstr(text, saved[i]))
			return KDH_DUMP_SAVED;
	return KDH_DUMP_SILENT;
}

static void boot_set_capture(struct kdh_boot *b)
{
	b->capture = TRUE;
	b->scan.where = WHERE_CAPTURE;
}

static void foreign_line(struct kdh_foreign *f, const char *path, enum kdh_source_kind kind,
			 struct kdh_boot **cur, const char *raw, gsize len)
{
	g_autofree char *line = kdh_klog_clean(raw, len);
	const char *text = kdh_klog_text(line);
	struct kdh_boot *b = *cur;
	enum kdh_dump_said dump;
	double seconds;
	int cpus;

	if (!*line)
		return;
	if (g_str_has_prefix(text, "Linux version ")) {
		const char *release = text + strlen("Linux version ");

		b = *cur = boot_new(path, kind);
		g_ptr_array_add(f->boots, b);
		b->banner = TRUE;
		b->release = g_strndup(release, strcspn(release, " "));
	} else if (!b) {
		b = *cur = boot_new(path, kind);
		g_ptr_array_add(f->boots, b);
	}
	b->lines++;
	if (kdh_klog_stamp(line, &seconds)) {
		if (b->first_seconds < 0)
			b->first_seconds = seconds;
		b->last_seconds = seconds;
	}
	if (!b->cmdline && (g_str_has_prefix(text, "Command line: ") ||
			    g_str_has_prefix(text, "Kernel command line: "))) {
		b->cmdline = g_strdup(strchr(text, ':') + 2);
		if (cmdline_is_capture(b->cmdline))
			boot_set_capture(b);
	}
	if ((cpus = line_cpus(text)) > 0)
		b->cpus = cpus;
	/* the capture kernel's dump service started: Red Hat's "Starting Kdump Vmcore
	 * Save Service", its "kdump[497]: saving to /sysroot/var/crash/..." */
	if (strstr(text, "Kdump Vmcore Save Service") ||
	    (strstr(text, "kdump") && strstr(text, ": saving to ")))
		boot_set_capture(b);
	if ((dump = line_dump(text)) != KDH_DUMP_SILENT) {
		/* only a capture kernel saves a vmcore: the log began inside one */
		boot_set_capture(b);
		if (b->dump != KDH_DUMP_FAILED) {
			b->dump = dump;
			g_free(b->dump_line);
			b->dump_line = g_strdup(text);
		}
	}
	kdh_analysis_panic_log_line(&b->log, line);
	kdh_complaint_scan_line(&b->scan, line, b->log.complaints);
}

void kdh_foreign_feed(struct kdh_foreign *f, const char *path, enum kdh_source_kind kind,
		      const char *data, gsize len)
{
	struct kdh_boot *cur = NULL;
	const char *end = data + len;

	g_ptr_array_add(f->sources, g_strdup_printf("%s (%s)", path, kdh_source_kind_name(kind)));
	for (const char *p = data; p < end;) {
		const char *nl = memchr(p, '\n', end - p);
		gsize n = nl ? (gsize)(nl - p) : (gsize)(end - p);

		foreign_line(f, path, kind, &cur, p, n);
		p += n + 1;
	}
}

/* A console's boot that is the same panic as a vmcore's log: same release and
 * panic string. */
static gboolean boot_same_panic(const struct kdh_boot *a, const struct kdh_boot *b)
{
	return a->log.panic_count > 0 && b->log.panic_count > 0 &&
	       g_strcmp0(a->release, b->release) == 0 &&
	       g_strcmp0(a->log.panic_string, b->log.panic_string) == 0;
}

/* A panic, or its "Kernel Offset:" trailer when the panic's own line is not in
 * the log (a console that lost it, an excerpt). */
static gboolean boot_panicked(const struct kdh_boot *b)
{
	return b->log.panic_count > 0 || b->log.kernel_offset;
}

/* Whether console boot C can be the kernel whose log vmcore boot V is: the same
 * release, and the same panic or none (with kdump loaded, the NMI-context panic
 * lines never reach the console: FIELD-NOTES.md). */
static gboolean boot_may_be(const struct kdh_boot *v, const struct kdh_boot *c)
{
	if (c->source_kind != KDH_SOURCE_CONSOLE || c->capture || !v->release ||
	    g_strcmp0(v->release, c->release) != 0)
		return FALSE;
	return c->log.panic_count == 0 || boot_same_panic(v, c);
}

/* A vmcore's log and a console of the same kernel: the vmcore's stands where
 * the console's ran (before its capture kernel), with what only the console
 * saw after the panic. Of several candidates, the one a capture kernel
 * follows. */
static void foreign_merge_copies(struct kdh_foreign *f)
{
	/* the vmcore boots first: the list changes under the loop */
	g_autoptr(GPtrArray) vmcores = g_ptr_array_new();

	for (guint i = 0; i < f->boots->len; i++)
		if (((struct kdh_boot *)f->boots->pdata[i])->source_kind == KDH_SOURCE_VMCORE_DMESG)
			g_ptr_array_add(vmcores, f->boots->pdata[i]);
	for (guint k = 0; k < vmcores->len; k++) {
		struct kdh_boot *v = vmcores->pdata[k];
		struct kdh_boot *c;
		guint i;
		int pick = -1;

		for (guint j = 0; j < f->boots->len; j++) {
			const struct kdh_boot *next =
				j + 1 < f->boots->len ? f->boots->pdata[j + 1] : NULL;

			if (!boot_may_be(v, f->boots->pdata[j]))
				continue;
			if (pick < 0 || (next && next->capture))
				pick = j;
		}
		if (pick < 0 || !g_ptr_array_find(f->boots, v, &i))
			continue;
		c = f->boots->pdata[pick];
		v->log.panic_end |= c->log.panic_end;
		v->log.rebooting |= c->log.rebooting;
		/* V takes C's place; C goes */
		g_ptr_array_steal_index(f->boots, i);
		f->boots->pdata[(guint)pick > i ? pick - 1 : pick] = v;
		boot_free(c);
	}
}

void kdh_foreign_finish(struct kdh_foreign *f)
{
	if (f->finished)
		return;
	f->finished = TRUE;
	foreign_merge_copies(f);
	for (guint i = 0; i < f->boots->len; i++) {
		struct kdh_boot *b = f->boots->pdata[i];
		struct kdh_boot *next = i + 1 < f->boots->len ? f->boots->pdata[i + 1] : NULL;

		for (guint k = 0; k < b->log.complaints->len; k++) {
			struct kdh_complaint *c = b->log.complaints->pdata[k];

			g_free(c->where);
			c->where = g_strdup(b->capture ? WHERE_CAPTURE : WHERE_FIRST);
		}
		if (!boot_panicked(b))
			continue;
		if (next && next->banner)
			b->after = next->capture ? KDH_AFTER_CAPTURE : KDH_AFTER_REBOOT;
		else if (next && next->capture) /* a capture kernel's log without its banner */
			b->after = KDH_AFTER_CAPTURE;
		else if (b->log.panic_end)
			b->after = KDH_AFTER_HALTED;
		else if (b->log.rebooting)
			b->after = KDH_AFTER_REBOOTING;
		else if (b->source_kind == KDH_SOURCE_VMCORE_DMESG)
			/* a vmcore holds this log: a capture kernel read it */
			b->after = KDH_AFTER_CAPTURE;
		else
			b->after = KDH_AFTER_LOG_ENDS;
	}
}

gboolean kdh_foreign_has_kernel(const struct kdh_foreign *f)
{
	for (guint i = 0; i < f->boots->len; i++) {
		const struct kdh_boot *b = f->boots->pdata[i];

		if (b->banner || b->capture || b->first_seconds >= 0 || b->log.panic_count ||
		    b->log.complaints->len || b->log.nmi_cpus->len || b->dump != KDH_DUMP_SILENT)
			return TRUE;
	}
	return FALSE;
}

const struct kdh_boot *kdh_foreign_crashed(const struct kdh_foreign *f)
{
	const struct kdh_boot *any = NULL;

	for (guint i = 0; i < f->boots->len; i++) {
		const struct kdh_boot *b = f->boots->pdata[i];

		if (!boot_panicked(b))
			continue;
		if (!b->capture)
			return b;
		any = any ? any : b;
	}
	return any;
}

const struct kdh_boot *kdh_foreign_capture(const struct kdh_foreign *f,
					   const struct kdh_boot *crashed)
{
	gboolean after = crashed == NULL;

	for (guint i = 0; i < f->boots->len; i++) {
		const struct kdh_boot *b = f->boots->pdata[i];

		if (b == crashed) {
			after = TRUE;
			continue;
		}
		if (after && b->capture)
			return b;
		/* another kernel booted in between: not this panic's capture kernel */
		if (after && crashed && b->banner)
			return NULL;
	}
	return NULL;
}

/* The complaints of B that break a kernel: BUG and Oops (as the live run's
 * default fail-on). */
static const struct kdh_complaint *boot_first_failure(const struct kdh_boot *b)
{
	for (guint i = 0; i < b->log.complaints->len; i++) {
		const struct kdh_complaint *c = b->log.complaints->pdata[i];

		if (c->kind == KDH_COMPLAINT_BUG || c->kind == KDH_COMPLAINT_OOPS)
			return c;
	}
	return NULL;
}

/* "BUG on CPU 0 in the capture kernel: BUG: kernel NULL pointer dereference,
 * address: 0000000000000010 (in relid2channel [hv_vmbus])" */
static char *complaint_text(const struct kdh_complaint *c)
{
	g_autofree char *cpu = c->cpu < 0 ? g_strdup("an unknown CPU")
					  : g_strdup_printf("CPU %d", c->cpu);
	g_autofree char *in = c->function ? g_strdup_printf(" (in %s%s%s%s)", c->function,
							   c->module ? " [" : "",
							   c->module ? c->module : "",
							   c->module ? "]" : "")
					  : g_strdup("");

	return g_strdup_printf("%s on %s in the %s: %s%s", kdh_complaint_kind_name(c->kind), cpu,
			       c->where, c->line, in);
}

/* "panic on CPU 1, not the VMBus connect CPU 0" on Hyper-V, "panic on CPU 1" else */
static char *panic_cpu_text(const struct kdh_boot *b)
{
	int connect = kdh_analysis_release_vmbus_connect_cpu(b->release, b->log.vmbus_connect_said);

	if (b->log.panic_cpu < 0)
		return g_strdup("panic on an unknown CPU");
	if (!b->log.vmbus_version || connect < 0)
		return g_strdup_printf("panic on CPU %d", b->log.panic_cpu);
	return g_strdup_printf("panic on CPU %d, %s VMBus connect CPU %d", b->log.panic_cpu,
			       b->log.panic_cpu == connect ? "the" : "not the", connect);
}

G_GNUC_PRINTF(5, 6)
static void judge_set(struct kdh_verdict *ret, const char **ret_reason, enum kdh_result result,
		      const char *reason, const char *fmt, ...)
{
	va_list ap;

	ret->result = result;
	ret->reason = KDH_REASON__COUNT;
	ret->stage = KDH_STAGE__COUNT;
	*ret_reason = reason;
	va_start(ap, fmt);
	ret->detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* The capture kernel C's part, in crash-path order. TRUE when it decided. */
static gboolean judge_capture(const struct kdh_boot *p, const struct kdh_boot *c,
			      const char *panic, struct kdh_verdict *ret, const char **ret_reason)
{
	const struct kdh_complaint *bad = boot_first_failure(c);
	g_autofree char *text = bad ? complaint_text(bad) : NULL;

	if (bad) {
		judge_set(ret, ret_reason, KDH_RESULT_FAIL, "kernel-complained", "%s; %s", panic,
			  text);
		return TRUE;
	}
	if (c->log.panic_count) {
		judge_set(ret, ret_reason, KDH_RESULT_FAIL, "capture-panicked",
			  "%s; the capture kernel panicked too: \"%s\"", panic, c->log.panic_string);
		return TRUE;
	}
	/* the seed's bug: a capture kernel that did not reconnect to VMBus has no
	 * disk or network on Hyper-V; known once it ran to its dump */
	if (p && p->log.vmbus_version && !c->log.vmbus_version && c->banner &&
	    c->dump != KDH_DUMP_SILENT) {
		judge_set(ret, ret_reason, KDH_RESULT_FAIL, "vmbus-not-reconnected",
			  "%s; the capture kernel did not reconnect to VMBus (the crashed kernel "
			  "had version %s)", panic, p->log.vmbus_version);
		return TRUE;
	}
	if (c->dump == KDH_DUMP_FAILED) {
		judge_set(ret, ret_reason, KDH_RESULT_FAIL, "dump-failed",
			  "%s; the capture kernel could not save the vmcore: %s", panic, c->dump_line);
		return TRUE;
	}
	if (c->dump == KDH_DUMP_SAVED) {
		const struct kdh_complaint *w =
			c->log.complaints->len ? c->log.complaints->pdata[0] : NULL;
		g_autofree char *wtext = w ? complaint_text(w) : NULL;

		judge_set(ret, ret_reason, KDH_RESULT_PASS, "ok",
			  "%s; the capture kernel%s%s saved the vmcore: %s%s%s", panic,
			  c->release ? " " : "", c->release ? c->release : "", c->dump_line,
			  w ? "; warning: " : "", w ? wtext : "");
		return TRUE;
	}
	return FALSE;
}

void kdh_foreign_judge(const struct kdh_foreign *f, struct kdh_verdict *ret,
		       const char **ret_reason)
{
	const struct kdh_boot *p = kdh_foreign_crashed(f);
	const struct kdh_boot *c = kdh_foreign_capture(f, p);
	g_autofree char *cpu = NULL, *panic = NULL;

	memset(ret, 0, sizeof(*ret));
	if (!p) {
		const struct kdh_complaint *bad = NULL;
		g_autofree char *text = NULL, *first = NULL;

		if (c && judge_capture(NULL, c, "no panic in the log", ret, ret_reason))
			return;
		for (guint i = 0; i < f->boots->len && !bad; i++)
			bad = boot_first_failure(f->boots->pdata[i]);
		first = bad ? complaint_text(bad) : NULL;
		text = bad ? g_strconcat("; first: ", first, NULL) : g_strdup("");
		judge_set(ret, ret_reason, KDH_RESULT_SKIP, "no-panic",
			  "no \"Kernel panic - not syncing\" in the evidence: nothing says which "
			  "kernel this was or what came after%s", text);
		return;
	}
	cpu = panic_cpu_text(p);
	panic = p->log.panic_count
			? g_strdup_printf("%s: \"%s\"", cpu, p->log.panic_string)
			: g_strdup("a panic (its \"Kernel Offset:\" trailer; the panic's own line "
				   "is not in the log)");
	/* the crash path itself, before any capture kernel */
	if (p->log.vmbus_unload_gave_up) {
		judge_set(ret, ret_reason, KDH_RESULT_FAIL, "vmbus-unload-incomplete",
			  "%s; the crashed kernel continued even though VMBus UNLOAD did not "
			  "complete (%d waits): the capture kernel may find no VMBus",
			  panic, p->log.vmbus_unload_waits);
		return;
	}
	switch (p->after) {
	case KDH_AFTER_HALTED:
	case KDH_AFTER_REBOOTING:
	case KDH_AFTER_REBOOT:
		if (p->log.kdump_loaded)
			judge_set(ret, ret_reason, KDH_RESULT_FAIL, "no-kexec",
				  "%s; kdump was loaded, but the panic %s without kexec", panic,
				  p->after == KDH_AFTER_HALTED ? "ended" : "rebooted");
		else
			judge_set(ret, ret_reason, KDH_RESULT_SKIP, "no-kdump",
				  "%s; the panic %s without a capture kernel, and its header does "
				  "not say \"Kdump: loaded\": no crash path to judge",
				  panic, p->after == KDH_AFTER_HALTED ? "ended" : "rebooted");
		return;
	case KDH_AFTER_LOG_ENDS:
		judge_set(ret, ret_reason, KDH_RESULT_SKIP, "log-ends",
			  "%s; the log ends after the panic: nothing says whether a capture "
			  "kernel started", panic);
		return;
	case KDH_AFTER_CAPTURE:
	case KDH_AFTER__COUNT:
		break;
	}
	if (c && judge_capture(p, c, panic, ret, ret_reason))
		return;
	/* a capture kernel that said nothing of its dump, but its vmcore is here */
	if (p->source_kind == KDH_SOURCE_VMCORE_DMESG) {
		judge_set(ret, ret_reason, KDH_RESULT_PASS, "ok",
			  "%s; a vmcore holds this log: the capture kernel ran and saved it", panic);
		return;
	}
	judge_set(ret, ret_reason, KDH_RESULT_SKIP, "log-ends",
		  "%s; a capture kernel%s%s started, but the log ends before it said whether it "
		  "saved the vmcore", panic, c && c->release ? " " : "",
		  c && c->release ? c->release : "");
}

/* ---- JSON ---- */

static void add_int(JsonBuilder *b, const char *key, gint64 value)
{
	json_builder_set_member_name(b, key);
	if (value < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, value);
}

static void add_bool(JsonBuilder *b, const char *key, gboolean value)
{
	json_builder_set_member_name(b, key);
	json_builder_add_boolean_value(b, value);
}

static void add_seconds(JsonBuilder *b, const char *key, double value)
{
	json_builder_set_member_name(b, key);
	if (value < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_double_value(b, value);
}

/* The CPUs of B's "Dazed and confused" lines: unknown NMIs it survived. */
static GArray *boot_dazed_cpus(const struct kdh_boot *b)
{
	GArray *cpus = g_array_new(FALSE, FALSE, sizeof(int));

	for (guint i = 0; i < b->log.complaints->len; i++) {
		const struct kdh_complaint *c = b->log.complaints->pdata[i];
		gboolean seen = FALSE;

		if (c->kind != KDH_COMPLAINT_DAZED || c->cpu < 0)
			continue;
		for (guint k = 0; k < cpus->len; k++)
			seen |= g_array_index(cpus, int, k) == c->cpu;
		if (!seen)
			g_array_append_val(cpus, c->cpu);
	}
	return cpus;
}

static void add_panic(JsonBuilder *b, const char *key, const struct kdh_boot *boot)
{
	const struct kdh_panic_log *log = boot ? &boot->log : NULL;

	json_builder_set_member_name(b, key);
	if (!log || log->panic_count == 0) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_object(b);
	add_int(b, "count", log->panic_count);
	add_int(b, "cpu", log->panic_cpu);
	add_int(b, "vmbus_connect_cpu",
		log->vmbus_version ? kdh_analysis_release_vmbus_connect_cpu(boot->release,
									      log->vmbus_connect_said)
				   : -1);
	kdh_json_add_string(b, "string", log->panic_string);
	kdh_json_add_ints(b, "nmi_cpus", log->nmi_cpus);
	add_int(b, "vmbus_unload_waits", log->vmbus_unload_waits);
	add_bool(b, "vmbus_unload_gave_up", log->vmbus_unload_gave_up);
	add_int(b, "pid", log->panic_pid);
	kdh_json_add_string(b, "comm", log->panic_comm);
	kdh_json_add_string(b, "taint", log->panic_taint);
	add_seconds(b, "seconds", log->panic_seconds);
	add_bool(b, "kdump_loaded", log->kdump_loaded);
	kdh_json_add_string(b, "kernel_offset", log->kernel_offset);
	kdh_json_add_string(b, "after", kdh_after_panic_name(boot->after));
	json_builder_end_object(b);
}

static void add_complaint(JsonBuilder *b, const struct kdh_complaint *c)
{
	json_builder_begin_object(b);
	kdh_json_add_string(b, "where", c->where);
	kdh_json_add_string(b, "kind", kdh_complaint_kind_name(c->kind));
	add_int(b, "cpu", c->cpu);
	kdh_json_add_string(b, "line", c->line);
	kdh_json_add_string(b, "level",
		   c->kind == KDH_COMPLAINT_BUG || c->kind == KDH_COMPLAINT_OOPS ? "fail" : "warn");
	kdh_json_add_string(b, "what", c->what);
	kdh_json_add_string(b, "function", c->function);
	kdh_json_add_string(b, "module", c->module);
	json_builder_end_object(b);
}

/* The live summary's "first" and "capture" objects, with what a log says. */
static void add_kernel(JsonBuilder *b, const char *key, const struct kdh_boot *boot)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	add_bool(b, "seen", boot != NULL);
	kdh_json_add_string(b, "release", boot ? boot->release : NULL);
	add_int(b, "cpus", boot ? boot->cpus : -1);
	kdh_json_add_string(b, "vmbus_version", boot ? boot->log.vmbus_version : NULL);
	if (g_str_equal(key, "capture"))
		kdh_json_add_string(b, "dump", boot ? kdh_dump_said_name(boot->dump) : NULL);
	json_builder_end_object(b);
}

static void add_boot(JsonBuilder *b, const struct kdh_boot *boot)
{
	g_autoptr(GArray) dazed = boot_dazed_cpus(boot);

	json_builder_begin_object(b);
	kdh_json_add_string(b, "source", boot->source);
	kdh_json_add_string(b, "source_kind", kdh_source_kind_name(boot->source_kind));
	add_bool(b, "banner", boot->banner);
	kdh_json_add_string(b, "release", boot->release);
	kdh_json_add_string(b, "cmdline", boot->cmdline);
	add_int(b, "cpus", boot->cpus);
	add_bool(b, "capture", boot->capture);
	add_seconds(b, "first_seconds", boot->first_seconds);
	add_seconds(b, "last_seconds", boot->last_seconds);
	add_bool(b, "hyperv", boot->log.hyperv);
	kdh_json_add_string(b, "vmbus_version", boot->log.vmbus_version);
	add_int(b, "vmbus_unload_waits", boot->log.vmbus_unload_waits);
	add_bool(b, "vmbus_unload_gave_up", boot->log.vmbus_unload_gave_up);
	add_bool(b, "hv_crash_handler", boot->log.hv_crash_handler);
	kdh_json_add_ints(b, "nmi_cpus", boot->log.nmi_cpus);
	kdh_json_add_ints(b, "dazed_cpus", dazed);
	add_panic(b, "panic", boot);
	kdh_json_add_string(b, "dump", kdh_dump_said_name(boot->dump));
	kdh_json_add_string(b, "dump_line", boot->dump_line);
	json_builder_set_member_name(b, "complaints");
	json_builder_begin_array(b);
	for (guint i = 0; i < boot->log.complaints->len; i++)
		add_complaint(b, boot->log.complaints->pdata[i]);
	json_builder_end_array(b);
	json_builder_end_object(b);
}

JsonNode *kdh_foreign_summary(const struct kdh_foreign *f, const struct kdh_verdict *v,
			      const char *reason, JsonNode *known_bugs)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	const struct kdh_boot *p = kdh_foreign_crashed(f);
	const struct kdh_boot *c = kdh_foreign_capture(f, p);
	const struct kdh_boot *first = p;

	if (!first)
		for (guint i = 0; i < f->boots->len && !first; i++)
			if (!((const struct kdh_boot *)f->boots->pdata[i])->capture)
				first = f->boots->pdata[i];
	json_builder_begin_object(b);
	kdh_json_add_string(b, "scenario", NULL);
	kdh_json_add_string(b, "result", kdh_result_name(v->result));
	kdh_json_add_string(b, "reason", reason);
	kdh_json_add_string(b, "stage", NULL);
	kdh_json_add_string(b, "detail", v->detail);
	add_int(b, "vcpus", first ? first->cpus : -1);
	add_panic(b, "panic", p);
	add_kernel(b, "first", first);
	add_kernel(b, "capture", c);
	json_builder_set_member_name(b, "complaints");
	json_builder_begin_array(b);
	for (guint i = 0; i < f->boots->len; i++) {
		const struct kdh_boot *boot = f->boots->pdata[i];

		if (boot != first && boot != c)
			continue;
		for (guint k = 0; k < boot->log.complaints->len; k++)
			add_complaint(b, boot->log.complaints->pdata[k]);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "foreign");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "sources");
	json_builder_begin_array(b);
	for (guint i = 0; i < f->sources->len; i++)
		json_builder_add_string_value(b, f->sources->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "boots");
	json_builder_begin_array(b);
	for (guint i = 0; i < f->boots->len; i++)
		add_boot(b, f->boots->pdata[i]);
	json_builder_end_array(b);
	kdh_json_add_string(b, "capture_outcome", p ? kdh_after_panic_name(p->after) : NULL);
	json_builder_set_member_name(b, "known_bugs");
	if (known_bugs)
		json_builder_add_value(b, known_bugs);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* ---- the human summary ---- */

static void text_boot(GString *out, guint index, const struct kdh_boot *b)
{
	const struct kdh_complaint *bad = boot_first_failure(b);

	g_string_append_printf(out, "boot %u%s: %s%s", index + 1, b->banner ? "" : " (no banner)",
			       b->capture ? "capture kernel " : "",
			       b->release ? b->release : "release unknown");
	if (b->cpus > 0)
		g_string_append_printf(out, ", %d CPU%s", b->cpus, b->cpus == 1 ? "" : "s");
	if (b->log.hyperv)
		g_string_append(out, ", Hyper-V");
	if (b->log.vmbus_version)
		g_string_append_printf(out, ", VMBus %s", b->log.vmbus_version);
	if (b->log.nmi_cpus->len)
		g_string_append_printf(out, ", unknown NMI on %u CPU%s", b->log.nmi_cpus->len,
				       b->log.nmi_cpus->len == 1 ? "" : "s");
	if (bad) {
		g_autofree char *text = complaint_text(bad);

		g_string_append_printf(out, "; first: %s", text);
	}
	if (b->log.panic_count) {
		g_autofree char *cpu = panic_cpu_text(b);

		g_string_append_printf(out, "; %s: \"%s\"", cpu, b->log.panic_string);
		if (b->log.panic_comm)
			g_string_append_printf(out, " (PID %d %s%s%s)", b->log.panic_pid,
					       b->log.panic_comm, b->log.panic_taint ? ", " : "",
					       b->log.panic_taint ? b->log.panic_taint : "");
		if (b->log.vmbus_unload_waits)
			g_string_append_printf(out, "; %d waits for VMBus UNLOAD%s",
					       b->log.vmbus_unload_waits,
					       b->log.vmbus_unload_gave_up ? ", gave up" : "");
		g_string_append_printf(out, "; then: %s", kdh_after_panic_name(b->after));
	}
	if (b->dump != KDH_DUMP_SILENT)
		g_string_append_printf(out, "; dump %s", kdh_dump_said_name(b->dump));
	g_string_append_c(out, '\n');
}

char *kdh_foreign_text(const struct kdh_foreign *f)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < f->boots->len; i++)
		text_boot(out, i, f->boots->pdata[i]);
	return g_string_free(out, FALSE);
}

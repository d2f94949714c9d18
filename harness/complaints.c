/* A kernel's complaints in its log. The point is to surface them with the CPU
 * that printed them: on Hyper-V guests of 6.1 the crash handler itself WARNs from
 * smp_call_function_single() on the panicking CPU, and a capture kernel that
 * oopses in hv_vmbus is the bug this harness exists for. */
#include <string.h>

#include "kdh-complaints.h"
#include "kdh-klog.h"

#define EVENT_NONE -1
#define EVENT_PANIC -2

static const char *const kind_names[] = {
	[KDH_COMPLAINT_WARNING] = "WARNING",
	[KDH_COMPLAINT_BUG] = "BUG",
	[KDH_COMPLAINT_OOPS] = "Oops",
	[KDH_COMPLAINT_CALL_TRACE] = "Call Trace",
	[KDH_COMPLAINT_DAZED] = "Dazed and confused",
};
G_STATIC_ASSERT(G_N_ELEMENTS(kind_names) == KDH_COMPLAINT__COUNT);

const char *kdh_complaint_kind_name(enum kdh_complaint_kind kind)
{
	return (unsigned int)kind < KDH_COMPLAINT__COUNT ? kind_names[kind] : NULL;
}

int kdh_complaint_kind_from_name(const char *name)
{
	for (int i = 0; i < KDH_COMPLAINT__COUNT; i++)
		if (g_strcmp0(name, kind_names[i]) == 0)
			return i;
	return -1;
}

void kdh_complaint_free(struct kdh_complaint *c)
{
	if (!c)
		return;
	g_free(c->where);
	g_free(c->line);
	g_free(c);
}

void kdh_complaint_scan_init(struct kdh_complaint_scan *s, const char *where)
{
	*s = (struct kdh_complaint_scan){
		.where = where,
		.event = EVENT_NONE,
		.header_cpu = -1,
		.awaiting_from = -1,
		.nmi_pending = g_array_new(FALSE, FALSE, sizeof(struct kdh_pending_nmi)),
	};
}

void kdh_complaint_scan_clear(struct kdh_complaint_scan *s)
{
	g_clear_pointer(&s->nmi_pending, g_array_unref);
}

static void scan_add(struct kdh_complaint_scan *s, GPtrArray *complaints,
				      enum kdh_complaint_kind kind, int cpu, const char *text)
{
	struct kdh_complaint *c = g_new0(struct kdh_complaint, 1);

	c->kind = kind;
	c->cpu = cpu;
	c->where = g_strdup(s->where);
	c->line = g_strdup(text);
	g_ptr_array_add(complaints, c);
}

/* "WARNING: CPU: 0 PID: 0 at ...": __warn() names its CPU on the line itself. */
static int scan_warning_cpu(const char *text)
{
	int cpu;

	return kdh_klog_dump_stack_cpu(text + strlen("WARNING: "), &cpu) ? cpu : -1;
}

/* "BUG: ..." opens the line, or follows a subsystem ("watchdog: BUG: soft lockup");
 * BUG_ON() prints "kernel BUG at drivers/hv/channel_mgmt.c:1001!". */
static gboolean scan_is_bug(const char *text)
{
	return g_str_has_prefix(text, "BUG: ") || strstr(text, ": BUG: ") != NULL ||
	       g_str_has_prefix(text, "kernel BUG at ");
}

/* __die_header() (arch/x86/kernel/dumpstack.c): "<what>: %04lx [#%d] ...", as in
 * "Oops: 0000 [#1]", "invalid opcode: 0000 [#1]", "general protection fault, ...:
 * 0000 [#1]". */
static gboolean scan_is_oops(const char *text)
{
	for (const char *p = strstr(text, ": "); p; p = strstr(p + 1, ": ")) {
		const char *q = p + 2;

		if (strspn(q, "0123456789abcdef") == 4 && g_str_has_prefix(q + 4, " [#"))
			return TRUE;
	}
	return FALSE;
}

/* The CPU of a "Dazed" line: each CPU prints its Uhhuh and then its Dazed, with
 * the same time stamp, but CPUs interleave (and a CPU that panics prints no
 * Dazed), so the pending Uhhuh with the same stamp, else the latest. */
static int scan_dazed_cpu(struct kdh_complaint_scan *s, const char *line, const char *text)
{
	g_autofree char *stamp = g_strndup(line, text - line);
	guint pick = s->nmi_pending->len;
	int cpu;

	if (pick == 0)
		return -1;
	for (guint i = 0; i < s->nmi_pending->len; i++)
		if (*stamp && g_str_equal(g_array_index(s->nmi_pending, struct kdh_pending_nmi, i).stamp,
					  stamp))
			pick = i + 1;
	cpu = g_array_index(s->nmi_pending, struct kdh_pending_nmi, pick - 1).cpu;
	g_array_remove_index(s->nmi_pending, pick - 1);
	return cpu;
}

/* An event: its CPU comes from the dump_stack() header after it, and the next
 * call trace is its own. */
static void scan_event(struct kdh_complaint_scan *s, GPtrArray *complaints,
		       enum kdh_complaint_kind kind, int cpu, const char *text)
{
	if (cpu < 0 && s->awaiting_from < 0)
		s->awaiting_from = complaints->len;
	scan_add(s, complaints, kind, cpu, text);
	s->event = kind;
}

void kdh_complaint_scan_line(struct kdh_complaint_scan *s, const char *line,
			     GPtrArray *complaints)
{
	const char *text = kdh_klog_text(line);
	int cpu;

	if (g_str_has_prefix(text, "WARNING: ")) {
		scan_event(s, complaints, KDH_COMPLAINT_WARNING, scan_warning_cpu(text), text);
	} else if (scan_is_bug(text)) {
		scan_event(s, complaints, KDH_COMPLAINT_BUG, -1, text);
	} else if (scan_is_oops(text)) {
		/* a BUG's own Oops line is a second complaint, about the same CPU */
		scan_event(s, complaints, KDH_COMPLAINT_OOPS, -1, text);
	} else if (g_str_has_prefix(text, "Kernel panic - not syncing: ")) {
		s->event = EVENT_PANIC;
		s->awaiting_from = -1;
	} else if (kdh_klog_unknown_nmi_cpu(text, &cpu)) {
		struct kdh_pending_nmi nmi = { .cpu = cpu };

		g_strlcpy(nmi.stamp, line, MIN(sizeof(nmi.stamp), (gsize)(text - line) + 1));
		g_array_append_val(s->nmi_pending, nmi);
	} else if (g_str_has_prefix(text, "Dazed and confused")) {
		scan_add(s, complaints, KDH_COMPLAINT_DAZED, scan_dazed_cpu(s, line, text), text);
	} else if (kdh_klog_dump_stack_cpu(text, &cpu)) {
		s->header_cpu = cpu;
		/* a BUG and its Oops share the header that follows both */
		for (guint i = MAX(s->awaiting_from, 0); s->awaiting_from >= 0 && i < complaints->len;
		     i++) {
			struct kdh_complaint *c = complaints->pdata[i];

			if (c->cpu < 0)
				c->cpu = cpu;
		}
		s->awaiting_from = -1;
	} else if (g_str_has_prefix(text, "Call Trace:")) {
		if (s->event == EVENT_NONE)
			scan_add(s, complaints, KDH_COMPLAINT_CALL_TRACE, s->header_cpu, text);
		s->event = EVENT_NONE;
	}
}

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
	g_free(c->function);
	g_free(c->module);
	g_free(c);
}

void kdh_complaint_scan_init(struct kdh_complaint_scan *s, const char *where)
{
	*s = (struct kdh_complaint_scan){
		.where = where,
		.event = EVENT_NONE,
		.header_cpu = -1,
		.awaiting_from = -1,
		.rip_from = -1,
		.nmi_pending = g_array_new(FALSE, FALSE, sizeof(struct kdh_pending_nmi)),
	};
}

void kdh_complaint_scan_clear(struct kdh_complaint_scan *s)
{
	g_clear_pointer(&s->nmi_pending, g_array_unref);
}

/* Which complaint it is, for a person: the five kinds are coarse. */
static const char *scan_what(const char *text)
{
	static const struct {
		const char *needle;
		const char *what;
	} table[] = {
		{ "soft lockup", "soft lockup" },
		{ "hard LOCKUP", "hard lockup" },
		{ "NULL pointer dereference", "NULL pointer dereference" },
		{ "unable to handle page fault", "page fault" },
		{ "unable to handle kernel paging request", "page fault" },
		{ "general protection fault", "general protection fault" },
		{ "kernel BUG at", "kernel BUG" },
		{ "invalid opcode:", "invalid opcode" },
		{ "detected stall", "RCU stall" },
		{ "self-detected stall", "RCU stall" },
		{ " blocked for more than ", "hung task" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(table); i++)
		if (strstr(text, table[i].needle))
			return table[i].what;
	return NULL;
}

/* "func+0x1a/0x30 [module]" at P: the function (up to the '+') and module
 * into C, unless C has them. FALSE when P holds no such symbol (a user-space
 * address "0x7fe2958da917"). */
static gboolean scan_symbol(struct kdh_complaint *c, const char *p)
{
	gsize len;
	const char *plus, *mod;

	p += strspn(p, " \t");
	len = strcspn(p, " \t");
	plus = memchr(p, '+', len);
	if (!plus || plus == p || c->function)
		return plus && plus != p;
	c->function = g_strndup(p, plus - p);
	mod = p + len;
	mod += strspn(mod, " ");
	if (*mod == '[' && strchr(mod, ']'))
		c->module = g_strndup(mod + 1, strchr(mod, ']') - mod - 1);
	return TRUE;
}

static struct kdh_complaint *scan_add(struct kdh_complaint_scan *s, GPtrArray *complaints,
				      enum kdh_complaint_kind kind, int cpu, const char *text)
{
	struct kdh_complaint *c = g_new0(struct kdh_complaint, 1);
	const char *at;

	c->kind = kind;
	c->cpu = cpu;
	c->where = g_strdup(s->where);
	c->line = g_strdup(text);
	c->what = scan_what(text);
	/* __warn(): "WARNING: CPU: 0 PID: 580 at FILE:LINE func+0x6f4/0x740 [module]" */
	if (kind == KDH_COMPLAINT_WARNING && (at = strstr(text, " at ")) && strchr(at + 4, ' '))
		scan_symbol(c, strchr(at + 4, ' ') + 1);
	g_ptr_array_add(complaints, c);
	return c;
}

/* The instruction pointer of the event before it: x86 "RIP: 0010:func+0x1a/0x30
 * [mod]" (4.x: "RIP: 0010:[<ffff...>]  [<ffff...>] func+..."), "IP: [<ffff...>]
 * func+...", arm "PC is at func+...", arm64 "pc : func+...". */
static void scan_rip(struct kdh_complaint_scan *s, const char *text, GPtrArray *complaints)
{
	const char *p = NULL;

	if (g_str_has_prefix(text, "RIP: "))
		p = text + 5;
	else if (g_str_has_prefix(text, "IP: "))
		p = text + 4;
	else if (g_str_has_prefix(text, "PC is at "))
		p = text + 9;
	else if (g_str_has_prefix(text, "pc : "))
		p = text + 5;
	if (!p || s->rip_from < 0)
		return;
	if (strspn(p, "0123456789abcdef") == 4 && p[4] == ':')
		p += 5;
	while (*p == ' ' || g_str_has_prefix(p, "[<"))
		p = *p == ' ' ? p + 1 : (strchr(p, ']') ? strchr(p, ']') + 1 : p + strlen(p));
	for (guint i = s->rip_from; i < complaints->len; i++)
		if (!scan_symbol(complaints->pdata[i], p))
			return;
	s->rip_from = -1;
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
	/* "# BUG: ": a shell's prompt on the console before the kernel's line */
	return g_str_has_prefix(text, "BUG: ") || strstr(text, ": BUG: ") != NULL ||
	       strstr(text, "# BUG: ") != NULL || g_str_has_prefix(text, "kernel BUG at ");
}

/* __die_header() (arch/x86/kernel/dumpstack.c): "<what>: %04lx [#%d] ...", as in
 * "Oops: 0000 [#1]", "invalid opcode: 0000 [#1]", "general protection fault, ...:
 * 0000 [#1]". */
static gboolean scan_is_oops(const char *text)
{
	/* arm and arm64 die(): "Internal error: Oops - BUG: 0 [#2] ARM" */
	if (g_str_has_prefix(text, "Internal error: Oops"))
		return TRUE;
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
	if (s->rip_from < 0)
		s->rip_from = complaints->len;
	scan_add(s, complaints, kind, cpu, text);
	s->event = kind;
}

/* A number after NEEDLE in TEXT: "soft lockup - CPU#3 stuck", "hard LOCKUP on
 * cpu 3", "stall on CPU 0 (t=...)", "stalls on CPUs/tasks: { 2}"; -1 for none. */
static int scan_cpu_after(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	guint64 cpu;
	char *end;

	if (!p)
		return -1;
	p += strlen(needle);
	p += strspn(p, " ");
	if (!g_ascii_isdigit(*p))
		return -1;
	cpu = g_ascii_strtoull(p, &end, 10);
	return cpu <= G_MAXINT ? (int)cpu : -1;
}

/* kernel/rcu/tree_stall.h: "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:",
 * "... self-detected stall on CPU", 3.x "INFO: rcu_sched_state detected stall
 * on CPU 0 (t=...)"; the stalled CPU on the line, or on the next:
 * "rcu: \t1-...!: (0 ticks this GP) ...". */
static gboolean scan_is_rcu_stall(const char *text)
{
	return (g_str_has_prefix(text, "rcu: INFO: ") || g_str_has_prefix(text, "INFO: rcu")) &&
	       strstr(text, "detected stall");
}

static int scan_rcu_cpu_line(const char *text)
{
	const char *p = g_str_has_prefix(text, "rcu: ") ? text + 5 : text;
	gsize digits;

	p += strspn(p, " \t");
	digits = strspn(p, "0123456789");
	if (digits == 0 || p[digits] != '-')
		return -1;
	return scan_cpu_after(p, "");
}

void kdh_complaint_scan_line(struct kdh_complaint_scan *s, const char *line,
			     GPtrArray *complaints)
{
	const char *text = kdh_klog_text(line);
	int cpu;

	if (s->rcu_cpu_next) {
		struct kdh_complaint *c = complaints->len ? complaints->pdata[complaints->len - 1]
							  : NULL;

		s->rcu_cpu_next = FALSE;
		if (c && c->cpu < 0 && (cpu = scan_rcu_cpu_line(text)) >= 0)
			c->cpu = cpu;
	}
	if (scan_is_rcu_stall(text)) {
		cpu = scan_cpu_after(text, "stall on CPU");
		cpu = cpu >= 0 ? cpu : scan_cpu_after(text, "{");
		scan_event(s, complaints, KDH_COMPLAINT_WARNING, cpu, text);
		s->rcu_cpu_next = cpu < 0;
	} else if (strstr(text, "Watchdog detected hard LOCKUP on cpu ")) {
		/* kernel/watchdog_perf.c: the NMI watchdog, about another CPU or itself */
		scan_event(s, complaints, KDH_COMPLAINT_BUG,
			   scan_cpu_after(text, "hard LOCKUP on cpu"), text);
	} else if (g_str_has_prefix(text, "INFO: task ") && strstr(text, " blocked for more than ")) {
		/* kernel/hung_task.c: a task in D state for hung_task_timeout_secs */
		scan_event(s, complaints, KDH_COMPLAINT_WARNING, -1, text);
	} else if (g_str_has_prefix(text, "WARNING: ")) {
		scan_event(s, complaints, KDH_COMPLAINT_WARNING, scan_warning_cpu(text), text);
	} else if (scan_is_bug(text)) {
		scan_event(s, complaints, KDH_COMPLAINT_BUG,
			   scan_cpu_after(text, "soft lockup - CPU#"), text);
	} else if (scan_is_oops(text)) {
		/* a BUG's own Oops line is a second complaint, about the same CPU */
		scan_event(s, complaints, KDH_COMPLAINT_OOPS, -1, text);
	} else if (g_str_has_prefix(text, "Kernel panic - not syncing: ")) {
		s->event = EVENT_PANIC;
		s->awaiting_from = -1;
		s->rip_from = -1;
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
	} else if (g_str_has_prefix(text, "RIP: ") || g_str_has_prefix(text, "IP: ") ||
		   g_str_has_prefix(text, "PC is at ") || g_str_has_prefix(text, "pc : ")) {
		scan_rip(s, text, complaints);
	} else if (g_str_has_prefix(text, "Call Trace:")) {
		if (s->event == EVENT_NONE)
			scan_add(s, complaints, KDH_COMPLAINT_CALL_TRACE, s->header_cpu, text);
		s->event = EVENT_NONE;
	}
}

/* Pure analysis of what a guest wrote: the agent's protocol lines, the kernel's
 * panic-time log, and the device inventories of the two kernels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-klog.h"
#include "kdh-protocol.h"

/* kernel/panic.c: pr_emerg("Kernel panic - not syncing: %s\n", buf). Matched at the
 * start of the message only, so that the "---[ end Kernel panic - not syncing: ...
 * ]---" trailer of a kernel with no capture kernel is not a second panic. */
#define PANIC_PREFIX "Kernel panic - not syncing: "

static const char *panic_end_at(const char *line);
#define BANNER_PREFIX "Linux version "

void kdh_msg_clear(struct kdh_msg *msg)
{
	g_clear_pointer(&msg->kind, g_free);
	g_clear_pointer(&msg->fields, g_hash_table_unref);
}

/* Adds TOKEN ("key=value") to FIELDS; FALSE when it is not of that form. */
static gboolean msg_add_field(GHashTable *fields, const char *token)
{
	const char *eq = strchr(token, '=');

	if (!eq || eq == token)
		return FALSE;
	g_hash_table_insert(fields, g_strndup(token, eq - token), g_strdup(eq + 1));
	return TRUE;
}

gboolean kdh_msg_parse(const char *line, struct kdh_msg *ret_msg)
{
	const char *start = strstr(line, KDH_PROTO_PREFIX);
	g_autofree char *body = NULL;
	g_auto(GStrv) tokens = NULL;
	g_autoptr(GHashTable) fields = NULL;
	const char *kind = NULL;

	if (!start)
		return FALSE;
	/* g_strchomp: a serial console ends lines with "\r\n". */
	body = g_strchomp(g_strdup(start + strlen(KDH_PROTO_PREFIX)));
	tokens = g_strsplit_set(body, " \t", -1);
	fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (char **t = tokens; *t; t++) {
		if (**t == '\0') /* between two blanks in a row */
			continue;
		if (kind) {
			if (!msg_add_field(fields, *t))
				return FALSE;
		} else if (strchr(*t, '=')) {
			return FALSE;
		} else {
			kind = *t;
		}
	}
	if (!kind)
		return FALSE;
	ret_msg->kind = g_strdup(kind);
	ret_msg->fields = g_steal_pointer(&fields);
	return TRUE;
}

static const char *msg_get(const struct kdh_msg *msg, const char *key)
{
	return g_hash_table_lookup(msg->fields, key);
}

static gboolean msg_get_int(const struct kdh_msg *msg, const char *key, gint64 min, gint64 max,
			    gint64 *ret)
{
	const char *value = msg_get(msg, key);

	return value && g_ascii_string_to_signed(value, 10, min, max, ret, NULL);
}

/* Each handler checks every field it needs before it changes R: a message is
 * applied whole or not at all, so a garbled line cannot leave a half-true report. */

static gboolean apply_hello(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *release = msg_get(msg, "release");
	gint64 cpus;

	if (!release || !msg_get_int(msg, "cpus", 0, G_MAXINT, &cpus))
		return FALSE;
	r->seen = TRUE;
	g_free(r->release);
	r->release = g_strdup(release);
	r->cpus = cpus;
	return TRUE;
}

static gboolean apply_module(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *name = msg_get(msg, "name");
	const char *status = msg_get(msg, "status");

	if (!name || !status)
		return FALSE;
	if (g_str_equal(status, "error"))
		g_ptr_array_add(r->modules_failed, g_strdup(name));
	return TRUE;
}

/* crash_size and said came later: an older agent's line has neither. */
static gboolean apply_kexec(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *said = msg_get(msg, "said");
	gint64 status, loaded, size = -1;

	if (!msg_get_int(msg, "status", G_MININT, G_MAXINT, &status) ||
	    !msg_get_int(msg, "loaded", 0, 1, &loaded) ||
	    (msg_get(msg, "crash_size") && !msg_get_int(msg, "crash_size", -1, G_MAXINT64, &size)))
		return FALSE;
	r->kexec_status = status;
	r->kexec_loaded = loaded;
	r->crash_size = size;
	g_free(r->kexec_said);
	r->kexec_said = said ? g_uri_unescape_string(said, NULL) : NULL;
	return TRUE;
}

/* "Exec format error (errno 8)": the guest's errno in words (the host is Linux too). */
static char *errno_text(gint64 err)
{
	if (err <= 0)
		return g_strdup_printf("errno %" G_GINT64_FORMAT, err);
	return g_strdup_printf("%s (errno %" G_GINT64_FORMAT ")", g_strerror((int)err), err);
}

static gboolean apply_unfit(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *what = msg_get(msg, "what");
	const char *name = msg_get(msg, "name");
	g_autofree char *text = NULL;
	gint64 err;

	if (!what || !name || !msg_get_int(msg, "errno", G_MININT, G_MAXINT, &err))
		return FALSE;
	text = errno_text(err);
	g_ptr_array_add(r->unfit, g_strdup_printf("%s %s: %s", what, name, text));
	return TRUE;
}

static gboolean apply_device(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *bus = msg_get(msg, "bus");
	const char *name = msg_get(msg, "name");
	const char *id = msg_get(msg, "id");
	const char *driver = msg_get(msg, "driver");

	if (!bus || !name || !id || !driver)
		return FALSE;
	g_ptr_array_add(r->devices, kdh_device_new(bus, name, id, driver));
	return TRUE;
}

static gboolean apply_inventory(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	(void)msg;
	r->inventory_done = TRUE;
	return TRUE;
}

static gboolean apply_ready(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	(void)msg;
	r->ready = TRUE;
	return TRUE;
}

static gboolean apply_dump(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	gint64 status, bytes;

	if (!msg_get_int(msg, "status", G_MININT, G_MAXINT, &status) ||
	    !msg_get_int(msg, "bytes", G_MININT64, G_MAXINT64, &bytes))
		return FALSE;
	r->dump_status = status;
	r->dump_bytes = bytes;
	return TRUE;
}

static gboolean apply_error(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *what = msg_get(msg, "what");
	gint64 err;

	if (!what || !msg_get_int(msg, "errno", G_MININT, G_MAXINT, &err))
		return FALSE;
	g_ptr_array_add(r->errors, g_strdup_printf("%s errno=%" G_GINT64_FORMAT, what, err));
	return TRUE;
}

/* "3,0,12": one count per CPU. */
static gboolean parse_counts(const char *text, GArray *ret)
{
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);
	g_autoptr(GArray) counts = g_array_new(FALSE, FALSE, sizeof(int));

	for (char **p = parts; *p; p++) {
		guint64 n;

		if (!g_ascii_string_to_unsigned(*p, 10, 0, G_MAXINT, &n, NULL))
			return FALSE;
		g_array_append_val(counts, (int){ (int)n });
	}
	g_array_set_size(ret, 0);
	g_array_append_vals(ret, counts->data, counts->len);
	return TRUE;
}

static gboolean apply_nmis(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	const char *when = msg_get(msg, "when");
	const char *counts = msg_get(msg, "counts");

	if (!when || !counts)
		return FALSE;
	if (g_str_equal(when, "before"))
		return parse_counts(counts, r->nmis_before);
	if (g_str_equal(when, "after"))
		return parse_counts(counts, r->nmis_after);
	return FALSE;
}

static gboolean apply_probe(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	(void)msg;
	r->probe_wanted = TRUE;
	return TRUE;
}

static gboolean apply_trigger(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	gint64 cpu;

	if (!msg_get_int(msg, "cpu", 0, G_MAXINT, &cpu))
		return FALSE;
	r->trigger_cpu = cpu;
	return TRUE;
}

int kdh_analysis_evidence_reached(const struct kdh_evidence *e)
{
	const struct kdh_guest_report *first = &e->first, *capture = &e->capture;
	/* latest sign first */
	const struct {
		gboolean seen;
		enum kdh_stage stage;
	} signs[] = {
		{ capture->bye, KDH_STAGE_BYE },
		{ capture->dump_status != -2, KDH_STAGE_DUMP },
		{ capture->inventory_done, KDH_STAGE_ENUMERATE },
		{ capture->seen, KDH_STAGE_CAPTURE },
		{ e->capture_banner, KDH_STAGE_KEXEC },
		{ first->trigger_cpu >= 0, KDH_STAGE_TRIGGER },
		{ first->ready, KDH_STAGE_ARM },
		{ first->kexec_status != -2, KDH_STAGE_LOAD },
		{ first->seen, KDH_STAGE_BOOT },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(signs); i++)
		if (signs[i].seen)
			return signs[i].stage;
	return -1;
}

GArray *kdh_analysis_nmi_probe_hits(const struct kdh_guest_report *r)
{
	GArray *hits = g_array_new(FALSE, FALSE, sizeof(int));

	if (r->nmis_before->len != r->nmis_after->len)
		return hits;
	for (int cpu = 0; cpu < (int)r->nmis_after->len; cpu++)
		if (g_array_index(r->nmis_after, int, cpu) > g_array_index(r->nmis_before, int, cpu))
			g_array_append_val(hits, cpu);
	return hits;
}

static gboolean apply_bye(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	(void)msg;
	r->bye = TRUE;
	return TRUE;
}

static const struct {
	const char *kind;
	gboolean (*apply)(struct kdh_guest_report *r, const struct kdh_msg *msg);
} msg_handlers[] = {
	{ KDH_MSG_HELLO, apply_hello },
	{ KDH_MSG_MODULE, apply_module },
	{ KDH_MSG_UNFIT, apply_unfit },
	{ KDH_MSG_KEXEC, apply_kexec },
	{ KDH_MSG_DEVICE, apply_device },
	{ KDH_MSG_INVENTORY, apply_inventory },
	{ KDH_MSG_NMIS, apply_nmis },
	{ KDH_MSG_PROBE, apply_probe },
	{ KDH_MSG_READY, apply_ready },
	{ KDH_MSG_TRIGGER, apply_trigger },
	{ KDH_MSG_DUMP, apply_dump },
	{ KDH_MSG_ERROR, apply_error },
	{ KDH_MSG_BYE, apply_bye },
};

gboolean kdh_analysis_guest_report_apply(struct kdh_guest_report *r, const struct kdh_msg *msg)
{
	for (gsize i = 0; i < G_N_ELEMENTS(msg_handlers); i++)
		if (g_str_equal(msg->kind, msg_handlers[i].kind))
			return msg_handlers[i].apply(r, msg);
	return FALSE;
}

/* drivers/hv/connection.c: "Vmbus version:%d.%d" once connected, and on a
 * kernel with guest-kernel-config/patches/vmbus-connect-cpu-1.patch the
 * "VMBus connect CPU %d" after it (no upstream kernel names that CPU). */
static void vmbus_lines(const char *line, char **version, int *connect_said)
{
	const char *v;
	int cpu;

	if ((v = strstr(line, "hv_vmbus: Vmbus version:"))) {
		g_free(*version);
		*version = g_strstrip(g_strdup(v + strlen("hv_vmbus: Vmbus version:")));
	}
	if ((v = strstr(line, "hv_vmbus: VMBus connect CPU ")) &&
	    sscanf(v + strlen("hv_vmbus: VMBus connect CPU "), "%d", &cpu) == 1 && cpu >= 0)
		*connect_said = cpu;
}

gboolean kdh_analysis_release_at_least(const char *release, int major, int minor)
{
	int have_major, have_minor;

	if (!release || sscanf(release, "%d.%d", &have_major, &have_minor) != 2)
		return FALSE;
	return have_major > major || (have_major == major && have_minor >= minor);
}

int kdh_analysis_release_vmbus_connect_cpu(const char *release, int said)
{
	if (said >= 0)
		return said;
	/* drivers/hv/connection.c: VMBUS_CONNECT_CPU since 5.8 ("Drivers: hv: vmbus:
	 * Always handle the VMBus messages on CPU0"); before, whichever CPU ran
	 * vmbus_connect() */
	return kdh_analysis_release_at_least(release, 5, 8) ? 0 : -1;
}

int kdh_analysis_vmbus_connect_cpu(const struct kdh_guest_report *r)
{
	return r->vmbus_version ? kdh_analysis_release_vmbus_connect_cpu(r->release,
									 r->vmbus_connect_said)
				: -1;
}

/* One whole console line: a kernel's, the agent's, or anything else. */
static void console_line(struct kdh_evidence *e, const char *line)
{
	struct kdh_msg msg = { 0 };
	struct kdh_guest_report *report;
	const char *words;

	/* Once the first kernel is ready, a new kernel's banner means kexec jumped. */
	if (e->first.ready && !e->capture_banner && kdh_analysis_line_is_kernel_banner(line))
		e->capture_banner = TRUE;
	if (!e->capture_banner && !e->panic_without_kexec && (words = panic_end_at(line))) {
		const char *end = strstr(words, " ]---");

		e->panic_without_kexec =
			g_strchomp(end ? g_strndup(words, end - words) : g_strdup(words));
	}
	if (e->capture_banner)
		kdh_complaint_scan_line(&e->capture_scan, line, e->capture_complaints);
	report = e->capture_banner ? &e->capture : &e->first;
	vmbus_lines(line, &report->vmbus_version, &report->vmbus_connect_said);
	if (!kdh_msg_parse(line, &msg))
		return;
	/* The role switches before the hello is applied: a hello opens its own kernel's
	 * report. A hello with an unknown role keeps the current one. */
	if (g_str_equal(msg.kind, KDH_MSG_HELLO)) {
		const char *role = msg_get(&msg, "role");

		if (g_strcmp0(role, KDH_ROLE_CAPTURE) == 0)
			e->capture_role = TRUE;
		else if (g_strcmp0(role, KDH_ROLE_FIRST) == 0)
			e->capture_role = FALSE;
	}
	kdh_analysis_guest_report_apply(e->capture_role ? &e->capture : &e->first, &msg);
	kdh_msg_clear(&msg);
}

void kdh_analysis_console_feed_line(struct kdh_evidence *e, const char *line)
{
	const char *kdh, *cut;

	/* The tty writes the agent's line in pieces, and a kernel message (always a
	 * whole line) can land between two of them: "KDH: nmis when=a[   15.08]
	 * Dazed and confused, ..." then "fter counts=1,1", or, when it landed just
	 * before the agent's "\r\n", "KDH: hello ... cpus=1[    2.28] tsc: ..." then
	 * an empty line. Protocol values hold no '[': what follows one is the
	 * kernel's line. The agent's line began first and is fed first. */
	if (e->console_cut_head) {
		g_autofree char *head = g_steal_pointer(&e->console_cut_head);
		g_autofree char *kernel_line = g_steal_pointer(&e->console_cut_kernel_line);
		gsize rest = strcspn(line, "[");

		if (line[0] == '[' || g_str_has_prefix(line, KDH_PROTO_PREFIX)) {
			console_line(e, head); /* the agent's line was whole */
			console_line(e, kernel_line);
		} else {
			/* the rest of the agent's line, up to another kernel message */
			g_autofree char *whole = g_strdup_printf("%s%.*s", head, (int)rest, line);

			if (line[rest]) { /* cut again */
				console_line(e, kernel_line);
				e->console_cut_head = g_steal_pointer(&whole);
				e->console_cut_kernel_line = g_strdup(line + rest);
			} else {
				console_line(e, whole);
				console_line(e, kernel_line);
			}
			return;
		}
	}
	kdh = strstr(line, KDH_PROTO_PREFIX);
	cut = kdh ? strchr(kdh, '[') : NULL;
	if (cut) {
		e->console_cut_head = g_strndup(line, cut - line);
		e->console_cut_kernel_line = g_strdup(cut);
		return;
	}
	console_line(e, line);
}

gboolean kdh_analysis_line_is_kernel_banner(const char *line)
{
	if (g_str_has_prefix(line, BANNER_PREFIX)) /* a kernel without printk times */
		return TRUE;
	/* At the start of the line or not: firmware (SeaBIOS) leaves text and terminal
	 * escapes with no line break before a kernel's first line. */
	for (const char *p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		const char *text = kdh_klog_text(p);

		if (text != p && g_str_has_prefix(text, BANNER_PREFIX))
			return TRUE;
	}
	return FALSE;
}

/* The panic's words on an end-of-panic line ("---[ end Kernel panic - not
 * syncing: WORDS ]---"), NULL on any other line. */
static const char *panic_end_at(const char *line)
{
	const char *at = strstr(line, "---[ end " PANIC_PREFIX);

	return at ? at + strlen("---[ end " PANIC_PREFIX) : NULL;
}

gboolean kdh_analysis_line_is_panic_end(const char *line)
{
	return panic_end_at(line) != NULL;
}

/* Inserts CPU into the sorted, duplicate-free array CPUS. */
static void cpus_add(GArray *cpus, int cpu)
{
	guint i = 0;

	while (i < cpus->len && g_array_index(cpus, int, i) < cpu)
		i++;
	if (i == cpus->len || g_array_index(cpus, int, i) != cpu)
		g_array_insert_val(cpus, i, cpu);
}

/* The rest of the first panic's dump_stack() header after "CPU: N ": "PID: 0
 * Comm: swapper/0 Kdump: loaded Not tainted 6.1.0-56-amd64 #1 ..." (6.10 and
 * later: "UID: 0 PID: ..."); lib/dump_stack.c dump_stack_print_info(). */
static void panic_header(struct kdh_panic_log *p, const char *text)
{
	const char *pid = strstr(text, " PID: ");
	const char *comm = strstr(text, " Comm: ");
	const char *taint = strstr(text, " Not tainted");

	if (pid)
		p->panic_pid = atoi(pid + strlen(" PID: "));
	if (comm) {
		comm += strlen(" Comm: ");
		p->panic_comm = g_strndup(comm, strcspn(comm, " "));
	}
	p->kdump_loaded = strstr(text, " Kdump: loaded") != NULL;
	if (!taint && (taint = strstr(text, " Tainted: "))) {
		/* "Tainted: G        W  " then the release: the flags are letters and
		 * blanks, the release starts with a digit */
		const char *q = taint + strlen(" Tainted: ");

		while (*q && !g_ascii_isdigit(*q))
			q++;
		p->panic_taint = g_strchomp(g_strndup(taint + 1, q - taint - 1));
		return;
	}
	if (taint)
		p->panic_taint = g_strdup("Not tainted");
}

void kdh_analysis_panic_log_line(struct kdh_panic_log *p, const char *line)
{
	const char *text = kdh_klog_text(line);
	gboolean waiting, gave_up;
	double stamp;
	int cpu;

	/* drivers/hv/channel_mgmt.c vmbus_wait_for_unload(), from hv_crash_handler()
	 * after the panic message: a wait line every 5 s, the give-up after 100 s */
	waiting = strstr(text, "Waiting for VMBus UNLOAD to complete") != NULL;
	gave_up = strstr(text, "Continuing even though VMBus UNLOAD did not complete") != NULL;
	p->vmbus_unload_waits += waiting;
	p->vmbus_unload_gave_up |= gave_up;
	if ((waiting || gave_up) && p->panic_seconds >= 0 && kdh_klog_stamp(line, &stamp) &&
	    stamp >= p->panic_seconds)
		p->vmbus_unload_seconds = stamp - p->panic_seconds;
	if (strstr(text, "hv_crash_handler"))
		p->hv_crash_handler = TRUE;
	/* arch/x86/kernel/cpu/mshyperv.c, arch/x86/kernel/cpu/hypervisor.c */
	if (strstr(text, "Hypervisor detected: Microsoft Hyper-V"))
		p->hyperv = TRUE;
	vmbus_lines(text, &p->vmbus_version, &p->vmbus_connect_said);
	if (g_str_has_prefix(text, PANIC_PREFIX)) {
		if (p->panic_count++ == 0) {
			p->panic_string = g_strstrip(g_strdup(text + strlen(PANIC_PREFIX)));
			if (!kdh_klog_stamp(line, &p->panic_seconds))
				p->panic_seconds = -1;
		}
	} else if (kdh_klog_unknown_nmi_cpu(text, &cpu)) {
		cpus_add(p->nmi_cpus, cpu);
	} else if (p->panic_count > 0 && p->panic_cpu < 0 && kdh_klog_dump_stack_cpu(text, &cpu)) {
		/* panic() calls dump_stack() right after its message: the first header
		 * after it is the panicking CPU's. */
		p->panic_cpu = cpu;
		panic_header(p, text);
	} else if (g_str_has_prefix(text, "Kernel Offset: ")) {
		/* arch/x86 dump_kernel_offset(), arm64's likewise: a panic notifier,
		 * so after crash_kexec() came back (no capture kernel), and a sign of a
		 * panic even when its own line is not in the log */
		g_free(p->kernel_offset);
		p->kernel_offset = g_strdup(text + strlen("Kernel Offset: "));
	} else if (p->panic_count > 0 && kdh_analysis_line_is_panic_end(text)) {
		p->panic_end = TRUE;
	} else if (p->panic_count > 0 && g_str_has_prefix(text, "Rebooting in ")) {
		p->rebooting = TRUE;
	} else if (p->panic_count > 0 && g_str_has_prefix(text, "Shutting down cpus with NMI")) {
		p->cpus_stopped_nmi = TRUE;
	} else if (p->panic_count > 0 && p->panic_context < 0) {
		/* ... and its first context mark (" <NMI>", indented in the trace)
		 * says where panic() was called from */
		const char *mark = text + strspn(text, " ");

		if (g_str_equal(mark, "<NMI>"))
			p->panic_context = 1;
		else if (g_str_equal(mark, "<TASK>") || g_str_equal(mark, "<IRQ>"))
			p->panic_context = 0;
	}
}

/* Replaces what RET held: RET must be initialised or zeroed. */
void kdh_analysis_panic_log_parse(struct kdh_panic_log *ret, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	struct kdh_complaint_scan scan;

	kdh_panic_log_clear(ret);
	kdh_panic_log_init(ret);
	kdh_complaint_scan_init(&scan, "crash path");
	for (char **l = lines; *l; l++) {
		g_autofree char *line = kdh_klog_clean(*l, -1);

		/* what came before the agent armed is the probe's, not the crash path's */
		if (g_str_equal(kdh_klog_text(line), KDH_KMSG_ARMED)) {
			g_array_set_size(ret->nmi_cpus, 0);
			g_ptr_array_set_size(ret->complaints, 0);
			kdh_complaint_scan_clear(&scan);
			kdh_complaint_scan_init(&scan, "crash path");
			continue;
		}
		kdh_analysis_panic_log_line(ret, line);
		kdh_complaint_scan_line(&scan, line, ret->complaints);
	}
	kdh_complaint_scan_clear(&scan);
}

/* Devices compare by all four fields; values hold no blanks, so one string
 * with blanks between them is a faithful key and also reads well in a message. */
static char *device_key(const struct kdh_device *dev)
{
	return g_strdup_printf("%s %s %s %s", dev->bus, dev->name, dev->id, dev->driver);
}

static GHashTable *device_counts(GPtrArray *devices)
{
	GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < devices->len; i++) {
		char *key = device_key(devices->pdata[i]);
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, key));

		g_hash_table_insert(counts, key, GUINT_TO_POINTER(n + 1));
	}
	return counts;
}

/* Appends "LABEL <device>" to OUT for each device of A that B lacks, in A's
 * order; a device twice in A and once in B is lacking once. */
static void inventory_subtract(GString *out, const char *label, GPtrArray *a, GPtrArray *b)
{
	g_autoptr(GHashTable) left = device_counts(b);

	for (guint i = 0; i < a->len; i++) {
		g_autofree char *key = device_key(a->pdata[i]);
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(left, key));

		if (n > 0)
			g_hash_table_insert(left, g_steal_pointer(&key), GUINT_TO_POINTER(n - 1));
		else
			g_string_append_printf(out, "%s%s %s", out->len ? "; " : "", label, key);
	}
}

char *kdh_analysis_inventory_diff(GPtrArray *first, GPtrArray *capture)
{
	g_autoptr(GString) out = g_string_new(NULL);

	inventory_subtract(out, "missing", first, capture);
	inventory_subtract(out, "extra", capture, first);
	return out->len ? g_string_free(g_steal_pointer(&out), FALSE) : NULL;
}

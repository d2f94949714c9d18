/* Kernel log lines: the printk formats the harness relies on, in one place. */
#include <string.h>

#include "kdh-klog.h"

/* CONFIG_PRINTK_CALLER's "[    T123]" or "[     C1]" right after the stamp. */
static gsize klog_caller_len(const char *p)
{
	const char *q = p;
	gsize digits;

	if (*q != '[')
		return 0;
	q += 1 + strspn(q + 1, " ");
	if (*q != 'T' && *q != 'C')
		return 0;
	digits = strspn(q + 1, "0123456789");
	if (digits == 0 || q[1 + digits] != ']')
		return 0;
	return q + 2 + digits - p;
}

const char *kdh_klog_text(const char *line)
{
	const char *p = line;
	size_t digits;

	if (*p != '[')
		return line;
	p += 1 + strspn(p + 1, " ");
	digits = strspn(p, "0123456789.");
	if (digits == 0 || p[digits] != ']')
		return line;
	p += digits + 1;
	/* CONFIG_PRINTK_CALLER: "[    1.0][    T1] text" */
	p += klog_caller_len(p);
	return *p == ' ' ? p + 1 : p;
}

/* Moves *P past LITERAL when the text there starts with it. */
static gboolean take_literal(const char **p, const char *literal)
{
	if (!g_str_has_prefix(*p, literal))
		return FALSE;
	*p += strlen(literal);
	return TRUE;
}

/* Reads an unsigned number in BASE (no sign, no blanks, at most G_MAXINT) at *P
 * and moves *P past it. */
static gboolean take_uint(const char **p, guint base, int *ret)
{
	char *end;
	guint64 value;

	if (!g_ascii_isxdigit(**p))
		return FALSE;
	value = g_ascii_strtoull(*p, &end, base);
	if (end == *p || value > G_MAXINT)
		return FALSE;
	*ret = value;
	*p = end;
	return TRUE;
}

/* arch/x86/kernel/nmi.c unknown_nmi_error(): "... reason %02x on CPU %d." */
gboolean kdh_klog_unknown_nmi_cpu(const char *text, int *ret_cpu)
{
	int reason;

	return take_literal(&text, "Uhhuh. NMI received for unknown reason ") &&
	       take_uint(&text, 16, &reason) && take_literal(&text, " on CPU ") &&
	       take_uint(&text, 10, ret_cpu);
}

/* lib/dump_stack.c: the harness is meant to bisect across both header forms. */
gboolean kdh_klog_dump_stack_cpu(const char *text, int *ret_cpu)
{
	return take_literal(&text, "CPU: ") && take_uint(&text, 10, ret_cpu) &&
	       (g_str_has_prefix(text, " PID: ") || g_str_has_prefix(text, " UID: "));
}

/* A printk time stamp "[  12.345678]" at P: the length of it, 0 when there is
 * none (kdh_klog_text() says where the message starts). */
static gsize klog_stamp_len(const char *p)
{
	const char *text = kdh_klog_text(p);

	return text == p ? 0 : (gsize)(text - p);
}

/* Inside a line, only printk's own "%5lu.%06lu" is a stamp: "run1.sh[75558]: "
 * and "[drm]" are not. */
static gboolean klog_stamp_strict(const char *p)
{
	gsize len = klog_stamp_len(p);

	return len && memchr(p, '.', len) && memchr(p, ']', len);
}

gboolean kdh_klog_stamp(const char *line, double *ret_seconds)
{
	const char *p = line + 1;

	if (klog_stamp_len(line) == 0)
		return FALSE;
	*ret_seconds = g_ascii_strtod(p + strspn(p, " "), NULL);
	return TRUE;
}

/* syslog's "Mar  3 10:00:01 " (RFC 3164) or an RFC 3339 "2024-03-05T10:00:01.5+00:00 ":
 * the length of it, 0 for none. */
static gsize klog_syslog_time_len(const char *p)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const char *q = p;

	for (gsize i = 0; i < G_N_ELEMENTS(months); i++)
		if (g_str_has_prefix(p, months[i]) && p[3] == ' ') {
			q = p + 4;
			q += (*q == ' ');
			if (!g_ascii_isdigit(*q))
				return 0;
			q += strspn(q, "0123456789");
			if (*q++ != ' ' || strspn(q, "0123456789:") != 8 || q[8] != ' ')
				return 0;
			return q + 9 - p;
		}
	/* each index is read only once the ones before it were digits: no reading
	 * past a short line's end (found by the fuzzer) */
	if (strspn(p, "0123456789") == 4 && p[4] == '-' && strspn(p + 5, "0123456789") == 2 &&
	    p[7] == '-' && strspn(p + 8, "0123456789") == 2 && p[10] == 'T') {
		q = p + 10 + strcspn(p + 10, " ");
		return *q == ' ' ? q + 1 - p : 0;
	}
	return 0;
}

/* "host ident[pid]: " after a syslog time: what follows is the message. For the
 * kernel's own ident the message is the kernel's line; for any other ident
 * (kdump, kdump-tools, systemd) the ident stays, so that a tool's message can
 * be told from the kernel's. */
static const char *klog_past_syslog(const char *p)
{
	gsize t = klog_syslog_time_len(p);
	const char *host, *ident, *colon;

	if (t == 0)
		return p;
	host = p + t;
	ident = strchr(host, ' ');
	if (!ident)
		return p;
	ident++;
	colon = strstr(ident, ": ");
	if (!colon || memchr(ident, ' ', colon - ident))
		return p;
	if (g_str_has_prefix(ident, "kernel:"))
		return colon + 2;
	return ident;
}

static const char *const klog_weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

char *kdh_klog_clean(const char *raw, gssize len)
{
	g_autoptr(GString) out = g_string_sized_new(len < 0 ? 128 : (gsize)len);
	const char *end = raw + (len < 0 ? (gssize)strlen(raw) : len);
	const char *p;
	g_autofree char *line = NULL;

	/* NUL bytes (a file cut by a crash, a serial console's noise), terminal
	 * escapes (a console recorded with colours), control characters and "\r" */
	for (const char *s = raw; s < end; s++) {
		unsigned char c = *s;

		if (c == 0x1b) {
			if (s + 1 < end && s[1] == '[') {
				s += 2;
				while (s < end && !(*s >= 0x40 && *s <= 0x7e))
					s++;
			} else if (s + 1 < end) {
				s++;
			}
			continue;
		}
		if (c < 0x20 && c != '\t')
			continue;
		g_string_append_c(out, c);
	}
	g_strchomp(out->str);
	g_string_set_size(out, strlen(out->str));
	line = g_utf8_make_valid(out->str, -1);
	/* What came before the first time stamp is someone else's: another
	 * record's text that the console interleaved ("sonic login: [ 12.3] ..."),
	 * syslog's or journald's prefix, a test runner's, a CI log's own time. */
	for (p = strchr(line, '['); p; p = strchr(p + 1, '['))
		if (p == line ? klog_stamp_len(p) != 0 : klog_stamp_strict(p)) {
			/* journalctl -o short-monotonic: "[  12.3] host kernel: text" */
			const char *text = kdh_klog_text(p);
			const char *sp = strchr(text, ' ');

			if (sp && sp > text && g_str_has_prefix(sp, " kernel: ") &&
			    !memchr(text, ':', sp - text))
				return g_strdup_printf("%.*s%s", (int)(text - p), p,
						       sp + strlen(" kernel: "));
			return g_strdup(p);
		}
	p = line;
	/* dmesg -T: "[Tue Dec  3 08:00:00 2026] text", no number to keep */
	if (*p == '[' && strchr(p, ']') && strchr(p, ']') - p < 32 && memchr(p, ':', strchr(p, ']') - p))
		for (gsize i = 0; i < G_N_ELEMENTS(klog_weekdays); i++)
			if (g_str_has_prefix(p + 1, klog_weekdays[i]) && p[4] == ' ') {
				p = strchr(p, ']') + 1;
				p += *p == ' ';
				break;
			}
	/* a capture tool's "[23:13:24.473][Moby   ][Info   ] " (time of day first) */
	if (*p == '[' && g_ascii_isdigit(p[1]) && memchr(p, ':', strcspn(p, "]")))
		while (*p == '[' && strchr(p, ']'))
			p = strchr(p, ']') + 1 + (strchr(p, ']')[1] == ' ');
	/* /dev/kmsg and `dmesg -r` keep the level: "<4>" */
	if (*p == '<' && g_ascii_isdigit(p[1])) {
		const char *q = p + 1 + strspn(p + 1, "0123456789");

		if (*q == '>')
			p = q + 1;
	}
	p = klog_past_syslog(p);
	return g_strdup(p);
}

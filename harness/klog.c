/* Kernel log lines: the printk formats the harness relies on, in one place. */
#include <string.h>

#include "kdh-klog.h"

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

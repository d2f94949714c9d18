/* crash's account of a vmcore: independent of the kernel's own log, it shows
 * where every CPU was when the dump was taken. */
#include <stdlib.h>
#include <string.h>

#include "kdh-crash.h"

static const char *const state_names[] = {
	[KDH_CPU_UNSEEN] = "unseen",
	[KDH_CPU_PANICKED] = "panicked",
	[KDH_CPU_NMI_STOPPED] = "nmi-stopped",
	[KDH_CPU_RUNNING] = "running",
};
G_STATIC_ASSERT(G_N_ELEMENTS(state_names) == KDH_CPU__COUNT);

/* Functions that place a CPU in the panic path or in the crash shutdown's NMI. */
static const char *const panic_frames[] = { "panic", "__crash_kexec", "crash_kexec" };
static const char *const nmi_stop_frames[] = { "crash_nmi_callback", "nmi_panic_self_stop" };

const char *kdh_cpu_state_name(enum kdh_cpu_state state)
{
	return (unsigned int)state < KDH_CPU__COUNT ? state_names[state] : NULL;
}

void kdh_crash_report_init(struct kdh_crash_report *c)
{
	memset(c, 0, sizeof(*c));
	c->cpus = -1;
	c->states = g_array_new(FALSE, TRUE, sizeof(int));
	c->frames = g_ptr_array_new_with_free_func(g_free);
}

void kdh_crash_report_clear(struct kdh_crash_report *c)
{
	g_free(c->panic);
	g_clear_pointer(&c->states, g_array_unref);
	g_clear_pointer(&c->frames, g_ptr_array_unref);
	memset(c, 0, sizeof(*c));
}

static gboolean in_list(const char *name, const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_equal(name, list[i]))
			return TRUE;
	return FALSE;
}

/* "PID: 0   TASK: ffff...  CPU: 1    COMMAND: "swapper/1"": the CPU, or -1. */
static int bt_header_cpu(const char *line)
{
	const char *cpu = strstr(line, "  CPU: ");
	char *end;
	long n;

	if (!g_str_has_prefix(line, "PID: ") || !cpu || !strstr(line, "COMMAND: "))
		return -1;
	cpu += strlen("  CPU: ");
	n = strtol(cpu, &end, 10);
	return end != cpu && n >= 0 && n < 4096 ? (int)n : -1;
}

/* " #3 [fffffe000000dea8] default_do_nmi at ffffffff9ef62513": the function. */
static char *bt_frame_function(const char *line)
{
	const char *p = line + strspn(line, " ");
	const char *end;

	if (*p != '#' || !(p = strstr(p, "] ")))
		return NULL;
	p += 2;
	end = strstr(p, " at ");
	return end ? g_strndup(p, end - p) : NULL;
}

static void crash_set_cpu(struct kdh_crash_report *c, int cpu, enum kdh_cpu_state state,
			  const char *frame)
{
	if ((guint)cpu >= c->states->len) {
		g_array_set_size(c->states, cpu + 1);
		while (c->frames->len <= (guint)cpu)
			g_ptr_array_add(c->frames, g_strdup(""));
	}
	g_array_index(c->states, int, cpu) = state;
	if (frame) {
		g_free(c->frames->pdata[cpu]);
		c->frames->pdata[cpu] = g_strdup(frame);
	}
}

/* A frame of CPU's backtrace: the innermost names the CPU's place, a panic or an
 * NMI stop anywhere on the stack decides its state. */
static void crash_frame(struct kdh_crash_report *c, int cpu, const char *fn, gboolean innermost)
{
	enum kdh_cpu_state state = g_array_index(c->states, int, cpu);

	/* a CPU stopped by the NMI while inside panic() itself is a stopped CPU: the
	 * panicking one never runs crash_nmi_callback */
	if (state == KDH_CPU_RUNNING && in_list(fn, panic_frames, G_N_ELEMENTS(panic_frames)))
		state = KDH_CPU_PANICKED;
	else if (state != KDH_CPU_PANICKED &&
		 in_list(fn, nmi_stop_frames, G_N_ELEMENTS(nmi_stop_frames)))
		state = KDH_CPU_NMI_STOPPED;
	crash_set_cpu(c, cpu, state, innermost ? fn : NULL);
}

static gboolean take_value(const char *line, const char *key, const char **ret)
{
	const char *p = line + strspn(line, " ");

	if (!g_str_has_prefix(p, key))
		return FALSE;
	*ret = p + strlen(key);
	return TRUE;
}

void kdh_crash_parse(struct kdh_crash_report *c, const char *output)
{
	g_auto(GStrv) lines = g_strsplit(output, "\n", -1);
	int cpu = -1;
	gboolean innermost = FALSE;

	for (char **l = lines; *l; l++) {
		g_autofree char *fn = NULL;
		const char *value;
		int header;

		if (take_value(*l, "CPUS: ", &value)) {
			c->cpus = (int)strtol(value, NULL, 10);
			c->read = TRUE;
		} else if (take_value(*l, "PANIC: ", &value)) {
			/* PANIC: "Kernel panic - not syncing: NMI: Not continuing" */
			if (*value == '"')
				value++;
			g_free(c->panic);
			c->panic = g_strndup(value, strcspn(value, "\""));
		} else if ((header = bt_header_cpu(*l)) >= 0) {
			cpu = header;
			innermost = TRUE;
			crash_set_cpu(c, cpu, KDH_CPU_RUNNING, NULL);
		} else if (cpu >= 0 && (fn = bt_frame_function(*l))) {
			crash_frame(c, cpu, fn, innermost);
			innermost = FALSE;
		}
	}
}

int kdh_crash_panic_cpu(const struct kdh_crash_report *c)
{
	for (guint i = 0; i < c->states->len; i++)
		if (g_array_index(c->states, int, i) == KDH_CPU_PANICKED)
			return (int)i;
	return -1;
}

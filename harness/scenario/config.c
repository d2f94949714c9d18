/* Scenario files. Everything a user may change about a run is here, as data;
 * a typo is an error, never a silently ignored key. */
#include <stdlib.h>
#include <gio/gio.h>

#include "kdh-config.h"
#include "kdh-protocol.h"

/* The guest modules each platform needs; load order comes from modules.dep.
 * hyperv: Debian's 6.1 has every hv_* driver as a module, but QEMU offers only
 * the bus and (QEMU 8.2 and later) a balloon on it, so only drivers with a
 * device to bind are loaded; the dump disk stays on virtio-blk. */
static const struct {
	const char *name;
	const char *modules;
	gboolean hyperv;
	const char *vmbus_devices; /* QEMU -device values, space-separated */
} platforms[] = {
	[KDH_PLATFORM_VIRTIO] = { "virtio", "virtio_pci virtio_blk", FALSE, "" },
	[KDH_PLATFORM_HYPERV] = { "hyperv", "hv_vmbus hv_balloon virtio_pci virtio_blk", TRUE,
				  "hv-balloon" },
};
G_STATIC_ASSERT(G_N_ELEMENTS(platforms) == KDH_PLATFORM__COUNT);

static const char *const kexec_calls[] = {
	[KDH_KEXEC_LOAD] = "kexec_load",
	[KDH_KEXEC_FILE_LOAD] = "kexec_file_load",
	[KDH_KEXEC_NONE] = "none",
};
G_STATIC_ASSERT(G_N_ELEMENTS(kexec_calls) == KDH_KEXEC__COUNT);

static const char *const triggers[] = {
	[KDH_TRIGGER_NMI] = "nmi",
	[KDH_TRIGGER_SYSRQ] = "sysrq",
};
G_STATIC_ASSERT(G_N_ELEMENTS(triggers) == KDH_TRIGGER__COUNT);

const char *kdh_platform_name(int platform)
{
	return platform >= 0 && platform < KDH_PLATFORM__COUNT ? platforms[platform].name : NULL;
}

int kdh_platform_from_name(const char *name)
{
	for (int i = 0; name && i < KDH_PLATFORM__COUNT; i++)
		if (g_str_equal(name, platforms[i].name))
			return i;
	return -1;
}

static int config_index(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (g_str_equal(name, names[i]))
			return i;
	return -1;
}

const char *kdh_kexec_call_name(int call)
{
	return call >= 0 && call < KDH_KEXEC__COUNT ? kexec_calls[call] : NULL;
}

int kdh_kexec_call_from_name(const char *name)
{
	return config_index(kexec_calls, KDH_KEXEC__COUNT, name);
}

const char *kdh_trigger_name(int trigger)
{
	return trigger >= 0 && trigger < KDH_TRIGGER__COUNT ? triggers[trigger] : NULL;
}

int kdh_trigger_from_name(const char *name)
{
	return config_index(triggers, KDH_TRIGGER__COUNT, name);
}

static const guint default_deadlines[KDH_STAGE__COUNT] = {
	[KDH_STAGE_BOOT] = 60,      [KDH_STAGE_LOAD] = 60, [KDH_STAGE_ARM] = 30,
	[KDH_STAGE_TRIGGER] = 10,
	[KDH_STAGE_KEXEC] = 30,     [KDH_STAGE_CAPTURE] = 60,
	[KDH_STAGE_ENUMERATE] = 30, [KDH_STAGE_DUMP] = 120, [KDH_STAGE_BYE] = 30,
};

static const char *const known_keys[][2] = {
	{ "scenario", "description" }, { "scenario", "platform" },
	{ "scenario", "vcpus" },       { "scenario", "memory-mib" },
	{ "scenario", "crashkernel" }, { "scenario", "cmdline" },
	{ "scenario", "capture-cmdline" }, { "scenario", "kexec" },
	{ "scenario", "makedumpfile" }, { "scenario", "trigger" },
	{ "scenario", "trigger-cpu" }, { "scenario", "nmi-probe" },
	{ "scenario", "offline-cpus" },
	{ "expect", "panic" },         { "expect", "nmi-on-every-cpu" },
	{ "expect", "panic-cpu" },     { "expect", "fail-on" },
	{ "expect", "warn-on" },
};

static gboolean config_invalid(GError **error, const char *group, const char *key,
			       const char *why)
{
	g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "[%s] %s: %s",
		    group, key, why);
	return FALSE;
}

static gboolean config_key_known(const char *group, const char *key)
{
	if (g_str_equal(group, "deadlines"))
		return kdh_stage_from_name(key) >= 0;
	for (gsize i = 0; i < G_N_ELEMENTS(known_keys); i++)
		if (g_str_equal(known_keys[i][0], group) && g_str_equal(known_keys[i][1], key))
			return TRUE;
	return FALSE;
}

static gboolean config_check_keys(GKeyFile *kf, GError **error)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

	for (char **g = groups; *g; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(kf, *g, NULL, NULL);

		if (!keys || !*keys)
			if (!g_str_equal(*g, "scenario") && !g_str_equal(*g, "expect") &&
			    !g_str_equal(*g, "deadlines"))
				return config_invalid(error, *g, "*", "unknown group");
		for (char **k = keys; k && *k; k++)
			if (!config_key_known(*g, *k))
				return config_invalid(error, *g, *k, "unknown key");
	}
	return TRUE;
}

/* A string value, DEF when the key is absent. */
static char *config_string(GKeyFile *kf, const char *group, const char *key, const char *def)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	return v ? v : g_strdup(def);
}

static gboolean config_int(GKeyFile *kf, const char *group, const char *key, int def, int min,
			   int max, int *ret, GError **error)
{
	g_autofree char *text = g_key_file_get_value(kf, group, key, NULL);
	char *end;
	long v;

	if (!text) {
		*ret = def;
		return TRUE;
	}
	v = strtol(text, &end, 10);
	if (end == text || *end || v < min || v > max) {
		g_autofree char *why = g_strdup_printf("'%s' is not a whole number from %d to %d",
						       text, min, max);
		return config_invalid(error, group, key, why);
	}
	*ret = (int)v;
	return TRUE;
}

/* Key KEY's VALUE as one of NAMES (N of them) into *RET. */
static gboolean config_one_of(const char *group, const char *key, const char *value,
			      const char *const *names, int n, int *ret, GError **error)
{
	g_autoptr(GString) list = g_string_new(NULL);

	for (int i = 0; i < n; i++) {
		if (g_str_equal(value, names[i])) {
			*ret = i;
			return TRUE;
		}
		g_string_append_printf(list, "%s%s", i ? ", " : "", names[i]);
	}
	g_autofree char *why = g_strdup_printf("'%s' is not one of %s", value, list->str);
	return config_invalid(error, group, key, why);
}

/* TEXT as the arguments of a program: words between runs of blanks. The agent
 * runs it from an argv, with no shell: a quote would reach it as a quote, and
 * a line break cannot be written into agent.conf, so both are refused rather
 * than left to fail in the capture kernel, where the kernel would be blamed. */
static gboolean config_arguments(const char *group, const char *key, const char *text,
				 char ***ret, GError **error)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	const char *p = text;

	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\'' || *c == '\\') {
			g_autofree char *why = g_strdup_printf(
				"has a %c: the arguments are split at blanks, nothing quotes", *c);
			return config_invalid(error, group, key, why);
		}
		if (g_ascii_iscntrl(*c) && *c != '\t')
			return config_invalid(error, group, key, "has a control character");
	}
	while (*p) {
		size_t blanks = strspn(p, " \t");
		size_t word = strcspn(p + blanks, " \t");

		if (word)
			g_ptr_array_add(args, g_strndup(p + blanks, word));
		p += blanks + word;
	}
	g_ptr_array_add(args, NULL);
	*ret = (char **)g_ptr_array_free(g_steal_pointer(&args), FALSE);
	return TRUE;
}

static gboolean config_platform(GKeyFile *kf, struct kdh_scenario *s, GError **error)
{
	g_autofree char *name = config_string(kf, "scenario", "platform", "virtio");
	int p = kdh_platform_from_name(name);

	if (p < 0) {
		g_autofree char *why = g_strdup_printf("unknown platform '%s'", name);

		return config_invalid(error, "scenario", "platform", why);
	}
	s->platform = p;
	s->modules = g_strsplit(platforms[p].modules, " ", -1);
	s->hyperv = platforms[p].hyperv;
	s->vmbus_devices = *platforms[p].vmbus_devices
				   ? g_strsplit(platforms[p].vmbus_devices, " ", -1)
				   : g_new0(char *, 1);
	return TRUE;
}

static gboolean config_kexec_and_trigger(GKeyFile *kf, struct kdh_scenario *s, GError **error)
{
	g_autofree char *kexec = config_string(kf, "scenario", "kexec", "kexec_load");
	g_autofree char *trigger = config_string(kf, "scenario", "trigger", "nmi");
	int call, kind;

	if (!config_one_of("scenario", "kexec", kexec, kexec_calls, KDH_KEXEC__COUNT, &call,
			   error) ||
	    !config_one_of("scenario", "trigger", trigger, triggers, KDH_TRIGGER__COUNT, &kind,
			   error))
		return FALSE;
	s->kexec = call;
	s->trigger = kind;
	return TRUE;
}

static gboolean config_deadlines(GKeyFile *kf, struct kdh_scenario *s, GError **error)
{
	for (int i = 0; i < KDH_STAGE__COUNT; i++) {
		int v;

		if (!config_int(kf, "deadlines", kdh_stage_name(i), (int)default_deadlines[i], 1,
				3600, &v, error))
			return FALSE;
		s->deadlines[i] = (guint)v;
	}
	return TRUE;
}

static gboolean config_bool(GKeyFile *kf, const char *group, const char *key, gboolean def,
			    gboolean *ret, GError **error)
{
	g_autoptr(GError) e = NULL;

	if (!g_key_file_has_key(kf, group, key, NULL)) {
		*ret = def;
		return TRUE;
	}
	*ret = g_key_file_get_boolean(kf, group, key, &e);
	return e ? config_invalid(error, group, key, "not true or false") : TRUE;
}

/* CPUs to take offline when arming: not CPU 0 (Linux cannot), each below VCPUS. */
static gboolean config_offline_cpus(GKeyFile *kf, struct kdh_scenario *s, GError **error)
{
	gsize n = 0;
	g_autofree int *cpus = NULL;

	s->offline_cpus = g_new0(int, 1);
	s->offline_cpus[0] = -1;
	if (!g_key_file_has_key(kf, "scenario", "offline-cpus", NULL))
		return TRUE;
	cpus = g_key_file_get_integer_list(kf, "scenario", "offline-cpus", &n, NULL);
	if (!cpus)
		return config_invalid(error, "scenario", "offline-cpus", "not a list of CPU numbers");
	for (gsize i = 0; i < n; i++)
		if (cpus[i] < 1 || cpus[i] >= s->vcpus)
			return config_invalid(error, "scenario", "offline-cpus",
					      "CPU numbers go from 1 to vcpus - 1");
	s->offline_cpus = g_renew(int, s->offline_cpus, n + 1);
	memcpy(s->offline_cpus, cpus, n * sizeof(int));
	s->offline_cpus[n] = -1;
	return TRUE;
}

/* A list of complaint kinds ("BUG;Oops") as a bit mask. */
static gboolean config_complaints(GKeyFile *kf, const char *key, const char *def, guint *ret,
				  GError **error)
{
	g_autofree char *text = config_string(kf, "expect", key, def);
	g_auto(GStrv) names = g_strsplit(text, ";", -1);

	*ret = 0;
	for (char **n = names; *n; n++) {
		int kind = kdh_complaint_kind_from_name(g_strstrip(*n));

		if (**n == '\0')
			continue;
		if (kind < 0) {
			g_autofree char *why = g_strdup_printf(
				"'%s' is not WARNING, BUG, Oops, Call Trace or Dazed and confused", *n);
			return config_invalid(error, "expect", key, why);
		}
		*ret |= 1u << kind;
	}
	return TRUE;
}

/* Whether CMDLINE makes an unknown NMI fatal, in any of the ways Linux takes:
 * the old-style option is matched by prefix with '-' and '_' alike and its value
 * ignored (obsolete_checksetup(), parameqn()); sysctl.kernel.X= and
 * sysctl/kernel/X= set the sysctl, and panic_on_unrecovered_nmi panics too. */
static gboolean config_makes_nmi_fatal(const char *cmdline)
{
	g_auto(GStrv) words = g_strsplit_set(cmdline, " \t", -1);

	for (char **w = words; *w; w++) {
		g_autofree char *word = g_strdelimit(g_strdup(*w), "-", '_');
		char *key;

		/* the kernel drops the quotes around a value or a whole word */
		for (char *q; (q = strchr(word, '"'));)
			memmove(q, q + 1, strlen(q));
		if (g_str_has_prefix(word, "unknown_nmi_panic"))
			return TRUE;
		if (!g_str_has_prefix(word, "sysctl.") && !g_str_has_prefix(word, "sysctl/"))
			continue;
		key = word + strlen("sysctl.");
		key[strcspn(key, "=")] = '\0';
		g_strdelimit(key, ".", '/');
		if (g_str_equal(key, "kernel/unknown_nmi_panic") ||
		    g_str_equal(key, "kernel/panic_on_unrecovered_nmi"))
			return TRUE;
	}
	return FALSE;
}

/* Combinations that cannot work, said before a guest boots. */
static gboolean config_consistent(GKeyFile *kf, struct kdh_scenario *s, GError **error)
{
	s->panic_string = config_string(kf, "expect", "panic",
					s->trigger == KDH_TRIGGER_NMI ? "NMI: Not continuing"
								      : "sysrq triggered crash");
	if (s->nmi_probe && config_makes_nmi_fatal(s->cmdline))
		return config_invalid(error, "scenario", "cmdline",
				      "unknown_nmi_panic would make the probe NMI fatal: leave it "
				      "out (the harness sets it after the probe) or set nmi-probe=false");
	if (s->nmi_on_every_cpu && !s->nmi_probe)
		return config_invalid(error, "expect", "nmi-on-every-cpu",
				      "needs nmi-probe=true: only the probe NMI's counters show "
				      "every CPU got it");
	if (strchr(s->capture_cmdline, '\n'))
		return config_invalid(error, "scenario", "capture-cmdline", "has a line break");
	return TRUE;
}

gboolean kdh_scenario_parse(const char *name, const char *data, struct kdh_scenario *ret,
			    GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *mdf = NULL;
	struct kdh_scenario s = { 0 };

	if (!g_key_file_load_from_data(kf, data, -1, G_KEY_FILE_NONE, error))
		return FALSE;
	if (!config_check_keys(kf, error))
		return FALSE;
	s.name = g_strdup(name);
	s.description = config_string(kf, "scenario", "description", "");
	s.crashkernel = config_string(kf, "scenario", "crashkernel", "256M");
	s.cmdline = config_string(kf, "scenario", "cmdline",
				  "console=ttyS0 apic_extnmi=all");
	s.capture_cmdline = config_string(kf, "scenario", "capture-cmdline",
					  "console=ttyS0 nr_cpus=1 irqpoll reset_devices");
	s.panic_string = NULL; /* its default depends on the trigger */
	mdf = config_string(kf, "scenario", "makedumpfile", "-l -d 31");

	if (!config_platform(kf, &s, error) ||
	    !config_arguments("scenario", "makedumpfile", mdf, &s.makedumpfile_args, error) ||
	    !config_int(kf, "scenario", "vcpus", 4, 1, 64, &s.vcpus, error) ||
	    !config_int(kf, "scenario", "memory-mib", 1024, 256, 65536, &s.memory_mib, error) ||
	    !config_kexec_and_trigger(kf, &s, error) ||
	    !config_int(kf, "scenario", "trigger-cpu", 0, 0, s.vcpus - 1, &s.trigger_cpu, error) ||
	    !config_bool(kf, "scenario", "nmi-probe", TRUE, &s.nmi_probe, error) ||
	    !config_offline_cpus(kf, &s, error) ||
	    !config_bool(kf, "expect", "nmi-on-every-cpu", TRUE, &s.nmi_on_every_cpu, error) ||
	    !config_int(kf, "expect", "panic-cpu", -1, -1, s.vcpus - 1, &s.panic_cpu, error) ||
	    !config_complaints(kf, "fail-on", "BUG;Oops", &s.fail_on, error) ||
	    !config_complaints(kf, "warn-on", "WARNING;Call Trace;Dazed and confused", &s.warn_on,
			       error) ||
	    !config_deadlines(kf, &s, error) || !config_consistent(kf, &s, error)) {
		kdh_scenario_clear(&s);
		return FALSE;
	}
	*ret = s;
	return TRUE;
}

char *kdh_config_name(const char *path)
{
	char *base = g_path_get_basename(path);
	char *dot = strrchr(base, '.');

	if (dot)
		*dot = '\0';
	return base;
}

gboolean kdh_scenario_load(const char *path, struct kdh_scenario *ret, GError **error)
{
	g_autofree char *data = NULL;
	g_autofree char *name = kdh_config_name(path);

	if (!g_file_get_contents(path, &data, NULL, error))
		return FALSE;
	if (!kdh_scenario_parse(name, data, ret, error)) {
		g_prefix_error(error, "scenario '%s': ", path);
		return FALSE;
	}
	return TRUE;
}

void kdh_scenario_clear(struct kdh_scenario *s)
{
	g_free(s->name);
	g_free(s->description);
	g_strfreev(s->modules);
	g_strfreev(s->vmbus_devices);
	g_free(s->crashkernel);
	g_free(s->cmdline);
	g_free(s->capture_cmdline);
	g_strfreev(s->makedumpfile_args);
	g_free(s->offline_cpus);
	g_free(s->panic_string);
	memset(s, 0, sizeof(*s));
}

char *kdh_scenario_first_cmdline(const struct kdh_scenario *s)
{
	if (!*s->crashkernel)
		return g_strdup_printf("%s %s", s->cmdline, KDH_CMDLINE_HARNESS);
	return g_strdup_printf("%s crashkernel=%s %s", s->cmdline, s->crashkernel,
			       KDH_CMDLINE_HARNESS);
}

gboolean kdh_scenario_debug_shell(const struct kdh_scenario *s)
{
	g_autofree char *both = g_strjoin(" ", s->cmdline, s->capture_cmdline, NULL);
	g_auto(GStrv) words = g_strsplit_set(both, " \t", -1);

	return g_strv_contains((const char *const *)words, KDH_CMDLINE_DEBUG_SHELL);
}

char *kdh_scenario_capture_cmdline(const struct kdh_scenario *s)
{
	return g_strdup_printf("%s %s", s->capture_cmdline, KDH_CMDLINE_HARNESS);
}

struct kdh_expect kdh_scenario_expect(const struct kdh_scenario *s)
{
	return (struct kdh_expect){
		.vcpus = s->vcpus,
		.panic_string = s->panic_string,
		.nmi_probe = s->nmi_probe,
		.nmi_on_every_cpu = s->nmi_on_every_cpu,
		.panic_from_nmi = s->trigger == KDH_TRIGGER_NMI,
		/* a sysrq from CPU n panics on CPU n */
		.panic_cpu = s->panic_cpu >= 0 || s->trigger != KDH_TRIGGER_SYSRQ ? s->panic_cpu
										   : s->trigger_cpu,
		.fail_on = s->fail_on,
		.vmbus = s->hyperv,
		.warn_on = s->warn_on,
	};
}

char *kdh_scenario_path(const char *spec, const char *dir, GError **error)
{
	g_autofree char *name = g_strconcat(spec, ".conf", NULL);
	g_autofree char *path = g_build_filename(dir, name, NULL);

	if (g_file_test(spec, G_FILE_TEST_IS_REGULAR))
		return g_strdup(spec);
	if (!strchr(spec, '/') && g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer(&path);
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		    "no scenario '%s' (neither a file nor in %s; see 'kdh list')", spec, dir);
	return NULL;
}

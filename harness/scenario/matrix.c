/* Matrix files and their cases. A case's scenario is its scenario file with the
 * case's values written in, so that a case runs, and can be run again by hand,
 * exactly like any scenario. */
#include <string.h>
#include <gio/gio.h>

#include "kdh-config.h"
#include "kdh-error.h"
#include "kdh-matrix.h"

static const char *const axis_keys[] = {
	[KDH_AXIS_SCENARIO] = "scenario", [KDH_AXIS_KERNEL] = "kernel",
	[KDH_AXIS_PLATFORM] = "platform", [KDH_AXIS_VCPUS] = "vcpus",
	[KDH_AXIS_MEMORY] = "memory-mib", [KDH_AXIS_CRASHKERNEL] = "crashkernel",
	[KDH_AXIS_KEXEC] = "kexec",
};
G_STATIC_ASSERT(G_N_ELEMENTS(axis_keys) == KDH_AXIS__COUNT);

static const char *const kernel_kinds[] = { "debian", "deb", "source", "path" };

const char *kdh_axis_key(enum kdh_axis axis)
{
	return axis_keys[axis];
}

static int matrix_axis_from_key(const char *key)
{
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		if (g_str_equal(axis_keys[a], key))
			return a;
	return -1;
}

static gboolean matrix_invalid(GError **error, const char *group, const char *key,
			       const char *why)
{
	g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "[%s] %s: %s",
		    group, key, why);
	return FALSE;
}

/* A name that can be part of a path and a case id. */
static gboolean matrix_name_ok(const char *name)
{
	if (!*name || g_str_equal(name, ".") || g_str_equal(name, ".."))
		return FALSE;
	for (const char *c = name; *c; c++)
		if (!g_ascii_isalnum(*c) && !strchr("._-", *c))
			return FALSE;
	return TRUE;
}

/* A list value: not empty, no value twice, no '/' (values make up case ids and
 * result paths). */
static gboolean matrix_list(GKeyFile *kf, const char *group, const char *key, char ***ret,
			    GError **error)
{
	g_auto(GStrv) values = g_key_file_get_string_list(kf, group, key, NULL, NULL);

	if (!values || !*values)
		return matrix_invalid(error, group, key, "empty list");
	for (char **v = values; *v; v++) {
		g_strstrip(*v);
		if (!**v || strchr(*v, '/'))
			return matrix_invalid(error, group, key, "empty value or one with '/'");
		for (char **w = values; w < v; w++)
			if (g_str_equal(*w, *v))
				return matrix_invalid(error, group, key, "a value given twice");
	}
	*ret = g_steal_pointer(&values);
	return TRUE;
}

static void matrix_kernel_free(struct kdh_matrix_kernel *k)
{
	if (!k)
		return;
	g_free(k->name);
	g_free(k->kind);
	g_free(k->value);
	g_free(k);
}

static void matrix_axes_free(char ***axes)
{
	if (!axes)
		return;
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		g_strfreev(axes[a]);
	g_free(axes);
}

/* GROUP's keys; a key written twice (GKeyFile lists it twice, and the second
 * value would replace the first unseen: found by fuzz-inputs, which saw the
 * first value leak) is bad input. NULL with ERROR then. */
static char **matrix_keys(GKeyFile *kf, const char *group, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);

	for (char **k = keys; k && *k; k++)
		for (char **j = keys; j < k; j++)
			if (g_str_equal(*j, *k)) {
				matrix_invalid(error, group, *k, "given twice");
				return NULL;
			}
	return keys ? g_steal_pointer(&keys) : g_new0(char *, 1);
}

static gboolean matrix_group_kernel(GKeyFile *kf, const char *group, const char *name,
				    struct kdh_matrix *m, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	g_autofree char *value = NULL;
	struct kdh_matrix_kernel *k;

	if (!matrix_name_ok(name) || g_str_equal(name, "default"))
		return matrix_invalid(error, group, "*", "not a kernel name ([A-Za-z0-9._-], "
					  "not 'default')");
	if (kdh_matrix_kernel(m, name))
		return matrix_invalid(error, group, "*", "kernel defined twice");
	if (!keys || g_strv_length(keys) != 1 || !g_strv_contains(kernel_kinds, keys[0]))
		return matrix_invalid(error, group, "*", "needs exactly one of debian=, deb=, "
					  "source= or path=");
	value = g_key_file_get_string(kf, group, keys[0], NULL);
	/* NULL: a bad escape or not UTF-8 (found by fuzz-inputs) */
	if (!value || !*g_strstrip(value))
		return matrix_invalid(error, group, keys[0], value ? "empty" : "not a readable value");
	k = g_new0(struct kdh_matrix_kernel, 1);
	k->name = g_strdup(name);
	k->kind = g_strdup(keys[0]);
	k->value = g_steal_pointer(&value);
	g_ptr_array_add(m->kernels, k);
	return TRUE;
}

static gboolean matrix_group_exclude(GKeyFile *kf, const char *group, struct kdh_matrix *m,
				     GError **error)
{
	g_auto(GStrv) keys = matrix_keys(kf, group, error);
	char ***axes = NULL;

	if (!keys)
		return FALSE;
	axes = g_new0(char **, KDH_AXIS__COUNT);
	g_ptr_array_add(m->excludes, axes);
	if (!*keys)
		return matrix_invalid(error, group, "*", "excludes nothing: give axis keys");
	for (char **k = keys; *k; k++) {
		int a = matrix_axis_from_key(*k);

		if (a < 0)
			return matrix_invalid(error, group, *k, "unknown key");
		if (!matrix_list(kf, group, *k, &axes[a], error))
			return FALSE;
	}
	return TRUE;
}

static gboolean matrix_group_matrix(GKeyFile *kf, struct kdh_matrix *m, GError **error)
{
	g_auto(GStrv) keys = matrix_keys(kf, "matrix", error);
	g_autoptr(GError) e = NULL;

	if (!keys)
		return FALSE;
	for (char **k = keys; *k; k++) {
		int a = matrix_axis_from_key(*k);

		if (g_str_equal(*k, "description"))
			m->description = g_key_file_get_string(kf, "matrix", *k, NULL);
		else if (g_str_equal(*k, "repeat")) {
			m->repeat = g_key_file_get_integer(kf, "matrix", *k, &e);
			if (e || m->repeat < 1 || m->repeat > 1000)
				return matrix_invalid(error, "matrix", *k, "not a number from 1 "
					"to 1000");
		} else if (a < 0)
			return matrix_invalid(error, "matrix", *k, "unknown key");
		else if (!matrix_list(kf, "matrix", *k, &m->axes[a], error))
			return FALSE;
	}
	if (!m->axes[KDH_AXIS_SCENARIO])
		return matrix_invalid(error, "matrix", "scenario", "missing");
	if (!m->axes[KDH_AXIS_KERNEL])
		return matrix_invalid(error, "matrix", "kernel", "missing");
	return TRUE;
}

gboolean kdh_matrix_parse(const char *name, const char *data, struct kdh_matrix *ret,
			  GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) groups = NULL;
	struct kdh_matrix m = {
		.name = g_strdup(name),
		.repeat = 1,
		.kernels = g_ptr_array_new_with_free_func((GDestroyNotify)matrix_kernel_free),
		.excludes = g_ptr_array_new_with_free_func((GDestroyNotify)matrix_axes_free),
	};
	gboolean ok = g_key_file_load_from_data(kf, data, -1, G_KEY_FILE_NONE, error);

	groups = ok ? g_key_file_get_groups(kf, NULL) : NULL;
	for (char **g = groups; ok && *g; g++) {
		if (g_str_equal(*g, "matrix"))
			ok = matrix_group_matrix(kf, &m, error);
		else if (g_str_has_prefix(*g, "kernel "))
			ok = matrix_group_kernel(kf, *g, *g + strlen("kernel "), &m, error);
		else if (g_str_has_prefix(*g, "exclude "))
			ok = matrix_group_exclude(kf, *g, &m, error);
		else
			ok = matrix_invalid(error, *g, "*", "unknown group");
	}
	if (ok && !g_key_file_has_group(kf, "matrix"))
		ok = matrix_invalid(error, "matrix", "*", "missing");
	for (char **k = ok ? m.axes[KDH_AXIS_KERNEL] : NULL; k && *k; k++)
		if (!g_str_equal(*k, "default") && !kdh_matrix_kernel(&m, *k)) {
			g_autofree char *why = g_strdup_printf("no [kernel %s] group", *k);

			ok = matrix_invalid(error, "matrix", "kernel", why);
			break;
		}
	if (!ok) {
		kdh_matrix_clear(&m);
		return FALSE;
	}
	*ret = m;
	return TRUE;
}

gboolean kdh_matrix_load(const char *path, struct kdh_matrix *ret, GError **error)
{
	g_autofree char *data = NULL;
	g_autofree char *name = kdh_config_name(path);

	if (!g_file_get_contents(path, &data, NULL, error) ||
	    !kdh_matrix_parse(name, data, ret, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	return TRUE;
}

void kdh_matrix_clear(struct kdh_matrix *m)
{
	g_clear_pointer(&m->name, g_free);
	g_clear_pointer(&m->description, g_free);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		g_clear_pointer(&m->axes[a], g_strfreev);
	g_clear_pointer(&m->kernels, g_ptr_array_unref);
	g_clear_pointer(&m->excludes, g_ptr_array_unref);
}

const struct kdh_matrix_kernel *kdh_matrix_kernel(const struct kdh_matrix *m,
						  const char *name)
{
	for (guint i = 0; i < m->kernels->len; i++) {
		const struct kdh_matrix_kernel *k = m->kernels->pdata[i];

		if (g_str_equal(k->name, name))
			return k;
	}
	return NULL;
}

void kdh_case_free(struct kdh_case *c)
{
	if (!c)
		return;
	g_free(c->id);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		g_free(c->values[a]);
	g_free(c->scenario_text);
	g_free(c);
}

/* The value the scenario S itself gives AXIS. */
static char *matrix_scenario_value(const struct kdh_scenario *s, enum kdh_axis axis)
{
	switch (axis) {
	case KDH_AXIS_PLATFORM:
		return g_strdup(kdh_platform_name(s->platform));
	case KDH_AXIS_VCPUS:
		return g_strdup_printf("%d", s->vcpus);
	case KDH_AXIS_MEMORY:
		return g_strdup_printf("%d", s->memory_mib);
	case KDH_AXIS_CRASHKERNEL:
		return g_strdup(s->crashkernel);
	case KDH_AXIS_KEXEC:
		return g_strdup(kdh_kexec_call_name(s->kexec));
	default:
		g_assert_not_reached();
	}
}

static gboolean matrix_excluded(const struct kdh_matrix *m, char *const *values)
{
	for (guint i = 0; i < m->excludes->len; i++) {
		char ***axes = m->excludes->pdata[i];
		gboolean all = TRUE;

		for (int a = 0; a < KDH_AXIS__COUNT && all; a++)
			all = !axes[a] || g_strv_contains((const char *const *)axes[a], values[a]);
		if (all)
			return TRUE;
	}
	return FALSE;
}

static char *matrix_case_id(char *const *values)
{
	GString *id = g_string_new(NULL);

	for (int a = 0; a < KDH_AXIS__COUNT; a++) {
		if (a > 0)
			g_string_append_c(id, '/');
		/* scenario, kernel and platform are names that say what they are */
		if (a > KDH_AXIS_PLATFORM)
			g_string_append_printf(id, "%s=", axis_keys[a]);
		g_string_append(id, values[a]);
	}
	return g_string_free(id, FALSE);
}

/* The case with VALUES (the scenario's own where the matrix gives none): its
 * scenario text, checked by the scenario parser. */
static struct kdh_case *matrix_case_new(const struct kdh_matrix *m, const char *text,
					char *const *values, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	struct kdh_case *c = g_new0(struct kdh_case, 1);
	struct kdh_scenario check;

	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		c->values[a] = g_strdup(values[a]);
	c->id = matrix_case_id(values);
	g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_KEEP_COMMENTS, NULL);
	for (int a = KDH_AXIS_PLATFORM; a < KDH_AXIS__COUNT; a++)
		if (m->axes[a])
			g_key_file_set_string(kf, "scenario", axis_keys[a], values[a]);
	c->scenario_text = g_key_file_to_data(kf, NULL, NULL);
	if (!kdh_scenario_parse(values[KDH_AXIS_SCENARIO], c->scenario_text, &check, error)) {
		g_prefix_error(error, "case %s: ", c->id);
		kdh_case_free(c);
		return NULL;
	}
	kdh_scenario_clear(&check);
	return c;
}

/* The cases of one scenario: an odometer over the other axes, the last fastest. */
static gboolean matrix_expand_scenario(const struct kdh_matrix *m, const char *name,
				       const char *text, GPtrArray *cases, GError **error)
{
	struct kdh_scenario s;
	/* the scenario's own value as a list of one, where the matrix gives none */
	char *own[KDH_AXIS__COUNT][2] = { { 0 } };
	const char *const *lists[KDH_AXIS__COUNT];
	int at[KDH_AXIS__COUNT] = { 0 };
	gboolean ok = TRUE;

	if (!kdh_scenario_parse(name, text, &s, error)) {
		g_prefix_error(error, "scenario %s: ", name);
		return FALSE;
	}
	for (int a = KDH_AXIS_PLATFORM; a < KDH_AXIS__COUNT; a++)
		own[a][0] = matrix_scenario_value(&s, a);
	kdh_scenario_clear(&s);
	for (int a = KDH_AXIS_KERNEL; a < KDH_AXIS__COUNT; a++)
		lists[a] = m->axes[a] ? (const char *const *)m->axes[a]
				      : (const char *const *)own[a];
	for (;;) {
		char *values[KDH_AXIS__COUNT] = { (char *)name };
		int a;

		for (a = KDH_AXIS_KERNEL; a < KDH_AXIS__COUNT; a++)
			values[a] = (char *)lists[a][at[a]];
		if (!matrix_excluded(m, values)) {
			struct kdh_case *c = matrix_case_new(m, text, values, error);

			if (!c) {
				ok = FALSE;
				break;
			}
			g_ptr_array_add(cases, c);
		}
		for (a = KDH_AXIS__COUNT - 1; a > KDH_AXIS_SCENARIO; a--) {
			if (lists[a][++at[a]])
				break;
			at[a] = 0;
		}
		if (a == KDH_AXIS_SCENARIO)
			break;
	}
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		g_free(own[a][0]);
	return ok;
}

GPtrArray *kdh_matrix_expand(const struct kdh_matrix *m, GHashTable *scenarios,
			     GError **error)
{
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(
		(GDestroyNotify)kdh_case_free);

	for (char **s = m->axes[KDH_AXIS_SCENARIO]; *s; s++) {
		const char *text = g_hash_table_lookup(scenarios, *s);

		if (!text) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
				    "no scenario '%s' given", *s);
			return NULL;
		}
		if (!matrix_expand_scenario(m, *s, text, cases, error))
			return NULL;
	}
	return g_steal_pointer(&cases);
}

char *kdh_matrix_kernel_made(const char *output)
{
	g_autofree char *text = g_strstrip(g_strdup(output));
	const char *last = strrchr(text, '\n');

	if (!*text)
		return NULL;
	return g_strstrip(g_strdup(last ? last + 1 : text));
}

gboolean kdh_matrix_shard_parse(const char *text, int *ret_k, int *ret_n, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(text, "/", -1);
	gint64 k, n;

	if (g_strv_length(parts) != 2 ||
	    !g_ascii_string_to_signed(parts[1], 10, 1, 1000, &n, NULL) ||
	    !g_ascii_string_to_signed(parts[0], 10, 1, n, &k, NULL)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "--shard '%s': not K/N with 1 <= K <= N <= 1000", text);
		return FALSE;
	}
	*ret_k = (int)k;
	*ret_n = (int)n;
	return TRUE;
}

gboolean kdh_matrix_shard_has(int k, int n, int r)
{
	return r % n == k - 1;
}

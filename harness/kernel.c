/* Guest kernels: where the vmlinuz and its modules are, which release it is, in
 * which order its modules load, and which libraries a program needs. */
#include <string.h>
#include <gio/gio.h>

#include "kdh-kernel.h"

/* The bzImage setup header (Documentation/arch/x86/boot.rst). */
#define BZIMAGE_MAGIC_OFFSET 0x202 /* "HdrS" */
#define BZIMAGE_VERSION_FIELD 0x20e /* 16-bit offset of the version string ... */
#define BZIMAGE_VERSION_BASE 0x200 /* ... counted from here */

char *kdh_bzimage_release(const guint8 *data, gsize len)
{
	const char *version;
	gsize at, room, n;

	if (len < BZIMAGE_VERSION_FIELD + 2 || memcmp(data + BZIMAGE_MAGIC_OFFSET, "HdrS", 4) != 0)
		return NULL;
	at = (data[BZIMAGE_VERSION_FIELD] | data[BZIMAGE_VERSION_FIELD + 1] << 8);
	/* Zero means the image was built without a version string. */
	if (at == 0)
		return NULL;
	at += BZIMAGE_VERSION_BASE;
	if (at >= len)
		return NULL;
	version = (const char *)data + at;
	room = len - at;
	/* A string running off the end is a truncated image, not a short release. */
	if (strnlen(version, room) == room)
		return NULL;
	/* "6.1.0-56-amd64 (debian-kernel@...) #1 SMP ...": the release is the first word. */
	n = strcspn(version, " ");
	return n ? g_strndup(version, n) : NULL;
}

void kdh_kernel_clear(struct kdh_kernel *k)
{
	if (!k)
		return;
	g_clear_pointer(&k->vmlinuz, g_free);
	g_clear_pointer(&k->release, g_free);
	g_clear_pointer(&k->modules_dir, g_free);
	g_clear_pointer(&k->vmlinux, g_free);
}

/* The one boot/vmlinuz-* of an unpacked linux-image package. */
static char *kernel_find_boot_vmlinuz(const char *spec, const char *dir, GError **error)
{
	g_autofree char *boot = g_build_filename(dir, "boot", NULL);
	g_autoptr(GDir) d = g_dir_open(boot, 0, NULL);
	g_autofree char *found = NULL;
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		if (!g_str_has_prefix(name, "vmlinuz-"))
			continue;
		if (found) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "kernel '%s': more than one boot/vmlinuz-* in it", spec);
			return NULL;
		}
		found = g_build_filename(boot, name, NULL);
	}
	if (!found)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "kernel '%s': no boot/vmlinuz-* nor arch/x86/boot/bzImage in it", spec);
	return g_steal_pointer(&found);
}

static char *kernel_find_vmlinuz(const char *spec, const char *dir, GError **error)
{
	g_autofree char *bzimage = g_build_filename(dir, "arch", "x86", "boot", "bzImage", NULL);

	if (g_file_test(bzimage, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer(&bzimage);
	return kernel_find_boot_vmlinuz(spec, dir, error);
}

static char *kernel_read_release(const char *spec, const char *vmlinuz, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(vmlinuz);
	g_autofree char *data = NULL;
	gsize len = 0;
	char *release;

	if (!g_file_load_contents(file, NULL, &data, &len, NULL, error)) {
		g_prefix_error(error, "kernel '%s': ", spec);
		return NULL;
	}
	release = kdh_bzimage_release((const guint8 *)data, len);
	if (!release)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "kernel '%s': '%s' is not a bzImage with a version string", spec, vmlinuz);
	return release;
}

/* BASE/lib/modules/RELEASE, or BASE/usr/lib/modules/RELEASE where packages that
 * follow the merged /usr put it; *RET_DIR NULL when neither exists (all built in). */
static gboolean kernel_find_modules(const char *spec, const char *base, const char *release,
				    char **ret_dir, GError **error)
{
	static const char *const roots[] = { "lib/modules", "usr/lib/modules" };

	*ret_dir = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(roots); i++) {
		g_autofree char *dir = g_build_filename(base, roots[i], release, NULL);
		g_autofree char *dep = g_build_filename(dir, "modules.dep", NULL);

		if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
			continue;
		/* Debian's linux-image packages ship none: depmod makes it. */
		if (!g_file_test(dep, G_FILE_TEST_IS_REGULAR)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "kernel '%s': no modules.dep in '%s' (depmod -b %s %s makes it)",
				    spec, dir, base, release);
			return FALSE;
		}
		*ret_dir = g_steal_pointer(&dir);
		return TRUE;
	}
	return TRUE;
}

/* The vmlinux with debug info `crash` needs: a build tree's own, or the one of a
 * linux-image-*-dbg package unpacked into the same directory. NULL: none. */
static char *kernel_find_vmlinux(const char *base, const char *release)
{
	g_autofree char *name = g_strconcat("vmlinux-", release, NULL);
	g_autofree char *tree = g_build_filename(base, "vmlinux", NULL);
	g_autofree char *dbg = g_build_filename(base, "usr", "lib", "debug", "boot", name, NULL);

	if (g_file_test(tree, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer(&tree);
	if (g_file_test(dbg, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer(&dbg);
	return NULL;
}

gboolean kdh_kernel_resolve(const char *spec, struct kdh_kernel *ret, GError **error)
{
	g_autofree char *path = g_canonicalize_filename(spec, NULL);
	g_autofree char *vmlinuz = NULL;
	g_autofree char *release = NULL;
	g_autofree char *base = NULL;
	g_autofree char *modules_dir = NULL;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		vmlinuz = kernel_find_vmlinuz(spec, path, error);
		base = g_strdup(path);
	} else if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_autofree char *boot = g_path_get_dirname(path);

		vmlinuz = g_strdup(path);
		/* .../boot/vmlinuz-X: its modules are in .../lib/modules/X. */
		base = g_path_get_dirname(boot);
	} else {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "kernel '%s': no such file or directory", spec);
		return FALSE;
	}
	if (!vmlinuz)
		return FALSE;
	release = kernel_read_release(spec, vmlinuz, error);
	if (!release || !kernel_find_modules(spec, base, release, &modules_dir, error))
		return FALSE;
	ret->vmlinuz = g_steal_pointer(&vmlinuz);
	ret->release = g_steal_pointer(&release);
	ret->modules_dir = g_steal_pointer(&modules_dir);
	ret->vmlinux = kernel_find_vmlinux(base, ret->release);
	return TRUE;
}

/* The name modprobe knows a module by: the file name up to ".ko" (which may be
 * followed by a compression suffix), with '-' spelled '_'. */
static char *module_name(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *ko;
	char *name;

	base = base ? base + 1 : path;
	ko = strstr(base, ".ko");
	name = g_strndup(base, ko ? (gsize)(ko - base) : strlen(base));
	return g_strdelimit(name, "-", '_');
}

/* modules.dep as name -> { path, dependency paths in file order }. */
static GHashTable *modules_dep_parse(const char *text, GError **error)
{
	g_autoptr(GHashTable) deps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							   (GDestroyNotify)g_strfreev);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

	for (guint i = 0; lines[i]; i++) {
		g_autofree char *words = NULL;
		char **entry;
		char *colon;

		if (!*g_strstrip(lines[i]))
			continue;
		colon = strchr(lines[i], ':');
		if (!colon) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "modules.dep line %u: no ':' in it", i + 1);
			return NULL;
		}
		*colon = '\0';
		words = g_strconcat(g_strstrip(lines[i]), " ", g_strstrip(colon + 1), NULL);
		entry = g_strsplit(g_strstrip(words), " ", -1);
		g_hash_table_insert(deps, module_name(entry[0]), entry);
	}
	return g_steal_pointer(&deps);
}

static GHashTable *modules_builtin_parse(const char *text)
{
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

	for (guint i = 0; lines[i]; i++)
		if (*g_strstrip(lines[i]))
			g_hash_table_add(names, module_name(lines[i]));
	return names;
}

struct modules_walk {
	GHashTable *deps;    /* from modules_dep_parse */
	GHashTable *visited; /* names already placed, or being placed */
	GPtrArray *order;
};

/* Depth first: every dependency is placed before the module that needs it. */
static void modules_walk_path(struct modules_walk *w, const char *path)
{
	g_autofree char *name = module_name(path);
	char **entry = g_hash_table_lookup(w->deps, name);

	/* Marked before the dependencies are walked, so a cyclic file cannot loop. */
	if (!g_hash_table_add(w->visited, g_steal_pointer(&name)))
		return;
	/* modprobe loads dependencies in the reverse of their modules.dep order; so do we. */
	for (guint i = entry ? g_strv_length(entry) : 0; i > 1; i--)
		if (*entry[i - 1])
			modules_walk_path(w, entry[i - 1]);
	g_ptr_array_add(w->order, g_strdup(entry ? entry[0] : path));
}

GPtrArray *kdh_modules_order(const char *modules_dep, const char *modules_builtin,
			     const char *const *names, GError **error)
{
	g_autoptr(GHashTable) deps = modules_dep_parse(modules_dep, error);
	g_autoptr(GHashTable) builtin = modules_builtin_parse(modules_builtin);
	g_autoptr(GHashTable) visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
	struct modules_walk w = { deps, visited, order };

	if (!deps)
		return NULL;
	for (guint i = 0; names && names[i]; i++) {
		g_autofree char *name = g_strdelimit(g_strdup(names[i]), "-", '_');
		char **entry = g_hash_table_lookup(deps, name);

		if (entry) {
			modules_walk_path(&w, entry[0]);
		} else if (!g_hash_table_contains(builtin, name)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
				    "module '%s': neither in modules.dep nor built in", names[i]);
			return NULL;
		}
	}
	return g_steal_pointer(&order);
}

GPtrArray *kdh_ldd_parse(const char *ldd_output)
{
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(ldd_output ? ldd_output : "", "\n", -1);

	for (guint i = 0; lines[i]; i++) {
		char *arrow = strstr(lines[i], "=>");
		char *word = g_strchug(arrow ? arrow + 2 : lines[i]);

		word[strcspn(word, " \t")] = '\0';
		/* Not a path: the vDSO (no file), "not found", "statically linked". */
		if (*word != '/')
			continue;
		if (!g_ptr_array_find_with_equal_func(paths, word, g_str_equal, NULL))
			g_ptr_array_add(paths, g_strdup(word));
	}
	return paths;
}

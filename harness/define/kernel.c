/* Guest kernels: where the vmlinuz and its modules are, which release it is, in
 * which order its modules load, and which libraries a program needs. */
#include <errno.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "kdh-kernel.h"
#include "kdh-spawn.h"
#include "kdh-unpack.h"

/* depmod, make modules_install, rm of a half-made cache entry */
#define KERNEL_TOOL_TIMEOUT_S 600

/* The bzImage setup header (Documentation/arch/x86/boot.rst). */
#define BZIMAGE_MAGIC_OFFSET 0x202 /* "HdrS" */
#define BZIMAGE_VERSION_FIELD 0x20e /* 16-bit offset of the version string ... */
#define BZIMAGE_VERSION_BASE 0x200 /* ... counted from here */

char *kdh_kernel_bzimage_release(const guint8 *data, gsize len)
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

/* The one file a glob-like walk finds: DIR/SUB/<entry>/NAME, or with NAME NULL
 * DIR/SUB/<entry> whose name starts with PREFIX. NULL without an error when
 * there is none; an error when there are several. */
static char *kernel_find_one(const char *spec, const char *dir, const char *sub,
			     const char *prefix, const char *name, GError **error)
{
	g_autofree char *parent = g_build_filename(dir, sub, NULL);
	g_autoptr(GDir) d = g_dir_open(parent, 0, NULL);
	g_autofree char *found = NULL;
	const char *entry;

	while (d && (entry = g_dir_read_name(d))) {
		g_autofree char *path = NULL;

		if (!g_str_has_prefix(entry, prefix))
			continue;
		path = g_build_filename(parent, entry, name, NULL);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		if (found) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "kernel '%s': more than one kernel image in it ('%s' and '%s')",
				    spec, found, path);
			return NULL;
		}
		found = g_steal_pointer(&path);
	}
	return g_steal_pointer(&found);
}

/* The kernel image in DIR, in the layouts kernels come in: a build tree's
 * bzImage; boot/vmlinuz-R of an unpacked package; the image beside its modules,
 * lib/modules/R/vmlinuz or usr/lib/modules/R/vmlinuz (Fedora's kernel-core,
 * newer Debian packages). */
static char *kernel_find_vmlinuz(const char *spec, const char *dir, GError **error)
{
	static const struct {
		const char *sub, *prefix, *name;
	} layouts[] = {
		{ "boot", "vmlinuz-", NULL },
		{ "lib/modules", "", "vmlinuz" },
		{ "usr/lib/modules", "", "vmlinuz" },
	};
	g_autofree char *bzimage = g_build_filename(dir, "arch", "x86", "boot", "bzImage", NULL);

	if (g_file_test(bzimage, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer(&bzimage);
	for (gsize i = 0; i < G_N_ELEMENTS(layouts); i++) {
		GError *local = NULL;
		char *found = kernel_find_one(spec, dir, layouts[i].sub, layouts[i].prefix,
					      layouts[i].name, &local);

		if (local) {
			g_propagate_error(error, local);
			return NULL;
		}
		if (found)
			return found;
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		    "kernel '%s': no arch/x86/boot/bzImage, boot/vmlinuz-*, "
		    "lib/modules/*/vmlinuz nor usr/lib/modules/*/vmlinuz in it",
		    spec);
	return NULL;
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
	release = kdh_kernel_bzimage_release((const guint8 *)data, len);
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

static gboolean kernel_is_package(const char *path)
{
	return g_str_has_suffix(path, ".deb") || g_str_has_suffix(path, ".rpm");
}

/* The root of the tree a kernel image file sits in, where its modules are
 * looked for: ROOT/boot/vmlinuz-R, ROOT/lib/modules/R/vmlinuz or
 * ROOT/usr/lib/modules/R/vmlinuz. */
static char *kernel_image_root(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *up = g_path_get_dirname(dir);
	g_autofree char *up_name = g_path_get_basename(up);
	g_autofree char *root = NULL;
	g_autofree char *root_name = NULL;

	if (!g_str_equal(up_name, "modules"))
		return g_steal_pointer(&up);
	/* .../lib/modules/R: two more up, and past a "usr" */
	root = g_path_get_dirname(up);
	g_free(g_steal_pointer(&up));
	up = g_path_get_dirname(root);
	root_name = g_path_get_basename(up);
	if (g_str_equal(root_name, "usr"))
		return g_path_get_dirname(up);
	return g_steal_pointer(&up);
}

/* Remove a directory tree of our own making (a cache entry half written). */
static void kernel_remove_tree(const char *dir)
{
	const char *const argv[] = { "rm", "-rf", "--", dir, NULL };
	int status;

	/* what cannot be removed stays a hidden ".fill.*" entry: never used */
	kdh_spawn_sync(argv, KERNEL_TOOL_TIMEOUT_S, NULL, &status, NULL);
}

/* Run ARGV, failing with its output when it does not exit 0. */
static gboolean kernel_run(const char *spec, const char *const *argv, GError **error)
{
	g_autofree char *output = NULL;
	int status = 0;

	if (!kdh_spawn_sync(argv, KERNEL_TOOL_TIMEOUT_S, &output, &status, error)) {
		g_prefix_error(error, "kernel '%s': ", spec);
		return FALSE;
	}
	if (status == 0)
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "kernel '%s': %s exited with %d: %s",
		    spec, argv[0], status, g_strstrip(output));
	return FALSE;
}

/* depmod for every modules directory under ROOT that has no modules.dep
 * (Debian's packages ship none). */
static gboolean kernel_depmod(const char *spec, const char *root, GError **error)
{
	static const char *const bases[] = { "", "usr" };

	for (gsize i = 0; i < G_N_ELEMENTS(bases); i++) {
		g_autofree char *base = g_build_filename(root, bases[i], NULL);
		g_autofree char *modules = g_build_filename(base, "lib", "modules", NULL);
		g_autoptr(GDir) d = g_dir_open(modules, 0, NULL);
		const char *release;

		while (d && (release = g_dir_read_name(d))) {
			g_autofree char *dep = g_build_filename(modules, release, "modules.dep", NULL);
			const char *const argv[] = { "depmod", "-b", base, release, NULL };

			if (!g_file_test(dep, G_FILE_TEST_EXISTS) && !kernel_run(spec, argv, error))
				return FALSE;
		}
	}
	return TRUE;
}

/* Make CACHE/kernels/NAME with FILL(tmp) into a temporary directory beside it,
 * renamed into place when complete: a cache entry that exists is whole, and
 * two runs filling the same entry at once both end with it. */
typedef gboolean (*kernel_fill_fn)(const char *spec, const char *dir, gpointer data,
				   GError **error);

static char *kernel_cache_entry(const char *spec, const char *cache, const char *name,
				kernel_fill_fn fill, gpointer data, GError **error)
{
	g_autofree char *kernels = g_build_filename(cache, "kernels", NULL);
	g_autofree char *entry = g_build_filename(kernels, name, NULL);
	g_autofree char *tmp = NULL;

	if (g_file_test(entry, G_FILE_TEST_IS_DIR))
		return g_steal_pointer(&entry);
	if (g_mkdir_with_parents(kernels, 0755) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "kernel '%s': cannot create '%s': %s", spec, kernels, g_strerror(errno));
		return NULL;
	}
	tmp = g_build_filename(kernels, ".fill.XXXXXX", NULL);
	if (!g_mkdtemp(tmp)) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "kernel '%s': cannot create a directory in '%s': %s", spec, kernels,
			    g_strerror(errno));
		return NULL;
	}
	if (!fill(spec, tmp, data, error)) {
		kernel_remove_tree(tmp);
		return NULL;
	}
	if (g_rename(tmp, entry) < 0) {
		kernel_remove_tree(tmp);
		if (!g_file_test(entry, G_FILE_TEST_IS_DIR)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				    "kernel '%s': cannot create '%s'", spec, entry);
			return NULL;
		}
	}
	return g_steal_pointer(&entry);
}

static gboolean kernel_fill_packages(const char *spec, const char *dir, gpointer data,
				     GError **error)
{
	const char *const *files = data;

	if (!kdh_unpack_packages(files, dir, error)) {
		g_prefix_error(error, "kernel '%s': ", spec);
		return FALSE;
	}
	return kernel_depmod(spec, dir, error);
}

static gint kernel_compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The key of package files: their contents, in any order. */
static char *kernel_packages_key(const char *spec, const char *const *files, GError **error)
{
	g_autoptr(GPtrArray) sums = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GChecksum) all = g_checksum_new(G_CHECKSUM_SHA256);

	for (gsize i = 0; files[i]; i++) {
		g_autoptr(GMappedFile) f = g_mapped_file_new(files[i], FALSE, error);

		if (!f) {
			g_prefix_error(error, "kernel '%s': ", spec);
			return NULL;
		}
		g_ptr_array_add(sums, g_compute_checksum_for_data(
					      G_CHECKSUM_SHA256,
					      (const guchar *)g_mapped_file_get_contents(f),
					      g_mapped_file_get_length(f)));
	}
	g_ptr_array_sort(sums, kernel_compare_strings);
	for (guint i = 0; i < sums->len; i++)
		g_checksum_update(all, sums->pdata[i], -1);
	return g_strdup_printf("packages-%.16s", g_checksum_get_string(all));
}

/* Package files, unpacked into the cache under the key of their contents. */
static char *kernel_unpack_packages(const char *spec, const char *const *files,
				    const char *cache, GError **error)
{
	g_autofree char *key = NULL;

	for (gsize i = 0; files[i]; i++) {
		if (!kernel_is_package(files[i]) || !g_file_test(files[i], G_FILE_TEST_IS_REGULAR)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
				    "kernel '%s': '%s' is not a .deb or .rpm file (several "
				    "--kernel are the packages of one kernel)",
				    spec, files[i]);
			return NULL;
		}
	}
	key = kernel_packages_key(spec, files, error);
	if (!key)
		return NULL;
	return kernel_cache_entry(spec, cache, key, kernel_fill_packages, (gpointer)files, error);
}

/* A build tree built with modules (CONFIG_MODULES=y and a modules.order). */
static gboolean kernel_tree_has_modules(const char *tree)
{
	g_autofree char *config_path = g_build_filename(tree, ".config", NULL);
	g_autofree char *order = g_build_filename(tree, "modules.order", NULL);
	g_autofree char *config = NULL;

	return g_file_get_contents(config_path, &config, NULL, NULL) &&
	       strstr(config, "\nCONFIG_MODULES=y\n") && g_file_test(order, G_FILE_TEST_IS_REGULAR);
}

/* The key of a tree's built modules: the release and every module's path, size
 * and time of change, so that any rebuilt module makes a new entry. */
static char *kernel_tree_key(const char *tree, const char *release)
{
	g_autofree char *order_path = g_build_filename(tree, "modules.order", NULL);
	g_autofree char *order = NULL;
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_auto(GStrv) lines = NULL;

	g_file_get_contents(order_path, &order, NULL, NULL);
	g_checksum_update(sum, (const guchar *)release, -1);
	lines = g_strsplit(order ? order : "", "\n", -1);
	for (char **l = lines; *l; l++) {
		/* Since 6.2 modules.order names the .o files the modules are made of. */
		g_autofree char *ko = g_str_has_suffix(*l, ".o")
					      ? g_strdup_printf("%.*s.ko", (int)strlen(*l) - 2, *l)
					      : g_strdup(*l);
		g_autofree char *path = NULL;
		g_autofree char *line = NULL;
		GStatBuf st = { 0 };

		if (!**l)
			continue;
		path = g_build_filename(tree, ko, NULL);
		g_stat(path, &st);
		line = g_strdup_printf("%s %lld %lld\n", ko, (long long)st.st_size,
				       (long long)st.st_mtime);
		g_checksum_update(sum, (const guchar *)line, -1);
	}
	return g_strdup_printf("modules-%s-%.16s", release, g_checksum_get_string(sum));
}

static gboolean kernel_fill_tree_modules(const char *spec, const char *dir, gpointer data,
					 GError **error)
{
	const char *tree = data;
	g_autofree char *install = g_strconcat("INSTALL_MOD_PATH=", dir, NULL);
	const char *const argv[] = { "make", "-s", "-C", tree, "modules_install", install,
				     "INSTALL_MOD_STRIP=1", NULL };

	return kernel_run(spec, argv, error) && kernel_depmod(spec, dir, error);
}

static gboolean kernel_resolve_path(const char *spec, const char *cache, struct kdh_kernel *ret,
				    GError **error)
{
	g_autofree char *path = g_canonicalize_filename(spec, NULL);
	g_autofree char *vmlinuz = NULL;
	g_autofree char *release = NULL;
	g_autofree char *base = NULL;
	g_autofree char *modules_base = NULL;
	g_autofree char *modules_dir = NULL;
	gboolean tree = FALSE;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		vmlinuz = kernel_find_vmlinuz(spec, path, error);
		tree = g_str_has_suffix(vmlinuz ? vmlinuz : "", "/arch/x86/boot/bzImage");
		base = tree ? g_strdup(path) : vmlinuz ? kernel_image_root(vmlinuz) : NULL;
	} else if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		vmlinuz = g_strdup(path);
		base = kernel_image_root(path);
	} else {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "kernel '%s': no such file or directory", spec);
		return FALSE;
	}
	if (!vmlinuz)
		return FALSE;
	release = kernel_read_release(spec, vmlinuz, error);
	if (!release)
		return FALSE;
	modules_base = g_strdup(base);
	if (tree && kernel_tree_has_modules(path)) {
		g_autofree char *key = kernel_tree_key(path, release);

		g_free(modules_base);
		modules_base = kernel_cache_entry(spec, cache, key, kernel_fill_tree_modules, path,
						  error);
		if (!modules_base)
			return FALSE;
	}
	if (!kernel_find_modules(spec, modules_base, release, &modules_dir, error))
		return FALSE;
	ret->vmlinuz = g_steal_pointer(&vmlinuz);
	ret->release = g_steal_pointer(&release);
	ret->modules_dir = g_steal_pointer(&modules_dir);
	ret->vmlinux = kernel_find_vmlinux(base, ret->release);
	return TRUE;
}

gboolean kdh_kernel_resolve(const char *const *specs, const char *cache, struct kdh_kernel *ret,
			    GError **error)
{
	g_autofree char *spec = g_strjoinv(" ", (char **)specs);
	g_autofree char *root = NULL;

	if (!specs[0]) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no kernel given");
		return FALSE;
	}
	if (!specs[1] && !kernel_is_package(specs[0]))
		return kernel_resolve_path(specs[0], cache, ret, error);
	root = kernel_unpack_packages(spec, specs, cache, error);
	return root && kernel_resolve_path(root, cache, ret, error);
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

GPtrArray *kdh_kernel_modules_order(const char *modules_dep, const char *modules_builtin,
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

GPtrArray *kdh_kernel_ldd_parse(const char *ldd_output)
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

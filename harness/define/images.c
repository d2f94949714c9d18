/* Guest images: the two initramfs archives (newc cpio), written by libarchive
 * into memory. Every path in the archive is written once, parents first. */
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <gio/gio.h>

#include "kdh-images.h"
#include "kdh-protocol.h"
#include "kdh-spawn.h"
#include "kdh-unpack.h"

#define LDD_TIMEOUT_S 30

G_DEFINE_QUARK(kdh-images-error-quark, kdh_images_error)

/* Turn ERROR into KDH_IMAGES_ERROR_MODULE with the same message. */
static gboolean images_module_failed(GError **error)
{
	if (error && *error) {
		(*error)->domain = KDH_IMAGES_ERROR;
		(*error)->code = KDH_IMAGES_ERROR_MODULE;
	}
	return FALSE;
}

/* An archive being written into BYTES. */
struct cpio {
	struct archive *a;
	GByteArray *bytes;
	GHashTable *written; /* guest paths already in the archive */
};

static la_ssize_t cpio_write(struct archive *a, void *data, const void *buf, size_t len)
{
	(void)a;
	g_byte_array_append(data, buf, len);
	return len;
}

/* PATH: the entry being written, or NULL for the archive as a whole. */
static gboolean cpio_failed(struct cpio *c, const char *path, GError **error)
{
	if (path)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "initramfs entry '%s': %s", path,
			    archive_error_string(c->a));
	else
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "initramfs: %s",
			    archive_error_string(c->a));
	return FALSE;
}

static gboolean cpio_open(struct cpio *c, GError **error)
{
	c->a = archive_write_new();
	c->bytes = g_byte_array_new();
	c->written = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* No blocking: the capture archive is nested in the first one byte for byte,
	 * without a tail of padding. */
	if (archive_write_set_format_cpio_newc(c->a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(c->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(c->a, 0) != ARCHIVE_OK ||
	    archive_write_open(c->a, c->bytes, NULL, cpio_write, NULL) != ARCHIVE_OK)
		return cpio_failed(c, NULL, error);
	return TRUE;
}

static GBytes *cpio_close(struct cpio *c, GError **error)
{
	if (archive_write_close(c->a) != ARCHIVE_OK) {
		cpio_failed(c, NULL, error);
		return NULL;
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&c->bytes));
}

/* Accepts a zeroed or half-opened C. */
static void cpio_clear(struct cpio *c)
{
	g_clear_pointer(&c->a, archive_write_free);
	g_clear_pointer(&c->bytes, g_byte_array_unref);
	g_clear_pointer(&c->written, g_hash_table_unref);
}

/* Owner root, mtime 0 (libarchive's defaults): the same inputs make the same bytes. */
static struct archive_entry *cpio_entry(unsigned int type, unsigned int perm)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_nlink(e, type == AE_IFDIR ? 2 : 1);
	return e;
}

static gboolean cpio_write_entry(struct cpio *c, const char *path, struct archive_entry *e,
				 GBytes *data, GError **error)
{
	gsize len = 0;
	const void *bytes = data ? g_bytes_get_data(data, &len) : NULL;

	/* Stored without the leading '/', as the kernel's gen_init_cpio does: unpacking
	 * the image by hand with cpio(1) then cannot write over the host's files. */
	archive_entry_set_pathname(e, path + 1);
	/* Distinct inode numbers, as gen_init_cpio writes: readers pair entries that
	 * share one into hard links. */
	archive_entry_set_ino64(e, g_hash_table_size(c->written) + 1);
	archive_entry_set_size(e, len);
	if (archive_write_header(c->a, e) != ARCHIVE_OK ||
	    (len && archive_write_data(c->a, bytes, len) != (la_ssize_t)len))
		return cpio_failed(c, path, error);
	g_hash_table_add(c->written, g_strdup(path));
	return TRUE;
}

static gboolean cpio_dir(struct cpio *c, const char *path, GError **error);

/* Write E (consumed) at the guest's absolute PATH with DATA, after PATH's parents.
 * A path already written is left as it is: libraries are shared between programs. */
static gboolean cpio_put(struct cpio *c, const char *path, struct archive_entry *e,
			 GBytes *data, GError **error)
{
	g_autofree char *parent = g_path_get_dirname(path);
	gboolean ok;

	if (g_hash_table_contains(c->written, path))
		ok = TRUE;
	else if (strcmp(parent, "/") != 0 && !cpio_dir(c, parent, error))
		ok = FALSE;
	else
		ok = cpio_write_entry(c, path, e, data, error);
	archive_entry_free(e);
	return ok;
}

static gboolean cpio_dir(struct cpio *c, const char *path, GError **error)
{
	return cpio_put(c, path, cpio_entry(AE_IFDIR, 0755), NULL, error);
}

static gboolean cpio_file(struct cpio *c, const char *path, unsigned int perm, GBytes *data,
			  GError **error)
{
	return cpio_put(c, path, cpio_entry(AE_IFREG, perm), data, error);
}

static gboolean cpio_chardev(struct cpio *c, const char *path, unsigned int major,
			     unsigned int minor, GError **error)
{
	struct archive_entry *e = cpio_entry(AE_IFCHR, 0600);

	archive_entry_set_rdevmajor(e, major);
	archive_entry_set_rdevminor(e, minor);
	return cpio_put(c, path, e, NULL, error);
}

/* Symbolic links are followed: a library that is a link on the host becomes a
 * regular file at the path the dynamic loader asks for. */
static gboolean images_add_host_file(struct cpio *c, const char *path, const char *host_path,
				     unsigned int perm, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(host_path);
	g_autoptr(GBytes) data = g_file_load_bytes(file, NULL, NULL, error);

	if (!data) {
		g_prefix_error(error, "initramfs entry '%s': ", path);
		return FALSE;
	}
	return cpio_file(c, path, perm, data, error);
}

/* A library ldd cannot find would break the program in the guest, far from the cause. */
static gboolean images_check_ldd(const char *program, const char *output, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(output, "\n", -1);

	for (guint i = 0; lines[i]; i++) {
		if (g_str_has_suffix(g_strstrip(lines[i]), "=> not found")) {
			lines[i][strcspn(lines[i], " ")] = '\0';
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
				    "program '%s': library '%s' not found", program, lines[i]);
			return FALSE;
		}
	}
	return TRUE;
}

static GPtrArray *images_libraries(const char *program, GError **error)
{
	const char *const argv[] = { "ldd", program, NULL };
	g_autofree char *output = NULL;
	int status = 0;

	if (!kdh_spawn_sync(argv, LDD_TIMEOUT_S, &output, &status, error))
		return NULL;
	/* ldd fails on a static program: it needs no libraries. */
	if (status != 0 && !strstr(output, "not a dynamic executable")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "program '%s': ldd exited with %d: %s",
			    program, status, g_strstrip(output));
		return NULL;
	}
	if (!images_check_ldd(program, output, error))
		return NULL;
	return kdh_kernel_ldd_parse(output);
}

/* HOST_PATH at PATH, and every library it needs at the path ldd lists. */
static gboolean images_add_program(struct cpio *c, const char *path, const char *host_path,
				   GError **error)
{
	g_autoptr(GPtrArray) libs = NULL;

	if (!images_add_host_file(c, path, host_path, 0755, error))
		return FALSE;
	libs = images_libraries(host_path, error);
	if (!libs)
		return FALSE;
	for (guint i = 0; i < libs->len; i++)
		if (!images_add_host_file(c, libs->pdata[i], libs->pdata[i], 0755, error))
			return FALSE;
	return TRUE;
}

/* A compressed module (.ko.xz, .ko.zst, .ko.gz) goes in as the plain .ko it
 * holds: the guest kernel may have no CONFIG_MODULE_DECOMPRESS. */
static char *images_module_path(const struct kdh_kernel *kernel, const char *relative)
{
	const char *suffix = kdh_unpack_compression_suffix(relative);
	int len = strlen(relative) - (suffix ? strlen(suffix) : 0);

	return g_strdup_printf("/lib/modules/%s/%.*s", kernel->release, len, relative);
}

static gboolean images_add_modules(struct cpio *c, const struct kdh_kernel *kernel,
				   GPtrArray *modules, GError **error)
{
	for (guint i = 0; i < modules->len; i++) {
		g_autofree char *host_path = g_build_filename(kernel->modules_dir, modules->pdata[i], NULL);
		g_autofree char *path = images_module_path(kernel, modules->pdata[i]);
		g_autoptr(GBytes) data = kdh_unpack_file(host_path, error);

		if (!data) {
			g_prefix_error(error, "module '%s': ", (const char *)modules->pdata[i]);
			return images_module_failed(error);
		}
		if (!cpio_file(c, path, 0644, data, error))
			return FALSE;
	}
	return TRUE;
}

/* What both images hold. */
static gboolean images_add_common(struct cpio *c, const struct kdh_image_spec *spec,
				  GBytes *conf, GPtrArray *modules, GError **error)
{
	static const char *const dirs[] = { "/proc", "/sys", "/dev", "/kdh", "/tmp" };

	for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++)
		if (!cpio_dir(c, dirs[i], error))
			return FALSE;
	/* The kernel opens it for init's stdin, stdout and stderr before devtmpfs exists. */
	/* every byte of an image is copied by kexec and hashed by purgatory on the
	 * crash path under test: the shell is there only for a person who asked */
	return cpio_chardev(c, "/dev/console", 5, 1, error) &&
	       images_add_host_file(c, "/init", spec->agent, 0755, error) &&
	       cpio_file(c, KDH_AGENT_CONF, 0644, conf, error) &&
	       images_add_modules(c, spec->kernel, modules, error) &&
	       (!spec->busybox || images_add_program(c, KDH_GUEST_BUSYBOX, spec->busybox, error));
}

/* What only the first kernel's image holds: what it needs to load the capture kernel. */
static gboolean images_add_first(struct cpio *c, const struct kdh_image_spec *spec,
				 GBytes *capture, GError **error)
{
	return images_add_program(c, KDH_GUEST_KEXEC, spec->kexec, error) &&
	       images_add_host_file(c, KDH_GUEST_CAPTURE_KERNEL, spec->kernel->vmlinuz, 0644, error) &&
	       cpio_file(c, KDH_GUEST_CAPTURE_INITRD, 0644, capture, error);
}

/* What only the capture kernel's image holds: what it needs to write the dump. */
static gboolean images_add_capture(struct cpio *c, const struct kdh_image_spec *spec,
				   GError **error)
{
	return images_add_program(c, KDH_GUEST_MAKEDUMPFILE, spec->makedumpfile, error);
}

/* The capture image when CAPTURE is NULL, else the first image holding CAPTURE. */
static GBytes *images_archive(const struct kdh_image_spec *spec, GBytes *conf, GPtrArray *modules,
			      GBytes *capture, GError **error)
{
	struct cpio c = { 0 };
	GBytes *bytes = NULL;

	if (cpio_open(&c, error) && images_add_common(&c, spec, conf, modules, error) &&
	    (capture ? images_add_first(&c, spec, capture, error)
		     : images_add_capture(&c, spec, error)))
		bytes = cpio_close(&c, error);
	cpio_clear(&c);
	return bytes;
}

static gboolean images_read_text(const char *path, char **ret_text, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);

	return g_file_load_contents(file, NULL, ret_text, NULL, NULL, error);
}

/* The module paths, relative to the modules directory, in load order. */
static GPtrArray *images_module_order(const struct kdh_image_spec *spec, GError **error)
{
	const char *dir = spec->kernel->modules_dir;
	g_autofree char *dep_path = NULL;
	g_autofree char *builtin_path = NULL;
	g_autofree char *dep = NULL;
	g_autofree char *builtin = NULL;
	GPtrArray *order;

	/* A kernel with everything built in: what the platform needs is there already. */
	if (!dir)
		return g_ptr_array_new_with_free_func(g_free);
	dep_path = g_build_filename(dir, "modules.dep", NULL);
	builtin_path = g_build_filename(dir, "modules.builtin", NULL);
	/* Without modules.builtin, a built-in name is reported as unknown: an error, not a guess. */
	if (!images_read_text(dep_path, &dep, error) ||
	    (g_file_test(builtin_path, G_FILE_TEST_EXISTS) &&
	     !images_read_text(builtin_path, &builtin, error)))
		return NULL;
	order = kdh_kernel_modules_order(dep, builtin, spec->modules, error);
	if (!order) {
		g_prefix_error(error, "kernel modules '%s': ", dir);
		images_module_failed(error);
	}
	return order;
}

static gboolean images_check_kexec_call(int call, GError **error)
{
	if (kdh_kexec_call_name(call))
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "kexec call %d: unknown", call);
	return FALSE;
}

GBytes *kdh_images_build(const struct kdh_image_spec *spec, GError **error)
{
	g_autoptr(GPtrArray) modules = NULL;
	g_autoptr(GBytes) conf = NULL;
	g_autoptr(GBytes) capture = NULL;
	char *text;

	if (!images_check_kexec_call(spec->kexec_call, error))
		return NULL;
	modules = images_module_order(spec, error);
	if (!modules)
		return NULL;
	text = kdh_images_agent_conf(spec, modules);
	conf = g_bytes_new_take(text, strlen(text));
	capture = images_archive(spec, conf, modules, NULL, error);
	if (!capture)
		return NULL;
	return images_archive(spec, conf, modules, capture, error);
}

static void images_conf_kexec(GString *s, const struct kdh_image_spec *spec)
{
	if (spec->kexec_call == KDH_KEXEC_NONE)
		return;
	/* -s: the kernel loads and checks the capture kernel itself (kexec_file_load). */
	if (spec->kexec_call == KDH_KEXEC_FILE_LOAD)
		g_string_append(s, "kexec=-s\n");
	g_string_append(s, "kexec=-p\n"
			   "kexec=" KDH_GUEST_CAPTURE_KERNEL "\n"
			   "kexec=--initrd=" KDH_GUEST_CAPTURE_INITRD "\n");
	g_string_append_printf(s, "kexec=--append=%s\n", spec->capture_cmdline);
}

char *kdh_images_agent_conf(const struct kdh_image_spec *spec, GPtrArray *module_paths)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; module_paths && i < module_paths->len; i++) {
		g_autofree char *path = images_module_path(spec->kernel, module_paths->pdata[i]);

		g_string_append_printf(s, "module=%s\n", path);
	}
	images_conf_kexec(s, spec);
	for (guint i = 0; spec->makedumpfile_args && spec->makedumpfile_args[i]; i++)
		g_string_append_printf(s, "makedumpfile=%s\n", spec->makedumpfile_args[i]);
	g_string_append(s, "dump_serial=" KDH_DUMP_SERIAL "\n");
	if (spec->nmi_probe)
		g_string_append(s, "nmi_probe=1\n");
	for (guint i = 0; spec->sysctls && spec->sysctls[i]; i++)
		g_string_append_printf(s, "sysctl=%s\n", spec->sysctls[i]);
	for (guint i = 0; spec->offline_cpus && spec->offline_cpus[i] >= 0; i++)
		g_string_append_printf(s, "cpu_offline=%d\n", spec->offline_cpus[i]);
	if (spec->sysrq_crash)
		g_string_append_printf(s, "sysrq_cpu=%d\n", spec->sysrq_cpu);
	return g_string_free(s, FALSE);
}

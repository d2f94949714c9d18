/* harness/define/images.c: agent.conf text, and real archives built from a fake kernel
 * tree in a temp dir, read back with libarchive. The fake programs are not ELF
 * files (ldd finds no libraries in them) except kexec, which is /bin/true, so
 * that a real program's libraries go in too. */
#define _GNU_SOURCE /* nftw */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "kdh-images.h"
#include "kdh-protocol.h"
#include "kdh-spawn.h"
#include "kdh-test.h"

#define RELEASE "9.9.9-test"
#define MODULES "lib/modules/" RELEASE "/"
#define HOST_PROGRAM "/bin/true"

static const char *const makedumpfile_args[] = { "-l", "-d", "31", NULL };
static const char *const platform_modules[] = { "virtio_blk", "crc32", NULL };

/* ---- agent.conf ---- */

static char *conf_for(enum kdh_kexec_call kexec_call)
{
	static const char *const order[] = { "kernel/a/virtio_ring.ko", "kernel/b/virtio_blk.ko" };
	struct kdh_kernel kernel = { .release = (char *)RELEASE };
	struct kdh_image_spec spec = {
		.kernel = &kernel,
		.capture_cmdline = "console=ttyS0 nr_cpus=1 irqpoll reset_devices",
		.kexec_call = kexec_call,
		.makedumpfile_args = makedumpfile_args,
	};
	g_autoptr(GPtrArray) paths = g_ptr_array_new();

	g_ptr_array_add(paths, (char *)order[0]);
	g_ptr_array_add(paths, (char *)order[1]);
	return kdh_images_agent_conf(&spec, paths);
}

START_TEST(test_conf_kexec_load)
{
	g_autofree char *conf = conf_for(KDH_KEXEC_LOAD);

	ck_assert_str_eq(conf, "module=/lib/modules/" RELEASE "/kernel/a/virtio_ring.ko\n"
			       "module=/lib/modules/" RELEASE "/kernel/b/virtio_blk.ko\n"
			       "kexec=-p\n"
			       "kexec=/kdh/vmlinuz\n"
			       "kexec=--initrd=/kdh/capture.img\n"
			       "kexec=--append=console=ttyS0 nr_cpus=1 irqpoll reset_devices\n"
			       "makedumpfile=-l\n"
			       "makedumpfile=-d\n"
			       "makedumpfile=31\n"
			       "dump_serial=kdhdump\n");
}
END_TEST

START_TEST(test_conf_kexec_file_load)
{
	g_autofree char *conf = conf_for(KDH_KEXEC_FILE_LOAD);

	ck_assert_str_eq(conf, "module=/lib/modules/" RELEASE "/kernel/a/virtio_ring.ko\n"
			       "module=/lib/modules/" RELEASE "/kernel/b/virtio_blk.ko\n"
			       "kexec=-s\n"
			       "kexec=-p\n"
			       "kexec=/kdh/vmlinuz\n"
			       "kexec=--initrd=/kdh/capture.img\n"
			       "kexec=--append=console=ttyS0 nr_cpus=1 irqpoll reset_devices\n"
			       "makedumpfile=-l\n"
			       "makedumpfile=-d\n"
			       "makedumpfile=31\n"
			       "dump_serial=kdhdump\n");
}
END_TEST

START_TEST(test_conf_none)
{
	g_autofree char *conf = conf_for(KDH_KEXEC_NONE);

	ck_assert_str_eq(conf, "module=/lib/modules/" RELEASE "/kernel/a/virtio_ring.ko\n"
			       "module=/lib/modules/" RELEASE "/kernel/b/virtio_blk.ko\n"
			       "makedumpfile=-l\n"
			       "makedumpfile=-d\n"
			       "makedumpfile=31\n"
			       "dump_serial=kdhdump\n");
}
END_TEST

static const char *const arm_sysctls[] = { "kernel/unknown_nmi_panic=1", "kernel/panic=0", NULL };

/* agent.conf for the default spec of conf_for() changed by EDIT. */
static char *conf_with(void (*edit)(struct kdh_image_spec *spec))
{
	static const char *const order[] = { "kernel/b/virtio_blk.ko" };
	struct kdh_kernel kernel = { .release = (char *)RELEASE };
	struct kdh_image_spec spec = {
		.kernel = &kernel,
		.capture_cmdline = "console=ttyS0",
		.kexec_call = KDH_KEXEC_NONE,
		.makedumpfile_args = makedumpfile_args,
	};
	g_autoptr(GPtrArray) paths = g_ptr_array_new();

	g_ptr_array_add(paths, (char *)order[0]);
	edit(&spec);
	return kdh_images_agent_conf(&spec, paths);
}

#define CONF_BASE                                                   \
	"module=/lib/modules/" RELEASE "/kernel/b/virtio_blk.ko\n" \
	"makedumpfile=-l\n"                                         \
	"makedumpfile=-d\n"                                         \
	"makedumpfile=31\n"                                         \
	"dump_serial=kdhdump\n"

static void edit_nothing(struct kdh_image_spec *spec)
{
	(void)spec;
}

static void edit_probe_nmi(struct kdh_image_spec *spec)
{
	spec->nmi_probe = TRUE;
	spec->sysctls = arm_sysctls;
}

static void edit_sysrq(struct kdh_image_spec *spec)
{
	spec->nmi_probe = TRUE;
	spec->sysctls = arm_sysctls;
	spec->sysrq_crash = TRUE;
	spec->sysrq_cpu = 2;
}

static void edit_sysrq_cpu0(struct kdh_image_spec *spec)
{
	spec->sysrq_crash = TRUE;
	spec->sysrq_cpu = 0;
}

static void edit_sysrq_cpu_only(struct kdh_image_spec *spec)
{
	/* A CPU without sysrq_crash: the host triggers, the agent must not. */
	spec->sysrq_cpu = 3;
}

START_TEST(test_conf_probe_and_trigger)
{
	g_autofree char *plain = conf_with(edit_nothing);
	g_autofree char *probe = conf_with(edit_probe_nmi);
	g_autofree char *sysrq = conf_with(edit_sysrq);
	g_autofree char *cpu0 = conf_with(edit_sysrq_cpu0);
	g_autofree char *cpu_only = conf_with(edit_sysrq_cpu_only);

	/* No probe, no sysctls, no sysrq: none of their lines. */
	ck_assert_str_eq(plain, CONF_BASE);
	ck_assert_str_eq(probe, CONF_BASE "nmi_probe=1\n"
					  "sysctl=kernel/unknown_nmi_panic=1\n"
					  "sysctl=kernel/panic=0\n");
	ck_assert_str_eq(sysrq, CONF_BASE "nmi_probe=1\n"
					  "sysctl=kernel/unknown_nmi_panic=1\n"
					  "sysctl=kernel/panic=0\n"
					  "sysrq_cpu=2\n");
	/* CPU 0 is a CPU: the flag decides, not the number. */
	ck_assert_str_eq(cpu0, CONF_BASE "sysrq_cpu=0\n");
	ck_assert_str_eq(cpu_only, CONF_BASE);
}
END_TEST

/* ---- archives ---- */

/* The fake tree is made and removed by the parent process: a failed assertion
 * ends a test's process before any teardown of its own runs. Each test gets a
 * fresh KERNEL and SPEC pointing into the tree, to change as it likes. */
static char *tmp;
static char *vmlinuz, *modules_dir, *agent, *makedumpfile, *busybox;
static struct kdh_kernel kernel;
static struct kdh_image_spec spec;

static char *put(const char *relative, const char *contents)
{
	g_autofree char *path = g_build_filename(tmp, relative, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0755), 0);
	ck_assert(g_file_set_contents(path, contents, -1, NULL));
	return g_steal_pointer(&path);
}

static void tree_setup(void)
{
	tmp = g_dir_make_tmp("kdh-test-images-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmp);
	vmlinuz = put("kernel/boot/vmlinuz-" RELEASE, "VMLINUZ");
	modules_dir = g_build_filename(tmp, "kernel", MODULES, NULL);
	g_free(put("kernel/" MODULES "modules.dep",
		   "kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko "
		   "kernel/drivers/virtio/virtio_ring.ko\n"
		   "kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko\n"
		   "kernel/drivers/virtio/virtio_ring.ko:\n"
		   "kernel/drivers/misc/pvpanic/pvpanic.ko:\n"));
	g_free(put("kernel/" MODULES "modules.builtin", "kernel/lib/crc32.ko\n"));
	g_free(put("kernel/" MODULES "kernel/drivers/block/virtio_blk.ko", "BLK"));
	g_free(put("kernel/" MODULES "kernel/drivers/virtio/virtio.ko", "VIRTIO"));
	g_free(put("kernel/" MODULES "kernel/drivers/virtio/virtio_ring.ko", "RING"));
	agent = put("agent", "AGENT");
	makedumpfile = put("makedumpfile", "MAKEDUMPFILE");
	busybox = put("busybox", "BUSYBOX");
}

static void spec_setup(void)
{
	kernel = (struct kdh_kernel){
		.vmlinuz = vmlinuz,
		.release = (char *)RELEASE,
		.modules_dir = modules_dir,
	};
	spec = (struct kdh_image_spec){
		.kernel = &kernel,
		.agent = agent,
		.modules = platform_modules,
		.capture_cmdline = "console=ttyS0 nr_cpus=1",
		.kexec_call = KDH_KEXEC_LOAD,
		.makedumpfile_args = makedumpfile_args,
		.kexec = HOST_PROGRAM,
		.makedumpfile = makedumpfile,
		.busybox = busybox,
	};
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tree_teardown(void)
{
	nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	g_clear_pointer(&tmp, g_free);
	g_clear_pointer(&vmlinuz, g_free);
	g_clear_pointer(&modules_dir, g_free);
	g_clear_pointer(&agent, g_free);
	g_clear_pointer(&makedumpfile, g_free);
	g_clear_pointer(&busybox, g_free);
}

struct entry {
	char *path;
	unsigned int type;
	unsigned int perm;
	unsigned int rdev_major;
	unsigned int rdev_minor;
	GBytes *data;
};

static void entry_free(struct entry *e)
{
	g_free(e->path);
	g_bytes_unref(e->data);
	g_free(e);
}

static struct entry *read_entry(struct archive *a, struct archive_entry *ae)
{
	struct entry *e = g_new0(struct entry, 1);
	gsize len = archive_entry_size(ae);
	char *data = g_malloc(len + 1);

	e->path = g_strdup(archive_entry_pathname(ae));
	e->type = archive_entry_filetype(ae);
	e->perm = archive_entry_perm(ae);
	e->rdev_major = archive_entry_rdevmajor(ae);
	e->rdev_minor = archive_entry_rdevminor(ae);
	ck_assert_int_eq(archive_read_data(a, data, len), (la_ssize_t)len);
	data[len] = '\0';
	e->data = g_bytes_new_take(data, len);
	return e;
}

/* The entries of a newc archive, in archive order. */
static GPtrArray *read_archive(GBytes *bytes)
{
	GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	gsize len = 0;
	const void *data = g_bytes_get_data(bytes, &len);
	int r;

	archive_read_support_format_cpio(a);
	ck_assert_int_eq(archive_read_open_memory(a, data, len), ARCHIVE_OK);
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		ck_assert_int_eq(archive_format(a), ARCHIVE_FORMAT_CPIO_SVR4_NOCRC);
		g_ptr_array_add(entries, read_entry(a, ae));
	}
	ck_assert_int_eq(r, ARCHIVE_EOF);
	archive_read_free(a);
	return entries;
}

static struct entry *find(GPtrArray *entries, const char *path)
{
	for (guint i = 0; i < entries->len; i++) {
		struct entry *e = entries->pdata[i];

		if (strcmp(e->path, path) == 0)
			return e;
	}
	return NULL;
}

static void assert_data(const struct entry *e, const char *expected)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(e->data, &len);

	ck_assert_uint_eq(len, strlen(expected));
	ck_assert_int_eq(memcmp(data, expected, len), 0);
}

/* Each path once, and each one's parent directory before it. */
static void assert_parents_first(GPtrArray *entries)
{
	g_autoptr(GHashTable) dirs = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < entries->len; i++) {
		struct entry *e = entries->pdata[i];
		g_autofree char *parent = g_path_get_dirname(e->path);

		ck_assert_msg(g_hash_table_add(seen, e->path), "'%s' twice", e->path);
		ck_assert_msg(strcmp(parent, ".") == 0 || g_hash_table_contains(dirs, parent),
			      "'%s' before its directory", e->path);
		if (e->type == AE_IFDIR)
			g_hash_table_add(dirs, e->path);
	}
}

/* What the capture image of the fake tree holds, in order: fixed directories,
 * console, agent and its configuration, modules in load order with their
 * directories, busybox (the spec names one), all of which the first image
 * holds too, then makedumpfile (not ELF: no libraries). */
static const struct {
	const char *path;
	unsigned int type;
} capture_listing[] = {
	{ "proc", AE_IFDIR },
	{ "sys", AE_IFDIR },
	{ "dev", AE_IFDIR },
	{ "kdh", AE_IFDIR },
	{ "tmp", AE_IFDIR },
	{ "dev/console", AE_IFCHR },
	{ "init", AE_IFREG },
	{ "kdh/agent.conf", AE_IFREG },
	{ "lib", AE_IFDIR },
	{ "lib/modules", AE_IFDIR },
	{ MODULES "", AE_IFDIR },
	{ MODULES "kernel", AE_IFDIR },
	{ MODULES "kernel/drivers", AE_IFDIR },
	{ MODULES "kernel/drivers/virtio", AE_IFDIR },
	{ MODULES "kernel/drivers/virtio/virtio_ring.ko", AE_IFREG },
	{ MODULES "kernel/drivers/virtio/virtio.ko", AE_IFREG },
	{ MODULES "kernel/drivers/block", AE_IFDIR },
	{ MODULES "kernel/drivers/block/virtio_blk.ko", AE_IFREG },
	{ "bin", AE_IFDIR },
	{ "bin/busybox", AE_IFREG },
	{ "sbin", AE_IFDIR },
	{ "sbin/makedumpfile", AE_IFREG },
};
/* the entries of capture_listing the first image begins with */
#define COMMON_N (G_N_ELEMENTS(capture_listing) - 2)

static void assert_capture_listing(GPtrArray *entries, guint n)
{
	for (guint i = 0; i < n; i++) {
		struct entry *e = entries->pdata[i];
		g_autofree char *path = g_strdup(capture_listing[i].path);

		/* MODULES "" ends in '/'; an archive path does not. */
		if (g_str_has_suffix(path, "/"))
			path[strlen(path) - 1] = '\0';
		ck_assert_str_eq(e->path, path);
		ck_assert_uint_eq(e->type, capture_listing[i].type);
	}
}

static GPtrArray *build(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = kdh_images_build(&spec, &error);

	ck_assert_msg(bytes, "%s", error ? error->message : "-");
	return read_archive(bytes);
}

static GPtrArray *host_libraries(void)
{
	const char *const argv[] = { "ldd", HOST_PROGRAM, NULL };
	g_autofree char *output = NULL;
	int status = -1;

	ck_assert(kdh_spawn_sync(argv, 30, &output, &status, NULL));
	ck_assert_int_eq(status, 0);
	return kdh_kernel_ldd_parse(output);
}

START_TEST(test_build_capture_listing)
{
	g_autoptr(GPtrArray) first = build();
	struct entry *img = find(first, "kdh/capture.img");
	g_autoptr(GPtrArray) capture = NULL;

	ck_assert_ptr_nonnull(img);
	capture = read_archive(img->data);
	ck_assert_uint_eq(capture->len, G_N_ELEMENTS(capture_listing));
	assert_capture_listing(capture, capture->len);
	assert_parents_first(capture);
	ck_assert_ptr_nonnull(find(capture, "init"));
	ck_assert_ptr_null(find(capture, "sbin/kexec"));
	ck_assert_ptr_null(find(capture, "kdh/vmlinuz"));
}
END_TEST

START_TEST(test_build_first_listing)
{
	g_autoptr(GPtrArray) first = build();
	g_autoptr(GPtrArray) libs = host_libraries();
	struct entry *kexec;
	guint n = COMMON_N;

	/* The entries both images hold, then kexec and its libraries, then the
	 * capture kernel and image last; no makedumpfile. */
	ck_assert_uint_gt(first->len, n + 4);
	assert_capture_listing(first, n);
	assert_parents_first(first);
	ck_assert_ptr_null(find(first, "sbin/makedumpfile"));
	kexec = first->pdata[n + 1];
	ck_assert_str_eq(kexec->path, "sbin/kexec");
	ck_assert_uint_eq(kexec->perm, 0755);
	ck_assert_str_eq(((struct entry *)first->pdata[first->len - 2])->path, "kdh/vmlinuz");
	ck_assert_str_eq(((struct entry *)first->pdata[first->len - 1])->path, "kdh/capture.img");
	/* /bin/true needs at least the C library and the dynamic loader. */
	ck_assert_uint_ge(libs->len, 2);
	for (guint i = 0; i < libs->len; i++) {
		const char *lib = libs->pdata[i];
		struct entry *e = find(first, lib + 1);
		GStatBuf st;

		ck_assert_msg(e, "no '%s'", lib);
		/* The loader is a symlink on Debian: stored as the file it points to. */
		ck_assert_uint_eq(e->type, AE_IFREG);
		ck_assert_int_eq(g_stat(lib, &st), 0);
		ck_assert_uint_eq(g_bytes_get_size(e->data), st.st_size);
	}
}
END_TEST

START_TEST(test_build_contents)
{
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) capture = NULL;
	struct entry *init;
	struct entry *console;
	struct entry *conf;

	spec.nmi_probe = TRUE;
	spec.sysctls = arm_sysctls;
	spec.sysrq_crash = TRUE;
	spec.sysrq_cpu = 1;
	first = build();
	init = find(first, "init");
	console = find(first, "dev/console");
	conf = find(first, "kdh/agent.conf");

	ck_assert_uint_eq(init->type, AE_IFREG);
	ck_assert_uint_eq(init->perm, 0755);
	assert_data(init, "AGENT");
	ck_assert_uint_eq(console->rdev_major, 5);
	ck_assert_uint_eq(console->rdev_minor, 1);
	assert_data(conf, "module=/" MODULES "kernel/drivers/virtio/virtio_ring.ko\n"
			  "module=/" MODULES "kernel/drivers/virtio/virtio.ko\n"
			  "module=/" MODULES "kernel/drivers/block/virtio_blk.ko\n"
			  "kexec=-p\n"
			  "kexec=/kdh/vmlinuz\n"
			  "kexec=--initrd=/kdh/capture.img\n"
			  "kexec=--append=console=ttyS0 nr_cpus=1\n"
			  "makedumpfile=-l\n"
			  "makedumpfile=-d\n"
			  "makedumpfile=31\n"
			  "dump_serial=kdhdump\n"
			  "nmi_probe=1\n"
			  "sysctl=kernel/unknown_nmi_panic=1\n"
			  "sysctl=kernel/panic=0\n"
			  "sysrq_cpu=1\n");
	assert_data(find(first, MODULES "kernel/drivers/virtio/virtio.ko"), "VIRTIO");
	assert_data(find(first, "bin/busybox"), "BUSYBOX");
	assert_data(find(first, "kdh/vmlinuz"), "VMLINUZ");
	capture = read_archive(find(first, "kdh/capture.img")->data);
	assert_data(find(capture, "sbin/makedumpfile"), "MAKEDUMPFILE");
}
END_TEST

/* No busybox named (no kdh.shell asked for): neither image holds a shell. */
START_TEST(test_build_no_shell)
{
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) capture = NULL;

	spec.busybox = NULL;
	first = build();
	capture = read_archive(find(first, "kdh/capture.img")->data);
	ck_assert_ptr_null(find(first, "bin/busybox"));
	ck_assert_ptr_null(find(capture, "bin/busybox"));
	ck_assert_ptr_nonnull(find(capture, "sbin/makedumpfile"));
	ck_assert_ptr_nonnull(find(first, "sbin/kexec"));
}
END_TEST

START_TEST(test_build_same_bytes)
{
	g_autoptr(GBytes) a = kdh_images_build(&spec, NULL);
	g_autoptr(GBytes) b = kdh_images_build(&spec, NULL);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(g_bytes_equal(a, b));
}
END_TEST

START_TEST(test_build_all_built_in)
{
	g_autoptr(GPtrArray) first = NULL;
	struct entry *img;
	g_autoptr(GPtrArray) capture = NULL;

	kernel.modules_dir = NULL;
	first = build();
	ck_assert_ptr_null(find(first, "lib/modules"));
	ck_assert_ptr_null(strstr(g_bytes_get_data(find(first, "kdh/agent.conf")->data, NULL), "module="));
	img = find(first, "kdh/capture.img");
	capture = read_archive(img->data);
	ck_assert_ptr_null(find(capture, "lib"));
	ck_assert_str_eq(((struct entry *)capture->pdata[capture->len - 1])->path, "sbin/makedumpfile");
}
END_TEST

static void assert_build_fails(GQuark domain, int code, const char *in_message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = kdh_images_build(&spec, &error);

	ck_assert_ptr_null(bytes);
	ck_assert_msg(g_error_matches(error, domain, code), "%s", error ? error->message : "-");
	ck_assert_msg(strstr(error->message, in_message), "%s", error->message);
}

START_TEST(test_build_unknown_module)
{
	static const char *const modules[] = { "virtio_blk", "virtio_scsi", NULL };

	spec.modules = modules;
	/* the kernel lacks it: not testable, not the harness's failure */
	assert_build_fails(KDH_IMAGES_ERROR, KDH_IMAGES_ERROR_MODULE, "'virtio_scsi'");
}
END_TEST

/* A kernel whose modules are .ko.xz (Debian's since 6.12): the module goes in
 * decompressed, as .ko, and agent.conf names that. A real module's bytes. */
START_TEST(test_build_compressed_module)
{
	static const char *const modules[] = { "nhc_ipv6", NULL };
	gsize len = 0;
	g_autofree char *xz = kdh_test_read_sample_len("module-nhc_ipv6.ko.xz", &len);
	g_autofree char *dir = g_build_filename(kdh_test_dir(), MODULES, NULL);
	g_autofree char *dep = g_build_filename(dir, "modules.dep", NULL);
	g_autofree char *ko = g_build_filename(dir, "kernel/net/nhc_ipv6.ko.xz", NULL);
	g_autofree char *ko_dir = g_path_get_dirname(ko);
	g_autoptr(GPtrArray) first = NULL;
	const struct entry *module;
	const char *conf;

	ck_assert_int_eq(g_mkdir_with_parents(ko_dir, 0755), 0);
	ck_assert(g_file_set_contents(ko, xz, len, NULL));
	ck_assert(g_file_set_contents(dep, "kernel/net/nhc_ipv6.ko.xz:\n", -1, NULL));
	kernel.modules_dir = dir;
	spec.modules = modules;
	first = build();
	module = find(first, MODULES "kernel/net/nhc_ipv6.ko");
	ck_assert_ptr_nonnull(module);
	ck_assert_int_eq(g_bytes_get_size(module->data), 7527);
	ck_assert(memcmp(g_bytes_get_data(module->data, NULL), "\177ELF", 4) == 0);
	ck_assert_ptr_null(find(first, MODULES "kernel/net/nhc_ipv6.ko.xz"));
	conf = g_bytes_get_data(find(first, "kdh/agent.conf")->data, NULL);
	ck_assert_ptr_nonnull(strstr(conf, "module=/" MODULES "kernel/net/nhc_ipv6.ko\n"));
}
END_TEST

/* A truncated .ko.xz: the kernel cannot be tested (KDH_IMAGES_ERROR_MODULE),
 * and the message names the module. */
START_TEST(test_build_truncated_module)
{
	static const char *const modules[] = { "nhc_ipv6", NULL };
	gsize len = 0;
	g_autofree char *xz = kdh_test_read_sample_len("module-nhc_ipv6.ko.xz", &len);
	g_autofree char *dir = g_build_filename(kdh_test_dir(), MODULES, NULL);
	g_autofree char *dep = g_build_filename(dir, "modules.dep", NULL);
	g_autofree char *ko = g_build_filename(dir, "nhc_ipv6.ko.xz", NULL);

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0755), 0);
	ck_assert(g_file_set_contents(ko, xz, len - 100, NULL));
	ck_assert(g_file_set_contents(dep, "nhc_ipv6.ko.xz:\n", -1, NULL));
	kernel.modules_dir = dir;
	spec.modules = modules;
	assert_build_fails(KDH_IMAGES_ERROR, KDH_IMAGES_ERROR_MODULE, "'nhc_ipv6.ko.xz'");
}
END_TEST

START_TEST(test_build_missing_program)
{
	g_autofree char *missing = g_build_filename(tmp, "no-busybox", NULL);

	spec.busybox = missing;
	assert_build_fails(G_IO_ERROR, G_IO_ERROR_NOT_FOUND, missing);
}
END_TEST

/* A value out of the enum (from a caller's bug) loads nothing silently: it is
 * refused. */
START_TEST(test_build_bad_kexec_mode)
{
	spec.kexec_call = KDH_KEXEC__COUNT;
	assert_build_fails(G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "kexec call 3: unknown");
}
END_TEST

static Suite *images_suite(void)
{
	Suite *s = suite_create("images");
	TCase *conf = tcase_create("conf");
	TCase *archive = tcase_create("archive");

	tcase_add_test(conf, test_conf_kexec_load);
	tcase_add_test(conf, test_conf_kexec_file_load);
	tcase_add_test(conf, test_conf_none);
	tcase_add_test(conf, test_conf_probe_and_trigger);
	suite_add_tcase(s, conf);

	tcase_add_unchecked_fixture(archive, tree_setup, tree_teardown);
	tcase_add_checked_fixture(archive, spec_setup, NULL);
	kdh_test_tmp_fixtures(archive);
	tcase_add_test(archive, test_build_capture_listing);
	tcase_add_test(archive, test_build_first_listing);
	tcase_add_test(archive, test_build_contents);
	tcase_add_test(archive, test_build_no_shell);
	tcase_add_test(archive, test_build_same_bytes);
	tcase_add_test(archive, test_build_all_built_in);
	tcase_add_test(archive, test_build_unknown_module);
	tcase_add_test(archive, test_build_compressed_module);
	tcase_add_test(archive, test_build_truncated_module);
	tcase_add_test(archive, test_build_missing_program);
	tcase_add_test(archive, test_build_bad_kexec_mode);
	suite_add_tcase(s, archive);
	return s;
}

int main(void)
{
	return kdh_test_run(images_suite());
}

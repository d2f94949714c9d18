/* harness/define/kernel.c on saved real samples (tests/data, or $KDH_TEST_DATA) and on
 * small trees in a temp dir. */
#define _GNU_SOURCE /* nftw */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "kdh-kernel.h"
#include "kdh-test.h"

#define RELEASE "6.1.0-56-amd64"

/* Whether ARRAY holds exactly the strings of EXPECTED, in that order. */
static void assert_strings(GPtrArray *array, const char *const *expected)
{
	guint n = g_strv_length((char **)expected);

	ck_assert_ptr_nonnull(array);
	for (guint i = 0; i < MIN(n, array->len); i++)
		ck_assert_str_eq(array->pdata[i], expected[i]);
	ck_assert_uint_eq(array->len, n);
}

START_TEST(test_bzimage_release_real)
{
	gsize len = 0;
	g_autofree char *head = kdh_test_read_sample_len("kernel-bzimage-head.bin", &len);
	g_autofree char *release = kdh_kernel_bzimage_release((const guint8 *)head, len);

	ck_assert_str_eq(release, RELEASE);
}
END_TEST

START_TEST(test_bzimage_release_not_bzimage)
{
	gsize len = 0;
	g_autofree char *head = kdh_test_read_sample_len("kernel-bzimage-head.bin", &len);
	g_autofree char *text = kdh_test_read_sample_len("ldd-kexec.txt", &len);
	guint8 zeros[0x400] = { 0 };

	ck_assert_ptr_null(kdh_kernel_bzimage_release(zeros, sizeof(zeros)));
	ck_assert_ptr_null(kdh_kernel_bzimage_release((const guint8 *)text, len));
	/* Shorter than the header. */
	ck_assert_ptr_null(kdh_kernel_bzimage_release((const guint8 *)head, 0x20f));
	/* Cut inside the version string (at 0x44c0 in the sample): no NUL, no release. */
	ck_assert_ptr_null(kdh_kernel_bzimage_release((const guint8 *)head, 0x44c4));
	/* Magic broken. */
	head[0x202] = 'X';
	ck_assert_ptr_null(kdh_kernel_bzimage_release((const guint8 *)head, len));
}
END_TEST

START_TEST(test_bzimage_release_no_version)
{
	gsize len = 0;
	g_autofree char *head = kdh_test_read_sample_len("kernel-bzimage-head.bin", &len);

	head[0x20e] = head[0x20f] = 0;
	ck_assert_ptr_null(kdh_kernel_bzimage_release((const guint8 *)head, len));
}
END_TEST

static GPtrArray *order(const char *const *names, GError **error)
{
	g_autofree char *dep = kdh_test_read_sample_len("kernel-modules.dep", NULL);
	g_autofree char *builtin = kdh_test_read_sample_len("kernel-modules.builtin", NULL);

	return kdh_kernel_modules_order(dep, builtin, names, error);
}

START_TEST(test_modules_order_deps_first)
{
	const char *const names[] = { "virtio_pci", "virtio_blk", NULL };
	/* modules.dep lists virtio_pci's dependencies as legacy_dev, modern_dev,
	 * virtio, virtio_ring: virtio needs virtio_ring, so the list's order alone
	 * would be wrong. */
	const char *const expected[] = {
		"kernel/drivers/virtio/virtio_ring.ko",
		"kernel/drivers/virtio/virtio.ko",
		"kernel/drivers/virtio/virtio_pci_modern_dev.ko",
		"kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
		"kernel/drivers/virtio/virtio_pci.ko",
		"kernel/drivers/block/virtio_blk.ko",
		NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) paths = order(names, &error);

	ck_assert_ptr_null(error);
	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_modules_order_deep)
{
	const char *const names[] = { "hv_storvsc", "sd_mod", NULL };
	const char *const expected[] = {
		"kernel/drivers/hv/hv_vmbus.ko",
		"kernel/drivers/scsi/scsi_common.ko",
		"kernel/drivers/scsi/scsi_mod.ko",
		"kernel/drivers/scsi/scsi_transport_fc.ko",
		"kernel/drivers/scsi/hv_storvsc.ko",
		"kernel/crypto/crct10dif_common.ko",
		"kernel/lib/crc64.ko",
		"kernel/lib/crc-t10dif.ko",
		"kernel/lib/crc64-rocksoft.ko",
		"kernel/block/t10-pi.ko",
		"kernel/drivers/scsi/sd_mod.ko",
		NULL,
	};
	g_autoptr(GPtrArray) paths = order(names, NULL);

	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_modules_order_dash_underscore)
{
	/* The file is virtio-rng.ko and pvpanic-pci.ko; hv_sock asked with a dash. */
	const char *const names[] = { "virtio_rng", "pvpanic-pci", "hv-sock", NULL };
	const char *const expected[] = {
		"kernel/drivers/virtio/virtio_ring.ko",
		"kernel/drivers/virtio/virtio.ko",
		"kernel/drivers/char/hw_random/virtio-rng.ko",
		"kernel/drivers/misc/pvpanic/pvpanic.ko",
		"kernel/drivers/misc/pvpanic/pvpanic-pci.ko",
		"kernel/drivers/hv/hv_vmbus.ko",
		"kernel/net/vmw_vsock/vsock.ko",
		"kernel/net/vmw_vsock/hv_sock.ko",
		NULL,
	};
	g_autoptr(GPtrArray) paths = order(names, NULL);

	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_modules_order_each_once)
{
	const char *const names[] = { "virtio_blk", "virtio_net", "virtio_blk", "virtio", NULL };
	const char *const expected[] = {
		"kernel/drivers/virtio/virtio_ring.ko",
		"kernel/drivers/virtio/virtio.ko",
		"kernel/drivers/block/virtio_blk.ko",
		"kernel/net/core/failover.ko",
		"kernel/drivers/net/net_failover.ko",
		"kernel/drivers/net/virtio_net.ko",
		NULL,
	};
	g_autoptr(GPtrArray) paths = order(names, NULL);

	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_modules_order_builtin_skipped)
{
	/* crc32 and 8250 are built into Debian's kernel; serial_core with a dash. */
	const char *const names[] = { "crc32", "virtio_console", "8250", "serial-core", NULL };
	const char *const expected[] = {
		"kernel/drivers/virtio/virtio_ring.ko",
		"kernel/drivers/virtio/virtio.ko",
		"kernel/drivers/char/virtio_console.ko",
		NULL,
	};
	g_autoptr(GPtrArray) paths = order(names, NULL);

	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_modules_order_unknown)
{
	const char *const names[] = { "virtio_blk", "no_such_mod", NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) paths = order(names, &error);

	ck_assert_ptr_null(paths);
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
	ck_assert_ptr_nonnull(strstr(error->message, "'no_such_mod'"));
}
END_TEST

START_TEST(test_modules_order_no_files)
{
	const char *const names[] = { "virtio_blk", NULL };
	const char *const none[] = { NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) empty = kdh_kernel_modules_order(NULL, NULL, none, NULL);
	g_autoptr(GPtrArray) paths = kdh_kernel_modules_order(NULL, NULL, names, &error);

	ck_assert_ptr_nonnull(empty);
	ck_assert_uint_eq(empty->len, 0);
	ck_assert_ptr_null(paths);
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
}
END_TEST

START_TEST(test_modules_order_bad_line)
{
	const char *const names[] = { "b", NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) paths = kdh_kernel_modules_order("kernel/a.ko:\nkernel/b.ko kernel/a.ko\n",
							      NULL, names, &error);

	ck_assert_ptr_null(paths);
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
	ck_assert_ptr_nonnull(strstr(error->message, "line 2"));
}
END_TEST

START_TEST(test_ldd_parse_kexec)
{
	g_autofree char *text = kdh_test_read_sample_len("ldd-kexec.txt", NULL);
	g_autoptr(GPtrArray) paths = kdh_kernel_ldd_parse(text);
	const char *const expected[] = {
		"/lib/x86_64-linux-gnu/libxenctrl.so.4.17",
		"/lib/x86_64-linux-gnu/libc.so.6",
		"/lib/x86_64-linux-gnu/libxentoollog.so.1",
		"/lib/x86_64-linux-gnu/libxencall.so.1",
		"/lib/x86_64-linux-gnu/libxenevtchn.so.1",
		"/lib/x86_64-linux-gnu/libxengnttab.so.1",
		"/lib/x86_64-linux-gnu/libxenforeignmemory.so.1",
		"/lib/x86_64-linux-gnu/libxendevicemodel.so.1",
		"/lib64/ld-linux-x86-64.so.2",
		"/lib/x86_64-linux-gnu/libxentoolcore.so.1",
		NULL,
	};

	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_ldd_parse_makedumpfile)
{
	g_autofree char *text = kdh_test_read_sample_len("ldd-makedumpfile.txt", NULL);
	g_autoptr(GPtrArray) paths = kdh_kernel_ldd_parse(text);
	const char *const expected[] = {
		"/lib/x86_64-linux-gnu/liblzo2.so.2",
		"/lib/x86_64-linux-gnu/libdw.so.1",
		"/lib/x86_64-linux-gnu/libelf.so.1",
		"/lib/x86_64-linux-gnu/libz.so.1",
		"/lib/x86_64-linux-gnu/libc.so.6",
		"/lib/x86_64-linux-gnu/liblzma.so.5",
		"/lib/x86_64-linux-gnu/libbz2.so.1.0",
		"/lib64/ld-linux-x86-64.so.2",
		NULL,
	};

	assert_strings(paths, expected);
}
END_TEST

START_TEST(test_ldd_parse_no_paths)
{
	/* Static programs, an old glibc's vDSO line, a missing library, a repeat. */
	const char *text = "\tnot a dynamic executable\n"
			   "\tstatically linked\n"
			   "\tlinux-vdso.so.1 =>  (0x00007ffd5a1f2000)\n"
			   "\tlibfoo.so.1 => not found\n"
			   "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c)\n"
			   "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c)\n";
	const char *const expected[] = { "/lib/x86_64-linux-gnu/libc.so.6", NULL };
	g_autoptr(GPtrArray) paths = kdh_kernel_ldd_parse(text);
	g_autoptr(GPtrArray) empty = kdh_kernel_ldd_parse("");

	assert_strings(paths, expected);
	ck_assert_uint_eq(empty->len, 0);
}
END_TEST

/* A failed assertion ends a test's process before its teardown runs, so the
 * temp dir is made and removed by the parent, and each test works in a fresh
 * directory inside it. */
static char *top;
static char *tmp;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void top_setup(void)
{
	top = g_dir_make_tmp("kdh-test-kernel-XXXXXX", NULL);
	ck_assert_ptr_nonnull(top);
}

static void top_teardown(void)
{
	nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	g_clear_pointer(&top, g_free);
}

static void tmp_setup(void)
{
	tmp = g_build_filename(top, "test-XXXXXX", NULL);
	ck_assert_ptr_nonnull(g_mkdtemp(tmp));
}

static void tmp_teardown(void)
{
	g_clear_pointer(&tmp, g_free);
}

/* TMP/RELATIVE with CONTENTS, parents made. */
static char *put(const char *relative, const char *contents, gsize len)
{
	g_autofree char *path = g_build_filename(tmp, relative, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0755), 0);
	ck_assert(g_file_set_contents(path, contents, len, NULL));
	return g_steal_pointer(&path);
}

static char *put_bzimage(const char *relative)
{
	gsize len = 0;
	g_autofree char *head = kdh_test_read_sample_len("kernel-bzimage-head.bin", &len);

	return put(relative, head, len);
}

/* Resolve the one SPEC with the test's cache. */
static gboolean resolve(const char *spec, struct kdh_kernel *k, GError **error)
{
	const char *const specs[] = { spec, NULL };
	g_autofree char *cache = g_build_filename(tmp, "cache", NULL);

	return kdh_kernel_resolve(specs, cache, k, error);
}

START_TEST(test_resolve_package)
{
	g_autofree char *vmlinuz = put_bzimage("pkg/boot/vmlinuz-" RELEASE);
	g_autofree char *dep = put("pkg/lib/modules/" RELEASE "/modules.dep", "", 0);
	g_autofree char *spec = g_build_filename(tmp, "pkg", NULL);
	g_autofree char *modules_dir = g_path_get_dirname(dep);
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;

	ck_assert(resolve(spec, &k, &error));
	ck_assert_str_eq(k.vmlinuz, vmlinuz);
	ck_assert_str_eq(k.release, RELEASE);
	ck_assert_str_eq(k.modules_dir, modules_dir);
	kdh_kernel_clear(&k);
	ck_assert_ptr_null(k.vmlinuz);
}
END_TEST

START_TEST(test_resolve_package_merged_usr)
{
	g_autofree char *vmlinuz = put_bzimage("pkg/boot/vmlinuz-" RELEASE);
	g_autofree char *dep = put("pkg/usr/lib/modules/" RELEASE "/modules.dep", "", 0);
	g_autofree char *spec = g_build_filename(tmp, "pkg", NULL);
	g_autofree char *modules_dir = g_path_get_dirname(dep);
	struct kdh_kernel k = { 0 };

	ck_assert(resolve(spec, &k, NULL));
	ck_assert_str_eq(k.modules_dir, modules_dir);
	kdh_kernel_clear(&k);
}
END_TEST

START_TEST(test_resolve_build_tree)
{
	g_autofree char *vmlinuz = put_bzimage("linux/arch/x86/boot/bzImage");
	g_autofree char *spec = g_build_filename(tmp, "linux", NULL);
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;

	ck_assert(resolve(spec, &k, &error));
	ck_assert_str_eq(k.vmlinuz, vmlinuz);
	ck_assert_str_eq(k.release, RELEASE);
	/* No lib/modules beneath it: everything built in. */
	ck_assert_ptr_null(k.modules_dir);
	kdh_kernel_clear(&k);
}
END_TEST

START_TEST(test_resolve_bzimage_file)
{
	g_autofree char *vmlinuz = put_bzimage("root/boot/vmlinuz-" RELEASE);
	g_autofree char *dep = put("root/lib/modules/" RELEASE "/modules.dep", "", 0);
	g_autofree char *modules_dir = g_path_get_dirname(dep);
	struct kdh_kernel k = { 0 };

	ck_assert(resolve(vmlinuz, &k, NULL));
	ck_assert_str_eq(k.vmlinuz, vmlinuz);
	ck_assert_str_eq(k.release, RELEASE);
	ck_assert_str_eq(k.modules_dir, modules_dir);
	kdh_kernel_clear(&k);
}
END_TEST

static void assert_resolve_fails(const char *spec, int code, const char *in_message)
{
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;

	ck_assert(!resolve(spec, &k, &error));
	ck_assert_msg(g_error_matches(error, G_IO_ERROR, code), "%s", error ? error->message : "-");
	ck_assert_ptr_nonnull(strstr(error->message, spec));
	ck_assert_msg(strstr(error->message, in_message), "%s", error->message);
	ck_assert_ptr_null(k.vmlinuz);
}

START_TEST(test_resolve_errors)
{
	g_autofree char *missing = g_build_filename(tmp, "missing", NULL);
	g_autofree char *text = put("text/boot/vmlinuz-1", "not a kernel", 12);
	g_autofree char *empty = put("empty/boot/README", "", 0);
	g_autofree char *two = put_bzimage("two/boot/vmlinuz-a");
	g_autofree char *two_b = put_bzimage("two/boot/vmlinuz-b");
	g_autofree char *nodep = put_bzimage("nodep/boot/vmlinuz-" RELEASE);
	g_autofree char *nodep_ko = put("nodep/lib/modules/" RELEASE "/kernel/x.ko", "", 0);
	g_autofree char *empty_dir = g_build_filename(tmp, "empty", NULL);
	g_autofree char *two_dir = g_build_filename(tmp, "two", NULL);
	g_autofree char *nodep_dir = g_build_filename(tmp, "nodep", NULL);

	assert_resolve_fails(missing, G_IO_ERROR_NOT_FOUND, "no such file");
	assert_resolve_fails(text, G_IO_ERROR_INVALID_DATA, "not a bzImage");
	assert_resolve_fails(empty_dir, G_IO_ERROR_NOT_FOUND, "boot/vmlinuz-*");
	assert_resolve_fails(two_dir, G_IO_ERROR_INVALID_DATA, "more than one");
	assert_resolve_fails(nodep_dir, G_IO_ERROR_INVALID_DATA, "no modules.dep");
}
END_TEST

/* The image beside its modules: Fedora's kernel-core, newer Debian packages. */
START_TEST(test_resolve_image_beside_modules)
{
	static const char *const roots[] = { "lib/modules/", "usr/lib/modules/" };

	for (gsize i = 0; i < G_N_ELEMENTS(roots); i++) {
		g_autofree char *top = g_strdup_printf("beside%zu", i);
		g_autofree char *rel = g_strconcat(top, "/", roots[i], RELEASE, "/vmlinuz", NULL);
		g_autofree char *vmlinuz = put_bzimage(rel);
		g_autofree char *modules_dir = g_path_get_dirname(vmlinuz);
		g_autofree char *dep = g_build_filename(modules_dir, "modules.dep", NULL);
		g_autofree char *spec = g_build_filename(tmp, top, NULL);
		struct kdh_kernel k = { 0 };
		g_autoptr(GError) error = NULL;

		ck_assert(g_file_set_contents(dep, "", 0, NULL));
		/* the directory, and the image file itself */
		ck_assert_msg(resolve(spec, &k, &error), "%s", error ? error->message : "");
		ck_assert_str_eq(k.vmlinuz, vmlinuz);
		ck_assert_str_eq(k.release, RELEASE);
		ck_assert_str_eq(k.modules_dir, modules_dir);
		kdh_kernel_clear(&k);
		ck_assert(resolve(vmlinuz, &k, NULL));
		ck_assert_str_eq(k.modules_dir, modules_dir);
		kdh_kernel_clear(&k);
	}
}
END_TEST

/* A build tree with CONFIG_MODULES=y: its modules are installed into the cache
 * with make modules_install, once per state of the modules. The tree's
 * Makefile is a stand-in that installs one module and counts its calls. */
START_TEST(test_resolve_build_tree_modules)
{
	g_autofree char *bzimage = put_bzimage("tree/arch/x86/boot/bzImage");
	g_autofree char *config = put("tree/.config", "#\nCONFIG_MODULES=y\n", -1);
	g_autofree char *order = put("tree/modules.order", "drivers/block/virtio_blk.o\n", -1);
	g_autofree char *ko = put("tree/drivers/block/virtio_blk.ko", "KO", -1);
	g_autofree char *makefile = put("tree/Makefile",
					"modules_install:\n"
					"\techo call >> calls\n"
					"\tmkdir -p $(INSTALL_MOD_PATH)/lib/modules/" RELEASE "/kernel\n"
					"\tcp drivers/block/virtio_blk.ko $(INSTALL_MOD_PATH)/lib/modules/"
					RELEASE "/kernel/\n"
					"\tprintf 'kernel/virtio_blk.ko:\\n' > $(INSTALL_MOD_PATH)/lib/modules/"
					RELEASE "/modules.dep\n",
					-1);
	g_autofree char *tree = g_build_filename(tmp, "tree", NULL);
	g_autofree char *calls_path = g_build_filename(tree, "calls", NULL);
	g_autofree char *calls = NULL;
	g_autofree char *first_dir = NULL;
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;
	GStatBuf st;

	ck_assert_msg(resolve(tree, &k, &error), "%s", error ? error->message : "");
	ck_assert_str_eq(k.vmlinuz, bzimage);
	ck_assert_ptr_nonnull(strstr(k.modules_dir, "/cache/kernels/modules-" RELEASE "-"));
	ck_assert(g_str_has_suffix(k.modules_dir, "/lib/modules/" RELEASE));
	ck_assert(g_stat(k.modules_dir, &st) == 0);
	first_dir = g_strdup(k.modules_dir);
	kdh_kernel_clear(&k);
	/* the same modules: the cache, no second install */
	ck_assert(resolve(tree, &k, NULL));
	ck_assert_str_eq(k.modules_dir, first_dir);
	kdh_kernel_clear(&k);
	ck_assert(g_file_get_contents(calls_path, &calls, NULL, NULL));
	ck_assert_str_eq(calls, "call\n");
	/* a rebuilt module: a new entry */
	g_free(put("tree/drivers/block/virtio_blk.ko", "KO, rebuilt", -1));
	ck_assert(resolve(tree, &k, NULL));
	ck_assert_str_ne(k.modules_dir, first_dir);
	kdh_kernel_clear(&k);
}
END_TEST

/* A .deb made by dpkg-deb from an installed-style tree holding a real
 * compressed module: unpacked into the cache, depmod run, resolved. */
START_TEST(test_resolve_deb)
{
	g_autofree char *module = kdh_test_read_sample_len("module-nhc_ipv6.ko.xz", NULL);
	g_autofree char *vmlinuz = put_bzimage("staging/boot/vmlinuz-" RELEASE);
	g_autofree char *control = put("staging/DEBIAN/control",
				       "Package: linux-image-test\nVersion: 1\nArchitecture: amd64\n"
				       "Maintainer: kdh tests <kdh@localhost>\nDescription: test\n",
				       -1);
	g_autofree char *staging = g_build_filename(tmp, "staging", NULL);
	g_autofree char *deb = g_build_filename(tmp, "linux-image-test.deb", NULL);
	g_autofree char *output = NULL;
	g_autofree char *errors = NULL;
	g_autofree char *dep = NULL;
	g_autofree char *again = NULL;
	const char *const argv[] = { "dpkg-deb", "--build", "-Zxz", staging, deb, NULL };
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	int status = -1;

	g_free(kdh_test_read_sample_len("module-nhc_ipv6.ko.xz", &len));
	g_free(put("staging/lib/modules/" RELEASE "/kernel/net/nhc_ipv6.ko.xz", module, len));
	ck_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output,
			       &errors, &status, NULL));
	ck_assert_msg(status == 0, "dpkg-deb: %s%s", output, errors);
	ck_assert_msg(resolve(deb, &k, &error), "%s", error ? error->message : "");
	ck_assert_ptr_nonnull(strstr(k.vmlinuz, "/cache/kernels/packages-"));
	ck_assert(g_str_has_suffix(k.vmlinuz, "/boot/vmlinuz-" RELEASE));
	ck_assert_str_eq(k.release, RELEASE);
	dep = g_build_filename(k.modules_dir, "modules.dep", NULL);
	ck_assert(g_file_get_contents(dep, &again, NULL, NULL));
	ck_assert_str_eq(again, "kernel/net/nhc_ipv6.ko.xz:\n");
	again = (g_free(again), g_strdup(k.vmlinuz));
	kdh_kernel_clear(&k);
	/* the same contents: the same entry */
	ck_assert(resolve(deb, &k, NULL));
	ck_assert_str_eq(k.vmlinuz, again);
	kdh_kernel_clear(&k);
}
END_TEST

/* An RPM laid out as Fedora's kernel-core: the image beside its modules, in
 * usr/lib/modules/R. Built here with rpmbuild (Debian's rpm package), read by
 * libarchive. */
START_TEST(test_resolve_rpm)
{
	gsize len = 0;
	g_autofree char *module = kdh_test_read_sample_len("module-nhc_ipv6.ko.xz", &len);
	g_autofree char *ko = NULL;
	g_autofree char *spec_file = put("src/kernel-core.spec",
					 "Name: kernel-core-test\nVersion: 1\nRelease: 1\n"
					 "Summary: t\nLicense: GPL\n%description\nt\n"
					 "%install\ncp -a %{_sourcedir}/root/. %{buildroot}/\n"
					 "%files\n/usr/lib/modules\n",
					 -1);
	g_autofree char *src = g_build_filename(tmp, "src", NULL);
	g_autofree char *topdir = g_strconcat("_topdir ", tmp, "/rpmbuild", NULL);
	g_autofree char *sourcedir = g_strconcat("_sourcedir ", src, NULL);
	g_autofree char *rpm = g_build_filename(tmp, "rpmbuild", "RPMS", "x86_64",
						"kernel-core-test-1-1.x86_64.rpm", NULL);
	g_autofree char *output = NULL;
	g_autofree char *errors = NULL;
	const char *const argv[] = { "rpmbuild", "-bb", "--define", topdir, "--define", sourcedir,
				     "--define", "__os_install_post %{nil}",
				     "--define", "_build_id_links none", spec_file, NULL };
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;
	int status = -1;

	g_free(put_bzimage("src/root/usr/lib/modules/" RELEASE "/vmlinuz"));
	ko = put("src/root/usr/lib/modules/" RELEASE "/kernel/nhc_ipv6.ko.xz", module, len);
	ck_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output,
			       &errors, &status, NULL));
	ck_assert_msg(status == 0, "rpmbuild: %s%s", output, errors);
	ck_assert_msg(resolve(rpm, &k, &error), "%s", error ? error->message : "");
	ck_assert_ptr_nonnull(strstr(k.vmlinuz, "/cache/kernels/packages-"));
	ck_assert(g_str_has_suffix(k.vmlinuz, "/usr/lib/modules/" RELEASE "/vmlinuz"));
	ck_assert(g_str_has_suffix(k.modules_dir, "/usr/lib/modules/" RELEASE));
	kdh_kernel_clear(&k);
}
END_TEST

START_TEST(test_resolve_not_a_package)
{
	g_autofree char *text = put("fake.deb", "not an archive", -1);
	g_autofree char *image = put_bzimage("x/boot/vmlinuz-" RELEASE);
	g_autofree char *cache = g_build_filename(tmp, "cache", NULL);
	const char *const mixed[] = { text, image, NULL };
	struct kdh_kernel k = { 0 };
	g_autoptr(GError) error = NULL;

	ck_assert(!resolve(text, &k, &error));
	ck_assert_msg(strstr(error->message, text), "%s", error->message);
	g_clear_error(&error);
	ck_assert(!kdh_kernel_resolve(mixed, cache, &k, &error));
	ck_assert_msg(strstr(error->message, "not a .deb or .rpm"), "%s", error->message);
	ck_assert_ptr_null(k.vmlinuz);
	/* nothing half-made is left in the cache */
	{
		g_autofree char *kernels = g_build_filename(cache, "kernels", NULL);
		g_autoptr(GDir) d = g_dir_open(kernels, 0, NULL);

		ck_assert(!d || !g_dir_read_name(d));
	}
}
END_TEST

START_TEST(test_clear_zeroed)
{
	struct kdh_kernel k = { 0 };

	kdh_kernel_clear(&k);
	kdh_kernel_clear(NULL);
	ck_assert_ptr_null(k.release);
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *pure = tcase_create("pure");
	TCase *files = tcase_create("files");

	tcase_add_test(pure, test_bzimage_release_real);
	tcase_add_test(pure, test_bzimage_release_not_bzimage);
	tcase_add_test(pure, test_bzimage_release_no_version);
	tcase_add_test(pure, test_modules_order_deps_first);
	tcase_add_test(pure, test_modules_order_deep);
	tcase_add_test(pure, test_modules_order_dash_underscore);
	tcase_add_test(pure, test_modules_order_each_once);
	tcase_add_test(pure, test_modules_order_builtin_skipped);
	tcase_add_test(pure, test_modules_order_unknown);
	tcase_add_test(pure, test_modules_order_no_files);
	tcase_add_test(pure, test_modules_order_bad_line);
	tcase_add_test(pure, test_ldd_parse_kexec);
	tcase_add_test(pure, test_ldd_parse_makedumpfile);
	tcase_add_test(pure, test_ldd_parse_no_paths);
	tcase_add_test(pure, test_clear_zeroed);
	suite_add_tcase(s, pure);

	tcase_add_unchecked_fixture(files, top_setup, top_teardown);
	tcase_add_checked_fixture(files, tmp_setup, tmp_teardown);
	tcase_add_test(files, test_resolve_package);
	tcase_add_test(files, test_resolve_package_merged_usr);
	tcase_add_test(files, test_resolve_build_tree);
	tcase_add_test(files, test_resolve_bzimage_file);
	tcase_add_test(files, test_resolve_errors);
	tcase_add_test(files, test_resolve_image_beside_modules);
	tcase_add_test(files, test_resolve_build_tree_modules);
	tcase_add_test(files, test_resolve_deb);
	tcase_add_test(files, test_resolve_rpm);
	tcase_add_test(files, test_resolve_not_a_package);
	suite_add_tcase(s, files);
	return s;
}

int main(void)
{
	return kdh_test_run(kernel_suite());
}

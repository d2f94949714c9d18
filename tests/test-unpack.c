/* Compressed modules read through libarchive: a real module of Debian's 6.12
 * package (xz, as shipped) and the same module recompressed with zstd and gzip. */
#include <check.h>
#include <string.h>
#include <gio/gio.h>

#include "kdh-test.h"
#include "kdh-unpack.h"

/* sha256 of nhc_ipv6.ko as `xz -dc` gives it (tests/data/README.md). */
#define MODULE_SHA256 "991b5001b80309f97b1fdbe37911e7f4dbfed2aeddc48611c2fe488e629c7421"

static char *sample_path(const char *name)
{
	return g_build_filename(kdh_test_data_dir(), name, NULL);
}

START_TEST(test_decompress_each_filter)
{
	static const char *const names[] = { "module-nhc_ipv6.ko.xz", "module-nhc_ipv6.ko.zst",
					     "module-nhc_ipv6.ko.gz" };

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = sample_path(names[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) data = kdh_unpack_file(path, &error);
		g_autofree char *sum = NULL;
		gsize len = 0;
		const guint8 *bytes;

		ck_assert_msg(data, "%s: %s", names[i], error ? error->message : "");
		bytes = g_bytes_get_data(data, &len);
		ck_assert_int_eq(len, 7527);
		ck_assert(memcmp(bytes, "\177ELF", 4) == 0);
		sum = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
		ck_assert_str_eq(sum, MODULE_SHA256);
	}
}
END_TEST

/* An uncompressed file comes through the same reader unchanged. */
START_TEST(test_plain_file_unchanged)
{
	g_autofree char *path = sample_path("kernel-modules.dep");
	g_autofree char *text = kdh_test_read_sample("kernel-modules.dep");
	g_autoptr(GBytes) data = kdh_unpack_file(path, NULL);
	gsize len = 0;
	const char *bytes;

	ck_assert_ptr_nonnull(data);
	bytes = g_bytes_get_data(data, &len);
	ck_assert_int_eq(len, strlen(text));
	ck_assert(memcmp(bytes, text, len) == 0);
}
END_TEST

/* A truncated download: an error that names the file, never a short module. */
START_TEST(test_truncated_fails)
{
	gsize len = 0;
	g_autofree char *xz = kdh_test_read_sample_len("module-nhc_ipv6.ko.xz", &len);
	g_autofree char *path = g_build_filename(kdh_test_dir(), "cut.ko.xz", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = NULL;

	ck_assert(g_file_set_contents(path, xz, len / 2, NULL));
	data = kdh_unpack_file(path, &error);
	ck_assert_ptr_null(data);
	ck_assert_msg(strstr(error->message, path), "%s", error->message);
}
END_TEST

START_TEST(test_missing_fails)
{
	g_autofree char *path = g_build_filename(kdh_test_dir(), "none.ko.zst", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = kdh_unpack_file(path, &error);

	ck_assert_ptr_null(data);
	ck_assert_msg(strstr(error->message, path), "%s", error->message);
}
END_TEST

START_TEST(test_compression_suffix)
{
	ck_assert_str_eq(kdh_unpack_compression_suffix("a/virtio_blk.ko.xz"), ".xz");
	ck_assert_str_eq(kdh_unpack_compression_suffix("virtio_blk.ko.zst"), ".zst");
	ck_assert_str_eq(kdh_unpack_compression_suffix("virtio_blk.ko.gz"), ".gz");
	ck_assert_ptr_null(kdh_unpack_compression_suffix("virtio_blk.ko"));
	ck_assert_ptr_null(kdh_unpack_compression_suffix("xz"));
}
END_TEST

static Suite *unpack_suite(void)
{
	Suite *s = suite_create("unpack");
	TCase *tc = tcase_create("modules");

	kdh_test_tmp_fixtures(tc);
	tcase_add_test(tc, test_decompress_each_filter);
	tcase_add_test(tc, test_plain_file_unchanged);
	tcase_add_test(tc, test_truncated_fails);
	tcase_add_test(tc, test_missing_fails);
	tcase_add_test(tc, test_compression_suffix);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(unpack_suite());
}

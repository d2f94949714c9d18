/* Unit tests of harness/drive/virt.c on libvirt's test driver (test:///default, in
 * this process, shared by its connections): no hypervisor, no daemon. */
#include <string.h>
#include <check.h>

#include "kdh-test.h"
#include "kdh-virt.h"

static gboolean always_stale(const char *name)
{
	(void)name;
	return TRUE;
}

/* A pool with a volume, deleted: nothing to tell. */
START_TEST(test_pool_deleted)
{
	g_autoptr(GError) error = NULL;
	struct kdh_virt *v = kdh_virt_open("test:///default", &error);
	struct kdh_virt_pool *p;
	g_autoptr(GPtrArray) problems = NULL;
	g_autofree char *path = NULL;

	ck_assert_msg(v, "%s", error ? error->message : "");
	p = kdh_virt_pool_create(v, "kdh-test-clean", kdh_test_dir(), &error);
	ck_assert_msg(p, "%s", error ? error->message : "");
	ck_assert_msg(kdh_virt_pool_create_volume(p, "dump", 1 << 20, &path, &error), "%s",
		      error ? error->message : "");
	problems = kdh_virt_pool_delete(p);
	ck_assert_msg(problems->len == 0, "%s", problems->len ? (char *)problems->pdata[0] : "");
	kdh_virt_free(v);
}
END_TEST

/* A pool that something else removed (here a reap on a second connection):
 * each step that fails is told, naming the pool, and the rest still tried. */
START_TEST(test_pool_delete_tells_problems)
{
	g_autoptr(GError) error = NULL;
	struct kdh_virt *v = kdh_virt_open("test:///default", &error);
	struct kdh_virt *other = kdh_virt_open("test:///default", &error);
	g_autoptr(GPtrArray) reap_problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) reaped = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	struct kdh_virt_pool *p;
	g_autofree char *path = NULL;

	ck_assert(v && other);
	p = kdh_virt_pool_create(v, "kdh-test-gone", kdh_test_dir(), &error);
	ck_assert_msg(p, "%s", error ? error->message : "");
	ck_assert(kdh_virt_pool_create_volume(p, "dump", 1 << 20, &path, &error));
	reaped = kdh_virt_reap(other, "kdh-test-gone", always_stale, reap_problems);
	ck_assert_int_eq(reaped->len, 1);
	ck_assert_str_eq(reaped->pdata[0], "storage pool 'kdh-test-gone'");
	ck_assert_msg(reap_problems->len == 0, "%s", (char *)reap_problems->pdata[0]);
	problems = kdh_virt_pool_delete(p);
	ck_assert_uint_eq(problems->len, 4);
	for (guint i = 0; i < problems->len; i++)
		ck_assert_msg(strstr(problems->pdata[i], "storage pool 'kdh-test-gone': "), "%s",
			      (char *)problems->pdata[i]);
	ck_assert(g_str_has_prefix(problems->pdata[0], "cannot list the volumes of "));
	ck_assert(g_str_has_prefix(problems->pdata[3], "cannot undefine "));
	kdh_virt_free(other);
	kdh_virt_free(v);
}
END_TEST

static Suite *virt_suite(void)
{
	Suite *s = suite_create("virt");
	TCase *tc = tcase_create("pool");

	kdh_test_tmp_fixtures(tc);
	tcase_add_test(tc, test_pool_deleted);
	tcase_add_test(tc, test_pool_delete_tells_problems);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(virt_suite());
}

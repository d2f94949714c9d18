/* The fuzzer's inputs, replayed: tests/fuzz/inputs/ holds every input that once
 * crashed tests/fuzz-inputs.c (and seeds); each must go through again. Under
 * the unit tests' compiler, without the fuzzer's sanitizers; `make fuzz-inputs`
 * runs them with. */
#include <check.h>

#include "fuzz-inputs.c"
#include "kdh-test.h"

START_TEST(test_replay)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open("tests/fuzz/inputs", 0, &error);
	const char *name;
	guint n = 0;

	ck_assert_msg(dir, "%s", error ? error->message : "");
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename("tests/fuzz/inputs", name, NULL);
		g_autofree char *data = NULL;
		gsize len;

		ck_assert(g_file_get_contents(path, &data, &len, NULL));
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		n++;
	}
	ck_assert_uint_gt(n, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz-inputs");
	TCase *tc = tcase_create("replay");

	tcase_add_test(tc, test_replay);
	suite_add_tcase(s, tc);
	return kdh_test_run(s);
}

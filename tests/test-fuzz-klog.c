/* The fuzzer's inputs, replayed: tests/fuzz/klog/ holds every input that once
 * crashed tests/fuzz-klog.c (and seeds); each must go through again. Under
 * the unit tests' compiler, without the fuzzer's sanitizers; `make fuzz-klog`
 * runs them with. */
#include <check.h>

#include "fuzz-klog.c"
#include "kdh-test.h"

START_TEST(test_replay)
{
	kdh_test_replay_dir("tests/fuzz/klog", LLVMFuzzerTestOneInput);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz-klog");
	TCase *tc = tcase_create("replay");

	tcase_add_test(tc, test_replay);
	suite_add_tcase(s, tc);
	return kdh_test_run(s);
}

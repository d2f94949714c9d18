/* The fuzzer's inputs, replayed: tests/fuzz/inputs/ holds every input that once
 * crashed tests/fuzz-inputs.c (and seeds); each must go through again. Under
 * the unit tests' compiler, without the fuzzer's sanitizers; `make fuzz-inputs`
 * runs them with. */
#include <check.h>

#include "fuzz-inputs.c"
#include "kdh-test.h"

START_TEST(test_replay)
{
	kdh_test_replay_dir("tests/fuzz/inputs", LLVMFuzzerTestOneInput);
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

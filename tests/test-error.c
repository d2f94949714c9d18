/* Unit tests of harness/error.c: the one table from KDH_ERROR codes to exit
 * codes, and no other domain deciding one. */
#include <check.h>
#include <gio/gio.h>

#include "kdh-error.h"
#include "kdh-test.h"

static const struct {
	GQuark (*domain)(void);
	int code;
	int exit_code;
} cases[] = {
	{ kdh_error_quark, KDH_ERROR_USAGE, KDH_EXIT_USAGE },
	{ kdh_error_quark, KDH_ERROR_UNTESTABLE, KDH_EXIT_UNTESTABLE },
	{ kdh_error_quark, KDH_ERROR_HARNESS, KDH_EXIT_INFRA },
	{ kdh_error_quark, KDH_ERROR__COUNT, KDH_EXIT_INFRA },
	{ kdh_error_quark, -1, KDH_EXIT_INFRA },
	/* what cmd-run.c once read as "not testable" and "usage" */
	{ g_io_error_quark, G_IO_ERROR_NOT_SUPPORTED, KDH_EXIT_INFRA },
	{ g_option_error_quark, G_OPTION_ERROR_BAD_VALUE, KDH_EXIT_INFRA },
	{ g_key_file_error_quark, G_KEY_FILE_ERROR_INVALID_VALUE, KDH_EXIT_INFRA },
	{ g_file_error_quark, G_FILE_ERROR_NOENT, KDH_EXIT_INFRA },
};

START_TEST(test_exit_code)
{
	g_autoptr(GError) error = g_error_new_literal(cases[_i].domain(), cases[_i].code, "x");

	ck_assert_int_eq(kdh_error_exit_code(error), cases[_i].exit_code);
}
END_TEST

START_TEST(test_no_error)
{
	ck_assert_int_eq(kdh_error_exit_code(NULL), KDH_EXIT_INFRA);
}
END_TEST

START_TEST(test_names)
{
	for (int c = 0; c < KDH_ERROR__COUNT; c++)
		ck_assert_ptr_nonnull(kdh_error_name(c));
	ck_assert_str_eq(kdh_error_name(KDH_ERROR_UNTESTABLE), "untestable");
	ck_assert_ptr_null(kdh_error_name(KDH_ERROR__COUNT));
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("error");

	tcase_add_loop_test(tc, test_exit_code, 0, G_N_ELEMENTS(cases));
	tcase_add_test(tc, test_no_error);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(error_suite());
}

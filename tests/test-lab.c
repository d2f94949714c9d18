/* Unit tests of the nested lab's settings (kdh_lab_init): defaults, the
 * KDH_LAB_* environment, and bad values as usage errors naming the variable. */
#include <string.h>

#include <check.h>

#include "kdh-error.h"
#include "kdh-lab.h"
#include "kdh-test.h"

static const char *const vars[] = { "KDH_LAB_PORT", "KDH_LAB_VCPUS", "KDH_LAB_MEMORY_MIB",
				    "KDH_LAB_STATE", "KDH_LAB_UP_TIMEOUT" };

static void env_clear(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(vars); i++)
		g_unsetenv(vars[i]);
}

START_TEST(test_lab_defaults)
{
	g_autoptr(GError) error = NULL;
	struct kdh_lab lab;

	ck_assert_msg(kdh_lab_init(&lab, "qemu:///system", "/top/scripts", &error), "%s",
		      error ? error->message : "-");
	ck_assert_str_eq(lab.host_uri, "qemu:///system");
	ck_assert_str_eq(lab.image_script, "/top/scripts/lab-image");
	ck_assert_str_eq(lab.ssh_script, "/top/scripts/lab-ssh");
	ck_assert_str_eq(lab.state, "/var/lib/kdh/lab");
	ck_assert_int_eq(lab.port, 10022);
	ck_assert_int_eq(lab.vcpus, 2);
	ck_assert_int_eq(lab.memory_mib, 6144);
	ck_assert_uint_eq(lab.timeout_s, 900);
	kdh_lab_clear(&lab);
}
END_TEST

START_TEST(test_lab_environment)
{
	g_autoptr(GError) error = NULL;
	struct kdh_lab lab;

	g_setenv("KDH_LAB_PORT", "2222", TRUE);
	g_setenv("KDH_LAB_VCPUS", "4", TRUE);
	g_setenv("KDH_LAB_MEMORY_MIB", "4096", TRUE);
	g_setenv("KDH_LAB_STATE", "/srv/lab", TRUE);
	g_setenv("KDH_LAB_UP_TIMEOUT", "60", TRUE);
	ck_assert_msg(kdh_lab_init(&lab, "qemu+ssh://h/system", "s", &error), "%s",
		      error ? error->message : "-");
	ck_assert_str_eq(lab.host_uri, "qemu+ssh://h/system");
	ck_assert_int_eq(lab.port, 2222);
	ck_assert_int_eq(lab.vcpus, 4);
	ck_assert_int_eq(lab.memory_mib, 4096);
	ck_assert_str_eq(lab.state, "/srv/lab");
	ck_assert_uint_eq(lab.timeout_s, 60);
	kdh_lab_clear(&lab);
}
END_TEST

/* Each bad value is bad input (exit 2), and the message names the variable. */
START_TEST(test_lab_bad_values)
{
	static const struct {
		const char *var, *value, *message;
	} cases[] = {
		{ "KDH_LAB_PORT", "x", "KDH_LAB_PORT: 'x' is not a whole number from 1024 to 65535" },
		{ "KDH_LAB_PORT", "22", "KDH_LAB_PORT: '22' is not a whole number" },
		{ "KDH_LAB_PORT", "65536", "KDH_LAB_PORT: '65536'" },
		{ "KDH_LAB_VCPUS", "0", "KDH_LAB_VCPUS: '0'" },
		{ "KDH_LAB_MEMORY_MIB", "512", "KDH_LAB_MEMORY_MIB: '512'" },
		{ "KDH_LAB_UP_TIMEOUT", "", "KDH_LAB_UP_TIMEOUT: ''" },
		{ "KDH_LAB_STATE", "var/lib/kdh/lab", "KDH_LAB_STATE: 'var/lib/kdh/lab' is not an "
						      "absolute path" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		struct kdh_lab lab;

		env_clear();
		g_setenv(cases[i].var, cases[i].value, TRUE);
		ck_assert_msg(!kdh_lab_init(&lab, "qemu:///system", "s", &error), "%s=%s accepted",
			      cases[i].var, cases[i].value);
		ck_assert(g_error_matches(error, KDH_ERROR, KDH_ERROR_USAGE));
		ck_assert_msg(g_str_has_prefix(error->message, cases[i].message), "'%s'",
			      error->message);
		kdh_lab_clear(&lab);
	}
}
END_TEST

static Suite *lab_suite(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("settings");

	tcase_add_checked_fixture(tc, env_clear, env_clear);
	tcase_add_test(tc, test_lab_defaults);
	tcase_add_test(tc, test_lab_environment);
	tcase_add_test(tc, test_lab_bad_values);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(lab_suite());
}

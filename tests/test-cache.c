/* Unit tests of kdh_cli_cache_dir() (harness/cli/cli.c) and scripts/cache-lib: the
 * one rule for kdh's cache directory, the same in C and in the scripts. */
#include <check.h>

#include "kdh-cli.h"
#include "kdh-test.h"

static const struct {
	const char *kdh_cache;  /* NULL: unset */
	const char *xdg;        /* NULL: unset */
	const char *expected;   /* "~" is $HOME */
} cases[] = {
	{ NULL, NULL, "~/.cache/kdh" },
	{ "", "", "~/.cache/kdh" },
	{ NULL, "/x/cache", "/x/cache/kdh" },
	{ "", "/x/cache", "/x/cache/kdh" },
	{ "/k/c", NULL, "/k/c" },
	{ "/k/c", "/x/cache", "/k/c" },
	{ "/k/with space", "", "/k/with space" },
};

static void set(const char *name, const char *value)
{
	if (value)
		g_setenv(name, value, TRUE);
	else
		g_unsetenv(name);
}

static char *expected(const char *text)
{
	return g_str_has_prefix(text, "~") ? g_strconcat(g_get_home_dir(), text + 1, NULL)
					   : g_strdup(text);
}

START_TEST(test_c)
{
	g_autofree char *want = expected(cases[_i].expected);
	g_autofree char *got = NULL;

	set("KDH_CACHE", cases[_i].kdh_cache);
	set("XDG_CACHE_HOME", cases[_i].xdg);
	got = kdh_cli_cache_dir();
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_shell)
{
	g_autofree char *want = expected(cases[_i].expected);
	g_autofree char *lib = g_build_filename(kdh_test_data_dir(), "..", "..", "scripts",
						"cache-lib", NULL);
	g_autofree char *home = g_strconcat("HOME=", g_get_home_dir(), NULL);
	g_autofree char *kdh = cases[_i].kdh_cache ? g_strconcat("KDH_CACHE=", cases[_i].kdh_cache,
								 NULL)
						   : NULL;
	g_autofree char *xdg = cases[_i].xdg ? g_strconcat("XDG_CACHE_HOME=", cases[_i].xdg, NULL)
					     : NULL;
	const char *argv[] = { "/bin/bash", "-c", ". \"$1\" && kdh_cache_dir", "bash", lib, NULL };
	const char *envp[5] = { "PATH=/usr/bin:/bin", home };
	g_autofree char *out = NULL;
	g_autoptr(GError) error = NULL;
	int n = 2, status;

	if (kdh)
		envp[n++] = kdh;
	if (xdg)
		envp[n++] = xdg;
	ck_assert_msg(g_spawn_sync(NULL, (char **)argv, (char **)envp, 0, NULL, NULL, &out, NULL,
				   &status, &error),
		      "%s", error ? error->message : "");
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(g_strchomp(out), want);
}
END_TEST

static Suite *cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("cache");

	tcase_add_loop_test(tc, test_c, 0, G_N_ELEMENTS(cases));
	tcase_add_loop_test(tc, test_shell, 0, G_N_ELEMENTS(cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(cache_suite());
}

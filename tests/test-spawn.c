/* Unit tests of harness/spawn.c: what a child gets (its environment, its
 * signal dispositions) and how it is ended. Runs small shell commands. */
#include <signal.h>
#include <check.h>

#include "kdh-spawn.h"
#include "kdh-test.h"

/* The output of the shell command SCRIPT run through kdh_spawn_sync. */
static char *sh(const char *script)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	g_autoptr(GError) error = NULL;
	char *out = NULL;
	int status = -1;

	ck_assert_msg(kdh_spawn_sync(argv, 30, &out, &status, &error), "%s",
		      error ? error->message : "");
	ck_assert_msg(status == 0, "'%s' exited %d: %s", script, status, out);
	return out;
}

/* kdh ignores SIGPIPE (main.c): its children must not inherit that, or
 * `a | head` in a script would go on writing. GLib's spawn resets it today. */
START_TEST(test_sigpipe_default_in_child)
{
	g_autofree char *out = NULL;
	guint64 ignored;

	signal(SIGPIPE, SIG_IGN);
	out = sh("sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status");
	ignored = g_ascii_strtoull(out, NULL, 16);
	ck_assert_msg(!(ignored & (1ull << (SIGPIPE - 1))), "SIGPIPE ignored in the child: %s",
		      out);
}
END_TEST

/* A child's environment: the cleaned one and kdh's own settings, nothing else
 * of the caller's. */
START_TEST(test_environment)
{
	static const char *const expected[] = {
		"HOME=", "KDH_CACHE=/k/c", "KDH_LAB_PORT=10023", "LC_ALL=C",
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "XDG_CACHE_HOME=/x/cache",
	};
	g_autofree char *out = NULL;
	g_auto(GStrv) lines = NULL;

	g_setenv("KDH_CACHE", "/k/c", TRUE);
	g_setenv("KDH_LAB_PORT", "10023", TRUE);
	g_setenv("XDG_CACHE_HOME", "/x/cache", TRUE);
	g_setenv("LANG", "de_DE.UTF-8", TRUE);
	g_setenv("NOT_KDH_X", "1", TRUE);
	g_setenv("LD_PRELOAD", "", TRUE);
	out = sh("env | grep -v '^\\(PWD\\|SHLVL\\|_\\)=' | LC_ALL=C sort");
	lines = g_strsplit(g_strchomp(out), "\n", -1);
	ck_assert_msg(g_strv_length(lines) == G_N_ELEMENTS(expected), "%s", out);
	for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
		ck_assert_msg(g_str_has_prefix(lines[i], expected[i]), "'%s', not '%s...': %s",
			      lines[i], expected[i], out);
}
END_TEST

static Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("child");

	tcase_add_test(tc, test_sigpipe_default_in_child);
	tcase_add_test(tc, test_environment);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(spawn_suite());
}

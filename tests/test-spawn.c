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

static Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("child");

	tcase_add_test(tc, test_sigpipe_default_in_child);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(spawn_suite());
}

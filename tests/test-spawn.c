/* Unit tests of harness/spawn.c: what a child gets (its environment, its
 * signal dispositions) and how it is ended. Runs small shell commands. */
#include <signal.h>
#include <check.h>
#include <glib-unix.h>

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

/* SCRIPT through kdh_spawn_run with TIMEOUT_S and CANCEL: it must be stopped
 * with CODE (G_IO_ERROR_*); its output in *RET_OUT, the seconds it took
 * returned. */
static double stopped(const char *script, guint timeout_s, GCancellable *cancel, int code,
		      char **ret_out)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GTimer) clock = g_timer_new();
	int status = -1;

	ck_assert(!kdh_spawn_run(argv, timeout_s, cancel, ret_out, &status, &error));
	ck_assert_msg(g_error_matches(error, G_IO_ERROR, code), "%s", error->message);
	return g_timer_elapsed(clock, NULL);
}

/* At its deadline a child gets SIGTERM first: it can clean up and end. */
START_TEST(test_timeout_sigterm_first)
{
	g_autofree char *out = NULL;
	double s = stopped("trap 'echo term; exit 3' TERM; echo started; sleep 60 & wait", 2, NULL,
			   G_IO_ERROR_TIMED_OUT, &out);

	ck_assert_str_eq(out, "started\nterm\n");
	ck_assert_msg(s < 2 + 5, "%.1f s: waited for the SIGKILL", s);
}
END_TEST

/* One that does not end on SIGTERM gets SIGKILL after the grace (5 s). */
START_TEST(test_timeout_then_sigkill)
{
	g_autofree char *out = NULL;
	double s = stopped("trap '' TERM; echo started; sleep 60", 2, NULL, G_IO_ERROR_TIMED_OUT,
			   &out);

	ck_assert_str_eq(out, "started\n");
	ck_assert_msg(s > 2 + 5 - 0.5 && s < 2 + 5 + 5, "%.1f s", s);
}
END_TEST

/* What a child started and left running still holds its output: the deadline
 * stops it too, though the child itself has ended (and GLib forgot its pid). */
START_TEST(test_timeout_stops_what_it_left)
{
	g_autofree char *out = NULL;
	double s = stopped("sleep 60 & echo started", 1, NULL, G_IO_ERROR_TIMED_OUT, &out);

	ck_assert_str_eq(out, "started\n");
	ck_assert_msg(s < 1 + 5, "%.1f s", s);
}
END_TEST

/* Cancelled, a child is not started. */
START_TEST(test_cancelled_before)
{
	g_autoptr(GCancellable) cancel = g_cancellable_new();
	g_autofree char *flag = g_build_filename(kdh_test_dir(), "ran", NULL);
	g_autofree char *script = g_strdup_printf("touch '%s'", flag);
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	g_autoptr(GError) error = NULL;
	int status;

	g_cancellable_cancel(cancel);
	ck_assert(!kdh_spawn_run(argv, 30, cancel, NULL, &status, &error));
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
	ck_assert(!g_file_test(flag, G_FILE_TEST_EXISTS));
}
END_TEST

/* Ctrl-C while a child runs (here the child sends the SIGINT to kdh itself):
 * the child is stopped at once, not waited out to its deadline, and the
 * cancellable is cancelled for the run to end. */
START_TEST(test_signal_stops_at_once)
{
	g_autoptr(GCancellable) cancel = g_cancellable_new();
	g_autofree char *out = NULL;
	double s = stopped("kill -INT $PPID; exec sleep 60", 300, cancel, G_IO_ERROR_CANCELLED,
			   &out);

	ck_assert_msg(s < 5, "%.1f s: not at once", s);
	ck_assert(g_cancellable_is_cancelled(cancel));
}
END_TEST

static void child_done(struct kdh_child *c, int status, gpointer data)
{
	kdh_child_free(c);
	*(int *)data = status;
}

static gboolean child_ready(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

/* kdh_child_stop: SIGTERM, and SIGKILL for one that ignores it. The child says
 * with a SIGUSR1 that its trap is set. */
START_TEST(test_child_stop)
{
	static const struct {
		const char *script;
		int status;
	} cases[] = {
		{ "kill -USR1 $PPID; exec sleep 60", 128 + SIGTERM },
		{ "trap '' TERM; kill -USR1 $PPID; exec sleep 60", 128 + SIGKILL },
	};
	g_autofree char *out = g_build_filename(kdh_test_dir(), "out", NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *argv[] = { "/bin/sh", "-c", cases[i].script, NULL };
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimer) clock = NULL;
		gboolean ready = FALSE;
		int status = -1;
		guint watch = g_unix_signal_add(SIGUSR1, child_ready, &ready);
		struct kdh_child *c = kdh_spawn_async(argv, out, out, child_done, &status, &error);

		ck_assert_msg(c, "%s", error ? error->message : "");
		while (!ready)
			g_main_context_iteration(NULL, TRUE);
		g_source_remove(watch);
		clock = g_timer_new();
		kdh_child_stop(c, 1);
		while (status < 0)
			g_main_context_iteration(NULL, TRUE);
		ck_assert_int_eq(status, cases[i].status);
		ck_assert_msg(g_timer_elapsed(clock, NULL) < 1 + 4, "%.1f s",
			      g_timer_elapsed(clock, NULL));
	}
}
END_TEST

static Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("child");

	tcase_add_test(tc, test_sigpipe_default_in_child);
	tcase_add_test(tc, test_environment);
	suite_add_tcase(s, tc);
	tc = tcase_create("stop");
	tcase_set_timeout(tc, 30);
	kdh_test_tmp_fixtures(tc);
	tcase_add_test(tc, test_timeout_sigterm_first);
	tcase_add_test(tc, test_timeout_then_sigkill);
	tcase_add_test(tc, test_timeout_stops_what_it_left);
	tcase_add_test(tc, test_cancelled_before);
	tcase_add_test(tc, test_signal_stops_at_once);
	tcase_add_test(tc, test_child_stop);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(spawn_suite());
}

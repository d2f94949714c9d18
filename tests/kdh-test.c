/* Test support: see kdh-test.h. */
#include "kdh-analysis.h"
#include "kdh-test.h"

const char *kdh_test_data_dir(void)
{
	const char *dir = g_getenv("KDH_TEST_DATA");

	return dir ? dir : "tests/data";
}

char *kdh_test_read_sample_len(const char *name, gsize *ret_len)
{
	g_autofree char *path = g_build_filename(kdh_test_data_dir(), name, NULL);
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, ret_len, &error))
		ck_abort_msg("%s", error->message);
	return text;
}

char *kdh_test_read_sample(const char *name)
{
	return kdh_test_read_sample_len(name, NULL);
}

void kdh_test_feed_console(struct kdh_evidence *e, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		kdh_console_feed_line(e, g_strchomp(*l));
}

void kdh_test_feed_console_raw(struct kdh_evidence *e, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		kdh_console_feed_line(e, *l);
}

void kdh_test_evidence_from_samples(struct kdh_evidence *e, const char *console_name,
				    const char *dmesg_name)
{
	g_autofree char *console = kdh_test_read_sample(console_name);

	kdh_evidence_init(e);
	kdh_test_feed_console(e, console);
	if (dmesg_name) {
		g_autofree char *dmesg = kdh_test_read_sample(dmesg_name);

		kdh_panic_log_parse(&e->vmcore_log, dmesg);
		e->vmcore_read = TRUE;
	}
}

int kdh_test_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

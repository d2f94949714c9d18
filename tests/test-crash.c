/* Unit tests of harness/evidence/crash.c on the crash utility's real output (crash 8.0.2,
 * `sys` and `bt -a`, tests/data/README.md) and on copies of it edited in memory. */
#include <string.h>

#include <check.h>

#include "kdh-crash.h"
#include "kdh-test.h"

/* "panicked:machine_kexec,nmi-stopped:crash_nmi_callback,..." per CPU number. */
static char *states_text(const struct kdh_crash_report *c)
{
	GString *out = g_string_new(NULL);

	ck_assert_uint_eq(c->states->len, c->frames->len);
	for (guint cpu = 0; cpu < c->states->len; cpu++)
		g_string_append_printf(out, "%s%s:%s", cpu ? "," : "",
				       kdh_cpu_state_name(g_array_index(c->states, int, cpu)),
				       (const char *)c->frames->pdata[cpu]);
	return g_string_free(out, FALSE);
}

/* Parses OUTPUT and checks what every CPU was doing against STATES. */
static void assert_parse(const char *output, gboolean read, int cpus, const char *panic,
			 int panic_cpu, const char *states)
{
	struct kdh_crash_report c;
	g_autofree char *got = NULL;

	kdh_crash_report_init(&c);
	kdh_crash_parse(&c, output);
	got = states_text(&c);
	ck_assert_int_eq(c.read, read);
	ck_assert_int_eq(c.cpus, cpus);
	if (panic)
		ck_assert_str_eq(c.panic, panic);
	else
		ck_assert_ptr_null(c.panic);
	ck_assert_int_eq(kdh_crash_panic_cpu(&c), panic_cpu);
	ck_assert_str_eq(got, states);
	ck_assert(!c.ran); /* the parse does not say crash ran: its caller does */
	kdh_crash_report_clear(&c);
}

#define NMI_STOPPED_1_3 \
	"nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback," \
	"nmi-stopped:crash_nmi_callback"

START_TEST(test_state_names)
{
	static const char *const names[] = { "unseen", "panicked", "nmi-stopped", "running" };

	G_STATIC_ASSERT(G_N_ELEMENTS(names) == KDH_CPU__COUNT);
	for (int s = 0; s < KDH_CPU__COUNT; s++)
		ck_assert_str_eq(kdh_cpu_state_name(s), names[s]);
	ck_assert_ptr_null(kdh_cpu_state_name(KDH_CPU__COUNT));
	ck_assert_ptr_null(kdh_cpu_state_name((enum kdh_cpu_state)-1));
	/* Unseen is the zero a growing state array is filled with. */
	ck_assert_int_eq(KDH_CPU_UNSEEN, 0);
}
END_TEST

START_TEST(test_init_clear)
{
	struct kdh_crash_report c;

	memset(&c, 0xa5, sizeof(c));
	kdh_crash_report_init(&c);
	ck_assert(!c.ran);
	ck_assert(!c.read);
	ck_assert_int_eq(c.cpus, -1);
	ck_assert_ptr_null(c.panic);
	ck_assert_uint_eq(c.states->len, 0);
	ck_assert_uint_eq(c.frames->len, 0);
	ck_assert_int_eq(kdh_crash_panic_cpu(&c), -1);
	kdh_crash_report_clear(&c);
	ck_assert_ptr_null(c.states);
	ck_assert_ptr_null(c.frames);
	/* Cleared twice: harmless. */
	kdh_crash_report_clear(&c);
}
END_TEST

/* ---- real output ---- */

START_TEST(test_real_nmi_all_vcpus)
{
	g_autofree char *output = kdh_test_read_sample("crash-nmi-all-vcpus.txt");

	/* CPU 0 panicked in the NMI and kexec'd; the crash shutdown's NMI caught the
	 * others in nmi_panic_self_stop(). */
	assert_parse(output, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 0,
		     "panicked:machine_kexec," NMI_STOPPED_1_3);
}
END_TEST

START_TEST(test_real_sysrq_cpu2)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");

	/* init wrote "c" to /proc/sysrq-trigger on CPU 2; the others were idle when
	 * the crash shutdown's NMI came. crash's warnings before `sys` are no
	 * part of it. */
	assert_parse(output, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
}
END_TEST

START_TEST(test_real_cpu3_offline)
{
	g_autofree char *output = kdh_test_read_sample("crash-cpu3-offline.txt");

	/* "CPUS: 4 [OFFLINE: 1]": crash counts the offline CPU. Its stack could not be
	 * read: a header and no frame, so nothing stopped it. */
	assert_parse(output, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 1,
		     "nmi-stopped:crash_nmi_callback,panicked:machine_kexec,"
		     "nmi-stopped:crash_nmi_callback,running:");
}
END_TEST

START_TEST(test_crash_could_not_read)
{
	/* crash 8.0.2 on a file that is no vmcore (-s: no banner). */
	assert_parse("crash: vmcore: not a supported file format\n"
		     "\n"
		     "Usage:\n"
		     "\n"
		     "  crash [OPTION]... NAMELIST MEMORY-IMAGE[@ADDRESS]\t(dumpfile form)\n"
		     "  crash [OPTION]... [NAMELIST]             \t(live system form)\n"
		     "\n"
		     "Enter \"crash -h\" for details.\n",
		     FALSE, -1, NULL, -1, "");
	assert_parse("crash: vmlinux and vmcore do not match!\n", FALSE, -1, NULL, -1, "");
	assert_parse("", FALSE, -1, NULL, -1, "");
}
END_TEST

START_TEST(test_real_header_only)
{
	g_autofree char *output = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	g_autofree char *sys = g_strndup(output, strstr(output, "PID: ") - output);

	/* `sys` read the vmcore, `bt -a` said nothing. */
	assert_parse(sys, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", -1, "");
}
END_TEST

/* ---- real output edited ---- */

START_TEST(test_cpu_not_stopped)
{
	g_autofree char *output = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	/* CPU 2 idle, as if no NMI had reached it: its frames below the NMI's. */
	g_autofree char *idle = kdh_test_replace_backtrace(
		output, 2,
		"PID: 0        TASK: ffff9df4411a63c0  CPU: 2    COMMAND: \"swapper/2\"\n"
		" #0 [ffffa1664008bee8] amd_e400_idle at ffffffff9e2353e9\n"
		" #1 [ffffa1664008bee8] default_idle_call at ffffffff9ef6dcde\n"
		" #2 [ffffa1664008bef0] do_idle at ffffffff9e2bcfbd\n"
		" #3 [ffffa1664008bf30] cpu_startup_entry at ffffffff9e2bd221\n"
		" #4 [ffffa1664008bf40] start_secondary at ffffffff9e25251e\n"
		" #5 [ffffa1664008bf50] secondary_startup_64_no_verify at ffffffff9e200145\n");
	g_autofree char *sysrq = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	/* CPU 3 in an NMI handler, but not the crash shutdown's. */
	g_autofree char *other_nmi = kdh_test_drop_frames(sysrq, 3, "crash_nmi_callback");

	assert_parse(idle, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 0,
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback,"
		     "running:amd_e400_idle,nmi-stopped:crash_nmi_callback");
	assert_parse(other_nmi, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,running:default_do_nmi");
}
END_TEST

START_TEST(test_nmi_stop_frames)
{
	g_autofree char *output = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	g_autofree char *no_callback = kdh_test_drop_frames(output, 1, "crash_nmi_callback");
	g_autofree char *neither = kdh_test_drop_frames(no_callback, 1, "nmi_panic_self_stop");

	/* Either frame shows the stop. */
	assert_parse(no_callback, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 0,
		     "panicked:machine_kexec,nmi-stopped:nmi_panic_self_stop,"
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback");
	assert_parse(neither, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 0,
		     "panicked:machine_kexec,running:default_do_nmi,"
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback");
}
END_TEST

START_TEST(test_panic_frames)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *no_kexec = kdh_test_drop_frames(output, 2, "machine_kexec");
	g_autofree char *panic_only = kdh_test_drop_frames(no_kexec, 2, "__crash_kexec");
	g_autofree char *none = kdh_test_drop_frames(panic_only, 2, "] panic at ");
	g_autofree char *kexec_only = kdh_test_drop_frames(output, 2, "] panic at ");
	/* die() of 6.1 on a kdump kernel: oops_end() calls crash_kexec(), no panic(). */
	g_autofree char *oops = kdh_test_replace_backtrace(
		output, 2,
		"PID: 1        TASK: ffff89a981168000  CPU: 2    COMMAND: \"init\"\n"
		" #0 [ffff96f1c0013b10] machine_kexec at ffffffff8905ae00\n"
		" #1 [ffff96f1c0013b60] __crash_kexec at ffffffff8911bd92\n"
		" #2 [ffff96f1c0013c20] crash_kexec at ffffffff8911c1a0\n"
		" #3 [ffff96f1c0013c30] oops_end at ffffffff8902b4c6\n"
		" #4 [ffff96f1c0013c50] page_fault_oops at ffffffff89066e4c\n"
		" #5 [ffff96f1c0013ca8] exc_page_fault at ffffffff89d63a12\n"
		" #6 [ffff96f1c0013cd0] asm_exc_page_fault at ffffffff89e00b62\n");
	g_autofree char *crash_kexec_only = kdh_test_drop_frames(oops, 2, "__crash_kexec");

	/* __crash_kexec or panic anywhere on the stack: the panic task. */
	assert_parse(no_kexec, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:__crash_kexec,nmi-stopped:crash_nmi_callback");
	assert_parse(panic_only, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:panic,nmi-stopped:crash_nmi_callback");
	assert_parse(kexec_only, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
	assert_parse(oops, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
	assert_parse(crash_kexec_only, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
	assert_parse(none, TRUE, 4, "Kernel panic - not syncing: sysrq triggered crash", -1,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "running:sysrq_handle_crash,nmi-stopped:crash_nmi_callback");
}
END_TEST

START_TEST(test_cpu_missing)
{
	g_autofree char *output = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	g_autofree char *no_cpu3 = kdh_test_replace_backtrace(output, 3, "");
	g_autofree char *no_cpu1 = kdh_test_replace_backtrace(output, 1, "");

	/* The last CPU missing: the arrays end before it. */
	assert_parse(no_cpu3, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 0,
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback,"
		     "nmi-stopped:crash_nmi_callback");
	/* One in the middle: unseen, with no frame. */
	assert_parse(no_cpu1, TRUE, 4, "Kernel panic - not syncing: NMI: Not continuing", 0,
		     "panicked:machine_kexec,unseen:,nmi-stopped:crash_nmi_callback,"
		     "nmi-stopped:crash_nmi_callback");
}
END_TEST

START_TEST(test_sys_lines)
{
	g_autofree char *output = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *two = NULL;
	g_autofree char *other = NULL;
	g_autofree char *bare = NULL;
	g_autofree char *no_panic = NULL;
	g_auto(GStrv) parts = NULL;

	parts = g_strsplit(output, "        CPUS: 4\n", 2);
	two = g_strjoinv("        CPUS: 2\n", parts);
	assert_parse(two, TRUE, 2, "Kernel panic - not syncing: sysrq triggered crash", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
	g_strfreev(g_steal_pointer(&parts));

	parts = g_strsplit(output, "\"Kernel panic - not syncing: sysrq triggered crash\"", 2);
	other = g_strjoinv("\"Kernel panic - not syncing: Fatal exception\"", parts);
	bare = g_strjoinv("Oops: 0002 [#1] PREEMPT SMP NOPTI", parts);
	no_panic = g_strjoinv("", parts);
	assert_parse(other, TRUE, 4, "Kernel panic - not syncing: Fatal exception", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
	/* crash quotes the panic message; another reason for the dump may come bare. */
	assert_parse(bare, TRUE, 4, "Oops: 0002 [#1] PREEMPT SMP NOPTI", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
	assert_parse(no_panic, TRUE, 4, "", 2,
		     "nmi-stopped:crash_nmi_callback,nmi-stopped:crash_nmi_callback,"
		     "panicked:machine_kexec,nmi-stopped:crash_nmi_callback");
}
END_TEST

START_TEST(test_frames_and_headers)
{
	/* Frames before any header belong to no CPU; a header needs its COMMAND;
	 * a module's frame names its function. */
	assert_parse("       PANIC: \"Kernel panic - not syncing: Fatal exception\"\n"
		     " #0 [ffffb4c6c0193c78] machine_kexec at ffffffff8905ae00\n"
		     "PID: 62       TASK: ffff9a4b41b2e000  CPU: 0\n"
		     " #0 [ffffb4c6c0193c78] machine_kexec at ffffffff8905ae00\n"
		     "PID: 62       TASK: ffff9a4b41b2e000  CPU: 1    COMMAND: \"kworker/1:2\"\n"
		     " #0 [ffffb4c6c0193d00] relid2channel at ffffffffc03a501a [hv_vmbus]\n"
		     " #1 [ffffb4c6c0193d20] vmbus_onoffer_rescind at ffffffffc03a6f1d [hv_vmbus]\n"
		     "    [exception RIP: relid2channel+26]\n"
		     " #2 [ffffb4c6c0193e08] process_one_work at ffffffff890c1c47\n",
		     FALSE, -1, "Kernel panic - not syncing: Fatal exception", -1,
		     "unseen:,running:relid2channel");
}
END_TEST

START_TEST(test_parse_twice)
{
	g_autofree char *sysrq = kdh_test_read_sample("crash-sysrq-cpu2.txt");
	g_autofree char *nmi = kdh_test_read_sample("crash-nmi-all-vcpus.txt");
	struct kdh_crash_report c;
	g_autofree char *got = NULL;

	/* A later parse into the same report: its lines win, nothing leaks. */
	kdh_crash_report_init(&c);
	kdh_crash_parse(&c, sysrq);
	kdh_crash_parse(&c, nmi);
	ck_assert_str_eq(c.panic, "Kernel panic - not syncing: NMI: Not continuing");
	ck_assert_int_eq(kdh_crash_panic_cpu(&c), 0);
	got = states_text(&c);
	ck_assert_str_eq(got, "panicked:machine_kexec," NMI_STOPPED_1_3);
	kdh_crash_report_clear(&c);
}
END_TEST

static Suite *crash_suite(void)
{
	Suite *s = suite_create("crash");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, test_state_names);
	tcase_add_test(tc, test_init_clear);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-samples");
	tcase_add_test(tc, test_real_nmi_all_vcpus);
	tcase_add_test(tc, test_real_sysrq_cpu2);
	tcase_add_test(tc, test_real_cpu3_offline);
	tcase_add_test(tc, test_crash_could_not_read);
	tcase_add_test(tc, test_real_header_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("edited-samples");
	tcase_add_test(tc, test_cpu_not_stopped);
	tcase_add_test(tc, test_nmi_stop_frames);
	tcase_add_test(tc, test_panic_frames);
	tcase_add_test(tc, test_cpu_missing);
	tcase_add_test(tc, test_sys_lines);
	tcase_add_test(tc, test_frames_and_headers);
	tcase_add_test(tc, test_parse_twice);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(crash_suite());
}

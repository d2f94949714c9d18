/* Unit tests of harness/scenario/config.c: scenario defaults, every way a scenario file
 * can be wrong, the first kernel's command line, the verdict's expectations, and
 * every scenario file shipped in scenarios/ and tests/scenarios/. */
#include <string.h>

#include <check.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "kdh-config.h"
#include "kdh-test.h"

static void assert_strv(char **strv, const char *const *expected)
{
	guint n = g_strv_length((char **)expected);

	ck_assert_ptr_nonnull(strv);
	for (guint i = 0; i < MIN(n, g_strv_length(strv)); i++)
		ck_assert_str_eq(strv[i], expected[i]);
	ck_assert_uint_eq(g_strv_length(strv), n);
}

/* Parses DATA, which must be a valid scenario. */
static void parse_ok(const char *data, struct kdh_scenario *ret)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(kdh_scenario_parse("test", data, ret, &error), "'%s': %s", data,
		      error ? error->message : "no error set");
	ck_assert_ptr_null(error);
}

/* DATA must fail with G_KEY_FILE_ERROR_INVALID_VALUE and exactly MESSAGE, which
 * names the group and the key; RET must be left untouched. */
static void assert_invalid(const char *data, const char *message)
{
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s, untouched;

	memset(&s, 0xa5, sizeof(s));
	memset(&untouched, 0xa5, sizeof(untouched));
	ck_assert_msg(!kdh_scenario_parse("test", data, &s, &error), "'%s' was accepted", data);
	ck_assert_ptr_nonnull(error);
	ck_assert_msg(g_error_matches(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE),
		      "'%s': %s (domain %s, code %d)", data, error->message,
		      g_quark_to_string(error->domain), error->code);
	ck_assert_str_eq(error->message, message);
	ck_assert(memcmp(&s, &untouched, sizeof(s)) == 0);
}

/* ---- defaults ---- */

START_TEST(test_defaults)
{
	static const char *const modules[] = { "virtio_pci", "virtio_blk", NULL };
	static const char *const mdf[] = { "-l", "-d", "31", NULL };
	static const guint deadlines[] = {
		[KDH_STAGE_BOOT] = 60,	   [KDH_STAGE_LOAD] = 60,    [KDH_STAGE_ARM] = 30,
		[KDH_STAGE_TRIGGER] = 10,  [KDH_STAGE_KEXEC] = 30,   [KDH_STAGE_CAPTURE] = 60,
		[KDH_STAGE_ENUMERATE] = 30, [KDH_STAGE_DUMP] = 120, [KDH_STAGE_BYE] = 30,
	};
	struct kdh_scenario s;

	G_STATIC_ASSERT(G_N_ELEMENTS(deadlines) == KDH_STAGE__COUNT);
	parse_ok("", &s);
	ck_assert_str_eq(s.name, "test");
	ck_assert_str_eq(s.description, "");
	ck_assert_int_eq(s.platform, KDH_PLATFORM_VIRTIO);
	assert_strv(s.modules, modules);
	ck_assert_int_eq(s.vcpus, 4);
	ck_assert_int_eq(s.memory_mib, 1024);
	ck_assert_str_eq(s.crashkernel, "256M");
	/* No unknown_nmi_panic: the agent sets it after the probe. */
	ck_assert_str_eq(s.cmdline, "console=ttyS0 apic_extnmi=all");
	ck_assert_str_eq(s.capture_cmdline, "console=ttyS0 nr_cpus=1 irqpoll reset_devices");
	ck_assert_int_eq(s.kexec, KDH_KEXEC_LOAD);
	assert_strv(s.makedumpfile_args, mdf);
	ck_assert_int_eq(s.trigger, KDH_TRIGGER_NMI);
	ck_assert_int_eq(s.trigger_cpu, 0);
	ck_assert(s.nmi_probe);
	ck_assert_str_eq(s.panic_string, "NMI: Not continuing");
	ck_assert(s.nmi_on_every_cpu);
	ck_assert_int_eq(s.panic_cpu, -1);
	ck_assert_uint_eq(s.fail_on, 1u << KDH_COMPLAINT_BUG | 1u << KDH_COMPLAINT_OOPS);
	ck_assert_uint_eq(s.warn_on, 1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_CALL_TRACE |
					     1u << KDH_COMPLAINT_DAZED);
	for (int i = 0; i < KDH_STAGE__COUNT; i++)
		ck_assert_msg(s.deadlines[i] == deadlines[i], "deadline '%s' is %u, expected %u",
			      kdh_stage_name(i), s.deadlines[i], deadlines[i]);
	kdh_scenario_clear(&s);
	/* Cleared twice: harmless. */
	kdh_scenario_clear(&s);
	ck_assert_ptr_null(s.name);
}
END_TEST

START_TEST(test_defaults_sysrq)
{
	struct kdh_scenario s;

	/* The panic a sysrq-c causes, unless the file says otherwise. */
	parse_ok("[scenario]\ntrigger=sysrq\n", &s);
	ck_assert_int_eq(s.trigger, KDH_TRIGGER_SYSRQ);
	ck_assert_int_eq(s.trigger_cpu, 0);
	ck_assert_str_eq(s.panic_string, "sysrq triggered crash");
	ck_assert_int_eq(s.panic_cpu, -1);
	kdh_scenario_clear(&s);

	parse_ok("[scenario]\ntrigger=sysrq\n[expect]\npanic=Fatal exception\n", &s);
	ck_assert_str_eq(s.panic_string, "Fatal exception");
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_every_key)
{
	static const char *const mdf[] = { "-c", "-d", "17", NULL };
	static const guint deadlines[] = {
		[KDH_STAGE_BOOT] = 1,	   [KDH_STAGE_LOAD] = 2,    [KDH_STAGE_ARM] = 3,
		[KDH_STAGE_TRIGGER] = 4,   [KDH_STAGE_KEXEC] = 5,   [KDH_STAGE_CAPTURE] = 6,
		[KDH_STAGE_ENUMERATE] = 7, [KDH_STAGE_DUMP] = 8,    [KDH_STAGE_BYE] = 3600,
	};
	struct kdh_scenario s;

	G_STATIC_ASSERT(G_N_ELEMENTS(deadlines) == KDH_STAGE__COUNT);
	parse_ok("# a comment\n"
		 "[scenario]\n"
		 "description=all keys set\n"
		 "platform=virtio\n"
		 "vcpus=8\n"
		 "memory-mib=2048\n"
		 "crashkernel=384M\n"
		 "cmdline=console=ttyS0 loglevel=8\n"
		 "capture-cmdline=console=ttyS0 nr_cpus=1\n"
		 "kexec=kexec_file_load\n"
		 "makedumpfile=  -c -d\t17  \n"
		 "trigger=sysrq\n"
		 "trigger-cpu=7\n"
		 "nmi-probe=false\n"
		 "[expect]\n"
		 "panic=sysrq triggered crash\n"
		 "nmi-on-every-cpu=false\n"
		 "panic-cpu=7\n"
		 "[deadlines]\n"
		 "boot=1\nload=2\narm=3\ntrigger=4\nkexec=5\ncapture=6\nenumerate=7\ndump=8\nbye=3600\n",
		 &s);
	ck_assert_str_eq(s.description, "all keys set");
	ck_assert_int_eq(s.vcpus, 8);
	ck_assert_int_eq(s.memory_mib, 2048);
	ck_assert_str_eq(s.crashkernel, "384M");
	ck_assert_str_eq(s.cmdline, "console=ttyS0 loglevel=8");
	ck_assert_str_eq(s.capture_cmdline, "console=ttyS0 nr_cpus=1");
	ck_assert_int_eq(s.kexec, KDH_KEXEC_FILE_LOAD);
	assert_strv(s.makedumpfile_args, mdf);
	ck_assert_int_eq(s.trigger, KDH_TRIGGER_SYSRQ);
	ck_assert_int_eq(s.trigger_cpu, 7);
	ck_assert(!s.nmi_probe);
	ck_assert_str_eq(s.panic_string, "sysrq triggered crash");
	ck_assert(!s.nmi_on_every_cpu);
	ck_assert_int_eq(s.panic_cpu, 7);
	for (int i = 0; i < KDH_STAGE__COUNT; i++)
		ck_assert_msg(s.deadlines[i] == deadlines[i], "deadline '%s' is %u, expected %u",
			      kdh_stage_name(i), s.deadlines[i], deadlines[i]);
	kdh_scenario_clear(&s);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_unknown_group)
{
	assert_invalid("[scenari]\n", "[scenari] *: unknown group");
	assert_invalid("[scenario]\nvcpus=2\n[Expect]\n", "[Expect] *: unknown group");
	/* A group that is unknown with keys in it: its first key is named with it. */
	assert_invalid("[inject]\nnmi=1\n", "[inject] nmi: unknown key");
}
END_TEST

START_TEST(test_unknown_key)
{
	assert_invalid("[scenario]\nvcpu=4\n", "[scenario] vcpu: unknown key");
	assert_invalid("[scenario]\npanic=NMI: Not continuing\n", "[scenario] panic: unknown key");
	assert_invalid("[expect]\nvcpus=4\n", "[expect] vcpus: unknown key");
	assert_invalid("[expect]\nnmi-missing-cpus=1\n", "[expect] nmi-missing-cpus: unknown key");
}
END_TEST

START_TEST(test_unknown_deadline)
{
	assert_invalid("[deadlines]\nkexex=30\n", "[deadlines] kexex: unknown key");
	assert_invalid("[deadlines]\nBoot=30\n", "[deadlines] Boot: unknown key");
	/* The stages of the old design are typos now. */
	assert_invalid("[deadlines]\ninject=10\n", "[deadlines] inject: unknown key");
	assert_invalid("[deadlines]\npoweroff=30\n", "[deadlines] poweroff: unknown key");
}
END_TEST

START_TEST(test_bad_numbers)
{
	assert_invalid("[scenario]\nvcpus=0\n", "[scenario] vcpus: '0' is not a whole number from 1 to 64");
	assert_invalid("[scenario]\nvcpus=65\n", "[scenario] vcpus: '65' is not a whole number from 1 to 64");
	assert_invalid("[scenario]\nvcpus=four\n",
		       "[scenario] vcpus: 'four' is not a whole number from 1 to 64");
	assert_invalid("[scenario]\nvcpus=4x\n", "[scenario] vcpus: '4x' is not a whole number from 1 to 64");
	assert_invalid("[scenario]\nvcpus=\n", "[scenario] vcpus: '' is not a whole number from 1 to 64");
	assert_invalid("[scenario]\nmemory-mib=255\n",
		       "[scenario] memory-mib: '255' is not a whole number from 256 to 65536");
	assert_invalid("[deadlines]\nboot=0\n",
		       "[deadlines] boot: '0' is not a whole number from 1 to 3600");
	assert_invalid("[deadlines]\ndump=3601\n",
		       "[deadlines] dump: '3601' is not a whole number from 1 to 3600");
	assert_invalid("[scenario]\nnmi-probe=yes\n", "[scenario] nmi-probe: not true or false");
}
END_TEST

START_TEST(test_bad_choices)
{
	assert_invalid("[scenario]\nkexec=kexec\n",
		       "[scenario] kexec: 'kexec' is not one of kexec_load, kexec_file_load, none");
	assert_invalid("[scenario]\nkexec=kexec_file\n",
		       "[scenario] kexec: 'kexec_file' is not one of kexec_load, kexec_file_load, none");
	assert_invalid("[scenario]\ntrigger=nmi-all\n",
		       "[scenario] trigger: 'nmi-all' is not one of nmi, sysrq");
	assert_invalid("[scenario]\ntrigger=\n", "[scenario] trigger: '' is not one of nmi, sysrq");
	assert_invalid("[scenario]\nplatform=xen\n", "[scenario] platform: unknown platform 'xen'");
}
END_TEST

START_TEST(test_cpu_out_of_range)
{
	struct kdh_scenario s;

	/* CPUs count from 0: the last one of 2 vCPUs is CPU 1. */
	assert_invalid("[scenario]\nvcpus=2\ntrigger=sysrq\ntrigger-cpu=2\n",
		       "[scenario] trigger-cpu: '2' is not a whole number from 0 to 1");
	assert_invalid("[scenario]\ntrigger=sysrq\ntrigger-cpu=4\n",
		       "[scenario] trigger-cpu: '4' is not a whole number from 0 to 3");
	assert_invalid("[scenario]\ntrigger=sysrq\ntrigger-cpu=-1\n",
		       "[scenario] trigger-cpu: '-1' is not a whole number from 0 to 3");
	assert_invalid("[scenario]\nvcpus=2\n[expect]\npanic-cpu=2\n",
		       "[expect] panic-cpu: '2' is not a whole number from -1 to 1");
	assert_invalid("[expect]\npanic-cpu=-2\n",
		       "[expect] panic-cpu: '-2' is not a whole number from -1 to 3");

	parse_ok("[scenario]\nvcpus=2\ntrigger=sysrq\ntrigger-cpu=1\n[expect]\npanic-cpu=1\n", &s);
	ck_assert_int_eq(s.trigger_cpu, 1);
	ck_assert_int_eq(s.panic_cpu, 1);
	kdh_scenario_clear(&s);
	parse_ok("[expect]\npanic-cpu=-1\n", &s);
	ck_assert_int_eq(s.panic_cpu, -1);
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_probe_with_unknown_nmi_panic)
{
	struct kdh_scenario s;
	static const char message[] =
		"[scenario] cmdline: unknown_nmi_panic would make the probe NMI fatal: leave it "
		"out (the harness sets it after the probe) or set nmi-probe=false";

	assert_invalid("[scenario]\ncmdline=console=ttyS0 unknown_nmi_panic apic_extnmi=all\n",
		       message);
	assert_invalid("[scenario]\ncmdline=unknown_nmi_panic\n", message);
	assert_invalid("[scenario]\ncmdline=console=ttyS0\tunknown_nmi_panic\n", message);

	/* The samples from before the probe were run so: allowed without the probe. */
	parse_ok("[scenario]\ncmdline=console=ttyS0 unknown_nmi_panic apic_extnmi=all panic=-1\n"
		 "nmi-probe=false\n[expect]\nnmi-on-every-cpu=false\n", &s);
	ck_assert(!s.nmi_probe);
	ck_assert(!s.nmi_on_every_cpu);
	kdh_scenario_clear(&s);
	/* Words that merely contain it are other parameters. */
	parse_ok("[scenario]\ncmdline=console=ttyS0 kdh.unknown_nmi_panic_test\n", &s);
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_every_cpu_without_probe)
{
	static const char message[] =
		"[expect] nmi-on-every-cpu: needs nmi-probe=true: only the probe NMI's counters show "
		"every CPU got it";

	/* nmi-on-every-cpu is true unless the file says otherwise. */
	assert_invalid("[scenario]\nnmi-probe=false\n", message);
	assert_invalid("[scenario]\nnmi-probe=false\n[expect]\nnmi-on-every-cpu=true\n", message);
}
END_TEST

START_TEST(test_complaint_kinds)
{
	struct kdh_scenario s;

	assert_invalid("[expect]\nfail-on=BUG;Panic\n",
		       "[expect] fail-on: 'Panic' is not WARNING, BUG, Oops, Call Trace or Dazed and "
		       "confused");
	assert_invalid("[expect]\nwarn-on=oops\n",
		       "[expect] warn-on: 'oops' is not WARNING, BUG, Oops, Call Trace or Dazed and "
		       "confused");
	/* Blanks around names and empty items are nothing. */
	parse_ok("[expect]\nfail-on= WARNING ; BUG ;\nwarn-on=\n", &s);
	ck_assert_uint_eq(s.fail_on, 1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_BUG);
	ck_assert_uint_eq(s.warn_on, 0);
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_probe_with_unknown_nmi_panic_spellings)
{
	static const char message[] =
		"[scenario] cmdline: unknown_nmi_panic would make the probe NMI fatal: leave it "
		"out (the harness sets it after the probe) or set nmi-probe=false";
	/* Linux matches the old-style option by prefix, '-' and '_' alike, and ignores
	 * its value (obsolete_checksetup()); sysctl.<path>= and sysctl/<path>= write
	 * the sysctl; panic_on_unrecovered_nmi makes an unknown NMI fatal too. */
	static const char *const fatal[] = {
		"unknown_nmi_panic=0",
		"unknown_nmi_panic=1",
		"unknown_nmi_panicky",
		"sysctl.kernel.unknown_nmi_panic=1",
		"sysctl.kernel/unknown_nmi_panic=1",
		"sysctl/kernel/unknown_nmi_panic=1",
		"unknown-nmi-panic",
		"\"unknown_nmi_panic\"",
		"sysctl.kernel.panic_on_unrecovered_nmi=1",
	};
	/* Other parameters whose names or values merely hold it. */
	static const char *const harmless[] = {
		"kdh.unknown_nmi_panic_test",
		"foo=unknown_nmi_panic",
		"sysctl.kernel.panic=1",
		"nmi_watchdog=0",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(fatal); i++) {
		g_autofree char *last = g_strdup_printf("[scenario]\ncmdline=console=ttyS0 %s\n",
							fatal[i]);
		g_autofree char *first = g_strdup_printf("[scenario]\ncmdline=%s\tconsole=ttyS0\n",
							 fatal[i]);
		g_autofree char *no_probe = g_strdup_printf("[scenario]\ncmdline=console=ttyS0 %s\n"
							    "nmi-probe=false\n[expect]\n"
							    "nmi-on-every-cpu=false\n", fatal[i]);
		struct kdh_scenario s;

		assert_invalid(last, message);
		assert_invalid(first, message);
		/* Without the probe, the fatal NMI is the only one: allowed. */
		parse_ok(no_probe, &s);
		ck_assert_ptr_nonnull(strstr(s.cmdline, fatal[i]));
		kdh_scenario_clear(&s);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(harmless); i++) {
		g_autofree char *data = g_strdup_printf("[scenario]\ncmdline=console=ttyS0 %s\n",
							harmless[i]);
		struct kdh_scenario s;

		parse_ok(data, &s);
		ck_assert(s.nmi_probe);
		kdh_scenario_clear(&s);
	}
}
END_TEST

START_TEST(test_complaint_lists)
{
	struct kdh_scenario s;
	struct kdh_expect x;
	const guint all = (1u << KDH_COMPLAINT__COUNT) - 1;

	/* Every kind by its name, in either list. */
	parse_ok("[expect]\nfail-on=WARNING;BUG;Oops;Call Trace;Dazed and confused\nwarn-on=\n", &s);
	ck_assert_uint_eq(s.fail_on, all);
	ck_assert_uint_eq(s.warn_on, 0);
	kdh_scenario_clear(&s);
	parse_ok("[expect]\nfail-on=\nwarn-on=Dazed and confused;Call Trace;Oops;BUG;WARNING\n", &s);
	ck_assert_uint_eq(s.fail_on, 0);
	ck_assert_uint_eq(s.warn_on, all);
	kdh_scenario_clear(&s);

	/* One list set leaves the other at its default; a kind may be in both
	 * (failing wins, see test-verdict.c), or twice in one. */
	parse_ok("[expect]\nfail-on=WARNING;WARNING\n", &s);
	ck_assert_uint_eq(s.fail_on, 1u << KDH_COMPLAINT_WARNING);
	ck_assert_uint_eq(s.warn_on, 1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_CALL_TRACE |
					     1u << KDH_COMPLAINT_DAZED);
	x = kdh_scenario_expect(&s);
	ck_assert_uint_eq(x.fail_on, s.fail_on);
	ck_assert_uint_eq(x.warn_on, s.warn_on);
	kdh_scenario_clear(&s);

	/* The defaults do not depend on the trigger. */
	parse_ok("[scenario]\ntrigger=sysrq\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_uint_eq(x.fail_on, 1u << KDH_COMPLAINT_BUG | 1u << KDH_COMPLAINT_OOPS);
	ck_assert_uint_eq(x.warn_on, 1u << KDH_COMPLAINT_WARNING | 1u << KDH_COMPLAINT_CALL_TRACE |
					     1u << KDH_COMPLAINT_DAZED);
	kdh_scenario_clear(&s);

	/* A name is the whole item, exactly. */
	assert_invalid("[expect]\nwarn-on=Dazed\n",
		       "[expect] warn-on: 'Dazed' is not WARNING, BUG, Oops, Call Trace or Dazed and "
		       "confused");
	assert_invalid("[expect]\nfail-on=BUG,Oops\n",
		       "[expect] fail-on: 'BUG,Oops' is not WARNING, BUG, Oops, Call Trace or Dazed "
		       "and confused");
	assert_invalid("[expect]\nfail-on=CallTrace\n",
		       "[expect] fail-on: 'CallTrace' is not WARNING, BUG, Oops, Call Trace or Dazed "
		       "and confused");
	/* The list belongs in [expect]. */
	assert_invalid("[scenario]\nfail-on=BUG\n", "[scenario] fail-on: unknown key");
}
END_TEST

START_TEST(test_capture_cmdline_line_break)
{
	/* GKeyFile turns "\n" into a line break, which agent.conf cannot hold. */
	assert_invalid("[scenario]\ncapture-cmdline=console=ttyS0\\nmodule=/evil.ko\n",
		       "[scenario] capture-cmdline: has a line break");
}
END_TEST

/* Blanks of any number between makedumpfile's arguments: a doubled space is
 * not an empty argument (makedumpfile would fail, and the verdict blame the
 * kernel); what only a shell would make sense of is refused. */
START_TEST(test_makedumpfile_arguments)
{
	static const struct {
		const char *value;
		const char *args[5];
	} ok[] = {
		{ "-l  -d 31", { "-l", "-d", "31" } },
		{ "  -l \t\t -d\t31\t", { "-l", "-d", "31" } },
		{ "--message-level=1   -c", { "--message-level=1", "-c" } },
		{ "", { NULL } },
		{ "   ", { NULL } },
	};
	static const struct {
		const char *value;
		const char *message;
	} bad[] = {
		{ "-d \"31\"", "[scenario] makedumpfile: has a \": the arguments are split at "
			       "blanks, nothing quotes" },
		{ "-d '31'", "[scenario] makedumpfile: has a ': the arguments are split at blanks, "
			    "nothing quotes" },
		{ "-d\\\\ 31", "[scenario] makedumpfile: has a \\: the arguments are split at "
			       "blanks, nothing quotes" },
		{ "-l\\n-d 31", "[scenario] makedumpfile: has a control character" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autofree char *data = g_strdup_printf("[scenario]\nmakedumpfile=%s\n", ok[i].value);
		struct kdh_scenario s;

		parse_ok(data, &s);
		assert_strv(s.makedumpfile_args, ok[i].args);
		kdh_scenario_clear(&s);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *data = g_strdup_printf("[scenario]\nmakedumpfile=%s\n", bad[i].value);

		assert_invalid(data, bad[i].message);
	}
}
END_TEST

/* The platform, kexec call and trigger: each name parses to its value and
 * back; a value out of range has no name and a name out of the table no value. */
START_TEST(test_name_tables)
{
	static const struct {
		const char *(*name)(int);
		int (*from_name)(const char *);
		int count;
		const char *first;
	} tables[] = {
		{ kdh_platform_name, kdh_platform_from_name, KDH_PLATFORM__COUNT, "virtio" },
		{ kdh_kexec_call_name, kdh_kexec_call_from_name, KDH_KEXEC__COUNT, "kexec_load" },
		{ kdh_trigger_name, kdh_trigger_from_name, KDH_TRIGGER__COUNT, "nmi" },
	};

	for (gsize t = 0; t < G_N_ELEMENTS(tables); t++) {
		ck_assert_str_eq(tables[t].name(0), tables[t].first);
		for (int v = 0; v < tables[t].count; v++)
			ck_assert_int_eq(tables[t].from_name(tables[t].name(v)), v);
		ck_assert_ptr_null(tables[t].name(tables[t].count));
		ck_assert_ptr_null(tables[t].name(-1));
		ck_assert_int_eq(tables[t].from_name("NMI"), -1);
		ck_assert_int_eq(tables[t].from_name(""), -1);
		ck_assert_int_eq(tables[t].from_name(NULL), -1);
	}
	ck_assert_str_eq(kdh_trigger_name(KDH_TRIGGER_SYSRQ), "sysrq");
	ck_assert_str_eq(kdh_kexec_call_name(KDH_KEXEC_NONE), "none");
	ck_assert_str_eq(kdh_platform_name(KDH_PLATFORM_HYPERV), "hyperv");
}
END_TEST

START_TEST(test_not_a_key_file)
{
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s = { 0 };

	ck_assert(!kdh_scenario_parse("test", "vcpus=4\n", &s, &error));
	ck_assert(error->domain == G_KEY_FILE_ERROR);
	ck_assert_ptr_null(s.name);
}
END_TEST

/* ---- command line and expectations ---- */

START_TEST(test_first_cmdline)
{
	struct kdh_scenario s;
	g_autofree char *with = NULL;
	g_autofree char *without = NULL;
	g_autofree char *other = NULL;
	g_autofree char *capture = NULL;

	parse_ok("", &s);
	with = kdh_scenario_first_cmdline(&s);
	ck_assert_str_eq(with, "console=ttyS0 apic_extnmi=all crashkernel=256M no_timer_check");
	capture = kdh_scenario_capture_cmdline(&s);
	ck_assert_str_eq(capture, "console=ttyS0 nr_cpus=1 irqpoll reset_devices no_timer_check");
	ck_assert(!kdh_scenario_debug_shell(&s));
	kdh_scenario_clear(&s);

	/* the shell on either command line, as a word of its own */
	parse_ok("[scenario]\ncapture-cmdline=console=ttyS0 kdh.shell\n", &s);
	ck_assert(kdh_scenario_debug_shell(&s));
	kdh_scenario_clear(&s);
	parse_ok("[scenario]\ncmdline=console=ttyS0\tkdh.shell\n", &s);
	ck_assert(kdh_scenario_debug_shell(&s));
	kdh_scenario_clear(&s);
	parse_ok("[scenario]\ncmdline=console=ttyS0 kdh.shellx\n", &s);
	ck_assert(!kdh_scenario_debug_shell(&s));
	kdh_scenario_clear(&s);

	parse_ok("[scenario]\ncrashkernel=\n", &s);
	without = kdh_scenario_first_cmdline(&s);
	ck_assert_str_eq(without, "console=ttyS0 apic_extnmi=all no_timer_check");
	ck_assert_ptr_null(strstr(without, "crashkernel"));
	kdh_scenario_clear(&s);

	parse_ok("[scenario]\ncmdline=console=ttyS0\ncrashkernel=512M@16M\n", &s);
	other = kdh_scenario_first_cmdline(&s);
	ck_assert_str_eq(other, "console=ttyS0 crashkernel=512M@16M no_timer_check");
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_expect_nmi)
{
	struct kdh_scenario s;
	struct kdh_expect x;

	parse_ok("[scenario]\nvcpus=2\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(x.vcpus, 2);
	ck_assert_str_eq(x.panic_string, "NMI: Not continuing");
	ck_assert(x.nmi_probe);
	ck_assert(x.nmi_on_every_cpu);
	/* An NMI panics whichever CPU gets there first, and that CPU must have seen it. */
	ck_assert(x.panic_from_nmi);
	ck_assert_int_eq(x.panic_cpu, -1);
	ck_assert_uint_eq(x.fail_on, s.fail_on);
	ck_assert_uint_eq(x.warn_on, s.warn_on);
	kdh_scenario_clear(&s);

	parse_ok("[expect]\nfail-on=WARNING\nwarn-on=Oops\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_uint_eq(x.fail_on, 1u << KDH_COMPLAINT_WARNING);
	ck_assert_uint_eq(x.warn_on, 1u << KDH_COMPLAINT_OOPS);
	kdh_scenario_clear(&s);

	/* trigger-cpu means nothing to the host's NMI; panic-cpu is what counts. */
	parse_ok("[scenario]\ntrigger-cpu=3\n[expect]\nnmi-on-every-cpu=false\npanic-cpu=0\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert(!x.nmi_on_every_cpu);
	ck_assert(x.panic_from_nmi);
	ck_assert_int_eq(x.panic_cpu, 0);
	kdh_scenario_clear(&s);

	parse_ok("[scenario]\ntrigger-cpu=3\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(x.panic_cpu, -1);
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_expect_sysrq)
{
	struct kdh_scenario s;
	struct kdh_expect x;

	/* A sysrq from CPU n panics on CPU n, and no NMI is asked of it. */
	parse_ok("[scenario]\ntrigger=sysrq\ntrigger-cpu=3\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(x.vcpus, 4);
	ck_assert_str_eq(x.panic_string, "sysrq triggered crash");
	ck_assert(!x.panic_from_nmi);
	ck_assert_int_eq(x.panic_cpu, 3);
	ck_assert(x.nmi_probe);
	kdh_scenario_clear(&s);

	parse_ok("[scenario]\ntrigger=sysrq\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(x.panic_cpu, 0);
	kdh_scenario_clear(&s);

	/* An explicit panic-cpu wins over the trigger's CPU. */
	parse_ok("[scenario]\ntrigger=sysrq\ntrigger-cpu=3\n[expect]\npanic-cpu=1\n", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(x.panic_cpu, 1);
	kdh_scenario_clear(&s);
}
END_TEST

/* ---- files ---- */

/* Made and removed by the parent process: a failed assertion ends a test's
 * process before a teardown of its own would run. Each test writes files of
 * its own names. */
static char *tmp;

static void tmp_setup(void)
{
	tmp = g_dir_make_tmp("kdh-test-config-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmp);
}

static void tmp_teardown(void)
{
	g_autoptr(GDir) dir = g_dir_open(tmp, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(tmp, name, NULL);

		g_remove(path);
	}
	g_rmdir(tmp);
	g_clear_pointer(&tmp, g_free);
}

START_TEST(test_load_names_file)
{
	g_autofree char *path = g_build_filename(tmp, "bad-vcpus.conf", NULL);
	g_autofree char *missing = g_build_filename(tmp, "missing.conf", NULL);
	g_autofree char *expected = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	struct kdh_scenario s;

	ck_assert(g_file_set_contents(path, "[scenario]\nvcpus=0\n", -1, NULL));
	ck_assert(!kdh_scenario_load(path, &s, &error));
	ck_assert(g_error_matches(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE));
	expected = g_strdup_printf("scenario '%s': [scenario] vcpus: '0' is not a whole number "
				   "from 1 to 64", path);
	ck_assert_str_eq(error->message, expected);

	ck_assert(!kdh_scenario_load(missing, &s, &error2));
	ck_assert(g_error_matches(error2, G_FILE_ERROR, G_FILE_ERROR_NOENT));
	ck_assert_msg(strstr(error2->message, missing), "%s", error2->message);
}
END_TEST

START_TEST(test_load_name)
{
	g_autofree char *path = g_build_filename(tmp, "my.scenario.conf", NULL);
	struct kdh_scenario s;
	g_autoptr(GError) error = NULL;

	/* The name is the file's, without the last extension. */
	ck_assert(g_file_set_contents(path, "[scenario]\ndescription=x\n", -1, NULL));
	ck_assert_msg(kdh_scenario_load(path, &s, &error), "%s", error ? error->message : "-");
	ck_assert_str_eq(s.name, "my.scenario");
	ck_assert_str_eq(s.description, "x");
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_path)
{
	g_autofree char *file = g_build_filename(tmp, "one.conf", NULL);
	g_autofree char *found = NULL;
	g_autofree char *by_path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error2 = NULL;
	char *none;

	ck_assert(g_file_set_contents(file, "", -1, NULL));
	found = kdh_scenario_path("one", tmp, NULL);
	ck_assert_str_eq(found, file);
	by_path = kdh_scenario_path(file, "/nonexistent", NULL);
	ck_assert_str_eq(by_path, file);

	none = kdh_scenario_path("two", tmp, &error);
	ck_assert_ptr_null(none);
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
	ck_assert_msg(strstr(error->message, "'two'"), "%s", error->message);
	/* A path is not looked up in the directory. */
	none = kdh_scenario_path("x/one", tmp, &error2);
	ck_assert_ptr_null(none);
	ck_assert(g_error_matches(error2, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
}
END_TEST

/* Every DIR/\*.conf loads; returns how many there are. */
static guint load_all(const char *dir_path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, &error);
	const char *name;
	guint n = 0;

	ck_assert_msg(dir, "%s", error ? error->message : "-");
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(dir_path, name, NULL);
		g_autoptr(GError) load_error = NULL;
		struct kdh_scenario s;

		if (!g_str_has_suffix(name, ".conf"))
			continue;
		ck_assert_msg(kdh_scenario_load(path, &s, &load_error), "%s", load_error->message);
		ck_assert_msg(strlen(name) == strlen(s.name) + strlen(".conf") &&
				      g_str_has_prefix(name, s.name),
			      "%s is named '%s'", path, s.name);
		ck_assert_msg(*s.description, "%s has no description", path);
		kdh_scenario_clear(&s);
		n++;
	}
	return n;
}

START_TEST(test_shipped_files_load)
{
	/* At least the ones there are today: an empty or missing folder is no pass. */
	ck_assert_uint_ge(load_all("scenarios"), 4);
	ck_assert_uint_ge(load_all("tests/scenarios"), 2);
}
END_TEST

static void load_shipped(const char *path, struct kdh_scenario *s)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(kdh_scenario_load(path, s, &error), "%s", error ? error->message : "-");
}

START_TEST(test_shipped_files_mean)
{
	struct kdh_scenario s;
	struct kdh_expect x;
	g_autofree char *cmdline = NULL;

	load_shipped("scenarios/nmi-all-vcpus.conf", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(s.trigger, KDH_TRIGGER_NMI);
	ck_assert_int_eq(x.vcpus, 4);
	ck_assert(x.nmi_probe && x.nmi_on_every_cpu && x.panic_from_nmi);
	ck_assert_int_eq(x.panic_cpu, -1);
	ck_assert_str_eq(x.panic_string, "NMI: Not continuing");
	ck_assert_int_eq(s.kexec, KDH_KEXEC_LOAD);
	ck_assert_ptr_nonnull(strstr(s.cmdline, "apic_extnmi=all"));
	kdh_scenario_clear(&s);

	load_shipped("scenarios/nmi-all-vcpus-kexec-file.conf", &s);
	ck_assert_int_eq(s.kexec, KDH_KEXEC_FILE_LOAD);
	kdh_scenario_clear(&s);

	load_shipped("scenarios/nmi-cpu0.conf", &s);
	x = kdh_scenario_expect(&s);
	ck_assert(x.nmi_probe && !x.nmi_on_every_cpu && x.panic_from_nmi);
	ck_assert_ptr_null(strstr(s.cmdline, "apic_extnmi"));
	kdh_scenario_clear(&s);

	load_shipped("scenarios/sysrq-cpu2.conf", &s);
	x = kdh_scenario_expect(&s);
	ck_assert_int_eq(s.trigger, KDH_TRIGGER_SYSRQ);
	ck_assert_int_eq(s.trigger_cpu, 2);
	ck_assert(!x.panic_from_nmi);
	ck_assert_int_eq(x.panic_cpu, 2);
	ck_assert_str_eq(x.panic_string, "sysrq triggered crash");
	kdh_scenario_clear(&s);

	/* the same crash off the VMBus connect CPU (0), on Hyper-V's face */
	load_shipped("scenarios/hyperv-sysrq-cpu1.conf", &s);
	x = kdh_scenario_expect(&s);
	ck_assert(s.hyperv && x.vmbus);
	ck_assert_int_eq(s.trigger, KDH_TRIGGER_SYSRQ);
	ck_assert_int_eq(s.trigger_cpu, 1);
	ck_assert(!x.panic_from_nmi);
	ck_assert_int_eq(x.panic_cpu, 1);
	ck_assert_str_eq(x.panic_string, "sysrq triggered crash");
	ck_assert(x.warn_on & (1u << KDH_COMPLAINT_WARNING));
	ck_assert(!(x.fail_on & (1u << KDH_COMPLAINT_WARNING)));
	kdh_scenario_clear(&s);

	load_shipped("tests/scenarios/broken-no-crashkernel.conf", &s);
	cmdline = kdh_scenario_first_cmdline(&s);
	ck_assert_ptr_null(strstr(cmdline, "crashkernel"));
	kdh_scenario_clear(&s);

	load_shipped("tests/scenarios/broken-no-capture-kernel.conf", &s);
	ck_assert_int_eq(s.kexec, KDH_KEXEC_NONE);
	kdh_scenario_clear(&s);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_defaults_sysrq);
	tcase_add_test(tc, test_every_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_unknown_group);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_unknown_deadline);
	tcase_add_test(tc, test_bad_numbers);
	tcase_add_test(tc, test_bad_choices);
	tcase_add_test(tc, test_cpu_out_of_range);
	tcase_add_test(tc, test_probe_with_unknown_nmi_panic);
	tcase_add_test(tc, test_every_cpu_without_probe);
	tcase_add_test(tc, test_complaint_kinds);
	tcase_add_test(tc, test_complaint_lists);
	tcase_add_test(tc, test_probe_with_unknown_nmi_panic_spellings);
	tcase_add_test(tc, test_capture_cmdline_line_break);
	tcase_add_test(tc, test_not_a_key_file);
	tcase_add_test(tc, test_makedumpfile_arguments);
	tcase_add_test(tc, test_name_tables);
	suite_add_tcase(s, tc);

	tc = tcase_create("derived");
	tcase_add_test(tc, test_first_cmdline);
	tcase_add_test(tc, test_expect_nmi);
	tcase_add_test(tc, test_expect_sysrq);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_load_names_file);
	tcase_add_test(tc, test_load_name);
	tcase_add_test(tc, test_path);
	tcase_add_test(tc, test_shipped_files_load);
	tcase_add_test(tc, test_shipped_files_mean);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kdh_test_run(config_suite());
}

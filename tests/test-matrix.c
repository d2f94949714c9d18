/* Unit tests of harness/scenario/matrix.c: the shipped matrices expanded against the
 * shipped scenarios, every way a matrix file can be wrong, and shards. */
#include <check.h>

#include "kdh-config.h"
#include "kdh-matrix.h"
#include "kdh-test.h"

/* A file of the repository (its top is two levels above tests/data). */
static char *repo_file(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(kdh_test_data_dir(), "..", "..", dir, name, NULL);
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error))
		ck_abort_msg("%s", error->message);
	return text;
}

/* The shipped scenarios' texts, by name, for every scenario M names. */
static GHashTable *scenarios_of(const struct kdh_matrix *m)
{
	GHashTable *texts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (char **s = m->axes[KDH_AXIS_SCENARIO]; *s; s++) {
		g_autofree char *file = g_strconcat(*s, ".conf", NULL);

		g_hash_table_insert(texts, g_strdup(*s), repo_file("scenarios", file));
	}
	return texts;
}

static void parse_ok(const char *text, struct kdh_matrix *m)
{
	g_autoptr(GError) error = NULL;

	ck_assert_msg(kdh_matrix_parse("m", text, m, &error), "%s", error ? error->message : "");
}

static GPtrArray *expand_ok(const struct kdh_matrix *m)
{
	g_autoptr(GHashTable) texts = scenarios_of(m);
	g_autoptr(GError) error = NULL;
	GPtrArray *cases = kdh_matrix_expand(m, texts, &error);

	ck_assert_msg(cases != NULL, "%s", error ? error->message : "");
	return cases;
}

static const char *case_id(GPtrArray *cases, guint i)
{
	return ((struct kdh_case *)cases->pdata[i])->id;
}

START_TEST(test_small_matrix)
{
	g_autofree char *text = repo_file("matrices", "small.conf");
	struct kdh_matrix m;
	g_autoptr(GPtrArray) cases = NULL;
	struct kdh_scenario s;
	const struct kdh_case *c;

	parse_ok(text, &m);
	ck_assert_int_eq(m.repeat, 2);
	ck_assert_ptr_null(kdh_matrix_kernel(&m, "default"));
	ck_assert_str_eq(kdh_matrix_kernel(&m, "older")->kind, "debian");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "older")->value, "linux-image-6.1.0-47-amd64");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "new")->kind, "debian");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "new")->value, "linux-image-6.12-amd64");
	cases = expand_ok(&m);
	ck_assert_int_eq(cases->len, 6);
	/* the last axis varies fastest; unlisted axes keep the scenario's values */
	ck_assert_str_eq(case_id(cases, 0), "nmi-all-vcpus/default/virtio/vcpus=2/memory-mib=1024/"
					    "crashkernel=256M/kexec=kexec_load");
	ck_assert_str_eq(case_id(cases, 1), "nmi-all-vcpus/default/virtio/vcpus=4/memory-mib=1024/"
					    "crashkernel=256M/kexec=kexec_load");
	ck_assert_str_eq(case_id(cases, 3), "nmi-all-vcpus/older/virtio/vcpus=4/memory-mib=1024/"
					    "crashkernel=256M/kexec=kexec_load");
	/* the case's scenario is the scenario file with the case's values in it */
	c = cases->pdata[0];
	ck_assert_str_eq(c->values[KDH_AXIS_VCPUS], "2");
	ck_assert(kdh_scenario_parse("nmi-all-vcpus", c->scenario_text, &s, NULL));
	ck_assert_int_eq(s.vcpus, 2);
	ck_assert_str_eq(s.panic_string, "NMI: Not continuing");
	ck_assert_str_eq(s.cmdline, "console=ttyS0 apic_extnmi=all");
	kdh_scenario_clear(&s);
	kdh_matrix_clear(&m);
}
END_TEST

/* Every kernel layout a package gives, the .deb file as it is among them. */
START_TEST(test_kernels_matrix)
{
	g_autofree char *text = repo_file("matrices", "kernels.conf");
	struct kdh_matrix m;
	g_autoptr(GPtrArray) cases = NULL;

	parse_ok(text, &m);
	ck_assert_str_eq(kdh_matrix_kernel(&m, "new")->kind, "debian");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "new-deb")->kind, "deb");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "new-deb")->value, "linux-image-6.12-amd64");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "source")->kind, "source");
	cases = expand_ok(&m);
	ck_assert_int_eq(cases->len, 4);
	ck_assert_str_eq(case_id(cases, 2), "nmi-all-vcpus/new-deb/virtio/vcpus=4/memory-mib=1024/"
					    "crashkernel=256M/kexec=kexec_load");
	kdh_matrix_clear(&m);
}
END_TEST

START_TEST(test_nightly_matrix)
{
	g_autofree char *text = repo_file("matrices", "nightly.conf");
	struct kdh_matrix m;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);

	parse_ok(text, &m);
	cases = expand_ok(&m);
	/* 3 scenarios x 4 kernels x 2 vCPU counts x 2 sizes x 2 calls, less sysrq-cpu2
	 * on 2 vCPUs (4 kernels x 2 x 2) */
	ck_assert_int_eq(cases->len, 96 - 16);
	for (guint i = 0; i < cases->len; i++) {
		const struct kdh_case *c = cases->pdata[i];

		ck_assert_msg(g_hash_table_add(ids, c->id), "%s twice", c->id);
		ck_assert_msg(!(g_str_equal(c->values[KDH_AXIS_SCENARIO], "sysrq-cpu2") &&
				g_str_equal(c->values[KDH_AXIS_VCPUS], "2")),
			      "%s was excluded", c->id);
	}
	ck_assert_str_eq(case_id(cases, 1), "nmi-all-vcpus/default/virtio/vcpus=2/memory-mib=1024/"
					    "crashkernel=192M/kexec=kexec_file_load");
	ck_assert_str_eq(kdh_matrix_kernel(&m, "source")->kind, "source");
	kdh_matrix_clear(&m);
}
END_TEST

/* The matrix TEXT is refused, with a message holding WHAT. */
static void assert_refused(const char *text, const char *what)
{
	struct kdh_matrix m;
	g_autoptr(GError) error = NULL;

	ck_assert_msg(!kdh_matrix_parse("m", text, &m, &error), "accepted: %s", text);
	ck_assert_msg(strstr(error->message, what), "'%s' does not say '%s'", error->message, what);
}

START_TEST(test_refused)
{
	const char *head = "[matrix]\nscenario=nmi-all-vcpus\nkernel=default\n";
	const struct {
		const char *extra;
		const char *what;
	} bad[] = {
		{ "vpcus=2\n", "[matrix] vpcus: unknown key" },
		{ "vcpus=\n", "[matrix] vcpus: empty list" },
		{ "vcpus=2;2\n", "[matrix] vcpus: a value given twice" },
		/* a second [matrix] merges into the first: its keys come twice */
		{ "[matrix]\nvcpus=4\nvcpus=2\n", "[matrix] vcpus: given twice" },
		{ "[exclude e]\nvcpus=2\nvcpus=4\n", "[exclude e] vcpus: given twice" },
		{ "kexec=a/b\n", "[matrix] kexec: empty value or one with '/'" },
		{ "repeat=0\n", "[matrix] repeat: not a number from 1 to 1000" },
		{ "repeat=two\n", "[matrix] repeat" },
		{ "[kernels x]\npath=/x\n", "[kernels x] *: unknown group" },
		{ "[kernel x]\npath=/x\ndebian=y\n", "[kernel x] *: needs exactly one of" },
		{ "[kernel x]\ntree=/x\n", "[kernel x] *: needs exactly one of" },
		{ "[kernel x]\npath=\n", "[kernel x] path: empty" },
		{ "[kernel x]\npath=/x\xff\n", "[kernel x] path: not a readable value" },
		{ "[kernel default]\npath=/x\n", "[kernel default] *: not a kernel name" },
		{ "[kernel a/b]\npath=/x\n", "[kernel a/b] *: not a kernel name" },
		{ "[exclude e]\n", "[exclude e] *: excludes nothing" },
		{ "[exclude e]\ncpus=2\n", "[exclude e] cpus: unknown key" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text = g_strconcat(head, bad[i].extra, NULL);

		assert_refused(text, bad[i].what);
	}
	assert_refused("[matrix]\nkernel=default\n", "[matrix] scenario: missing");
	assert_refused("[matrix]\nscenario=nmi-all-vcpus\n", "[matrix] kernel: missing");
	assert_refused("[matrix]\nscenario=x\nkernel=default;old\n",
		       "[matrix] kernel: no [kernel old] group");
	assert_refused("[kernel old]\npath=/x\n", "[matrix] *: missing");
	assert_refused("[matrix\n", "");
}
END_TEST

/* A case whose scenario does not hold together is refused by name. */
START_TEST(test_case_refused)
{
	struct kdh_matrix m;
	g_autoptr(GHashTable) texts = NULL;
	g_autoptr(GError) error = NULL;

	parse_ok("[matrix]\nscenario=sysrq-cpu2\nkernel=default\nvcpus=4;2\n", &m);
	texts = scenarios_of(&m);
	ck_assert_ptr_null(kdh_matrix_expand(&m, texts, &error));
	ck_assert_str_eq(error->message,
			 "case sysrq-cpu2/default/virtio/vcpus=2/memory-mib=1024/crashkernel=256M/"
			 "kexec=kexec_load: [scenario] trigger-cpu: '2' is not a whole number "
			 "from 0 to 1");
	g_clear_error(&error);
	g_hash_table_remove(texts, "sysrq-cpu2");
	ck_assert_ptr_null(kdh_matrix_expand(&m, texts, &error));
	ck_assert_str_eq(error->message, "no scenario 'sysrq-cpu2' given");
	kdh_matrix_clear(&m);
}
END_TEST

/* Excludes match a case's values, the scenario's own ones included; a key's list
 * is any of its values. */
START_TEST(test_exclude)
{
	struct kdh_matrix m;
	g_autoptr(GPtrArray) cases = NULL;

	parse_ok("[matrix]\nscenario=nmi-all-vcpus;nmi-cpu0\nkernel=default\nvcpus=1;2;4\n"
		 "[exclude a]\nscenario=nmi-cpu0\nmemory-mib=1024\nvcpus=1;4\n"
		 "[exclude b]\nvcpus=2\ncrashkernel=256M\nscenario=nmi-all-vcpus\n",
		 &m);
	cases = expand_ok(&m);
	ck_assert_int_eq(cases->len, 3);
	ck_assert(g_str_has_prefix(case_id(cases, 0), "nmi-all-vcpus/default/virtio/vcpus=1/"));
	ck_assert(g_str_has_prefix(case_id(cases, 1), "nmi-all-vcpus/default/virtio/vcpus=4/"));
	ck_assert(g_str_has_prefix(case_id(cases, 2), "nmi-cpu0/default/virtio/vcpus=2/"));
	kdh_matrix_clear(&m);
}
END_TEST

START_TEST(test_shards)
{
	const char *bad[] = { "0/2", "3/2", "1/0", "2", "1/2/3", "a/b", "", "1/1001" };
	int k, n;

	ck_assert(kdh_matrix_shard_parse("2/3", &k, &n, NULL));
	ck_assert_int_eq(k, 2);
	ck_assert_int_eq(n, 3);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
		ck_assert_msg(!kdh_matrix_shard_parse(bad[i], &k, &n, NULL), "'%s' accepted", bad[i]);
	/* every run in exactly one shard, and the shards within one of each other */
	for (n = 1; n <= 5; n++) {
		int size[6] = { 0 };

		for (int r = 0; r < 23; r++) {
			int in = 0;

			for (k = 1; k <= n; k++)
				if (kdh_matrix_shard_has(k, n, r)) {
					in++;
					size[k]++;
				}
			ck_assert_int_eq(in, 1);
		}
		for (k = 2; k <= n; k++)
			ck_assert_int_le(abs(size[k] - size[1]), 1);
	}
}
END_TEST

/* What fetch-kernel and build-kernel print: the kernel is the last line. */
START_TEST(test_kernel_made)
{
	static const struct {
		const char *output;
		const char *path; /* NULL: none */
	} cases[] = {
		{ "", NULL },
		{ "\n\n", NULL },
		{ "  \n\t\n", NULL },
		{ "/k/6.1\n", "/k/6.1" },
		{ "/k/6.1", "/k/6.1" },
		{ "building\nlinking\n/k/6.1\n\n", "/k/6.1" },
		{ "building\n  /k/6.1  \n", "/k/6.1" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = kdh_matrix_kernel_made(cases[i].output);

		if (cases[i].path)
			ck_assert_str_eq(path, cases[i].path);
		else
			ck_assert_msg(!path, "case %zu: '%s'", i, path);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("matrix");

	tcase_add_test(tc, test_small_matrix);
	tcase_add_test(tc, test_nightly_matrix);
	tcase_add_test(tc, test_kernels_matrix);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_case_refused);
	tcase_add_test(tc, test_exclude);
	tcase_add_test(tc, test_shards);
	tcase_add_test(tc, test_kernel_made);
	suite_add_tcase(s, tc);
	return kdh_test_run(s);
}

/* Unit tests of harness/define/domxml.c: the documents are read back with libxml2 and
 * XPath, and checked against libvirt's own schemas with virt-xml-validate. */
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "kdh-domxml.h"
#include "kdh-spawn.h"
#include "kdh-test.h"

/* Characters that would change an XML document's structure if pasted in as text. */
#define METACHARS "x=<a>&b;'q'\"dq\"]]>&amp;"

static const struct kdh_domain_spec spec = {
	.name = "kdh-20261125-033033-10428-nmi-all-vcpus",
	.type = "qemu",
	.vcpus = 4,
	.memory_mib = 1024,
	.kernel = "/var/lib/kdh/pool/vmlinuz",
	.initrd = "/var/lib/kdh/pool/initrd.img",
	.cmdline = "console=ttyS0 apic_extnmi=all crashkernel=256M",
	.dump_disk = "/var/lib/kdh/pool/dump.raw",
	.dump_serial = "kdhdump",
};

/* ---- domain ---- */

START_TEST(test_domain)
{
	g_autofree char *xml = kdh_domxml_domain(&spec);
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/domain/@type", "qemu");
	kdh_test_assert_xpath(&d, "/domain/name", "kdh-20261125-033033-10428-nmi-all-vcpus");
	kdh_test_assert_xpath(&d, "/domain/memory", "1024");
	kdh_test_assert_xpath(&d, "/domain/memory/@unit", "MiB");
	kdh_test_assert_xpath(&d, "/domain/vcpu", "4");

	/* Direct kernel boot. */
	kdh_test_assert_xpath(&d, "/domain/os/type", "hvm");
	kdh_test_assert_xpath(&d, "/domain/os/type/@arch", "x86_64");
	kdh_test_assert_xpath(&d, "/domain/os/type/@machine", "q35");
	kdh_test_assert_xpath(&d, "/domain/os/kernel", "/var/lib/kdh/pool/vmlinuz");
	kdh_test_assert_xpath(&d, "/domain/os/initrd", "/var/lib/kdh/pool/initrd.img");
	kdh_test_assert_xpath(&d, "/domain/os/cmdline", "console=ttyS0 apic_extnmi=all crashkernel=256M");
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/os/boot"), 0);

	/* Every way out destroys the guest: nothing restarts into a second first kernel. */
	kdh_test_assert_xpath(&d, "/domain/on_poweroff", "destroy");
	kdh_test_assert_xpath(&d, "/domain/on_reboot", "destroy");
	kdh_test_assert_xpath(&d, "/domain/on_crash", "destroy");

	/* The dump disk, found by its serial in the capture kernel. */
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/disk"), 1);
	kdh_test_assert_xpath(&d, "/domain/devices/disk/@type", "file");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/@device", "disk");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/driver/@name", "qemu");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/driver/@type", "raw");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/source/@file", "/var/lib/kdh/pool/dump.raw");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/target/@bus", "virtio");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/target/@dev", "vda");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/serial", "kdhdump");

	/* The console the harness reads: ttyS0 on a pty. */
	kdh_test_assert_xpath(&d, "/domain/devices/serial/@type", "pty");
	kdh_test_assert_xpath(&d, "/domain/devices/serial/target/@port", "0");
	kdh_test_assert_xpath(&d, "/domain/devices/console/@type", "pty");
	kdh_test_assert_xpath(&d, "/domain/devices/console/target/@type", "serial");
	kdh_test_assert_xpath(&d, "/domain/devices/console/target/@port", "0");

	/* Nothing the crash path does not use. */
	kdh_test_assert_xpath(&d, "/domain/devices/controller[@type='usb']/@model", "none");
	kdh_test_assert_xpath(&d, "/domain/devices/memballoon/@model", "none");
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/interface"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/graphics"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/*"), 5);
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_domain_kvm_and_sizes)
{
	struct kdh_domain_spec big = spec;
	g_autofree char *xml = NULL;
	struct kdh_test_doc d = { 0 };

	big.type = "kvm";
	big.vcpus = 64;
	big.memory_mib = 65536;
	xml = kdh_domxml_domain(&big);
	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/domain/@type", "kvm");
	kdh_test_assert_xpath(&d, "/domain/vcpu", "64");
	kdh_test_assert_xpath(&d, "/domain/memory", "65536");
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_domain_metachars)
{
	struct kdh_domain_spec odd = spec;
	g_autofree char *xml = NULL;
	struct kdh_test_doc d = { 0 };

	/* A scenario's command line goes in as text and comes out unchanged. */
	odd.cmdline = "console=ttyS0 " METACHARS " <cmdline>injected</cmdline>";
	odd.kernel = "/pool/a&b<c>/vmlinuz";
	odd.dump_serial = "s'\"<>&";
	xml = kdh_domxml_domain(&odd);
	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/domain/os/cmdline", odd.cmdline);
	kdh_test_assert_xpath(&d, "/domain/os/kernel", odd.kernel);
	kdh_test_assert_xpath(&d, "/domain/devices/disk/serial", odd.dump_serial);
	/* No element came from the text. */
	ck_assert_int_eq(kdh_test_doc_count(&d, "//cmdline"), 1);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/os/cmdline/*"), 0);
	kdh_test_doc_clear(&d);
}
END_TEST

/* ---- pool and volume ---- */

START_TEST(test_pool)
{
	g_autofree char *xml = kdh_domxml_pool("kdh-20261125-033033-10428-nmi-cpu0",
					       "/var/lib/kdh/pools/kdh-20261125-033033-10428-nmi-cpu0");
	g_autofree char *odd = kdh_domxml_pool("p", "/tmp/" METACHARS);
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/pool/@type", "dir");
	kdh_test_assert_xpath(&d, "/pool/name", "kdh-20261125-033033-10428-nmi-cpu0");
	kdh_test_assert_xpath(&d, "/pool/target/path",
		     "/var/lib/kdh/pools/kdh-20261125-033033-10428-nmi-cpu0");
	kdh_test_doc_clear(&d);

	kdh_test_doc_parse(&d, odd);
	kdh_test_assert_xpath(&d, "/pool/target/path", "/tmp/" METACHARS);
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_volume)
{
	/* Bigger than 32 bits: a dump disk for a guest with 8 GiB. */
	g_autofree char *xml = kdh_domxml_volume("dump.raw", G_GUINT64_CONSTANT(8657043456));
	g_autofree char *empty = kdh_domxml_volume("vmlinuz", 0);
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/volume/name", "dump.raw");
	kdh_test_assert_xpath(&d, "/volume/capacity", "8657043456");
	kdh_test_assert_xpath(&d, "/volume/capacity/@unit", "bytes");
	/* Sparse: nothing allocated until the capture kernel writes. */
	kdh_test_assert_xpath(&d, "/volume/allocation", "0");
	kdh_test_assert_xpath(&d, "/volume/allocation/@unit", "bytes");
	kdh_test_assert_xpath(&d, "/volume/target/format/@type", "raw");
	kdh_test_doc_clear(&d);

	kdh_test_doc_parse(&d, empty);
	kdh_test_assert_xpath(&d, "/volume/capacity", "0");
	kdh_test_doc_clear(&d);
}
END_TEST

/* ---- libvirt's schemas ---- */

START_TEST(test_schema_domain)
{
	struct kdh_domain_spec odd = spec;
	g_autofree char *xml = kdh_domxml_domain(&spec);
	g_autofree char *kvm = NULL;

	kdh_test_assert_valid(xml, "domain");
	odd.type = "kvm";
	odd.cmdline = "console=ttyS0 " METACHARS;
	kvm = kdh_domxml_domain(&odd);
	kdh_test_assert_valid(kvm, "domain");
}
END_TEST

START_TEST(test_schema_pool)
{
	g_autofree char *xml = kdh_domxml_pool("kdh-20261125-033033-10428-nmi-cpu0",
					       "/var/lib/kdh/pools/kdh-20261125-033033-10428-nmi-cpu0");

	kdh_test_assert_valid(xml, "storagepool");
}
END_TEST

START_TEST(test_schema_volume)
{
	g_autofree char *xml = kdh_domxml_volume("dump.raw", G_GUINT64_CONSTANT(1140850688));

	kdh_test_assert_valid(xml, "storagevol");
}
END_TEST

START_TEST(test_schema_rejects)
{
	/* The check itself can fail: a domain without its name is no domain. */
	static const char bad[] = "<domain type='qemu'><memory>1</memory></domain>\n";
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *output = NULL;
	int fd = g_file_open_tmp("kdh-test-domxml-XXXXXX.xml", &path, &error);
	const char *argv[] = { "virt-xml-validate", path, "domain", NULL };
	int status = -1;
	gboolean ran;

	ck_assert(fd >= 0);
	close(fd);
	ck_assert(g_file_set_contents(path, bad, -1, NULL));
	ran = kdh_spawn_sync(argv, 60, &output, &status, &error);
	g_unlink(path);
	ck_assert_msg(ran, "%s", error ? error->message : "-");
	ck_assert_int_ne(status, 0);
}
END_TEST

static Suite *domxml_suite(void)
{
	Suite *s = suite_create("domxml");
	TCase *tc;

	tc = tcase_create("documents");
	tcase_add_test(tc, test_domain);
	tcase_add_test(tc, test_domain_kvm_and_sizes);
	tcase_add_test(tc, test_domain_metachars);
	tcase_add_test(tc, test_pool);
	tcase_add_test(tc, test_volume);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	/* virt-xml-validate runs xmllint on libvirt's RelaxNG schemas: seconds. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_schema_domain);
	tcase_add_test(tc, test_schema_pool);
	tcase_add_test(tc, test_schema_volume);
	tcase_add_test(tc, test_schema_rejects);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int status = kdh_test_run(domxml_suite());

	xmlCleanupParser();
	return status;
}

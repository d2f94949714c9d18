/* Unit tests of harness/domxml.c: the documents are read back with libxml2 and
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

struct doc {
	xmlDocPtr doc;
	xmlXPathContextPtr xpath;
};

static void doc_parse(struct doc *d, const char *text)
{
	d->doc = xmlReadMemory(text, strlen(text), "kdh.xml", NULL, XML_PARSE_NONET);
	ck_assert_msg(d->doc, "not well-formed:\n%s", text);
	d->xpath = xmlXPathNewContext(d->doc);
	ck_assert_ptr_nonnull(d->xpath);
}

static void doc_clear(struct doc *d)
{
	g_clear_pointer(&d->xpath, xmlXPathFreeContext);
	g_clear_pointer(&d->doc, xmlFreeDoc);
}

/* The string value of EXPR (XPath string()), "" when it selects nothing. */
static char *doc_string(struct doc *d, const char *expr)
{
	g_autofree char *wrapped = g_strdup_printf("string(%s)", expr);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST wrapped, d->xpath);
	char *value;

	ck_assert_msg(o && o->type == XPATH_STRING, "bad XPath '%s'", expr);
	value = g_strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return value;
}

/* How many nodes EXPR selects. */
static int doc_count(struct doc *d, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, d->xpath);
	int n;

	ck_assert_msg(o && o->type == XPATH_NODESET, "bad XPath '%s'", expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

/* EXPR selects exactly one node, whose string value is EXPECTED. */
static void assert_value(struct doc *d, const char *expr, const char *expected)
{
	g_autofree char *value = NULL;

	ck_assert_msg(doc_count(d, expr) == 1, "'%s' selects %d nodes", expr, doc_count(d, expr));
	value = doc_string(d, expr);
	ck_assert_msg(strcmp(value, expected) == 0, "%s is '%s', expected '%s'", expr, value,
		      expected);
}

/* ---- domain ---- */

START_TEST(test_domain)
{
	g_autofree char *xml = kdh_domxml_domain(&spec);
	struct doc d = { 0 };

	doc_parse(&d, xml);
	assert_value(&d, "/domain/@type", "qemu");
	assert_value(&d, "/domain/name", "kdh-20261125-033033-10428-nmi-all-vcpus");
	assert_value(&d, "/domain/memory", "1024");
	assert_value(&d, "/domain/memory/@unit", "MiB");
	assert_value(&d, "/domain/vcpu", "4");

	/* Direct kernel boot. */
	assert_value(&d, "/domain/os/type", "hvm");
	assert_value(&d, "/domain/os/type/@arch", "x86_64");
	assert_value(&d, "/domain/os/type/@machine", "q35");
	assert_value(&d, "/domain/os/kernel", "/var/lib/kdh/pool/vmlinuz");
	assert_value(&d, "/domain/os/initrd", "/var/lib/kdh/pool/initrd.img");
	assert_value(&d, "/domain/os/cmdline", "console=ttyS0 apic_extnmi=all crashkernel=256M");
	ck_assert_int_eq(doc_count(&d, "/domain/os/boot"), 0);

	/* Every way out destroys the guest: nothing restarts into a second first kernel. */
	assert_value(&d, "/domain/on_poweroff", "destroy");
	assert_value(&d, "/domain/on_reboot", "destroy");
	assert_value(&d, "/domain/on_crash", "destroy");

	/* The dump disk, found by its serial in the capture kernel. */
	ck_assert_int_eq(doc_count(&d, "/domain/devices/disk"), 1);
	assert_value(&d, "/domain/devices/disk/@type", "file");
	assert_value(&d, "/domain/devices/disk/@device", "disk");
	assert_value(&d, "/domain/devices/disk/driver/@name", "qemu");
	assert_value(&d, "/domain/devices/disk/driver/@type", "raw");
	assert_value(&d, "/domain/devices/disk/source/@file", "/var/lib/kdh/pool/dump.raw");
	assert_value(&d, "/domain/devices/disk/target/@bus", "virtio");
	assert_value(&d, "/domain/devices/disk/target/@dev", "vda");
	assert_value(&d, "/domain/devices/disk/serial", "kdhdump");

	/* The console the harness reads: ttyS0 on a pty. */
	assert_value(&d, "/domain/devices/serial/@type", "pty");
	assert_value(&d, "/domain/devices/serial/target/@port", "0");
	assert_value(&d, "/domain/devices/console/@type", "pty");
	assert_value(&d, "/domain/devices/console/target/@type", "serial");
	assert_value(&d, "/domain/devices/console/target/@port", "0");

	/* Nothing the crash path does not use. */
	assert_value(&d, "/domain/devices/controller[@type='usb']/@model", "none");
	assert_value(&d, "/domain/devices/memballoon/@model", "none");
	ck_assert_int_eq(doc_count(&d, "/domain/devices/interface"), 0);
	ck_assert_int_eq(doc_count(&d, "/domain/devices/graphics"), 0);
	ck_assert_int_eq(doc_count(&d, "/domain/devices/*"), 5);
	doc_clear(&d);
}
END_TEST

START_TEST(test_domain_kvm_and_sizes)
{
	struct kdh_domain_spec big = spec;
	g_autofree char *xml = NULL;
	struct doc d = { 0 };

	big.type = "kvm";
	big.vcpus = 64;
	big.memory_mib = 65536;
	xml = kdh_domxml_domain(&big);
	doc_parse(&d, xml);
	assert_value(&d, "/domain/@type", "kvm");
	assert_value(&d, "/domain/vcpu", "64");
	assert_value(&d, "/domain/memory", "65536");
	doc_clear(&d);
}
END_TEST

START_TEST(test_domain_metachars)
{
	struct kdh_domain_spec odd = spec;
	g_autofree char *xml = NULL;
	struct doc d = { 0 };

	/* A scenario's command line goes in as text and comes out unchanged. */
	odd.cmdline = "console=ttyS0 " METACHARS " <cmdline>injected</cmdline>";
	odd.kernel = "/pool/a&b<c>/vmlinuz";
	odd.dump_serial = "s'\"<>&";
	xml = kdh_domxml_domain(&odd);
	doc_parse(&d, xml);
	assert_value(&d, "/domain/os/cmdline", odd.cmdline);
	assert_value(&d, "/domain/os/kernel", odd.kernel);
	assert_value(&d, "/domain/devices/disk/serial", odd.dump_serial);
	/* No element came from the text. */
	ck_assert_int_eq(doc_count(&d, "//cmdline"), 1);
	ck_assert_int_eq(doc_count(&d, "/domain/os/cmdline/*"), 0);
	doc_clear(&d);
}
END_TEST

/* ---- pool and volume ---- */

START_TEST(test_pool)
{
	g_autofree char *xml = kdh_domxml_pool("kdh-20261125-033033-10428-nmi-cpu0",
					       "/var/lib/kdh/pools/kdh-20261125-033033-10428-nmi-cpu0");
	g_autofree char *odd = kdh_domxml_pool("p", "/tmp/" METACHARS);
	struct doc d = { 0 };

	doc_parse(&d, xml);
	assert_value(&d, "/pool/@type", "dir");
	assert_value(&d, "/pool/name", "kdh-20261125-033033-10428-nmi-cpu0");
	assert_value(&d, "/pool/target/path",
		     "/var/lib/kdh/pools/kdh-20261125-033033-10428-nmi-cpu0");
	doc_clear(&d);

	doc_parse(&d, odd);
	assert_value(&d, "/pool/target/path", "/tmp/" METACHARS);
	doc_clear(&d);
}
END_TEST

START_TEST(test_volume)
{
	/* Bigger than 32 bits: a dump disk for a guest with 8 GiB. */
	g_autofree char *xml = kdh_domxml_volume("dump.raw", G_GUINT64_CONSTANT(8657043456));
	g_autofree char *empty = kdh_domxml_volume("vmlinuz", 0);
	struct doc d = { 0 };

	doc_parse(&d, xml);
	assert_value(&d, "/volume/name", "dump.raw");
	assert_value(&d, "/volume/capacity", "8657043456");
	assert_value(&d, "/volume/capacity/@unit", "bytes");
	/* Sparse: nothing allocated until the capture kernel writes. */
	assert_value(&d, "/volume/allocation", "0");
	assert_value(&d, "/volume/allocation/@unit", "bytes");
	assert_value(&d, "/volume/target/format/@type", "raw");
	doc_clear(&d);

	doc_parse(&d, empty);
	assert_value(&d, "/volume/capacity", "0");
	doc_clear(&d);
}
END_TEST

/* ---- libvirt's schemas ---- */

/* Runs virt-xml-validate on XML as SCHEMA (a file name in libvirt's schema folder:
 * "domain", "storagepool", "storagevol"), from a temp file. */
static void assert_valid(const char *xml, const char *schema)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *output = NULL;
	int fd = g_file_open_tmp("kdh-test-domxml-XXXXXX.xml", &path, &error);
	const char *argv[] = { "virt-xml-validate", path, schema, NULL };
	int status = -1;
	gboolean ran, written;

	ck_assert_msg(fd >= 0, "%s", error ? error->message : "-");
	close(fd);
	written = g_file_set_contents(path, xml, -1, &error);
	ran = written && kdh_spawn_sync(argv, 60, &output, &status, &error);
	/* Removed before any check can end the test. */
	g_unlink(path);
	ck_assert_msg(written && ran, "%s", error ? error->message : "-");
	ck_assert_msg(status == 0, "virt-xml-validate %s exited %d:\n%s\n%s", schema, status,
		      output, xml);
}

START_TEST(test_schema_domain)
{
	struct kdh_domain_spec odd = spec;
	g_autofree char *xml = kdh_domxml_domain(&spec);
	g_autofree char *kvm = NULL;

	assert_valid(xml, "domain");
	odd.type = "kvm";
	odd.cmdline = "console=ttyS0 " METACHARS;
	kvm = kdh_domxml_domain(&odd);
	assert_valid(kvm, "domain");
}
END_TEST

START_TEST(test_schema_pool)
{
	g_autofree char *xml = kdh_domxml_pool("kdh-20261125-033033-10428-nmi-cpu0",
					       "/var/lib/kdh/pools/kdh-20261125-033033-10428-nmi-cpu0");

	assert_valid(xml, "storagepool");
}
END_TEST

START_TEST(test_schema_volume)
{
	g_autofree char *xml = kdh_domxml_volume("dump.raw", G_GUINT64_CONSTANT(1140850688));

	assert_valid(xml, "storagevol");
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

/* Unit tests of the hyperv platform: the scenario's platform table (config.c)
 * and the domain it becomes (domxml.c), read back with libxml2 and XPath and
 * checked against libvirt's own schemas with virt-xml-validate. */
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "kdh-config.h"
#include "kdh-domxml.h"
#include "kdh-spawn.h"
#include "kdh-test.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

static const char *const balloon[] = { "hv-balloon", NULL };

static const struct kdh_domain_spec spec = {
	.name = "kdh-20261125-033033-10428-hyperv-nmi-all-vcpus",
	.type = "kvm",
	.vcpus = 4,
	.memory_mib = 1024,
	.kernel = "/var/lib/libvirt/images/p/vmlinuz",
	.initrd = "/var/lib/libvirt/images/p/initrd.img",
	.cmdline = "console=ttyS0 apic_extnmi=all crashkernel=256M",
	.dump_disk = "/var/lib/libvirt/images/p/dump.raw",
	.dump_serial = "kdhdump",
	.hyperv = TRUE,
	.vmbus_devices = balloon,
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
	/* The prefix is the test's own: what counts is the namespace URI. */
	ck_assert_int_eq(xmlXPathRegisterNs(d->xpath, BAD_CAST "q", BAD_CAST QEMU_NS), 0);
}

static void doc_clear(struct doc *d)
{
	g_clear_pointer(&d->xpath, xmlXPathFreeContext);
	g_clear_pointer(&d->doc, xmlFreeDoc);
}

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

static int doc_count(struct doc *d, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, d->xpath);
	int n;

	ck_assert_msg(o && o->type == XPATH_NODESET, "bad XPath '%s'", expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

static void assert_value(struct doc *d, const char *expr, const char *expected)
{
	g_autofree char *value = NULL;

	ck_assert_msg(doc_count(d, expr) == 1, "'%s' selects %d nodes", expr, doc_count(d, expr));
	value = doc_string(d, expr);
	ck_assert_msg(strcmp(value, expected) == 0, "%s is '%s', expected '%s'", expr, value,
		      expected);
}

/* QEMU's argv as the document gives it, joined by spaces. */
static char *doc_qemu_args(struct doc *d)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(
		BAD_CAST "/domain/q:commandline/q:arg/@value", d->xpath);
	g_autoptr(GString) s = g_string_new(NULL);

	ck_assert(o && o->type == XPATH_NODESET);
	for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);

		g_string_append_printf(s, "%s%s", i ? " " : "", (const char *)v);
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* ---- domain ---- */

START_TEST(test_hyperv_enlightenments)
{
	g_autofree char *xml = kdh_domxml_domain(&spec);
	static const char *const on[] = { "relaxed", "vapic", "spinlocks", "vpindex",
					  "runtime", "synic", "stimer" };
	struct doc d = { 0 };

	doc_parse(&d, xml);
	assert_value(&d, "/domain/@type", "kvm");
	assert_value(&d, "/domain/features/hyperv/@mode", "custom");
	for (gsize i = 0; i < G_N_ELEMENTS(on); i++) {
		g_autofree char *expr = g_strdup_printf("/domain/features/hyperv/%s/@state", on[i]);

		assert_value(&d, expr, "on");
	}
	/* Exactly these: each one more changes what the guest sees. */
	ck_assert_int_eq(doc_count(&d, "/domain/features/hyperv/*"), G_N_ELEMENTS(on));
	assert_value(&d, "/domain/features/hyperv/spinlocks/@retries", "8191");
	/* kvm=off, or Linux picks KVM over Hyper-V and hv_vmbus refuses to load. */
	assert_value(&d, "/domain/features/kvm/hidden/@state", "on");
	/* hv-time, which stimer needs. */
	assert_value(&d, "/domain/clock/timer[@name='hypervclock']/@present", "yes");
	assert_value(&d, "/domain/cpu/@mode", "host-passthrough");
	/* No Hyper-V crash MSR device: <panic model='hyperv'/> pauses the guest. */
	ck_assert_int_eq(doc_count(&d, "/domain/devices/panic"), 0);
	/* What the plain platform has is still there. */
	ck_assert_int_eq(doc_count(&d, "/domain/features/acpi"), 1);
	ck_assert_int_eq(doc_count(&d, "/domain/features/apic"), 1);
	assert_value(&d, "/domain/devices/disk/target/@bus", "virtio");
	assert_value(&d, "/domain/devices/disk/serial", "kdhdump");
	ck_assert_int_eq(doc_count(&d, "/domain/devices/*"), 5);
	doc_clear(&d);
}
END_TEST

START_TEST(test_hyperv_vmbus)
{
	g_autofree char *xml = kdh_domxml_domain(&spec);
	g_autofree char *args = NULL;
	struct doc d = { 0 };

	doc_parse(&d, xml);
	ck_assert_int_eq(doc_count(&d, "/domain/q:commandline"), 1);
	args = doc_qemu_args(&d);
	/* The bridge before any device on it. */
	ck_assert_str_eq(args, "-device vmbus-bridge -device hv-balloon");
	doc_clear(&d);
}
END_TEST

START_TEST(test_hyperv_bus_only)
{
	struct kdh_domain_spec bare = spec;
	static const char *const none[] = { NULL };
	g_autofree char *xml = NULL, *xml2 = NULL;
	g_autofree char *args = NULL, *args2 = NULL;
	struct doc d = { 0 };

	/* QEMU before 8.2 has the bus and no device for it. */
	bare.vmbus_devices = NULL;
	xml = kdh_domxml_domain(&bare);
	doc_parse(&d, xml);
	args = doc_qemu_args(&d);
	ck_assert_str_eq(args, "-device vmbus-bridge");
	doc_clear(&d);

	bare.vmbus_devices = none;
	xml2 = kdh_domxml_domain(&bare);
	doc_parse(&d, xml2);
	args2 = doc_qemu_args(&d);
	ck_assert_str_eq(args2, "-device vmbus-bridge");
	doc_clear(&d);
}
END_TEST

START_TEST(test_virtio_has_no_hyperv)
{
	struct kdh_domain_spec plain = spec;
	g_autofree char *xml = NULL;
	struct doc d = { 0 };

	plain.hyperv = FALSE;
	plain.type = "qemu";
	xml = kdh_domxml_domain(&plain);
	doc_parse(&d, xml);
	ck_assert_int_eq(doc_count(&d, "/domain/features/hyperv"), 0);
	ck_assert_int_eq(doc_count(&d, "/domain/features/kvm"), 0);
	ck_assert_int_eq(doc_count(&d, "/domain/clock"), 0);
	ck_assert_int_eq(doc_count(&d, "/domain/cpu"), 0);
	ck_assert_int_eq(doc_count(&d, "/domain/q:commandline"), 0);
	/* Devices listed for the VMBus mean nothing without it. */
	ck_assert_ptr_null(strstr(xml, "vmbus"));
	ck_assert_ptr_null(strstr(xml, QEMU_NS));
	doc_clear(&d);
}
END_TEST

START_TEST(test_hyperv_device_text_stays_text)
{
	struct kdh_domain_spec odd = spec;
	static const char *const devs[] = { "hv-balloon,id=b'\"<x/>&amp;", NULL };
	g_autofree char *xml = NULL, *args = NULL;
	struct doc d = { 0 };

	odd.vmbus_devices = devs;
	xml = kdh_domxml_domain(&odd);
	doc_parse(&d, xml);
	args = doc_qemu_args(&d);
	ck_assert_str_eq(args, "-device vmbus-bridge -device hv-balloon,id=b'\"<x/>&amp;");
	ck_assert_int_eq(doc_count(&d, "//x"), 0);
	doc_clear(&d);
}
END_TEST

/* ---- the platform table ---- */

START_TEST(test_config_hyperv_platform)
{
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s = { 0 };
	g_autofree char *modules = NULL, *devices = NULL;

	ck_assert_msg(kdh_scenario_parse("h", "[scenario]\nplatform=hyperv\n", &s, &error), "%s",
		      error ? error->message : "-");
	ck_assert(s.hyperv);
	modules = g_strjoinv(" ", s.modules);
	/* The VMBus drivers with a device QEMU offers; the dump disk on virtio. */
	ck_assert_str_eq(modules, "hv_vmbus hv_balloon virtio_pci virtio_blk");
	devices = g_strjoinv(" ", s.vmbus_devices);
	ck_assert_str_eq(devices, "hv-balloon");
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_config_virtio_platform)
{
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s = { 0 };

	ck_assert(kdh_scenario_parse("v", "[scenario]\nplatform=virtio\n", &s, &error));
	ck_assert(!s.hyperv);
	ck_assert_ptr_nonnull(s.vmbus_devices);
	ck_assert_ptr_null(s.vmbus_devices[0]);
	kdh_scenario_clear(&s);
}
END_TEST

START_TEST(test_config_shipped_scenario)
{
	g_autoptr(GError) error = NULL;
	struct kdh_scenario s = { 0 };

	ck_assert_msg(kdh_scenario_load("scenarios/hyperv-nmi-all-vcpus.conf", &s, &error), "%s",
		      error ? error->message : "-");
	ck_assert_str_eq(s.platform, "hyperv");
	ck_assert(s.hyperv);
	ck_assert_str_eq(s.name, "hyperv-nmi-all-vcpus");
	kdh_scenario_clear(&s);
}
END_TEST

/* ---- libvirt's schema ---- */

static void assert_valid(const char *xml)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *output = NULL;
	int fd = g_file_open_tmp("kdh-test-domxml-hyperv-XXXXXX.xml", &path, &error);
	const char *argv[] = { "virt-xml-validate", path, "domain", NULL };
	int status = -1;
	gboolean ran, written;

	ck_assert_msg(fd >= 0, "%s", error ? error->message : "-");
	close(fd);
	written = g_file_set_contents(path, xml, -1, &error);
	ran = written && kdh_spawn_sync(argv, 60, &output, &status, &error);
	g_unlink(path);
	ck_assert_msg(written && ran, "%s", error ? error->message : "-");
	ck_assert_msg(status == 0, "virt-xml-validate exited %d:\n%s\n%s", status, output, xml);
}

START_TEST(test_schema_hyperv)
{
	struct kdh_domain_spec bare = spec;
	g_autofree char *xml = kdh_domxml_domain(&spec);
	g_autofree char *xml2 = NULL;

	assert_valid(xml);
	bare.vmbus_devices = NULL;
	xml2 = kdh_domxml_domain(&bare);
	assert_valid(xml2);
}
END_TEST

static Suite *hyperv_suite(void)
{
	Suite *s = suite_create("domxml-hyperv");
	TCase *tc;

	tc = tcase_create("documents");
	tcase_add_test(tc, test_hyperv_enlightenments);
	tcase_add_test(tc, test_hyperv_vmbus);
	tcase_add_test(tc, test_hyperv_bus_only);
	tcase_add_test(tc, test_virtio_has_no_hyperv);
	tcase_add_test(tc, test_hyperv_device_text_stays_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_test(tc, test_config_hyperv_platform);
	tcase_add_test(tc, test_config_virtio_platform);
	tcase_add_test(tc, test_config_shipped_scenario);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_schema_hyperv);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int status = kdh_test_run(hyperv_suite());

	xmlCleanupParser();
	return status;
}

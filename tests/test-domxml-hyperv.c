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

/* ---- domain ---- */

START_TEST(test_hyperv_enlightenments)
{
	g_autofree char *xml = kdh_domxml_domain(&spec);
	static const char *const on[] = { "relaxed", "vapic", "spinlocks", "vpindex",
					  "runtime", "synic", "stimer", "frequencies" };
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/domain/@type", "kvm");
	kdh_test_assert_xpath(&d, "/domain/features/hyperv/@mode", "custom");
	for (gsize i = 0; i < G_N_ELEMENTS(on); i++) {
		g_autofree char *expr = g_strdup_printf("/domain/features/hyperv/%s/@state", on[i]);

		kdh_test_assert_xpath(&d, expr, "on");
	}
	/* Exactly these: each one more changes what the guest sees. */
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/hyperv/*"), G_N_ELEMENTS(on));
	kdh_test_assert_xpath(&d, "/domain/features/hyperv/spinlocks/@retries", "8191");
	/* kvm=off, or Linux picks KVM over Hyper-V and hv_vmbus refuses to load. */
	kdh_test_assert_xpath(&d, "/domain/features/kvm/hidden/@state", "on");
	/* hv-time, which stimer needs. */
	kdh_test_assert_xpath(&d, "/domain/clock/timer[@name='hypervclock']/@present", "yes");
	kdh_test_assert_xpath(&d, "/domain/cpu/@mode", "host-passthrough");
	/* No Hyper-V crash MSR device: <panic model='hyperv'/> pauses the guest. */
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/panic"), 0);
	/* What the plain platform has is still there. */
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/acpi"), 1);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/apic"), 1);
	kdh_test_assert_xpath(&d, "/domain/devices/disk/target/@bus", "virtio");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/serial", "kdhdump");
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/*"), 5);
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_hyperv_vmbus)
{
	g_autofree char *xml = kdh_domxml_domain(&spec);
	g_autofree char *args = NULL;
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/q:commandline"), 1);
	args = kdh_test_doc_qemu_args(&d);
	/* The bridge before any device on it. */
	ck_assert_str_eq(args, "-device vmbus-bridge -device hv-balloon");
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_hyperv_bus_only)
{
	struct kdh_domain_spec bare = spec;
	static const char *const none[] = { NULL };
	g_autofree char *xml = NULL, *xml2 = NULL;
	g_autofree char *args = NULL, *args2 = NULL;
	struct kdh_test_doc d = { 0 };

	/* QEMU before 8.2 has the bus and no device for it. */
	bare.vmbus_devices = NULL;
	xml = kdh_domxml_domain(&bare);
	kdh_test_doc_parse(&d, xml);
	args = kdh_test_doc_qemu_args(&d);
	ck_assert_str_eq(args, "-device vmbus-bridge");
	kdh_test_doc_clear(&d);

	bare.vmbus_devices = none;
	xml2 = kdh_domxml_domain(&bare);
	kdh_test_doc_parse(&d, xml2);
	args2 = kdh_test_doc_qemu_args(&d);
	ck_assert_str_eq(args2, "-device vmbus-bridge");
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_virtio_has_no_hyperv)
{
	struct kdh_domain_spec plain = spec;
	g_autofree char *xml = NULL;
	struct kdh_test_doc d = { 0 };

	plain.hyperv = FALSE;
	plain.type = "qemu";
	xml = kdh_domxml_domain(&plain);
	kdh_test_doc_parse(&d, xml);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/hyperv"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/kvm"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/clock"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/cpu"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/q:commandline"), 0);
	/* Devices listed for the VMBus mean nothing without it. */
	ck_assert_ptr_null(strstr(xml, "vmbus"));
	ck_assert_ptr_null(strstr(xml, QEMU_NS));
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_hyperv_device_text_stays_text)
{
	struct kdh_domain_spec odd = spec;
	static const char *const devs[] = { "hv-balloon,id=b'\"<x/>&amp;", NULL };
	g_autofree char *xml = NULL, *args = NULL;
	struct kdh_test_doc d = { 0 };

	odd.vmbus_devices = devs;
	xml = kdh_domxml_domain(&odd);
	kdh_test_doc_parse(&d, xml);
	args = kdh_test_doc_qemu_args(&d);
	ck_assert_str_eq(args, "-device vmbus-bridge -device hv-balloon,id=b'\"<x/>&amp;");
	ck_assert_int_eq(kdh_test_doc_count(&d, "//x"), 0);
	kdh_test_doc_clear(&d);
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
	ck_assert_int_eq(s.platform, KDH_PLATFORM_HYPERV);
	ck_assert(s.hyperv);
	ck_assert_str_eq(s.name, "hyperv-nmi-all-vcpus");
	kdh_scenario_clear(&s);
}
END_TEST

/* ---- libvirt's schema ---- */

START_TEST(test_schema_hyperv)
{
	struct kdh_domain_spec bare = spec;
	g_autofree char *xml = kdh_domxml_domain(&spec);
	g_autofree char *xml2 = NULL;

	kdh_test_assert_valid(xml, "domain");
	bare.vmbus_devices = NULL;
	xml2 = kdh_domxml_domain(&bare);
	kdh_test_assert_valid(xml2, "domain");
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

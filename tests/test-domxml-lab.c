/* Unit tests of the nested lab's L1 domain (kdh_domxml_lab): read back with
 * libxml2 and XPath, and checked against libvirt's own schemas with
 * virt-xml-validate. */
#include <string.h>

#include <check.h>
#include <libxml/parser.h>

#include "kdh-domxml.h"
#include "kdh-test.h"

static const struct kdh_lab_domain_spec spec = {
	.name = "kdh-lab",
	.vcpus = 4,
	.memory_mib = 6144,
	.kernel = "/var/lib/kdh/lab/vmlinuz",
	.initrd = "/var/lib/kdh/lab/initrd.img",
	.disk = "/var/lib/kdh/lab/disk.qcow2",
	.console_log = "/var/lib/kdh/lab/console.log",
	.ssh_port = 10022,
};

START_TEST(test_lab_machine)
{
	g_autofree char *xml = kdh_domxml_lab(&spec);
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	/* TCG: the host's own KVM cannot run it (FIELD-NOTES). */
	kdh_test_assert_xpath(&d, "/domain/@type", "qemu");
	kdh_test_assert_xpath(&d, "/domain/name", "kdh-lab");
	kdh_test_assert_xpath(&d, "/domain/memory", "6144");
	kdh_test_assert_xpath(&d, "/domain/memory/@unit", "MiB");
	kdh_test_assert_xpath(&d, "/domain/vcpu", "4");
	/* Nested SVM with nested paging, required: without them no /dev/kvm in L1. */
	kdh_test_assert_xpath(&d, "/domain/cpu/@mode", "custom");
	kdh_test_assert_xpath(&d, "/domain/cpu/@match", "exact");
	kdh_test_assert_xpath(&d, "/domain/cpu/@check", "none");
	kdh_test_assert_xpath(&d, "/domain/cpu/model", "qemu64");
	kdh_test_assert_xpath(&d, "/domain/cpu/model/@fallback", "forbid");
	kdh_test_assert_xpath(&d, "/domain/cpu/feature[@name='svm']/@policy", "require");
	kdh_test_assert_xpath(&d, "/domain/cpu/feature[@name='npt']/@policy", "require");
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/cpu/feature"), 2);
	/* Direct kernel boot of the image's own kernel. */
	kdh_test_assert_xpath(&d, "/domain/os/type", "hvm");
	kdh_test_assert_xpath(&d, "/domain/os/type/@arch", "x86_64");
	kdh_test_assert_xpath(&d, "/domain/os/type/@machine", "q35");
	kdh_test_assert_xpath(&d, "/domain/os/kernel", "/var/lib/kdh/lab/vmlinuz");
	kdh_test_assert_xpath(&d, "/domain/os/initrd", "/var/lib/kdh/lab/initrd.img");
	kdh_test_assert_xpath(&d, "/domain/os/cmdline", "root=/dev/vda rw console=ttyS0 tsc=reliable");
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/acpi"), 1);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/apic"), 1);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/features/*"), 2);
	kdh_test_assert_xpath(&d, "/domain/on_poweroff", "destroy");
	kdh_test_assert_xpath(&d, "/domain/on_reboot", "restart");
	kdh_test_assert_xpath(&d, "/domain/on_crash", "destroy");
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_lab_devices)
{
	g_autofree char *xml = kdh_domxml_lab(&spec);
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/domain/devices/disk/@type", "file");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/@device", "disk");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/driver/@name", "qemu");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/driver/@type", "qcow2");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/source/@file", "/var/lib/kdh/lab/disk.qcow2");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/target/@dev", "vda");
	kdh_test_assert_xpath(&d, "/domain/devices/disk/target/@bus", "virtio");
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/disk/serial"), 0);
	/* The console into a file that outlives the command. */
	kdh_test_assert_xpath(&d, "/domain/devices/serial/@type", "file");
	kdh_test_assert_xpath(&d, "/domain/devices/serial/source/@path",
			      "/var/lib/kdh/lab/console.log");
	kdh_test_assert_xpath(&d, "/domain/devices/serial/target/@port", "0");
	kdh_test_assert_xpath(&d, "/domain/devices/console/@type", "file");
	kdh_test_assert_xpath(&d, "/domain/devices/console/source/@path",
			      "/var/lib/kdh/lab/console.log");
	kdh_test_assert_xpath(&d, "/domain/devices/console/target/@type", "serial");
	kdh_test_assert_xpath(&d, "/domain/devices/console/target/@port", "0");
	kdh_test_assert_xpath(&d, "/domain/devices/controller[@type='usb']/@model", "none");
	kdh_test_assert_xpath(&d, "/domain/devices/memballoon/@model", "none");
	/* No libvirt network: no <interface> at all. */
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/interface"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "/domain/devices/*"), 5);
	kdh_test_doc_clear(&d);
}
END_TEST

/* The only network: QEMU user networking, restricted, one port from the host's
 * loopback to sshd. */
START_TEST(test_lab_network)
{
	struct kdh_lab_domain_spec other = spec;
	g_autofree char *xml = kdh_domxml_lab(&spec);
	g_autofree char *xml2 = NULL, *args = NULL, *args2 = NULL;
	struct kdh_test_doc d = { 0 };

	kdh_test_doc_parse(&d, xml);
	args = kdh_test_doc_qemu_args(&d);
	ck_assert_str_eq(args, "-netdev user,id=lab,restrict=on,hostfwd=tcp:127.0.0.1:10022-:22 "
			       "-device virtio-net-pci,netdev=lab,bus=pcie.0,addr=0x9");
	kdh_test_doc_clear(&d);

	other.ssh_port = 2222;
	xml2 = kdh_domxml_lab(&other);
	kdh_test_doc_parse(&d, xml2);
	args2 = kdh_test_doc_qemu_args(&d);
	ck_assert_ptr_nonnull(strstr(args2, "hostfwd=tcp:127.0.0.1:2222-:22 "));
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_lab_text_stays_text)
{
	struct kdh_lab_domain_spec odd = spec;
	g_autofree char *xml = NULL;
	struct kdh_test_doc d = { 0 };

	odd.name = "lab'\"<x/>&amp;";
	odd.console_log = "/tmp/a'\"<y/>&.log";
	xml = kdh_domxml_lab(&odd);
	kdh_test_doc_parse(&d, xml);
	kdh_test_assert_xpath(&d, "/domain/name", "lab'\"<x/>&amp;");
	kdh_test_assert_xpath(&d, "/domain/devices/serial/source/@path", "/tmp/a'\"<y/>&.log");
	ck_assert_int_eq(kdh_test_doc_count(&d, "//x"), 0);
	ck_assert_int_eq(kdh_test_doc_count(&d, "//y"), 0);
	kdh_test_doc_clear(&d);
}
END_TEST

START_TEST(test_lab_schema)
{
	g_autofree char *xml = kdh_domxml_lab(&spec);

	kdh_test_assert_valid(xml, "domain");
}
END_TEST

static Suite *lab_suite(void)
{
	Suite *s = suite_create("domxml-lab");
	TCase *tc = tcase_create("documents");

	tcase_add_test(tc, test_lab_machine);
	tcase_add_test(tc, test_lab_devices);
	tcase_add_test(tc, test_lab_network);
	tcase_add_test(tc, test_lab_text_stays_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_lab_schema);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int status = kdh_test_run(lab_suite());

	xmlCleanupParser();
	return status;
}

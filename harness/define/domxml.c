/* libvirt XML built as a tree, so that no value from a scenario can change the
 * document's structure. */
#include <libxml/tree.h>

#include "kdh-domxml.h"

static xmlNodePtr xml_child(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
}

static void xml_attr(xmlNodePtr node, const char *name, const char *value)
{
	xmlNewProp(node, BAD_CAST name, BAD_CAST value);
}

/* <NAME ATTR='VALUE'/> under PARENT */
static xmlNodePtr xml_child_attr(xmlNodePtr parent, const char *name, const char *attr,
				 const char *value)
{
	xmlNodePtr node = xml_child(parent, name, NULL);

	xml_attr(node, attr, value);
	return node;
}

static char *xml_finish(xmlDocPtr doc)
{
	xmlChar *buf = NULL;
	int len = 0;
	char *text;

	xmlDocDumpFormatMemory(doc, &buf, &len, 1);
	text = g_strndup((const char *)buf, len);
	xmlFree(buf);
	xmlFreeDoc(doc);
	return text;
}

static xmlNodePtr xml_root(xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST name);

	xmlDocSetRootElement(doc, root);
	return root;
}

static void domxml_os(xmlNodePtr dom, const char *kernel, const char *initrd,
		      const char *cmdline)
{
	xmlNodePtr os = xml_child(dom, "os", NULL);
	xmlNodePtr type = xml_child(os, "type", "hvm");

	xml_attr(type, "arch", "x86_64");
	xml_attr(type, "machine", "q35");
	xml_child(os, "kernel", kernel);
	xml_child(os, "initrd", initrd);
	xml_child(os, "cmdline", cmdline);
}

/* type, name, memory and vCPUs: what every domain starts with. */
static xmlNodePtr domxml_start(xmlDocPtr doc, const char *type, const char *name,
			       int memory_mib, int vcpus)
{
	xmlNodePtr dom = xml_root(doc, "domain");
	g_autofree char *vcpu_text = g_strdup_printf("%d", vcpus);
	g_autofree char *mem = g_strdup_printf("%d", memory_mib);

	xml_attr(dom, "type", type);
	xml_child(dom, "name", name);
	xml_attr(xml_child(dom, "memory", mem), "unit", "MiB");
	xml_child(dom, "vcpu", vcpu_text);
	return dom;
}

/* <features> with ACPI and the local APIC, which Linux needs for SMP on q35. */
static xmlNodePtr domxml_features(xmlNodePtr dom)
{
	xmlNodePtr features = xml_child(dom, "features", NULL);

	xml_child(features, "acpi", NULL);
	xml_child(features, "apic", NULL);
	return features;
}

static void domxml_lifecycle(xmlNodePtr dom, const char *on_reboot)
{
	xml_child(dom, "on_poweroff", "destroy");
	xml_child(dom, "on_reboot", on_reboot);
	xml_child(dom, "on_crash", "destroy");
}

/* A file-backed virtio disk vda in FORMAT ("raw", "qcow2"). */
static xmlNodePtr domxml_disk(xmlNodePtr devs, const char *format, const char *path)
{
	xmlNodePtr disk = xml_child(devs, "disk", NULL);

	xml_attr(disk, "type", "file");
	xml_attr(disk, "device", "disk");
	xml_attr(xml_child_attr(disk, "driver", "name", "qemu"), "type", format);
	xml_child_attr(disk, "source", "file", path);
	xml_attr(xml_child_attr(disk, "target", "dev", "vda"), "bus", "virtio");
	return disk;
}

/* ttyS0 as both serial port and console, of TYPE "pty" or, with PATH, "file". */
static void domxml_console(xmlNodePtr devs, const char *type, const char *path)
{
	xmlNodePtr serial = xml_child_attr(devs, "serial", "type", type);
	xmlNodePtr console = xml_child_attr(devs, "console", "type", type);

	if (path) {
		xml_child_attr(serial, "source", "path", path);
		xml_child_attr(console, "source", "path", path);
	}
	xml_child_attr(serial, "target", "port", "0");
	xml_attr(xml_child_attr(console, "target", "type", "serial"), "port", "0");
}

/* Nothing the guest does not use: fewer devices, faster boots, and a device
 * inventory that is about what matters. */
static void domxml_no_extras(xmlNodePtr devs)
{
	xml_attr(xml_child_attr(devs, "controller", "type", "usb"), "model", "none");
	xml_child_attr(devs, "memballoon", "model", "none");
}

static void domxml_devices(xmlNodePtr dom, const struct kdh_domain_spec *spec)
{
	xmlNodePtr devs = xml_child(dom, "devices", NULL);
	xmlNodePtr disk = domxml_disk(devs, "raw", spec->dump_disk);

	xml_child(disk, "serial", spec->dump_serial);
	domxml_console(devs, "pty", NULL);
	domxml_no_extras(devs);
}

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/* <NAME state='on'/> under PARENT */
static xmlNodePtr xml_on(xmlNodePtr parent, const char *name)
{
	return xml_child_attr(parent, name, "state", "on");
}

/* The enlightenments hv_vmbus needs, and what each one needs in turn (QEMU:
 * synic needs vpindex, stimer needs synic and time); and frequencies, as real
 * Hyper-V offers it: Linux then reads the TSC and LAPIC timer frequencies from
 * Hyper-V's MSRs instead of calibrating them against the PIT, which L2 guests
 * under the nested lab's emulation failed ("Fast TSC calibration failed").
 * Written out one by one
 * (mode='custom'), never 'passthrough': the guest's face must not depend on
 * what the host's KVM happens to offer. */
static void domxml_hyperv_features(xmlNodePtr features)
{
	static const char *const on[] = { "relaxed", "vapic", "vpindex", "runtime", "synic",
					  "stimer", "frequencies" };
	xmlNodePtr hv = xml_child_attr(features, "hyperv", "mode", "custom");
	xmlNodePtr kvm;

	for (gsize i = 0; i < G_N_ELEMENTS(on); i++) {
		xml_on(hv, on[i]);
		if (g_str_equal(on[i], "vapic"))
			xml_attr(xml_on(hv, "spinlocks"), "retries", "8191"); /* 0x1fff */
	}
	/* Without kvm=off Linux picks KVM over Hyper-V and hv_vmbus refuses to load. */
	kvm = xml_child(features, "kvm", NULL);
	xml_on(kvm, "hidden");
}

/* libvirt's QEMU command-line namespace, for what libvirt has no element for. */
static xmlNodePtr domxml_qemu_commandline(xmlNodePtr dom)
{
	xmlNsPtr ns = xmlNewNs(dom, BAD_CAST QEMU_NS, BAD_CAST "qemu");

	return xmlNewChild(dom, ns, BAD_CAST "commandline", NULL);
}

/* QEMU's "-OPTION VALUE", as two arguments. */
static void domxml_qemu_option(xmlNodePtr cmd, const char *option, const char *value)
{
	xml_attr(xmlNewChild(cmd, cmd->ns, BAD_CAST "arg", NULL), "value", option);
	xml_attr(xmlNewChild(cmd, cmd->ns, BAD_CAST "arg", NULL), "value", value);
}

/* QEMU's VMBus has no libvirt element: -device arguments in libvirt's QEMU
 * command-line namespace. The bridge first: every VMBus device sits on it. */
static void domxml_vmbus(xmlNodePtr dom, const struct kdh_domain_spec *spec)
{
	xmlNodePtr cmd = domxml_qemu_commandline(dom);

	domxml_qemu_option(cmd, "-device", "vmbus-bridge");
	for (const char *const *dev = spec->vmbus_devices; dev && *dev; dev++)
		domxml_qemu_option(cmd, "-device", *dev);
}

char *kdh_domxml_domain(const struct kdh_domain_spec *spec)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr dom = domxml_start(doc, spec->type, spec->name, spec->memory_mib, spec->vcpus);
	xmlNodePtr features;

	domxml_os(dom, spec->kernel, spec->initrd, spec->cmdline);
	features = domxml_features(dom);
	if (spec->hyperv) {
		domxml_hyperv_features(features);
		/* The guest CPU as the host's KVM offers it, Hyper-V flags added. */
		xml_attr(xml_child_attr(dom, "cpu", "mode", "host-passthrough"), "check", "none");
		/* hv-time: the Hyper-V reference TSC page, which stimer needs. */
		xml_attr(xml_child_attr(xml_child_attr(dom, "clock", "offset", "utc"), "timer",
					"name", "hypervclock"),
			 "present", "yes");
	}
	/* Every way out destroys the guest: nothing restarts into something the run
	 * mistakes for the capture kernel. */
	domxml_lifecycle(dom, "destroy");
	domxml_devices(dom, spec);
	if (spec->hyperv)
		domxml_vmbus(dom, spec);
	return xml_finish(doc);
}

/* An x86-64 CPU model TCG emulates with AMD's SVM and nested paging: its
 * kvm_amd then offers L1 a /dev/kvm. Required, never dropped silently: a lab
 * without nested KVM is useless. */
static void domxml_lab_cpu(xmlNodePtr dom)
{
	xmlNodePtr cpu = xml_child_attr(dom, "cpu", "mode", "custom");
	static const char *const required[] = { "svm", "npt" };

	xml_attr(cpu, "match", "exact");
	xml_attr(cpu, "check", "none");
	xml_attr(xml_child(cpu, "model", "qemu64"), "fallback", "forbid");
	for (gsize i = 0; i < G_N_ELEMENTS(required); i++)
		xml_attr(xml_child_attr(cpu, "feature", "policy", "require"), "name", required[i]);
}

char *kdh_domxml_lab(const struct kdh_lab_domain_spec *spec)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr dom = domxml_start(doc, "qemu", spec->name, spec->memory_mib, spec->vcpus);
	xmlNodePtr devs, cmd;
	g_autofree char *netdev = g_strdup_printf(
		"user,id=lab,restrict=on,hostfwd=tcp:127.0.0.1:%d-:22", spec->ssh_port);

	domxml_lab_cpu(dom);
	/* tsc=reliable: without it L1's boot-time check marked its TSCs
	 * unsynchronized, its KVM warned that the L2 guests' TSC would not be
	 * reliable, and an L2 first kernel took 59-118 s to boot, not 37. */
	domxml_os(dom, spec->kernel, spec->initrd, "root=/dev/vda rw console=ttyS0 tsc=reliable");
	domxml_features(dom);
	/* L1 is a machine that outlives commands: a reboot inside it (over ssh)
	 * brings it back instead of ending the lab. */
	domxml_lifecycle(dom, "restart");
	devs = xml_child(dom, "devices", NULL);
	domxml_disk(devs, "qcow2", spec->disk);
	/* A file, not a pty: nobody reads L1's console while it runs, and it must
	 * be there for a post-mortem after the command that started the lab ended. */
	domxml_console(devs, "file", spec->console_log);
	domxml_no_extras(devs);
	/* QEMU user networking: one port from the host's loopback to L1's sshd, and
	 * restrict=on keeps L1 from reaching anything else (FIELD-NOTES: never a
	 * libvirt NAT network or any other private range). libvirt 9.0's
	 * <interface type='user'> can say neither restrict=on nor a forwarded port
	 * with QEMU's own user networking, hence QEMU's arguments. */
	cmd = domxml_qemu_commandline(dom);
	domxml_qemu_option(cmd, "-netdev", netdev);
	domxml_qemu_option(cmd, "-device", "virtio-net-pci,netdev=lab,bus=pcie.0,addr=0x9");
	return xml_finish(doc);
}

char *kdh_domxml_pool(const char *name, const char *path)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr pool = xml_root(doc, "pool");
	xmlNodePtr target;

	xml_attr(pool, "type", "dir");
	xml_child(pool, "name", name);
	target = xml_child(pool, "target", NULL);
	xml_child(target, "path", path);
	return xml_finish(doc);
}

char *kdh_domxml_volume(const char *name, guint64 capacity)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr vol = xml_root(doc, "volume");
	g_autofree char *cap = g_strdup_printf("%" G_GUINT64_FORMAT, capacity);
	xmlNodePtr target;

	xml_child(vol, "name", name);
	xml_attr(xml_child(vol, "capacity", cap), "unit", "bytes");
	xml_attr(xml_child(vol, "allocation", "0"), "unit", "bytes");
	target = xml_child(vol, "target", NULL);
	xml_child_attr(target, "format", "type", "raw");
	return xml_finish(doc);
}

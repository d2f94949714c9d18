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

static void domxml_os(xmlNodePtr dom, const struct kdh_domain_spec *spec)
{
	xmlNodePtr os = xml_child(dom, "os", NULL);
	xmlNodePtr type = xml_child(os, "type", "hvm");

	xml_attr(type, "arch", "x86_64");
	xml_attr(type, "machine", "q35");
	xml_child(os, "kernel", spec->kernel);
	xml_child(os, "initrd", spec->initrd);
	xml_child(os, "cmdline", spec->cmdline);
}

static void domxml_devices(xmlNodePtr dom, const struct kdh_domain_spec *spec)
{
	xmlNodePtr devs = xml_child(dom, "devices", NULL);
	xmlNodePtr disk = xml_child(devs, "disk", NULL);
	xmlNodePtr driver, serial, console;

	xml_attr(disk, "type", "file");
	xml_attr(disk, "device", "disk");
	driver = xml_child_attr(disk, "driver", "name", "qemu");
	xml_attr(driver, "type", "raw");
	xml_child_attr(disk, "source", "file", spec->dump_disk);
	xml_attr(xml_child_attr(disk, "target", "dev", "vda"), "bus", "virtio");
	xml_child(disk, "serial", spec->dump_serial);

	serial = xml_child_attr(devs, "serial", "type", "pty");
	xml_child_attr(serial, "target", "port", "0");
	console = xml_child_attr(devs, "console", "type", "pty");
	xml_attr(xml_child_attr(console, "target", "type", "serial"), "port", "0");

	/* Nothing the crash path does not use: fewer devices, faster boots, and a
	 * device inventory that is about what matters. */
	xml_attr(xml_child_attr(devs, "controller", "type", "usb"), "model", "none");
	xml_child_attr(devs, "memballoon", "model", "none");
}

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/* <NAME state='on'/> under PARENT */
static xmlNodePtr xml_on(xmlNodePtr parent, const char *name)
{
	return xml_child_attr(parent, name, "state", "on");
}

/* The enlightenments hv_vmbus needs, and what each one needs in turn (QEMU:
 * synic needs vpindex, stimer needs synic and time). Written out one by one
 * (mode='custom'), never 'passthrough': the guest's face must not depend on
 * what the host's KVM happens to offer. */
static void domxml_hyperv_features(xmlNodePtr features)
{
	static const char *const on[] = { "relaxed", "vapic", "vpindex", "runtime", "synic",
					  "stimer" };
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

/* QEMU's VMBus has no libvirt element: -device arguments in libvirt's QEMU
 * command-line namespace. The bridge first: every VMBus device sits on it. */
static void domxml_vmbus(xmlNodePtr dom, const struct kdh_domain_spec *spec)
{
	xmlNsPtr ns = xmlNewNs(dom, BAD_CAST QEMU_NS, BAD_CAST "qemu");
	xmlNodePtr cmd = xmlNewChild(dom, ns, BAD_CAST "commandline", NULL);
	const char *const *dev;

	xml_attr(xmlNewChild(cmd, ns, BAD_CAST "arg", NULL), "value", "-device");
	xml_attr(xmlNewChild(cmd, ns, BAD_CAST "arg", NULL), "value", "vmbus-bridge");
	for (dev = spec->vmbus_devices; dev && *dev; dev++) {
		xml_attr(xmlNewChild(cmd, ns, BAD_CAST "arg", NULL), "value", "-device");
		xml_attr(xmlNewChild(cmd, ns, BAD_CAST "arg", NULL), "value", *dev);
	}
}

char *kdh_domxml_domain(const struct kdh_domain_spec *spec)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr dom = xml_root(doc, "domain");
	g_autofree char *vcpus = g_strdup_printf("%d", spec->vcpus);
	g_autofree char *mem = g_strdup_printf("%d", spec->memory_mib);
	xmlNodePtr features;

	xml_attr(dom, "type", spec->type);
	xml_child(dom, "name", spec->name);
	xml_attr(xml_child(dom, "memory", mem), "unit", "MiB");
	xml_child(dom, "vcpu", vcpus);
	domxml_os(dom, spec);
	features = xml_child(dom, "features", NULL);
	xml_child(features, "acpi", NULL);
	xml_child(features, "apic", NULL);
	if (spec->hyperv) {
		domxml_hyperv_features(features);
		/* The guest CPU as the host's KVM offers it, Hyper-V flags added. */
		xml_attr(xml_child_attr(dom, "cpu", "mode", "host-passthrough"), "check", "none");
		/* hv-time: the Hyper-V reference TSC page, which stimer needs. */
		xml_attr(xml_child_attr(xml_child_attr(dom, "clock", "offset", "utc"), "timer",
					"name", "hypervclock"),
			 "present", "yes");
	}
	xml_child(dom, "on_poweroff", "destroy");
	xml_child(dom, "on_reboot", "destroy");
	xml_child(dom, "on_crash", "destroy");
	domxml_devices(dom, spec);
	if (spec->hyperv)
		domxml_vmbus(dom, spec);
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

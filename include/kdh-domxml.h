/* libvirt XML documents, built with libxml2. Pure. */
#ifndef KDH_DOMXML_H
#define KDH_DOMXML_H

#include <glib.h>

struct kdh_domain_spec {
	const char *name;
	const char *type;     /* libvirt domain type: "qemu" (TCG) or "kvm" */
	int vcpus;
	int memory_mib;
	const char *kernel;   /* paths on the libvirt host */
	const char *initrd;
	const char *cmdline;
	const char *dump_disk;
	const char *dump_serial;
	/* Hyper-V's face instead of KVM's: the enlightenments Linux needs for
	 * hv_vmbus (relaxed, vapic, spinlocks, vpindex, runtime, synic, stimer,
	 * hypervclock), KVM hidden (or Linux picks KVM and hv_vmbus refuses to load),
	 * and QEMU's vmbus-bridge. Needs type "kvm" with Hyper-V emulation (SynIC):
	 * TCG has none. */
	gboolean hyperv;
	/* QEMU VMBus devices to add beside the bridge (e.g. "hv-balloon", QEMU 8.2
	 * and later), NULL-terminated; NULL for none. Only with hyperv. */
	const char *const *vmbus_devices;
};

/* A transient domain: direct kernel boot, a serial console on a pty, the dump
 * disk on virtio-blk, and every way out of the guest (poweroff, reboot, crash)
 * destroys it: a guest never restarts into something the run mistakes for the
 * capture kernel. With spec->hyperv, the Hyper-V enlightenments and a VMBus
 * (through libvirt's QEMU command-line namespace: libvirt has no element for
 * QEMU's VMBus). */
char *kdh_domxml_domain(const struct kdh_domain_spec *spec);
/* The nested lab's L1 (docs/HYPERV.md): Debian under TCG with AMD's SVM and
 * nested paging, so that its kvm_amd offers the L2 guests kdh runs a /dev/kvm
 * with Hyper-V emulation. */
struct kdh_lab_domain_spec {
	const char *name;
	int vcpus;
	int memory_mib;
	const char *kernel;      /* paths on the libvirt host */
	const char *initrd;
	const char *disk;        /* L1's root file system, a qcow2 overlay */
	const char *console_log; /* where its serial console is written */
	int ssh_port;            /* the host's loopback port forwarded to L1's sshd */
};

/* A transient domain type 'qemu' (TCG): CPU qemu64 with svm and npt required,
 * q35, direct kernel boot with root=/dev/vda, the disk on virtio, the serial
 * console into a file, no USB, no balloon, and as its only network QEMU user
 * networking restricted to the forwarded port 127.0.0.1:ssh_port -> 22. */
char *kdh_domxml_lab(const struct kdh_lab_domain_spec *spec);
/* A directory storage pool at PATH. */
char *kdh_domxml_pool(const char *name, const char *path);
/* A raw volume of CAPACITY bytes, allocated lazily (sparse). */
char *kdh_domxml_volume(const char *name, guint64 capacity);

#endif

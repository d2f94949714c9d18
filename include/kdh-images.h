/* Guest images: the initramfs of the first kernel and of the capture kernel,
 * written with libarchive (newc cpio) into memory. */
#ifndef KDH_IMAGES_H
#define KDH_IMAGES_H

#include <glib.h>
#include "kdh-config.h"
#include "kdh-kernel.h"

struct kdh_image_spec {
	const struct kdh_kernel *kernel;
	const char *agent;                /* the static guest agent binary (becomes /init) */
	const char *const *modules;       /* module names the platform needs */
	const char *capture_cmdline;      /* command line of the capture kernel */
	enum kdh_kexec_call kexec_call;   /* how the capture kernel is loaded, or not */
	const char *const *makedumpfile_args; /* e.g. { "-l", "-d", "31", NULL } */
	gboolean nmi_probe;               /* report NMI counts around a probe NMI */
	const char *const *sysctls;       /* "kernel/unknown_nmi_panic=1": set when arming */
	const int *offline_cpus;          /* taken offline when arming, -1 ends the list */
	gboolean sysrq_crash;             /* the agent crashes the kernel with sysrq-c */
	int sysrq_cpu;                    /* from this CPU */
	const char *kexec;                /* host binaries copied in with their libraries */
	const char *makedumpfile;
	const char *busybox;              /* NULL: no shell (only kdh.shell needs one) */
};

/* A module the platform needs that the kernel does not have, or whose file
 * cannot be read or decompressed: the kernel cannot be tested, through no
 * fault of its crash path. Other failures are the harness's. */
#define KDH_IMAGES_ERROR (kdh_images_error_quark())
GQuark kdh_images_error_quark(void);
enum kdh_images_error {
	KDH_IMAGES_ERROR_MODULE,
};

/* Build the first kernel's initramfs. Both kernels' images hold the agent as
 * /init, KDH_AGENT_CONF, the modules in load order and busybox when SPEC names
 * it; the capture kernel's adds makedumpfile, the first kernel's kexec, the
 * capture kernel (KDH_GUEST_CAPTURE_KERNEL) and the capture initramfs
 * (KDH_GUEST_CAPTURE_INITRD). A module that cannot go in fails with
 * KDH_IMAGES_ERROR_MODULE. Runs ldd through kdh-spawn. Does not log. */
GBytes *kdh_images_build(const struct kdh_image_spec *spec, GError **error);

/* The agent.conf text for SPEC and the module paths relative to the modules
 * directory, in load order (pure). */
char *kdh_images_agent_conf(const struct kdh_image_spec *spec, GPtrArray *module_paths);

#endif

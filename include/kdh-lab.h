/* The nested lab (docs/HYPERV.md): one transient libvirt domain, L1, an x86-64
 * Debian under TCG with nested SVM, whose own libvirt runs the hyperv
 * platform's guests under nested KVM with Hyper-V emulation. Its image is built
 * and cached by scripts/lab-image; its files (a qcow2 overlay on that image, the
 * kernel, the console log, the port) live in a state directory on the host that
 * libvirt's QEMU can read. It is reached over ssh on a port of the host's
 * loopback, and by libvirt through the same port (qemu+ssh). */
#ifndef KDH_LAB_H
#define KDH_LAB_H

#include <gio/gio.h>

/* The lab's domain on the host. */
#define KDH_LAB_NAME "kdh-lab"

struct kdh_lab {
	char *host_uri;     /* the libvirt L1 runs on */
	char *image_script; /* scripts/lab-image: builds L1's image */
	char *ssh_script;   /* scripts/lab-ssh: how kdh and libvirt reach L1 */
	char *state;        /* KDH_LAB_STATE (/var/lib/kdh/lab) */
	int port;           /* KDH_LAB_PORT (10022): the host's loopback port to L1's sshd */
	int vcpus;          /* KDH_LAB_VCPUS (2): no more than this host has cores */
	int memory_mib;     /* KDH_LAB_MEMORY_MIB (6144) */
	guint timeout_s;    /* KDH_LAB_UP_TIMEOUT (900): how long up waits for L1 */
};

/* The lab on HOST_URI, with lab-image and lab-ssh from the directory SCRIPTS,
 * its other settings from the environment variables above. A value that is not
 * a number in range is bad input: FALSE with KDH_ERROR_USAGE naming
 * the variable. Does not log. */
gboolean kdh_lab_init(struct kdh_lab *lab, const char *host_uri, const char *scripts,
		      GError **error);
void kdh_lab_clear(struct kdh_lab *lab);

/* Bring the lab up and return its libvirt URI
 * (qemu+ssh://root@127.0.0.1:PORT/system?keyfile=KEY&no_verify=1&command=SSH,
 * SSH being lab-ssh). A lab that runs is left alone (*ret_started FALSE); one
 * that runs but does not answer over ssh is an error. Otherwise: the image
 * (running lab-image, which builds it once), a fresh state directory with a qcow2
 * overlay on it, L1 created transient without autodestroy (it outlives the
 * caller), then a wait on the thread-default main loop until, over ssh,
 * /dev/kvm is there with nested SVM and L1's libvirt answers (*ret_started
 * TRUE). When L1 stops, the deadline passes or CANCEL is cancelled, L1 is
 * destroyed and NULL returned with ERROR (G_IO_ERROR_CANCELLED for CANCEL,
 * which also removes the state directory; otherwise it stays, for its
 * console.log, until down or the next up). Logs progress on stderr. */
char *kdh_lab_up(const struct kdh_lab *lab, GCancellable *cancel, gboolean *ret_started,
		 GError **error);

/* Whether the lab runs and L1 answers over ssh as up's readiness check asks
 * (sshd, /dev/kvm with nested SVM, its libvirt), asked once: a minute at
 * most. FALSE too when the host's libvirt or the state directory cannot say.
 * Does not log. */
gboolean kdh_lab_answers(const struct kdh_lab *lab);

/* Destroy L1 and remove the state directory (the cached image stays).
 * Idempotent; *ret_destroyed tells whether L1 ran. Does not log. */
gboolean kdh_lab_down(const struct kdh_lab *lab, gboolean *ret_destroyed, GError **error);

struct kdh_lab_status {
	gboolean running;
	int port;       /* the running lab's ssh port on the host's loopback */
	char *uri;      /* the running lab's libvirt URI, else NULL */
	char *image;    /* the running lab's image directory, else NULL */
	char *versions; /* what L1 says over ssh (libvirt, QEMU, nested, domains), NULL
			 * when it does not answer; only with ask_l1 */
};

/* Whether the lab runs, how to reach it and, with ASK_L1, what runs in it. A
 * lab that runs with its state directory gone is an error. Does not log. */
gboolean kdh_lab_status(const struct kdh_lab *lab, gboolean ask_l1,
			struct kdh_lab_status *ret, GError **error);
void kdh_lab_status_clear(struct kdh_lab_status *s);

#endif

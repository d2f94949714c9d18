/* The nested lab: see kdh-lab.h. libvirt through virt.c, processes (the image
 * script, qemu-img, cp, ssh) through spawn.c, and every wait on the main loop:
 * the image build and the readiness checks are children whose end is an event,
 * the next check a timer, L1's stop a libvirt event, a signal a cancellation. */
#define _XOPEN_SOURCE 700 /* nftw() */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "kdh-domxml.h"
#include "kdh-error.h"
#include "kdh-lab.h"
#include "kdh-spawn.h"
#include "kdh-virt.h"

#define LAB_CHECK_EVERY_S 2
/* qemu-img, and cp of the 8 GiB sparse image where a hard link cannot be made */
#define LAB_TOOL_TIMEOUT_S 600
/* lab-image and ssh, told to stop, end at once; a debootstrap's chroot may not */
#define LAB_CHILD_GRACE_S 5
/* one question to L1 over ssh once it answers */
#define LAB_ASK_TIMEOUT_S 60

/* Ready means: sshd answers, /dev/kvm is there with nested SVM, and L1's
 * libvirt has probed its QEMU (its first answer takes that long). */
static const char lab_ready_command[] =
	"test -c /dev/kvm && grep -qx 1 /sys/module/kvm_amd/parameters/nested && "
	"virsh -q -c qemu:///system version >/dev/null";
/* One fact a line: libvirt's and QEMU's versions, nested SVM, L1's domains (a
 * run that was killed may have left one). */
static const char lab_versions_command[] =
	"virsh -q -c qemu:///system version; "
	"echo \"kvm_amd nested=$(cat /sys/module/kvm_amd/parameters/nested)\"; "
	"echo \"domains: $(virsh -q -c qemu:///system list --all --name | grep -c .)\"";

static gboolean lab_env_int(const char *var, int def, int min, int max, int *ret,
			    GError **error)
{
	const char *text = g_getenv(var);
	gint64 v;

	if (!text) {
		*ret = def;
		return TRUE;
	}
	if (!g_ascii_string_to_signed(text, 10, min, max, &v, NULL)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "%s: '%s' is not a whole number from %d to %d", var, text, min, max);
		return FALSE;
	}
	*ret = (int)v;
	return TRUE;
}

gboolean kdh_lab_init(struct kdh_lab *lab, const char *host_uri, const char *scripts,
		      GError **error)
{
	const char *state = g_getenv("KDH_LAB_STATE");
	int timeout_s;

	memset(lab, 0, sizeof(*lab));
	lab->host_uri = g_strdup(host_uri);
	lab->image_script = g_build_filename(scripts, "lab-image", NULL);
	lab->ssh_script = g_build_filename(scripts, "lab-ssh", NULL);
	lab->state = g_strdup(state ? state : "/var/lib/kdh/lab");
	/* libvirt on the host opens these files: a relative path means nothing there */
	if (!g_path_is_absolute(lab->state)) {
		g_set_error(error, KDH_ERROR, KDH_ERROR_USAGE,
			    "KDH_LAB_STATE: '%s' is not an absolute path", lab->state);
		return FALSE;
	}
	if (!lab_env_int("KDH_LAB_PORT", 10022, 1024, 65535, &lab->port, error) ||
	    !lab_env_int("KDH_LAB_VCPUS", 2, 1, 64, &lab->vcpus, error) ||
	    !lab_env_int("KDH_LAB_MEMORY_MIB", 6144, 2048, 262144, &lab->memory_mib, error) ||
	    !lab_env_int("KDH_LAB_UP_TIMEOUT", 900, 10, 86400, &timeout_s, error))
		return FALSE;
	lab->timeout_s = (guint)timeout_s;
	return TRUE;
}

void kdh_lab_clear(struct kdh_lab *lab)
{
	g_free(lab->host_uri);
	g_free(lab->image_script);
	g_free(lab->ssh_script);
	g_free(lab->state);
	memset(lab, 0, sizeof(*lab));
}

/* ---- how to reach L1: the image's key and the forwarded port ---- */

static char *lab_key(const char *image)
{
	return g_build_filename(image, "id_ed25519", NULL);
}

/* libvirt runs the lab's ssh script as its ssh (command=): see scripts/lab-ssh. */
static char *lab_uri(const struct kdh_lab *lab, int port, const char *image)
{
	g_autofree char *key = lab_key(image);
	g_autofree char *key_q = g_uri_escape_string(key, "/", FALSE);
	g_autofree char *ssh_q = g_uri_escape_string(lab->ssh_script, "/", FALSE);

	return g_strdup_printf(
		"qemu+ssh://root@127.0.0.1:%d/system?keyfile=%s&no_verify=1&command=%s", port,
		key_q, ssh_q);
}

/* ssh to L1 running COMMAND: the lab's key, through scripts/lab-ssh. */
static GStrv lab_ssh_argv(const struct kdh_lab *lab, int port, const char *image,
			  const char *command)
{
	g_autofree char *key = lab_key(image);
	g_autofree char *port_text = g_strdup_printf("%d", port);
	const char *argv[] = { lab->ssh_script, "-i", key, "-p", port_text, "root@127.0.0.1",
			       command, NULL };

	return g_strdupv((char **)argv);
}

/* Whether L1 is ready (lab_ready_command), asked once. */
static gboolean lab_answers(const struct kdh_lab *lab, int port, const char *image)
{
	g_auto(GStrv) argv = lab_ssh_argv(lab, port, image, lab_ready_command);
	int status;

	return kdh_spawn_sync((const char *const *)argv, LAB_ASK_TIMEOUT_S, NULL, &status, NULL) &&
	       status == 0;
}

/* What L1 says about itself, its lines joined by "; ", or NULL when it does not
 * answer. */
static char *lab_versions(const struct kdh_lab *lab, int port, const char *image)
{
	g_auto(GStrv) argv = lab_ssh_argv(lab, port, image, lab_versions_command);
	g_autofree char *output = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_auto(GStrv) lines = NULL;
	int status;

	if (!kdh_spawn_sync((const char *const *)argv, LAB_ASK_TIMEOUT_S, &output, &status, NULL) ||
	    status != 0)
		return NULL;
	/* virsh aligns its columns with runs of blanks: one blank between words */
	lines = g_strsplit(output, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) words = g_strsplit_set(*l, " \t", -1);
		gboolean first = TRUE;

		for (char **w = words; *w; w++) {
			if (!**w)
				continue;
			g_string_append_printf(out, "%s%s", first ? (out->len ? "; " : "") : " ", *w);
			first = FALSE;
		}
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ---- the state directory ---- */

static char *lab_state_file(const struct kdh_lab *lab, const char *name)
{
	return g_build_filename(lab->state, name, NULL);
}

/* The port and image of the lab that runs, as up wrote them. */
static gboolean lab_state_read(const struct kdh_lab *lab, int *ret_port, char **ret_image,
			       GError **error)
{
	g_autofree char *port_path = lab_state_file(lab, "port");
	g_autofree char *image_path = lab_state_file(lab, "image");
	g_autofree char *port = NULL, *image = NULL;
	gint64 v;

	if (!g_file_get_contents(port_path, &port, NULL, error) ||
	    !g_file_get_contents(image_path, &image, NULL, error))
		return FALSE;
	if (!g_ascii_string_to_signed(g_strstrip(port), 10, 1, 65535, &v, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "'%s' holds no port",
			    port_path);
		return FALSE;
	}
	*ret_port = (int)v;
	*ret_image = g_strdup(g_strstrip(image));
	return TRUE;
}

static int lab_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static gboolean lab_remove_state(const struct kdh_lab *lab, GError **error)
{
	if (nftw(lab->state, lab_remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 || errno == ENOENT)
		return TRUE;
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot remove '%s': %s",
		    lab->state, g_strerror(errno));
	return FALSE;
}

/* ARGV to its end, successfully. */
static gboolean lab_run_tool(const char *const *argv, GCancellable *cancel, GError **error)
{
	g_autofree char *output = NULL;
	int status;

	if (!kdh_spawn_run(argv, LAB_TOOL_TIMEOUT_S, cancel, &output, &status, error))
		return FALSE;
	if (status == 0)
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "'%s' exited %d: %s", argv[0], status,
		    g_strstrip(output));
	return FALSE;
}

static gboolean lab_copy(const char *from, const char *to, GCancellable *cancel, GError **error)
{
	g_autoptr(GFile) src = g_file_new_for_path(from);
	g_autoptr(GFile) dst = g_file_new_for_path(to);

	return g_file_copy(src, dst, G_FILE_COPY_OVERWRITE, cancel, NULL, NULL, error);
}

static gboolean lab_write(const struct kdh_lab *lab, const char *name, const char *text,
			  GError **error)
{
	g_autofree char *path = lab_state_file(lab, name);
	g_autofree char *line = g_strconcat(text, "\n", NULL);

	return g_file_set_contents(path, line, -1, error);
}

/* A fresh state directory on IMAGE: every lab starts from the same disk. Its
 * files must be readable by libvirt's QEMU (user libvirt-qemu), which cannot
 * read the image in root's cache: the image's disk is hard-linked (copied,
 * sparse, across file systems) beside its qcow2 overlay. */
static gboolean lab_prepare_state(const struct kdh_lab *lab, const char *image,
				  GCancellable *cancel, GError **error)
{
	g_autofree char *disk = g_build_filename(image, "disk.raw", NULL);
	g_autofree char *base = lab_state_file(lab, "base.raw");
	g_autofree char *overlay = lab_state_file(lab, "disk.qcow2");
	g_autofree char *port = g_strdup_printf("%d", lab->port);
	const char *cp[] = { "cp", "--sparse=always", disk, base, NULL };
	const char *qemu_img[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw",
				   "-b", base, overlay, NULL };
	static const char *const boot_files[] = { "vmlinuz", "initrd.img" };

	if (link(disk, base) < 0 && !lab_run_tool(cp, cancel, error))
		return FALSE;
	if (!lab_run_tool(qemu_img, cancel, error))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(boot_files); i++) {
		g_autofree char *from = g_build_filename(image, boot_files[i], NULL);
		g_autofree char *to = lab_state_file(lab, boot_files[i]);

		if (!lab_copy(from, to, cancel, error))
			return FALSE;
	}
	return lab_write(lab, "image", image, error) && lab_write(lab, "port", port, error);
}

static gboolean lab_make_state_dir(const struct kdh_lab *lab, GError **error)
{
	if (!lab_remove_state(lab, error))
		return FALSE;
	if (g_mkdir_with_parents(lab->state, 0755) == 0 && g_chmod(lab->state, 0755) == 0)
		return TRUE;
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot create '%s': %s",
		    lab->state, g_strerror(errno));
	return FALSE;
}

/* ---- up: a wait on the main loop ---- */

struct lab_up {
	const struct kdh_lab *lab;
	GMainLoop *loop;
	struct kdh_child *child; /* the image script or a readiness check, NULL none */
	int child_status;
	guint retry;             /* the timer before the next readiness check */
	guint deadline;
	gboolean finishing;      /* waiting only for the child to end */
	GError *error;           /* what ended the wait, unless it was done */
	int port;
	char *image;
	char *console;
};

/* End the wait (ERROR: why, NULL: done). A child still running gets SIGTERM
 * (the image script cleans up on it) and the loop ends when it has. */
static void lab_finish(struct lab_up *u, GError *error)
{
	if (error && !u->error && !u->finishing)
		u->error = error;
	else if (error)
		g_error_free(error);
	u->finishing = TRUE;
	g_clear_handle_id(&u->retry, g_source_remove);
	g_clear_handle_id(&u->deadline, g_source_remove);
	if (u->child)
		kdh_child_stop(u->child, LAB_CHILD_GRACE_S);
	else
		g_main_loop_quit(u->loop);
}

/* The child ended: FALSE when the wait was already finishing. */
static gboolean lab_child_ended(struct lab_up *u, struct kdh_child *c, int status)
{
	kdh_child_free(c);
	u->child = NULL;
	u->child_status = status;
	if (!u->finishing)
		return TRUE;
	g_main_loop_quit(u->loop);
	return FALSE;
}

static void lab_cancelled(GCancellable *cancel, gpointer data)
{
	(void)cancel;
	lab_finish(data, g_error_new(G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted"));
}

/* Run the thread-default main loop until lab_finish(); FALSE with ERROR when
 * it ended for a reason. */
static gboolean lab_wait(struct lab_up *u, GCancellable *cancel, GError **error)
{
	gulong cancel_id;

	u->finishing = FALSE;
	cancel_id = g_cancellable_connect(cancel, G_CALLBACK(lab_cancelled), u, NULL);
	/* a cancellation before the connect was told at once, and quit no loop yet */
	if (!u->finishing || u->child)
		g_main_loop_run(u->loop);
	g_cancellable_disconnect(cancel, cancel_id);
	if (!u->error)
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&u->error));
	return FALSE;
}

static void lab_image_done(struct kdh_child *c, int status, gpointer data)
{
	struct lab_up *u = data;

	if (lab_child_ended(u, c, status))
		lab_finish(u, NULL);
}

/* The image's directory, printed last by the image script, which builds it
 * the first time (about 5 minutes) and finds it in its cache after. */
static char *lab_image(struct lab_up *u, GCancellable *cancel, GError **error)
{
	const struct kdh_lab *lab = u->lab;
	g_autofree char *out = lab_state_file(lab, "lab-image.out");
	g_autofree char *log = lab_state_file(lab, "lab-image.log");
	g_autofree char *text = NULL;
	const char *argv[] = { lab->image_script, NULL };
	g_auto(GStrv) lines = NULL;
	guint n;

	u->child = kdh_spawn_async(argv, out, log, lab_image_done, u, error);
	if (!u->child || !lab_wait(u, cancel, error))
		return NULL;
	if (u->child_status != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "'%s' exited %d; its log: %s",
			    lab->image_script, u->child_status, log);
		return NULL;
	}
	if (!g_file_get_contents(out, &text, NULL, error))
		return NULL;
	lines = g_strsplit(g_strstrip(text), "\n", -1);
	n = g_strv_length(lines);
	if (n == 0 || !g_file_test(lines[n - 1], G_FILE_TEST_IS_DIR)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "'%s' printed no image directory; its log: %s", lab->image_script, log);
		return NULL;
	}
	return g_strdup(lines[n - 1]);
}

static void lab_check_done(struct kdh_child *c, int status, gpointer data);

static gboolean lab_check(gpointer data)
{
	struct lab_up *u = data;
	g_auto(GStrv) argv = lab_ssh_argv(u->lab, u->port, u->image, lab_ready_command);
	g_autofree char *log = lab_state_file(u->lab, "ssh.log");
	GError *error = NULL;

	u->retry = 0;
	u->child = kdh_spawn_async((const char *const *)argv, "/dev/null", log, lab_check_done, u,
				   &error);
	if (!u->child)
		lab_finish(u, error);
	return G_SOURCE_REMOVE;
}

static void lab_check_done(struct kdh_child *c, int status, gpointer data)
{
	struct lab_up *u = data;

	if (!lab_child_ended(u, c, status))
		return;
	if (status == 0)
		lab_finish(u, NULL);
	else
		u->retry = g_timeout_add_seconds(LAB_CHECK_EVERY_S, lab_check, u);
}

static gboolean lab_deadline(gpointer data)
{
	struct lab_up *u = data;

	u->deadline = 0;
	lab_finish(u, g_error_new(G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
				  "%s not ready after %u s (ssh, /dev/kvm with nested SVM, its "
				  "libvirt); its console: %s",
				  KDH_LAB_NAME, u->lab->timeout_s, u->console));
	return G_SOURCE_REMOVE;
}

static void lab_stopped(gpointer data, const char *why)
{
	struct lab_up *u = data;

	lab_finish(u, g_error_new(G_IO_ERROR, G_IO_ERROR_FAILED,
				  "%s stopped (%s) while booting; its console: %s", KDH_LAB_NAME,
				  why, u->console));
}

static void lab_lost(gpointer data, const char *why)
{
	struct lab_up *u = data;

	lab_finish(u, g_error_new(G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
				  "lost the connection to libvirt at '%s' (%s)", u->lab->host_uri,
				  why));
}

/* Start L1 and wait until it is ready; L1 runs on only when it is. */
static gboolean lab_boot(struct lab_up *u, struct kdh_virt *v, GCancellable *cancel,
			 GError **error)
{
	const struct kdh_lab *lab = u->lab;
	g_autofree char *kernel = lab_state_file(lab, "vmlinuz");
	g_autofree char *initrd = lab_state_file(lab, "initrd.img");
	g_autofree char *disk = lab_state_file(lab, "disk.qcow2");
	const struct kdh_lab_domain_spec spec = {
		.name = KDH_LAB_NAME,
		.vcpus = lab->vcpus,
		.memory_mib = lab->memory_mib,
		.kernel = kernel,
		.initrd = initrd,
		.disk = disk,
		.console_log = u->console,
		.ssh_port = lab->port,
	};
	g_autofree char *xml = kdh_domxml_lab(&spec);
	const struct kdh_virt_events events = {
		.stopped = lab_stopped,
		.lost = lab_lost,
		.data = u,
	};
	struct kdh_virt_domain *dom;
	gboolean ok;

	dom = kdh_virt_domain_create_lasting(v, xml, &events, error);
	if (!dom)
		return FALSE;
	u->deadline = g_timeout_add_seconds(lab->timeout_s, lab_deadline, u);
	u->retry = g_timeout_add_seconds(LAB_CHECK_EVERY_S, lab_check, u);
	ok = lab_wait(u, cancel, error);
	/* detached, never destroyed here: on success it is the lab */
	kdh_virt_domain_free(dom);
	return ok;
}

/* Signals reach the main loop only when it runs: give them their chance between
 * the blocking steps. */
static gboolean lab_interrupted(GCancellable *cancel, GError **error)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
	return g_cancellable_set_error_if_cancelled(cancel, error);
}

static gboolean lab_start(struct lab_up *u, struct kdh_virt *v, GCancellable *cancel,
			  GError **error)
{
	const struct kdh_lab *lab = u->lab;
	g_autoptr(GTimer) clock = g_timer_new();
	g_autofree char *versions = NULL;
	g_autofree char *image_log = lab_state_file(lab, "lab-image.log");
	gboolean destroyed;

	/* a lab that stopped by itself may have left its domain and files */
	if (!kdh_virt_domain_destroy_by_name(v, KDH_LAB_NAME, &destroyed, error) ||
	    !lab_make_state_dir(lab, error))
		return FALSE;
	g_printerr("kdh: lab: the L1 image from %s (cached after the first build; log: %s)\n",
		   lab->image_script, image_log);
	u->image = lab_image(u, cancel, error);
	if (!u->image || lab_interrupted(cancel, error) ||
	    !lab_prepare_state(lab, u->image, cancel, error) || lab_interrupted(cancel, error))
		return FALSE;
	g_printerr("kdh: lab: starting %s on %s (ssh on 127.0.0.1:%d)\n", KDH_LAB_NAME,
		   lab->host_uri, lab->port);
	g_timer_start(clock);
	if (!lab_boot(u, v, cancel, error))
		return FALSE;
	versions = lab_versions(u->lab, u->port, u->image);
	g_printerr("kdh: lab: %s ready in %.0f s: %s\n", KDH_LAB_NAME, g_timer_elapsed(clock, NULL),
		   versions ? versions : "(no answer to a second question)");
	return TRUE;
}

char *kdh_lab_up(const struct kdh_lab *lab, GCancellable *cancel, gboolean *ret_started,
		 GError **error)
{
	struct kdh_lab_status status;
	struct lab_up u = { .lab = lab, .port = lab->port };
	g_autoptr(GError) start_error = NULL;
	struct kdh_virt *v;
	char *uri = NULL;

	*ret_started = FALSE;
	if (!kdh_lab_status(lab, FALSE, &status, error))
		return NULL;
	/* A lab that runs is used as it is, if it answers: libvirt's ssh transport
	 * would wait for ever on an L1 that does not (its kernel died, or it is
	 * still booting for another up). */
	if (status.running) {
		if (lab_answers(lab, status.port, status.image))
			uri = g_steal_pointer(&status.uri);
		else
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				    "%s runs on %s but does not answer over ssh (its console: %s/"
				    "console.log); 'kdh lab down' ends it",
				    KDH_LAB_NAME, lab->host_uri, lab->state);
		kdh_lab_status_clear(&status);
		return uri;
	}
	v = kdh_virt_open(lab->host_uri, error);
	if (!v)
		return NULL;
	u.loop = g_main_loop_new(NULL, FALSE);
	u.console = lab_state_file(lab, "console.log");
	if (lab_start(&u, v, cancel, &start_error)) {
		*ret_started = TRUE;
		uri = lab_uri(lab, u.port, u.image);
	} else {
		gboolean destroyed;

		/* Nothing half-started stays. What failed leaves its files for a
		 * post-mortem (the console); what was interrupted leaves nothing. */
		kdh_virt_domain_destroy_by_name(v, KDH_LAB_NAME, &destroyed, NULL);
		if (g_error_matches(start_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			lab_remove_state(lab, NULL);
		g_propagate_error(error, g_steal_pointer(&start_error));
	}
	kdh_virt_free(v);
	g_main_loop_unref(u.loop);
	g_free(u.image);
	g_free(u.console);
	return uri;
}

gboolean kdh_lab_answers(const struct kdh_lab *lab)
{
	struct kdh_lab_status status;
	g_autoptr(GError) error = NULL;
	gboolean answers;

	if (!kdh_lab_status(lab, FALSE, &status, &error)) {
		kdh_lab_status_clear(&status);
		return FALSE;
	}
	answers = status.running && lab_answers(lab, status.port, status.image);
	kdh_lab_status_clear(&status);
	return answers;
}

gboolean kdh_lab_down(const struct kdh_lab *lab, gboolean *ret_destroyed, GError **error)
{
	struct kdh_virt *v = kdh_virt_open(lab->host_uri, error);
	gboolean ok;

	if (!v)
		return FALSE;
	ok = kdh_virt_domain_destroy_by_name(v, KDH_LAB_NAME, ret_destroyed, error);
	kdh_virt_free(v);
	return ok && lab_remove_state(lab, error);
}

gboolean kdh_lab_status(const struct kdh_lab *lab, gboolean ask_l1,
			struct kdh_lab_status *ret, GError **error)
{
	struct kdh_virt *v = kdh_virt_open(lab->host_uri, error);

	memset(ret, 0, sizeof(*ret));
	if (!v)
		return FALSE;
	ret->running = kdh_virt_domain_is_running(v, KDH_LAB_NAME);
	kdh_virt_free(v);
	if (!ret->running)
		return TRUE;
	if (!lab_state_read(lab, &ret->port, &ret->image, error)) {
		g_prefix_error(error, "%s runs on %s, but its state is unreadable ('kdh lab down' "
			       "ends it): ", KDH_LAB_NAME, lab->host_uri);
		return FALSE;
	}
	ret->uri = lab_uri(lab, ret->port, ret->image);
	if (ask_l1)
		ret->versions = lab_versions(lab, ret->port, ret->image);
	return TRUE;
}

void kdh_lab_status_clear(struct kdh_lab_status *s)
{
	g_free(s->uri);
	g_free(s->image);
	g_free(s->versions);
	memset(s, 0, sizeof(*s));
}

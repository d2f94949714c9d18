/* One run as a state machine on the GLib main loop. Console bytes, libvirt
 * events, deadlines and signals all arrive as callbacks that only record what
 * happened and advance the stage; nothing here waits by sleeping. */
#include <errno.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "kdh-analysis.h"
#include "kdh-domxml.h"
#include "kdh-images.h"
#include "kdh-protocol.h"
#include "kdh-run.h"
#include "kdh-vmcore.h"

#define RUN_VOL_KERNEL "vmlinuz"
#define RUN_VOL_INITRD "initrd.img"
#define RUN_VOL_DUMP "dump.raw"
/* A stage's deadline counts the guest's CPU time, so that a busy host slows a
 * verdict without changing it; a guest that makes no progress at all (halted,
 * waiting for an interrupt that never comes) uses no CPU, so the host's clock
 * ends the wait at this many times the deadline. */
#define RUN_DEADLINE_CEILING 3

struct run {
	const struct kdh_scenario *s;
	const struct kdh_run_options *o;
	struct kdh_evidence *e;
	GMainLoop *loop;
	struct kdh_virt_domain *dom;
	enum kdh_stage next;     /* the stage being waited for */
	gboolean probed;         /* the probe NMI went in */
	GTimer *clock;           /* since the domain started */
	double stage_started;
	double stage_cpu;        /* the guest's CPU seconds when the stage started, -1
				  * unknown (then the host's clock alone counts) */
	guint deadline;
	GString *line;           /* console bytes since the last newline */
	FILE *console;           /* the log the current kernel's lines go to */
	FILE *console_first;
	FILE *console_capture;
	GError *error;           /* what ended the loop, when it was the harness's fault */
};

static void run_stop(struct run *r)
{
	g_clear_handle_id(&r->deadline, g_source_remove);
	g_main_loop_quit(r->loop);
}

/* The harness could not go on: keep the first reason. */
static void run_fail(struct run *r, GError *error)
{
	if (!r->error)
		r->error = error;
	else
		g_error_free(error);
	run_stop(r);
}

/* The guest's CPU seconds so far, -1 when unknown or not wanted. */
static double run_guest_cpu(struct run *r)
{
	double cpu;

	if (r->o->probe || !r->dom || !kdh_virt_domain_cpu_seconds(r->dom, &cpu, NULL))
		return -1;
	return cpu;
}

static gboolean run_deadline_passed(gpointer data);

static void run_wait(struct run *r, double seconds)
{
	r->deadline = g_timeout_add_seconds(MAX(1, (guint)(seconds + 0.999)), run_deadline_passed, r);
}

/* Passed when the guest has had the stage's seconds of CPU time (and the host
 * as many seconds of its clock), or the ceiling of the host's clock. */
static gboolean run_deadline_passed(gpointer data)
{
	struct run *r = data;
	double limit = r->s->deadlines[r->next];
	double wall = g_timer_elapsed(r->clock, NULL) - r->stage_started;
	double now_cpu = r->stage_cpu < 0 ? -1 : run_guest_cpu(r);
	double cpu = now_cpu < 0 ? wall : now_cpu - r->stage_cpu;

	r->deadline = 0;
	if (cpu < limit && wall < limit * RUN_DEADLINE_CEILING) {
		/* a busy host slowed the guest: give it the rest of its time */
		run_wait(r, MIN(limit - cpu, limit * RUN_DEADLINE_CEILING - wall));
		return G_SOURCE_REMOVE;
	}
	r->e->deadline_missed = r->next;
	/* a probe's caller says what its missed deadline means */
	if (now_cpu < 0 && !r->o->probe)
		g_printerr("kdh: %s: deadline for stage '%s' (%u s) passed\n", r->s->name,
			   kdh_stage_name(r->next), r->s->deadlines[r->next]);
	else if (!r->o->probe)
		g_printerr("kdh: %s: deadline for stage '%s' (%u s) passed: the guest used %.1f s "
			   "of CPU in %.0f s\n",
			   r->s->name, kdh_stage_name(r->next), r->s->deadlines[r->next], cpu, wall);
	run_stop(r);
	return G_SOURCE_REMOVE;
}

static void run_arm_deadline(struct run *r)
{
	g_clear_handle_id(&r->deadline, g_source_remove);
	r->stage_cpu = run_guest_cpu(r);
	if (r->next < KDH_STAGE__COUNT)
		run_wait(r, r->s->deadlines[r->next]);
}

/* Mark every stage up to and including STAGE as reached now: a later sign
 * (the capture agent's hello) proves the earlier ones (the kexec) happened even
 * when their own sign was lost. */
static void run_reached(struct run *r, enum kdh_stage stage)
{
	double now = g_timer_elapsed(r->clock, NULL);

	if (stage < r->next)
		return;
	for (; r->next <= stage; r->next++) {
		r->e->stage_seconds[r->next] = now - r->stage_started;
		r->stage_started = now;
		if (!r->o->probe)
			g_printerr("kdh: %s: [%6.1f s] %s\n", r->s->name, now, kdh_stage_name(r->next));
	}
	if (r->next > r->o->last_stage)
		run_stop(r);
	else
		run_arm_deadline(r);
}

/* The NMI for the probe, or the fatal one. */
static gboolean run_inject(struct run *r)
{
	GError *error = NULL;

	if (kdh_virt_domain_inject_nmi(r->dom, &error))
		return TRUE;
	run_fail(r, error);
	return FALSE;
}

/* The stage follows the evidence (kdh_analysis_evidence_reached() knows what each stage
 * means); the harness adds what only it does: the probe NMI, and the fatal
 * NMI once the guest is armed. */
static void run_advance(struct run *r)
{
	const struct kdh_guest_report *first = &r->e->first;
	int reached = kdh_analysis_evidence_reached(r->e);

	/* the rest of a console chunk after the run ended is logged, not acted on */
	if (!g_main_loop_is_running(r->loop))
		return;
	/* a first kernel that lacked what the scenario needs armed nothing and is
	 * done (kdh-protocol.h, KDH_MSG_UNFIT): nothing more will come */
	if (first->bye && !first->ready && !r->e->capture_role) {
		g_printerr("kdh: %s: the first kernel cannot be tested: nothing was armed\n",
			   r->s->name);
		run_stop(r);
		return;
	}
	if (first->probe_wanted && !r->probed) {
		r->probed = TRUE;
		run_inject(r);
	}
	/* only while arming is the latest sign: never into a later kernel */
	if (reached == KDH_STAGE_ARM && r->next == KDH_STAGE_ARM) {
		run_reached(r, KDH_STAGE_ARM);
		if (r->s->trigger == KDH_TRIGGER_NMI && run_inject(r))
			run_reached(r, KDH_STAGE_TRIGGER);
	}
	if (reached >= 0)
		run_reached(r, reached);
}

static void run_console_line(struct run *r, const char *line)
{
	gboolean was_first = !r->e->capture_banner;

	kdh_analysis_console_feed_line(r->e, line);
	if (was_first && r->e->capture_banner)
		r->console = r->console_capture;
	fprintf(r->console, "%s\n", line);
	/* A kernel that ends its panic message has given up on kexec: no need to
	 * wait for the deadline. */
	if (r->e->panic_without_kexec && r->next <= KDH_STAGE_KEXEC) {
		g_printerr("kdh: %s: the first kernel panicked without starting a capture kernel\n",
			   r->s->name);
		r->e->deadline_missed = r->next;
		run_stop(r);
		return;
	}
	run_advance(r);
}

static void run_console(gpointer data, const char *bytes, gsize len)
{
	struct run *r = data;

	for (gsize i = 0; i < len; i++) {
		if (bytes[i] == '\n') {
			run_console_line(r, r->line->str);
			g_string_truncate(r->line, 0);
		} else if (bytes[i] != '\r') {
			g_string_append_c(r->line, bytes[i]);
		}
	}
	fflush(r->console);
}

static void run_stopped(gpointer data, const char *why)
{
	struct run *r = data;

	/* QEMU itself died (killed, out of memory): nothing the kernel did. */
	if (g_str_equal(why, "failed")) {
		run_fail(r, g_error_new(G_IO_ERROR, G_IO_ERROR_FAILED,
					"QEMU of domain '%s' died before stage '%s'", r->o->name,
					kdh_stage_name(r->next)));
		return;
	}
	/* The guest never stops by itself in a good run (see agent_done()): the
	 * stage it never reached is what failed. */
	g_printerr("kdh: %s: guest stopped (%s) before stage '%s'\n", r->s->name, why,
		   kdh_stage_name(r->next));
	r->e->deadline_missed = r->next;
	run_stop(r);
}

static void run_lost(gpointer data, const char *why)
{
	struct run *r = data;

	run_fail(r, g_error_new(G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
				"lost the connection to libvirt (%s)", why));
}

static void run_cancelled(GCancellable *cancel, gpointer data)
{
	(void)cancel;
	run_fail(data, g_error_new(G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted"));
}

static FILE *run_open_log(const char *dir, const char *name, GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	FILE *f = fopen(path, "w");

	if (!f)
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot create '%s': %s",
			    path, g_strerror(errno));
	return f;
}

/* Signals reach the main loop only when it runs: give them their chance between
 * the blocking preparation steps. */
static gboolean run_interrupted(const struct kdh_run_options *o, GError **error)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
	return g_cancellable_set_error_if_cancelled(o->cancel, error);
}

static GBytes *run_build_initrd(const struct kdh_scenario *s, const struct kdh_run_options *o,
				GError **error)
{
	/* Armed after the probe, so that the probe NMI is survivable. */
	static const char *const sysctls[] = { "kernel/unknown_nmi_panic=1", NULL };
	g_autofree char *capture_cmdline = kdh_scenario_capture_cmdline(s);
	const struct kdh_image_spec spec = {
		.kernel = o->kernel,
		.agent = o->agent,
		.modules = (const char *const *)s->modules,
		.capture_cmdline = capture_cmdline,
		.kexec_call = s->kexec,
		.makedumpfile_args = (const char *const *)s->makedumpfile_args,
		.kexec = "/usr/sbin/kexec",
		.makedumpfile = "/usr/bin/makedumpfile",
		.busybox = kdh_scenario_debug_shell(s) ? "/bin/busybox" : NULL,
		.nmi_probe = s->nmi_probe,
		.sysctls = sysctls,
		.offline_cpus = s->offline_cpus,
		.sysrq_crash = s->trigger == KDH_TRIGGER_SYSRQ,
		.sysrq_cpu = s->trigger_cpu,
	};

	return kdh_images_build(&spec, error);
}

/* Upload the kernel and initramfs and create the dump disk; returns the domain XML. */
static char *run_prepare(const struct kdh_scenario *s, const struct kdh_run_options *o,
			 struct kdh_virt_pool *pool, GError **error)
{
	g_autoptr(GBytes) initrd = run_build_initrd(s, o, error);
	g_autoptr(GMappedFile) kernel = NULL;
	g_autoptr(GBytes) kernel_bytes = NULL;
	g_autofree char *kernel_path = NULL, *initrd_path = NULL, *dump_path = NULL;
	g_autofree char *cmdline = kdh_scenario_first_cmdline(s);
	/* room for an unfiltered dump of all memory, allocated only as written */
	guint64 dump_size = ((guint64)s->memory_mib + 64) << 20;

	if (!initrd)
		return NULL;
	kernel = g_mapped_file_new(o->kernel->vmlinuz, FALSE, error);
	if (!kernel)
		return NULL;
	kernel_bytes = g_mapped_file_get_bytes(kernel);
	if (!kdh_virt_pool_upload(pool, RUN_VOL_KERNEL, kernel_bytes, &kernel_path, error) ||
	    !kdh_virt_pool_upload(pool, RUN_VOL_INITRD, initrd, &initrd_path, error) ||
	    !kdh_virt_pool_create_volume(pool, RUN_VOL_DUMP, dump_size, &dump_path, error))
		return NULL;

	const struct kdh_domain_spec dom = {
		.name = o->name,
		.type = o->domain_type,
		.vcpus = s->vcpus,
		.memory_mib = s->memory_mib,
		.kernel = kernel_path,
		.initrd = initrd_path,
		.cmdline = cmdline,
		.dump_disk = dump_path,
		.dump_serial = KDH_DUMP_SERIAL,
		.hyperv = s->hyperv,
		.vmbus_devices = (const char *const *)s->vmbus_devices,
	};
	return kdh_domxml_domain(&dom);
}

/* Drive the guest from start to stop; the loop ends at poweroff, a missed
 * deadline, or a harness failure in r->error. */
static void run_guest(struct run *r, const char *xml)
{
	const struct kdh_virt_events events = {
		.console = run_console,
		.stopped = run_stopped,
		.lost = run_lost,
		.data = r,
	};
	gulong cancel_id;

	r->dom = kdh_virt_domain_start(r->o->virt, xml, &events, &r->error);
	if (!r->dom)
		return;
	/* Stages are the guest's: libvirt's time to create the domain is not in them. */
	r->clock = g_timer_new();
	run_arm_deadline(r);
	cancel_id = g_cancellable_connect(r->o->cancel, G_CALLBACK(run_cancelled), r, NULL);
	if (!r->error)
		g_main_loop_run(r->loop);
	g_cancellable_disconnect(r->o->cancel, cancel_id);
	if (r->line->len)
		run_console_line(r, r->line->str);
}

/* Bring the vmcore home and read its log. */
static gboolean run_collect_vmcore(struct run *r, struct kdh_virt_pool *pool, GError **error)
{
	g_autofree char *vmcore = g_build_filename(r->o->results, "vmcore", NULL);
	g_autofree char *dmesg = g_build_filename(r->o->results, "vmcore-dmesg.txt", NULL);
	g_autofree char *log = g_build_filename(r->o->results, "makedumpfile.log", NULL);
	g_autoptr(GTimer) clock = g_timer_new();
	gboolean ok;

	if (r->e->capture.dump_bytes <= 0)
		return TRUE;
	if (!kdh_virt_pool_download(pool, RUN_VOL_DUMP, (guint64)r->e->capture.dump_bytes, vmcore,
				    error))
		return FALSE;
	ok = kdh_vmcore_read_log(vmcore, dmesg, log, r->o->cancel, r->e, error);
	if (ok && r->o->kernel->vmlinux)
		ok = kdh_vmcore_crash(r->o->kernel->vmlinux, vmcore, r->o->results, r->o->cancel, r->e,
				      error);
	if (!r->o->keep_vmcore)
		g_unlink(vmcore);
	r->e->analysis_seconds = g_timer_elapsed(clock, NULL);
	return ok;
}

static void run_clear(struct run *r)
{
	kdh_virt_domain_free(r->dom);
	g_clear_pointer(&r->loop, g_main_loop_unref);
	g_clear_pointer(&r->clock, g_timer_destroy);
	if (r->line)
		g_string_free(r->line, TRUE);
	g_clear_pointer(&r->console_first, fclose);
	g_clear_pointer(&r->console_capture, fclose);
	g_clear_error(&r->error);
}

/* What the pool's deletion could not do is told, not returned: the run's
 * result stands, and a later run reaps what is left. */
static void run_delete_pool(struct kdh_virt_pool *pool)
{
	g_autoptr(GPtrArray) problems = kdh_virt_pool_delete(pool);

	for (guint i = 0; i < problems->len; i++)
		g_printerr("kdh: %s\n", (char *)problems->pdata[i]);
}

gboolean kdh_run_scenario(const struct kdh_scenario *s, const struct kdh_run_options *o,
			  struct kdh_evidence *e, GError **error)
{
	struct run r = { .s = s, .o = o, .e = e, .next = KDH_STAGE_BOOT };
	struct kdh_virt_pool *pool = NULL;
	g_autofree char *xml = NULL;
	gboolean ok = FALSE;

	r.loop = g_main_loop_new(NULL, FALSE);
	r.line = g_string_new(NULL);
	if (g_mkdir_with_parents(o->results, 0755) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot create '%s': %s",
			    o->results, g_strerror(errno));
		goto out;
	}
	r.console_first = run_open_log(o->results, "console-first.log", error);
	r.console_capture = r.console_first ? run_open_log(o->results, "console-capture.log", error)
					    : NULL;
	if (!r.console_capture)
		goto out;
	r.console = r.console_first;
	pool = kdh_virt_pool_create(o->virt, o->name, o->pool_dir, error);
	if (!pool || run_interrupted(o, error))
		goto out;
	xml = run_prepare(s, o, pool, error);
	/* A kernel the scenario's modules cannot come from is not testable: a
	 * verdict, not a harness failure. */
	if (!xml && error && g_error_matches(*error, KDH_IMAGES_ERROR, KDH_IMAGES_ERROR_MODULE)) {
		e->setup_failed = g_strdup((*error)->message);
		g_clear_error(error);
		ok = TRUE;
		goto out;
	}
	if (!xml || run_interrupted(o, error))
		goto out;
	run_guest(&r, xml);
	/* The guest first, whatever happened: nothing may run past this point. */
	g_clear_pointer(&r.dom, kdh_virt_domain_free);
	if (r.error) {
		g_propagate_error(error, g_steal_pointer(&r.error));
		goto out;
	}
	ok = run_collect_vmcore(&r, pool, error);
out:
	run_delete_pool(pool);
	run_clear(&r);
	return ok;
}

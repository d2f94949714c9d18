/* The evidence record: stage names, and init/clear pairs that give every field
 * its "not reported" value, so a verdict can tell silence from a reported zero. */
#include <string.h>

#include "kdh-evidence.h"

static const char *const stage_names[] = {
	[KDH_STAGE_BOOT] = "boot",
	[KDH_STAGE_LOAD] = "load",
	[KDH_STAGE_ARM] = "arm",
	[KDH_STAGE_TRIGGER] = "trigger",
	[KDH_STAGE_KEXEC] = "kexec",
	[KDH_STAGE_CAPTURE] = "capture",
	[KDH_STAGE_ENUMERATE] = "enumerate",
	[KDH_STAGE_DUMP] = "dump",
	[KDH_STAGE_BYE] = "bye",
};
G_STATIC_ASSERT(G_N_ELEMENTS(stage_names) == KDH_STAGE__COUNT);

/* NULL for KDH_STAGE__COUNT: that value means "no stage" (deadline_missed,
 * a verdict's stage), and callers turn NULL into JSON null or leave it out. */
const char *kdh_stage_name(enum kdh_stage stage)
{
	return (unsigned int)stage < KDH_STAGE__COUNT ? stage_names[stage] : NULL;
}

int kdh_stage_from_name(const char *name)
{
	for (int i = 0; i < KDH_STAGE__COUNT; i++)
		if (g_strcmp0(name, stage_names[i]) == 0)
			return i;
	return -1;
}

struct kdh_device *kdh_device_new(const char *bus, const char *name, const char *id,
				  const char *driver)
{
	struct kdh_device *dev = g_new0(struct kdh_device, 1);

	dev->bus = g_strdup(bus);
	dev->name = g_strdup(name);
	dev->id = g_strdup(id);
	dev->driver = g_strdup(driver);
	return dev;
}

void kdh_device_free(struct kdh_device *dev)
{
	if (!dev)
		return;
	g_free(dev->bus);
	g_free(dev->name);
	g_free(dev->id);
	g_free(dev->driver);
	g_free(dev);
}

void kdh_guest_report_init(struct kdh_guest_report *r)
{
	memset(r, 0, sizeof(*r));
	r->cpus = -1;
	r->kexec_status = -2;
	r->kexec_loaded = -1;
	r->crash_size = -1;
	r->unfit = g_ptr_array_new_with_free_func(g_free);
	r->modules_failed = g_ptr_array_new_with_free_func(g_free);
	r->devices = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_device_free);
	r->dump_status = -2;
	r->dump_bytes = -1;
	r->errors = g_ptr_array_new_with_free_func(g_free);
	r->nmis_before = g_array_new(FALSE, FALSE, sizeof(int));
	r->nmis_after = g_array_new(FALSE, FALSE, sizeof(int));
	r->trigger_cpu = -1;
	r->vmbus_connect_said = -1;
}

/* Leaves R zeroed: clearing twice, or clearing a zeroed report, is harmless. */
void kdh_guest_report_clear(struct kdh_guest_report *r)
{
	g_free(r->release);
	g_free(r->kexec_said);
	g_clear_pointer(&r->unfit, g_ptr_array_unref);
	g_clear_pointer(&r->modules_failed, g_ptr_array_unref);
	g_clear_pointer(&r->devices, g_ptr_array_unref);
	g_clear_pointer(&r->errors, g_ptr_array_unref);
	g_clear_pointer(&r->nmis_before, g_array_unref);
	g_clear_pointer(&r->nmis_after, g_array_unref);
	g_free(r->vmbus_version);
	memset(r, 0, sizeof(*r));
}

void kdh_panic_log_init(struct kdh_panic_log *p)
{
	memset(p, 0, sizeof(*p));
	p->panic_cpu = -1;
	p->panic_context = -1;
	p->panic_pid = -1;
	p->panic_seconds = -1;
	p->vmbus_unload_seconds = -1;
	p->vmbus_connect_said = -1;
	p->nmi_cpus = g_array_new(FALSE, FALSE, sizeof(int));
	p->complaints = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_complaint_free);
}

void kdh_panic_log_clear(struct kdh_panic_log *p)
{
	g_clear_pointer(&p->panic_string, g_free);
	g_clear_pointer(&p->panic_comm, g_free);
	g_clear_pointer(&p->panic_taint, g_free);
	g_clear_pointer(&p->kernel_offset, g_free);
	g_clear_pointer(&p->vmbus_version, g_free);
	g_clear_pointer(&p->nmi_cpus, g_array_unref);
	g_clear_pointer(&p->complaints, g_ptr_array_unref);
	memset(p, 0, sizeof(*p));
}

void kdh_evidence_init(struct kdh_evidence *e)
{
	memset(e, 0, sizeof(*e));
	kdh_guest_report_init(&e->first);
	kdh_guest_report_init(&e->capture);
	for (int i = 0; i < KDH_STAGE__COUNT; i++)
		e->stage_seconds[i] = -1;
	e->analysis_seconds = -1;
	e->deadline_missed = KDH_STAGE__COUNT;
	kdh_panic_log_init(&e->vmcore_log);
	kdh_crash_report_init(&e->crash);
	e->capture_complaints =
		g_ptr_array_new_with_free_func((GDestroyNotify)kdh_complaint_free);
	kdh_complaint_scan_init(&e->capture_scan, "capture kernel");
}

void kdh_evidence_clear(struct kdh_evidence *e)
{
	g_free(e->setup_failed);
	g_free(e->panic_without_kexec);
	g_free(e->console_cut_head);
	g_free(e->console_cut_kernel_line);
	kdh_guest_report_clear(&e->first);
	kdh_guest_report_clear(&e->capture);
	kdh_panic_log_clear(&e->vmcore_log);
	kdh_crash_report_clear(&e->crash);
	g_clear_pointer(&e->capture_complaints, g_ptr_array_unref);
	kdh_complaint_scan_clear(&e->capture_scan);
	memset(e, 0, sizeof(*e));
}

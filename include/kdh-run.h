/* One scenario run: prepare the guest, drive its stages on the main loop, collect
 * the evidence, release everything. */
#ifndef KDH_RUN_H
#define KDH_RUN_H

#include <gio/gio.h>
#include "kdh-config.h"
#include "kdh-evidence.h"
#include "kdh-kernel.h"
#include "kdh-virt.h"

struct kdh_run_options {
	struct kdh_virt *virt;
	const struct kdh_kernel *kernel;
	const char *agent;       /* the static guest agent */
	const char *domain_type; /* "qemu" (TCG) or "kvm" */
	const char *name;        /* domain and pool name: kdh-<run id>-<scenario> */
	const char *pool_dir;    /* where the run's pool lives on the libvirt host */
	const char *results;     /* local directory for this scenario's files */
	gboolean keep_vmcore;
	enum kdh_stage last_stage; /* stop once this stage is reached (a probe: boot) */
	gboolean probe;          /* asks only whether the guest comes up (the KVM probe):
				  * deadlines on the host's clock, not the guest's CPU
				  * time (a hang is the answer), and no progress lines */
	GCancellable *cancel;    /* cancelled by SIGINT/SIGTERM: end now, clean up */
};

/* Run scenario S, filling E (initialised by the caller). Returns FALSE with ERROR
 * when the harness could not do its job (libvirt refused, the connection died,
 * interrupted, a file could not be written); E then holds what was seen so far.
 * A misbehaving kernel is not an error: it is in E. Logs progress on stderr.
 * Whatever happens, the domain and the pool are gone when it returns. */
gboolean kdh_run_scenario(const struct kdh_scenario *s, const struct kdh_run_options *o,
			  struct kdh_evidence *e, GError **error);

#endif

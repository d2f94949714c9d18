/* Scenario files: GKeyFile text a user can copy and edit (see scenarios/). Pure. */
#ifndef KDH_CONFIG_H
#define KDH_CONFIG_H

#include <glib.h>
#include "kdh-evidence.h"
#include "kdh-verdict.h"

/* Each with a name table (config.c): scenario files, matrices and reports name
 * them; every other module compares the enum. */
enum kdh_platform {
	KDH_PLATFORM_VIRTIO,
	KDH_PLATFORM_HYPERV,
	KDH_PLATFORM__COUNT,
};

enum kdh_kexec_call {
	KDH_KEXEC_LOAD,      /* "kexec_load": kexec -p */
	KDH_KEXEC_FILE_LOAD, /* "kexec_file_load": kexec -s -p */
	KDH_KEXEC_NONE,      /* "none": no capture kernel loaded */
	KDH_KEXEC__COUNT,
};

enum kdh_trigger {
	KDH_TRIGGER_NMI,   /* "nmi": the host injects it */
	KDH_TRIGGER_SYSRQ, /* "sysrq": the agent writes c to /proc/sysrq-trigger */
	KDH_TRIGGER__COUNT,
};

/* The names, NULL out of range; the values from names, -1 for none. */
const char *kdh_platform_name(int platform);
int kdh_platform_from_name(const char *name);
const char *kdh_kexec_call_name(int call);
int kdh_kexec_call_from_name(const char *name);
const char *kdh_trigger_name(int trigger);
int kdh_trigger_from_name(const char *name);

struct kdh_scenario {
	char *name;            /* file name without .conf */
	char *description;
	enum kdh_platform platform;
	char **modules;        /* the platform's guest modules, NULL-terminated */
	gboolean hyperv;       /* the platform is Hyper-V's face (kdh_domain_spec.hyperv):
	                        * it needs KVM with Hyper-V emulation, TCG cannot run it */
	char **vmbus_devices;  /* QEMU devices on its VMBus, NULL-terminated (may be empty) */
	int vcpus;
	int memory_mib;
	char *crashkernel;     /* "256M"; empty: none on the command line */
	char *cmdline;         /* first kernel, crashkernel= is added from the field above */
	char *capture_cmdline;
	enum kdh_kexec_call kexec;
	char **makedumpfile_args; /* words between runs of blanks; no quotes, no escapes */
	enum kdh_trigger trigger;
	int trigger_cpu;       /* sysrq: the CPU it is written from */
	gboolean nmi_probe;    /* inject a probe NMI before arming, count it per CPU */
	int *offline_cpus;     /* taken offline when arming, -1 ends the list */
	char *panic_string;    /* expected panic */
	gboolean nmi_on_every_cpu;
	int panic_cpu;         /* expected panicking CPU, -1 any */
	guint fail_on;         /* complaint kinds (bit 1 << kind) that fail the run */
	guint warn_on;         /* ... that are reported as warnings */
	guint deadlines[KDH_STAGE__COUNT]; /* seconds from the previous stage */
};

/* Parse scenario NAME from DATA. Unknown groups or keys, bad values and out-of-range
 * numbers fail with G_KEY_FILE_ERROR_INVALID_VALUE and a message naming the key.
 * Does not log. */
gboolean kdh_scenario_parse(const char *name, const char *data, struct kdh_scenario *ret,
			    GError **error);
/* The name of a scenario or matrix file: its base name without the extension. */
char *kdh_config_name(const char *path);
/* Read and parse a scenario file; the error message names the file. */
gboolean kdh_scenario_load(const char *path, struct kdh_scenario *ret, GError **error);
void kdh_scenario_clear(struct kdh_scenario *s);

/* What the harness adds to both kernels' command lines, whatever the scenario
 * says: the virtual machine's needs, not the test's. no_timer_check: on a busy
 * host a TCG vCPU thread descheduled during check_timer() misses the timer
 * ticks it counts, and the kernel panics "IO-APIC + timer doesn't work!" before
 * init (a known TCG failure: cirros and lima add it for the same reason; two
 * of this project's CI runs ended with a first kernel that panicked before its
 * agent started). */
#define KDH_CMDLINE_HARNESS "no_timer_check"

/* The first kernel's full command line (cmdline, crashkernel=, the harness's). */
char *kdh_scenario_first_cmdline(const struct kdh_scenario *s);
/* The capture kernel's full command line (capture-cmdline, the harness's). */
char *kdh_scenario_capture_cmdline(const struct kdh_scenario *s);
/* Whether either command line asks for the agent's debug shell
 * (KDH_CMDLINE_DEBUG_SHELL), so that the images must hold one. */
gboolean kdh_scenario_debug_shell(const struct kdh_scenario *s);
/* The verdict's expectations for S. */
struct kdh_expect kdh_scenario_expect(const struct kdh_scenario *s);

/* Path of scenario SPEC: SPEC itself when it names an existing file, else
 * DIR/SPEC.conf. NULL with G_IO_ERROR_NOT_FOUND naming SPEC. */
char *kdh_scenario_path(const char *spec, const char *dir, GError **error);

#endif

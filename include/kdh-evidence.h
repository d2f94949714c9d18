/* What one run observed. Filled by the run (harness/drive/run.c) from the console
 * stream, libvirt events and the vmcore; read by the pure verdict. */
#ifndef KDH_EVIDENCE_H
#define KDH_EVIDENCE_H

#include <glib.h>
#include "kdh-complaints.h"
#include "kdh-crash.h"

/* The stages of a run, in order. Each has a deadline (seconds from the previous
 * stage) in the scenario, named by kdh_stage_name() in verdicts and summaries. */
enum kdh_stage {
	KDH_STAGE_BOOT,      /* first kernel's agent said hello */
	KDH_STAGE_LOAD,      /* kexec ran: the capture kernel is loaded (or not) */
	KDH_STAGE_ARM,       /* probe NMI counted, panic sysctls set: ready */
	KDH_STAGE_TRIGGER,   /* the fatal NMI injected, or the agent's sysrq-c */
	KDH_STAGE_KEXEC,     /* a new kernel's banner on the console after the NMI */
	KDH_STAGE_CAPTURE,   /* capture kernel's agent said hello */
	KDH_STAGE_ENUMERATE, /* capture kernel's inventory complete */
	KDH_STAGE_DUMP,      /* vmcore written to the dump disk */
	KDH_STAGE_BYE,       /* the capture kernel's agent is done */
	KDH_STAGE__COUNT
};

const char *kdh_stage_name(enum kdh_stage stage);
/* -1 when NAME is not a stage name. */
int kdh_stage_from_name(const char *name);

struct kdh_device {
	char *bus;    /* "pci", "virtio", "vmbus" */
	char *name;   /* sysfs name, e.g. "0000:00:02.0" or "virtio0" */
	char *id;     /* bus-specific id, see kdh-protocol.h */
	char *driver; /* bound driver, "-" for none */
};

struct kdh_device *kdh_device_new(const char *bus, const char *name, const char *id,
				  const char *driver);
void kdh_device_free(struct kdh_device *dev);

/* What the agent of one kernel reported (see kdh-protocol.h). */
struct kdh_guest_report {
	gboolean seen;           /* a hello arrived */
	char *release;           /* uname -r */
	int cpus;                /* online CPUs, -1 unknown */
	int kexec_status;        /* exit status of kexec, -2 not reported */
	int kexec_loaded;        /* /sys/kernel/kexec_crash_loaded, -1 not reported */
	gint64 crash_size;       /* /sys/kernel/kexec_crash_size, -1 not reported */
	char *kexec_said;        /* kexec's first line of output, NULL not reported */
	GPtrArray *unfit;        /* char*: "module virtio_blk: Exec format error (errno 8)",
				  * what the scenario needs and the first kernel lacks */
	GPtrArray *modules_failed; /* char*: modules that did not load */
	GPtrArray *devices;      /* struct kdh_device* */
	gboolean inventory_done; /* an inventory line closed the device list */
	GArray *nmis_before;     /* int per CPU: /proc/interrupts NMI row before the */
	GArray *nmis_after;      /* probe NMI and after it; empty: not reported */
	gboolean probe_wanted;   /* the agent waits for the probe NMI */
	gboolean ready;
	gboolean bye;            /* the agent is done */
	char *vmbus_version;     /* "hv_vmbus: Vmbus version:4.0" on its console, or NULL */
	int vmbus_connect_said;  /* "hv_vmbus: VMBus connect CPU 1" on its console (a
				  * kernel with kdh's vmbus-connect-cpu-1.patch), -1 not said */
	int trigger_cpu;         /* the CPU the agent crashed from (sysrq), -1 none */
	int dump_status;         /* makedumpfile exit status, -2 not reported */
	gint64 dump_bytes;       /* -1 not reported */
	GPtrArray *errors;       /* char*: "what errno=N" of each error message */
};

void kdh_guest_report_init(struct kdh_guest_report *r);
void kdh_guest_report_clear(struct kdh_guest_report *r);

/* What a kernel log (the vmcore's dmesg, or a console log) says about the panic. */
struct kdh_panic_log {
	int panic_count;    /* "Kernel panic - not syncing:" lines */
	char *panic_string; /* text after "not syncing: " of the first panic, or NULL */
	int panic_cpu;      /* CPU of the first panic ("CPU: N PID:" after it), -1 unknown */
	int panic_context;  /* the first panic's backtrace: 1 in NMI context ("<NMI>"
			     * its first context mark), 0 not ("<TASK>", "<IRQ>"), -1 unseen */
	GArray *nmi_cpus;   /* int, sorted, unique: CPUs with an "Uhhuh. NMI received" line
			     * after the agent's KDH_KMSG_ARMED line, if there is one */
	GPtrArray *complaints; /* struct kdh_complaint*, "crash path": after that line */
	int vmbus_unload_waits;        /* "Waiting for VMBus UNLOAD to complete" lines */
	gboolean vmbus_unload_gave_up; /* "Continuing even though VMBus UNLOAD did not
					* complete": the next kernel may find no VMBus */
	double vmbus_unload_seconds;   /* how long the crash path waited for UNLOAD: the
					* last of those lines' stamp minus the panic's,
					* -1 unknown (no such line, or no stamps) */
	/* from the first panic's dump_stack() header ("CPU: 0 PID: 0 Comm: swapper/0
	 * Kdump: loaded Tainted: G W ..."): */
	int panic_pid;        /* -1 unknown */
	char *panic_comm;     /* NULL unknown */
	char *panic_taint;    /* "Not tainted" or "Tainted: G        W", NULL unknown */
	gboolean kdump_loaded; /* the header says "Kdump: loaded" (5.x and later) */
	double panic_seconds; /* the panic line's time stamp, -1 none */
	char *kernel_offset;  /* "0x1e000000 from 0xffffffff81000000 ..." or "disabled" */
	gboolean panic_end;   /* "---[ end Kernel panic": the kernel stopped, no kexec */
	gboolean rebooting;   /* "Rebooting in N seconds..": panic=N, no kexec */
	gboolean cpus_stopped_nmi; /* "Shutting down cpus with NMI" (no kexec path) */
	gboolean hyperv;      /* "Hypervisor detected: Microsoft Hyper-V" */
	gboolean hv_crash_handler; /* hv_crash_handler in a line (the kexec path on
				    * Hyper-V: it sends UNLOAD) */
	char *vmbus_version;  /* "hv_vmbus: Vmbus version:5.2", NULL none */
	int vmbus_connect_said; /* "hv_vmbus: VMBus connect CPU 1", -1 not said */
};

void kdh_panic_log_init(struct kdh_panic_log *p);
void kdh_panic_log_clear(struct kdh_panic_log *p);

struct kdh_evidence {
	/* the harness could not set up what the scenario needs from this kernel (a
	 * module it lacks or that cannot be read), so no guest ran: NULL when it could */
	char *setup_failed;
	struct kdh_guest_report first;
	struct kdh_guest_report capture;
	/* seconds each stage took from the end of the previous one (boot: from start);
	 * negative when the stage was not reached */
	double stage_seconds[KDH_STAGE__COUNT];
	/* seconds to bring the vmcore home and analyse it (makedumpfile, crash),
	 * negative when there was none */
	double analysis_seconds;
	/* the stage whose deadline passed, KDH_STAGE__COUNT if none */
	enum kdh_stage deadline_missed;
	gboolean capture_role;    /* console messages now come from the capture kernel */
	GPtrArray *capture_complaints; /* struct kdh_complaint*: the capture kernel's */
	struct kdh_complaint_scan capture_scan;
	gboolean capture_banner;  /* a kernel banner after the first kernel was ready */
	/* a kernel message cut one of the agent's lines on the console: the agent's
	 * part so far and the kernel's line, both waiting for the next console line
	 * (the rest of the agent's), NULL when none did */
	char *console_cut_head;
	char *console_cut_kernel_line;
	/* the first kernel printed the end of its panic, so it did not kexec: the
	 * panic's words ("IO-APIC + timer doesn't work! ..."), NULL when it did not */
	char *panic_without_kexec;
	gboolean vmcore_read;     /* a vmcore came back and makedumpfile read its log */
	gboolean vmcore_absent;   /* no vmcore to judge (kdh analyze of consoles only):
				   * the vmcore's checks are skipped, not failed */
	struct kdh_panic_log vmcore_log;
	struct kdh_crash_report crash; /* crash on the vmcore, when there was a vmlinux */
};

void kdh_evidence_init(struct kdh_evidence *e);
void kdh_evidence_clear(struct kdh_evidence *e);

#endif

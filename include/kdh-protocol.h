/* The line protocol between the guest agent and the harness.
 *
 * Shared by both sides: guest/agent.c writes these lines on the serial console
 * (/dev/console = ttyS0), harness/evidence/analysis.c parses them out of the
 * console stream.
 *
 * A message is one line:   KDH: <kind> key=value key=value ...\n
 * Values never contain spaces, tabs, newlines or '[' (the agent writes '_' instead,
 * or %XX where a value is free text):
 * a kernel message that lands before a line's end starts with "[" and a time
 * stamp, and the harness cuts it off there.
 * The prefix may be preceded by other text on the same line (a kernel message that
 * was printed mid-line), so the parser looks for it anywhere in the line.
 * The agent writes each line with a single write(2) so kernel printk output is
 * unlikely to split it.
 */
#ifndef KDH_PROTOCOL_H
#define KDH_PROTOCOL_H

#define KDH_PROTO_PREFIX "KDH: "

/* hello role=first|capture release=<uname -r> cpus=<online cpus>
 *   the agent started; first message of each kernel. */
#define KDH_MSG_HELLO "hello"
/* module name=<basename without .ko> status=ok|error errno=<n>
 *   one per module the agent tried to load, in load order. */
#define KDH_MSG_MODULE "module"
/* unfit what=module|dump_disk name=<module, or the dump disk's serial> errno=<n>
 *   first kernel only: something the scenario needs is not there (a module did
 *   not load, the dump disk is missing). The agent arms nothing and says bye:
 *   the kernel cannot be tested, which says nothing about its crash path. */
#define KDH_MSG_UNFIT "unfit"
/* kexec status=<exit status of kexec, or -1 if it could not run> loaded=0|1
 *       crash_size=<bytes reserved for the capture kernel, -1 unknown>
 *       said=<kexec's first line of output, %XX-escaped: "%20" a space>
 *   loaded is /sys/kernel/kexec_crash_loaded after kexec ran (first kernel only). */
#define KDH_MSG_KEXEC "kexec"
/* device bus=pci|virtio|vmbus name=<sysfs name> id=<bus specific id> driver=<bound driver or ->
 *   one per device; pci id is vendor:device (e.g. 1af4:1042), virtio id is the
 *   device type (e.g. 0x0002), vmbus id is the class GUID. */
#define KDH_MSG_DEVICE "device"
/* inventory count=<number of device lines just sent>
 *   ends a device list. */
#define KDH_MSG_INVENTORY "inventory"
/* nmis when=before|after counts=<NMI count of CPU 0>,<CPU 1>,...
 *   the NMI row of /proc/interrupts, around the probe NMI (first kernel only). */
#define KDH_MSG_NMIS "nmis"
/* probe
 *   first kernel only: unknown_nmi_panic is still 0; the host may now inject a
 *   probe NMI, which the kernel survives. The agent watches the NMI counts rise,
 *   then reports them (nmis when=after) and arms. */
#define KDH_MSG_PROBE "probe"
/* ready
 *   first kernel only: armed (sysctls applied) and idle, waiting for the trigger. */
#define KDH_MSG_READY "ready"
/* trigger how=sysrq cpu=<n>
 *   first kernel only: the agent itself crashes the kernel from CPU n now. */
#define KDH_MSG_TRIGGER "trigger"
/* dump status=<makedumpfile exit status or -1> bytes=<vmcore size written to the dump disk>
 *   capture kernel only: the vmcore is on the dump disk at offset 0. */
#define KDH_MSG_DUMP "dump"
/* error what=<step> errno=<n>
 *   a step of the agent failed; the agent goes on where it can. */
#define KDH_MSG_ERROR "error"
/* bye
 *   the agent is done and idles; the host closes the console, then destroys the
 *   guest. */
#define KDH_MSG_BYE "bye"

/* What the agent writes into the kernel log (/dev/kmsg) when it has armed: in a
 * vmcore's log, what comes after it is the crash path, what comes before it
 * (the probe NMI's "Uhhuh" lines among it) is not. */
#define KDH_KMSG_ARMED "kdh: armed"

#define KDH_ROLE_FIRST "first"
#define KDH_ROLE_CAPTURE "capture"

/* The agent's configuration, written into the initramfs by the harness.
 * One "key=value" per line; repeated keys keep their order:
 *   module=<path of a .ko inside the initramfs>   load order (dependencies first)
 *   kexec=<one argv element>                       argv of /sbin/kexec after argv[0]
 *   makedumpfile=<one argv element>                argv of makedumpfile before
 *                                                  "/proc/vmcore <output>"
 *   dump_serial=<serial of the dump disk>          /sys/block/<dev>/serial to look for
 *   nmi_probe=1                                    report NMI counts around a probe NMI
 *                                                  before arming
 *   sysctl=<path under /proc/sys>=<value>          written when arming, e.g.
 *                                                  kernel/unknown_nmi_panic=1
 *   cpu_offline=<n>                                when arming, take CPU n offline
 *                                                  (a CPU the crash shutdown cannot stop)
 *   sysrq_cpu=<n>                                  after ready, crash the kernel with
 *                                                  sysrq-c from CPU n
 * Lines starting with '#' and empty lines are ignored. */
#define KDH_AGENT_CONF "/kdh/agent.conf"
/* The capture kernel and its initramfs inside the first kernel's initramfs. */
#define KDH_GUEST_CAPTURE_KERNEL "/kdh/vmlinuz"
#define KDH_GUEST_CAPTURE_INITRD "/kdh/capture.img"
#define KDH_GUEST_KEXEC "/sbin/kexec"
#define KDH_GUEST_MAKEDUMPFILE "/sbin/makedumpfile"
#define KDH_GUEST_BUSYBOX "/bin/busybox"
/* Kernel command-line flag: on a fatal agent error, run busybox sh on the console
 * instead of powering off (for a person debugging a guest with virsh console). */
#define KDH_CMDLINE_DEBUG_SHELL "kdh.shell"
/* The serial number the harness gives the dump disk. */
#define KDH_DUMP_SERIAL "kdhdump"

#endif

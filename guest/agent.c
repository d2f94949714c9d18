/*
 * kdh guest agent: /init of both the first kernel and the kexec'd capture kernel.
 *
 * It reports what it sees on the serial console in the line protocol of
 * kdh-protocol.h, arms kdump in the first kernel and writes the vmcore to the dump
 * disk in the capture kernel. It is PID 1: returning from main() would panic the
 * kernel, so every path ends idling: the host destroys the guest.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kdh-protocol.h"

#define AGENT_MAX_ARGS 64
#define AGENT_VMCORE "/kdh/vmcore"

struct agent_list {
	char *item[AGENT_MAX_ARGS];
	int n;
};

struct agent_conf {
	struct agent_list modules;
	struct agent_list kexec;
	struct agent_list makedumpfile;
	struct agent_list sysctls;
	struct agent_list offline_cpus;
	char *dump_serial;
	bool nmi_probe;
	int sysrq_cpu; /* -1: the host triggers the crash */
};

/* One protocol line per write(2), so printk output can at worst land around it. */
static void agent_say(const char *fmt, ...)
{
	char line[1024] = KDH_PROTO_PREFIX;
	size_t len = strlen(line);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap); /* room for '\n' */
	va_end(ap);
	len = strlen(line);
	line[len++] = '\n';
	if (write(STDOUT_FILENO, line, len) < 0)
		return; /* no console: nobody to tell (and _FORTIFY_SOURCE wants a check) */
}

static void agent_error(const char *what, int err)
{
	agent_say(KDH_MSG_ERROR " what=%s errno=%d", what, err);
}

/* Values are separated by spaces on the wire, so they must not hold any. */
static void agent_clean(char *value)
{
	unsigned char *c;

	for (c = (unsigned char *)value; *c; c++)
		if (*c <= ' ' || *c == 0x7f || *c == '[')
			*c = '_';
}

/* Read a small sysfs or proc file, NAME under the directory DIRFD, as one
 * protocol value. Returns 0 or -errno. */
static int agent_read_value(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n;
	int fd, err;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	agent_clean(buf);
	return 0;
}

/* An already mounted filesystem is fine. */
static void agent_mount(const char *what, const char *type, const char *dir,
			unsigned long flags)
{
	if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
	    (mount(type, dir, type, flags, NULL) < 0 && errno != EBUSY))
		agent_error(what, errno);
}

/* The kernel opens /dev/console for init only when the initramfs has that
 * node, so /dev comes first. Had that mount failed without the node, there
 * would be no console to report it on anyway. */
static void agent_setup(void)
{
	int fd;

	agent_mount("mount_dev", "devtmpfs", "/dev", MS_NOSUID);
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	agent_mount("mount_proc", "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	agent_mount("mount_sys", "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	/* makedumpfile 1.7 writes /tmp/vmcoreinfoXXXXXX whatever TMPDIR says */
	if (mkdir("/tmp", 01777) < 0 && errno != EEXIST)
		agent_error("mkdir_tmp", errno);
}

static void agent_hello(const char *role)
{
	struct utsname u;

	if (uname(&u) < 0) {
		agent_error("uname", errno);
		strcpy(u.release, "-");
	}
	agent_clean(u.release);
	agent_say(KDH_MSG_HELLO " role=%s release=%s cpus=%ld", role, u.release,
		  sysconf(_SC_NPROCESSORS_ONLN));
}

static void agent_list_add(struct agent_list *list, const char *value)
{
	if (list->n == AGENT_MAX_ARGS) {
		agent_error("conf_too_many", E2BIG);
		return;
	}
	list->item[list->n++] = strdup(value);
}

static void agent_conf_line(struct agent_conf *conf, char *line)
{
	char *value = strchr(line, '=');

	if (line[0] == '#' || line[0] == '\0')
		return;
	if (!value) {
		agent_error("conf_line", EINVAL);
		return;
	}
	*value++ = '\0';
	if (!strcmp(line, "module"))
		agent_list_add(&conf->modules, value);
	else if (!strcmp(line, "kexec"))
		agent_list_add(&conf->kexec, value);
	else if (!strcmp(line, "makedumpfile"))
		agent_list_add(&conf->makedumpfile, value);
	else if (!strcmp(line, "dump_serial"))
		conf->dump_serial = strdup(value);
	else if (!strcmp(line, "nmi_probe"))
		conf->nmi_probe = !strcmp(value, "1");
	else if (!strcmp(line, "sysctl"))
		agent_list_add(&conf->sysctls, value);
	else if (!strcmp(line, "cpu_offline"))
		agent_list_add(&conf->offline_cpus, value);
	else if (!strcmp(line, "sysrq_cpu"))
		conf->sysrq_cpu = atoi(value);
	else
		agent_error("conf_key", EINVAL);
}

static void agent_conf_load(struct agent_conf *conf)
{
	FILE *f = fopen(KDH_AGENT_CONF, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		agent_error("conf", errno);
		return;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		agent_conf_line(conf, line); /* values may hold spaces: no trimming */
	}
	free(line);
	fclose(f);
}

/* finit_module() rather than init_module(): the kernel reads the file itself,
 * and glibc has no wrapper for either. In the first kernel, a module that does
 * not load is an unmet need of the scenario (FIRST). Returns whether it loaded. */
static bool agent_load_module(const char *path, bool first)
{
	const char *base = strrchr(path, '/');
	char name[NAME_MAX + 1];
	size_t len;
	int fd, err = 0;

	snprintf(name, sizeof(name), "%s", base ? base + 1 : path);
	len = strlen(name);
	if (len > 3 && !strcmp(name + len - 3, ".ko"))
		name[len - 3] = '\0';
	agent_clean(name);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) < 0)
		err = errno == EEXIST ? 0 : errno;
	if (fd >= 0)
		close(fd);
	agent_say(KDH_MSG_MODULE " name=%s status=%s errno=%d", name, err ? "error" : "ok", err);
	if (err && first)
		agent_say(KDH_MSG_UNFIT " what=module name=%s errno=%d", name, err);
	return !err;
}

static void agent_device_id(const char *bus, int devfd, char *buf, size_t size)
{
	char vendor[16], device[16];

	if (!strcmp(bus, "pci")) {
		if (agent_read_value(devfd, "vendor", vendor, sizeof(vendor)) == 0 &&
		    agent_read_value(devfd, "device", device, sizeof(device)) == 0) {
			/* sysfs prints 0x1af4: the id is the lspci-style 1af4:1042 */
			snprintf(buf, size, "%s:%s", vendor + 2, device + 2);
			return;
		}
	} else if (agent_read_value(devfd, !strcmp(bus, "virtio") ? "device" : "class_id",
				    buf, size) == 0) {
		return;
	}
	snprintf(buf, size, "-");
}

/* Returns the name of the bound driver, inside LINK, or "-". */
static const char *agent_device_driver(int devfd, char *link, size_t size)
{
	const char *base;
	ssize_t n;

	n = readlinkat(devfd, "driver", link, size - 1);
	if (n < 0)
		return "-";
	link[n] = '\0';
	agent_clean(link);
	base = strrchr(link, '/');
	return base ? base + 1 : link;
}

static int agent_skip_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Call FN for each entry of the directory PATH in name order, with an O_PATH
 * descriptor of the entry (-1 if it went away meanwhile). Returns the number
 * of entries, or -errno when PATH cannot be read. */
static int agent_scan(const char *path, void (*fn)(int fd, char *name, void *data), void *data)
{
	struct dirent **names = NULL;
	int dirfd, fd, i, n;

	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	n = scandirat(dirfd, ".", &names, agent_skip_dots, alphasort);
	if (n < 0)
		n = -errno;
	for (i = 0; i < n; i++) {
		fd = openat(dirfd, names[i]->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		fn(fd, names[i]->d_name, data);
		if (fd >= 0)
			close(fd);
		free(names[i]);
	}
	free(names);
	close(dirfd);
	return n;
}

static void agent_report_device(int fd, char *name, void *bus)
{
	char id[128], link[PATH_MAX];

	agent_device_id(bus, fd, id, sizeof(id));
	agent_clean(name);
	agent_say(KDH_MSG_DEVICE " bus=%s name=%s id=%s driver=%s", (char *)bus, name, id,
		  agent_device_driver(fd, link, sizeof(link)));
}

static void agent_inventory(void)
{
	/* in sorted order, so that the whole list is sorted by bus then name */
	static const char *const buses[] = { "pci", "virtio", "vmbus" };
	char path[64];
	int count = 0, n;
	size_t i;

	for (i = 0; i < sizeof(buses) / sizeof(buses[0]); i++) {
		snprintf(path, sizeof(path), "/sys/bus/%s/devices", buses[i]);
		n = agent_scan(path, agent_report_device, (void *)buses[i]);
		/* a bus that is not there (vmbus off Hyper-V) has no devices */
		if (n < 0 && n != -ENOENT)
			agent_error("inventory", -n);
		count += n > 0 ? n : 0;
	}
	agent_say(KDH_MSG_INVENTORY " count=%d", count);
}

/* Copy what the child writes into FD to the console, keeping its first
 * non-empty line in FIRST (a tool's own words for why it failed: kexec says
 * "Memory for crashkernel is not reserved", then how to reserve it), cut to SIZE. */
static void agent_relay(int fd, char *first, size_t size)
{
	char buf[512];
	size_t len = 0; /* of the first line, while it is read */
	bool done = false;
	ssize_t n, i;

	first[0] = '\0';
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (write(STDOUT_FILENO, buf, n) < 0) {
			/* no console: the line is still kept */
		}
		for (i = 0; i < n && !done; i++) {
			if (buf[i] == '\n' || buf[i] == '\r')
				done = len > 0;
			else if (len + 1 < size)
				first[len++] = buf[i];
		}
		first[len] = '\0';
	}
}

/* Run PATH with ARGS then TAIL and wait. posix_spawn() reports a failed exec
 * to the parent, which fork/execv cannot tell from an exit status. With SAID,
 * its output goes through the agent, which keeps its first line there.
 * Returns the exit status, 128+signal, or -1 when it could not run. */
static int agent_run(const char *what, const char *path, const struct agent_list *args,
		     const char *const *tail, char *said, size_t said_size)
{
	static char *const env[] = { "PATH=/sbin:/bin", "LC_ALL=C", NULL };
	char *argv[AGENT_MAX_ARGS + 4]; /* path, args, a tail of two, NULL */
	int argc = 0, i, err, status;
	pid_t pid;

	argv[argc++] = (char *)path;
	for (i = 0; i < args->n; i++)
		argv[argc++] = args->item[i];
	for (i = 0; tail && tail[i]; i++)
		argv[argc++] = (char *)tail[i];
	argv[argc] = NULL;

	posix_spawn_file_actions_t actions;
	int pipefd[2] = { -1, -1 };

	posix_spawn_file_actions_init(&actions);
	if (said && pipe2(pipefd, O_CLOEXEC) == 0) {
		posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDERR_FILENO);
	}
	err = posix_spawn(&pid, path, &actions, NULL, argv, env);
	posix_spawn_file_actions_destroy(&actions);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (!err && pipefd[0] >= 0)
		agent_relay(pipefd[0], said, said_size);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (err) {
		agent_error(what, err);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			agent_error(what, errno);
			return -1;
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A protocol value for free text: %XX for what may not be in a value. */
static void agent_escape(const char *text, char *buf, size_t size)
{
	size_t len = 0;
	const unsigned char *c;

	for (c = (const unsigned char *)text; *c && len + 4 < size; c++) {
		if (*c <= ' ' || *c >= 0x7f || *c == '[' || *c == '%')
			len += snprintf(buf + len, size - len, "%%%02X", *c);
		else
			buf[len++] = *c;
	}
	buf[len] = '\0';
}

/* First kernel: load the capture kernel. Returns whether kdump is armed. */
static bool agent_arm(const struct agent_conf *conf)
{
	char loaded[16], size[32], said[256] = "", escaped[768];
	int status = -1, err;

	if (conf->kexec.n > 0)
		status = agent_run("kexec", KDH_GUEST_KEXEC, &conf->kexec, NULL, said,
				   sizeof(said));
	err = agent_read_value(AT_FDCWD, "/sys/kernel/kexec_crash_loaded", loaded, sizeof(loaded));
	if (err) {
		agent_error("kexec_crash_loaded", -err);
		strcpy(loaded, "0");
	}
	if (agent_read_value(AT_FDCWD, "/sys/kernel/kexec_crash_size", size, sizeof(size)))
		strcpy(size, "-1");
	agent_escape(said, escaped, sizeof(escaped));
	agent_say(KDH_MSG_KEXEC " status=%d loaded=%s crash_size=%s said=%s", status, loaded, size,
		  escaped);
	return !strcmp(loaded, "1");
}

struct agent_disk_search {
	const char *serial;
	char name[NAME_MAX + 1];
};

/* The dump disk is found by serial, not by name: the capture kernel may name
 * its disks in another order. */
static void agent_match_serial(int fd, char *name, void *data)
{
	struct agent_disk_search *search = data;
	char serial[128];

	if (!search->name[0] && agent_read_value(fd, "serial", serial, sizeof(serial)) == 0 &&
	    !strcmp(serial, search->serial))
		snprintf(search->name, sizeof(search->name), "%s", name);
}

/* Copy FROM to the start of the block device TO and make it durable: the
 * guest powers off right after. Returns the bytes copied, or -errno. */
static off_t agent_copy(const char *from, const char *to)
{
	off_t ret, total = 0;
	int in, out;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CLOEXEC);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	/* past the end of the disk, sendfile() fails with ENOSPC */
	while ((n = sendfile(out, in, NULL, 1 << 30)) > 0)
		total += n;
	ret = n < 0 || fsync(out) < 0 ? -errno : total;
	close(in);
	close(out);
	return ret;
}

/* The dump disk's block device name into DISK; 0 or the errno of its absence. */
static int agent_find_dump_disk(const struct agent_conf *conf, struct agent_disk_search *disk)
{
	int n;

	disk->serial = conf->dump_serial;
	disk->name[0] = '\0';
	n = disk->serial ? agent_scan("/sys/block", agent_match_serial, disk) : -EINVAL;
	return disk->name[0] ? 0 : n < 0 ? -n : ENODEV;
}

/* Capture kernel: save the vmcore. Returns whether it reached the dump disk. */
static bool agent_dump(const struct agent_conf *conf)
{
	static const char *const tail[] = { "/proc/vmcore", AGENT_VMCORE, NULL };
	struct agent_disk_search disk;
	char dev[PATH_MAX];
	int status, err;
	off_t bytes = 0;

	err = agent_find_dump_disk(conf, &disk);
	if (err) {
		agent_error("dump_disk", err);
		agent_say(KDH_MSG_DUMP " status=-1 bytes=0");
		return false;
	}
	status = agent_run("makedumpfile", KDH_GUEST_MAKEDUMPFILE, &conf->makedumpfile, tail, NULL,
			   0);
	if (status == 0) {
		snprintf(dev, sizeof(dev), "/dev/%s", disk.name);
		bytes = agent_copy(AGENT_VMCORE, dev);
		if (bytes < 0) {
			agent_error("dump_copy", (int)-bytes);
			bytes = 0;
		}
	}
	agent_say(KDH_MSG_DUMP " status=%d bytes=%lld", status, (long long)bytes);
	return bytes > 0;
}

/* The NMI row of /proc/interrupts as "n,n,n": one count per CPU. */
static bool agent_nmi_counts(char *buf, size_t size)
{
	FILE *f = fopen("/proc/interrupts", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");
		size_t len = 0;

		if (strncmp(p, "NMI:", 4))
			continue;
		found = true;
		buf[0] = '\0';
		for (p += 4; (p += strspn(p, " ")), *p >= '0' && *p <= '9';) {
			size_t digits = strspn(p, "0123456789");

			if (len + digits + 2 > size)
				break;
			if (len)
				buf[len++] = ',';
			memcpy(buf + len, p, digits);
			len += digits;
			buf[len] = '\0';
			p += digits;
		}
	}
	fclose(f);
	return found;
}

/* Whether every CPU's count in NOW ("n,n,n") differs from its count in BEFORE. */
static bool agent_nmi_all_changed(const char *before, const char *now)
{
	while (*before && *now) {
		size_t b = strcspn(before, ","), n = strcspn(now, ",");

		if (b == n && !strncmp(before, now, b))
			return false;
		before += b + (before[b] == ',');
		now += n + (now[n] == ',');
	}
	return !*before && !*now;
}

/* Tell the host to inject a probe NMI, then watch the counts: once one CPU has
 * seen it, give slower vCPUs a moment to see it too (TCG runs vCPUs one after
 * the other), so that a CPU the NMI never reaches shows as unchanged; once
 * every CPU has seen it there is nothing left to wait for. */
static void agent_nmi_probe(void)
{
	enum { POLL_MS = 20, SETTLE_MS = 1000, GIVE_UP_MS = 15000 };
	char before[1024], now[1024] = "";
	int waited = 0, changed_at = -1;

	if (!agent_nmi_counts(before, sizeof(before))) {
		agent_error("nmi_counts", ENOENT);
		return;
	}
	agent_say(KDH_MSG_NMIS " when=before counts=%s", before);
	agent_say(KDH_MSG_PROBE);
	while (waited < GIVE_UP_MS && (changed_at < 0 || waited - changed_at < SETTLE_MS) &&
	       !agent_nmi_all_changed(before, now)) {
		usleep(POLL_MS * 1000);
		waited += POLL_MS;
		if (agent_nmi_counts(now, sizeof(now)) && changed_at < 0 && strcmp(now, before))
			changed_at = waited;
	}
	agent_nmi_counts(now, sizeof(now));
	agent_say(KDH_MSG_NMIS " when=after counts=%s", now);
}

/* "kernel/unknown_nmi_panic=1": write 1 to /proc/sys/kernel/unknown_nmi_panic. */
static void agent_sysctl(const char *setting)
{
	char path[PATH_MAX];
	const char *value = strchr(setting, '=');
	int fd;

	if (!value || snprintf(path, sizeof(path), "/proc/sys/%.*s", (int)(value - setting),
			       setting) >= (int)sizeof(path)) {
		agent_error("sysctl", EINVAL);
		return;
	}
	value++;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		agent_error("sysctl", errno);
	if (fd >= 0)
		close(fd);
}

/* A CPU that is offline when the kernel panics is not stopped by the crash
 * shutdown's NMI: a fault the vmcore shows and the console does not. */
static void agent_cpu_offline(const char *cpu)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", atoi(cpu));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) < 0)
		agent_error("cpu_offline", errno);
	if (fd >= 0)
		close(fd);
}

/* A line in the kernel's own log, so that it lands in the vmcore's log too. */
static void agent_kmsg(const char *text)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		agent_error("kmsg", errno);
	if (fd >= 0)
		close(fd);
}

/* Crash from a chosen CPU: the panic path then starts on a CPU that is not the
 * boot CPU, which an NMI cannot be aimed at from the host. */
static void agent_sysrq_crash(int cpu)
{
	cpu_set_t set;
	int fd;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		agent_error("sched_setaffinity", errno);
		return;
	}
	fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		agent_error("sysrq_trigger", errno);
		return;
	}
	agent_say(KDH_MSG_TRIGGER " how=sysrq cpu=%d", sched_getcpu());
	if (write(fd, "c", 1) < 0)
		agent_error("sysrq_trigger", errno);
	close(fd);
}

static bool agent_cmdline_has(const char *word)
{
	FILE *f = fopen("/proc/cmdline", "re");
	bool found = false;
	char token[256];

	if (!f)
		return false;
	while (!found && fscanf(f, "%255s", token) == 1)
		found = !strcmp(token, word);
	fclose(f);
	return found;
}

/* The agent could not do its job: hand a person debugging the guest a shell,
 * if they asked for one. Returns only when they did not or it failed. */
static void agent_fatal(void)
{
	if (!agent_cmdline_has(KDH_CMDLINE_DEBUG_SHELL))
		return;
	execl(KDH_GUEST_BUSYBOX, "sh", (char *)NULL);
	agent_error("shell", errno);
}

/* Only there so that SIGCHLD, ignored by default, ends sigsuspend(). */
static void agent_on_sigchld(int sig)
{
	(void)sig;
}

/* Wait for the NMI. As PID 1 we inherit every orphan, so reap them while we
 * wait; SIGCHLD stays blocked outside sigsuspend() so no exit is missed. */
static void __attribute__((noreturn)) agent_idle(void)
{
	struct sigaction sa = { .sa_handler = agent_on_sigchld, .sa_flags = SA_NOCLDSTOP };
	sigset_t block, wait_mask;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGCHLD);
	sigaction(SIGCHLD, &sa, NULL);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		sigsuspend(&wait_mask);
	}
}

/* Done: the host destroys the guest. Not a poweroff of our own: libvirt 9.0
 * can deadlock when a guest stops while its console stream is open, so the host
 * closes the console first and then destroys the guest. */
static void __attribute__((noreturn)) agent_done(void)
{
	sync();
	agent_say(KDH_MSG_BYE);
	agent_idle();
}

int main(void)
{
	struct agent_conf conf = { .sysrq_cpu = -1 };
	struct agent_disk_search disk;
	bool capture, armed, fit = true;
	int i, err;

	agent_setup();
	capture = access("/proc/vmcore", F_OK) == 0;
	agent_hello(capture ? KDH_ROLE_CAPTURE : KDH_ROLE_FIRST);
	agent_conf_load(&conf);
	for (i = 0; i < conf.modules.n; i++)
		fit &= agent_load_module(conf.modules.item[i], !capture);
	agent_inventory();

	if (capture) {
		if (!agent_dump(&conf))
			agent_fatal();
		agent_done();
	}
	/* The first kernel must have all the scenario needs before anything is
	 * armed: what it lacks is the setup's failure, not the crash path's. */
	if (conf.dump_serial && (err = agent_find_dump_disk(&conf, &disk)) != 0) {
		agent_say(KDH_MSG_UNFIT " what=dump_disk name=%s errno=%d", conf.dump_serial, err);
		fit = false;
	}
	if (!fit) {
		agent_fatal();
		agent_done();
	}
	armed = agent_arm(&conf);
	if (conf.nmi_probe)
		agent_nmi_probe();
	for (i = 0; i < conf.sysctls.n; i++)
		agent_sysctl(conf.sysctls.item[i]);
	for (i = 0; i < conf.offline_cpus.n; i++)
		agent_cpu_offline(conf.offline_cpus.item[i]);
	agent_kmsg(KDH_KMSG_ARMED);
	/* ready even when unarmed: what a kernel without kdump does on the NMI is
	 * itself a result the harness wants to see */
	agent_say(KDH_MSG_READY);
	if (conf.sysrq_cpu >= 0)
		agent_sysrq_crash(conf.sysrq_cpu);
	if (!armed)
		agent_fatal();
	agent_idle();
}

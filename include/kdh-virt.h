/* The only module that includes <libvirt/libvirt.h>. Every libvirt object the
 * harness creates goes through here and is released by the matching free
 * function, which keeps going past its own errors. Libvirt's events are
 * dispatched on the GLib main loop (libvirt-glib). Functions return errors;
 * none of them log. */
#ifndef KDH_VIRT_H
#define KDH_VIRT_H

#include <glib.h>

struct kdh_virt;
struct kdh_virt_pool;
struct kdh_virt_domain;

/* What a running domain tells its owner, on the main loop. */
struct kdh_virt_events {
	/* NULL: the console is not read (a domain whose console goes to a file) */
	void (*console)(gpointer data, const char *bytes, gsize len);
	/* the domain stopped; WHY is libvirt's detail, e.g. "destroyed", "shutdown" */
	void (*stopped)(gpointer data, const char *why);
	/* the connection to libvirt is gone */
	void (*lost)(gpointer data, const char *why);
	gpointer data;
};

struct kdh_virt *kdh_virt_open(const char *uri, GError **error);
void kdh_virt_free(struct kdh_virt *v);
/* Whether the host's libvirt offers a KVM domain for x86_64 q35 (which proves
 * nothing about whether KVM can run a guest: see the run's probe). */
gboolean kdh_virt_offers_kvm(struct kdh_virt *v);

/* What identifies the libvirt host's hypervisor stack: its host name, libvirt
 * and QEMU versions. */
char *kdh_virt_host_id(struct kdh_virt *v);

/* Destroy the domains and delete the storage pools whose names start with
 * PREFIX and for which IS_STALE(name) is TRUE. Returns what was reaped, as
 * "domain 'NAME'" and "storage pool 'NAME'"; what a pool's deletion could not
 * do goes into PROBLEMS, as kdh_virt_pool_delete() tells it. */
GPtrArray *kdh_virt_reap(struct kdh_virt *v, const char *prefix,
			 gboolean (*is_stale)(const char *name), GPtrArray *problems);

/* A directory pool of the run's own, built and started. */
struct kdh_virt_pool *kdh_virt_pool_create(struct kdh_virt *v, const char *name,
					   const char *path, GError **error);
/* Delete every volume, the directory and the pool itself, and free P, each
 * step tried whatever the one before did. Returns what could not be done, one
 * message each naming the volume or pool (empty: all went); the caller tells
 * it. Accepts NULL. */
GPtrArray *kdh_virt_pool_delete(struct kdh_virt_pool *p);
/* A new volume NAME holding DATA; *ret_path is its path on the libvirt host. */
gboolean kdh_virt_pool_upload(struct kdh_virt_pool *p, const char *name, GBytes *data,
			      char **ret_path, GError **error);
/* A new, empty, sparse volume of CAPACITY bytes. */
gboolean kdh_virt_pool_create_volume(struct kdh_virt_pool *p, const char *name,
				     guint64 capacity, char **ret_path, GError **error);
/* Copy LENGTH bytes of volume NAME from its start into the local file DEST. */
gboolean kdh_virt_pool_download(struct kdh_virt_pool *p, const char *name, guint64 length,
				const char *dest, GError **error);

/* Create the transient domain XML paused, attach to its console and lifecycle
 * events, then let it run. The domain is destroyed when the connection closes
 * (VIR_DOMAIN_START_AUTODESTROY), so a killed harness leaves no running guest. */
struct kdh_virt_domain *kdh_virt_domain_start(struct kdh_virt *v, const char *xml,
					      const struct kdh_virt_events *events,
					      GError **error);
/* Create the transient domain XML the same way, but without autodestroy: it
 * runs on after the handle is freed and the connection closed (the nested lab,
 * which outlives the command that starts it). Until then EVENTS tell its stop
 * and a lost connection; a domain that cannot be started whole is destroyed. */
struct kdh_virt_domain *kdh_virt_domain_create_lasting(struct kdh_virt *v, const char *xml,
						       const struct kdh_virt_events *events,
						       GError **error);
/* Whether a domain NAME exists and runs. */
gboolean kdh_virt_domain_is_running(struct kdh_virt *v, const char *name);
/* Destroy the domain NAME (a transient one is then gone). *ret_destroyed tells
 * whether there was one; no domain NAME is no error. */
gboolean kdh_virt_domain_destroy_by_name(struct kdh_virt *v, const char *name,
					 gboolean *ret_destroyed, GError **error);
gboolean kdh_virt_domain_inject_nmi(struct kdh_virt_domain *d, GError **error);
/* The CPU time the domain has used so far, in seconds (QEMU's, vCPUs and all). */
gboolean kdh_virt_domain_cpu_seconds(struct kdh_virt_domain *d, double *ret, GError **error);
/* Detach from the domain and destroy it if it still runs, unless it was created
 * lasting. Accepts NULL. */
void kdh_virt_domain_free(struct kdh_virt_domain *d);

#endif

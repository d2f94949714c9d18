/* libvirt, through its C API only. Remote and local URIs take the same paths:
 * images go up and the vmcore comes back through storage-volume streams, the
 * console through a stream, so nothing assumes the guest runs on this host. */
#include <fcntl.h>
#include <unistd.h>
#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "kdh-domxml.h"
#include "kdh-virt.h"

struct kdh_virt {
	virConnectPtr conn;
	char *uri;
	GList *domains; /* struct kdh_virt_domain*: told when the connection is lost */
};

struct kdh_virt_pool {
	struct kdh_virt *virt;
	virStoragePoolPtr pool;
};

struct kdh_virt_domain {
	struct kdh_virt *virt;
	virDomainPtr dom;
	virStreamPtr console;
	int lifecycle_id;
	struct kdh_virt_events events;
	gboolean lasting; /* outlives its handle and the connection: never destroyed on free */
};

/* libvirt prints every error to stderr by default; ours go into GErrors. */
static void virt_quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

static gboolean virt_fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean virt_fail(GError **error, const char *fmt, ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);

	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
		    virGetLastErrorMessage());
	return FALSE;
}

static void virt_closed(virConnectPtr conn, int reason, void *opaque)
{
	static const char *const reasons[] = { "error", "end of file", "keepalive timeout",
					       "client closed" };
	struct kdh_virt *v = opaque;

	(void)conn;
	for (GList *l = v->domains; l; l = l->next) {
		struct kdh_virt_domain *d = l->data;

		d->events.lost(d->events.data,
			       reason >= 0 && reason < (int)G_N_ELEMENTS(reasons) ? reasons[reason]
										   : "unknown");
	}
}

struct kdh_virt *kdh_virt_open(const char *uri, GError **error)
{
	static gsize registered;
	struct kdh_virt *v;
	virConnectPtr conn;

	if (g_once_init_enter(&registered)) {
		virSetErrorFunc(NULL, virt_quiet);
		gvir_event_register();
		g_once_init_leave(&registered, 1);
	}
	conn = virConnectOpen(uri);
	if (!conn) {
		virt_fail(error, "cannot connect to libvirt at '%s'", uri);
		return NULL;
	}
	v = g_new0(struct kdh_virt, 1);
	v->conn = conn;
	v->uri = g_strdup(uri);
	/* A daemon that hangs must end the run, not stall it (one that dies closes
	 * the socket at once). A minute: a remote libvirtd in a nested guest under
	 * TCG answered too slowly for 5 s x 3. */
	virConnectSetKeepAlive(conn, 10, 6);
	virConnectRegisterCloseCallback(conn, virt_closed, v, NULL);
	return v;
}

void kdh_virt_free(struct kdh_virt *v)
{
	if (!v)
		return;
	virConnectUnregisterCloseCallback(v->conn, virt_closed);
	virConnectClose(v->conn);
	g_list_free(v->domains);
	g_free(v->uri);
	g_free(v);
}

gboolean kdh_virt_offers_kvm(struct kdh_virt *v)
{
	g_autofree char *caps =
		virConnectGetDomainCapabilities(v->conn, NULL, "x86_64", "q35", "kvm", 0);

	return caps != NULL;
}

char *kdh_virt_host_id(struct kdh_virt *v)
{
	g_autofree char *host = virConnectGetHostname(v->conn);
	unsigned long libvirt = 0, hypervisor = 0;

	virConnectGetLibVersion(v->conn, &libvirt);
	virConnectGetVersion(v->conn, &hypervisor);
	return g_strdup_printf("%s libvirt %lu qemu %lu", host ? host : "?", libvirt, hypervisor);
}

/* ---- storage ---- */

/* "WHAT: libvirt's last error" added to PROBLEMS; NULL: what failed is expected
 * (a pool that never started has no volumes to list). */
static void virt_problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void virt_problem(GPtrArray *problems, const char *fmt, ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	if (!problems)
		return;
	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(problems, g_strdup_printf("%s: %s", what, virGetLastErrorMessage()));
}

/* Every step is tried, whatever the one before did: what one leaves, the next
 * may still remove (and a later run reaps the rest). Takes POOL. */
static void virt_pool_teardown(virStoragePoolPtr pool, GPtrArray *problems)
{
	g_autofree char *name = g_strdup(virStoragePoolGetName(pool));
	virStorageVolPtr *vols = NULL;
	int n = virStoragePoolListAllVolumes(pool, &vols, 0);

	if (n < 0)
		virt_problem(problems, "cannot list the volumes of storage pool '%s'", name);
	for (int i = 0; i < n; i++) {
		if (virStorageVolDelete(vols[i], 0) < 0)
			virt_problem(problems, "cannot delete volume '%s' of storage pool '%s'",
				     virStorageVolGetName(vols[i]), name);
		virStorageVolFree(vols[i]);
	}
	free(vols);
	if (virStoragePoolDestroy(pool) < 0)
		virt_problem(problems, "cannot stop storage pool '%s'", name);
	if (virStoragePoolDelete(pool, 0) < 0)
		virt_problem(problems, "cannot delete the directory of storage pool '%s'", name);
	if (virStoragePoolUndefine(pool) < 0)
		virt_problem(problems, "cannot undefine storage pool '%s'", name);
	virStoragePoolFree(pool);
}

struct kdh_virt_pool *kdh_virt_pool_create(struct kdh_virt *v, const char *name,
					   const char *path, GError **error)
{
	g_autofree char *xml = kdh_domxml_pool(name, path);
	struct kdh_virt_pool *p;
	virStoragePoolPtr pool = virStoragePoolDefineXML(v->conn, xml, 0);

	if (!pool) {
		virt_fail(error, "cannot define storage pool '%s'", name);
		return NULL;
	}
	if (virStoragePoolBuild(pool, 0) < 0 || virStoragePoolCreate(pool, 0) < 0) {
		virt_fail(error, "cannot start storage pool '%s'", name);
		virt_pool_teardown(pool, NULL);
		return NULL;
	}
	p = g_new0(struct kdh_virt_pool, 1);
	p->virt = v;
	p->pool = pool;
	return p;
}

GPtrArray *kdh_virt_pool_delete(struct kdh_virt_pool *p)
{
	GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);

	if (!p)
		return problems;
	virt_pool_teardown(p->pool, problems);
	g_free(p);
	return problems;
}

static virStorageVolPtr virt_volume_new(struct kdh_virt_pool *p, const char *name,
					guint64 capacity, char **ret_path, GError **error)
{
	g_autofree char *xml = kdh_domxml_volume(name, capacity);
	virStorageVolPtr vol = virStorageVolCreateXML(p->pool, xml, 0);

	if (!vol) {
		virt_fail(error, "cannot create volume '%s'", name);
		return NULL;
	}
	*ret_path = virStorageVolGetPath(vol);
	return vol;
}

gboolean kdh_virt_pool_create_volume(struct kdh_virt_pool *p, const char *name,
				     guint64 capacity, char **ret_path, GError **error)
{
	virStorageVolPtr vol = virt_volume_new(p, name, capacity, ret_path, error);

	if (!vol)
		return FALSE;
	virStorageVolFree(vol);
	return TRUE;
}

struct virt_cursor {
	const guint8 *data;
	gsize left;
};

static int virt_send_source(virStreamPtr st, char *buf, size_t nbytes, void *opaque)
{
	struct virt_cursor *c = opaque;
	size_t n = MIN(nbytes, c->left);

	(void)st;
	memcpy(buf, c->data, n);
	c->data += n;
	c->left -= n;
	return (int)n;
}

/* Run TRANSFER on a fresh blocking stream and finish it; abort it on failure. */
static gboolean virt_stream_transfer(virConnectPtr conn,
				     gboolean (*transfer)(virStreamPtr, gpointer), gpointer data)
{
	virStreamPtr st = virStreamNew(conn, 0);
	gboolean ok = st && transfer(st, data) && virStreamFinish(st) == 0;

	if (st) {
		if (!ok)
			virStreamAbort(st);
		virStreamFree(st);
	}
	return ok;
}

struct virt_upload {
	virStorageVolPtr vol;
	struct virt_cursor cursor;
};

static gboolean virt_upload(virStreamPtr st, gpointer data)
{
	struct virt_upload *u = data;

	return virStorageVolUpload(u->vol, st, 0, u->cursor.left, 0) == 0 &&
	       virStreamSendAll(st, virt_send_source, &u->cursor) == 0;
}

gboolean kdh_virt_pool_upload(struct kdh_virt_pool *p, const char *name, GBytes *data,
			      char **ret_path, GError **error)
{
	struct virt_upload u = { 0 };
	gboolean ok;

	u.cursor.data = g_bytes_get_data(data, &u.cursor.left);
	u.vol = virt_volume_new(p, name, u.cursor.left, ret_path, error);
	if (!u.vol)
		return FALSE;
	ok = virt_stream_transfer(p->virt->conn, virt_upload, &u);
	virStorageVolFree(u.vol);
	return ok ? TRUE : virt_fail(error, "cannot upload volume '%s'", name);
}

static int virt_recv_sink(virStreamPtr st, const char *buf, size_t nbytes, void *opaque)
{
	int fd = *(int *)opaque;

	(void)st;
	return write(fd, buf, nbytes) == (ssize_t)nbytes ? (int)nbytes : -1;
}

struct virt_download {
	virStorageVolPtr vol;
	guint64 length;
	int fd;
};

static gboolean virt_download(virStreamPtr st, gpointer data)
{
	struct virt_download *d = data;

	return virStorageVolDownload(d->vol, st, 0, d->length, 0) == 0 &&
	       virStreamRecvAll(st, virt_recv_sink, &d->fd) == 0;
}

gboolean kdh_virt_pool_download(struct kdh_virt_pool *p, const char *name, guint64 length,
				const char *dest, GError **error)
{
	struct virt_download d = { .length = length };
	gboolean ok;

	d.vol = virStorageVolLookupByName(p->pool, name);
	if (!d.vol)
		return virt_fail(error, "no volume '%s'", name);
	d.fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (d.fd < 0) {
		virStorageVolFree(d.vol);
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot create '%s': %s",
			    dest, g_strerror(errno));
		return FALSE;
	}
	ok = virt_stream_transfer(p->virt->conn, virt_download, &d);
	/* A full disk shows up here at the latest. */
	ok = fsync(d.fd) == 0 && ok;
	close(d.fd);
	virStorageVolFree(d.vol);
	return ok ? TRUE : virt_fail(error, "cannot download volume '%s'", name);
}

/* ---- domains ---- */

static const char *virt_stopped_why(int detail)
{
	static const char *const names[] = { "shutdown", "destroyed", "crashed", "migrated",
					     "saved",    "failed",    "from snapshot" };

	return detail >= 0 && detail < (int)G_N_ELEMENTS(names) ? names[detail] : "unknown";
}

static int virt_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
			  void *opaque)
{
	struct kdh_virt_domain *d = opaque;

	(void)conn;
	(void)dom;
	if (event == VIR_DOMAIN_EVENT_STOPPED)
		d->events.stopped(d->events.data, virt_stopped_why(detail));
	return 0;
}

static void virt_console_readable(virStreamPtr st, int events, void *opaque)
{
	struct kdh_virt_domain *d = opaque;
	char buf[4096];
	int n;

	(void)events;
	while ((n = virStreamRecv(st, buf, sizeof(buf))) > 0)
		d->events.console(d->events.data, buf, (gsize)n);
	/* -2: nothing more for now; 0 or -1: the console is gone with the guest. */
	if (n != -2)
		virStreamEventRemoveCallback(st);
}

static gboolean virt_domain_attach(struct kdh_virt_domain *d, GError **error)
{
	virConnectPtr conn = d->virt->conn;
	const char *name = virDomainGetName(d->dom);

	d->lifecycle_id = virConnectDomainEventRegisterAny(
		conn, d->dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(virt_lifecycle),
		d, NULL);
	if (d->lifecycle_id < 0)
		return virt_fail(error, "cannot watch domain '%s'", name);
	if (!d->events.console)
		return TRUE;
	d->console = virStreamNew(conn, VIR_STREAM_NONBLOCK);
	if (!d->console || virDomainOpenConsole(d->dom, NULL, d->console, 0) < 0 ||
	    virStreamEventAddCallback(d->console,
				      VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
					      VIR_STREAM_EVENT_HANGUP,
				      virt_console_readable, d, NULL) < 0)
		return virt_fail(error, "cannot open the console of domain '%s'", name);
	return TRUE;
}

/* A domain that could not be started whole goes, lasting or not. */
static struct kdh_virt_domain *virt_domain_abandon(struct kdh_virt_domain *d)
{
	d->lasting = FALSE;
	kdh_virt_domain_free(d);
	return NULL;
}

static struct kdh_virt_domain *virt_domain_create(struct kdh_virt *v, const char *xml,
						  const struct kdh_virt_events *events,
						  gboolean lasting, GError **error)
{
	struct kdh_virt_domain *d = g_new0(struct kdh_virt_domain, 1);
	/* Paused until the console and the lifecycle events are attached, so that
	 * no byte of the boot and no early stop is missed. */
	unsigned int flags = VIR_DOMAIN_START_PAUSED | (lasting ? 0 : VIR_DOMAIN_START_AUTODESTROY);

	d->virt = v;
	d->events = *events;
	d->lifecycle_id = -1;
	d->lasting = lasting;
	d->dom = virDomainCreateXML(v->conn, xml, flags);
	if (!d->dom) {
		virt_fail(error, "cannot start domain");
		g_free(d);
		return NULL;
	}
	v->domains = g_list_prepend(v->domains, d);
	if (!virt_domain_attach(d, error))
		return virt_domain_abandon(d);
	if (virDomainResume(d->dom) < 0) {
		virt_fail(error, "cannot resume domain '%s'", virDomainGetName(d->dom));
		return virt_domain_abandon(d);
	}
	return d;
}

struct kdh_virt_domain *kdh_virt_domain_start(struct kdh_virt *v, const char *xml,
					      const struct kdh_virt_events *events,
					      GError **error)
{
	return virt_domain_create(v, xml, events, FALSE, error);
}

struct kdh_virt_domain *kdh_virt_domain_create_lasting(struct kdh_virt *v, const char *xml,
						       const struct kdh_virt_events *events,
						       GError **error)
{
	return virt_domain_create(v, xml, events, TRUE, error);
}

gboolean kdh_virt_domain_is_running(struct kdh_virt *v, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(v->conn, name);
	gboolean running = dom && virDomainIsActive(dom) == 1;

	if (dom)
		virDomainFree(dom);
	return running;
}

gboolean kdh_virt_domain_destroy_by_name(struct kdh_virt *v, const char *name,
					 gboolean *ret_destroyed, GError **error)
{
	virDomainPtr dom = virDomainLookupByName(v->conn, name);
	gboolean ok;

	*ret_destroyed = FALSE;
	if (!dom)
		return virGetLastErrorCode() == VIR_ERR_NO_DOMAIN
			       ? TRUE
			       : virt_fail(error, "cannot look up domain '%s'", name);
	ok = virDomainDestroy(dom) == 0;
	virDomainFree(dom);
	if (!ok)
		return virt_fail(error, "cannot destroy domain '%s'", name);
	*ret_destroyed = TRUE;
	return TRUE;
}

gboolean kdh_virt_domain_inject_nmi(struct kdh_virt_domain *d, GError **error)
{
	if (virDomainInjectNMI(d->dom, 0) < 0)
		return virt_fail(error, "cannot inject an NMI into domain '%s'",
				 virDomainGetName(d->dom));
	return TRUE;
}

gboolean kdh_virt_domain_cpu_seconds(struct kdh_virt_domain *d, double *ret, GError **error)
{
	virDomainInfo info;

	if (virDomainGetInfo(d->dom, &info) < 0)
		return virt_fail(error, "cannot read the CPU time of domain '%s'",
				 virDomainGetName(d->dom));
	*ret = info.cpuTime / 1e9;
	return TRUE;
}

void kdh_virt_domain_free(struct kdh_virt_domain *d)
{
	if (!d)
		return;
	if (d->console) {
		virStreamEventRemoveCallback(d->console);
		virStreamAbort(d->console);
		virStreamFree(d->console);
	}
	if (d->lifecycle_id >= 0)
		virConnectDomainEventDeregisterAny(d->virt->conn, d->lifecycle_id);
	if (d->dom) {
		if (!d->lasting)
			virDomainDestroy(d->dom);
		virDomainFree(d->dom);
	}
	d->virt->domains = g_list_remove(d->virt->domains, d);
	g_free(d);
}

/* ---- reaping what killed runs left ---- */

static void virt_reap_domains(struct kdh_virt *v, const char *prefix,
			      gboolean (*is_stale)(const char *), GPtrArray *reaped)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(v->conn, &doms, 0);

	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);

		if (g_str_has_prefix(name, prefix) && is_stale(name)) {
			virDomainDestroy(doms[i]);
			virDomainUndefine(doms[i]);
			g_ptr_array_add(reaped, g_strdup_printf("domain '%s'", name));
		}
		virDomainFree(doms[i]);
	}
	free(doms);
}

static void virt_reap_pools(struct kdh_virt *v, const char *prefix,
			    gboolean (*is_stale)(const char *), GPtrArray *reaped,
			    GPtrArray *problems)
{
	virStoragePoolPtr *pools = NULL;
	int n = virConnectListAllStoragePools(v->conn, &pools, 0);

	for (int i = 0; i < n; i++) {
		const char *name = virStoragePoolGetName(pools[i]);

		if (g_str_has_prefix(name, prefix) && is_stale(name)) {
			g_ptr_array_add(reaped, g_strdup_printf("storage pool '%s'", name));
			/* active, so that its volumes can be listed and deleted (an error:
			 * it is active already) */
			virStoragePoolCreate(pools[i], 0);
			virt_pool_teardown(pools[i], problems);
		} else {
			virStoragePoolFree(pools[i]);
		}
	}
	free(pools);
}

GPtrArray *kdh_virt_reap(struct kdh_virt *v, const char *prefix,
			 gboolean (*is_stale)(const char *name), GPtrArray *problems)
{
	GPtrArray *reaped = g_ptr_array_new_with_free_func(g_free);

	virt_reap_domains(v, prefix, is_stale, reaped);
	virt_reap_pools(v, prefix, is_stale, reaped, problems);
	return reaped;
}

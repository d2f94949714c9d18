/* kdh nightly: a matrix's cases as `kdh run` children, side by side on one or
 * more libvirt hosts; kdh merge: shards of one night joined. Each run is a
 * child process so that it owns its guest, its cleanup and its signals exactly
 * as a single `kdh run` does; this command only schedules, gathers and reports.
 * night.json (kdh-night.h) and the reports drawn from it are rewritten after
 * every run: an interrupted night keeps what it saw. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "kdh-cli.h"
#include "kdh-config.h"
#include "kdh-html-report.h"
#include "kdh-junit.h"
#include "kdh-matrix.h"
#include "kdh-night.h"
#include "kdh-report.h"
#include "kdh-spawn.h"

/* Told to stop, a kdh run destroys its guest and removes its volumes first: it
 * gets the time for that before SIGKILL (a later run reaps what it leaves). A
 * kernel build stops at once. */
#define NIGHTLY_RUN_GRACE_S 60
#define NIGHTLY_KERNEL_GRACE_S 5

/* One run of one case. */
struct nightly_run {
	struct nightly *n;
	const struct kdh_case *c;
	int repeat;        /* 1-based */
	char *dir;         /* runs/<case id>/<repeat>, relative to the night */
	struct nightly_host *host;
	char *started;
	GTimer *clock;
	struct kdh_child *child;
};

struct nightly_host {
	char *uri;
	int running;
};

/* How a matrix kernel became a `kdh run --kernel` path. */
struct nightly_kernel {
	const struct kdh_matrix_kernel *k;
	char *path;        /* NULL: not ready, or it did not build */
	int status;        /* of the script that made it, -1 until it ends */
};

struct nightly {
	/* options */
	char **uris;
	int jobs;
	char *results;
	char *history;
	char *scenario_dir;
	char *accel;
	char *shard;
	gboolean dry_run;
	/* the night */
	struct kdh_matrix matrix;
	GPtrArray *cases;    /* struct kdh_case* */
	GPtrArray *queue;    /* struct nightly_run*, not started, in order */
	GPtrArray *hosts;    /* struct nightly_host* */
	GPtrArray *kernels;  /* struct nightly_kernel*, those this shard needs */
	guint kernel_next;   /* the next kernel to prepare */
	struct kdh_child *kernel_child;
	GPtrArray *active;   /* struct nightly_run*, running */
	int total, done;
	char *dir;           /* results/nightly/<night> */
	struct kdh_night *night;
	GMainLoop *loop;
	int signal;
	int code;            /* set when the night must stop: usage or harness */
};

static void nightly_run_free(struct nightly_run *r)
{
	if (!r)
		return;
	g_free(r->dir);
	g_free(r->started);
	g_clear_pointer(&r->clock, g_timer_destroy);
	kdh_child_free(r->child);
	g_free(r);
}

static void nightly_host_free(struct nightly_host *h)
{
	g_free(h->uri);
	g_free(h);
}

static void nightly_kernel_free(struct nightly_kernel *k)
{
	g_free(k->path);
	g_free(k);
}

static char *nightly_now(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();

	return g_date_time_format_iso8601(now);
}

/* night.json and the reports drawn from it, each replaced whole. */
static gboolean nightly_write(const struct kdh_night *night, const char *dir, GError **error)
{
	g_autoptr(JsonNode) root = kdh_night_json(night);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *text = NULL;
	g_autofree char *path = g_build_filename(dir, "night.json", NULL);
	g_autofree char *html = g_build_filename(dir, "report.html", NULL);
	g_autofree char *xml = g_build_filename(dir, "junit.xml", NULL);
	struct kdh_junit *junit = kdh_junit_new(night->matrix);
	gboolean ok;

	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	kdh_junit_add_night(junit, night, dir);
	ok = g_file_set_contents(path, text, -1, error) &&
	     kdh_html_report_write(night, html, error) && kdh_junit_write(junit, xml, error);
	kdh_junit_free(junit);
	return ok;
}

/* Earlier whole nights of the same matrix under HISTORY (each DIR/night.json),
 * this night's own directory left out. */
static GPtrArray *nightly_earlier(const char *history, const char *matrix, const char *self)
{
	GPtrArray *earlier = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_night_free);
	g_autoptr(GDir) d = g_dir_open(history, 0, NULL);
	g_autofree char *self_base = self ? g_path_get_basename(self) : NULL;
	const char *entry;

	while (d && (entry = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(history, entry, "night.json", NULL);
		struct kdh_night *o;

		if (g_strcmp0(entry, self_base) == 0 || !g_file_test(path, G_FILE_TEST_EXISTS))
			continue;
		o = kdh_night_load(path, NULL);
		if (o && g_strcmp0(o->matrix, matrix) == 0)
			g_ptr_array_add(earlier, o);
		else
			kdh_night_free(o);
	}
	return earlier;
}

static void nightly_save(struct nightly *n)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) earlier = nightly_earlier(n->history, n->matrix.name, n->dir);

	kdh_night_compare(n->night, earlier);
	if (!nightly_write(n->night, n->dir, &error)) {
		g_printerr("kdh: %s\n", error->message);
		n->code = KDH_EXIT_INFRA;
	}
}

static void nightly_schedule(struct nightly *n);

static void nightly_stop_if_idle(struct nightly *n)
{
	if (!n->active->len && !n->kernel_child && (n->code || n->signal || !n->queue->len))
		g_main_loop_quit(n->loop);
}

/* The run.json that the `kdh run --results DIR` of one nightly run wrote:
 * DIR/<run id>/run.json, the one run in DIR (each has a DIR of its own). Its
 * run id's directory in *RET_RUN_DIR. FALSE when there is none, or it cannot
 * be read (told on stderr: the run is then recorded as broken). */
static gboolean nightly_read_run(const char *dir, struct kdh_run_manifest *ret,
				 char **ret_run_dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GError) error = NULL;
	const char *entry;

	kdh_run_manifest_init(ret);
	while (d && (entry = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, entry, "run.json", NULL);
		g_autofree char *text = NULL;

		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		kdh_run_manifest_clear(ret);
		if (!g_file_get_contents(path, &text, NULL, &error) ||
		    !kdh_run_manifest_parse(text, ret, &error)) {
			g_printerr("kdh: %s: %s\n", path, error->message);
			return FALSE;
		}
		*ret_run_dir = g_build_filename(dir, entry, NULL);
		return TRUE;
	}
	return FALSE;
}

static void nightly_run_done(struct kdh_child *child, int status, gpointer data)
{
	struct nightly_run *r = data;
	struct nightly *n = r->n;
	g_autofree char *top = g_build_filename(n->dir, r->dir, NULL);
	g_autofree char *run_dir = NULL;
	g_autofree char *results = NULL;
	g_autofree char *dir = NULL;
	g_autoptr(JsonObject) summary = NULL;
	struct kdh_run_manifest manifest;
	struct kdh_night_run *run;

	(void)child;
	/* run.json says where the one scenario run's evidence is, if it has any */
	if (nightly_read_run(top, &manifest, &run_dir) && manifest.scenarios->len == 1) {
		const struct kdh_run_entry *e = manifest.scenarios->pdata[0];

		if (e->dir)
			results = g_build_filename(run_dir, e->dir, NULL);
	}
	kdh_run_manifest_clear(&manifest);
	/* the child's own log and KTAP beside its evidence: one directory per run */
	if (results) {
		for (const char *const *f = (const char *const[]){ "kdh-run.log", "kdh-run.ktap",
								  NULL };
		     *f; f++) {
			g_autofree char *from = g_build_filename(top, *f, NULL);
			g_autofree char *to = g_build_filename(results, *f, NULL);

			g_rename(from, to);
		}
		summary = kdh_cli_read_summary(results);
	}
	dir = results ? g_build_filename(r->dir, results + strlen(top) + 1, NULL)
		      : g_strdup(r->dir);
	run = kdh_night_run(summary, status, r->host->uri, r->repeat, r->started,
			    g_timer_elapsed(r->clock, NULL), dir);
	g_printerr("kdh: [%d/%d] %s #%d on %s: %s (%s) in %.0f s\n", ++n->done, n->total,
		   r->c->id, r->repeat, r->host->uri, kdh_night_status_name(run->result),
		   run->reason, g_timer_elapsed(r->clock, NULL));
	kdh_night_add_run(n->night, r->c->id, run);
	nightly_save(n);
	/* a usage error in a child is ours: the night cannot go on */
	if (status == KDH_EXIT_USAGE && !n->code)
		n->code = KDH_EXIT_INFRA;
	r->host->running--;
	g_ptr_array_remove(n->active, r);
	nightly_schedule(n);
	nightly_stop_if_idle(n);
}

static const char *nightly_kernel_path(struct nightly *n, const char *name)
{
	for (guint i = 0; i < n->kernels->len; i++) {
		struct nightly_kernel *k = n->kernels->pdata[i];

		if (g_str_equal(k->k->name, name))
			return k->path;
	}
	return NULL;
}

static gboolean nightly_start_run(struct nightly *n, struct nightly_run *r,
				  struct nightly_host *h, GError **error)
{
	g_autofree char *exe_dir = kdh_cli_exe_dir();
	g_autofree char *kdh = g_build_filename(exe_dir, "kdh", NULL);
	g_autofree char *top = g_build_filename(n->dir, r->dir, NULL);
	g_autofree char *conf_name = g_strconcat(r->c->values[KDH_AXIS_SCENARIO], ".conf", NULL);
	g_autofree char *conf = g_build_filename(top, conf_name, NULL);
	g_autofree char *out = g_build_filename(top, "kdh-run.ktap", NULL);
	g_autofree char *err = g_build_filename(top, "kdh-run.log", NULL);
	const char *kernel = nightly_kernel_path(n, r->c->values[KDH_AXIS_KERNEL]);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();

	if (g_mkdir_with_parents(top, 0755) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "cannot create '%s': %s", top, g_strerror(errno));
		return FALSE;
	}
	if (!g_file_set_contents(conf, r->c->scenario_text, -1, error))
		return FALSE;
	for (const char *const *a = (const char *const[]){ kdh, "run", "--uri", h->uri,
							   "--accel", n->accel, "--results", top,
							   NULL };
	     *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	if (kernel) {
		g_ptr_array_add(argv, "--kernel");
		g_ptr_array_add(argv, (char *)kernel);
	}
	g_ptr_array_add(argv, conf);
	g_ptr_array_add(argv, NULL);
	r->child = kdh_spawn_async((const char *const *)argv->pdata, out, err, nightly_run_done, r,
				   error);
	if (!r->child)
		return FALSE;
	r->host = h;
	r->started = nightly_now();
	r->clock = g_timer_new();
	h->running++;
	g_ptr_array_add(n->active, r);
	return TRUE;
}

/* The host with the most free slots, NULL when all are full. */
static struct nightly_host *nightly_free_host(struct nightly *n)
{
	struct nightly_host *best = NULL;

	for (guint i = 0; i < n->hosts->len; i++) {
		struct nightly_host *h = n->hosts->pdata[i];

		if (h->running < n->jobs && (!best || h->running < best->running))
			best = h;
	}
	return best;
}

/* A run whose kernel did not build is not testable: recorded, not run. */
static gboolean nightly_kernel_failed(struct nightly *n, struct nightly_run *r)
{
	for (guint i = 0; i < n->kernels->len; i++) {
		struct nightly_kernel *k = n->kernels->pdata[i];
		g_autoptr(JsonObject) why = NULL;
		g_autofree char *detail = NULL;

		if (!g_str_equal(k->k->name, r->c->values[KDH_AXIS_KERNEL]) || k->path)
			continue;
		why = json_object_new();
		detail = g_strdup_printf("kernel %s: its script exited %d: see kernels/%s.log",
					 k->k->name, k->status, k->k->name);
		json_object_set_string_member(why, "reason", "kernel-not-built");
		json_object_set_string_member(why, "detail", detail);
		kdh_night_add_run(n->night, r->c->id,
				  kdh_night_run(why, KDH_EXIT_UNTESTABLE, "-", r->repeat, "", 0,
						r->dir));
		n->done++;
		return TRUE;
	}
	return FALSE;
}

static void nightly_schedule(struct nightly *n)
{
	struct nightly_host *h;
	gboolean recorded = FALSE;

	if (n->kernel_child || n->kernel_next < n->kernels->len)
		return;
	while (!n->code && !n->signal && n->queue->len && (h = nightly_free_host(n))) {
		struct nightly_run *r = g_ptr_array_steal_index(n->queue, 0);
		g_autoptr(GError) error = NULL;

		if (nightly_kernel_failed(n, r)) {
			nightly_run_free(r);
			recorded = TRUE;
		} else if (!nightly_start_run(n, r, h, &error)) {
			/* not yet in n->active: ours to free */
			g_printerr("kdh: %s #%d: %s\n", r->c->id, r->repeat, error->message);
			nightly_run_free(r);
			n->code = KDH_EXIT_INFRA;
		}
	}
	if (recorded)
		nightly_save(n);
}

static void nightly_prepare_kernel(struct nightly *n);

static void nightly_kernel_done(struct kdh_child *child, int status, gpointer data)
{
	struct nightly *n = data;
	struct nightly_kernel *k = n->kernels->pdata[n->kernel_next];
	g_autofree char *out = g_strdup_printf("%s/kernels/%s.out", n->dir, k->k->name);
	g_autofree char *text = NULL;

	kdh_child_free(child);
	n->kernel_child = NULL;
	n->kernel_next++;
	k->status = status;
	if (status == 0 && g_file_get_contents(out, &text, NULL, NULL))
		k->path = kdh_matrix_kernel_made(text);
	g_printerr("kdh: kernel %s: %s\n", k->k->name,
		   k->path ? k->path : "not made (see its log)");
	/* 125: this kernel does not build, its cases are not testable; anything
	 * else is a bad matrix (2) or a broken machine */
	if (!k->path && status != KDH_EXIT_UNTESTABLE && !n->signal)
		n->code = status == KDH_EXIT_USAGE ? KDH_EXIT_USAGE : KDH_EXIT_INFRA;
	if (!n->code && !n->signal)
		nightly_prepare_kernel(n);
	nightly_schedule(n);
	nightly_stop_if_idle(n);
}

/* Kernels one after the other: a build takes both cores. */
static void nightly_prepare_kernel(struct nightly *n)
{
	g_autofree char *kdir = g_build_filename(n->dir, "kernels", NULL);
	g_autoptr(GError) error = NULL;

	for (; n->kernel_next < n->kernels->len; n->kernel_next++) {
		struct nightly_kernel *k = n->kernels->pdata[n->kernel_next];
		gboolean package = g_str_equal(k->k->kind, "debian") || g_str_equal(k->k->kind, "deb");
		const char *debs = g_str_equal(k->k->kind, "deb") ? "--debs" : NULL;
		g_autofree char *script = NULL;
		g_autofree char *out = NULL;
		g_autofree char *log = NULL;

		if (g_str_equal(k->k->kind, "path")) {
			k->path = g_strdup(k->k->value);
			continue;
		}
		script = kdh_cli_script(package ? "fetch-kernel" : "build-kernel");
		out = g_strdup_printf("%s/%s.out", kdir, k->k->name);
		log = g_strdup_printf("%s/%s.log", kdir, k->k->name);
		g_mkdir_with_parents(kdir, 0755);
		g_printerr("kdh: kernel %s: %s %s (log: %s)\n", k->k->name, script, k->k->value, log);
		n->kernel_child = kdh_spawn_async(
			debs ? (const char *const[]){ script, debs, k->k->value, NULL }
			     : (const char *const[]){ script, k->k->value, NULL },
			out, log, nightly_kernel_done, n, &error);
		if (!n->kernel_child) {
			g_printerr("kdh: %s\n", error->message);
			n->code = KDH_EXIT_INFRA;
		}
		return;
	}
}

struct nightly_signal {
	struct nightly *n;
	int signo;
};

/* Runs end as a single `kdh run` does on SIGTERM: guest destroyed, evidence
 * kept. Nothing new starts; the loop ends when the last child has. */
static gboolean nightly_on_signal(gpointer data)
{
	struct nightly_signal *sig = data;
	struct nightly *n = sig->n;

	if (!n->signal)
		g_printerr("kdh: interrupted: stopping %u run(s), keeping what was seen\n",
			   n->active->len);
	n->signal = sig->signo;
	for (guint i = 0; i < n->active->len; i++)
		kdh_child_stop(((struct nightly_run *)n->active->pdata[i])->child, NIGHTLY_RUN_GRACE_S);
	if (n->kernel_child)
		kdh_child_stop(n->kernel_child, NIGHTLY_KERNEL_GRACE_S);
	nightly_stop_if_idle(n);
	return G_SOURCE_CONTINUE;
}

/* Each scenario's file text, by name. */
static GHashTable *nightly_scenarios(struct nightly *n, GError **error)
{
	g_autoptr(GHashTable) texts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

	for (char **s = n->matrix.axes[KDH_AXIS_SCENARIO]; *s; s++) {
		g_autofree char *path = kdh_scenario_path(*s, n->scenario_dir, error);
		char *text = NULL;

		if (strchr(*s, '/') || g_str_has_suffix(*s, ".conf")) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
				    "[matrix] scenario: '%s': give scenario names (see --scenario-dir)",
				    *s);
			return NULL;
		}
		if (!path || !g_file_get_contents(path, &text, NULL, error))
			return NULL;
		g_hash_table_insert(texts, *s, text);
	}
	return g_steal_pointer(&texts);
}

/* The runs of this shard, in case order, and how many of each case's. */
static void nightly_plan(struct nightly *n, int k, int shards, int *planned)
{
	int index = 0;

	for (guint i = 0; i < n->cases->len; i++)
		for (int r = 1; r <= n->matrix.repeat; r++, index++) {
			const struct kdh_case *c = n->cases->pdata[i];
			struct nightly_run *run;

			if (!kdh_matrix_shard_has(k, shards, index))
				continue;
			run = g_new0(struct nightly_run, 1);
			run->n = n;
			run->c = c;
			run->repeat = r;
			run->dir = g_strdup_printf("runs/%s/%d", c->id, r);
			g_ptr_array_add(n->queue, run);
			planned[i]++;
		}
	n->total = (int)n->queue->len;
}

/* A path or source kernel's file or tree is there (a source's TREE of TREE@REV:
 * scripts/build-kernel checks the commit). */
static gboolean nightly_path_exists(const struct kdh_matrix_kernel *k)
{
	const char *at = strrchr(k->value, '@');
	g_autofree char *tree = at ? g_strndup(k->value, at - k->value) : NULL;

	return g_file_test(k->value, G_FILE_TEST_EXISTS) ||
	       (g_str_equal(k->kind, "source") && tree && g_file_test(tree, G_FILE_TEST_IS_DIR));
}

/* The kernels the queued runs need, each once; their files must exist now. */
static gboolean nightly_kernels(struct nightly *n, GError **error)
{
	for (guint i = 0; i < n->queue->len; i++) {
		const struct nightly_run *r = n->queue->pdata[i];
		const struct kdh_matrix_kernel *mk =
			kdh_matrix_kernel(&n->matrix, r->c->values[KDH_AXIS_KERNEL]);
		struct nightly_kernel *k;
		gboolean known = FALSE;

		for (guint j = 0; mk && j < n->kernels->len; j++)
			known |= ((struct nightly_kernel *)n->kernels->pdata[j])->k == mk;
		if (!mk || known)
			continue;
		if (!g_str_equal(mk->kind, "debian") && !g_str_equal(mk->kind, "deb") &&
		    !nightly_path_exists(mk)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
				    "[kernel %s] %s: no such file or directory '%s'", mk->name,
				    mk->kind, mk->value);
			return FALSE;
		}
		k = g_new0(struct nightly_kernel, 1);
		k->k = mk;
		k->status = -1;
		g_ptr_array_add(n->kernels, k);
	}
	return TRUE;
}

static void nightly_print_plan(struct nightly *n, const char *shard)
{
	printf("# matrix %s, shard %s: %u cases, %u runs\n", n->matrix.name, shard,
	       n->cases->len, n->queue->len);
	for (guint i = 0; i < n->queue->len; i++) {
		const struct nightly_run *r = n->queue->pdata[i];

		printf("%s #%d\n", r->c->id, r->repeat);
	}
}

static int nightly_night(struct nightly *n, const char *shard, const int *planned)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *id = g_date_time_format(now, "%Y%m%d-%H%M%S");
	g_autofree char *started = nightly_now();
	struct nightly_signal sigs[] = { { n, SIGINT }, { n, SIGTERM }, { n, SIGHUP } };
	guint sig_ids[G_N_ELEMENTS(sigs)];
	int code;

	n->dir = g_build_filename(n->history, id, NULL);
	if (g_mkdir_with_parents(n->dir, 0755) < 0) {
		g_printerr("kdh: cannot create '%s': %s\n", n->dir, g_strerror(errno));
		return KDH_EXIT_INFRA;
	}
	n->night = kdh_night_new(id, n->matrix.name, shard, started, n->cases, n->matrix.repeat,
				 planned);
	nightly_save(n);
	g_printerr("kdh: night %s: matrix %s, shard %s, %d runs on %u host(s), %d at a time each; "
		   "results in %s\n", id, n->matrix.name, shard, n->total, n->hosts->len, n->jobs,
		   n->dir);
	n->loop = g_main_loop_new(NULL, FALSE);
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
		sig_ids[i] = g_unix_signal_add(sigs[i].signo, nightly_on_signal, &sigs[i]);
	nightly_prepare_kernel(n);
	nightly_schedule(n);
	nightly_stop_if_idle(n);
	if (n->active->len || n->kernel_child)
		g_main_loop_run(n->loop);
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
		g_source_remove(sig_ids[i]);
	if (!n->signal && !n->code) {
		g_autofree char *finished = nightly_now();

		g_free(n->night->finished);
		n->night->finished = g_steal_pointer(&finished);
	}
	nightly_save(n);
	code = n->signal ? 128 + n->signal : n->code ? n->code : kdh_night_exit_code(n->night);
	g_printerr("kdh: night %s: exit %d; %s/night.json\n", id, code, n->dir);
	return code;
}

static void nightly_clear(struct nightly *n)
{
	g_strfreev(n->uris);
	g_free(n->results);
	g_free(n->history);
	g_free(n->scenario_dir);
	g_free(n->accel);
	g_free(n->shard);
	kdh_matrix_clear(&n->matrix);
	g_clear_pointer(&n->queue, g_ptr_array_unref);
	g_clear_pointer(&n->active, g_ptr_array_unref);
	g_clear_pointer(&n->cases, g_ptr_array_unref);
	g_clear_pointer(&n->hosts, g_ptr_array_unref);
	g_clear_pointer(&n->kernels, g_ptr_array_unref);
	g_clear_pointer(&n->night, kdh_night_free);
	g_clear_pointer(&n->loop, g_main_loop_unref);
	g_free(n->dir);
}

int kdh_cmd_nightly(int argc, char **argv)
{
	struct nightly n = { .jobs = 1 };
	g_autoptr(GOptionContext) ctx = g_option_context_new("MATRIX - run a nightly matrix");
	GOptionEntry entries[] = {
		{ "uri", 0, 0, G_OPTION_ARG_STRING_ARRAY, &n.uris,
		  "a libvirt host to run on; repeat it to spread the runs (qemu:///system)", "URI" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &n.jobs, "guests at a time on each host (1)", "N" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &n.shard,
		  "run only slice K of N (round robin over the runs)", "K/N" },
		{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &n.dry_run, "list the runs, run nothing",
		  NULL },
		{ "results", 0, 0, G_OPTION_ARG_FILENAME, &n.results,
		  "nights go to DIR/nightly/<night> (results)", "DIR" },
		{ "accel", 0, 0, G_OPTION_ARG_STRING, &n.accel, "as kdh run's (auto)", "ACCEL" },
		{ "scenario-dir", 0, 0, G_OPTION_ARG_FILENAME, &n.scenario_dir, "scenario files",
		  "DIR" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) texts = NULL;
	g_autofree int *planned = NULL;
	int k = 1, shards = 1, code;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	if (argc != 2)
		return kdh_cli_usage(ctx, "give one matrix file");
	if (n.jobs < 1 || n.jobs > 64)
		return kdh_cli_usage(ctx, "--jobs: not a number from 1 to 64");
	if (n.shard && !kdh_matrix_shard_parse(n.shard, &k, &shards, &error))
		return kdh_cli_usage(ctx, error->message);
	n.accel = n.accel ? n.accel : g_strdup("auto");
	n.results = n.results ? n.results : g_strdup("results");
	n.history = g_build_filename(n.results, "nightly", NULL);
	n.scenario_dir = n.scenario_dir ? n.scenario_dir : kdh_cli_scenario_dir();
	n.queue = g_ptr_array_new_with_free_func((GDestroyNotify)nightly_run_free);
	n.active = g_ptr_array_new_with_free_func((GDestroyNotify)nightly_run_free);
	n.hosts = g_ptr_array_new_with_free_func((GDestroyNotify)nightly_host_free);
	n.kernels = g_ptr_array_new_with_free_func((GDestroyNotify)nightly_kernel_free);
	for (char **u = n.uris; u && *u; u++) {
		struct nightly_host *h = g_new0(struct nightly_host, 1);

		h->uri = g_strdup(*u);
		g_ptr_array_add(n.hosts, h);
	}
	if (!n.hosts->len) {
		struct nightly_host *h = g_new0(struct nightly_host, 1);

		h->uri = g_strdup("qemu:///system");
		g_ptr_array_add(n.hosts, h);
	}
	if ((!n.dry_run && !kdh_cli_dir_writable("--results", n.history, &error)) ||
	    !kdh_matrix_load(argv[1], &n.matrix, &error) ||
	    !(texts = nightly_scenarios(&n, &error)) ||
	    !(n.cases = kdh_matrix_expand(&n.matrix, texts, &error))) {
		g_printerr("kdh: %s\n", error->message);
		nightly_clear(&n);
		return KDH_EXIT_USAGE;
	}
	planned = g_new0(int, n.cases->len);
	nightly_plan(&n, k, shards, planned);
	if (!nightly_kernels(&n, &error)) {
		g_printerr("kdh: %s\n", error->message);
		code = KDH_EXIT_USAGE;
	} else if (n.dry_run) {
		g_autofree char *shard = g_strdup_printf("%d/%d", k, shards);

		nightly_print_plan(&n, shard);
		code = 0;
	} else {
		g_autofree char *shard = g_strdup_printf("%d/%d", k, shards);

		code = nightly_night(&n, shard, planned);
	}
	nightly_clear(&n);
	return code;
}

/* The way from directory FROM to directory TO ("../../shard-1"), both taken
 * from the current directory. */
static char *nightly_relative(const char *from, const char *to)
{
	g_autofree char *a = g_canonicalize_filename(from, NULL);
	g_autofree char *b = g_canonicalize_filename(to, NULL);
	g_auto(GStrv) fa = g_strsplit(a, "/", -1);
	g_auto(GStrv) fb = g_strsplit(b, "/", -1);
	GString *rel = g_string_new(NULL);
	guint i = 0;

	while (fa[i] && fb[i] && g_str_equal(fa[i], fb[i]))
		i++;
	for (guint j = i; fa[j]; j++)
		g_string_append(rel, "../");
	for (guint j = i; fb[j]; j++)
		g_string_append_printf(rel, "%s/", fb[j]);
	if (!rel->len)
		g_string_append(rel, "./");
	g_string_truncate(rel, rel->len - 1);
	return g_string_free(rel, FALSE);
}

int kdh_cmd_merge(int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_autofree char *results = NULL;
	g_autoptr(GOptionContext) ctx = g_option_context_new("NIGHT_DIR... - join shards of a night");
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "the merged night's directory (DIR/nightly/<night>-merged)", "DIR" },
		{ "results", 0, 0, G_OPTION_ARG_FILENAME, &results,
		  "where earlier nights are, in DIR/nightly (results)", "DIR" },
		{ NULL },
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) shards = g_ptr_array_new_with_free_func((GDestroyNotify)kdh_night_free);
	g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) earlier = NULL;
	struct kdh_night *night = NULL;
	g_autofree char *history = NULL;
	int code;
	gboolean existed;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	if (argc < 2)
		return kdh_cli_usage(ctx, "give the shards' night directories");
	for (int i = 1; i < argc; i++) {
		g_autofree char *path = g_build_filename(argv[i], "night.json", NULL);
		struct kdh_night *s = kdh_night_load(path, &error);

		if (!s) {
			g_printerr("kdh: %s\n", error->message);
			return KDH_EXIT_USAGE;
		}
		g_ptr_array_add(shards, s);
	}
	results = results ? results : g_strdup("results");
	history = g_build_filename(results, "nightly", NULL);
	if (!output) {
		g_autofree char *name = g_strconcat(
			((struct kdh_night *)shards->pdata[0])->night, "-merged", NULL);

		output = g_build_filename(history, name, NULL);
	}
	existed = g_file_test(output, G_FILE_TEST_EXISTS);
	if (!kdh_cli_dir_writable("--output", output, &error)) {
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++)
		g_ptr_array_add(prefixes, nightly_relative(output, argv[i]));
	night = kdh_night_merge(shards, prefixes, &error);
	if (!night) {
		/* shards that do not merge write nothing: not even the directory
		 * made to check that it could be written */
		if (!existed)
			g_rmdir(output);
		g_printerr("kdh: %s\n", error->message);
		return KDH_EXIT_USAGE;
	}
	if (g_mkdir_with_parents(output, 0755) < 0) {
		g_printerr("kdh: cannot create '%s': %s\n", output, g_strerror(errno));
		kdh_night_free(night);
		return KDH_EXIT_INFRA;
	}
	earlier = nightly_earlier(history, night->matrix, output);
	kdh_night_compare(night, earlier);
	if (!nightly_write(night, output, &error)) {
		g_printerr("kdh: %s\n", error->message);
		kdh_night_free(night);
		return KDH_EXIT_INFRA;
	}
	g_printerr("kdh: merged %d shard(s) into %s/night.json\n", argc - 1, output);
	code = kdh_night_exit_code(night);
	kdh_night_free(night);
	return code;
}

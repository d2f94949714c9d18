/* A night: the runs of a nightly matrix (or of one shard of it), judged per
 * case, compared with earlier nights. Its one form on disk is night.json, which
 * `kdh nightly` rewrites after every run and `kdh merge` joins; the HTML report
 * and the JUnit file are drawn from it. Pure except kdh_night_load().
 *
 * night.json:
 * { "format": "kdh-night/1",
 *   "night": "<id: YYYYmmdd-HHMMSS of the start>",
 *   "matrix": "<matrix name>",
 *   "shards": ["1/2", ...]      (the shards merged into it; ["1/1"] unsharded),
 *   "started": "<ISO 8601>", "finished": "<ISO 8601>" or null while running,
 *   "cases": [                   (the matrix's order)
 *     { "id": "<scenario>/<kernel>/<platform>/vcpus=N/memory-mib=N/crashkernel=S/kexec=K",
 *       "axes": { "scenario", "kernel", "platform", "vcpus", "memory-mib",
 *                 "crashkernel", "kexec" }   (strings: the case's values),
 *       "repeat": N,             (runs the matrix asked for)
 *       "planned": N,            (of them, runs in this night's shards: every
 *                                 shard lists every case, in the matrix's order)
 *       "status": "pass" | "fail" | "flaky" | "skip" | "error" | "pending",
 *       "passed", "failed", "skipped", "errors": counts over its runs,
 *       "reasons": { "<reason>": n, ... }      (of failed and broken runs;
 *                                             "deadline:<stage>" for deadlines),
 *       "panic_cpus": { "<cpu>": n, ... },
 *       "stage_medians": { "<stage>": seconds, ..., "analysis": seconds }
 *                        (over the runs that reached it; absent: none did),
 *       "runs": [
 *         { "repeat": r (1-based), "host": "<libvirt URI>",
 *           "exit": kdh run's exit code,
 *           "result": "pass" | "fail" | "skip" | "error" (exit 0, 1, 125, other),
 *           "reason": "<verdict reason>", "detail": "<text>",
 *           "panic_cpu": n or null,
 *           "started": "<ISO 8601>", "seconds": wall time of the run,
 *           "stages": { "boot": s, ..., "bye": s } (null: not reached),
 *           "analysis": seconds or null (vmcore download and analysis),
 *           "dir": "<the run's results directory, relative to night.json>" } ] } ],
 *   "comparison": null, or
 *     { "against": "<night id>",
 *       "new_failures": ["<case id>", ...],  (fail or flaky now, pass then)
 *       "fixed": ["<case id>", ...],         (pass now, fail or flaky then)
 *       "slower": [ { "case", "stage", "before", "after" }, ... ] },
 *   "history": [ { "night", "started", "pass", "fail", "flaky", "skip", "error" }, ... ]
 *              (earlier nights, oldest first, then this one) }
 */
#ifndef KDH_NIGHT_H
#define KDH_NIGHT_H

#include <json-glib/json-glib.h>

/* A case's "status" in night.json; a run's "result" is pass, fail, skip or
 * error. night.json holds the names; code compares these. */
enum kdh_night_status {
	KDH_NIGHT_PASS,
	KDH_NIGHT_FAIL,
	KDH_NIGHT_FLAKY,
	KDH_NIGHT_SKIP,
	KDH_NIGHT_ERROR,
	KDH_NIGHT_PENDING,
	KDH_NIGHT__COUNT,
};

/* "pass", ..., "pending"; NULL out of range. */
const char *kdh_night_status_name(int status);
/* The status named NAME, -1 for none (or NULL). */
int kdh_night_status_from_name(const char *name);

/* A night with every case of CASES (struct kdh_case*) pending, REPEAT runs each,
 * PLANNED[i] of case i's in this shard. */
JsonObject *kdh_night_new(const char *night, const char *matrix, const char *shard,
			  const char *started, GPtrArray *cases, int repeat, const int *planned);

/* The run object of one `kdh run` that exited with EXIT. SUMMARY (its
 * summary.json) is NULL when it wrote none. */
JsonObject *kdh_night_run(JsonObject *summary, int exit, const char *host, int repeat,
			  const char *started, double seconds, const char *dir);

/* Add RUN (taken) to case CASE_ID of NIGHT and judge the case again. FALSE when
 * NIGHT has no such case. */
gboolean kdh_night_add_run(JsonObject *night, const char *case_id, JsonObject *run);

/* The exit code of a whole night, as for `kdh run`: 128 when a run broke, else
 * 1 when a case failed or is flaky, else 125 when one was not testable, else 0. */
int kdh_night_exit_code(JsonObject *night);

/* One night from the shards NIGHTS (JsonObject*) of one matrix, their run dirs
 * prefixed with PREFIXES (char*: the way from the merged night's directory to
 * each shard's). Cases come in the first shard's order (the matrix's). Fails
 * when the shards are of different matrices or overlap. The comparison and
 * history are left empty. */
JsonObject *kdh_night_merge(GPtrArray *nights, GPtrArray *prefixes, GError **error);

/* Fill NIGHT's "history" from EARLIER (JsonObject*: nights of the same matrix,
 * any order) and compare it with the latest of them. Lone shards and nights
 * that did not start before NIGHT are left out. */
void kdh_night_compare(JsonObject *night, GPtrArray *earlier);

/* Whether NIGHT holds every member the format above asks for, each of its
 * type (and a status or result of those named): FALSE with KDH_ERROR_USAGE
 * naming the first member that is not ("cases[2].runs[0].dir"). Does not log. */
gboolean kdh_night_check(JsonObject *night, GError **error);

/* Read a night.json and check it (kdh_night_check): what it returns can be
 * read without checking a member again. Fails with KDH_ERROR_USAGE naming PATH
 * and the member when it is not a night. Not pure: reads. */
JsonObject *kdh_night_load(const char *path, GError **error);

#endif

/* A night: the runs of a nightly matrix (or of one shard of it), judged per
 * case, compared with earlier nights. Its one form on disk is night.json, which
 * `kdh nightly` rewrites after every run and `kdh merge` joins; in memory it is
 * struct kdh_night, which night.json is read into once (kdh_night_load(),
 * checked member by member as it is read) and written from (kdh_night_json()),
 * and which night.c, the HTML report and the JUnit file share. Pure except
 * kdh_night_load().
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
 *                 "crashkernel", "kexec" }   (strings: the case's values; each
 *                                             axis and no other),
 *       "repeat": N,             (runs the matrix asked for)
 *       "planned": N,            (of them, runs in this night's shards: every
 *                                 shard lists every case, in the matrix's order)
 *       "status": "pass" | "fail" | "flaky" | "skip" | "error" | "pending",
 *       "passed", "failed", "skipped", "errors": counts over its runs (kdh
 *                                 writes all four and the next three always),
 *       "reasons": { "<reason>": n, ... }      (of failed and broken runs;
 *                                             "deadline:<stage>" for deadlines),
 *       "panic_cpus": { "<cpu>": n, ... }      (a CPU number each),
 *       "by_panic_cpu": { "<cpu>" or "unknown": { "runs", "vmbus_connect_cpu",
 *                         "outcomes": [ { "result", "reason", "runs" } ] } }
 *                        (the runs' panic CPU by result and reason, as in
 *                         tally.json: kdh_tally_table_json(); kdh writes it
 *                         and, when it reads a night, builds it again from
 *                         "runs"),
 *       "stage_medians": { "<stage>": seconds, ..., "analysis": seconds }
 *                        (a stage's name or "analysis" each)
 *                        (over the runs that reached it; absent: none did),
 *       "runs": [
 *         { "repeat": r (1-based), "host": "<libvirt URI>" (optional),
 *           "exit": kdh run's exit code (optional),
 *           "result": "pass" | "fail" | "skip" | "error" (exit 0, 1, 125, other),
 *           "reason": "<verdict reason>", "detail": "<text>",
 *           "panic_cpu": n or null,
 *           "vmbus_connect_cpu": n (optional: the first kernel's VMBus connect
 *                                  CPU, summary.json's; absent when not known),
 *           "started": "<ISO 8601>", "seconds": wall time of the run (both
 *                                                                 optional),
 *           "stages": { "boot": s, ..., "bye": s } (a stage's name each; null:
 *                     not reached) or null (the run wrote no summary),
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
#include "kdh-evidence.h"
#include "kdh-matrix.h"
#include "kdh-tally.h"

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

/* A run's seconds, and a case's medians, by column: each stage's, then the
 * vmcore's download and analysis ("analysis"). */
#define KDH_NIGHT_ANALYSIS KDH_STAGE__COUNT
#define KDH_NIGHT_SECONDS (KDH_STAGE__COUNT + 1)

/* One run of a case, an element of "runs". Strings owned; seconds negative
 * where night.json has null (a stage not reached) or nothing. */
struct kdh_night_run {
	int repeat;                   /* 1-based */
	char *host;                   /* NULL: not said */
	int exit;                     /* kdh run's exit code; -1: not said */
	enum kdh_night_status result; /* pass, fail, skip or error */
	char *reason;
	char *detail;
	int panic_cpu;                /* -1: null */
	int vmbus_connect_cpu;        /* -1: not known */
	char *started;                /* NULL: not said */
	double seconds;               /* wall time of the run; negative: not said */
	gboolean stages_known;        /* FALSE: "stages" is null (no summary) */
	double stages[KDH_NIGHT_SECONDS]; /* each stage's, then "analysis" */
	char *dir;                    /* relative to night.json */
};

/* A name and how many times: a case's failure reasons, its panicking CPUs
 * ("0", "1", ...: CPU numbers, checked as such when read). */
struct kdh_night_count {
	char *name;
	int count;
};

/* One case, an element of "cases". */
struct kdh_night_case {
	char *id;
	char *axes[KDH_AXIS__COUNT];
	int repeat;                   /* runs the matrix asked for */
	int planned;                  /* of them, runs in this night's shards */
	enum kdh_night_status status;
	int passed, failed, skipped, errors;
	GPtrArray *reasons;           /* struct kdh_night_count*, first seen first */
	GPtrArray *panic_cpus;        /* struct kdh_night_count*, first seen first */
	struct kdh_tally_table *by_panic_cpu; /* from runs, whenever they change */
	double medians[KDH_NIGHT_SECONDS]; /* negative: no run reached it */
	GPtrArray *runs;              /* struct kdh_night_run* */
};

/* A stage notably slower than in the night compared with. */
struct kdh_night_slower {
	char *case_id;
	char *stage;
	double before, after;
};

struct kdh_night_comparison {
	char *against;                /* the night compared with */
	GPtrArray *new_failures;      /* char*: case ids */
	GPtrArray *fixed;             /* char*: case ids */
	GPtrArray *slower;            /* struct kdh_night_slower* */
};

/* An element of "history": how many cases of a night had each status (but
 * pending: a night is history once it has finished). */
struct kdh_night_history {
	char *night;
	char *started;                /* NULL: null or not said */
	int counts[KDH_NIGHT_PENDING];
};

/* The whole of night.json. Strings owned. */
struct kdh_night {
	char *night;
	char *matrix;
	GPtrArray *shards;            /* char* */
	char *started;
	char *finished;               /* NULL: still running */
	GPtrArray *cases;             /* struct kdh_night_case*, the matrix's order */
	struct kdh_night_comparison *comparison; /* NULL: none */
	GPtrArray *history;           /* struct kdh_night_history*, oldest first */
};

/* A night with every case of CASES (struct kdh_case*) pending, REPEAT runs each,
 * PLANNED[i] of case i's in this shard. Free with kdh_night_free(). */
struct kdh_night *kdh_night_new(const char *night, const char *matrix, const char *shard,
				const char *started, GPtrArray *cases, int repeat,
				const int *planned);
/* Accepts NULL and a night half built. */
void kdh_night_free(struct kdh_night *n);

/* The run of one `kdh run` that exited with EXIT. SUMMARY (its summary.json)
 * is NULL when it wrote none; a member of it missing or of another type counts
 * as not said. Free with kdh_night_run_free(), unless given to
 * kdh_night_add_run(). */
struct kdh_night_run *kdh_night_run(JsonObject *summary, int exit, const char *host,
				    int repeat, const char *started, double seconds,
				    const char *dir);
/* Accepts NULL. */
void kdh_night_run_free(struct kdh_night_run *r);

/* Case CASE_ID of NIGHT, NULL when it has none. */
struct kdh_night_case *kdh_night_case(const struct kdh_night *night, const char *case_id);

/* Add RUN (taken) to case CASE_ID of NIGHT and judge the case again. FALSE when
 * NIGHT has no such case (RUN is freed). */
gboolean kdh_night_add_run(struct kdh_night *night, const char *case_id,
			   struct kdh_night_run *run);

/* The exit code of a whole night, as for `kdh run`: 128 when a run broke, else
 * 1 when a case failed or is flaky, else 125 when one was not testable, else 0. */
int kdh_night_exit_code(const struct kdh_night *night);

/* One night from the shards NIGHTS (struct kdh_night*) of one matrix, their run
 * dirs prefixed with PREFIXES (char*: the way from the merged night's directory
 * to each shard's). Cases come in the first shard's order (the matrix's). Fails
 * when the shards are of different matrices or overlap. The comparison and
 * history are left empty. */
struct kdh_night *kdh_night_merge(GPtrArray *nights, GPtrArray *prefixes, GError **error);

/* Fill NIGHT's history from EARLIER (struct kdh_night*: nights of the same
 * matrix, any order) and compare it with the latest of them. Lone shards and
 * nights that did not start before NIGHT are left out. */
void kdh_night_compare(struct kdh_night *night, GPtrArray *earlier);

/* night.json of NIGHT, the format above. Returns a new JSON object node. */
JsonNode *kdh_night_json(const struct kdh_night *night);

/* NIGHT read from night.json's object O: every member the format above asks
 * for, each of its type (a status or result of those named; an axis, a stage
 * or a CPU number where one is due; a whole number that fits). NULL with
 * KDH_ERROR_USAGE naming the first member that is not ("cases[2].runs[0].dir").
 * Does not log. */
struct kdh_night *kdh_night_from_json(JsonObject *o, GError **error);

/* Read a night.json (kdh_night_from_json()): what it returns can be read
 * without checking a member again. Fails with KDH_ERROR_USAGE naming PATH
 * and the member when it is not a night. Not pure: reads. */
struct kdh_night *kdh_night_load(const char *path, GError **error);

#endif

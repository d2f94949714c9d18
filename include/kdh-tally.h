/* Counts over repeated runs: per scenario, how many passed, failed and were
 * skipped, for which reasons, which CPUs panicked, and the last two crossed:
 * each panic CPU's results and reasons (struct kdh_tally_table), so that a
 * reader sees at once that, say, every run that panicked off the VMBus connect
 * CPU failed. The table is built here only: `kdh run`'s tally text and
 * tally.json, night.json and the night's HTML report all read it. Pure. */
#ifndef KDH_TALLY_H
#define KDH_TALLY_H

#include <json-glib/json-glib.h>
#include "kdh-evidence.h"
#include "kdh-verdict.h"

/* How many runs on one panic CPU ended with one result and reason. */
struct kdh_tally_outcome {
	char *result;        /* "pass", "fail", "skip" or "error" */
	char *reason;        /* "ok", "vmbus-unload-incomplete", "deadline:capture" (a
			      * deadline with its stage, as night.json says it) */
	int runs;
};

/* The runs whose panic was on one CPU. */
struct kdh_tally_row {
	int cpu;             /* -1: unknown (no vmcore log was read, or it named no CPU) */
	int connect;         /* CPU is the VMBus connect CPU: 1 yes, 0 no, -1 not known
			      * (no run on it knew its first kernel's connect CPU, or
			      * the CPU is unknown); yes when any run said so */
	int runs;
	GPtrArray *outcomes; /* struct kdh_tally_outcome*, first seen first */
};

/* The cross table of one scenario's (or a night case's) runs: panic CPU by
 * result and reason. */
struct kdh_tally_table {
	GPtrArray *rows;     /* struct kdh_tally_row*, by CPU number, unknown last */
};

/* An empty table. Free with kdh_tally_table_free(), which accepts NULL. */
struct kdh_tally_table *kdh_tally_table_new(void);
void kdh_tally_table_free(struct kdh_tally_table *table);

/* Count one run in TABLE: it ended RESULT for REASON (both copied), its panic
 * on PANIC_CPU and its first kernel's VMBus connect CPU CONNECT_CPU (each -1
 * when not known). */
void kdh_tally_table_add(struct kdh_tally_table *table, const char *result, const char *reason,
			 int panic_cpu, int connect_cpu);

/* TABLE as lines of text, each after PREFIX, appended to OUT:
 * "CPU 0 (the VMBus connect CPU): pass (ok) x3\n"
 * "CPU 1 (not the VMBus connect CPU): fail (vmbus-unload-incomplete) x5\n"
 * "CPU unknown: fail (deadline:capture) x1\n" (no words on the connect CPU
 * where that is not known). Nothing for an empty table. */
void kdh_tally_table_text(const struct kdh_tally_table *table, const char *prefix, GString *out);

/* TABLE as one JSON value added to B (after a member name, or in an array):
 * { "<cpu>" or "unknown": { "runs": n,
 *                           "vmbus_connect_cpu": true | false | null,
 *                           "outcomes": [ { "result", "reason", "runs" }, ... ] },
 *   ... }                   (rows and outcomes in the table's order) */
void kdh_tally_table_json(const struct kdh_tally_table *table, JsonBuilder *b);

struct kdh_tally;

struct kdh_tally *kdh_tally_new(void);
void kdh_tally_free(struct kdh_tally *t);

/* Count one run of SCENARIO. */
void kdh_tally_add(struct kdh_tally *t, const char *scenario, const struct kdh_verdict *v,
		   const struct kdh_evidence *e);

/* Per scenario, in the order first added, one line
 * "nmi-all-vcpus: 3 runs, 3 passed, 0 failed, 0 skipped; panic on CPU 0 x1, CPU 2 x2"
 * (plus the failure reasons with their counts when there are any), then its
 * cross table, each line indented by two blanks (kdh_tally_table_text()). */
char *kdh_tally_text(const struct kdh_tally *t);

/* { "<scenario>": { "runs", "passed", "failed", "skipped",
 *                   "reasons": { "<reason>": n }, "panic_cpus": { "<cpu>": n },
 *                   "by_panic_cpu": the cross table (kdh_tally_table_json()) } } */
JsonNode *kdh_tally_json(const struct kdh_tally *t);

#endif

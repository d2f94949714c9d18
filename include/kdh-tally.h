/* Counts over repeated runs: per scenario, how many passed, failed and were
 * skipped, for which reasons, and which CPUs panicked. Pure. */
#ifndef KDH_TALLY_H
#define KDH_TALLY_H

#include <json-glib/json-glib.h>
#include "kdh-evidence.h"
#include "kdh-verdict.h"

struct kdh_tally;

struct kdh_tally *kdh_tally_new(void);
void kdh_tally_free(struct kdh_tally *t);

/* Count one run of SCENARIO. */
void kdh_tally_add(struct kdh_tally *t, const char *scenario, const struct kdh_verdict *v,
		   const struct kdh_evidence *e);

/* One line per scenario, in the order first added:
 * "nmi-all-vcpus: 3 runs, 3 passed, 0 failed, 0 skipped; panic on CPU 0 x1, CPU 2 x2"
 * plus the failure reasons with their counts when there are any. */
char *kdh_tally_text(const struct kdh_tally *t);

/* { "<scenario>": { "runs", "passed", "failed", "skipped",
 *                   "reasons": { "<reason>": n }, "panic_cpus": { "<cpu>": n } } } */
JsonNode *kdh_tally_json(const struct kdh_tally *t);

#endif

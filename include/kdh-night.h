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
 *     { "id": "<scenario>/<kernel>/<platform>/vcpus=N/mem=N/ck=SIZE/<kexec>",
 *       "scenario", "kernel", "platform", "vcpus", "memory_mib", "crashkernel",
 *       "kexec",                 (the case's axes)
 *       "repeat": N,             (runs the matrix asked for)
 *       "status": "pass" | "fail" | "flaky" | "skip" | "error" | "pending",
 *       "passed", "failed", "skipped", "errors": counts over its runs,
 *       "reasons": { "<reason>": n, ... }      (of failed runs),
 *       "panic_cpus": { "<cpu>": n, ... },
 *       "stage_medians": { "<stage>": seconds, ..., "analysis": seconds },
 *       "runs": [
 *         { "repeat": r (1-based), "host": "<libvirt URI>",
 *           "exit": kdh run's exit code,
 *           "result": "pass" | "fail" | "skip" | "error",
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

#endif

/* Reports: KTAP lines for stdout, each scenario run's summary.json and the
 * run's manifest, run.json. Pure builders and readers; the caller writes. */
#ifndef KDH_REPORT_H
#define KDH_REPORT_H

#include <json-glib/json-glib.h>
#include "kdh-attempt.h"
#include "kdh-evidence.h"
#include "kdh-verdict.h"

/* "KTAP version 1\n1..N\n" */
char *kdh_report_ktap_plan(int count);
/* "ok 1 NAME\n", "not ok 1 NAME # reason: detail\n", "ok 1 NAME # SKIP detail\n" */
char *kdh_report_ktap_result(int index, const char *name, const struct kdh_verdict *v);
/* A test that the harness could not finish, WHY it broke: "not ok 1 NAME #
 * error: WHY\n". Not a verdict on the kernel, but not a pass either. */
char *kdh_report_ktap_error(int index, const char *name, const char *why);
/* A planned test that never ran, because of WHY: "ok 1 NAME # SKIP not run:
 * WHY\n", so that every planned test has its line. */
char *kdh_report_ktap_not_run(int index, const char *name, const char *why);

/* The summary of one scenario run:
 * { "scenario", "result", "reason", "stage" (or null), "detail", "vcpus",
 *   "panic": { "count", "cpu", "vmbus_connect_cpu" (0 when the first kernel
 *              reported a VMBus version and is Linux 5.8 or later, else null),
 *              "string", "nmi_cpus": [..], "vmbus_unload_waits",
 *              "vmbus_unload_gave_up", "vmbus_unload_seconds" (from the panic
 *              to the last wait or give-up line; null: no such line) }
 *              (null without a vmcore log),
 *   "first":   { "seen", "release", "cpus", "kexec_status", "kexec_loaded",
 *                "modules_failed": [..], "errors": [..],
 *                "devices": [{ "bus", "name", "id", "driver" }, ..],
 *                "vmbus_version" (null: no VMBus),
 *                "nmi_probe": { "before": [..], "after": [..], "cpus": [..] },
 *                "trigger_cpu" },
 *   "capture": { the same but for nmi_probe and trigger_cpu, plus "dump_status",
 *                "dump_bytes" },
 *   "crash": { "read", "cpus", "panic", "cpu_states": [{ "cpu", "state", "frame" }] }
 *            (null when crash did not run),
 *   "complaints": [{ "where", "kind", "cpu", "line", "level": fail|warn|ignored }, ..],
 *   "stages": { "boot": seconds or null, ... in stage order },
 *   "analysis": seconds to bring the vmcore home and analyse it, or null }
 * Returns a new JSON object node. */
JsonNode *kdh_report_summary(const char *scenario, const struct kdh_expect *expect,
			     const struct kdh_evidence *e, const struct kdh_verdict *v);

/* Mark SUMMARY, of a run that broke under the harness (lost libvirt, a signal,
 * a dead QEMU), as not judged: "result" "error", "reason" "harness", "stage"
 * null, "detail" WHY. The evidence seen until then stays; the verdict decided
 * on it would only describe where the run was cut off. */
void kdh_report_summary_broke(JsonNode *summary, const char *why);

/* SUMMARY, of a run in the nested lab (kdh-attempt.h), with its attempts:
 * "attempts": how many were made, "cut_short": [{ "attempt", "why", "dir" }]
 * for each the emulation cut short, in order, "dir" where its files are,
 * relative to summary.json ("attempt-1"), or null (it left none). */
void kdh_report_summary_attempts(JsonNode *summary, const struct kdh_attempts *a);

/* Pretty-printed JSON text of NODE, with a trailing newline. */
char *kdh_report_json_text(JsonNode *node);

/* ---- run.json: what one `kdh run` ran, and where each run's evidence is ----
 *
 * results/<run id>/run.json: the one place a reader (kdh nightly, the scripts)
 * learns what a run did, instead of looking for its directories. `kdh run`
 * writes it when the run starts, every planned run pending, and again (each
 * time replacing it whole, atomically) whenever a scenario run ends, so that
 * what finished is never lost; it is complete when the run ends:
 * { "format": "kdh-run/1",
 *   "run": "<run id: YYYYmmdd-HHMMSS-PID>",
 *   "started": "<ISO 8601>",
 *   "finished": "<ISO 8601>" when kdh run ended (an interrupted run too:
 *               "exit" says 128+N), null while it runs or when it was killed,
 *   "exit": kdh run's exit code, null as "finished" is,
 *   "kernel": { "release", "image": "<bzImage path>",
 *               "vmlinux": "<path>" or null (none with debug info: no crash) },
 *   "host": { "uri": "<libvirt URI>", "accel": "kvm" | "tcg" | null (the run
 *             broke before it knew), "lab": "<the nested lab's URI>" or null },
 *   "scenarios": [                  (every planned run, in the order of KTAP's
 *                                    lines, from the start)
 *     { "name": "<the run's name in KTAP and JUnit: the scenario's, or
 *                 scenario.N when repeated>",
 *       "scenario": "<scenario name>", "repeat": N (1-based),
 *       "platform": "virtio" | "hyperv",
 *       "host": "<the libvirt URI it ran on>" or null (it did not run),
 *       "dir": "<its evidence: summary.json, the consoles; relative to
 *               run.json>" or null (it has none),
 *       "verdict": "pass" | "fail" | "skip"   (the kernel's verdict),
 *                | "error"    (the harness broke under it: not judged),
 *                | "not-run"  (a run before it broke, a signal came, or a need
 *                              was unmet before any run started),
 *                | "pending"  (not run yet: the run goes on, or was killed),
 *       "reason": "<the verdict's reason>", "harness" (error), or null
 *                 (not-run, pending),
 *       "detail": "<one line for a person: the verdict's, what broke, why it
 *                  did not run>" or null (pending),
 *       "exit": 0 | 1 | 125 (pass, fail, skip), 128 or 128+N (error), or null
 *               (not-run, pending),
 *       and only for a run in the nested lab, which is tried again when the
 *       emulation cuts an attempt short (kdh-attempt.h), once it ended:
 *       "attempts": how many were made (1 or more),
 *       "cut_short": [{ "attempt": N, "why": "<why it was cut short>",
 *                       "dir": "<its files, relative to run.json>" or null
 *                       (it left none) }, ..] (each attempt cut short, in
 *                       order; those before the one that gave the verdict,
 *                       or all of them when the verdict is skip, cut-short) } ] } */

/* A scenario run's "verdict" in run.json; the code compares these. */
enum kdh_run_verdict {
	KDH_RUN_PASS,
	KDH_RUN_FAIL,
	KDH_RUN_SKIP,
	KDH_RUN_ERROR,
	KDH_RUN_NOT_RUN,
	KDH_RUN_PENDING,
	KDH_RUN__COUNT,
};

/* "pass", ..., "pending"; NULL out of range. */
const char *kdh_run_verdict_name(int verdict);
/* The verdict named NAME, -1 for none (or NULL). */
int kdh_run_verdict_from_name(const char *name);

/* One planned scenario run: an element of "scenarios". Strings owned; NULL
 * where run.json has null. */
struct kdh_run_entry {
	char *name;
	char *scenario;
	int repeat;
	char *platform;
	char *host;
	char *dir;
	enum kdh_run_verdict verdict;
	char *reason;
	char *detail;
	int exit; /* -1: null */
	int attempts;         /* 0: no such member (not a run in the nested lab) */
	GPtrArray *cut_short; /* struct kdh_attempt_cut*, dir relative to run.json;
			       * NULL when attempts is 0 */
};

/* The whole of run.json. Strings owned; NULL where it has null. */
struct kdh_run_manifest {
	char *run;
	char *started;
	char *finished;
	int exit; /* -1: null, still running */
	char *kernel_release;
	char *kernel_image;
	char *kernel_vmlinux;
	char *uri;
	char *accel;
	char *lab;
	GPtrArray *scenarios; /* struct kdh_run_entry*, owned */
};

/* An empty manifest (exit -1, no scenarios); clear accepts a half-built one. */
void kdh_run_manifest_init(struct kdh_run_manifest *m);
void kdh_run_manifest_clear(struct kdh_run_manifest *m);

/* Plan run REPEAT of SCENARIO on PLATFORM, named NAME: a new entry, pending,
 * at the end of M's scenarios. Returns it (M owns it). */
struct kdh_run_entry *kdh_run_manifest_plan(struct kdh_run_manifest *m, const char *name,
					    const char *scenario, int repeat,
					    const char *platform);

/* Entry E judged by V: its verdict, reason, detail and exit code (0, 1, 125);
 * it ran on HOST, its evidence in DIR. Copies what it needs. */
void kdh_run_entry_judged(struct kdh_run_entry *e, const struct kdh_verdict *v,
			  const char *host, const char *dir);
/* Entry E broke under the harness (lost libvirt, a signal, a report it could
 * not write) for WHY, ending kdh run with EXIT (128 or 128+N): "error",
 * "harness", not judged. HOST and DIR as far as it got (NULL: it never
 * started, it has no evidence). */
void kdh_run_entry_broke(struct kdh_run_entry *e, const char *why, int exit,
			 const char *host, const char *dir);
/* Entry E will not run, for WHY: "not-run". */
void kdh_run_entry_not_run(struct kdh_run_entry *e, const char *why);
/* Entry E, a run in the nested lab that ended, made A's attempts; each one
 * cut short is in E's "cut_short" with its dir relative to run.json (E's dir
 * joined with the attempt's). Copies what it needs. */
void kdh_run_entry_attempts(struct kdh_run_entry *e, const struct kdh_attempts *a);

/* run.json of M, the format above. Returns a new JSON object node. */
JsonNode *kdh_run_manifest_json(const struct kdh_run_manifest *m);

/* Read run.json's TEXT into RET (initialised here; clear it also on failure):
 * every member the format above asks for, each of its type, a verdict of
 * those named. Fails with KDH_ERROR_USAGE naming the first member that is not
 * ("scenarios[1].verdict"). Does not log. */
gboolean kdh_run_manifest_parse(const char *text, struct kdh_run_manifest *ret,
				GError **error);

#endif

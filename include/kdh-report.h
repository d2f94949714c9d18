/* Reports: KTAP lines for stdout and summary.json. Pure builders; the caller writes. */
#ifndef KDH_REPORT_H
#define KDH_REPORT_H

#include <json-glib/json-glib.h>
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
 *              "vmbus_unload_gave_up" } (null without a vmcore log),
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

/* Pretty-printed JSON text of NODE, with a trailing newline. */
char *kdh_report_json_text(JsonNode *node);

#endif

/* libFuzzer harness of the kernel log parser: whatever bytes a user's file
 * holds go through every path a log takes in kdh, the foreign one (boots,
 * panics, complaints, the verdict, known bugs, the JSON and the text) and the
 * live run's (the console feed and the vmcore log). `make fuzz-klog` builds it
 * with clang and runs it; tests/test-fuzz-klog.c replays tests/fuzz/klog/ (the
 * inputs that once crashed it, and a few seeds) under the unit tests. */
#include <stdint.h>
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-foreign.h"
#include "kdh-klog.h"
#include "kdh-known-bugs.h"

/* Every condition of the known-bugs file, so that matching runs them all. */
static const char fuzz_bugs[] = "[a]\ntitle=a\nfix-subject=a\nwhen-hyperv=true\n"
				"when-panic=NMI\nwhen-nmi-cpus-min=2\n"
				"[b]\ntitle=b\nfix-subject=b\nwhen-vmbus-unload=gave-up\n"
				"[c]\ntitle=c\nfix-subject=c\nwhen-function=relid2channel\n"
				"when-kernel=capture\n"
				"[d]\ntitle=d\nfix-subject=d\nwhen-function=f\nwhen-kernel=first\n";

static void fuzz_foreign(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) bugs = NULL;
	g_autoptr(JsonNode) summary = NULL;
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *text = NULL, *json = NULL, *bugs_text = NULL;
	struct kdh_foreign f;
	struct kdh_verdict v;
	const char *reason;
	size_t half = size / 2;

	/* two files: a vmcore's log and a console, as kdh analyze DIR reads them */
	kdh_foreign_init(&f);
	kdh_foreign_feed(&f, "vmcore-dmesg.txt", KDH_SOURCE_VMCORE_DMESG, (const char *)data, half);
	kdh_foreign_feed(&f, "console.log", KDH_SOURCE_CONSOLE, (const char *)data + half,
			 size - half);
	kdh_foreign_finish(&f);
	kdh_foreign_has_kernel(&f);
	kdh_foreign_judge(&f, &v, &reason);
	if (!kdh_known_bugs_parse(fuzz_bugs, "fuzz", &bugs, NULL))
		__builtin_trap();
	summary = kdh_foreign_summary(&f, &v, reason, kdh_known_bugs_json(bugs, &f, &bugs_text));
	json_generator_set_root(gen, summary);
	json = json_generator_to_data(gen, NULL);
	text = kdh_foreign_text(&f);
	kdh_verdict_clear(&v);
	kdh_foreign_clear(&f);
}

static void fuzz_live(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	struct kdh_evidence e;

	kdh_evidence_init(&e);
	for (char **l = lines; *l; l++)
		kdh_analysis_console_feed_line(&e, *l);
	kdh_analysis_panic_log_parse(&e.vmcore_log, text);
	kdh_analysis_evidence_reached(&e);
	kdh_evidence_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_foreign(data, size);
	fuzz_live(data, size);
	return 0;
}

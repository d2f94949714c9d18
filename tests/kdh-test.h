/* What the unit tests share: reading the real samples in tests/data, feeding
 * them through the same paths a live run takes, and running a suite. */
#ifndef KDH_TEST_H
#define KDH_TEST_H

#include <check.h>
#include <stdint.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <json-glib/json-glib.h>
#include "kdh-evidence.h"
#include "kdh-night.h"
#include "kdh-verdict.h"

/* The samples' directory: tests/data from the repository's top, or $KDH_TEST_DATA. */
const char *kdh_test_data_dir(void);
/* A sample's text; fails the test when it cannot be read. */
char *kdh_test_read_sample(const char *name);
/* The same for a binary sample: its bytes (NUL-terminated) and, unless NULL, their
 * number in RET_LEN. */
char *kdh_test_read_sample_len(const char *name, gsize *ret_len);
/* Feed TEXT to E line by line, as the run feeds the console. */
void kdh_test_feed_console(struct kdh_evidence *e, const char *text);
/* Feed TEXT to E line by line as it stands, a serial console's "\r" and trailing
 * blanks left on: the analysis must cope with them itself. */
void kdh_test_feed_console_raw(struct kdh_evidence *e, const char *text);
/* E (initialised here) from a saved console and, unless NULL, a saved vmcore log. */
void kdh_test_evidence_from_samples(struct kdh_evidence *e, const char *console_name,
				    const char *dmesg_name);
/* Runs of the shipped scenarios/hyperv-nmi-all-vcpus.conf from the nested
 * lab's real samples (tests/data/README.md), the seed's pattern: */
enum kdh_test_hyperv_run {
	/* 6.1.0-56, 4 vCPUs, the NMI's panic on CPU 0, the VMBus connect CPU: pass */
	KDH_TEST_HYPERV_CPU0,
	/* 6.1.0-57, 2 vCPUs, the panic on CPU 1, its vmcore log with the line a
	 * kernel without the 2016 fixes prints there appended ("Continuing even
	 * though VMBus UNLOAD did not complete"): fail, vmbus-unload-incomplete */
	KDH_TEST_HYPERV_CPU1_GAVE_UP,
	/* the CPU 1 run's console up to the capture kernel's hello, the capture
	 * stage's deadline passed, no vmcore: fail, deadline at stage capture */
	KDH_TEST_HYPERV_CAPTURE_DEADLINE,
};
/* RUN's evidence E (initialised here) and the verdict RET on it, as `kdh run`
 * judges it; unless RET_SUMMARY is NULL, its summary.json. */
void kdh_test_hyperv_run(enum kdh_test_hyperv_run run, struct kdh_evidence *e,
			 struct kdh_verdict *ret, JsonNode **ret_summary);
/* RUN as `kdh nightly` keeps it: its summary.json and exit code read into run
 * REPEAT of a night (kdh_night_run()), on HOST, in directory DIR. */
struct kdh_night_run *kdh_test_hyperv_night_run(enum kdh_test_hyperv_run run, int repeat,
						const char *host, const char *dir);
/* crash's `bt -a` TEXT with the backtrace of CPU (its header up to the blank
 * line after it) replaced by the lines of WITH ("": dropped, header and all);
 * that backtrace must be there once. */
char *kdh_test_replace_backtrace(const char *text, int cpu, const char *with);
/* TEXT without the lines of CPU's backtrace that hold NEEDLE; there must be some. */
char *kdh_test_drop_frames(const char *text, int cpu, const char *needle);
/* A libvirt XML document read back, with XPath ("q:" is QEMU's namespace). */
struct kdh_test_doc {
	xmlDocPtr doc;
	xmlXPathContextPtr xpath;
};

void kdh_test_doc_parse(struct kdh_test_doc *d, const char *text);
void kdh_test_doc_clear(struct kdh_test_doc *d);
/* The string value of EXPR (XPath string()), "" when it selects nothing. */
char *kdh_test_doc_string(struct kdh_test_doc *d, const char *expr);
/* How many nodes EXPR selects. */
int kdh_test_doc_count(struct kdh_test_doc *d, const char *expr);
/* The QEMU arguments of the document's <qemu:commandline>, joined by spaces. */
char *kdh_test_doc_qemu_args(struct kdh_test_doc *d);
/* EXPR selects exactly one node, whose string value is EXPECTED. */
void kdh_test_assert_xpath(struct kdh_test_doc *d, const char *expr, const char *expected);
/* virt-xml-validate accepts XML as SCHEMA ("domain", "storagepool", "storagevol"). */
void kdh_test_assert_valid(const char *xml, const char *schema);

/* Each test of TC gets its own temporary directory, kdh_test_dir(), made by a
 * checked fixture inside the test case's base directory, which an unchecked
 * fixture makes and removes: that one runs in check's parent process, so a
 * failed test (whose checked teardown does not run under CK_FORK) leaves
 * nothing behind either. */
void kdh_test_tmp_fixtures(TCase *tc);
const char *kdh_test_dir(void);
/* Remove DIR and everything below it. */
void kdh_test_tmp_remove(const char *dir);

/* Feed every file of DIR (from the repository's top) to ONE, a libFuzzer entry
 * point, as the fuzzer would; the test fails when DIR holds none. */
void kdh_test_replay_dir(const char *dir, int (*one)(const uint8_t *data, size_t size));

/* TEXT, a JSON document, with member MEMBER of the object at PATH ("a/0/b":
 * members and array indices from the top; "" is the top) set to VALUE (JSON
 * text), or removed when VALUE is NULL (then it must be there). Fails the test
 * when PATH or TEXT is not there to edit. */
char *kdh_test_json_with(const char *text, const char *path, const char *member,
			 const char *value);

/* Run SUITE; the exit status of a test program. */
int kdh_test_run(Suite *suite);

#endif

/* JUnit XML for CI systems (Jenkins, GitLab): one <testsuite> of one <testcase>
 * per scenario run, whether it finished or the harness broke under it. Built as
 * a libxml2 tree, so that no detail, name or path can change the document's
 * structure. Pure except kdh_junit_write(). */
#ifndef KDH_JUNIT_H
#define KDH_JUNIT_H

#include "kdh-evidence.h"
#include "kdh-night.h"
#include "kdh-verdict.h"

struct kdh_junit;

/* A new, empty report whose testsuite is named SUITE (also each testcase's
 * classname). Free with kdh_junit_free(). */
struct kdh_junit *kdh_junit_new(const char *suite);

/* Add one scenario run as a testcase NAME: a <failure> whose message is the
 * reason's name and whose text is V's detail when the run failed, a <skipped>
 * when it was not testable; the seconds of each stage E reached as properties
 * "stage.<name>", their sum as the testcase's time; and a <system-out> listing
 * the files in RESULTS_DIR (the run's logs), which is read only when the
 * report is written. RESULTS_DIR may be NULL. Copies what it needs from V and
 * E. Does not log. */
void kdh_junit_add(struct kdh_junit *j, const char *name, const struct kdh_verdict *v,
		   const struct kdh_evidence *e, const char *results_dir);

/* Add a run that the harness could not finish (libvirt refused or went away,
 * QEMU died, the run was interrupted: kdh run's exit 128 or 128+N) as testcase
 * NAME: an <error>, JUnit's "could not run", distinct from a <failure> of the
 * kernel, whose message and text are MESSAGE (what broke); the stages E reached
 * (E may be NULL: it never started) and RESULTS_DIR (may be NULL) as in
 * kdh_junit_add(). Copies what it needs. Does not log. */
void kdh_junit_add_error(struct kdh_junit *j, const char *name, const char *message,
			 const struct kdh_evidence *e, const char *results_dir);

/* Add every run of NIGHT (kdh-night.h) as a testcase "<case id> #<repeat>",
 * as kdh_junit_add() or kdh_junit_add_error() would for it; run directories
 * are taken relative to NIGHT_DIR. Does not log. */
void kdh_junit_add_night(struct kdh_junit *j, const struct kdh_night *night,
			 const char *night_dir);

/* Write the report to PATH (replacing it atomically): <testsuites> around one
 * <testsuite>, both with tests, failures, errors, skipped and time totals.
 * Returns FALSE with ERROR set when the file cannot be written; an unreadable
 * results directory is not an error (its testcase lists no files). Does not
 * log. */
gboolean kdh_junit_write(struct kdh_junit *j, const char *path, GError **error);

/* Accepts NULL. */
void kdh_junit_free(struct kdh_junit *j);

#endif

/* What the commands share: exit codes, where the program's files are, usage
 * errors. */
#ifndef KDH_CLI_H
#define KDH_CLI_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kdh-error.h" /* the exit codes */

/* The directory of the kdh binary: the guest agent sits beside it. */
char *kdh_cli_exe_dir(void);
/* The scenarios shipped with kdh (../scenarios from the binary). */
char *kdh_cli_scenario_dir(void);
/* The data shipped with kdh (../data from the binary: known-bugs.conf). */
char *kdh_cli_data_dir(void);
/* The scripts of the same tree, and scripts/NAME (the nested lab's image and
 * ssh, the kernels' fetch and build). */
char *kdh_cli_scripts_dir(void);
char *kdh_cli_script(const char *name);
/* kdh's cache directory (kernels, the accelerator probe's answers, the lab's
 * image): $KDH_CACHE, else $XDG_CACHE_HOME/kdh, else ~/.cache/kdh, an empty
 * variable counting as unset. The scripts compute the same with
 * scripts/cache-lib; nothing else may compute it. */
char *kdh_cli_cache_dir(void);

/* The summary.json a run left in DIR, NULL when there is none or it is not a
 * JSON object. */
JsonObject *kdh_cli_read_summary(const char *dir);
/* Print "kdh: WHAT" and CTX's help on stderr; returns KDH_EXIT_USAGE. */
int kdh_cli_usage(GOptionContext *ctx, const char *what);

/* DIR, given with OPTION ("--results"), made with its parents, and a file can be
 * written in it: checked before a command starts anything, so that a directory
 * that cannot hold results is bad input (KDH_ERROR_USAGE naming OPTION and
 * DIR), not a harness failure after guests ran. Does not log. */
gboolean kdh_cli_dir_writable(const char *option, const char *dir, GError **error);

/* SIGINT, SIGTERM and SIGHUP, told on the main loop: the first one's number is
 * kept, and each cancels CANCEL, so that whatever runs ends and cleans up; the
 * command then exits 128 + that number. */
struct kdh_cli_signals;
struct kdh_cli_signal {
	struct kdh_cli_signals *owner;
	int signo;
	guint id;
};
struct kdh_cli_signals {
	GCancellable *cancel;
	int signal; /* the first signal that came, 0 none */
	struct kdh_cli_signal watches[3];
};

void kdh_cli_signals_watch(struct kdh_cli_signals *s, GCancellable *cancel);
void kdh_cli_signals_unwatch(struct kdh_cli_signals *s);
/* The first signal that came, 0 none. A signal that came while a child was
 * waited for (kdh_spawn_run) cancelled at once, but the watches here run on
 * the main loop only: when CANCEL is cancelled and no signal was told yet,
 * this runs the main loop until one is (a second at most). */
int kdh_cli_signals_caught(struct kdh_cli_signals *s);

int kdh_cmd_run(int argc, char **argv);
int kdh_cmd_analyze(int argc, char **argv);
int kdh_cmd_nightly(int argc, char **argv);
int kdh_cmd_merge(int argc, char **argv);
/* kdh report NIGHT_JSON [-o OUT.html]: bad input exits KDH_EXIT_USAGE, an
 * unwritable page KDH_EXIT_INFRA. */
int kdh_cmd_report(int argc, char **argv);
/* kdh lab up|down|status: the nested lab (kdh-lab.h). */
int kdh_cmd_lab(int argc, char **argv);

#endif

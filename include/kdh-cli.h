/* What the commands share: exit codes, where the program's files are, usage
 * errors. */
#ifndef KDH_CLI_H
#define KDH_CLI_H

#include <gio/gio.h>

/* STYLE.md: 0 passed, 1 crash path broken, 2 usage, 125 not testable,
 * 128 harness or infrastructure broke, 128+N interrupted by signal N. */
#define KDH_EXIT_USAGE 2
#define KDH_EXIT_UNTESTABLE 125
#define KDH_EXIT_INFRA 128

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
/* Print "kdh: WHAT" and CTX's help on stderr; returns KDH_EXIT_USAGE. */
int kdh_cli_usage(GOptionContext *ctx, const char *what);

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

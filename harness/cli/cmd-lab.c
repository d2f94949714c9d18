/* kdh lab up|down|status: the nested lab (kdh-lab.h does the work). */
#include <stdio.h>

#include "kdh-cli.h"
#include "kdh-lab.h"

static int lab_cmd_up(const struct kdh_lab *lab)
{
	g_autoptr(GCancellable) cancel = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *uri = NULL;
	struct kdh_cli_signals signals;
	gboolean started;

	kdh_cli_signals_watch(&signals, cancel);
	uri = kdh_lab_up(lab, cancel, &started, &error);
	if (!uri) {
		int signo = kdh_cli_signals_caught(&signals);

		kdh_cli_signals_unwatch(&signals);
		g_printerr("kdh: lab: %s\n", error->message);
		return signo ? 128 + signo : KDH_EXIT_INFRA;
	}
	kdh_cli_signals_unwatch(&signals);
	if (!started)
		g_printerr("kdh: lab: %s runs already\n", KDH_LAB_NAME);
	printf("%s\n", uri);
	return 0;
}

static int lab_cmd_down(const struct kdh_lab *lab)
{
	g_autoptr(GError) error = NULL;
	gboolean destroyed;

	if (!kdh_lab_down(lab, &destroyed, &error)) {
		g_printerr("kdh: lab: %s\n", error->message);
		return KDH_EXIT_INFRA;
	}
	if (destroyed)
		g_printerr("kdh: lab: destroyed %s\n", KDH_LAB_NAME);
	return 0;
}

/* 0 running and answering, 1 down, 128 running but not answering (or the
 * host's libvirt unreachable). */
static int lab_cmd_status(const struct kdh_lab *lab, gboolean print_uri)
{
	g_autoptr(GError) error = NULL;
	struct kdh_lab_status st;
	int code = 0;

	if (!kdh_lab_status(lab, !print_uri, &st, &error)) {
		g_printerr("kdh: lab: %s\n", error->message);
		return KDH_EXIT_INFRA;
	}
	if (!st.running) {
		if (!print_uri)
			printf("lab: down\n");
		code = 1;
	} else if (print_uri) {
		printf("%s\n", st.uri);
	} else {
		printf("lab: %s running on %s, ssh on 127.0.0.1:%d\n", KDH_LAB_NAME, lab->host_uri,
		       st.port);
		printf("uri: %s\n", st.uri);
		printf("image: %s\n", st.image);
		printf("l1: %s\n", st.versions ? st.versions : "not answering over ssh");
		code = st.versions ? 0 : KDH_EXIT_INFRA;
	}
	kdh_lab_status_clear(&st);
	return code;
}

int kdh_cmd_lab(int argc, char **argv)
{
	g_autofree char *host_uri = NULL;
	g_autofree char *scripts = kdh_cli_scripts_dir();
	gboolean print_uri = FALSE;
	GOptionEntry entries[] = {
		{ "uri", 0, 0, G_OPTION_ARG_STRING, &host_uri,
		  "libvirt of the host L1 runs on (qemu:///system)", "HOST_URI" },
		{ "print-uri", 0, 0, G_OPTION_ARG_NONE, &print_uri,
		  "status: print only the lab's libvirt URI, for kdh run --uri (exit 1 when down)",
		  NULL },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("up|down|status - the nested lab for the hyperv platform");
	g_autoptr(GError) error = NULL;
	struct kdh_lab lab;
	int code;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"up: start L1 (building its image first if needed) and wait until its libvirt\n"
		"  answers; prints its libvirt URI last. A lab that runs is left alone.\n"
		"down: destroy L1 and remove its files (the cached image stays).\n"
		"status: running or down, the URI, what runs in L1.\n\n"
		"Environment: KDH_LAB_PORT (10022), KDH_LAB_VCPUS (2), KDH_LAB_MEMORY_MIB (6144),\n"
		"KDH_LAB_STATE (/var/lib/kdh/lab), KDH_LAB_UP_TIMEOUT (900 seconds).\n"
		"Exit: 0 done, 1 (status) down, 2 usage, 128 the lab or libvirt broke,\n"
		"128+N interrupted by signal N (a half-started lab is destroyed). See docs/HYPERV.md.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return kdh_cli_usage(ctx, error->message);
	if (argc != 2 || (!g_str_equal(argv[1], "up") && !g_str_equal(argv[1], "down") &&
			  !g_str_equal(argv[1], "status")))
		return kdh_cli_usage(ctx, "name one of up, down, status");
	if (print_uri && !g_str_equal(argv[1], "status"))
		return kdh_cli_usage(ctx, "--print-uri: only with status");
	if (!kdh_lab_init(&lab, host_uri ? host_uri : "qemu:///system", scripts, &error)) {
		g_printerr("kdh: lab: %s\n", error->message);
		kdh_lab_clear(&lab);
		return KDH_EXIT_USAGE;
	}
	if (g_str_equal(argv[1], "up"))
		code = lab_cmd_up(&lab);
	else if (g_str_equal(argv[1], "down"))
		code = lab_cmd_down(&lab);
	else
		code = lab_cmd_status(&lab, print_uri);
	kdh_lab_clear(&lab);
	return code;
}

/* The vmcore's own account of the panic: the kernel log it holds is the only
 * place the NMI-context panic lines end up when kdump is loaded (they never
 * reach the console before the capture kernel boots). */
#include <glib/gstdio.h>

#include "kdh-analysis.h"
#include "kdh-spawn.h"
#include "kdh-vmcore.h"

#define MAKEDUMPFILE_TIMEOUT_S 120
#define CRASH_TIMEOUT_S 300
/* sys: CPUS and PANIC; bt -a: where each CPU was */
#define CRASH_COMMANDS "sys\nbt -a\nquit\n"

gboolean kdh_vmcore_read_log(const char *vmcore, const char *dmesg, const char *tool_log,
			     GCancellable *cancel, struct kdh_evidence *e, GError **error)
{
	const char *argv[] = { "makedumpfile", "--dump-dmesg", vmcore, dmesg, NULL };
	g_autofree char *output = NULL, *text = NULL;
	int status;

	/* makedumpfile refuses to write over an existing file */
	g_unlink(dmesg);
	if (!kdh_spawn_run(argv, MAKEDUMPFILE_TIMEOUT_S, cancel, &output, &status, error) ||
	    !g_file_set_contents(tool_log, output, -1, error))
		return FALSE;
	if (status != 0 || !g_file_get_contents(dmesg, &text, NULL, NULL))
		return TRUE;
	kdh_analysis_panic_log_parse(&e->vmcore_log, text);
	e->vmcore_read = TRUE;
	return TRUE;
}

gboolean kdh_vmcore_crash(const char *vmlinux, const char *vmcore, const char *dir,
			  GCancellable *cancel, struct kdh_evidence *e, GError **error)
{
	g_autofree char *commands = g_build_filename(dir, "crash-commands.txt", NULL);
	g_autofree char *out = g_build_filename(dir, "crash.txt", NULL);
	/* --kaslr auto: without it crash 8.0 cannot find a randomized kernel's base */
	const char *argv[] = { "crash", "-s", "--kaslr", "auto", vmlinux, vmcore, "-i", commands,
			       NULL };
	g_autofree char *output = NULL;
	int status;

	if (!g_file_set_contents(commands, CRASH_COMMANDS, -1, error) ||
	    !kdh_spawn_run(argv, CRASH_TIMEOUT_S, cancel, &output, &status, error) ||
	    !g_file_set_contents(out, output, -1, error))
		return FALSE;
	e->crash.ran = TRUE;
	kdh_crash_parse(&e->crash, output);
	return TRUE;
}

gboolean kdh_vmcore_dump_dmesg(const char *vmcore, const char *dmesg, char **ret_text,
			       char **ret_tool_output, GError **error)
{
	const char *argv[] = { "makedumpfile", "--dump-dmesg", vmcore, dmesg, NULL };
	g_autofree char *output = NULL;
	int status;

	*ret_text = NULL;
	g_unlink(dmesg);
	if (!kdh_spawn_sync(argv, MAKEDUMPFILE_TIMEOUT_S, &output, &status, error))
		return FALSE;
	if (status == 0)
		g_file_get_contents(dmesg, ret_text, NULL, NULL);
	g_unlink(dmesg);
	if (ret_tool_output)
		*ret_tool_output = g_steal_pointer(&output);
	return TRUE;
}

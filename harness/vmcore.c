/* The vmcore's own account of the panic: the kernel log it holds is the only
 * place the NMI-context panic lines end up when kdump is loaded (they never
 * reach the console before the capture kernel boots). */
#include <glib/gstdio.h>

#include "kdh-analysis.h"
#include "kdh-spawn.h"
#include "kdh-vmcore.h"

#define MAKEDUMPFILE_TIMEOUT_S 120

gboolean kdh_vmcore_read_log(const char *vmcore, const char *dmesg, const char *tool_log,
			     struct kdh_evidence *e, GError **error)
{
	const char *argv[] = { "makedumpfile", "--dump-dmesg", vmcore, dmesg, NULL };
	g_autofree char *output = NULL, *text = NULL;
	int status;

	/* makedumpfile refuses to write over an existing file */
	g_unlink(dmesg);
	if (!kdh_spawn_sync(argv, MAKEDUMPFILE_TIMEOUT_S, &output, &status, error) ||
	    !g_file_set_contents(tool_log, output, -1, error))
		return FALSE;
	if (status != 0 || !g_file_get_contents(dmesg, &text, NULL, NULL))
		return TRUE;
	kdh_panic_log_parse(&e->vmcore_log, text);
	e->vmcore_read = TRUE;
	return TRUE;
}

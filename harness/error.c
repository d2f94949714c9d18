/* The KDH_ERROR domain and the one table from its codes to exit codes. */
#include "kdh-error.h"

G_DEFINE_QUARK(kdh-error-quark, kdh_error)

static const struct {
	const char *name;
	int exit_code;
} error_codes[] = {
	[KDH_ERROR_USAGE] = { "usage", KDH_EXIT_USAGE },
	[KDH_ERROR_UNTESTABLE] = { "untestable", KDH_EXIT_UNTESTABLE },
	[KDH_ERROR_HARNESS] = { "harness", KDH_EXIT_INFRA },
};
G_STATIC_ASSERT(G_N_ELEMENTS(error_codes) == KDH_ERROR__COUNT);

int kdh_error_exit_code(const GError *error)
{
	if (!error || error->domain != KDH_ERROR || error->code < 0 ||
	    error->code >= KDH_ERROR__COUNT)
		return KDH_EXIT_INFRA;
	return error_codes[error->code].exit_code;
}

const char *kdh_error_name(int code)
{
	return code >= 0 && code < KDH_ERROR__COUNT ? error_codes[code].name : NULL;
}

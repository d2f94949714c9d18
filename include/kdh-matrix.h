/* Matrix files: the nightly's cases, as GKeyFile text in the scenario files'
 * family (see matrices/). Pure.
 *
 *   [matrix]
 *   description=...
 *   scenario=nmi-all-vcpus;sysrq-cpu2     (required)
 *   kernel=default;older                  (required: "default" or a [kernel] group)
 *   platform=, vcpus=, memory-mib=, crashkernel=, kexec=
 *                                         (lists; absent: the scenario's own value)
 *   repeat=2                              (runs per case, default 1)
 *
 *   [kernel older]                        (exactly one of:)
 *   debian=linux-image-6.1.0-47-amd64     a Debian kernel package, fetched with apt
 *   source=/path/to/linux                 a source tree or tarball, or TREE@REV (a
 *                                         commit), built by scripts/build-kernel
 *   path=/path                            anything `kdh run --kernel` takes
 *
 *   [exclude NAME]                        (a case matching every key given is left out;
 *   scenario=sysrq-cpu2                    a key's value may be a list)
 *   vcpus=2
 */
#ifndef KDH_MATRIX_H
#define KDH_MATRIX_H

#include <glib.h>

/* The axes a matrix crosses, outermost first: the order of the cases. All but
 * scenario and kernel are keys of a scenario file's [scenario] group. */
enum kdh_axis {
	KDH_AXIS_SCENARIO,
	KDH_AXIS_KERNEL,
	KDH_AXIS_PLATFORM,
	KDH_AXIS_VCPUS,
	KDH_AXIS_MEMORY,
	KDH_AXIS_CRASHKERNEL,
	KDH_AXIS_KEXEC,
	KDH_AXIS__COUNT
};

/* The key of AXIS in matrix and scenario files ("memory-mib", ...). */
const char *kdh_axis_key(enum kdh_axis axis);

struct kdh_matrix_kernel {
	char *name;
	char *kind;  /* "debian" (a package, unpacked), "deb" (the same package's
		      * .deb file, given to kdh run as it is), "source" or "path" */
	char *value;
};

struct kdh_matrix {
	char *name;                      /* file name without .conf */
	char *description;
	char **axes[KDH_AXIS__COUNT];    /* values; NULL: the scenario's own */
	int repeat;
	GPtrArray *kernels;              /* struct kdh_matrix_kernel*, as named in groups */
	GPtrArray *excludes;             /* char ** [KDH_AXIS__COUNT] each, NULL: any */
};

/* One combination of axis values, resolved against its scenario file. */
struct kdh_case {
	char *id;                        /* "scenario/kernel/platform/vcpus=4/..." */
	char *values[KDH_AXIS__COUNT];
	char *scenario_text;             /* the scenario file with the case's values */
};

/* Accepts NULL. */
void kdh_case_free(struct kdh_case *c);

/* Parse matrix NAME from DATA. Unknown groups or keys, empty lists, a kernel
 * named but not defined (or defined twice over) fail with
 * G_KEY_FILE_ERROR_INVALID_VALUE and a message naming the group and key. */
gboolean kdh_matrix_parse(const char *name, const char *data, struct kdh_matrix *ret,
			  GError **error);
gboolean kdh_matrix_load(const char *path, struct kdh_matrix *ret, GError **error);
void kdh_matrix_clear(struct kdh_matrix *m);

/* The kernel named NAME, NULL for "default" (kdh run's own default). */
const struct kdh_matrix_kernel *kdh_matrix_kernel(const struct kdh_matrix *m,
						  const char *name);

/* The kernel a debian or source kernel's script (scripts/fetch-kernel,
 * scripts/build-kernel) made: the last line it printed on stdout, OUTPUT,
 * blanks around it dropped. NULL when it printed no line. */
char *kdh_matrix_kernel_made(const char *output);

/* Every case of M that no exclude matches, in axis order. SCENARIOS maps each
 * scenario name in M to its file's text. Each case's scenario text must parse
 * (kdh_scenario_parse); when one does not, fails naming the case. Returns a
 * GPtrArray of struct kdh_case* (freeing the array frees them). Does not log. */
GPtrArray *kdh_matrix_expand(const struct kdh_matrix *m, GHashTable *scenarios,
			     GError **error);

/* Parse "K/N" (1 <= K <= N). */
gboolean kdh_matrix_shard_parse(const char *text, int *ret_k, int *ret_n, GError **error);
/* Whether run R (0-based, over cases x repeats in case order) is in shard K/N:
 * round robin, so that each shard gets a fair share of every case. */
gboolean kdh_matrix_shard_has(int k, int n, int r);

#endif

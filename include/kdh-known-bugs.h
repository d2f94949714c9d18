/* Known bugs of the crash path as data (data/known-bugs.conf, GKeyFile): what
 * each matches in foreign evidence, the upstream fix and where that is cited.
 * Pure but for kdh_known_bugs_load(), which reads the file. */
#ifndef KDH_KNOWN_BUGS_H
#define KDH_KNOWN_BUGS_H

#include <json-glib/json-glib.h>
#include "kdh-foreign.h"

/* Which kernel a signature's complaint must be in. */
enum kdh_bug_kernel {
	KDH_BUG_KERNEL_ANY,
	KDH_BUG_KERNEL_FIRST,   /* the kernel that crashed */
	KDH_BUG_KERNEL_CAPTURE, /* the capture kernel */
	KDH_BUG_KERNEL__COUNT
};

/* What the crashed kernel did about VMBus UNLOAD. */
enum kdh_bug_unload {
	KDH_BUG_UNLOAD_ANY,
	KDH_BUG_UNLOAD_WAITED,  /* at least one "Waiting for VMBus UNLOAD to complete" */
	KDH_BUG_UNLOAD_GAVE_UP, /* "Continuing even though VMBus UNLOAD did not complete" */
	KDH_BUG_UNLOAD__COUNT
};

struct kdh_known_bug {
	char *id;            /* the group's name */
	char *title;
	char *diagnosis;     /* what a kernel engineer would say */
	/* what it matches: every condition given must hold */
	gboolean when_hyperv;   /* the crashed kernel runs on Hyper-V */
	char *when_panic;       /* the crashed kernel's panic string holds this */
	int when_nmi_cpus_min;  /* unknown NMIs logged on at least this many CPUs, 0 any */
	char *when_function;    /* a BUG/Oops/WARNING in this function */
	enum kdh_bug_kernel when_kernel; /* ... in this kernel */
	enum kdh_bug_unload when_unload;
	/* the fix */
	char *fix_subject;
	char *fix_commit;    /* NULL: not verified, and the file says so */
	gboolean fix_verified;
	char *fixes;         /* the commit it fixes, "id (\"subject\")", or NULL */
	char *affected;
	char **cite;         /* where each fact comes from */
};

void kdh_known_bug_free(struct kdh_known_bug *b);

/* Parse TEXT (a known-bugs file; PATH names it in errors) into *RET (struct
 * kdh_known_bug*, new). Unknown keys, a signature that matches nothing, a
 * verified fix without a commit are errors. Does not log. */
gboolean kdh_known_bugs_parse(const char *text, const char *path, GPtrArray **ret,
			      GError **error);
/* The same from the file PATH. */
gboolean kdh_known_bugs_load(const char *path, GPtrArray **ret, GError **error);

/* Whether B matches F (finished); *RET_WHY (new) says what matched, with the
 * panic CPU and the VMBus connect CPU where VMBus is involved. */
gboolean kdh_known_bug_match(const struct kdh_known_bug *b, const struct kdh_foreign *f,
			     char **ret_why);

/* The bugs of BUGS that F matches, as a JSON array: { "id", "title",
 * "diagnosis", "why", "fix": { "subject", "commit", "verified", "fixes" },
 * "affected", "cite": [..] }. *RET_TEXT (unless NULL): one line per match for
 * a person. */
JsonNode *kdh_known_bugs_json(GPtrArray *bugs, const struct kdh_foreign *f, char **ret_text);

#endif

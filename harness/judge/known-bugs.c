/* Known bugs as data: a kernel engineer's "this is X, fixed by Y" kept in a file
 * that people can extend without touching the code. */
#include <string.h>

#include "kdh-analysis.h"
#include "kdh-known-bugs.h"

static const char *const kernel_names[] = {
	[KDH_BUG_KERNEL_ANY] = "any",
	[KDH_BUG_KERNEL_FIRST] = "first",
	[KDH_BUG_KERNEL_CAPTURE] = "capture",
};
G_STATIC_ASSERT(G_N_ELEMENTS(kernel_names) == KDH_BUG_KERNEL__COUNT);

static const char *const unload_names[] = {
	[KDH_BUG_UNLOAD_ANY] = "any",
	[KDH_BUG_UNLOAD_WAITED] = "waited",
	[KDH_BUG_UNLOAD_GAVE_UP] = "gave-up",
};
G_STATIC_ASSERT(G_N_ELEMENTS(unload_names) == KDH_BUG_UNLOAD__COUNT);

/* Every key a signature may have: a typo is an error, never ignored. */
static const char *const known_keys[] = {
	"title",	"diagnosis",	 "when-hyperv",	 "when-panic",	 "when-nmi-cpus-min",
	"when-function", "when-kernel",	 "when-vmbus-unload", "fix-subject", "fix-commit",
	"fix-verified",	"fixes",	 "affected",	 "cite",
};

void kdh_known_bug_free(struct kdh_known_bug *b)
{
	if (!b)
		return;
	g_free(b->id);
	g_free(b->title);
	g_free(b->diagnosis);
	g_free(b->when_panic);
	g_free(b->when_function);
	g_free(b->fix_subject);
	g_free(b->fix_commit);
	g_free(b->fixes);
	g_free(b->affected);
	g_strfreev(b->cite);
	g_free(b);
}

static int name_index(const char *const *names, int count, const char *name)
{
	for (int i = 0; i < count; i++)
		if (g_strcmp0(names[i], name) == 0)
			return i;
	return -1;
}

/* An optional string: NULL when absent, an error only when unreadable. */
static char *bug_string(GKeyFile *kf, const char *group, const char *key)
{
	char *value = g_key_file_get_string(kf, group, key, NULL);

	if (value && !*g_strstrip(value))
		g_clear_pointer(&value, g_free);
	return value;
}

static gboolean bug_parse(GKeyFile *kf, const char *group, const char *path,
			  struct kdh_known_bug **ret, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	struct kdh_known_bug *b = g_new0(struct kdh_known_bug, 1);
	g_autofree char *kernel = NULL, *unload = NULL;
	int n;

	b->id = g_strdup(group);
	*ret = b;
	for (char **k = keys; k && *k; k++)
		if (name_index(known_keys, G_N_ELEMENTS(known_keys), *k) < 0) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "%s: [%s]: unknown key '%s'", path, group, *k);
			return FALSE;
		}
	b->title = bug_string(kf, group, "title");
	b->diagnosis = bug_string(kf, group, "diagnosis");
	b->when_panic = bug_string(kf, group, "when-panic");
	b->when_function = bug_string(kf, group, "when-function");
	b->fix_subject = bug_string(kf, group, "fix-subject");
	b->fix_commit = bug_string(kf, group, "fix-commit");
	b->fixes = bug_string(kf, group, "fixes");
	b->affected = bug_string(kf, group, "affected");
	b->cite = g_key_file_get_string_list(kf, group, "cite", NULL, NULL);
	if (g_key_file_has_key(kf, group, "when-hyperv", NULL)) {
		b->when_hyperv = g_key_file_get_boolean(kf, group, "when-hyperv", &local);
		if (local)
			goto bad;
	}
	if (g_key_file_has_key(kf, group, "fix-verified", NULL)) {
		b->fix_verified = g_key_file_get_boolean(kf, group, "fix-verified", &local);
		if (local)
			goto bad;
	}
	if (g_key_file_has_key(kf, group, "when-nmi-cpus-min", NULL)) {
		b->when_nmi_cpus_min = g_key_file_get_integer(kf, group, "when-nmi-cpus-min", &local);
		if (local)
			goto bad;
	}
	kernel = bug_string(kf, group, "when-kernel");
	unload = bug_string(kf, group, "when-vmbus-unload");
	if (kernel) {
		if ((n = name_index(kernel_names, KDH_BUG_KERNEL__COUNT, kernel)) < 0) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "%s: [%s]: when-kernel '%s' is not any, first or capture", path,
				    group, kernel);
			return FALSE;
		}
		b->when_kernel = n;
	}
	if (unload) {
		if ((n = name_index(unload_names, KDH_BUG_UNLOAD__COUNT, unload)) < 0) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				    "%s: [%s]: when-vmbus-unload '%s' is not any, waited or gave-up",
				    path, group, unload);
			return FALSE;
		}
		b->when_unload = n;
	}
	if (!b->title || !b->fix_subject) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
			    "%s: [%s]: needs a title and a fix-subject", path, group);
		return FALSE;
	}
	if (b->fix_verified && !b->fix_commit) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: [%s]: fix-verified without a fix-commit", path, group);
		return FALSE;
	}
	/* a signature that matches everything would name this bug for every log */
	if (!b->when_hyperv && !b->when_panic && b->when_nmi_cpus_min <= 0 && !b->when_function &&
	    b->when_unload == KDH_BUG_UNLOAD_ANY) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
			    "%s: [%s]: matches everything: give a when-* condition", path, group);
		return FALSE;
	}
	return TRUE;
bad:
	g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: [%s]: %s", path,
		    group, local->message);
	return FALSE;
}

gboolean kdh_known_bugs_parse(const char *text, const char *path, GPtrArray **ret,
			      GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GPtrArray) bugs =
		g_ptr_array_new_with_free_func((GDestroyNotify)kdh_known_bug_free);
	g_auto(GStrv) groups = NULL;
	g_autoptr(GError) local = NULL;

	if (!g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "%s: %s", path,
			    local->message);
		return FALSE;
	}
	groups = g_key_file_get_groups(kf, NULL);
	for (char **g = groups; *g; g++) {
		struct kdh_known_bug *b = NULL;
		gboolean ok = bug_parse(kf, *g, path, &b, error);

		g_ptr_array_add(bugs, b);
		if (!ok)
			return FALSE;
	}
	*ret = g_steal_pointer(&bugs);
	return TRUE;
}

gboolean kdh_known_bugs_load(const char *path, GPtrArray **ret, GError **error)
{
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	return kdh_known_bugs_parse(text, path, ret, error);
}

/* The complaint of BOOT in FUNCTION, NULL for none. */
static const struct kdh_complaint *boot_complaint_in(const struct kdh_boot *boot,
						     const char *function)
{
	if (!boot)
		return NULL;
	for (guint i = 0; i < boot->log.complaints->len; i++) {
		const struct kdh_complaint *c = boot->log.complaints->pdata[i];

		if (g_strcmp0(c->function, function) == 0)
			return c;
	}
	return NULL;
}

gboolean kdh_known_bug_match(const struct kdh_known_bug *b, const struct kdh_foreign *f,
			     char **ret_why)
{
	const struct kdh_boot *p = kdh_foreign_crashed(f);
	const struct kdh_boot *c = kdh_foreign_capture(f, p);
	g_autoptr(GString) why = g_string_new(NULL);
	const struct kdh_complaint *in = NULL;
	gboolean unknown_role = FALSE;

	if (b->when_hyperv) {
		if (!p || !(p->log.hyperv || p->log.vmbus_version))
			return FALSE;
		g_string_append(why, "Hyper-V guest");
	}
	if (b->when_panic) {
		if (!p || !p->log.panic_string || !strstr(p->log.panic_string, b->when_panic))
			return FALSE;
		g_string_append_printf(why, "%spanic \"%s\"", why->len ? "; " : "",
				       p->log.panic_string);
	}
	if (b->when_nmi_cpus_min > 0) {
		if (!p || (int)p->log.nmi_cpus->len < b->when_nmi_cpus_min)
			return FALSE;
		g_string_append_printf(why, "%sunknown NMI logged on %u CPUs", why->len ? "; " : "",
				       p->log.nmi_cpus->len);
	}
	if (b->when_function) {
		if (b->when_kernel != KDH_BUG_KERNEL_CAPTURE)
			in = boot_complaint_in(p, b->when_function);
		if (!in && b->when_kernel != KDH_BUG_KERNEL_FIRST) {
			/* with no panic in the evidence, any capture kernel's */
			in = boot_complaint_in(c ? c : kdh_foreign_capture(f, NULL), b->when_function);
		}
		/* an excerpt that shows neither banner nor command line: a kernel of
		 * unknown role, which the "why" says */
		for (guint i = 0; !in && !p && i < f->boots->len; i++) {
			const struct kdh_boot *u = f->boots->pdata[i];

			if (!u->banner && !u->cmdline && !u->capture &&
			    (in = boot_complaint_in(u, b->when_function)))
				unknown_role = TRUE;
		}
		if (!in)
			return FALSE;
		g_string_append_printf(why, "%s%s in %s%s%s%s on CPU %d in the %s",
				       why->len ? "; " : "", kdh_complaint_kind_name(in->kind),
				       in->function, in->module ? " [" : "",
				       in->module ? in->module : "", in->module ? "]" : "", in->cpu,
				       unknown_role ? "kernel of this excerpt (the log does not show "
						      "which kernel it is)"
						    : in->where);
	}
	if (b->when_unload != KDH_BUG_UNLOAD_ANY) {
		int connect;

		if (!p || p->log.vmbus_unload_waits == 0 ||
		    (b->when_unload == KDH_BUG_UNLOAD_GAVE_UP && !p->log.vmbus_unload_gave_up))
			return FALSE;
		connect = kdh_analysis_release_vmbus_connect_cpu(p->release, p->log.vmbus_connect_said);
		g_string_append_printf(why, "%s%d waits for VMBus UNLOAD%s; panic on ",
				       why->len ? "; " : "", p->log.vmbus_unload_waits,
				       p->log.vmbus_unload_gave_up ? ", then gave up" : "");
		if (p->log.panic_cpu < 0)
			g_string_append(why, "an unknown CPU");
		else
			g_string_append_printf(why, "CPU %d", p->log.panic_cpu);
		if (connect < 0)
			g_string_append(why, ", VMBus connect CPU unknown");
		else
			g_string_append_printf(why, ", VMBus connect CPU %d", connect);
	}
	*ret_why = g_string_free(g_steal_pointer(&why), FALSE);
	return TRUE;
}

static void add_string(JsonBuilder *jb, const char *key, const char *value)
{
	json_builder_set_member_name(jb, key);
	if (value)
		json_builder_add_string_value(jb, value);
	else
		json_builder_add_null_value(jb);
}

JsonNode *kdh_known_bugs_json(GPtrArray *bugs, const struct kdh_foreign *f, char **ret_text)
{
	g_autoptr(JsonBuilder) jb = json_builder_new();
	GString *text = g_string_new(NULL);

	json_builder_begin_array(jb);
	for (guint i = 0; bugs && i < bugs->len; i++) {
		const struct kdh_known_bug *b = bugs->pdata[i];
		g_autofree char *why = NULL;

		if (!kdh_known_bug_match(b, f, &why))
			continue;
		json_builder_begin_object(jb);
		add_string(jb, "id", b->id);
		add_string(jb, "title", b->title);
		add_string(jb, "diagnosis", b->diagnosis);
		add_string(jb, "why", why);
		json_builder_set_member_name(jb, "fix");
		json_builder_begin_object(jb);
		add_string(jb, "subject", b->fix_subject);
		add_string(jb, "commit", b->fix_commit);
		json_builder_set_member_name(jb, "verified");
		json_builder_add_boolean_value(jb, b->fix_verified);
		add_string(jb, "fixes", b->fixes);
		json_builder_end_object(jb);
		add_string(jb, "affected", b->affected);
		json_builder_set_member_name(jb, "cite");
		json_builder_begin_array(jb);
		for (char **c = b->cite; c && *c; c++)
			json_builder_add_string_value(jb, *c);
		json_builder_end_array(jb);
		json_builder_end_object(jb);
		g_string_append_printf(text, "known bug %s: %s (%s); fixed by \"%s\" (%s)\n", b->id,
				       b->title, why, b->fix_subject,
				       b->fix_commit ? b->fix_commit : "commit not verified");
	}
	json_builder_end_array(jb);
	if (ret_text)
		*ret_text = g_string_free(text, FALSE);
	else
		g_string_free(text, TRUE);
	return json_builder_get_root(jb);
}

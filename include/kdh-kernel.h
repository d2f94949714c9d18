/* Guest kernels: where the vmlinuz and its modules are. */
#ifndef KDH_KERNEL_H
#define KDH_KERNEL_H

#include <glib.h>

struct kdh_kernel {
	char *vmlinuz;     /* absolute path of the bzImage */
	char *release;     /* kernel release, read from the bzImage header */
	char *modules_dir; /* .../lib/modules/<release>, or NULL for a kernel with
			    * everything built in */
	char *vmlinux;     /* with debug info, for crash: a build tree's vmlinux or an
			    * unpacked -dbg package's; NULL when there is none */
};

/* Resolve SPEC into a kernel. SPEC is one of:
 *  - a directory holding an unpacked linux-image package (boot/vmlinuz-*,
 *    lib/modules/<release>/ with modules.dep);
 *  - a kernel build tree (arch/x86/boot/bzImage; modules, if any, are taken from
 *    a lib/modules/<release> beneath it when present, else treated as built in);
 *  - a bzImage file (modules from ../lib/modules/<release> beside its boot/ when
 *    present, else built in).
 * Fails with G_IO_ERROR_NOT_FOUND / G_IO_ERROR_INVALID_DATA and a message naming
 * SPEC. Does not log. */
gboolean kdh_kernel_resolve(const char *spec, struct kdh_kernel *ret, GError **error);
void kdh_kernel_clear(struct kdh_kernel *k);

/* The release string in a bzImage's setup header (pure: takes the file's bytes).
 * NULL when DATA is not a bzImage. */
char *kdh_bzimage_release(const guint8 *data, gsize len);

/* Order the modules NAMES (e.g. "virtio_blk"; '-' and '_' are the same) and all their
 * dependencies for loading, dependencies first, each once, as paths relative to
 * the modules directory ("kernel/drivers/block/virtio_blk.ko"). MODULES_DEP is the
 * text of modules.dep, MODULES_BUILTIN of modules.builtin (either may be NULL:
 * no modules at all). Names that are built in are skipped. A name that is neither
 * a module nor built in fails with G_IO_ERROR_NOT_FOUND. Pure. */
GPtrArray *kdh_modules_order(const char *modules_dep, const char *modules_builtin,
			     const char *const *names, GError **error);

/* The absolute paths of the shared objects in `ldd PROGRAM` output, the dynamic
 * loader included, in order, each once. Pure. */
GPtrArray *kdh_ldd_parse(const char *ldd_output);

#endif

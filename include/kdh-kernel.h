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

/* Resolve SPECS (NULL-terminated) into a kernel. SPECS is one of:
 *  - a directory holding an unpacked kernel package: boot/vmlinuz-R, or the
 *    image beside its modules (lib/modules/R/vmlinuz, usr/lib/modules/R/vmlinuz);
 *    modules in {,usr/}lib/modules/R with modules.dep, or none (all built in);
 *  - a kernel build tree (arch/x86/boot/bzImage); built with CONFIG_MODULES=y, its
 *    modules are installed (make modules_install) into CACHE/kernels under a key
 *    of every module's size and time, else taken from a lib/modules/R beneath it
 *    or treated as built in;
 *  - a kernel image file (boot/vmlinuz-R, lib/modules/R/vmlinuz: modules from the
 *    tree it sits in, as for a directory; /boot/vmlinuz-$(uname -r) is the host's);
 *  - one or several package files (.deb, .rpm: the image and its modules may come
 *    in two), unpacked into CACHE/kernels under a key of their contents, depmod
 *    run where modules.dep is missing.
 * Fails with G_IO_ERROR_NOT_FOUND / G_IO_ERROR_INVALID_DATA (bad input) or another
 * code (the cache could not be written) and a message naming SPECS. Runs depmod,
 * make and rm through kdh-spawn; does not log. */
gboolean kdh_kernel_resolve(const char *const *specs, const char *cache, struct kdh_kernel *ret,
			    GError **error);
void kdh_kernel_clear(struct kdh_kernel *k);

/* The release string in a bzImage's setup header (pure: takes the file's bytes).
 * NULL when DATA is not a bzImage. */
char *kdh_kernel_bzimage_release(const guint8 *data, gsize len);

/* Order the modules NAMES (e.g. "virtio_blk"; '-' and '_' are the same) and all their
 * dependencies for loading, dependencies first, each once, as paths relative to
 * the modules directory ("kernel/drivers/block/virtio_blk.ko"). MODULES_DEP is the
 * text of modules.dep, MODULES_BUILTIN of modules.builtin (either may be NULL:
 * no modules at all). Names that are built in are skipped. A name that is neither
 * a module nor built in fails with G_IO_ERROR_NOT_FOUND. Pure. */
GPtrArray *kdh_kernel_modules_order(const char *modules_dep, const char *modules_builtin,
				    const char *const *names, GError **error);

/* The absolute paths of the shared objects in `ldd PROGRAM` output, the dynamic
 * loader included, in order, each once. Pure. */
GPtrArray *kdh_kernel_ldd_parse(const char *ldd_output);

#endif

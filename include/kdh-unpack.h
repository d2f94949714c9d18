/* Archives and compressed files, read with libarchive: a kernel module
 * compressed with xz, zstd or gzip, and kernel packages (.deb, .rpm). */
#ifndef KDH_UNPACK_H
#define KDH_UNPACK_H

#include <glib.h>

/* The compression suffix of PATH (".xz", ".zst", ".gz"), or NULL when PATH
 * names no compressed file. Pure. */
const char *kdh_unpack_compression_suffix(const char *path);

/* The contents of the file at PATH, decompressed when it is compressed (any
 * filter libarchive reads), as they are otherwise. Fails with a message naming
 * PATH. Does not log. */
GBytes *kdh_unpack_file(const char *path, GError **error);

/* Extract the kernel packages FILES (Debian .deb: its data.tar.*; RPM: its
 * payload) into the existing directory DEST, one after the other. Entries that
 * would land outside DEST are refused. Fails with a message naming the package
 * and the entry. Does not log. */
gboolean kdh_unpack_packages(const char *const *files, const char *dest, GError **error);

#endif

/* Archives and compressed files through libarchive: no hand-written
 * decompression, and one reader for every format a kernel comes in. */
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <gio/gio.h>

#include "kdh-unpack.h"

#define UNPACK_BLOCK (64 * 1024)

const char *kdh_unpack_compression_suffix(const char *path)
{
	static const char *const suffixes[] = { ".xz", ".zst", ".gz" };

	for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++)
		if (g_str_has_suffix(path, suffixes[i]))
			return suffixes[i];
	return NULL;
}

static gboolean unpack_failed(struct archive *a, const char *what, const char *entry,
			      GError **error)
{
	const char *why = archive_error_string(a);

	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "'%s'%s%s%s: %s", what,
		    entry ? ", entry '" : "", entry ? entry : "", entry ? "'" : "",
		    why ? why : "unreadable");
	return FALSE;
}

GBytes *kdh_unpack_file(const char *path, GError **error)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	char block[UNPACK_BLOCK];
	la_ssize_t n;
	GBytes *ret = NULL;

	/* The raw format takes any byte stream, so an uncompressed file comes
	 * through the same reader as a compressed one. */
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, path, UNPACK_BLOCK) != ARCHIVE_OK ||
	    archive_read_next_header(a, &entry) != ARCHIVE_OK) {
		unpack_failed(a, path, NULL, error);
		goto out;
	}
	while ((n = archive_read_data(a, block, sizeof(block))) > 0)
		g_byte_array_append(bytes, (const guint8 *)block, n);
	if (n < 0) {
		unpack_failed(a, path, NULL, error);
		goto out;
	}
	ret = g_byte_array_free_to_bytes(g_steal_pointer(&bytes));
out:
	archive_read_free(a);
	return ret;
}

/* An archive nested in another one's entry (a .deb's data.tar.xz) is read
 * straight from the outer reader, without a copy on disk or in memory. */
struct unpack_nested {
	struct archive *outer;
	char block[UNPACK_BLOCK];
};

static la_ssize_t unpack_read_outer(struct archive *inner, void *data, const void **ret_buf)
{
	struct unpack_nested *n = data;

	(void)inner;
	*ret_buf = n->block;
	return archive_read_data(n->outer, n->block, sizeof(n->block));
}

/* Write the entries of A under DEST. */
static gboolean unpack_extract(struct archive *a, const char *package, const char *dest,
			       GError **error)
{
	/* Nothing outside DEST: every path is put under it, ".." is refused and
	 * nothing is written through a symbolic link. */
	const int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
			  ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS;
	struct archive *disk = archive_write_disk_new();
	struct archive_entry *entry;
	gboolean ok = TRUE;
	int r;

	archive_write_disk_set_options(disk, flags);
	while (ok && (r = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
		g_autofree char *name = g_strdup(archive_entry_pathname(entry));
		const char *link = archive_entry_hardlink(entry);
		g_autofree char *path = g_build_filename(dest, name, NULL);
		const void *buf;
		size_t len;
		la_int64_t offset;

		archive_entry_set_pathname(entry, path);
		if (link) {
			g_autofree char *target = g_build_filename(dest, link, NULL);

			archive_entry_set_hardlink(entry, target);
		}
		if (archive_write_header(disk, entry) != ARCHIVE_OK) {
			ok = unpack_failed(disk, package, name, error);
			break;
		}
		while ((r = archive_read_data_block(a, &buf, &len, &offset)) == ARCHIVE_OK)
			if (archive_write_data_block(disk, buf, len, offset) != ARCHIVE_OK) {
				ok = unpack_failed(disk, package, name, error);
				break;
			}
		if (ok && r != ARCHIVE_EOF)
			ok = unpack_failed(a, package, name, error);
		if (ok && archive_write_finish_entry(disk) != ARCHIVE_OK)
			ok = unpack_failed(disk, package, name, error);
	}
	if (ok && r != ARCHIVE_EOF)
		ok = unpack_failed(a, package, NULL, error);
	if (ok && archive_write_close(disk) != ARCHIVE_OK)
		ok = unpack_failed(disk, package, NULL, error);
	archive_write_free(disk);
	return ok;
}

static struct archive *unpack_reader(void)
{
	struct archive *a = archive_read_new();

	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	return a;
}

/* A .deb is an ar archive whose data.tar.* holds the files; its other members
 * (debian-binary, control.tar.*) are the package manager's. */
static gboolean unpack_deb(struct archive *a, const char *package, const char *dest,
			   GError **error)
{
	struct archive_entry *entry;
	gboolean found = FALSE;
	int r;

	while ((r = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
		g_autofree struct unpack_nested *nested = NULL;
		struct archive *inner;
		gboolean ok;

		if (!g_str_has_prefix(archive_entry_pathname(entry), "data.tar"))
			continue;
		nested = g_new(struct unpack_nested, 1);
		nested->outer = a;
		inner = unpack_reader();
		if (archive_read_open(inner, nested, NULL, unpack_read_outer, NULL) != ARCHIVE_OK)
			ok = unpack_failed(inner, package, archive_entry_pathname(entry), error);
		else
			ok = unpack_extract(inner, package, dest, error);
		archive_read_free(inner);
		if (!ok)
			return FALSE;
		found = TRUE;
	}
	if (r != ARCHIVE_EOF)
		return unpack_failed(a, package, NULL, error);
	if (!found)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "'%s': an ar archive without data.tar.*: not a Debian package", package);
	return found;
}

/* ARCHIVE_FORMAT_AR, _CPIO (an RPM's payload), _TAR ...: known only once the
 * first header is read. */
static int unpack_format(const char *package, GError **error)
{
	struct archive *a = unpack_reader();
	struct archive_entry *entry;
	int format = -1;

	if (archive_read_open_filename(a, package, UNPACK_BLOCK) != ARCHIVE_OK ||
	    archive_read_next_header(a, &entry) != ARCHIVE_OK)
		unpack_failed(a, package, NULL, error);
	else
		format = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	archive_read_free(a);
	return format;
}

gboolean kdh_unpack_packages(const char *const *files, const char *dest, GError **error)
{
	for (gsize i = 0; files[i]; i++) {
		int format = unpack_format(files[i], error);
		struct archive *a;
		gboolean ok;

		if (format < 0)
			return FALSE;
		a = unpack_reader();
		if (archive_read_open_filename(a, files[i], UNPACK_BLOCK) != ARCHIVE_OK)
			ok = unpack_failed(a, files[i], NULL, error);
		else if (format == ARCHIVE_FORMAT_AR)
			ok = unpack_deb(a, files[i], dest, error);
		else
			ok = unpack_extract(a, files[i], dest, error);
		archive_read_free(a);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

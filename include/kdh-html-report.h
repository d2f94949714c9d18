/* The night's report for people: one self-contained HTML page (inline CSS and
 * SVG, no scripts, nothing fetched) drawn from a night (kdh-night.h). Built as
 * a libxml2 tree, so that no detail, case id or path can change the document's
 * structure. Pure except kdh_html_report_write().
 *
 * Links to runs are night.json's "dir"s as they stand, relative to the
 * directory of night.json: the page belongs beside it. */
#ifndef KDH_HTML_REPORT_H
#define KDH_HTML_REPORT_H

#include <libxml/HTMLtree.h>
#include "kdh-night.h"

/* The page for NIGHT: a header (night, matrix, shards, start and finish,
 * totals), the comparison with the previous night when there is one, the
 * matrix as a grid of status cells (rows: a case's axes but the kernel;
 * columns: kernels), the trend over "history", then per case its status,
 * failure reasons, panicking CPUs, its runs' results by panic CPU (the case's
 * cross table, the VMBus connect CPU said where known), a timeline of each
 * run's stages and links to each run's directory, summary and logs. What the night does not say (a
 * night without cases, a name, a history) is shown as such, never an error: the
 * page is how people find out what went wrong. Returns a new document (free
 * with xmlFreeDoc()). Does not log. */
xmlDocPtr kdh_html_report(const struct kdh_night *night);

/* Write the page for NIGHT to PATH as UTF-8 HTML, replacing it atomically.
 * Returns FALSE with ERROR set when it cannot be written. Does not log. */
gboolean kdh_html_report_write(const struct kdh_night *night, const char *path,
			       GError **error);

#endif

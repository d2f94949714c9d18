/* The night's HTML report. Everything is drawn from the night (a night.json
 * read and checked, or the night kdh nightly keeps) and nothing else: the page
 * must say the same as the JSON that machines read, so it counts nothing that
 * the night did not count itself, except totals over cases. */
#include <stdarg.h>
#include <string.h>

#include "kdh-evidence.h"
#include "kdh-html-report.h"
#include "kdh-night.h"
#include "kdh-tally.h"
#include "kdh-xml.h"

/* Seconds or counts with a point whatever the locale: SVG coordinates need it,
 * and the text should read the same. */
static char *num(double v, const char *format)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	return g_strdup(g_ascii_formatd(buf, sizeof(buf), format, v));
}

/* ---- the tree ---- */

static xmlNodePtr el_class(xmlNodePtr parent, const char *name, const char *class, const char *text)
{
	xmlNodePtr n = kdh_xml_child(parent, name, text);

	kdh_xml_attr(n, "class", class);
	return n;
}

static void text(xmlNodePtr parent, const char *s)
{
	g_autofree char *clean = kdh_xml_text(s);

	xmlAddChild(parent, xmlNewText(BAD_CAST clean));
}

static void G_GNUC_PRINTF(2, 3) textf(xmlNodePtr parent, const char *format, ...)
{
	g_autofree char *s = NULL;
	va_list ap;

	va_start(ap, format);
	s = g_strdup_vprintf(format, ap);
	va_end(ap);
	text(parent, s);
}

static xmlNodePtr el_link(xmlNodePtr parent, const char *href, const char *s)
{
	xmlNodePtr a = kdh_xml_child(parent, "a", s);

	kdh_xml_attr(a, "href", href);
	return a;
}

/* Coordinates and lengths in SVG: two decimals are finer than a pixel. */
static void attr_num(xmlNodePtr node, const char *name, double v)
{
	g_autofree char *s = num(v, "%.2f");

	kdh_xml_attr(node, name, s);
}

/* SVG rectangles and text, with the colour as an attribute as well as any
 * class: the drawing must not depend on the page's style sheet. */
static xmlNodePtr svg_rect(xmlNodePtr parent, const char *class, double x, double y, double w,
			   double h, const char *fill)
{
	xmlNodePtr r = kdh_xml_child(parent, "rect", NULL);

	if (class)
		kdh_xml_attr(r, "class", class);
	attr_num(r, "x", x);
	attr_num(r, "y", y);
	attr_num(r, "width", w);
	attr_num(r, "height", h);
	kdh_xml_attr(r, "fill", fill);
	return r;
}

static xmlNodePtr svg_text(xmlNodePtr parent, double x, double y, const char *anchor, const char *s)
{
	xmlNodePtr t = kdh_xml_child(parent, "text", s);

	attr_num(t, "x", x);
	attr_num(t, "y", y);
	kdh_xml_attr(t, "text-anchor", anchor);
	return t;
}

static xmlNodePtr svg_new(xmlNodePtr parent, const char *class, double w, double h,
			  const char *label)
{
	xmlNodePtr svg = kdh_xml_child(parent, "svg", NULL);
	g_autofree char *sw = num(w, "%.0f"), *sh = num(h, "%.0f");
	g_autofree char *box = g_strdup_printf("0 0 %s %s", sw, sh);

	kdh_xml_attr(svg, "xmlns", "http://www.w3.org/2000/svg");
	kdh_xml_attr(svg, "class", class);
	kdh_xml_attr(svg, "width", sw);
	kdh_xml_attr(svg, "height", sh);
	kdh_xml_attr(svg, "viewBox", box);
	kdh_xml_attr(svg, "role", "img");
	kdh_xml_attr(svg, "aria-label", label);
	return svg;
}

/* The step of an axis from 0 to MAX with at most about TICKS ticks: 1, 2 or 5
 * times a power of ten, from MIN_STEP up (1 for counts). */
static double axis_step(double max, int ticks, double min_step)
{
	static const double mult[] = { 1, 2, 5 };

	for (double base = min_step;; base *= 10)
		for (gsize i = 0; i < G_N_ELEMENTS(mult); i++)
			if (max / (base * mult[i]) <= ticks)
				return base * mult[i];
}

/* A row of colour swatches with names: what the colours of a drawing mean. */
static void legend(xmlNodePtr parent, const char *const *names, const char *const *fills, gsize n)
{
	xmlNodePtr ul = el_class(parent, "ul", "legend", NULL);

	for (gsize i = 0; i < n; i++) {
		xmlNodePtr li = kdh_xml_child(ul, "li", NULL);
		g_autofree char *style = g_strdup_printf("background:%s", fills[i]);

		kdh_xml_attr(el_class(li, "span", "swatch", NULL), "style", style);
		text(li, names[i]);
	}
}

/* ---- statuses ---- */

/* A case's status (kdh-night.h; a run's result is one of them) in colours
 * strong enough to tell apart on white in the trend's bars, where no word fits. */
static const char *const status_fills[] = {
	[KDH_NIGHT_PASS] = "#2da44e",  [KDH_NIGHT_FAIL] = "#cf222e",
	[KDH_NIGHT_FLAKY] = "#d4a72c", [KDH_NIGHT_SKIP] = "#8c959f",
	[KDH_NIGHT_ERROR] = "#8250df", [KDH_NIGHT_PENDING] = "#54aeff",
};
G_STATIC_ASSERT(G_N_ELEMENTS(status_fills) == KDH_NIGHT__COUNT);

/* "status-<s>" for STATUS: the class is the style sheet's business and must
 * not take words from the input. */
static void status_class(xmlNodePtr node, const char *base, enum kdh_night_status status)
{
	const char *known = kdh_night_status_name(status) ?: "unknown";
	g_autofree char *class = NULL;

	class = g_strdup_printf("%s%sstatus-%s", base ? base : "", base ? " " : "", known);
	kdh_xml_attr(node, "class", class);
}

/* The status word in its colours: the word, so that colour is never all it says. */
static void badge(xmlNodePtr parent, enum kdh_night_status status)
{
	status_class(kdh_xml_child(parent, "span", kdh_night_status_name(status) ?: "unknown"),
		     "badge", status);
}

/* ---- stages ---- */

/* The run's stages in night.json, then the vmcore's download and analysis. */
#define STAGES (KDH_STAGE__COUNT + 1)
/* Tableau 10: ten hues that stay distinct side by side; black text reads on each. */
static const char *const stage_fills[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
					   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };
G_STATIC_ASSERT(G_N_ELEMENTS(stage_fills) == STAGES);

G_STATIC_ASSERT(STAGES == KDH_NIGHT_SECONDS);

static const char *stage_name(int s)
{
	return s < KDH_STAGE__COUNT ? kdh_stage_name(s) : "analysis";
}

static double run_total(const struct kdh_night_run *run)
{
	double total = 0;

	for (int s = 0; s < STAGES; s++)
		total += MAX(run->stages[s], 0);
	return total;
}

/* ---- the page ---- */

/* What the sections share. */
struct page {
	const struct kdh_night *night;
	GPtrArray *cases;	/* struct kdh_night_case*, the matrix's order */
	GHashTable *index;	/* case id -> its index in cases + 1 */
	double max_run_seconds; /* the timelines' common scale */
};

static const char css[] =
    "body{font:14px/1.45 system-ui,'Segoe UI',Roboto,sans-serif;color:#1f2328;"
    "background:#fff;margin:24px auto;max-width:1320px;padding:0 16px}"
    "h1{font-size:22px;margin:0 0 8px}"
    "h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}"
    "h3{font-size:15px;margin:14px 0 6px}"
    "h4{font-size:14px;margin:12px 0 4px}"
    "table{border-collapse:collapse}"
    "th,td{padding:3px 8px;text-align:left;vertical-align:top}"
    "code,.detail{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12.5px}"
    ".facts th{color:#57606a;font-weight:normal;padding-left:0}"
    ".grid th,.grid td{border:1px solid #d0d7de}"
    ".grid thead th{background:#f6f8fa}"
    ".grid td.cell{text-align:center;min-width:150px;padding:0}"
    ".grid td.cell a{display:block;padding:6px 10px;color:inherit;text-decoration:none}"
    ".grid td.cell a:hover{text-decoration:underline}"
    ".grid td.none{color:#8c959f;text-align:center}"
    ".word{font-weight:600}"
    ".status-pass{background:#dafbe1;color:#0f5323}"
    ".status-fail{background:#ffebe9;color:#82071e}"
    ".status-flaky{background:#fff8c5;color:#633c01}"
    ".status-skip{background:#eaeef2;color:#32383f}"
    ".status-error{background:#fbefff;color:#512a97}"
    ".status-pending{background:#ddf4ff;color:#0a3069}"
    ".status-unknown{background:#fff;color:#1f2328}"
    ".badge{display:inline-block;padding:0 6px;border-radius:4px;font-weight:600;"
    "border:1px solid currentColor;margin-right:4px}"
    ".case{border-top:1px solid #d0d7de;margin-top:24px}"
    ".case:first-of-type{border-top:none}"
    ".runs th,.runs td{border-bottom:1px solid #eaeef2}"
    ".detail{white-space:pre-wrap;min-width:320px;max-width:560px}"
    ".runs td:not(.detail){white-space:nowrap}"
    ".logs a{display:block;white-space:nowrap}"
    ".cpus td,.cpus th{border:1px solid #d0d7de;text-align:center;min-width:28px}"
    ".cpus td.nonboot{font-weight:600}"
    ".cpus .bar{display:block;height:6px;background:#0969da;margin-top:2px}"
    ".by-cpu td,.by-cpu th{border:1px solid #d0d7de;text-align:center;min-width:28px}"
    ".by-cpu tbody th{text-align:left;white-space:nowrap}"
    ".by-cpu .connect,.by-cpu .other{display:block;font-weight:normal;font-size:12px}"
    ".by-cpu .connect{color:#0969da}.by-cpu .other{color:#57606a}"
    ".legend{display:flex;flex-wrap:wrap;gap:2px 16px;list-style:none;padding:0;"
    "margin:4px 0 8px;font-size:12.5px}"
    ".swatch{display:inline-block;width:12px;height:12px;border:1px solid #0004;"
    "vertical-align:-2px;margin-right:5px}"
    ".note{color:#57606a}"
    ".up{float:right;font-size:12px;font-weight:normal}"
    "svg{display:block;max-width:100%;height:auto}"
    "svg text{font:11px system-ui,sans-serif;fill:#1f2328}"
    "svg .current text{font-weight:bold}";

static char *page_title(const struct kdh_night *night)
{
	return g_strdup_printf("kdh night %s", night->night ? night->night : "(unnamed)");
}

static void page_head(xmlNodePtr html, const struct kdh_night *night)
{
	xmlNodePtr head = kdh_xml_child(html, "head", NULL);
	g_autofree char *title = page_title(night);

	kdh_xml_child(head, "title", title);
	kdh_xml_child(head, "style", css);
}

/* How many cases have each status, as badges: "2 pass 1 flaky". */
static void status_counts(xmlNodePtr parent, GPtrArray *cases)
{
	guint counts[KDH_NIGHT__COUNT] = { 0 };

	for (guint i = 0; i < cases->len; i++)
		counts[((const struct kdh_night_case *)cases->pdata[i])->status]++;
	textf(parent, "%u: ", cases->len);
	for (gsize k = 0; k < KDH_NIGHT__COUNT; k++) {
		if (!counts[k])
			continue;
		textf(parent, "%u ", counts[k]);
		badge(parent, k);
	}
}

static xmlNodePtr fact(xmlNodePtr table, const char *name, const char *value)
{
	xmlNodePtr tr = kdh_xml_child(table, "tr", NULL);

	kdh_xml_child(tr, "th", name);
	return kdh_xml_child(tr, "td", value);
}

static void page_header(xmlNodePtr body, struct page *p)
{
	xmlNodePtr header = kdh_xml_child(body, "header", NULL);
	const char *finished = p->night->finished;
	const struct kdh_night_comparison *cmp = p->night->comparison;
	g_autoptr(GPtrArray) shards = g_ptr_array_new();
	g_autofree char *title = page_title(p->night);
	g_autofree char *shard_text = NULL;
	gint64 runs[4] = { 0 };
	xmlNodePtr table, td;

	kdh_xml_child(header, "h1", title);
	table = el_class(header, "table", "facts", NULL);
	fact(table, "matrix", p->night->matrix);
	for (guint i = 0; p->night->shards && i < p->night->shards->len; i++)
		g_ptr_array_add(shards, p->night->shards->pdata[i]);
	g_ptr_array_add(shards, NULL);
	shard_text = g_strjoinv(", ", (char **)shards->pdata);
	fact(table, "shards", shard_text);
	fact(table, "started", p->night->started);
	fact(table, "finished", finished ? finished : "not yet: the night is still running");
	status_counts(fact(table, "cases", NULL), p->cases);
	for (guint i = 0; i < p->cases->len; i++) {
		const struct kdh_night_case *c = p->cases->pdata[i];

		runs[0] += c->passed;
		runs[1] += c->failed;
		runs[2] += c->skipped;
		runs[3] += c->errors;
	}
	textf(fact(table, "runs", NULL),
	      "%" G_GINT64_FORMAT " passed, %" G_GINT64_FORMAT " failed, %" G_GINT64_FORMAT
	      " skipped, %" G_GINT64_FORMAT " errors",
	      runs[0], runs[1], runs[2], runs[3]);
	td = fact(table, "compared with", NULL);
	if (cmp) {
		textf(td, "night %s: ", cmp->against ?: "?");
		el_link(td, "#comparison", "what changed");
	} else {
		text(td, "no earlier night");
	}
	td = fact(table, "for machines", NULL);
	el_link(td, "night.json", "night.json");
	text(td, " (the same data; the links here are relative to its directory)");
}

static char *secs(double v)
{
	g_autofree char *n = num(v, "%.1f");

	return g_strconcat(n, " s", NULL);
}

static char *case_anchor(guint i)
{
	return g_strdup_printf("case-%u", i + 1);
}

/* A case by its id, linked to its section with its status when the night has it. */
static void case_ref(xmlNodePtr parent, struct page *p, const char *id)
{
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(p->index, id));
	g_autofree char *anchor = NULL, *href = NULL;

	if (!i) {
		kdh_xml_child(parent, "code", id);
		return;
	}
	badge(parent, ((const struct kdh_night_case *)p->cases->pdata[i - 1])->status);
	anchor = case_anchor(i - 1);
	href = g_strconcat("#", anchor, NULL);
	kdh_xml_child(el_link(parent, href, NULL), "code", id);
}

static void comparison_list(xmlNodePtr sec, struct page *p, GPtrArray *ids, const char *title)
{
	g_autofree char *heading = g_strdup_printf("%s (%u)", title, ids->len);
	xmlNodePtr ul;

	kdh_xml_child(sec, "h3", heading);
	if (!ids->len) {
		el_class(sec, "p", "note", "none");
		return;
	}
	ul = kdh_xml_child(sec, "ul", NULL);
	for (guint i = 0; i < ids->len; i++)
		case_ref(kdh_xml_child(ul, "li", NULL), p, ids->pdata[i]);
}

static void page_comparison(xmlNodePtr body, struct page *p)
{
	const struct kdh_night_comparison *cmp = p->night->comparison;
	GPtrArray *slower = cmp ? cmp->slower : NULL;
	g_autofree char *title = NULL, *heading = NULL;
	xmlNodePtr sec, tr, table;

	if (!cmp)
		return;
	sec = kdh_xml_child(body, "section", NULL);
	kdh_xml_attr(sec, "id", "comparison");
	title = g_strdup_printf("Since night %s", cmp->against ?: "?");
	kdh_xml_child(sec, "h2", title);
	comparison_list(sec, p, cmp->new_failures,
			"New failures: failing or flaky now, passing then");
	comparison_list(sec, p, cmp->fixed, "Fixed: passing now, failing or flaky then");
	heading = g_strdup_printf("Stages notably slower (%u)", slower->len);
	kdh_xml_child(sec, "h3", heading);
	if (!slower->len) {
		el_class(sec, "p", "note", "none");
		return;
	}
	table = el_class(sec, "table", "runs slower", NULL);
	tr = kdh_xml_child(kdh_xml_child(table, "thead", NULL), "tr", NULL);
	for (const char *const *h =
		 (const char *const[]){ "case", "stage", "then", "now", "change", NULL };
	     *h; h++)
		kdh_xml_child(tr, "th", *h);
	table = kdh_xml_child(table, "tbody", NULL);
	for (guint i = 0; i < slower->len; i++) {
		const struct kdh_night_slower *s = slower->pdata[i];
		double before = s->before, after = s->after;
		g_autofree char *b = secs(before), *a = secs(after), *d = secs(after - before);

		tr = kdh_xml_child(table, "tr", NULL);
		case_ref(kdh_xml_child(tr, "td", NULL), p, s->case_id ?: "?");
		kdh_xml_child(kdh_xml_child(tr, "td", NULL), "code", s->stage);
		kdh_xml_child(tr, "td", b);
		kdh_xml_child(tr, "td", a);
		if (before > 0)
			textf(kdh_xml_child(tr, "td", NULL), "+%s (%+.0f%%)", d,
			      100 * (after - before) / before);
		else
			textf(kdh_xml_child(tr, "td", NULL), "+%s", d);
	}
}

/* A case's axis value (night.json's "axes"), NULL if missing. */
static char *axis_text(const struct kdh_night_case *c, enum kdh_axis axis)
{
	return g_strdup(c->axes[axis]);
}

/* A case's axes as the report names them, in their order. The kernel is the
 * grid's column. */
static const char *const axis_labels[] = {
	[KDH_AXIS_SCENARIO] = "scenario",	  [KDH_AXIS_KERNEL] = "kernel",
	[KDH_AXIS_PLATFORM] = "platform",	  [KDH_AXIS_VCPUS] = "vCPUs",
	[KDH_AXIS_MEMORY] = "memory (MiB)",	  [KDH_AXIS_CRASHKERNEL] = "crashkernel",
	[KDH_AXIS_KEXEC] = "kexec",
};
G_STATIC_ASSERT(G_N_ELEMENTS(axis_labels) == KDH_AXIS__COUNT);

/* The grid's row of case C: its axes but the kernel, one string. */
static char *grid_row_key(const struct kdh_night_case *c)
{
	GString *key = g_string_new(NULL);

	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		if (a != KDH_AXIS_KERNEL)
			g_string_append_printf(key, "%s\x1f", c->axes[a] ? c->axes[a] : "");
	return g_string_free(key, FALSE);
}

static void grid_cell(xmlNodePtr tr, struct page *p, guint i)
{
	const struct kdh_night_case *c = p->cases->pdata[i];
	xmlNodePtr td = kdh_xml_child(tr, "td", NULL), a;
	g_autofree char *anchor = case_anchor(i), *href = g_strconcat("#", anchor, NULL);

	status_class(td, "cell", c->status);
	kdh_xml_attr(td, "title", c->id ?: "?");
	a = el_link(td, href, NULL);
	el_class(a, "span", "word", kdh_night_status_name(c->status) ?: "unknown");
	kdh_xml_child(a, "br", NULL);
	textf(el_class(a, "span", "count", NULL), "%d/%d passed", c->passed, c->repeat);
}

/* The matrix: a row per combination of the axes but the kernel, a column per
 * kernel, both in the matrix's order. Axes that are the same for every case
 * are said once above the grid, not repeated in every row. */
static void page_grid(xmlNodePtr body, struct page *p)
{
	g_autoptr(GPtrArray) kernels = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) row_cases = g_ptr_array_new(); /* a case of each row */
	/* "<row>\n<kernel>" -> case index + 1; the first case wins a clash */
	g_autoptr(GHashTable) cells = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gboolean shown[KDH_AXIS__COUNT] = { TRUE }; /* the scenario, always */
	g_autoptr(GString) same = g_string_new(NULL);
	xmlNodePtr sec = kdh_xml_child(body, "section", NULL), table, tr, tbody;

	kdh_xml_attr(sec, "id", "matrix");
	kdh_xml_child(sec, "h2", "Matrix");
	for (guint i = 0; i < p->cases->len; i++) {
		g_autofree char *kernel = axis_text(p->cases->pdata[i], KDH_AXIS_KERNEL);
		g_autofree char *row = grid_row_key(p->cases->pdata[i]);
		char *cell;

		if (!kernel)
			kernel = g_strdup("?");
		if (!g_ptr_array_find_with_equal_func(kernels, kernel, g_str_equal, NULL))
			g_ptr_array_add(kernels, g_strdup(kernel));
		if (!g_ptr_array_find_with_equal_func(rows, row, g_str_equal, NULL)) {
			g_ptr_array_add(rows, g_strdup(row));
			g_ptr_array_add(row_cases, p->cases->pdata[i]);
		}
		cell = g_strconcat(row, "\n", kernel, NULL);
		if (g_hash_table_contains(cells, cell))
			g_free(cell);
		else
			g_hash_table_insert(cells, cell, GUINT_TO_POINTER(i + 1));
	}
	if (!p->cases->len) {
		el_class(sec, "p", "note", "No cases.");
		return;
	}
	for (int a = 1; a < KDH_AXIS__COUNT; a++) {
		g_autofree char *first = axis_text(p->cases->pdata[0], a);

		for (guint i = 1; i < p->cases->len && !shown[a]; i++) {
			g_autofree char *v = axis_text(p->cases->pdata[i], a);

			shown[a] = g_strcmp0(first, v) != 0;
		}
		if (!shown[a] && a != KDH_AXIS_KERNEL)
			g_string_append_printf(same, "%s%s %s", same->len ? ", " : "",
					       axis_labels[a], first ? first : "?");
	}
	if (same->len)
		textf(el_class(sec, "p", "note", NULL), "Every case: %s.", same->str);
	table = el_class(sec, "table", "grid", NULL);
	tr = kdh_xml_child(kdh_xml_child(table, "thead", NULL), "tr", NULL);
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		if (shown[a] && a != KDH_AXIS_KERNEL)
			kdh_xml_child(tr, "th", axis_labels[a]);
	for (guint k = 0; k < kernels->len; k++)
		kdh_xml_attr(kdh_xml_child(tr, "th", kernels->pdata[k]), "class", "kernel");
	tbody = kdh_xml_child(table, "tbody", NULL);
	for (guint r = 0; r < rows->len; r++) {
		tr = kdh_xml_child(tbody, "tr", NULL);
		for (int a = 0; a < KDH_AXIS__COUNT; a++) {
			g_autofree char *v = axis_text(row_cases->pdata[r], a);

			if (shown[a] && a != KDH_AXIS_KERNEL)
				kdh_xml_child(tr, "th", v ? v : "?");
		}
		for (guint k = 0; k < kernels->len; k++) {
			g_autofree char *cell =
			    g_strconcat(rows->pdata[r], "\n", kernels->pdata[k], NULL);
			guint i = GPOINTER_TO_UINT(g_hash_table_lookup(cells, cell));

			if (i)
				grid_cell(tr, p, i - 1);
			else
				kdh_xml_attr(kdh_xml_child(tr, "td", "not in the matrix"), "class",
					     "none");
		}
	}
	el_class(sec, "p", "note",
		 "Each cell: the case's status, and how many of the runs asked for passed. "
		 "It links to the case below.");
}

/* The top of an axis from 0 that holds MAX, in whole STEPs. */
static double axis_top(double max, double step)
{
	double top = step;

	while (top < max - step / 1000)
		top += step;
	return top;
}

/* Stacked bars of cases per status, a bar per night, this one last. */
static void page_trend(xmlNodePtr body, struct page *p)
{
	/* Room on the left for the first night's slanted label. */
	const double left = 72, top_margin = 22, plot_h = 160, bar_w = 34, gap = 26, bottom = 96;
	GPtrArray *nights = p->night->history;
	const char *current = p->night->night;
	xmlNodePtr sec = kdh_xml_child(body, "section", NULL), svg;
	double max = 1, step, top, scale, width;
	const char *names[KDH_NIGHT__COUNT];

	kdh_xml_attr(sec, "id", "trend");
	kdh_xml_child(sec, "h2", "Trend over nights");
	if (!nights->len) {
		el_class(sec, "p", "note", "No history: no earlier night of this matrix.");
		return;
	}
	for (guint i = 0; i < nights->len; i++) {
		gint64 total = 0;

		for (gsize k = 0; k < KDH_NIGHT_PENDING; k++)
			total += MAX(((const struct kdh_night_history *)nights->pdata[i])->counts[k], 0);
		max = MAX(max, total);
	}
	step = axis_step(max, 5, 1);
	top = axis_top(max, step);
	scale = plot_h / top;
	width = left + nights->len * (bar_w + gap) + gap;
	svg =
	    svg_new(sec, "trend", width, top_margin + plot_h + bottom, "cases per night by status");
	for (double v = 0; v <= top + step / 1000; v += step) {
		double y = top_margin + plot_h - v * scale;
		xmlNodePtr line = kdh_xml_child(svg, "line", NULL);
		g_autofree char *label = num(v, "%.0f");

		attr_num(line, "x1", left);
		attr_num(line, "x2", width);
		attr_num(line, "y1", y);
		attr_num(line, "y2", y);
		kdh_xml_attr(line, "stroke", "#d0d7de");
		svg_text(svg, left - 6, y + 4, "end", label);
	}
	for (guint i = 0; i < nights->len; i++) {
		const struct kdh_night_history *h = nights->pdata[i];
		const char *id = h->night ?: "?";
		double x = left + gap / 2 + i * (bar_w + gap), y = top_margin + plot_h;
		gint64 total = 0;
		const double lx = x + bar_w / 2 + 4, ly = top_margin + plot_h + 14;
		g_autofree char *cx = num(lx, "%.2f"), *cy = num(ly, "%.2f");
		g_autofree char *rotate = g_strdup_printf("rotate(-40 %s %s)", cx, cy);
		g_autofree char *above = NULL;
		xmlNodePtr g = el_class(svg, "g",
					g_strcmp0(id, current) ? "night" : "night current", NULL),
			   t;

		/* history counts no pending case: a night is history once it has finished */
		for (gsize k = 0; k < KDH_NIGHT_PENDING; k++) {
			gint64 n = h->counts[k];
			g_autofree char *class = g_strdup_printf("seg status-%s", kdh_night_status_name(k));
			g_autofree char *tip =
			    g_strdup_printf("%s: %" G_GINT64_FORMAT " %s", id, n, kdh_night_status_name(k));

			if (n <= 0)
				continue;
			total += n;
			y -= n * scale;
			kdh_xml_child(svg_rect(g, class, x, y, bar_w, n * scale, status_fills[k]),
				      "title", tip);
		}
		above = g_strdup_printf("%d/%" G_GINT64_FORMAT, h->counts[KDH_NIGHT_PASS], total);
		svg_text(g, x + bar_w / 2, y - 5, "middle", above);
		t = svg_text(g, lx, ly, "end", id);
		kdh_xml_attr(t, "transform", rotate);
	}
	/* History counts no pending case: a night is history once it has finished. */
	for (int k = 0; k < KDH_NIGHT__COUNT; k++)
		names[k] = kdh_night_status_name(k);
	legend(sec, names, status_fills, KDH_NIGHT__COUNT - 1);
	el_class(sec, "p", "note",
		 "Cases per night by status; above each bar: cases passed / cases. "
		 "The bold night is this one.");
}

static void case_panic_cpus(xmlNodePtr sec, const struct kdh_night_case *c)
{
	g_autoptr(GArray) counts = g_array_new(FALSE, TRUE, sizeof(double)); /* by CPU */
	double total = 0, nonboot = 0, most = 0;
	/* A CPU number as the kernel prints it; KVM allows 4096 vCPUs at most. */
	const char *vcpus_text = c->axes[KDH_AXIS_VCPUS];
	const gint64 max_cpus = 4096,
		     vcpus = CLAMP(vcpus_text ? g_ascii_strtoll(vcpus_text, NULL, 10) : 0, 0, max_cpus);
	xmlNodePtr table, cpu_row, count_row;

	/* the names are CPU numbers: checked when the night was read */
	for (guint k = 0; k < c->panic_cpus->len; k++) {
		const struct kdh_night_count *pc = c->panic_cpus->pdata[k];
		gint64 cpu = g_ascii_strtoll(pc->name, NULL, 10);
		double n = pc->count;

		if (cpu < 0 || cpu >= max_cpus)
			continue;
		if (counts->len <= cpu)
			g_array_set_size(counts, cpu + 1);
		g_array_index(counts, double, cpu) += n;
		total += n;
		nonboot += cpu > 0 ? n : 0;
		most = MAX(most, g_array_index(counts, double, cpu));
	}
	kdh_xml_child(sec, "h4", "Panicking CPU");
	if (total <= 0) {
		el_class(sec, "p", "note", "Not known for any run: no vmcore log was read.");
		return;
	}
	/* Every vCPU, the ones that never panicked too: those are the news. */
	if (counts->len < vcpus)
		g_array_set_size(counts, vcpus);
	table = el_class(sec, "table", "cpus", NULL);
	cpu_row = kdh_xml_child(table, "tr", NULL);
	count_row = kdh_xml_child(table, "tr", NULL);
	kdh_xml_child(cpu_row, "th", "CPU");
	kdh_xml_child(count_row, "th", "runs");
	for (guint cpu = 0; cpu < counts->len; cpu++) {
		double n = g_array_index(counts, double, cpu);
		g_autofree char *label = g_strdup_printf("%u", cpu), *count = num(n, "%.0f");
		g_autofree char *style = g_strdup_printf("width:%upx", (guint)(32 * n / most));
		xmlNodePtr td = kdh_xml_child(count_row, "td", count);

		kdh_xml_child(cpu_row, "th", label);
		if (cpu > 0)
			kdh_xml_attr(td, "class", "nonboot");
		if (n > 0)
			kdh_xml_attr(el_class(td, "span", "bar", NULL), "style", style);
	}
	if (nonboot > 0)
		textf(el_class(sec, "p", "note", NULL),
		      "A CPU other than the boot CPU (0) panicked in %.0f of the %.0f runs whose "
		      "vmcore told.",
		      nonboot, total);
	else
		textf(el_class(sec, "p", "note", NULL),
		      "Every panic (%.0f) was on the boot CPU (0): no run covered a panic on "
		      "another CPU.",
		      total);
}

/* Whether outcome A has B's result and reason. */
static gboolean same_outcome(gconstpointer a, gconstpointer b)
{
	const struct kdh_tally_outcome *x = a, *y = b;

	return g_str_equal(x->result, y->result) && g_str_equal(x->reason, y->reason);
}

/* The night's cross table of the case's runs (tally.c's, as night.json has it):
 * a row per panic CPU, the VMBus connect CPU said where known, a column per
 * result and reason, so that a failure that follows the CPU shows at once. */
static void case_by_panic_cpu(xmlNodePtr sec, const struct kdh_night_case *c)
{
	static const char *const connect_words[] = { "not the VMBus connect CPU",
						     "the VMBus connect CPU" };
	GPtrArray *rows = c->by_panic_cpu->rows;
	g_autoptr(GPtrArray) columns = g_ptr_array_new(); /* struct kdh_tally_outcome*, first seen */
	gboolean unknown = FALSE;
	xmlNodePtr table, tr;

	if (!rows->len)
		return;
	for (guint i = 0; i < rows->len; i++) {
		const struct kdh_tally_row *row = rows->pdata[i];

		for (guint k = 0; k < row->outcomes->len; k++)
			if (!g_ptr_array_find_with_equal_func(columns, row->outcomes->pdata[k],
							      same_outcome, NULL))
				g_ptr_array_add(columns, row->outcomes->pdata[k]);
	}
	kdh_xml_child(sec, "h4", "Results by panicking CPU");
	table = el_class(sec, "table", "by-cpu", NULL);
	tr = kdh_xml_child(kdh_xml_child(table, "thead", NULL), "tr", NULL);
	kdh_xml_child(tr, "th", "panic CPU");
	for (guint k = 0; k < columns->len; k++) {
		const struct kdh_tally_outcome *col = columns->pdata[k];
		xmlNodePtr th = kdh_xml_child(tr, "th", NULL);

		badge(th, kdh_night_status_from_name(col->result));
		kdh_xml_child(th, "code", col->reason);
	}
	kdh_xml_child(tr, "th", "runs");
	table = kdh_xml_child(table, "tbody", NULL);
	for (guint i = 0; i < rows->len; i++) {
		const struct kdh_tally_row *row = rows->pdata[i];
		g_autofree char *runs = g_strdup_printf("%d", row->runs);
		xmlNodePtr th;

		tr = kdh_xml_child(table, "tr", NULL);
		th = kdh_xml_child(tr, "th", NULL);
		if (row->cpu < 0)
			text(th, "unknown");
		else
			textf(th, "%d", row->cpu);
		if (row->connect >= 0) {
			text(th, " ");
			el_class(th, "span", row->connect ? "connect" : "other",
				 connect_words[row->connect]);
		}
		unknown |= row->cpu < 0;
		for (guint k = 0; k < columns->len; k++) {
			const struct kdh_tally_outcome *col = columns->pdata[k];
			guint at;
			xmlNodePtr td = kdh_xml_child(tr, "td", NULL);

			if (!g_ptr_array_find_with_equal_func(row->outcomes, col, same_outcome, &at))
				continue;
			textf(td, "%d", ((const struct kdh_tally_outcome *)row->outcomes->pdata[at])->runs);
			status_class(td, NULL, kdh_night_status_from_name(col->result));
		}
		kdh_xml_child(tr, "td", runs);
	}
	if (unknown)
		el_class(sec, "p", "note",
			 "unknown: runs whose panic CPU no vmcore log told (none was read, or it "
			 "named no CPU).");
}

static void case_medians(xmlNodePtr sec, const struct kdh_night_case *c)
{
	g_autoptr(GString) line = g_string_new(NULL);

	for (int s = 0; s < STAGES; s++) {
		g_autofree char *n = NULL;

		if (c->medians[s] < 0)
			continue;
		n = num(c->medians[s], "%.2f");
		g_string_append_printf(line, "%s%s %s", line->len ? " · " : "", stage_name(s), n);
	}
	if (line->len)
		textf(el_class(sec, "p", "note", NULL), "Median seconds per stage: %s.", line->str);
}

/* The timelines' layout, in pixels. */
#define TL_LABEL 56.0 /* "run N" */
#define TL_PLOT	 800.0
#define TL_END	 300.0 /* what follows a bar: the result, the reason */
#define TL_BAR	 20.0
#define TL_GAP	 8.0
#define TL_AXIS	 22.0

/* One run's bar at Y: a segment per stage reached, in order, each as long as
 * the stage took (seconds from the previous stage's end). */
static void timeline_run(xmlNodePtr svg, const struct kdh_night_run *run, double y,
			 double scale)
{
	const double *st = run->stages;
	double at = 0;
	int last = -1;
	const char *result = kdh_night_status_name(run->result), *reason = run->reason;
	g_autofree char *label = g_strdup_printf("run %d", run->repeat);
	g_autoptr(GString) end = g_string_new(result ? result : "unknown");
	g_autofree char *total = NULL;
	xmlNodePtr g = el_class(svg, "g", "run", NULL);

	svg_text(g, TL_LABEL - 8, y + TL_BAR * 0.7, "end", label);
	for (int s = 0; s < STAGES; s++) {
		const char *name = stage_name(s);
		double x = TL_LABEL + at * scale, w = st[s] * scale;
		g_autofree char *class = g_strdup_printf("stage stage-%s", name);
		g_autofree char *len = NULL, *sum = NULL, *tip = NULL;

		if (st[s] < 0)
			continue;
		at += st[s];
		last = s < KDH_STAGE__COUNT ? s : last;
		len = secs(st[s]);
		sum = secs(at);
		tip = g_strdup_printf("%s: %s (%s from the start)", name, len, sum);
		kdh_xml_child(svg_rect(g, class, x, y, w, TL_BAR, stage_fills[s]), "title", tip);
		/* A name only where it fits: 11px text is about 6.2px a letter. */
		if (w >= strlen(name) * 6.2 + 6)
			svg_text(g, x + w / 2, y + TL_BAR * 0.7, "middle", name);
	}
	if (reason && g_strcmp0(reason, "ok") != 0)
		g_string_append_printf(end, ": %s", reason);
	total = secs(at);
	g_string_append_printf(end, " · %s", total);
	if (last < 0)
		g_string_append(end, " · no stage reached");
	else if (last < KDH_STAGE__COUNT - 1)
		g_string_append_printf(end, " · stopped after %s", stage_name(last));
	svg_text(g, TL_LABEL + at * scale + 6, y + TL_BAR * 0.7, "start", end->str);
}

static void case_timeline(xmlNodePtr sec, struct page *p, const struct kdh_night_case *c)
{
	GPtrArray *runs = c->runs;
	const char *names[STAGES];
	double step, top, scale, height;
	xmlNodePtr svg;

	kdh_xml_child(sec, "h4", "Stages of each run");
	if (!runs->len) {
		el_class(sec, "p", "note", "No run yet.");
		return;
	}
	/* One scale for the whole night, so that bars compare across cases. */
	step = axis_step(p->max_run_seconds, 10, 0.1);
	top = axis_top(p->max_run_seconds, step);
	scale = TL_PLOT / top;
	height = runs->len * (TL_BAR + TL_GAP) + TL_GAP + TL_AXIS;
	svg = svg_new(sec, "timeline", TL_LABEL + TL_PLOT + TL_END, height,
		      "seconds per stage of each run");
	for (double v = 0; v <= top + step / 1000; v += step) {
		double x = TL_LABEL + v * scale;
		xmlNodePtr line = kdh_xml_child(svg, "line", NULL);
		g_autofree char *label = secs(v);

		attr_num(line, "x1", x);
		attr_num(line, "x2", x);
		attr_num(line, "y1", 0);
		attr_num(line, "y2", height - TL_AXIS + 4);
		kdh_xml_attr(line, "stroke", "#d0d7de");
		svg_text(svg, x, height - 6, "middle", label);
	}
	for (guint j = 0; j < runs->len; j++)
		timeline_run(svg, runs->pdata[j], TL_GAP + j * (TL_BAR + TL_GAP), scale);
	for (int s = 0; s < STAGES; s++)
		names[s] = stage_name(s);
	legend(sec, names, stage_fills, STAGES);
}

/* What a run's directory holds (harness/drive/run.c, harness/cli/cmd-run.c), linked by
 * name: the page cannot look, and a missing file is itself news. */
static const char *const run_files[] = { "summary.json", "console-first.log", "console-capture.log",
					 "vmcore-dmesg.txt", "makedumpfile.log" };

static void case_runs(xmlNodePtr sec, const struct kdh_night_case *c)
{
	GPtrArray *runs = c->runs;
	xmlNodePtr table, tr;

	if (!runs->len)
		return;
	kdh_xml_child(sec, "h4", "Runs");
	table = el_class(sec, "table", "runs", NULL);
	tr = kdh_xml_child(kdh_xml_child(table, "thead", NULL), "tr", NULL);
	for (const char *const *h =
		 (const char *const[]){ "run", "result", "reason", "detail", "panic CPU", "started",
					"took", "host", "files", NULL };
	     *h; h++)
		kdh_xml_child(tr, "th", *h);
	table = kdh_xml_child(table, "tbody", NULL);
	for (guint j = 0; j < runs->len; j++) {
		const struct kdh_night_run *run = runs->pdata[j];
		const char *dir = run->dir;
		g_autofree char *repeat = g_strdup_printf("%d", run->repeat), *cpu_text = NULL,
				*took = NULL;
		xmlNodePtr files;

		tr = kdh_xml_child(table, "tr", NULL);
		kdh_xml_child(tr, "td", repeat);
		badge(kdh_xml_child(tr, "td", NULL), run->result);
		kdh_xml_child(kdh_xml_child(tr, "td", NULL), "code", run->reason);
		el_class(tr, "td", "detail", run->detail);
		if (run->panic_cpu >= 0)
			cpu_text = g_strdup_printf("%d", run->panic_cpu);
		kdh_xml_child(tr, "td", cpu_text ? cpu_text : "unknown");
		kdh_xml_child(tr, "td", run->started);
		if (run->seconds >= 0)
			took = secs(run->seconds);
		kdh_xml_child(tr, "td", took);
		kdh_xml_child(kdh_xml_child(tr, "td", NULL), "code", run->host);
		files = el_class(tr, "td", "logs", NULL);
		if (!dir)
			continue;
		{
			g_autofree char *href = g_str_has_suffix(dir, "/")
						    ? g_strdup(dir)
						    : g_strconcat(dir, "/", NULL);

			el_link(files, href, "directory");
		}
		for (gsize f = 0; f < G_N_ELEMENTS(run_files); f++) {
			g_autofree char *href = g_build_path("/", dir, run_files[f], NULL);

			el_link(files, href, run_files[f]);
		}
	}
}

static void case_section(xmlNodePtr parent, struct page *p, guint i)
{
	const struct kdh_night_case *c = p->cases->pdata[i];
	const int counts[] = { c->passed, c->failed, c->skipped, c->errors };
	static const char *const count_names[] = { "passed", "failed", "skipped", "errors" };
	g_autofree char *anchor = case_anchor(i);
	g_autoptr(GString) axes_text = g_string_new(NULL), counts_text = g_string_new(NULL);
	xmlNodePtr sec = el_class(parent, "section", "case", NULL), h;

	kdh_xml_attr(sec, "id", anchor);
	h = kdh_xml_child(sec, "h3", NULL);
	badge(h, c->status);
	kdh_xml_child(h, "code", c->id ?: "?");
	el_class(el_link(h, "#matrix", NULL), "span", "up", "back to the matrix");
	for (int a = 0; a < KDH_AXIS__COUNT; a++)
		g_string_append_printf(axes_text, "%s%s %s", a ? " · " : "", axis_labels[a],
				       c->axes[a] ? c->axes[a] : "?");
	el_class(sec, "p", "axes", axes_text->str);
	g_string_append_printf(counts_text, "%d runs asked for: ", c->repeat);
	for (gsize k = 0; k < G_N_ELEMENTS(counts); k++)
		g_string_append_printf(counts_text, "%s%d %s", k ? ", " : "", counts[k],
				       count_names[k]);
	kdh_xml_child(sec, "p", counts_text->str);
	if (c->reasons->len) {
		xmlNodePtr ul;

		kdh_xml_child(sec, "h4", "Why runs failed");
		ul = el_class(sec, "ul", "reasons", NULL);
		for (guint k = 0; k < c->reasons->len; k++) {
			const struct kdh_night_count *r = c->reasons->pdata[k];
			xmlNodePtr li = kdh_xml_child(ul, "li", NULL);

			kdh_xml_child(li, "code", r->name);
			textf(li, " × %d", r->count);
		}
	}
	case_panic_cpus(sec, c);
	case_by_panic_cpu(sec, c);
	case_timeline(sec, p, c);
	case_medians(sec, c);
	case_runs(sec, c);
}

static void page_cases(xmlNodePtr body, struct page *p)
{
	xmlNodePtr sec = kdh_xml_child(body, "section", NULL);

	kdh_xml_attr(sec, "id", "cases");
	kdh_xml_child(sec, "h2", "Cases");
	for (guint i = 0; i < p->cases->len; i++)
		case_section(sec, p, i);
}

xmlDocPtr kdh_html_report(const struct kdh_night *night)
{
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr html = xmlNewNode(NULL, BAD_CAST "html"), body;
	struct page p = { .night = night, .max_run_seconds = 1 };

	xmlDocSetRootElement(doc, html);
	/* <!DOCTYPE html>: standards mode, the only one the style sheet is written for. */
	xmlCreateIntSubset(doc, BAD_CAST "html", NULL, NULL);
	kdh_xml_attr(html, "lang", "en");
	page_head(html, night);
	htmlSetMetaEncoding(doc, BAD_CAST "UTF-8");
	p.cases = night->cases;
	p.index = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < p.cases->len; i++) {
		const struct kdh_night_case *c = p.cases->pdata[i];

		if (c->id && !g_hash_table_contains(p.index, c->id))
			g_hash_table_insert(p.index, c->id, GUINT_TO_POINTER(i + 1));
		for (guint j = 0; j < c->runs->len; j++)
			p.max_run_seconds = MAX(p.max_run_seconds, run_total(c->runs->pdata[j]));
	}
	body = kdh_xml_child(html, "body", NULL);
	page_header(body, &p);
	page_comparison(body, &p);
	page_grid(body, &p);
	page_trend(body, &p);
	page_cases(body, &p);
	g_hash_table_unref(p.index);
	return doc;
}

gboolean kdh_html_report_write(const struct kdh_night *night, const char *path,
			       GError **error)
{
	xmlDocPtr doc = kdh_html_report(night);
	xmlChar *buf = NULL;
	int len = 0;
	gboolean ok;

	htmlDocDumpMemoryFormat(doc, &buf, &len, 1);
	xmlFreeDoc(doc);
	if (!buf) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
			    "cannot write HTML report '%s': libxml2 could not serialize it", path);
		return FALSE;
	}
	ok = g_file_set_contents(path, (const char *)buf, len, error);
	xmlFree(buf);
	return ok;
}

/* Text for XML and HTML documents: see kdh-xml.h. */
#include <string.h>
#include <glib.h>

#include "kdh-xml.h"

char *kdh_xml_text(const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	GString *out = g_string_sized_new(strlen(valid));

	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
			c = 0xFFFD;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

xmlNodePtr kdh_xml_child(xmlNodePtr parent, const char *name, const char *text)
{
	g_autofree char *clean = text ? kdh_xml_text(text) : NULL;

	/* xmlNewTextChild escapes the text, unlike xmlNewChild. */
	return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST clean);
}

void kdh_xml_attr(xmlNodePtr node, const char *name, const char *value)
{
	g_autofree char *clean = kdh_xml_text(value);

	xmlSetProp(node, BAD_CAST name, BAD_CAST clean);
}

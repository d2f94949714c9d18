/* Text that an XML or HTML document can hold, whatever it came from, and the
 * libxml2 tree calls that put it there. Pure. */
#ifndef KDH_XML_H
#define KDH_XML_H

#include <libxml/tree.h>

/* TEXT with invalid UTF-8, control characters other than tab and line ends, and
 * the noncharacters U+FFFE and U+FFFF each replaced by U+FFFD. Details quote
 * console lines and paths come from the file system: a terminal's escapes and
 * broken bytes are possible, and libxml2 would write them into a file that no
 * parser reads back. Returns a new string. */
char *kdh_xml_text(const char *text);

/* A new element NAME, the last child of PARENT, holding TEXT (NULL: nothing)
 * as kdh_xml_text() cleans it; libxml2 escapes it when the document is written. */
xmlNodePtr kdh_xml_child(xmlNodePtr parent, const char *name, const char *text);

/* Attribute NAME of NODE set to VALUE as kdh_xml_text() cleans it. */
void kdh_xml_attr(xmlNodePtr node, const char *name, const char *value);

#endif

/* Text that an XML or HTML document can hold, whatever it came from. Pure. */
#ifndef KDH_XMLTEXT_H
#define KDH_XMLTEXT_H

/* TEXT with invalid UTF-8, control characters other than tab and line ends, and
 * the noncharacters U+FFFE and U+FFFF each replaced by U+FFFD. Details quote
 * console lines and paths come from the file system: a terminal's escapes and
 * broken bytes are possible, and libxml2 would write them into a file that no
 * parser reads back. Returns a new string. */
char *kdh_xml_text(const char *text);

#endif

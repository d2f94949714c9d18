/* JSON members: what the summaries of a live run and of foreign evidence both
 * write, so that the two read alike. */
#include "kdh-json.h"

void kdh_json_add_string(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

void kdh_json_add_int(JsonBuilder *b, const char *key, gint64 value, gint64 unreported)
{
	json_builder_set_member_name(b, key);
	if (value == unreported)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, value);
}

void kdh_json_add_strings(JsonBuilder *b, const char *key, GPtrArray *strings)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < strings->len; i++)
		json_builder_add_string_value(b, strings->pdata[i]);
	json_builder_end_array(b);
}

void kdh_json_add_seconds(JsonBuilder *b, const char *key, double seconds)
{
	json_builder_set_member_name(b, key);
	if (seconds < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_double_value(b, seconds);
}

void kdh_json_add_ints(JsonBuilder *b, const char *key, GArray *ints)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < ints->len; i++)
		json_builder_add_int_value(b, g_array_index(ints, int, i));
	json_builder_end_array(b);
}

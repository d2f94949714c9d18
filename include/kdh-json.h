/* Members of a JSON object being built, for every document kdh writes (a run's
 * summary.json and run.json, night.json, the foreign evidence's summary).
 * Pure; they do not log. */
#ifndef KDH_JSON_H
#define KDH_JSON_H

#include <json-glib/json-glib.h>

/* KEY with VALUE, or null for a NULL string; KEY with VALUE, or null when it
 * equals UNREPORTED (the in-memory sentinel: -1, -2); KEY with SECONDS, or null
 * when negative (a stage not reached); KEY with the ints of INTS (int), or the
 * strings of STRINGS (char*), as an array. */
void kdh_json_add_string(JsonBuilder *b, const char *key, const char *value);
void kdh_json_add_int(JsonBuilder *b, const char *key, gint64 value, gint64 unreported);
void kdh_json_add_seconds(JsonBuilder *b, const char *key, double seconds);
void kdh_json_add_ints(JsonBuilder *b, const char *key, GArray *ints);
void kdh_json_add_strings(JsonBuilder *b, const char *key, GPtrArray *strings);

#endif

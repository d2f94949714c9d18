/* Members of a JSON object being built, for every document kdh writes (a run's
 * summary.json, the foreign evidence's summary). Pure; they do not log. */
#ifndef KDH_JSON_H
#define KDH_JSON_H

#include <json-glib/json-glib.h>

/* KEY with VALUE, or null for a NULL string. */
void kdh_json_add_string(JsonBuilder *b, const char *key, const char *value);
/* KEY with the ints of INTS (int) as an array. */
void kdh_json_add_ints(JsonBuilder *b, const char *key, GArray *ints);

#endif

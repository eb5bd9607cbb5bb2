/* core/, pure: includes only core/ (and cJSON).
 *
 * Small helpers over cJSON documents from outside: paths into objects and
 * the scalar values found there, each bounded and validated.
 *
 * A path is a dotted list of object keys, each optionally followed by one
 * selector in brackets: an array index ("items[0]") or the first array
 * element whose key has a given string value ("conditions[type=Ready]").
 * Example: "status.conditions[type=Ready].status". */
#ifndef OM_JSON_H
#define OM_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_JPATH_MAX_CHARS 256
#define OM_JPATH_MAX_STEPS 16

typedef struct om_jpath om_jpath;

/* Compiles a path; NULL with the reason in err (e.g. "empty key at
 * character 7") when it is not one. */
om_jpath *om_jpath_compile(const char *text, char *err, size_t errlen);
void om_jpath_free(om_jpath *p);

/* The node at the path below obj, or NULL when any step is missing. */
const cJSON *om_jpath_get(const om_jpath *p, const cJSON *obj);

/* A child by a dotted literal path written in code ("spec.connection.host");
 * no selectors. NULL when missing. */
const cJSON *om_json_at(const cJSON *obj, const char *dotted);

/* The string at a dotted path, or fallback when it is missing, not a string
 * or empty. */
const char *om_json_str(const cJSON *obj, const char *dotted,
                        const char *fallback);

/* A scalar as label text: a string as it is, a number as Go's fmt %v
 * writes it (the shortest form that reads back the same: "5432", "0.25",
 * "1e-07"), a boolean as "true"/"false".
 * false (buf set to "") for null, missing, objects and arrays, and for a
 * string that does not fit cap. */
bool om_json_text(const cJSON *v, char *buf, size_t cap);

/* A scalar as a sample value: a number, a boolean (1/0) or an RFC 3339
 * timestamp string (seconds since the epoch, om_rfc3339_parse). false
 * otherwise. */
bool om_json_value(const cJSON *v, double *out);

#endif

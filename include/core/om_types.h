/* core/, pure: includes only core/.
 *
 * Basic types shared by every room (views, labels, metric and data-source
 * types) and the validators of names and text that every input passes. */
#ifndef OM_TYPES_H
#define OM_TYPES_H

#include <stdbool.h>
#include <stddef.h>

/* The number of elements of an array (not a pointer). */
#define OM_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A view into a buffer owned by someone else; not NUL-terminated. */
typedef struct {
  const char *ptr;
  size_t len;
} om_slice;

/* One label of a sample, both parts views into buffers owned by the caller. */
typedef struct {
  om_slice name;
  om_slice value;
} om_label;

/* Prometheus metric types, as named in "# TYPE" lines. */
typedef enum {
  OM_TYPE_UNTYPED = 0,
  OM_TYPE_COUNTER,
  OM_TYPE_GAUGE,
  OM_TYPE_HISTOGRAM,
  OM_TYPE_SUMMARY,
} om_metric_type;

/* collectd data-source types the contract uses. */
typedef enum {
  OM_DS_GAUGE = 0,
  OM_DS_DERIVE,
} om_ds_type;

static inline om_slice om_slice_from_cstr(const char *s) {
  size_t n = 0;
  while (s[n] != '\0')
    n++;
  return (om_slice){s, n};
}

/* A label from two C strings (a NULL value is empty); it points into them. */
static inline om_label om_label_cstr(const char *name, const char *value) {
  return (om_label){om_slice_from_cstr(name),
                    om_slice_from_cstr(value ? value : "")};
}

/* Character classes for names: OM_CHAR_NAME_START for [a-zA-Z_],
 * OM_CHAR_NAME for [a-zA-Z0-9_], OM_CHAR_COLON for ':'. */
enum { OM_CHAR_NAME_START = 1, OM_CHAR_NAME = 2, OM_CHAR_COLON = 4 };
extern const unsigned char om_char_class[256];

static inline bool om_is_label_start(char c) {
  return om_char_class[(unsigned char)c] & OM_CHAR_NAME_START;
}

static inline bool om_is_label_char(char c) {
  return om_char_class[(unsigned char)c] & OM_CHAR_NAME;
}

/* Whether s equals the C string c. */
bool om_slice_eq_cstr(om_slice s, const char *c);
/* memcmp order, a shorter prefix first. */
int om_slice_cmp(om_slice a, om_slice b);

/* Prometheus label-name syntax, [a-zA-Z_][a-zA-Z0-9_]*. */
bool om_label_name_valid(const char *s, size_t len);
/* Prometheus metric-name syntax, [a-zA-Z_:][a-zA-Z0-9_:]*. */
bool om_metric_name_valid(const char *s, size_t len);
/* Well-formed UTF-8 as Go's utf8.Valid sees it (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool om_utf8_valid(const char *s, size_t len);
/* The length of the valid UTF-8 sequence starting at s[0] (1 to 4), or 0
 * when s[0] does not start one within len bytes. */
size_t om_utf8_sequence(const char *s, size_t len);

#endif

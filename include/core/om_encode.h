/* core/, pure: includes only core/.
 *
 * The collectd 5 encoding of a sample's labels (the "label pack").
 *
 * Labels travel as name=value pairs joined by ',', one string that fills
 * three of collectd's identifier fields in turn: host, plugin_instance and
 * type_instance, 127 bytes each, cut anywhere but inside a UTF-8 sequence
 * (Prometheus refuses a whole scrape for a label value that is not valid
 * UTF-8). write_prometheus serves host as `instance` (Prometheus renames it
 * exported_instance), plugin_instance under a label named after the plugin
 * and type_instance as `type`; the relabel snippet joins the three again.
 * host always holds the start of the pack, so it is never collectd's own
 * host name.
 *
 * Two escapes, one byte each: a ',' inside a value that is directly
 * followed by "<label name>=" would be read as the start of the next pair,
 * so it is written as OM_PACK_ESCAPE; collectd 5 replaces every '/' of
 * these fields with '_' when values are dispatched (escape_slashes() in
 * plugin_dispatch_values()), so a '/' is written as OM_PACK_SLASH_ESCAPE.
 * Both are control characters that collectd, write_prometheus and
 * Prometheus pass unchanged; a value holding one literally cannot be told
 * apart and is refused. The snippet (tools/gen_relabel.c writes it from
 * the constants below) decodes at most OM_PACK_MAX_PAIRS pairs,
 * OM_PACK_MAX_ESCAPES escaped commas per value and OM_PACK_MAX_SLASHES
 * slashes per sample; anything beyond is refused here, never truncated. */
#ifndef OM_ENCODE_H
#define OM_ENCODE_H

#include "om_types.h"

/* collectd identifier fields hold 128 bytes including the terminator. */
#define OM_PACK_FIELD_SIZE 128
#define OM_PACK_FIELD_MAX (OM_PACK_FIELD_SIZE - 1)
/* host, plugin_instance, type_instance */
#define OM_PACK_FIELDS 3
#define OM_PACK_MAX (OM_PACK_FIELDS * OM_PACK_FIELD_MAX)
#define OM_PACK_MAX_PAIRS 16
#define OM_PACK_MAX_ESCAPES 3
#define OM_PACK_MAX_SLASHES 16
/* as C strings, and as the relabel rules' RE2 writes them */
#define OM_PACK_ESCAPE "\x1e"
#define OM_PACK_ESCAPE_RE "\\x1e"
#define OM_PACK_SLASH_ESCAPE "\x1f"
#define OM_PACK_SLASH_ESCAPE_RE "\\x1f"

typedef enum {
  OM_ENC_OK = 0,
  OM_ENC_PACK_TOO_LONG,
  OM_ENC_TOO_MANY_LABELS,
  OM_ENC_INVALID_LABEL_NAME,
  OM_ENC_INVALID_UTF8,
  OM_ENC_UNENCODABLE_VALUE,
} om_enc_result;

typedef struct {
  char text[OM_PACK_MAX + 1]; /* NUL-terminated */
  size_t len;
} om_pack;

/* Packs labels, already in their final order, into out. Pairs with an empty
 * value are left out (Prometheus treats an empty label as absent). Names must
 * match [a-zA-Z_][a-zA-Z0-9_]* and must not start with "__", except that
 * with name_first the first label is the metric name, "__name__" (families
 * outside the catalog). Values must be valid UTF-8 without NUL bytes and
 * without the escape bytes. *need (when not NULL) is set to the bytes the
 * pack takes, escapes included, also when it is too long: what a log line
 * can say. On failure out holds an empty string. */
om_enc_result om_pack_labels(const om_label *labels, size_t n, bool name_first,
                             om_pack *out, size_t *need);

/* Where a pack of len bytes is cut into the three fields: field k is
 * text[cut[k] .. cut[k + 1]) with cut[0] = 0 and cut[3] = len. Each field
 * takes as much as fits in OM_PACK_FIELD_MAX bytes without splitting a
 * UTF-8 sequence. False when the pack does not fit. */
bool om_pack_split(const char *text, size_t len,
                   size_t cut[OM_PACK_FIELDS + 1]);

/* Writes a pack of len bytes into collectd's three fields, each of
 * OM_PACK_FIELD_SIZE bytes and NUL-terminated: fields[0] is host, then
 * plugin_instance and type_instance. host always holds the start of the
 * pack, so that collectd never puts its own host name there: a pack with
 * no labels at all is written as "," (an empty pair list). False, with
 * the fields untouched, when the pack does not fit. */
bool om_pack_fill(const char *text, size_t len,
                  char *const fields[OM_PACK_FIELDS]);

/* Labels om_order_labels() sorts at most; a sample never gets near it. */
#define OM_ORDER_MAX_LABELS 128

/* Reorders labels in place: first those named in order[] (in that order),
 * then the others sorted by name. Label names must be unique and n at most
 * OM_ORDER_MAX_LABELS (more are left as they are). */
void om_order_labels(om_label *labels, size_t n, const om_slice *order,
                     size_t order_num);

#endif

/* core/, pure: includes only core/.
 *
 * The collectd 5 encoding of a sample's labels (the "label pack").
 *
 * Labels travel as name=value pairs joined by ',' in collectd's
 * plugin_instance, continuing in type_instance; a pair is never split.
 * A ',' inside a value that is directly followed by "<label name>=" would be
 * read as the start of the next pair, so it is written as "%2C" and the
 * relabel snippet turns it back. collectd 5 itself replaces every '/' of
 * plugin_instance and type_instance with '_' when values are dispatched
 * (escape_slashes() in plugin_dispatch_values()), so a '/' is written as
 * "%2F". Values holding either escape literally cannot be told apart and
 * are refused. The snippet (tools/gen_relabel.c writes it from the
 * constants below) decodes at most OM_PACK_MAX_PAIRS pairs,
 * OM_PACK_MAX_ESCAPES escaped commas per value and OM_PACK_MAX_SLASHES
 * slashes per sample; anything beyond is refused here, never truncated. */
#ifndef OM_ENCODE_H
#define OM_ENCODE_H

#include "om_types.h"

/* collectd identifier fields hold 128 bytes including the terminator. */
#define OM_PACK_FIELD_SIZE 128
#define OM_PACK_MAX_PAIRS 16
#define OM_PACK_MAX_ESCAPES 3
#define OM_PACK_MAX_SLASHES 16
#define OM_PACK_ESCAPE "%2C"
#define OM_PACK_SLASH_ESCAPE "%2F"

typedef enum {
  OM_ENC_OK = 0,
  OM_ENC_PACK_TOO_LONG,
  OM_ENC_TOO_MANY_LABELS,
  OM_ENC_INVALID_LABEL_NAME,
  OM_ENC_INVALID_UTF8,
  OM_ENC_UNENCODABLE_VALUE,
} om_enc_result;

typedef struct {
  char plugin_instance[OM_PACK_FIELD_SIZE];
  char type_instance[OM_PACK_FIELD_SIZE];
  size_t plugin_instance_len; /* strlen of each field */
  size_t type_instance_len;
} om_pack;

/* Packs labels, already in their final order, into out. Pairs with an empty
 * value are left out (Prometheus treats an empty label as absent). Names must
 * match [a-zA-Z_][a-zA-Z0-9_]* and must not start with "__", except that
 * with name_first the first label is the metric name, "__name__" (families
 * outside the catalog). Values must be valid UTF-8 without NUL bytes and
 * must not contain the literal escapes "%2C" or "%2F". On failure out holds
 * two empty strings. */
om_enc_result om_pack_labels(const om_label *labels, size_t n, bool name_first,
                             om_pack *out);

/* Labels om_order_labels() sorts at most; a sample never gets near it. */
#define OM_ORDER_MAX_LABELS 128

/* Reorders labels in place: first those named in order[] (in that order),
 * then the others sorted by name. Label names must be unique and n at most
 * OM_ORDER_MAX_LABELS (more are left as they are). */
void om_order_labels(om_label *labels, size_t n, const om_slice *order,
                     size_t order_num);

#endif

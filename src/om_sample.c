/* Building samples for collectd; see om_sample.h. */
#include "om_sample.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_ORDER 16

const char *om_drop_reason_name(om_drop_reason r) {
  static const char *const names[OM_DROP_REASONS_NUM] = {
      [OM_DROP_NONE] = "none",
      [OM_DROP_PACK_TOO_LONG] = "pack_too_long",
      [OM_DROP_TOO_MANY_LABELS] = "too_many_labels",
      [OM_DROP_INVALID_LABEL_NAME] = "invalid_label_name",
      [OM_DROP_INVALID_UTF8] = "invalid_utf8",
      [OM_DROP_UNENCODABLE_VALUE] = "unencodable_value",
      [OM_DROP_NON_INTEGER_COUNTER] = "non_integer_counter",
      [OM_DROP_DUPLICATE_SERIES] = "duplicate_series",
      [OM_DROP_SERIES_LIMIT] = "series_limit",
  };
  return (r >= 0 && r < OM_DROP_REASONS_NUM) ? names[r] : "unknown";
}

static om_drop_reason from_enc(om_enc_result r) {
  switch (r) {
  case OM_ENC_OK:
    return OM_DROP_NONE;
  case OM_ENC_PACK_TOO_LONG:
    return OM_DROP_PACK_TOO_LONG;
  case OM_ENC_TOO_MANY_LABELS:
    return OM_DROP_TOO_MANY_LABELS;
  case OM_ENC_INVALID_LABEL_NAME:
    return OM_DROP_INVALID_LABEL_NAME;
  case OM_ENC_INVALID_UTF8:
    return OM_DROP_INVALID_UTF8;
  default:
    return OM_DROP_UNENCODABLE_VALUE;
  }
}

static bool derive_value_ok(double v) {
  return isfinite(v) && v >= 0 && v < 9223372036854775808.0 && v == floor(v);
}

om_drop_reason om_sample_build(const om_series_type *st, om_label *labels,
                               size_t n, double value, om_sample *out) {
  const char *order[MAX_ORDER];
  size_t order_num = 0;
  for (const char *const *l = st->family->labels;
       *l != NULL && order_num < MAX_ORDER - 1; l++)
    order[order_num++] = *l;
  if (st->extra_label != NULL)
    order[order_num++] = st->extra_label;
  om_order_labels(labels, n, order, order_num);

  if (st->ds_type == OM_DS_DERIVE && !derive_value_ok(value))
    return OM_DROP_NON_INTEGER_COUNTER;
  om_drop_reason r = from_enc(om_pack_labels(labels, n, false, &out->pack));
  if (r != OM_DROP_NONE)
    return r;
  out->type_name = st->type_name;
  out->ds_type = st->ds_type;
  out->value = value;
  return OM_DROP_NONE;
}

om_drop_reason om_sample_build_generic(om_slice family, om_slice series,
                                       om_label *labels, size_t n, double value,
                                       om_sample *out) {
  om_order_labels(labels, n, NULL, 0);
  memmove(labels + 1, labels, n * sizeof(*labels));
  labels[0] = (om_label){om_slice_from_cstr("__name__"), series};
  om_drop_reason r = from_enc(om_pack_labels(labels, n + 1, true, &out->pack));
  if (r != OM_DROP_NONE)
    return r;
  out->type_name = om_generic_type(om_generic_index(family));
  out->ds_type = OM_DS_GAUGE;
  out->value = value;
  return OM_DROP_NONE;
}

static uint64_t fnv1a(uint64_t h, const char *s) {
  for (; *s != '\0'; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(1099511628211);
  }
  h ^= 0xff; /* field separator */
  h *= UINT64_C(1099511628211);
  return h;
}

uint64_t om_sample_identity(const om_sample *s) {
  uint64_t h = UINT64_C(14695981039346656037);
  h = fnv1a(h, s->type_name);
  h = fnv1a(h, s->pack.plugin_instance);
  return fnv1a(h, s->pack.type_instance);
}

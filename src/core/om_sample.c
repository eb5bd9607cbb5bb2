/* Building samples for collectd; see om_sample.h. */
#include "om_sample.h"
#include "om_hash.h"
#include "om_number.h"
#include "om_shard.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

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
      [OM_DROP_PLUGIN_SERIES_LIMIT] = "plugin_series_limit",
      [OM_DROP_NOT_IN_CATALOG] = "not_in_catalog",
      [OM_DROP_DISPATCH_FAILED] = "dispatch_failed",
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

/* The identity of a pack in a type whose name hashes to type_hash. */
static uint64_t pack_identity(uint64_t type_hash, const om_pack *p) {
  return om_hash_bytes(type_hash, p->text, p->len);
}

/* The type hash of the generic types, as the catalog hashes its own. */
static uint64_t generic_hash(void) {
  return om_hash_bytes(OM_HASH_SEED, OM_GENERIC_BASE,
                       sizeof(OM_GENERIC_BASE) - 1);
}

static bool derive_value_ok(double v) {
  return isfinite(v) && v >= 0 && v < 9223372036854775808.0 && v == floor(v);
}

om_drop_reason om_sample_value(om_ds_type ds, om_slice digits, double parsed,
                               double *value, int64_t *derive) {
  int64_t count;
  if (ds != OM_DS_DERIVE) {
    *value = parsed;
    *derive = 0;
    return OM_DROP_NONE;
  }
  if (om_parse_int64(digits.ptr, digits.len, &count)) {
    if (count < 0)
      return OM_DROP_NON_INTEGER_COUNTER;
    *derive = count;
    *value = (double)count;
    return OM_DROP_NONE;
  }
  if (!derive_value_ok(parsed))
    return OM_DROP_NON_INTEGER_COUNTER;
  *value = parsed;
  *derive = (int64_t)parsed;
  return OM_DROP_NONE;
}

om_drop_reason om_sample_build(const om_series_type *st, om_label *labels,
                               size_t n, double value, om_sample *out) {
  out->pack_need = 0;
  if (n > OM_ORDER_MAX_LABELS)
    return OM_DROP_TOO_MANY_LABELS;
  om_order_labels(labels, n, st->order, st->order_num);

  if (st->ds_type == OM_DS_DERIVE && !derive_value_ok(value))
    return OM_DROP_NON_INTEGER_COUNTER;
  om_drop_reason r =
      from_enc(om_pack_labels(labels, n, false, &out->pack, &out->pack_need));
  if (r != OM_DROP_NONE)
    return r;
  out->type_name = st->type_name;
  out->generic = false;
  out->id = pack_identity(st->type_hash, &out->pack);
  out->ds_type = st->ds_type;
  out->value = value;
  out->derive = st->ds_type == OM_DS_DERIVE ? (int64_t)value : 0;
  return OM_DROP_NONE;
}

om_drop_reason om_sample_build_count(const om_series_type *st, om_label *labels,
                                     size_t n, int64_t count, om_sample *out) {
  out->pack_need = 0;
  if (count < 0 && st->ds_type == OM_DS_DERIVE)
    return OM_DROP_NON_INTEGER_COUNTER;
  if (st->ds_type != OM_DS_DERIVE) /* a GAUGE type takes the double */
    return om_sample_build(st, labels, n, (double)count, out);
  /* the double of a count near 2^63 rounds up to 2^63, which the DERIVE
   * check of om_sample_build refuses: build with 0, then set the count */
  om_drop_reason r = om_sample_build(st, labels, n, 0, out);
  if (r == OM_DROP_NONE) {
    out->derive = count;
    out->value = (double)count;
  }
  return r;
}

om_drop_reason om_sample_build_generic(om_slice series, om_label *labels,
                                       size_t n, double value, om_sample *out) {
  out->pack_need = 0;
  om_order_labels(labels, n, NULL, 0);
  memmove(labels + 1, labels, n * sizeof(*labels));
  labels[0] = (om_label){om_slice_from_cstr("__name__"), series};
  om_drop_reason r = from_enc(
      om_pack_labels(labels, n + 1, true, &out->pack, &out->pack_need));
  if (r != OM_DROP_NONE)
    return r;
  out->type_name = OM_GENERIC_BASE;
  out->generic = true;
  out->id = pack_identity(generic_hash(), &out->pack);
  out->ds_type = OM_DS_GAUGE;
  out->value = value;
  out->derive = 0;
  return OM_DROP_NONE;
}

uint64_t om_sample_identity(const om_sample *s) { return s->id; }

/* core/, pure: includes only core/.
 *
 * A sample ready for collectd: data set, label pack and value.
 *
 * Every collector turns what it measured into om_sample with
 * om_sample_build() (catalog families) or om_sample_build_generic()
 * (families outside the catalog), which order the labels, pack them and
 * check the value against the data-source type; a sample that cannot be
 * encoded comes back with the reason it is dropped. */
#ifndef OM_SAMPLE_H
#define OM_SAMPLE_H

#include "om_catalog.h"
#include "om_encode.h"

#include <stdint.h>

typedef enum {
  OM_DROP_NONE = 0,
  OM_DROP_PACK_TOO_LONG,
  OM_DROP_TOO_MANY_LABELS,
  OM_DROP_INVALID_LABEL_NAME,
  OM_DROP_INVALID_UTF8,
  OM_DROP_UNENCODABLE_VALUE,
  OM_DROP_NON_INTEGER_COUNTER,
  OM_DROP_DUPLICATE_SERIES,
  OM_DROP_SERIES_LIMIT,        /* the block's own MaxSeries */
  OM_DROP_PLUGIN_SERIES_LIMIT, /* the plugin-wide MaxSeries */
  OM_DROP_NOT_IN_CATALOG,  /* a collector named a family the catalog lacks */
  OM_DROP_DISPATCH_FAILED, /* plugin_dispatch_values refused the value */
  OM_DROP_REASONS_NUM
} om_drop_reason;

typedef struct {
  /* the series type's collectd type, or OM_GENERIC_BASE; the plugin name
   * of its shard is chosen at dispatch (om_shard.h) */
  const char *type_name;
  bool generic; /* a family outside the catalog */
  uint64_t id;  /* the series' identity: type and pack, stable over runs */
  om_ds_type ds_type;
  om_pack pack;
  size_t pack_need; /* the bytes the pack takes (or would take) */
  double value;     /* GAUGE; for DERIVE the same count, as a double */
  int64_t derive;   /* DERIVE: the count, exactly */
} om_sample;

/* A series ready for collectd, by reference: everything dispatch needs
 * but the value. The pack is NUL-terminated; dispatch cuts it into
 * collectd's fields (om_pack_split()). */
typedef struct {
  const char *type_name; /* as om_sample's */
  bool generic;
  uint64_t id;
  om_ds_type ds_type;
  const char *pack;
  size_t pack_len;
} om_series_ref;

/* The series of a sample, pointing into it. */
static inline om_series_ref om_sample_series(const om_sample *s) {
  return (om_series_ref){s->type_name, s->generic,   s->id,
                         s->ds_type,   s->pack.text, s->pack.len};
}

/* The value of a sample of data-source type ds written as text (digits:
 * the text, value: as parsed): a GAUGE takes the double; a DERIVE takes
 * the digits exactly when they are an integer of 63 bits, else the double
 * when it is an integer in [0, 2^63). OM_DROP_NONE with *value (and
 * *derive, the count) set, or OM_DROP_NON_INTEGER_COUNTER. */
om_drop_reason om_sample_value(om_ds_type ds, om_slice digits, double parsed,
                               double *value, int64_t *derive);

/* The label value of the self-metric, e.g. "pack_too_long". */
const char *om_drop_reason_name(om_drop_reason r);

/* Orders labels (reordered in place: the family's labels in documented
 * order, then its extra label le/quantile, then the rest by name), packs
 * them and checks the value: a DERIVE value must be an integer in
 * [0, 2^63). Returns OM_DROP_NONE and fills out, or the reason. */
om_drop_reason om_sample_build(const om_series_type *st, om_label *labels,
                               size_t n, double value, om_sample *out);

/* Like om_sample_build, for a count known exactly as an integer (a
 * counter's value written as digits): a DERIVE value keeps all its 63
 * bits, where a double keeps 53. A negative count is a
 * non_integer_counter. */
om_drop_reason om_sample_build_count(const om_series_type *st, om_label *labels,
                                     size_t n, int64_t count, om_sample *out);

/* For a family outside the catalog: the series name travels as the first
 * pair, __name__=<series>, the labels follow sorted by name (labels needs
 * room for n + 1 entries; it is rearranged). GAUGE in the generic types. */
om_drop_reason om_sample_build_generic(om_slice series, om_label *labels,
                                       size_t n, double value, om_sample *out);

/* A 64-bit identity of the collectd series (type and pack), the same for
 * the same series in every run (it chooses the series' shard). */
uint64_t om_sample_identity(const om_sample *s);

#endif

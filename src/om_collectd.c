/* Data sets and dispatch through collectd's plugin API. */
#include "om_collectd.h"
#include "om_log.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void om_log(int level, const char *block, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (block != NULL)
    plugin_log(level, OM_PLUGIN_NAME "(%s): %s", block, msg);
  else
    plugin_log(level, OM_PLUGIN_NAME ": %s", msg);
}

_Static_assert(OM_PACK_FIELD_SIZE == DATA_MAX_NAME_LEN,
               "the label pack fills collectd identifier fields exactly");
_Static_assert(OM_TYPE_NAME_SIZE == DATA_MAX_NAME_LEN,
               "catalog type names fit collectd's type field");

static int register_one(const char *type_name, om_ds_type ds_type) {
  if (plugin_get_ds(type_name) != NULL) {
    om_log(OM_LOG_ERR, NULL,
           "collectd already has a data set named \"%s\" (a TypesDB entry "
           "or another plugin); refusing to overwrite it",
           type_name);
    return -1;
  }
  data_source_t dsrc = {
      .type = ds_type == OM_DS_DERIVE ? DS_TYPE_DERIVE : DS_TYPE_GAUGE,
      .min = ds_type == OM_DS_DERIVE ? 0.0 : NAN,
      .max = NAN,
  };
  snprintf(dsrc.name, sizeof(dsrc.name), "value");
  data_set_t ds = {.ds_num = 1, .ds = &dsrc};
  snprintf(ds.type, sizeof(ds.type), "%s", type_name);
  return plugin_register_data_set(&ds);
}

int om_register_data_sets(const om_catalog *catalog) {
  size_t num = 0;
  const om_series_type *st = om_catalog_series_types(catalog, &num);
  for (size_t i = 0; i < num; i++)
    if (register_one(st[i].type_name, st[i].ds_type) != 0)
      return -1;
  for (unsigned i = 0; i < OM_GENERIC_TYPES; i++)
    if (register_one(om_generic_type(i), OM_DS_GAUGE) != 0)
      return -1;
  return 0;
}

int om_dispatch(const om_sample *s, cdtime_t t) {
  value_t value;
  if (s->ds_type == OM_DS_DERIVE)
    value.derive = (derive_t)s->value;
  else
    value.gauge = (gauge_t)s->value;
  value_list_t vl = VALUE_LIST_INIT;
  vl.values = &value;
  vl.values_len = 1;
  vl.time = t;
  snprintf(vl.plugin, sizeof(vl.plugin), "%s", OM_PLUGIN_NAME);
  snprintf(vl.type, sizeof(vl.type), "%s", s->type_name);
  /* The pack fits by construction (om_encode.h). */
  memcpy(vl.plugin_instance, s->pack.plugin_instance,
         sizeof(vl.plugin_instance));
  memcpy(vl.type_instance, s->pack.type_instance, sizeof(vl.type_instance));
  return plugin_dispatch_values(&vl);
}

static void dispatch_series(const om_series_type *st, om_label *labels,
                            size_t n, double value, cdtime_t t,
                            uint64_t dropped[OM_DROP_REASONS_NUM]) {
  om_sample s;
  om_drop_reason r = st ? om_sample_build(st, labels, n, value, &s)
                        : OM_DROP_INVALID_LABEL_NAME;
  if (r == OM_DROP_NONE)
    om_dispatch(&s, t);
  else
    dropped[r]++;
}

void om_dispatch_family(const om_catalog *catalog, const char *family,
                        om_label *labels, size_t n, double value, cdtime_t t,
                        uint64_t dropped[OM_DROP_REASONS_NUM]) {
  const om_series_type *st =
      om_catalog_series_of(catalog, family, OM_SERIES_PLAIN);
  if (st == NULL)
    om_log(OM_LOG_ERR, NULL, "internal error: \"%s\" is not in the catalog",
           family);
  dispatch_series(st, labels, n, value, t, dropped);
}

void om_dispatch_any(const om_catalog *catalog, const char *family,
                     om_label *labels, size_t n, double value, cdtime_t t,
                     uint64_t dropped[OM_DROP_REASONS_NUM]) {
  const om_series_type *st =
      om_catalog_series_of(catalog, family, OM_SERIES_PLAIN);
  if (st != NULL) {
    dispatch_series(st, labels, n, value, t, dropped);
    return;
  }
  om_sample s;
  om_slice name = om_slice_from_cstr(family);
  om_drop_reason r = om_sample_build_generic(name, name, labels, n, value, &s);
  if (r == OM_DROP_NONE)
    om_dispatch(&s, t);
  else
    dropped[r]++;
}

void om_dispatch_histogram(const om_catalog *catalog, const char *family,
                           const om_label *labels, size_t n,
                           const om_histogram *h, cdtime_t t,
                           uint64_t dropped[OM_DROP_REASONS_NUM]) {
  om_label all[OM_SERIES_ORDER_MAX + 1];
  if (n > OM_SERIES_ORDER_MAX) {
    dropped[OM_DROP_TOO_MANY_LABELS] += h->bounds_num + 3;
    return;
  }
  const om_series_type *bucket =
      om_catalog_series_of(catalog, family, OM_SERIES_BUCKET);
  char le[OM_LE_SIZE];
  for (size_t i = 0; i <= h->bounds_num; i++) {
    bool inf = i == h->bounds_num;
    om_format_le(inf ? INFINITY : h->bounds[i], le);
    memcpy(all, labels, n * sizeof(*labels));
    all[n] = om_label_cstr("le", le);
    dispatch_series(bucket, all, n + 1,
                    (double)(inf ? h->count : h->cumulative[i]), t, dropped);
  }
  memcpy(all, labels, n * sizeof(*labels));
  dispatch_series(om_catalog_series_of(catalog, family, OM_SERIES_SUM), all, n,
                  h->sum, t, dropped);
  memcpy(all, labels, n * sizeof(*labels));
  dispatch_series(om_catalog_series_of(catalog, family, OM_SERIES_COUNT), all,
                  n, (double)h->count, t, dropped);
}

void om_dispatch_drop_counts(const om_catalog *catalog, const char *collector,
                             const char *block,
                             uint64_t dropped[OM_DROP_REASONS_NUM],
                             cdtime_t t) {
  const om_series_type *st = om_catalog_series_of(
      catalog, "operator_metrics_dropped_samples_total", OM_SERIES_PLAIN);
  for (int r = OM_DROP_NONE + 1; r < OM_DROP_REASONS_NUM; r++) {
    om_label labels[3] = {
        {om_slice_from_cstr("collector"), om_slice_from_cstr(collector)},
        {om_slice_from_cstr("block"), om_slice_from_cstr(block)},
        {om_slice_from_cstr("reason"),
         om_slice_from_cstr(om_drop_reason_name((om_drop_reason)r))},
    };
    dispatch_series(st, labels, 3, (double)dropped[r], t, dropped);
  }
}

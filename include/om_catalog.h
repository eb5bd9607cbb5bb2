/* The catalog of documented metric families and their collectd data sets.
 *
 * Each family has its Prometheus type and its label names in documented
 * order. The catalog index derives from it one "series type" per series name
 * a family produces (the family name, or name_bucket/_sum/_count for
 * histograms and summaries), each bound to one collectd data set with one
 * data source named "value":
 *   - a counter whose name ends in _total and whose values are integer
 *     counts becomes a DERIVE type without the _total (write_prometheus adds
 *     it back), unless that shorter name is itself a series name of the
 *     catalog (go_memstats_alloc_bytes), in which case it stays GAUGE;
 *   - everything else is a GAUGE type under its exact series name.
 * Families outside the catalog travel through OM_GENERIC_TYPES generic GAUGE
 * types, chosen by a hash of the family name so that no single collectd type
 * collects them all. */
#ifndef OM_CATALOG_H
#define OM_CATALOG_H

#include "om_types.h"

#define OM_TYPE_NAME_SIZE 128
#define OM_GENERIC_TYPES 16
/* labels of a family plus its le/quantile */
#define OM_SERIES_ORDER_MAX 16

typedef struct {
  const char *name;
  om_metric_type type;
  const char *const *labels; /* NULL-terminated, in documented order */
  /* counters whose values are not integer counts (seconds): GAUGE */
  bool float_counter;
  /* histograms the plugin accumulates itself: upper bounds, without +Inf */
  const double *buckets;
  size_t buckets_num;
  const char *source; /* the document or library that defines it */
} om_family;

typedef enum {
  OM_SERIES_PLAIN = 0, /* the family name; summary quantiles too */
  OM_SERIES_BUCKET,
  OM_SERIES_SUM,
  OM_SERIES_COUNT,
} om_series_kind;

typedef struct {
  char series_name[OM_TYPE_NAME_SIZE]; /* as Prometheus shows it */
  char type_name[OM_TYPE_NAME_SIZE];   /* the collectd data set */
  om_ds_type ds_type;
  const om_family *family;
  om_series_kind kind;
  const char *extra_label; /* "le", "quantile" or NULL */
  /* the label order of its samples: family labels, then extra_label */
  om_slice order[OM_SERIES_ORDER_MAX];
  size_t order_num;
} om_series_type;

typedef struct om_catalog om_catalog;

/* The static family table. */
const om_family *om_catalog_families(size_t *num);

/* Builds the index over the static table. Returns NULL with a message in
 * err (size errlen) when a name is too long for collectd or two series map
 * to one data set. */
om_catalog *om_catalog_new(char *err, size_t errlen);
void om_catalog_free(om_catalog *c);

/* All series types, sorted by series name. */
const om_series_type *om_catalog_series_types(const om_catalog *c, size_t *num);

/* The series type of a scraped series name, or NULL. */
const om_series_type *om_catalog_find_series(const om_catalog *c,
                                             om_slice name);

/* The series type of a family's series of a given kind, or NULL. */
const om_series_type *om_catalog_series_of(const om_catalog *c,
                                           const char *family,
                                           om_series_kind kind);

/* Number of labels of a family (its labels[] up to the NULL). */
size_t om_family_labels_num(const om_family *f);

/* The generic type a family outside the catalog uses. */
unsigned om_generic_index(om_slice family_name);
/* The name of generic type i ("om_generic_NN"), a static string. */
const char *om_generic_type(unsigned i);

#endif

/* core/, pure: includes only core/.
 *
 * The catalog index over the documented families (om_catalog_data). It
 * derives one "series type" per series name
 * a family produces (the family name, or name_bucket/_sum/_count for
 * histograms and summaries), each bound to one collectd data set with one
 * data source named "value":
 *   - a counter whose name ends in _total and whose values are integer
 *     counts becomes a DERIVE type without the _total (write_prometheus adds
 *     it back), unless that shorter name is itself a series name of the
 *     catalog (go_memstats_alloc_bytes), in which case it stays GAUGE;
 *   - everything else is a GAUGE type under its exact series name.
 * Families outside the catalog travel through the generic GAUGE type
 * (om_shard.h). */
#ifndef OM_CATALOG_H
#define OM_CATALOG_H

#include "om_catalog_data.h"
#include "om_types.h"

#include <stdint.h>

#define OM_TYPE_NAME_SIZE 128
/* labels of a family plus its le/quantile */
#define OM_SERIES_ORDER_MAX 16

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
  uint64_t type_hash; /* of type_name: where its samples' identities start */
  const om_family *family;
  om_series_kind kind;
  const char *extra_label; /* "le", "quantile" or NULL */
  /* the label order of its samples: family labels, then extra_label */
  om_slice order[OM_SERIES_ORDER_MAX];
  size_t order_num;
} om_series_type;

typedef struct om_catalog om_catalog;

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

#endif

/* core/, pure: includes only core/.
 *
 * The documented metric families: for each, its Prometheus type, its
 * label names in documented order and where it is documented. The table
 * is data; om_catalog indexes it. */
#ifndef OM_CATALOG_DATA_H
#define OM_CATALOG_DATA_H

#include "om_types.h"

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

/* The static family table: *num families. */
const om_family *om_catalog_families(size_t *num);

#endif

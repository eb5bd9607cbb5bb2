/* core/, pure: includes only core/.
 *
 * Where a collector's mapping code hands its samples: a family name, its
 * labels (in any order) and a value, or a histogram the plugin keeps. The
 * mapping stays pure; the collector's sink builds and dispatches (in the
 * collectd room, om_emitter). */
#ifndef OM_SINK_H
#define OM_SINK_H

#include "om_histogram.h"
#include "om_types.h"

typedef struct {
  /* One sample of a family; labels may be reordered. */
  void (*value)(void *ctx, const char *family, om_label *labels, size_t n,
                double value);
  /* A histogram's _bucket, _sum and _count series with these labels. */
  void (*histogram)(void *ctx, const char *family, const om_label *labels,
                    size_t n, const om_histogram *h);
  void *ctx;
} om_sink;

/* s->value(s->ctx, ...). */
void om_sink_value(const om_sink *s, const char *family, om_label *labels,
                   size_t n, double value);
/* s->histogram(s->ctx, ...). */
void om_sink_histogram(const om_sink *s, const char *family,
                       const om_label *labels, size_t n, const om_histogram *h);

#endif

/* core/, pure: includes only core/.
 *
 * A histogram the plugin accumulates itself (connection latency, backup
 * duration), with the cumulative buckets Prometheus client libraries keep:
 * every observation counts in each bucket whose upper bound it does not
 * exceed, and in +Inf. */
#ifndef OM_HISTOGRAM_H
#define OM_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define OM_HISTOGRAM_MAX_BUCKETS 32
/* "le" values: the longest shortest-round-trip double plus sign, exponent */
#define OM_LE_SIZE 32

typedef struct {
  const double *bounds; /* upper bounds, ascending, without +Inf; static */
  size_t bounds_num;
  uint64_t cumulative[OM_HISTOGRAM_MAX_BUCKETS]; /* per bound */
  uint64_t count;                                /* the +Inf bucket */
  double sum;
} om_histogram;

/* Fails (returns -1) when there are more than OM_HISTOGRAM_MAX_BUCKETS
 * bounds or they are not strictly ascending finite numbers. */
int om_histogram_init(om_histogram *h, const double *bounds, size_t num);

/* Adds one observation; NaN is ignored. */
void om_histogram_observe(om_histogram *h, double v);

/* The "le" label of a bound exactly as Go's client_golang writes it
 * (strconv.FormatFloat(v, 'g', -1, 64): the shortest decimal that reads
 * back to the same double, in exponent form below 1e-4 and from 1e6 up) and
 * "+Inf" for infinity. Prometheus 2 keeps
 * "le" as text, so "1" and "1.0" would be different series. */
void om_format_le(double bound, char out[OM_LE_SIZE]);

#endif

/* core/, pure: includes only core/.
 *
 * The sums that several sources make to one documented series. A collector
 * that measures a series per database (or per server) where the documented
 * series has no such label hands each source's figure here, under the
 * documented labels and the name of its source; the series then carries
 * the sum over the sources, as the operator's own process would have
 * counted it: plain values add up, histograms add bucket by bucket.
 *
 * Contributors (one per block) are numbered by om_tally_contributor. A
 * contribution counts while its contributor refreshed it in its last
 * completed read or in the one under way; one the contributor stopped
 * sending leaves the sum at its next read. The first contributor to a
 * series owns it: it alone dispatches the sum. Not thread-safe: the
 * caller holds one lock around every call. */
#ifndef OM_TALLY_H
#define OM_TALLY_H

#include "om_histogram.h"
#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the most contributions one tally keeps (series times sources) */
#define OM_TALLY_MAX_CONTRIBUTIONS 100000

typedef struct om_tally om_tally;

/* One summed series, as its owner dispatches it. */
typedef struct {
  const char *family;
  const om_label *labels; /* the documented labels, sorted by name */
  size_t labels_num;
  bool histogram;
} om_tally_series;

/* NULL when out of memory. */
om_tally *om_tally_new(void);
void om_tally_free(om_tally *t);

/* The number of contributor id (any stable pointer, such as its block's
 * emitter), made on first use; SIZE_MAX when out of memory. */
size_t om_tally_contributor(om_tally *t, const void *id);

/* Contributor c starts a read. */
void om_tally_begin(om_tally *t, size_t c);
/* Contributor c completed a read: what it did not refresh in it leaves
 * the sums. */
void om_tally_end(om_tally *t, size_t c);

/* Contributor c's figure from source (its block and the labels the
 * documented series lacks) to the series of family with these documented
 * labels: value, or the histogram h when h is not NULL. Returns 0, or -1
 * when out of memory or beyond OM_TALLY_MAX_CONTRIBUTIONS (nothing
 * changed). */
int om_tally_put(om_tally *t, size_t c, const char *family,
                 const om_label *labels, size_t n, om_slice source,
                 double value, const om_histogram *h);

/* The number of series contributor c owns. */
size_t om_tally_owned_num(const om_tally *t, size_t c);

/* The i-th series c owns and its sum over the contributions that count:
 * *value for a plain series, *h for a histogram. Returns false when no
 * contribution counts (the series is not dispatched). */
bool om_tally_owned_sum(const om_tally *t, size_t c, size_t i,
                        om_tally_series *series, double *value,
                        om_histogram *h);

#endif

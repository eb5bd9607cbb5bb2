/* Plugin-side histograms and Go's formatting of their "le" bounds. */
#include "om_histogram.h"
#include "om_text.h"

#include <math.h>
#include <string.h>

int om_histogram_init(om_histogram *h, const double *bounds, size_t num) {
  memset(h, 0, sizeof(*h));
  if (num > OM_HISTOGRAM_MAX_BUCKETS)
    return -1;
  for (size_t i = 0; i < num; i++)
    if (!isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
      return -1;
  h->bounds = bounds;
  h->bounds_num = num;
  return 0;
}

void om_histogram_observe(om_histogram *h, double v) {
  if (isnan(v))
    return;
  for (size_t i = 0; i < h->bounds_num; i++)
    if (v <= h->bounds[i])
      h->cumulative[i]++;
  h->count++;
  h->sum += v;
}

void om_format_le(double v, char out[OM_LE_SIZE]) {
  om_format_double(v, 6, out, OM_LE_SIZE);
}

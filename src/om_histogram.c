/* Plugin-side histograms and Go's formatting of their "le" bounds. */
#include "om_histogram.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The fewest significant digits (1..17) that read back to v. */
static int shortest_digits(double v) {
  char buf[OM_LE_SIZE];
  for (int p = 1; p < 17; p++) {
    snprintf(buf, sizeof(buf), "%.*e", p - 1, v);
    if (strtod(buf, NULL) == v)
      return p;
  }
  return 17;
}

void om_format_le(double v, char out[OM_LE_SIZE]) {
  if (isinf(v)) {
    snprintf(out, OM_LE_SIZE, "%s", v > 0 ? "+Inf" : "-Inf");
    return;
  }
  if (isnan(v)) {
    snprintf(out, OM_LE_SIZE, "NaN");
    return;
  }
  if (v == 0) {
    snprintf(out, OM_LE_SIZE, "%s", signbit(v) ? "-0" : "0");
    return;
  }
  int digits = shortest_digits(v);
  char sci[OM_LE_SIZE];
  snprintf(sci, sizeof(sci), "%.*e", digits - 1, v);
  int exp = atoi(strchr(sci, 'e') + 1);
  if (exp < -4 || exp >= 6) {
    snprintf(out, OM_LE_SIZE, "%s", sci); /* C and Go agree: 1e+06, 1.5e-05 */
    return;
  }
  int decimals = digits - 1 - exp;
  snprintf(out, OM_LE_SIZE, "%.*f", decimals > 0 ? decimals : 0, v);
}

/* Handing samples to a sink; see om_sink.h. */
#include "om_sink.h"

void om_sink_value(const om_sink *s, const char *family, om_label *labels,
                   size_t n, double value) {
  s->value(s->ctx, family, labels, n, value);
}

void om_sink_histogram(const om_sink *s, const char *family,
                       const om_label *labels, size_t n,
                       const om_histogram *h) {
  s->histogram(s->ctx, family, labels, n, h);
}

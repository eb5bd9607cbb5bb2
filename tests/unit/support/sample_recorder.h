/* A sink (om_sink.h) for the mapping tests: it writes each sample as a
 * line "family{name=value,...} value", labels in the order given, and
 * counts the histograms it is handed. */
#ifndef SAMPLE_RECORDER_H
#define SAMPLE_RECORDER_H

#include "om_sink.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef RECORDER_LINES
#define RECORDER_LINES 64
#endif
#define RECORDER_LINE 512

typedef struct {
  bool exact; /* values as %.17g rather than %g */
  char lines[RECORDER_LINES][RECORDER_LINE];
  size_t n;
  size_t histograms;
  const om_histogram *last_histogram;
  char last_histogram_family[128];
} recorder;

static inline void recorder_value(void *ctx, const char *family,
                                  om_label *labels, size_t n, double value) {
  recorder *r = ctx;
  ck_assert_uint_lt(r->n, RECORDER_LINES);
  char *p = r->lines[r->n++];
  int len = snprintf(p, RECORDER_LINE, "%s{", family);
  for (size_t i = 0; i < n; i++)
    len += snprintf(p + len, RECORDER_LINE - (size_t)len, "%s%.*s=%.*s",
                    i ? "," : "", (int)labels[i].name.len, labels[i].name.ptr,
                    (int)labels[i].value.len, labels[i].value.ptr);
  len += snprintf(p + len, RECORDER_LINE - (size_t)len, "} ");
  if (r->exact)
    snprintf(p + len, RECORDER_LINE - (size_t)len, "%.17g", value);
  else
    snprintf(p + len, RECORDER_LINE - (size_t)len, "%g", value);
}

static inline void recorder_histogram(void *ctx, const char *family,
                                      const om_label *labels, size_t n,
                                      const om_histogram *h) {
  (void)labels;
  (void)n;
  recorder *r = ctx;
  snprintf(r->last_histogram_family, sizeof(r->last_histogram_family), "%s",
           family);
  r->last_histogram = h;
  r->histograms++;
}

/* A sink into r, which writes values exactly (%.17g) or shortly (%g). */
static inline om_sink recorder_sink(recorder *r, bool exact) {
  memset(r, 0, sizeof(*r));
  r->exact = exact;
  return (om_sink){recorder_value, recorder_histogram, r};
}

/* Whether the recorder holds this line. */
static inline bool recorded(const recorder *r, const char *line) {
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->lines[i], line) == 0)
      return true;
  return false;
}

#endif

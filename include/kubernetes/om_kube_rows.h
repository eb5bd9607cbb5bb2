/* kubernetes/, pure: includes core/ and kubernetes/.
 *
 * Sets of rows: a row is one sample to dispatch, family, labels (copied)
 * and value, and a set holds each (family, labels) once, hashed. */
#ifndef OM_KUBE_ROWS_H
#define OM_KUBE_ROWS_H

#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_KUBE_MAX_LABELS 12
#define OM_KUBE_MAX_TEXT 1024 /* bytes of one label value */

typedef struct {
  const char *family;
  size_t n;
  const char *names[OM_KUBE_MAX_LABELS];
  const char *values[OM_KUBE_MAX_LABELS];
  double value;
  double when;  /* for om_kube_rows_newest: the order of candidates */
  bool counted; /* a count: kept at 0 once it empties */
  uint64_t key; /* hash of family and labels */
  char data[];  /* the strings */
} om_kube_row;

/* A set of rows with unique (family, labels). */
typedef struct {
  om_kube_row **rows;
  size_t num, cap;
  size_t *index; /* open addressing over rows, index_cap slots (0: empty) */
  size_t index_cap;
  bool out_of_memory;
} om_kube_rows;

void om_kube_rows_free(om_kube_rows *r);
/* Sets the row's value (added when new). */
void om_kube_rows_set(om_kube_rows *r, const char *family,
                      const om_label *labels, size_t n, double value);
/* Adds 1 to a count row (added at 1 when new). */
void om_kube_rows_count(om_kube_rows *r, const char *family,
                        const om_label *labels, size_t n);
/* Keeps, per (family, labels), the value whose `when` is the greatest. */
void om_kube_rows_newest(om_kube_rows *r, const char *family,
                         const om_label *labels, size_t n, double value,
                         double when);
/* The row with these family and labels, or NULL. */
const om_kube_row *om_kube_rows_find(const om_kube_rows *r, const char *family,
                                     const om_label *labels, size_t n);
/* Zero counts: every count row of seen that counts lacks is added to
 * counts at 0, and every count row of counts that seen lacks is added to
 * seen (while seen has fewer than max_seen rows). */
void om_kube_rows_settle_counts(om_kube_rows *counts, om_kube_rows *seen,
                                size_t max_seen);

#endif

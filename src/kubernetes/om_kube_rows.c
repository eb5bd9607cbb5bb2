/* Sets of rows (family, labels, value) with unique keys. */
#include "om_kube_rows.h"
#include "om_hash.h"

#include <stdlib.h>
#include <string.h>

static uint64_t row_key(const char *family, const om_label *labels, size_t n) {
  uint64_t h = om_hash_bytes(OM_HASH_SEED, family, strlen(family));
  for (size_t i = 0; i < n; i++) {
    h = om_hash_bytes(h, labels[i].name.ptr, labels[i].name.len);
    h = om_hash_bytes(h, labels[i].value.ptr, labels[i].value.len);
  }
  return h;
}

static bool row_matches(const om_kube_row *row, uint64_t key,
                        const char *family, const om_label *labels, size_t n) {
  if (row->key != key || row->n != n || strcmp(row->family, family) != 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!om_slice_eq_cstr(labels[i].name, row->names[i]) ||
        !om_slice_eq_cstr(labels[i].value, row->values[i]))
      return false;
  return true;
}

void om_kube_rows_free(om_kube_rows *r) {
  for (size_t i = 0; i < r->num; i++)
    free(r->rows[i]);
  free(r->rows);
  free(r->index);
  *r = (om_kube_rows){0};
}

static char *put(char **at, const char *s, size_t len) {
  char *start = *at;
  memcpy(start, s, len);
  start[len] = '\0';
  *at += len + 1;
  return start;
}

static om_kube_row *row_new(uint64_t key, const char *family,
                            const om_label *labels, size_t n) {
  size_t bytes = strlen(family) + 1;
  for (size_t i = 0; i < n; i++)
    bytes += labels[i].name.len + labels[i].value.len + 2;
  om_kube_row *row = calloc(1, sizeof(*row) + bytes);
  if (row == NULL)
    return NULL;
  char *at = row->data;
  row->family = put(&at, family, strlen(family));
  for (size_t i = 0; i < n; i++) {
    row->names[i] = put(&at, labels[i].name.ptr, labels[i].name.len);
    row->values[i] = put(&at, labels[i].value.ptr, labels[i].value.len);
  }
  row->n = n;
  row->key = key;
  return row;
}

/* Rebuilds the index at twice the rows' capacity (a power of two). */
static int reindex(om_kube_rows *r, size_t cap) {
  size_t *index = calloc(cap, sizeof(*index));
  if (index == NULL)
    return -1;
  for (size_t i = 0; i < r->num; i++) {
    size_t s = (size_t)r->rows[i]->key & (cap - 1);
    while (index[s] != 0)
      s = (s + 1) & (cap - 1);
    index[s] = i + 1;
  }
  free(r->index);
  r->index = index;
  r->index_cap = cap;
  return 0;
}

static size_t find_slot(const om_kube_rows *r, uint64_t key, const char *family,
                        const om_label *labels, size_t n, bool *found) {
  size_t s = (size_t)key & (r->index_cap - 1);
  while (r->index[s] != 0) {
    if (row_matches(r->rows[r->index[s] - 1], key, family, labels, n)) {
      *found = true;
      return s;
    }
    s = (s + 1) & (r->index_cap - 1);
  }
  *found = false;
  return s;
}

/* The row of (family, labels), added (value 0) when new; NULL when out of
 * memory or with too many labels. */
static om_kube_row *row_of(om_kube_rows *r, const char *family,
                           const om_label *labels, size_t n, bool *added) {
  *added = false;
  if (n > OM_KUBE_MAX_LABELS) {
    r->out_of_memory = true;
    return NULL;
  }
  if ((r->num + 1) * 2 > r->index_cap &&
      reindex(r, r->index_cap ? r->index_cap * 2 : 64) != 0) {
    r->out_of_memory = true;
    return NULL;
  }
  uint64_t key = row_key(family, labels, n);
  bool found;
  size_t slot = find_slot(r, key, family, labels, n, &found);
  if (found)
    return r->rows[r->index[slot] - 1];
  if (r->num == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 32;
    om_kube_row **rows = realloc(r->rows, cap * sizeof(*rows));
    if (rows == NULL) {
      r->out_of_memory = true;
      return NULL;
    }
    r->rows = rows;
    r->cap = cap;
  }
  om_kube_row *row = row_new(key, family, labels, n);
  if (row == NULL) {
    r->out_of_memory = true;
    return NULL;
  }
  r->rows[r->num++] = row;
  r->index[slot] = r->num;
  *added = true;
  return row;
}

void om_kube_rows_set(om_kube_rows *r, const char *family,
                      const om_label *labels, size_t n, double value) {
  bool added;
  om_kube_row *row = row_of(r, family, labels, n, &added);
  if (row != NULL)
    row->value = value;
}

void om_kube_rows_count(om_kube_rows *r, const char *family,
                        const om_label *labels, size_t n) {
  bool added;
  om_kube_row *row = row_of(r, family, labels, n, &added);
  if (row == NULL)
    return;
  row->counted = true;
  row->value += 1;
}

void om_kube_rows_newest(om_kube_rows *r, const char *family,
                         const om_label *labels, size_t n, double value,
                         double when) {
  bool added;
  om_kube_row *row = row_of(r, family, labels, n, &added);
  if (row == NULL || (!added && row->when >= when))
    return;
  row->value = value;
  row->when = when;
}

const om_kube_row *om_kube_rows_find(const om_kube_rows *r, const char *family,
                                     const om_label *labels, size_t n) {
  if (r->index_cap == 0 || n > OM_KUBE_MAX_LABELS)
    return NULL;
  bool found;
  size_t slot =
      find_slot(r, row_key(family, labels, n), family, labels, n, &found);
  return found ? r->rows[r->index[slot] - 1] : NULL;
}

/* The labels of a row as om_label views. */
static void row_labels(const om_kube_row *row, om_label *out) {
  for (size_t i = 0; i < row->n; i++)
    out[i] = om_label_cstr(row->names[i], row->values[i]);
}

void om_kube_rows_settle_counts(om_kube_rows *counts, om_kube_rows *seen,
                                size_t max_seen) {
  om_label l[OM_KUBE_MAX_LABELS];
  bool added;
  for (size_t i = 0; i < seen->num; i++) {
    const om_kube_row *s = seen->rows[i];
    row_labels(s, l);
    om_kube_row *row = row_of(counts, s->family, l, s->n, &added);
    if (row != NULL && added)
      row->counted = true;
  }
  for (size_t i = 0; i < counts->num && seen->num < max_seen; i++) {
    const om_kube_row *c = counts->rows[i];
    if (!c->counted)
      continue;
    row_labels(c, l);
    om_kube_row *row = row_of(seen, c->family, l, c->n, &added);
    if (row != NULL)
      row->counted = true;
  }
}

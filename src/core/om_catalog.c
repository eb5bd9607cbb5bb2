/* The catalog index: series types and their collectd data sets. */
#include "om_catalog.h"
#include "om_hash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct om_catalog {
  om_series_type *series; /* sorted by series_name */
  size_t series_num;
};

static const char *const kind_suffix[] = {"", "_bucket", "_sum", "_count"};

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_series_name(const void *a, const void *b) {
  return strcmp(((const om_series_type *)a)->series_name,
                ((const om_series_type *)b)->series_name);
}

static int cmp_type_name(const void *a, const void *b) {
  return strcmp(((const om_series_type *)a)->type_name,
                ((const om_series_type *)b)->type_name);
}

static int set_order(om_series_type *s, char *err, size_t errlen) {
  s->order_num = 0;
  for (const char *const *l = s->family->labels; *l != NULL; l++) {
    if (s->order_num == OM_SERIES_ORDER_MAX - 1) {
      snprintf(err, errlen, "too many labels in family %s", s->family->name);
      return -1;
    }
    s->order[s->order_num++] = om_slice_from_cstr(*l);
  }
  if (s->extra_label != NULL)
    s->order[s->order_num++] = om_slice_from_cstr(s->extra_label);
  return 0;
}

/* Adds the series of one family with GAUGE types under their exact names. */
static int add_family_series(om_catalog *c, const om_family *f, char *err,
                             size_t errlen) {
  om_series_kind kinds[3];
  size_t kinds_num = 0;
  if (f->type == OM_TYPE_HISTOGRAM) {
    kinds[kinds_num++] = OM_SERIES_BUCKET;
    kinds[kinds_num++] = OM_SERIES_SUM;
    kinds[kinds_num++] = OM_SERIES_COUNT;
  } else if (f->type == OM_TYPE_SUMMARY) {
    kinds[kinds_num++] = OM_SERIES_PLAIN;
    kinds[kinds_num++] = OM_SERIES_SUM;
    kinds[kinds_num++] = OM_SERIES_COUNT;
  } else {
    kinds[kinds_num++] = OM_SERIES_PLAIN;
  }
  for (size_t k = 0; k < kinds_num; k++) {
    om_series_type *s = &c->series[c->series_num];
    int n = snprintf(s->series_name, sizeof(s->series_name), "%s%s", f->name,
                     kind_suffix[kinds[k]]);
    /* a valid name never starts with a digit, so the relabel rules can
     * take a shard's number off the family name (om_shard.h) */
    if (n < 0 || (size_t)n >= sizeof(s->series_name) ||
        !om_metric_name_valid(s->series_name, (size_t)n)) {
      snprintf(err, errlen, "family name not a collectd type name: %s",
               f->name);
      return -1;
    }
    memcpy(s->type_name, s->series_name, sizeof(s->type_name));
    s->ds_type = OM_DS_GAUGE;
    s->family = f;
    s->kind = kinds[k];
    s->extra_label =
        kinds[k] == OM_SERIES_BUCKET ? "le"
        : (f->type == OM_TYPE_SUMMARY && kinds[k] == OM_SERIES_PLAIN)
            ? "quantile"
            : NULL;
    if (set_order(s, err, errlen) != 0)
      return -1;
    c->series_num++;
  }
  return 0;
}

/* Integer counters named *_total become DERIVE types without the suffix,
 * unless the shorter name is taken by another series. */
static void assign_derive_types(om_catalog *c) {
  for (size_t i = 0; i < c->series_num; i++) {
    om_series_type *s = &c->series[i];
    if (s->family->type != OM_TYPE_COUNTER || s->family->float_counter ||
        !ends_with(s->series_name, "_total"))
      continue;
    om_series_type key;
    size_t stem = strlen(s->series_name) - strlen("_total");
    memcpy(key.series_name, s->series_name, stem);
    key.series_name[stem] = '\0';
    if (bsearch(&key, c->series, c->series_num, sizeof(key), cmp_series_name) !=
        NULL)
      continue;
    memcpy(s->type_name, key.series_name, stem + 1);
    s->ds_type = OM_DS_DERIVE;
  }
}

static int check_unique(om_catalog *c, int (*cmp)(const void *, const void *),
                        const char *what, char *err, size_t errlen) {
  qsort(c->series, c->series_num, sizeof(*c->series), cmp);
  for (size_t i = 1; i < c->series_num; i++) {
    if (cmp(&c->series[i - 1], &c->series[i]) == 0) {
      snprintf(err, errlen, "two catalog series share the %s of %s", what,
               c->series[i].series_name);
      return -1;
    }
  }
  return 0;
}

om_catalog *om_catalog_new(char *err, size_t errlen) {
  size_t fam_num = 0;
  const om_family *fams = om_catalog_families(&fam_num);
  om_catalog *c = calloc(1, sizeof(*c));
  if (c == NULL ||
      (c->series = calloc(3 * fam_num, sizeof(*c->series))) == NULL) {
    snprintf(err, errlen, "out of memory building the catalog");
    om_catalog_free(c);
    return NULL;
  }
  for (size_t i = 0; i < fam_num; i++) {
    if (add_family_series(c, &fams[i], err, errlen) != 0) {
      om_catalog_free(c);
      return NULL;
    }
  }
  if (check_unique(c, cmp_series_name, "series name", err, errlen) != 0) {
    om_catalog_free(c);
    return NULL;
  }
  assign_derive_types(c);
  if (check_unique(c, cmp_type_name, "collectd type", err, errlen) != 0) {
    om_catalog_free(c);
    return NULL;
  }
  qsort(c->series, c->series_num, sizeof(*c->series), cmp_series_name);
  for (size_t i = 0; i < c->series_num; i++) {
    om_series_type *s = &c->series[i];
    s->type_hash =
        om_hash_bytes(OM_HASH_SEED, s->type_name, strlen(s->type_name));
  }
  return c;
}

void om_catalog_free(om_catalog *c) {
  if (c == NULL)
    return;
  free(c->series);
  free(c);
}

const om_series_type *om_catalog_series_types(const om_catalog *c,
                                              size_t *num) {
  *num = c->series_num;
  return c->series;
}

const om_series_type *om_catalog_find_series(const om_catalog *c,
                                             om_slice name) {
  size_t lo = 0, hi = c->series_num;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int r = om_slice_cmp(name, om_slice_from_cstr(c->series[mid].series_name));
    if (r == 0)
      return &c->series[mid];
    if (r < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const om_series_type *om_catalog_series_of(const om_catalog *c,
                                           const char *family,
                                           om_series_kind kind) {
  char name[OM_TYPE_NAME_SIZE];
  int n = snprintf(name, sizeof(name), "%s%s", family, kind_suffix[kind]);
  if (n < 0 || (size_t)n >= sizeof(name))
    return NULL;
  const om_series_type *s = om_catalog_find_series(c, om_slice_from_cstr(name));
  return (s != NULL && s->kind == kind) ? s : NULL;
}

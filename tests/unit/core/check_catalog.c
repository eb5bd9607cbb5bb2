/* The catalog against the documented tables, and the data-set rules. */
#include "check_main.h"
#include "om_catalog.h"
#include "om_shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_PATH OM_SOURCE_DIR "/tests/data/documented-families.md"
#define TYPES_DB "/usr/share/collectd/types.db"
#define MAX_DOC 512

typedef struct {
  char name[128];
  char type[32];
  char labels[256];
  char buckets[256];
  bool seen; /* matched by a catalog family */
} doc_family;

static doc_family doc[MAX_DOC];
static size_t doc_num;

static void trim(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
    s[--n] = '\0';
  size_t lead = strspn(s, " ");
  memmove(s, s + lead, strlen(s + lead) + 1);
}

/* Rows "| name | type | labels | buckets |"; the header rows are skipped. */
static void load_doc(void) {
  FILE *f = fopen(DOC_PATH, "r");
  ck_assert_msg(f != NULL, "cannot open %s", DOC_PATH);
  char line[1024];
  doc_num = 0;
  while (fgets(line, sizeof(line), f) != NULL) {
    if (line[0] != '|' || strncmp(line, "| family", 8) == 0 ||
        strncmp(line, "|---", 4) == 0)
      continue;
    char *cols[4];
    char *p = line + 1;
    for (int i = 0; i < 4; i++) {
      char *bar = strchr(p, '|');
      ck_assert_msg(bar != NULL, "malformed table row: %s", line);
      *bar = '\0';
      cols[i] = p;
      p = bar + 1;
      trim(cols[i]);
    }
    ck_assert(doc_num < MAX_DOC);
    doc_family *d = &doc[doc_num++];
    snprintf(d->name, sizeof(d->name), "%s", cols[0]);
    snprintf(d->type, sizeof(d->type), "%s", cols[1]);
    snprintf(d->labels, sizeof(d->labels), "%s", cols[2]);
    snprintf(d->buckets, sizeof(d->buckets), "%s", cols[3]);
    d->seen = false;
  }
  fclose(f);
}

/* The type as documented-families.md writes it. */
static const char *type_word(om_metric_type t) {
  switch (t) {
  case OM_TYPE_COUNTER:
    return "counter";
  case OM_TYPE_GAUGE:
    return "gauge";
  case OM_TYPE_HISTOGRAM:
    return "histogram";
  case OM_TYPE_SUMMARY:
    return "summary";
  default:
    return "untyped";
  }
}

static void catalog_type(const om_family *f, char *buf, size_t cap) {
  snprintf(buf, cap, "%s%s", type_word(f->type),
           f->float_counter ? " (float)" : "");
}

static void catalog_labels(const om_family *f, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; f->labels[i] != NULL; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                             f->labels[i]);
  if (used == 0)
    snprintf(buf, cap, "-");
}

static void catalog_buckets(const om_family *f, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < f->buckets_num; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%g", i ? ", " : "",
                             f->buckets[i]);
  if (used == 0)
    snprintf(buf, cap, "-");
}

START_TEST(test_catalog_matches_documentation) {
  load_doc();
  size_t num = 0;
  const om_family *fams = om_catalog_families(&num);
  for (size_t i = 0; i < num; i++) {
    const om_family *f = &fams[i];
    doc_family *d = NULL;
    for (size_t j = 0; j < doc_num && d == NULL; j++)
      if (strcmp(doc[j].name, f->name) == 0)
        d = &doc[j];
    ck_assert_msg(d != NULL, "%s is in the catalog but not documented",
                  f->name);
    ck_assert_msg(!d->seen, "%s is twice in the catalog", f->name);
    d->seen = true;
    char buf[256];
    catalog_type(f, buf, sizeof(buf));
    ck_assert_msg(strcmp(buf, d->type) == 0, "%s: type %s, documented %s",
                  f->name, buf, d->type);
    catalog_labels(f, buf, sizeof(buf));
    ck_assert_msg(strcmp(buf, d->labels) == 0,
                  "%s: labels \"%s\", documented \"%s\"", f->name, buf,
                  d->labels);
    catalog_buckets(f, buf, sizeof(buf));
    ck_assert_msg(strcmp(buf, d->buckets) == 0,
                  "%s: buckets \"%s\", documented \"%s\"", f->name, buf,
                  d->buckets);
  }
  for (size_t j = 0; j < doc_num; j++)
    ck_assert_msg(doc[j].seen, "%s is documented but not in the catalog",
                  doc[j].name);
}
END_TEST

START_TEST(test_dbops_has_27_families) {
  size_t num = 0, dbops = 0, dynamo = 0;
  const om_family *fams = om_catalog_families(&num);
  for (size_t i = 0; i < num; i++) {
    dbops += strncmp(fams[i].name, "dbops_", 6) == 0;
    dynamo += strncmp(fams[i].name, "dynamo_operator_", 16) == 0;
  }
  ck_assert_uint_eq(dbops, 27);
  ck_assert_uint_eq(dynamo, 7);
}
END_TEST

typedef struct {
  const char *series;
  const char *type_name;
  om_ds_type ds;
  const char *extra_label;
} series_case;

static const series_case series_cases[] = {
    /* integer counters: DERIVE without _total (write_prometheus adds it) */
    {"controller_runtime_reconcile_total", "controller_runtime_reconcile",
     OM_DS_DERIVE, NULL},
    {"dbops_connection_attempts_total", "dbops_connection_attempts",
     OM_DS_DERIVE, NULL},
    {"workqueue_adds_total", "workqueue_adds", OM_DS_DERIVE, NULL},
    /* float counter: GAUGE under its exact name */
    {"process_cpu_seconds_total", "process_cpu_seconds_total", OM_DS_GAUGE,
     NULL},
    /* a gauge that happens to end in _total */
    {"dynamo_operator_resources_total", "dynamo_operator_resources_total",
     OM_DS_GAUGE, NULL},
    /* the stem is another family's name: stays GAUGE, exact name */
    {"go_memstats_alloc_bytes_total", "go_memstats_alloc_bytes_total",
     OM_DS_GAUGE, NULL},
    {"go_memstats_alloc_bytes", "go_memstats_alloc_bytes", OM_DS_GAUGE, NULL},
    /* counters named without _total */
    {"provisioning_workflows_failed", "provisioning_workflows_failed",
     OM_DS_GAUGE, NULL},
    /* histogram and summary series */
    {"controller_runtime_reconcile_time_seconds_bucket",
     "controller_runtime_reconcile_time_seconds_bucket", OM_DS_GAUGE, "le"},
    {"controller_runtime_reconcile_time_seconds_sum",
     "controller_runtime_reconcile_time_seconds_sum", OM_DS_GAUGE, NULL},
    {"controller_runtime_reconcile_time_seconds_count",
     "controller_runtime_reconcile_time_seconds_count", OM_DS_GAUGE, NULL},
    {"go_gc_duration_seconds", "go_gc_duration_seconds", OM_DS_GAUGE,
     "quantile"},
    {"go_gc_duration_seconds_count", "go_gc_duration_seconds_count",
     OM_DS_GAUGE, NULL},
    {"up", "up", OM_DS_GAUGE, NULL},
    {"operator_metrics_dropped_samples_total",
     "operator_metrics_dropped_samples", OM_DS_DERIVE, NULL},
};

START_TEST(test_series_types) {
  const series_case *c = &series_cases[_i];
  char err[256];
  om_catalog *cat = om_catalog_new(err, sizeof(err));
  ck_assert_msg(cat != NULL, "%s", err);
  const om_series_type *st =
      om_catalog_find_series(cat, om_slice_from_cstr(c->series));
  ck_assert_msg(st != NULL, "%s not found", c->series);
  ck_assert_str_eq(st->type_name, c->type_name);
  ck_assert_int_eq(st->ds_type, c->ds);
  if (c->extra_label)
    ck_assert_str_eq(st->extra_label, c->extra_label);
  else
    ck_assert_ptr_null(st->extra_label);
  om_catalog_free(cat);
}
END_TEST

START_TEST(test_unknown_and_partial_names) {
  char err[256];
  om_catalog *cat = om_catalog_new(err, sizeof(err));
  ck_assert_ptr_null(om_catalog_find_series(cat, om_slice_from_cstr("nope")));
  /* a histogram's family name is not itself a series */
  ck_assert_ptr_null(om_catalog_find_series(
      cat, om_slice_from_cstr("controller_runtime_reconcile_time_seconds")));
  ck_assert_ptr_null(
      om_catalog_find_series(cat, om_slice_from_cstr("controller_runtime")));
  ck_assert_ptr_nonnull(om_catalog_series_of(
      cat, "dbops_backup_duration_seconds", OM_SERIES_BUCKET));
  ck_assert_ptr_null(om_catalog_series_of(cat, "up", OM_SERIES_BUCKET));
  om_catalog_free(cat);
}
END_TEST

static int cmp_names(const void *a, const void *b) { return strcmp(a, b); }

/* Every data set the plugin registers, the generic one included, into a
 * new array of OM_TYPE_NAME_SIZE-byte names; *n of them. Shards do not add
 * any: they live in the plugin name (om_shard.h). */
static char *all_type_names(const om_catalog *cat, size_t *n) {
  size_t num = 0;
  const om_series_type *st = om_catalog_series_types(cat, &num);
  char *names = calloc(num + 1, OM_TYPE_NAME_SIZE);
  ck_assert_ptr_nonnull(names);
  for (size_t i = 0; i < num; i++)
    snprintf(names + OM_TYPE_NAME_SIZE * i, OM_TYPE_NAME_SIZE, "%s",
             st[i].type_name);
  snprintf(names + OM_TYPE_NAME_SIZE * num, OM_TYPE_NAME_SIZE, "%s",
           OM_GENERIC_BASE);
  *n = num + 1;
  return names;
}

/* Every data set name is unique and fits collectd's type field. */
START_TEST(test_type_names_unique) {
  char err[256];
  om_catalog *cat = om_catalog_new(err, sizeof(err));
  size_t num = 0;
  om_catalog_series_types(cat, &num);
  ck_assert_uint_gt(num, 200);
  size_t n = 0;
  char *names = all_type_names(cat, &n);
  qsort(names, n, OM_TYPE_NAME_SIZE, cmp_names);
  for (size_t i = 1; i < n; i++)
    ck_assert_msg(strcmp(names + OM_TYPE_NAME_SIZE * (i - 1),
                         names + OM_TYPE_NAME_SIZE * i) != 0,
                  "type %s twice", names + OM_TYPE_NAME_SIZE * i);
  free(names);
  om_catalog_free(cat);
}
END_TEST

/* No data set of ours may overwrite one of collectd's own types.db. */
START_TEST(test_no_clash_with_types_db) {
  FILE *f = fopen(TYPES_DB, "r");
  ck_assert_msg(f != NULL, "%s missing: install collectd-core", TYPES_DB);
  char err[256];
  om_catalog *cat = om_catalog_new(err, sizeof(err));
  size_t n = 0;
  char *names = all_type_names(cat, &n);
  char line[1024];
  size_t checked = 0;
  while (fgets(line, sizeof(line), f) != NULL) {
    char name[128];
    if (line[0] == '#' || sscanf(line, "%127s", name) != 1)
      continue;
    checked++;
    for (size_t i = 0; i < n; i++)
      ck_assert_msg(strcmp(names + OM_TYPE_NAME_SIZE * i, name) != 0,
                    "%s clashes with types.db", name);
  }
  fclose(f);
  ck_assert_uint_gt(checked, 100);
  free(names);
  om_catalog_free(cat);
}
END_TEST

static Suite *catalog_suite(void) {
  Suite *s = suite_create("catalog");
  TCase *tc = tcase_create("catalog");
  tcase_add_test(tc, test_catalog_matches_documentation);
  tcase_add_test(tc, test_dbops_has_27_families);
  tcase_add_loop_test(tc, test_series_types, 0,
                      sizeof(series_cases) / sizeof(series_cases[0]));
  tcase_add_test(tc, test_unknown_and_partial_names);
  tcase_add_test(tc, test_type_names_unique);
  tcase_add_test(tc, test_no_clash_with_types_db);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(catalog_suite)

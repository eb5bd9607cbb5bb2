/* libFuzzer target: arbitrary query results (tables of NUL-separated
 * cells, some SQL NULL) through every <Postgres> result parser and the
 * mapping to dbops_* samples, each built as the emitter builds it. Bad
 * rows are skipped and counted, never a crash, a leak or an invalid
 * label handed on. */
#include "om_catalog.h"
#include "om_pg_map.h"
#include "om_sample.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static om_catalog *catalog;

static void value(void *ctx, const char *family, om_label *labels, size_t n,
                  double v) {
  (void)ctx;
  const om_series_type *st =
      om_catalog_series_of(catalog, family, OM_SERIES_PLAIN);
  if (st == NULL)
    abort(); /* the mapping names only documented families */
  om_sample s;
  om_sample_build(st, labels, n, v, &s); /* any reason is fine, no crash */
}

static void histogram(void *ctx, const char *family, const om_label *labels,
                      size_t n, const om_histogram *h) {
  (void)ctx;
  (void)family;
  (void)labels;
  (void)n;
  (void)h;
}

static bool keep_all(const void *ctx, const char *name, bool is_template) {
  (void)ctx;
  (void)name;
  return !is_template;
}

/* A table of cols columns from the bytes: cells separated by '\0', a cell
 * "\x01" standing for NULL, at most 64 cells. */
static size_t table(const uint8_t *data, size_t size, size_t cols,
                    const char **cells, char *store, om_pg_table *t) {
  memcpy(store, data, size);
  store[size] = '\0';
  size_t n = 0;
  for (char *c = store; n < 64 && c < store + size; c += strlen(c) + 1)
    cells[n++] = strcmp(c, "\x01") == 0 ? NULL : c;
  *t = (om_pg_table){n / cols, cols, cells};
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[256];
  if (catalog == NULL)
    catalog = om_catalog_new(err, sizeof(err));
  if (size < 1 || size > 4096)
    return 0;
  const char *cells[64];
  char *store = malloc(size + 1);
  om_pg_snapshot s = {0};
  om_pg_table t;
  unsigned pick = data[0];
  table(data + 1, size - 1, 2, cells, store, &t);
  om_pg_parse_databases(&s, &t, keep_all, NULL, err, sizeof(err));
  switch (pick % 5) {
  case 0:
    om_pg_parse_sizes(&s, &t, err, sizeof(err));
    break;
  case 1:
    table(data + 1, size - 1, 3, cells, store, &t);
    om_pg_parse_roles(&s, &t, err, sizeof(err));
    break;
  case 2:
    table(data + 1, size - 1, 3, cells, store, &t);
    om_pg_parse_database_grants(&s, &t, err, sizeof(err));
    break;
  case 3:
    om_pg_parse_memberships(&s, &t, err, sizeof(err));
    break;
  default:
    table(data + 1, size - 1, 3, cells, store, &t);
    om_pg_parse_archiver(&s, &t, err, sizeof(err));
  }
  char *array = om_pg_database_array(&s);
  free(array);
  om_pg_identity id = {"pg", "postgres", "ns", "127.0.0.1", "5432", "15.4"};
  om_sink sink = {value, histogram, NULL};
  om_pg_map_health(&id, pick & 1, 1.8e9, &sink);
  om_pg_map_snapshot(&id, &s, &sink);
  om_pg_snapshot_free(&s);
  free(store);
  return 0;
}

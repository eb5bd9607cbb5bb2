/* libFuzzer target: arbitrary bodies through the whole scrape pipeline.
 * Every emitted sample must have terminated, valid-UTF-8 pack fields of at
 * most 127 bytes and a known data set; nothing may crash or leak. */
#include "om_scrape.h"

#include <stdlib.h>
#include <string.h>

static om_catalog *catalog;
static om_series_set *seen;

static void check_field(const char *f) {
  size_t n = strnlen(f, OM_PACK_FIELD_SIZE);
  if (n >= OM_PACK_FIELD_SIZE || !om_utf8_valid(f, n) || strchr(f, '/'))
    abort();
}

static void check_sample(const om_sample *s) {
  check_field(s->pack.plugin_instance);
  check_field(s->pack.type_instance);
  if (s->type_name == NULL || s->type_name[0] == '\0')
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (catalog == NULL) {
    char err[256];
    catalog = om_catalog_new(err, sizeof(err));
    seen = om_series_set_new();
  }
  static const om_label targets[] = {
      {{"job", 3}, {"fuzz", 4}},
      {{"instance", 8}, {"127.0.0.1:1", 11}},
      {{"cluster", 7}, {"a/b", 3}},
  };
  static const char *const include[] = {"*"};
  static const char *const exclude[] = {"go_*"};
  bool flag = size > 0 && (data[0] & 1);
  om_scrape_config cfg = {
      .catalog = catalog,
      .target_labels = targets,
      .target_labels_num = 3,
      .honor_labels = flag,
      .include = include,
      .include_num = flag ? 1 : 0,
      .exclude = exclude,
      .exclude_num = 1,
      .max_series = 1000,
  };
  char *copy = malloc(size ? size : 1);
  memcpy(copy, data, size);
  om_scrape_result res;
  om_scrape scrape;
  om_sample sample;
  om_slice series;
  om_scrape_begin(&scrape, &cfg, seen, copy, size, &res);
  while (om_scrape_next(&scrape, &sample, &series)) {
    check_sample(&sample);
    if (series.ptr < copy || series.ptr + series.len > copy + size)
      abort();
  }
  if (res.samples_emitted > res.samples_scraped)
    abort();
  free(copy);
  return 0;
}

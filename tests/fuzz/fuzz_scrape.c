/* libFuzzer target: arbitrary bodies through the whole scrape pipeline.
 * Every emitted sample must have terminated, valid-UTF-8 pack fields of at
 * most 127 bytes and a known data set; nothing may crash or leak. The
 * body goes through without a series cache, with a new one, with the one
 * the second pass filled, and twice through a cache of at most 7 entries
 * (entries and identity numbers run out). All must hand out the same
 * samples and count the same drops: the cache changes no outcome. */
#include "om_hash.h"
#include "om_scrape.h"

#include <stdlib.h>
#include <string.h>

static om_catalog *catalog;
static om_series_set *seen;

/* The pack: as long as it says, no '/', and each field collectd gets
 * valid UTF-8 of at most 127 bytes. */
static void check_pack(const char *p, size_t len) {
  size_t cut[OM_PACK_FIELDS + 1];
  if (strnlen(p, OM_PACK_MAX + 1) != len || len > OM_PACK_MAX ||
      memchr(p, '/', len) != NULL || !om_pack_split(p, len, cut))
    abort();
  for (int k = 0; k < OM_PACK_FIELDS; k++)
    if (cut[k + 1] - cut[k] > OM_PACK_FIELD_MAX ||
        !om_utf8_valid(p + cut[k], cut[k + 1] - cut[k]))
      abort();
}

/* Checks a sample and folds it into h. */
static uint64_t check_sample(uint64_t h, const om_scraped *s) {
  const om_series_ref *r = &s->series;
  check_pack(r->pack, r->pack_len);
  if (r->type_name == NULL || r->type_name[0] == '\0')
    abort();
  h = om_hash_bytes(h, r->type_name, strlen(r->type_name));
  h = om_hash_bytes(h, r->pack, r->pack_len);
  h = om_hash_bytes(h, s->name.ptr, s->name.len);
  h = om_hash_u64(h, r->id ^ (uint64_t)r->ds_type ^ (uint64_t)r->generic);
  h = om_hash_bytes(h, &s->value, sizeof(s->value));
  return om_hash_u64(h, (uint64_t)s->derive);
}

/* One pass over the body: a hash of every sample handed out, in order. */
static uint64_t pass(const om_scrape_config *cfg, om_series_cache *cache,
                     const char *copy, size_t size, om_scrape_result *res) {
  om_scrape scrape;
  om_scraped sample;
  uint64_t h = OM_HASH_SEED;
  om_scrape_begin(&scrape, cfg, seen, cache, copy, size, res);
  while (om_scrape_next(&scrape, &sample)) {
    h = check_sample(h, &sample);
    if (sample.name.ptr < copy ||
        sample.name.ptr + sample.name.len > copy + size)
      abort();
  }
  if (res->samples_emitted > res->samples_scraped)
    abort();
  return h;
}

static bool same_result(const om_scrape_result *a, const om_scrape_result *b) {
  return a->samples_scraped == b->samples_scraped &&
         a->samples_emitted == b->samples_emitted &&
         a->malformed_lines == b->malformed_lines &&
         a->first_malformed_line == b->first_malformed_line &&
         a->first_malformed_offset == b->first_malformed_offset &&
         a->first_malformed_kind == b->first_malformed_kind &&
         a->first_drop == b->first_drop &&
         memcmp(a->dropped, b->dropped, sizeof(a->dropped)) == 0 &&
         strcmp(a->first_drop_series, b->first_drop_series) == 0;
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
  om_scrape_result plain, fresh, warm, tight;
  om_series_cache *cache = om_series_cache_new(4096);
  /* a cache too small for the body: entries and numbers run out */
  om_series_cache *small = om_series_cache_new(size > 1 ? data[1] % 8 : 1);
  uint64_t h0 = pass(&cfg, NULL, copy, size, &plain);
  uint64_t h1 = pass(&cfg, cache, copy, size, &fresh);
  uint64_t h2 = pass(&cfg, cache, copy, size, &warm);
  pass(&cfg, small, copy, size, &tight);
  uint64_t h3 = pass(&cfg, small, copy, size, &tight);
  if (h0 != h1 || h1 != h2 || h2 != h3 || !same_result(&plain, &fresh) ||
      !same_result(&fresh, &warm) || !same_result(&warm, &tight))
    abort();
  om_series_cache_free(small);
  om_series_cache_free(cache);
  free(copy);
  return 0;
}

/* target/, pure: includes core/ and target/.
 *
 * From a scraped exposition body to collectd samples, without I/O.
 *
 * The caller pulls one sample at a time with om_scrape_next(). For every
 * sample line: find its catalog series (or the family it belongs to from
 * the preceding TYPE line), apply Include/Exclude, add the target's labels
 * as Prometheus does (honor_labels semantics), apply the block's label
 * rules (om_label_rules.h: a series a rule drops is left out like an
 * excluded one), build the sample, and drop
 * duplicates and anything over MaxSeries (the block's, then the room the
 * plugin-wide one leaves). Malformed lines are skipped and counted; the
 * rest of the body is kept.
 *
 * With a series cache (om_series_cache.h), a line whose `name{labels}`
 * the target has sent before is not parsed beyond its value: the cache
 * holds its series ready, or why it is left out. */
#ifndef OM_SCRAPE_H
#define OM_SCRAPE_H

#include "om_label_rules.h"
#include "om_parse.h"
#include "om_sample.h"
#include "om_series_cache.h"
#include "om_series_set.h"
#include "om_target_preset.h"

/* Bytes for the unescaped label values and renamed label names of one
 * sample line; a line needing more is dropped as pack_too_long (its pack
 * could never fit two 127-byte fields anyway). */
#define OM_SCRAPE_SCRATCH 4096
#define OM_SCRAPE_MAX_TARGET_LABELS 32

typedef struct {
  const om_catalog *catalog;
  /* job, instance and the user's Label pairs, in that order */
  const om_label *target_labels;
  size_t target_labels_num;
  bool honor_labels;
  /* fnmatch(3) globs over family names */
  const char *const *include;
  size_t include_num;
  const char *const *exclude;
  size_t exclude_num;
  /* with a preset, its families and those Include names (NULL: the
   * catalog and those Include names) */
  const om_target_preset *preset;
  /* a catalog family another block of this collectd owns (NULL: none):
   * left out like an excluded one */
  bool (*owned_elsewhere)(void *ctx, const char *family);
  void *owner_ctx;
  /* applied to the labels after the target's (NULL: none) */
  const om_label_rules *rules;
  size_t max_series;
  /* what the plugin-wide MaxSeries leaves this read (a zeroed config has
   * no such bound); samples beyond are dropped as plugin_series_limit */
  bool plugin_limited;
  size_t plugin_room;
} om_scrape_config;

typedef struct {
  size_t samples_scraped; /* well-formed sample lines */
  size_t samples_emitted;
  size_t malformed_lines;
  size_t first_malformed_line; /* 1-based; 0 when there was none */
  size_t first_malformed_offset;
  om_line_kind first_malformed_kind;
  size_t dropped[OM_DROP_REASONS_NUM];
  /* the first dropped sample, for the log */
  om_drop_reason first_drop;
  char first_drop_series[128];
  size_t first_drop_need; /* pack_too_long: the bytes its labels take */
} om_scrape_result;

#define OM_SCRAPE_MAX_LABELS                                                   \
  (OM_PARSE_MAX_LABELS + OM_SCRAPE_MAX_TARGET_LABELS + 1)

/* A sample to dispatch: its series (views valid until the next
 * om_scrape_next()) and value. */
typedef struct {
  om_series_ref series;
  double value;   /* GAUGE */
  int64_t derive; /* DERIVE: the count, exactly */
  om_slice name;  /* the series name, a view of the body */
} om_scraped;

/* One scrape of one body in progress. */
typedef struct {
  const om_scrape_config *cfg;
  om_series_set *seen;
  om_series_cache *cache; /* NULL: none */
  om_scrape_result *res;
  om_line_reader lines;
  om_parsed_line line;
  /* the family of the last TYPE line */
  om_slice type_family;
  om_metric_type type;
  /* the labels of the current sample line */
  om_label labels[OM_SCRAPE_MAX_LABELS];
  size_t labels_num;
  char scratch[OM_SCRAPE_SCRATCH];
  size_t scratch_used;
  om_sample built; /* the series of a line parsed whole */
} om_scrape;

/* Starts a scrape of body (len bytes, never written; it must outlive the
 * scrape): res is zeroed. cache (NULL: none) is the target's series
 * cache, kept from scrape to scrape with the same configuration; it spots
 * duplicates itself, and seen may be NULL. Without a cache, seen (cleared)
 * holds the identities of the samples handed out. */
void om_scrape_begin(om_scrape *s, const om_scrape_config *cfg,
                     om_series_set *seen, om_series_cache *cache,
                     const char *body, size_t len, om_scrape_result *res);

/* The next sample to dispatch into *out; false once the body is done.
 * Everything skipped or dropped on the way is counted in res. A caller
 * may stop at any point. */
bool om_scrape_next(om_scrape *s, om_scraped *out);

/* Does the family (f: its catalog entry, NULL outside the catalog) pass
 * the preset or the catalog, Include and Exclude, and is it not owned
 * elsewhere? */
bool om_scrape_family_selected(const om_scrape_config *cfg, om_slice family,
                               const om_family *f);

#endif

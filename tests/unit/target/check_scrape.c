/* The scrape pipeline: selection, target labels, generic families,
 * duplicates, the series cap and malformed lines. */
#include "check_main.h"
#include "om_scrape.h"
#include "om_shard.h"

#include <stdio.h>
#include <string.h>

#define MAX_OUT 64

typedef struct {
  char type[128];
  char pack[OM_PACK_MAX + 1];
  double value;
  int64_t derive;
  om_ds_type ds;
  bool generic;
} out_sample;

static out_sample out[MAX_OUT];
static size_t out_num;
static om_catalog *cat;
static om_series_set *seen;
/* Every test runs twice: without a series cache, and (the "cached" case)
 * on its second pass over the body through a new cache, so that every
 * known line takes the cache's way. */
static bool cached;

static void collect(const om_scraped *s) {
  ck_assert(out_num < MAX_OUT);
  out_sample *o = &out[out_num++];
  snprintf(o->type, sizeof(o->type), "%s", s->series.type_name);
  snprintf(o->pack, sizeof(o->pack), "%.*s", (int)s->series.pack_len,
           s->series.pack);
  o->value = s->value;
  o->derive = s->derive;
  o->ds = s->series.ds_type;
  o->generic = s->series.generic;
}

static void setup(void) {
  char err[256];
  cat = om_catalog_new(err, sizeof(err));
  seen = om_series_set_new();
  out_num = 0;
}

static void setup_cached(void) {
  setup();
  cached = true;
}

static void teardown(void) {
  cached = false;
  om_catalog_free(cat);
  om_series_set_free(seen);
}

#define LBL(n, v)                                                              \
  (om_label) { om_slice_from_cstr(n), om_slice_from_cstr(v) }

#define CLBL(n, v)                                                             \
  {                                                                            \
    {n, sizeof(n) - 1}, { v, sizeof(v) - 1 }                                   \
  }
static om_label target_labels[] = {CLBL("job", "datum"),
                                   CLBL("instance", "10.0.0.1:8443")};

static om_scrape_config base_config(void) {
  return (om_scrape_config){.catalog = cat,
                            .target_labels = target_labels,
                            .target_labels_num = 2,
                            .honor_labels = true,
                            .max_series = 1000};
}

/* One read of body through cache (NULL: none), its samples into out. */
static om_scrape_result scrape_with(const om_scrape_config *cfg,
                                    om_series_cache *cache, const char *body) {
  om_scrape_result res;
  size_t len = strlen(body);
  char *copy = om_test_exact_copy(body, len);
  out_num = 0;
  om_scrape sc;
  om_scraped sample;
  om_scrape_begin(&sc, cfg, seen, cache, copy, len, &res);
  while (om_scrape_next(&sc, &sample))
    collect(&sample);
  free(copy);
  return res;
}

static om_scrape_result scrape(const om_scrape_config *cfg, const char *body) {
  if (!cached)
    return scrape_with(cfg, NULL, body);
  om_series_cache *cache = om_series_cache_new(1000);
  scrape_with(cfg, cache, body);
  om_scrape_result res = scrape_with(cfg, cache, body);
  om_series_cache_free(cache);
  return res;
}

static const out_sample *find(const char *type, const char *pack) {
  for (size_t i = 0; i < out_num; i++)
    if (strcmp(out[i].type, type) == 0 && strcmp(out[i].pack, pack) == 0)
      return &out[i];
  return NULL;
}

START_TEST(test_catalog_sample) {
  om_scrape_config cfg = base_config();
  om_scrape_result r =
      scrape(&cfg, "controller_runtime_reconcile_total{controller=\"org\","
                   "result=\"success\"} 12\n");
  ck_assert_uint_eq(r.samples_scraped, 1);
  ck_assert_uint_eq(r.samples_emitted, 1);
  const out_sample *s =
      find("controller_runtime_reconcile",
           "controller=org,result=success,instance=10.0.0.1:8443,job=datum");
  ck_assert_ptr_nonnull(s);
  ck_assert_int_eq(s->ds, OM_DS_DERIVE);
  ck_assert(s->value == 12);
}
END_TEST

START_TEST(test_histogram_le_after_family_labels) {
  om_scrape_config cfg = base_config();
  scrape(&cfg, "workqueue_queue_duration_seconds_bucket{controller=\"c\","
               "le=\"1e-08\",name=\"c\"} 0\n");
  ck_assert_ptr_nonnull(
      find("workqueue_queue_duration_seconds_bucket",
           "name=c,controller=c,le=1e-08,instance=10.0.0.1:8443,job=datum"));
}
END_TEST

START_TEST(test_uncatalogued_needs_include) {
  om_scrape_config cfg = base_config();
  om_scrape_result r = scrape(&cfg, "datum_quota_usage_ratio{project=\"a\"} "
                                    "0.25\n");
  ck_assert_uint_eq(r.samples_scraped, 1);
  ck_assert_uint_eq(r.samples_emitted, 0);
  const char *include[] = {"datum_*"};
  cfg.include = include;
  cfg.include_num = 1;
  r = scrape(&cfg, "datum_quota_usage_ratio{project=\"a\"} 0.25\n");
  ck_assert_uint_eq(r.samples_emitted, 1);
  ck_assert_ptr_nonnull(find(OM_GENERIC_BASE,
                             "__name__=datum_quota_usage_ratio,"
                             "instance=10.0.0.1:8443,job=datum,project=a"));
}
END_TEST

/* The series of an uncatalogued histogram are one family, in the generic
 * types (its series spread over their shards as any others). */
START_TEST(test_uncatalogued_histogram_family) {
  om_scrape_config cfg = base_config();
  const char *include[] = {"my_latency_seconds"};
  cfg.include = include;
  cfg.include_num = 1;
  om_scrape_result r = scrape(&cfg, "# TYPE my_latency_seconds histogram\n"
                                    "my_latency_seconds_bucket{le=\"1\"} 3\n"
                                    "my_latency_seconds_sum 1.5\n"
                                    "my_latency_seconds_count 3\n"
                                    "my_latency_seconds_other 3\n");
  ck_assert_uint_eq(r.samples_emitted, 3);
  for (size_t i = 0; i < out_num; i++) {
    ck_assert_str_eq(out[i].type, OM_GENERIC_BASE);
    ck_assert(out[i].generic);
  }
}
END_TEST

START_TEST(test_exclude_narrows_catalog) {
  om_scrape_config cfg = base_config();
  const char *exclude[] = {"go_*"};
  cfg.exclude = exclude;
  cfg.exclude_num = 1;
  om_scrape_result r = scrape(&cfg, "go_goroutines 5\nprocess_open_fds 3\n");
  ck_assert_uint_eq(r.samples_scraped, 2);
  ck_assert_uint_eq(r.samples_emitted, 1);
  ck_assert_str_eq(out[0].type, "process_open_fds");
}
END_TEST

START_TEST(test_honor_labels) {
  om_scrape_config cfg = base_config();
  const char *line = "dbops_instance_healthy{engine=\"postgres\","
                     "instance=\"db-main\",namespace=\"prod\"} 1\n";
  scrape(&cfg, line);
  ck_assert_ptr_nonnull(find("dbops_instance_healthy",
                             "instance=db-main,engine=postgres,"
                             "namespace=prod,job=datum"));
  cfg.honor_labels = false;
  scrape(&cfg, line);
  ck_assert_ptr_nonnull(find("dbops_instance_healthy",
                             "instance=10.0.0.1:8443,engine=postgres,"
                             "namespace=prod,exported_instance=db-main,"
                             "job=datum"));
}
END_TEST

START_TEST(test_exported_prefix_repeats) {
  om_scrape_config cfg = base_config();
  cfg.honor_labels = false;
  scrape(&cfg, "up{job=\"a\",exported_job=\"b\"} 1\n");
  ck_assert_ptr_nonnull(
      find("up", "job=datum,instance=10.0.0.1:8443,exported_exported_job=a,"
                 "exported_job=b"));
}
END_TEST

START_TEST(test_user_labels) {
  om_label labels[] = {LBL("job", "datum"), LBL("instance", "h:1"),
                       LBL("cluster", "eu-1")};
  om_scrape_config cfg = base_config();
  cfg.target_labels = labels;
  cfg.target_labels_num = 3;
  scrape(&cfg, "go_goroutines 5\n");
  ck_assert_ptr_nonnull(
      find("go_goroutines", "cluster=eu-1,instance=h:1,job=datum"));
}
END_TEST

START_TEST(test_escaped_values) {
  om_scrape_config cfg = base_config();
  scrape(&cfg, "go_info{version=\"a\\\"b\\\\c\\nd\"} 1\n");
  ck_assert_ptr_nonnull(
      find("go_info", "version=a\"b\\c\nd,instance=10.0.0.1:8443,job=datum"));
}
END_TEST

START_TEST(test_slash_in_value) {
  om_scrape_config cfg = base_config();
  scrape(&cfg, "controller_runtime_webhook_requests_in_flight{webhook="
               "\"/validate-org\"} 0\n");
  ck_assert_ptr_nonnull(find("controller_runtime_webhook_requests_in_flight",
                             "webhook=" OM_PACK_SLASH_ESCAPE
                             "validate-org,instance=10.0.0.1:8443,job=datum"));
}
END_TEST

START_TEST(test_empty_label_is_absent) {
  om_scrape_config cfg = base_config();
  scrape(&cfg, "workqueue_depth{controller=\"c\",name=\"c\",priority=\"\"} 3"
               "\n");
  ck_assert_ptr_nonnull(find("workqueue_depth",
                             "name=c,controller=c,instance=10.0.0.1:8443,"
                             "job=datum"));
}
END_TEST

START_TEST(test_duplicates_dropped) {
  om_scrape_config cfg = base_config();
  om_scrape_result r =
      scrape(&cfg, "go_goroutines 5\ngo_goroutines 6\n"
                   "workqueue_depth{name=\"a\",priority=\"\"} 1\n"
                   "workqueue_depth{name=\"a\"} 2\n");
  ck_assert_uint_eq(r.samples_emitted, 2);
  ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], 2);
  ck_assert(out[0].value == 5);
}
END_TEST

/* The block's label rules act after the target labels and before the
 * encoding: a dropped label leaves the pack, series that become one are
 * duplicates, a series DropSeries drops is left out without a reason. */
START_TEST(test_label_rules) {
  char err[256];
  om_label_rules *rules = om_label_rules_new();
  ck_assert_int_eq(om_label_rules_add(rules, OM_RULE_LABEL_DROP, NULL, "result",
                                      err, sizeof(err)),
                   0);
  ck_assert_int_eq(om_label_rules_add(rules, OM_RULE_DROP_SERIES, "controller",
                                      "skip-.*", err, sizeof(err)),
                   0);
  ck_assert_int_eq(om_label_rules_add(rules, OM_RULE_DROP_SERIES, "__name__",
                                      "go_.*", err, sizeof(err)),
                   0);
  om_scrape_config cfg = base_config();
  cfg.rules = rules;
  om_scrape_result r =
      scrape(&cfg, "controller_runtime_reconcile_total{controller=\"org\","
                   "result=\"success\"} 12\n"
                   "controller_runtime_reconcile_total{controller=\"org\","
                   "result=\"error\"} 1\n"
                   "controller_runtime_reconcile_total{controller=\"skip-me\","
                   "result=\"error\"} 1\n"
                   "go_goroutines 5\n");
  ck_assert_uint_eq(r.samples_scraped, 4);
  ck_assert_uint_eq(r.samples_emitted, 1);
  ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], 1);
  ck_assert_uint_eq(out_num, 1);
  const out_sample *s = find("controller_runtime_reconcile",
                             "controller=org,instance=10.0.0.1:8443,job=datum");
  ck_assert_ptr_nonnull(s);
  ck_assert(s->value == 12);
  om_label_rules_free(rules);
}
END_TEST

START_TEST(test_series_cap) {
  om_scrape_config cfg = base_config();
  cfg.max_series = 2;
  om_scrape_result r = scrape(&cfg, "go_goroutines 1\ngo_threads 2\n"
                                    "process_open_fds 3\nprocess_max_fds 4\n");
  ck_assert_uint_eq(r.samples_scraped, 4);
  ck_assert_uint_eq(r.samples_emitted, 2);
  ck_assert_uint_eq(r.dropped[OM_DROP_SERIES_LIMIT], 2);
  ck_assert_int_eq(r.first_drop, OM_DROP_SERIES_LIMIT);
  ck_assert_str_eq(r.first_drop_series, "process_open_fds");
}
END_TEST

/* The room the plugin-wide MaxSeries leaves cuts after the block's own:
 * each drop is counted under its own reason. */
START_TEST(test_plugin_room) {
  om_scrape_config cfg = base_config();
  cfg.plugin_limited = true;
  cfg.plugin_room = 3;
  const char *body = "go_goroutines 1\ngo_threads 2\n"
                     "process_open_fds 3\nprocess_max_fds 4\n"
                     "process_open_fds 3\n";
  om_scrape_result r = scrape(&cfg, body);
  ck_assert_uint_eq(r.samples_emitted, 3);
  ck_assert_uint_eq(r.dropped[OM_DROP_PLUGIN_SERIES_LIMIT], 1);
  ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], 1);
  ck_assert_uint_eq(r.dropped[OM_DROP_SERIES_LIMIT], 0);
  ck_assert_str_eq(r.first_drop_series, "process_max_fds");
  cfg.max_series = 2; /* the block's own bound is the tighter */
  r = scrape(&cfg, body);
  ck_assert_uint_eq(r.samples_emitted, 2);
  ck_assert_uint_eq(r.dropped[OM_DROP_SERIES_LIMIT], 2);
  ck_assert_uint_eq(r.dropped[OM_DROP_PLUGIN_SERIES_LIMIT], 0);
  cfg.max_series = 1000;
  cfg.plugin_room = 0; /* nothing left */
  r = scrape(&cfg, body);
  ck_assert_uint_eq(r.samples_emitted, 0);
  ck_assert_uint_eq(r.dropped[OM_DROP_PLUGIN_SERIES_LIMIT], 4);
}
END_TEST

/* Counters are integers of up to 63 bits: written as digits they keep
 * every bit, where a double would round 2^63 - 1 up out of range. */
START_TEST(test_counter_kept_exact_to_63_bits) {
  om_scrape_config cfg = base_config();
  om_scrape_result r = scrape(
      &cfg, "controller_runtime_reconcile_total{controller=\"a\"} "
            "9223372036854775807\n"
            "controller_runtime_reconcile_total{controller=\"b\"} "
            "9007199254740993\n"
            "controller_runtime_reconcile_total{controller=\"c\"} 5.6e+07\n"
            "controller_runtime_reconcile_total{controller=\"d\"} "
            "9223372036854775808\n");
  ck_assert_uint_eq(r.samples_emitted, 3);
  const char *tail = ",instance=10.0.0.1:8443,job=datum";
  char pack[128];
  const char *want[][2] = {{"a", "9223372036854775807"},
                           {"b", "9007199254740993"},
                           {"c", "56000000"}};
  for (size_t i = 0; i < 3; i++) {
    snprintf(pack, sizeof(pack), "controller=%s%s", want[i][0], tail);
    const out_sample *s = find("controller_runtime_reconcile", pack);
    ck_assert_msg(s != NULL, "%s missing", pack);
    char got[32];
    snprintf(got, sizeof(got), "%lld", (long long)s->derive);
    ck_assert_str_eq(got, want[i][1]);
  }
  /* 2^63 does not fit a DERIVE: dropped, as before */
  ck_assert_uint_eq(r.dropped[OM_DROP_NON_INTEGER_COUNTER], 1);
}
END_TEST

START_TEST(test_non_integer_counter) {
  om_scrape_config cfg = base_config();
  om_scrape_result r = scrape(&cfg, "workqueue_adds_total{name=\"a\"} 1.5\n"
                                    "workqueue_adds_total{name=\"b\"} NaN\n"
                                    "workqueue_adds_total{name=\"c\"} -1\n"
                                    "workqueue_adds_total{name=\"d\"} 7\n"
                                    "process_cpu_seconds_total 1.5\n");
  ck_assert_uint_eq(r.dropped[OM_DROP_NON_INTEGER_COUNTER], 3);
  ck_assert_uint_eq(r.samples_emitted, 2);
}
END_TEST

START_TEST(test_malformed_lines_counted_rest_kept) {
  om_scrape_config cfg = base_config();
  om_scrape_result r = scrape(&cfg, "go_goroutines 5\n"
                                    "garbage here\n"
                                    "go_threads{a=\"x} 1\n"
                                    "process_open_fds 3\n");
  ck_assert_uint_eq(r.malformed_lines, 2);
  ck_assert_uint_eq(r.first_malformed_line, 2);
  ck_assert_int_eq(r.first_malformed_kind, OM_LINE_ERR_VALUE_INVALID);
  ck_assert_uint_eq(r.samples_emitted, 2);
}
END_TEST

START_TEST(test_drop_reasons) {
  om_scrape_config cfg = base_config();
  const char *include[] = {"*"};
  cfg.include = include;
  cfg.include_num = 1;
  char body[1024];
  char longv[401];
  memset(longv, 'v', 400);
  longv[400] = '\0';
  snprintf(body, sizeof(body),
           "x{v=\"\xff\"} 1\n"
           "x{v=\"a\x1f"
           "b\"} 1\n"
           "x{v=\"%s\"} 1\n"
           "x{__meta=\"a\"} 1\n"
           "x{__name__=\"y\"} 1\n"
           "go_goroutines{__name__=\"y\"} 1\n"
           "x{v=\"ok\"} 1\n",
           longv);
  om_scrape_result r = scrape(&cfg, body);
  ck_assert_uint_eq(r.dropped[OM_DROP_INVALID_UTF8], 1);
  ck_assert_uint_eq(r.dropped[OM_DROP_UNENCODABLE_VALUE], 1);
  ck_assert_uint_eq(r.dropped[OM_DROP_PACK_TOO_LONG], 1);
  ck_assert_uint_eq(r.dropped[OM_DROP_INVALID_LABEL_NAME], 3);
  ck_assert_uint_eq(r.samples_emitted, 1);
}
END_TEST

/* A sample too long for collectd's fields says by how much, also when
 * the cache already knows it. */
START_TEST(test_too_long_says_its_size) {
  om_scrape_config cfg = base_config();
  const char *include[] = {"*"};
  cfg.include = include;
  cfg.include_num = 1;
  char body[600], v[401];
  memset(v, 'v', 400);
  v[400] = '\0';
  snprintf(body, sizeof(body), "x{v=\"%s\"} 1\n", v);
  om_scrape_result r = scrape(&cfg, body);
  ck_assert_int_eq(r.first_drop, OM_DROP_PACK_TOO_LONG);
  /* __name__=x ,v=<400> ,instance=10.0.0.1:8443 ,job=datum */
  ck_assert_uint_eq(r.first_drop_need, 10 + 403 + 23 + 10);
}
END_TEST

START_TEST(test_scratch_overflow_is_a_drop) {
  om_scrape_config cfg = base_config();
  static char body[OM_SCRAPE_SCRATCH * 2 + 64];
  size_t n = (size_t)snprintf(body, sizeof(body), "go_info{version=\"");
  for (size_t i = 0; i < OM_SCRAPE_SCRATCH + 10; i++)
    body[n++] = (i % 2) ? 'n' : '\\';
  snprintf(body + n, sizeof(body) - n, "\"} 1\n");
  om_scrape_result r = scrape(&cfg, body);
  ck_assert_uint_eq(r.dropped[OM_DROP_PACK_TOO_LONG], 1);
  ck_assert_uint_eq(r.samples_emitted, 0);
}
END_TEST

/* Reads of one target through one cache: a changed label is a new
 * series, a vanished one stops costing memory after a few reads, the
 * values are always the current ones. */
START_TEST(test_cache_follows_the_target) {
  om_scrape_config cfg = base_config();
  om_series_cache *cache = om_series_cache_new(1000);
  char body[4096];
  for (int read = 0; read < 6; read++) {
    size_t n = 0;
    /* 20 series that stay, and 20 that are new at every read */
    for (int i = 0; i < 20; i++)
      n += (size_t)snprintf(body + n, sizeof(body) - n,
                            "workqueue_depth{name=\"keep-%d\"} %d\n"
                            "workqueue_depth{name=\"r%d-%d\"} 1\n",
                            i, read, read, i);
    om_scrape_result r = scrape_with(&cfg, cache, body);
    ck_assert_uint_eq(r.samples_emitted, 40);
    ck_assert(out[0].value == read);
    ck_assert_str_eq(out[0].pack,
                     "name=keep-0,instance=10.0.0.1:8443,job=datum");
    ck_assert_uint_le(om_series_cache_size(cache), 80);
  }
  om_series_cache_free(cache);
}
END_TEST

/* A family outside the catalog is selected by its family, which the TYPE
 * line before it decides: the cache must not carry a decision over to a
 * body where the TYPE line is gone. */
START_TEST(test_cache_respects_type_context) {
  om_scrape_config cfg = base_config();
  const char *include[] = {"my_x"};
  cfg.include = include;
  cfg.include_num = 1;
  om_series_cache *cache = om_series_cache_new(1000);
  const char *typed = "# TYPE my_x histogram\nmy_x_bucket{le=\"1\"} 3\n";
  const char *untyped = "my_x_bucket{le=\"1\"} 3\n";
  ck_assert_uint_eq(scrape_with(&cfg, cache, typed).samples_emitted, 1);
  ck_assert_uint_eq(scrape_with(&cfg, cache, untyped).samples_emitted, 0);
  ck_assert_uint_eq(scrape_with(&cfg, cache, typed).samples_emitted, 1);
  ck_assert_uint_eq(scrape_with(&cfg, cache, typed).samples_emitted, 1);
  om_series_cache_free(cache);
}
END_TEST

/* A known series with a bad value is the same malformed line as without
 * the cache, reported at the same byte. */
START_TEST(test_cache_bad_value_still_malformed) {
  om_scrape_config cfg = base_config();
  om_series_cache *cache = om_series_cache_new(1000);
  scrape_with(&cfg, cache, "go_goroutines 5\nprocess_open_fds 3\n");
  const char *bad = "go_goroutines 5x\nprocess_open_fds 3 4 5\n";
  om_scrape_result warm = scrape_with(&cfg, cache, bad);
  om_scrape_result plain = scrape_with(&cfg, NULL, bad);
  ck_assert_uint_eq(warm.malformed_lines, 2);
  ck_assert_uint_eq(warm.samples_emitted, 0);
  ck_assert_uint_eq(warm.first_malformed_offset, plain.first_malformed_offset);
  ck_assert_int_eq(warm.first_malformed_kind, OM_LINE_ERR_VALUE_INVALID);
  om_series_cache_free(cache);
}
END_TEST

/* The keys of "name {labels}" and "name" differ, and a name that runs
 * into its value is malformed, known or not. (Both found by fuzz_scrape.) */
START_TEST(test_cache_keys) {
  om_scrape_config cfg = base_config();
  om_series_cache *cache = om_series_cache_new(1000);
  const char *body = "go_goroutines {a=\"1\"} 1\ngo_goroutines 2\n"
                     "go_goroutines+Inf\n";
  for (int read = 0; read < 2; read++) {
    om_scrape_result r = scrape_with(&cfg, cache, body);
    ck_assert_uint_eq(r.samples_emitted, 2);
    ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], 0);
    ck_assert_uint_eq(r.malformed_lines, 1);
    ck_assert_int_eq(r.first_malformed_kind, OM_LINE_ERR_METRIC_NAME);
  }
  om_series_cache_free(cache);
}
END_TEST

/* A cache too small for the target changes nothing but the speed. */
START_TEST(test_cache_full) {
  om_scrape_config cfg = base_config();
  om_series_cache *cache = om_series_cache_new(2);
  const char *body = "go_goroutines 1\ngo_threads 2\nprocess_open_fds 3\n"
                     "process_max_fds 4\ngo_goroutines 9\n";
  for (int read = 0; read < 3; read++) {
    om_scrape_result r = scrape_with(&cfg, cache, body);
    ck_assert_uint_eq(r.samples_emitted, 4);
    ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], 1);
    ck_assert_uint_le(om_series_cache_size(cache), 2);
  }
  om_series_cache_free(cache);
}
END_TEST

/* Duplicates are spotted whether their series are entries of the cache
 * or not: here the cache has room for one entry and one number only. */
START_TEST(test_cache_full_duplicates_both_ways) {
  om_scrape_config cfg = base_config();
  om_series_cache *cache = om_series_cache_new(1);
  const char *body = "go_goroutines 1\ngo_threads 2\ngo_threads{} 3\n"
                     "go_goroutines{} 4\n";
  for (int read = 0; read < 3; read++) {
    om_scrape_result r = scrape_with(&cfg, cache, body);
    ck_assert_uint_eq(r.samples_emitted, 2);
    ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], 2);
    ck_assert(out[0].value == 1 && out[1].value == 2);
  }
  om_series_cache_free(cache);
}
END_TEST

/* A body whose series change their order is read right: the lookup that
 * expects the next entry falls back to the hash. */
START_TEST(test_cache_order_changes) {
  om_scrape_config cfg = base_config();
  om_series_cache *cache = om_series_cache_new(1000);
  const char *forward = "go_goroutines 1\ngo_threads 2\nprocess_open_fds 3\n";
  const char *backward = "process_open_fds 6\ngo_threads 5\ngo_goroutines 4\n"
                         "go_threads 7\n";
  for (int read = 0; read < 4; read++) {
    bool fwd = read % 2 == 0;
    om_scrape_result r = scrape_with(&cfg, cache, fwd ? forward : backward);
    ck_assert_uint_eq(r.samples_emitted, 3);
    ck_assert_uint_eq(r.dropped[OM_DROP_DUPLICATE_SERIES], fwd ? 0 : 1);
    const out_sample *g =
        find("go_goroutines", "instance=10.0.0.1:8443,job=datum");
    ck_assert_ptr_nonnull(g);
    ck_assert(g->value == (fwd ? 1 : 4));
  }
  om_series_cache_free(cache);
}
END_TEST

static void add_tests(TCase *tc) {
  tcase_add_test(tc, test_catalog_sample);
  tcase_add_test(tc, test_histogram_le_after_family_labels);
  tcase_add_test(tc, test_uncatalogued_needs_include);
  tcase_add_test(tc, test_uncatalogued_histogram_family);
  tcase_add_test(tc, test_exclude_narrows_catalog);
  tcase_add_test(tc, test_honor_labels);
  tcase_add_test(tc, test_exported_prefix_repeats);
  tcase_add_test(tc, test_user_labels);
  tcase_add_test(tc, test_escaped_values);
  tcase_add_test(tc, test_slash_in_value);
  tcase_add_test(tc, test_empty_label_is_absent);
  tcase_add_test(tc, test_duplicates_dropped);
  tcase_add_test(tc, test_label_rules);
  tcase_add_test(tc, test_series_cap);
  tcase_add_test(tc, test_plugin_room);
  tcase_add_test(tc, test_non_integer_counter);
  tcase_add_test(tc, test_counter_kept_exact_to_63_bits);
  tcase_add_test(tc, test_malformed_lines_counted_rest_kept);
  tcase_add_test(tc, test_drop_reasons);
  tcase_add_test(tc, test_scratch_overflow_is_a_drop);
  tcase_add_test(tc, test_too_long_says_its_size);
}

static Suite *scrape_suite(void) {
  Suite *s = suite_create("scrape");
  TCase *plain = tcase_create("plain");
  tcase_add_checked_fixture(plain, setup, teardown);
  add_tests(plain);
  suite_add_tcase(s, plain);
  TCase *cache = tcase_create("cache");
  tcase_add_checked_fixture(cache, setup, teardown);
  tcase_add_test(cache, test_cache_follows_the_target);
  tcase_add_test(cache, test_cache_respects_type_context);
  tcase_add_test(cache, test_cache_bad_value_still_malformed);
  tcase_add_test(cache, test_cache_keys);
  tcase_add_test(cache, test_cache_full);
  tcase_add_test(cache, test_cache_full_duplicates_both_ways);
  tcase_add_test(cache, test_cache_order_changes);
  suite_add_tcase(s, cache);
  TCase *with_cache = tcase_create("cached");
  tcase_add_checked_fixture(with_cache, setup_cached, teardown);
  add_tests(with_cache);
  suite_add_tcase(s, with_cache);
  return s;
}

OM_CHECK_MAIN(scrape_suite)

/* Benchmark of the plugin's own work per scraped sample: parsing alone,
 * and the whole scrape pipeline (parse, catalog lookup, target labels,
 * label pack, duplicate check) with a no-op dispatch, once for series new
 * to the target's cache and once for series it has seen before. Reports
 * numbers; it asserts no timing, only that every sample came through and
 * that the cache changed no outcome.
 *
 *   bench_scrape [controllers] [repetitions] [corpus file, or - for none]
 *                [rounds]
 *
 * The body is a controller-runtime exposition with `controllers`
 * controllers (default 40: 3,100 samples, 267 kB), shaped as
 * client_golang prints it. For scale: collectd 5.12 with write_prometheus
 * costs about 4,000-5,000 ns of CPU per value (tests/bench/bench_collectd.py).
 */
#include "om_scrape.h"
#include "om_time.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char *const reconcile_le[] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3",
    "0.35",  "0.4",  "0.45",  "0.5",  "0.6", "0.7",  "0.8", "0.9",  "1",
    "1.25",  "1.5",  "1.75",  "2",    "2.5", "3",    "3.5", "4",    "4.5",
    "5",     "6",    "7",     "8",    "9",   "10",   "15",  "20",   "25",
    "30",    "40",   "50",    "60",   "+Inf"};
static const char *const queue_le[] = {"1e-08",
                                       "1e-07",
                                       "1e-06",
                                       "9.999999999999999e-06",
                                       "9.999999999999999e-05",
                                       "0.001",
                                       "0.01",
                                       "0.1",
                                       "1",
                                       "10",
                                       "100",
                                       "1000",
                                       "+Inf"};

typedef struct {
  char *buf;
  size_t len, cap, samples;
} body;

static void add(body *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add(body *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if ((size_t)n < b->cap - b->len) {
      b->len += (size_t)n;
      return;
    }
    b->cap *= 2;
    b->buf = realloc(b->buf, b->cap);
  }
}

static void sample(body *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sample(body *b, const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  add(b, "%s\n", line);
  b->samples++;
}

static body make_body(int controllers) {
  body b = {malloc(1 << 16), 0, 1 << 16, 0};
  add(&b, "# HELP controller_runtime_reconcile_time_seconds Length of time "
          "per reconciliation per controller\n"
          "# TYPE controller_runtime_reconcile_time_seconds histogram\n");
  for (int c = 0; c < controllers; c++) {
    for (size_t i = 0; i < sizeof(reconcile_le) / sizeof(*reconcile_le); i++)
      sample(&b,
             "controller_runtime_reconcile_time_seconds_bucket{controller="
             "\"ctrl-%03d\",le=\"%s\"} %d",
             c, reconcile_le[i], 1000 + (int)i * 37);
    sample(&b,
           "controller_runtime_reconcile_time_seconds_sum{controller="
           "\"ctrl-%03d\"} 1234.5678",
           c);
    sample(&b,
           "controller_runtime_reconcile_time_seconds_count{controller="
           "\"ctrl-%03d\"} 2480",
           c);
    static const char *const results[] = {"error", "requeue", "requeue_after",
                                          "success"};
    for (int r = 0; r < 4; r++)
      sample(&b,
             "controller_runtime_reconcile_total{controller=\"ctrl-%03d\","
             "result=\"%s\"} %d",
             c, results[r], 17 * r + c);
    for (int h = 0; h < 2; h++)
      for (size_t i = 0; i < sizeof(queue_le) / sizeof(*queue_le); i++)
        sample(&b,
               "workqueue_%s_duration_seconds_bucket{controller=\"ctrl-%03d\","
               "name=\"ctrl-%03d\",le=\"%s\"} %d",
               h ? "work" : "queue", c, c, queue_le[i], 3 * (int)i);
    sample(&b,
           "workqueue_depth{controller=\"ctrl-%03d\",name=\"ctrl-%03d\","
           "priority=\"\"} 3",
           c, c);
    sample(&b,
           "workqueue_adds_total{controller=\"ctrl-%03d\",name="
           "\"ctrl-%03d\"} 5.6075904e+07",
           c, c);
    sample(&b, "controller_runtime_active_workers{controller=\"ctrl-%03d\"} 1",
           c);
  }
  for (int i = 0; i < 60; i++)
    sample(&b, "go_memstats_heap_alloc_bytes %d.5e+06", i);
  return b;
}

/* Parsing alone: the sample lines of the body. */
__attribute__((noinline)) static size_t parse_only(const body *b) {
  om_line_reader r;
  om_parsed_line line;
  om_line_kind kind;
  size_t samples = 0;
  om_line_reader_init(&r, b->buf, b->len);
  while ((kind = om_line_next(&r, &line)) != OM_LINE_END)
    samples += kind == OM_LINE_SAMPLE;
  return samples;
}

/* The whole pipeline, with a dispatch that does nothing: the samples. */
static size_t scrape_all(const om_scrape_config *cfg, om_series_set *seen,
                         om_series_cache *cache, const body *b,
                         om_scrape_result *res) {
  om_scrape s;
  om_scraped sample;
  size_t samples = 0;
  om_scrape_begin(&s, cfg, seen, cache, b->buf, b->len, res);
  while (om_scrape_next(&s, &sample))
    samples++;
  return samples;
}

/* Every series new: a cache that is empty (callgrind counts this). */
__attribute__((noinline)) static size_t
scrape_first_time(const om_scrape_config *cfg, om_series_set *seen,
                  const body *b, om_scrape_result *res) {
  om_series_cache *cache = om_series_cache_new(1000000);
  size_t n = scrape_all(cfg, seen, cache, b, res);
  om_series_cache_free(cache);
  return n;
}

/* Every series seen before: the target's warm cache (callgrind counts
 * this too). */
__attribute__((noinline)) static size_t
scrape_known(const om_scrape_config *cfg, om_series_set *seen,
             om_series_cache *cache, const body *b, om_scrape_result *res) {
  return scrape_all(cfg, seen, cache, b, res);
}

/* The first read of a target, which fills its cache (not counted). */
__attribute__((noinline)) static void
warm_cache(const om_scrape_config *cfg, om_series_set *seen,
           om_series_cache *cache, const body *b, om_scrape_result *res) {
  scrape_all(cfg, seen, cache, b, res);
}

/* Allocations made while `counting`: the benchmark's own malloc family in
 * front of glibc's, which exports its implementations as __libc_*. A
 * series seen before must cost no allocation. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
static bool counting;
static size_t allocations;

void *malloc(size_t n) {
  allocations += counting;
  return __libc_malloc(n);
}

void *calloc(size_t n, size_t size) {
  allocations += counting;
  return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) {
  allocations += counting;
  return __libc_realloc(p, n);
}

static long max_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

typedef struct {
  double parse, first, known; /* best of the repetitions, seconds */
  size_t parsed, emitted;     /* samples */
  size_t known_allocations;   /* in all passes over known series */
} timings;

static void keep_best(double *best, double t) {
  if (t < *best)
    *best = t;
}

/* Best of reps: parse alone, the pipeline the first time, and the
 * pipeline over series seen before, each measured in a loop of its own
 * (interleaved, each evicts the others' data from the caches). The three
 * loops take `rounds` turns, so that a slow spell of a shared machine does
 * not fall on one of them alone. */
static int rounds = 5;
static bool measure_round(const om_scrape_config *cfg, om_series_set *seen,
                          const body *b, int reps, timings *t);

static timings measure(const om_scrape_config *cfg, om_series_set *seen,
                       const body *b, int reps) {
  timings t = {1e9, 1e9, 1e9, 0, 0, 0};
  for (int round = 0; round < rounds; round++)
    if (!measure_round(cfg, seen, b, reps, &t)) {
      t.emitted = 0; /* the cache changed an outcome: reported as a failure */
      break;
    }
  if (t.known_allocations != 0)
    t.emitted = 0; /* a known series allocated: a failure too */
  return t;
}

/* One turn of the three loops, keeping the best times in *t. False when
 * the pipeline handed out different samples with the cache and without. */
static bool measure_round(const om_scrape_config *cfg, om_series_set *seen,
                          const body *b, int reps, timings *tp) {
  om_scrape_result res;
  timings t = *tp;
  size_t first = 0;
  for (int r = 0; r < reps; r++) {
    double t0 = om_monotonic_s();
    t.parsed = parse_only(b);
    keep_best(&t.parse, om_monotonic_s() - t0);
  }
  for (int r = 0; r < reps; r++) {
    double t0 = om_monotonic_s();
    first = scrape_first_time(cfg, seen, b, &res);
    keep_best(&t.first, om_monotonic_s() - t0);
  }
  om_series_cache *cache = om_series_cache_new(1000000);
  warm_cache(cfg, seen, cache, b, &res);
  allocations = 0;
  counting = true;
  for (int r = 0; r < reps; r++) {
    double t0 = om_monotonic_s();
    t.emitted = scrape_known(cfg, seen, cache, b, &res);
    keep_best(&t.known, om_monotonic_s() - t0);
  }
  counting = false;
  t.known_allocations += allocations;
  om_series_cache_free(cache);
  *tp = t;
  return first == t.emitted;
}

/* A file read whole; an empty body when it cannot be read. */
static body read_body(const char *path) {
  body b = {0};
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return b;
  b.cap = 1 << 20;
  b.buf = malloc(b.cap);
  b.len = fread(b.buf, 1, b.cap, f);
  fclose(f);
  return b;
}

static void report(const char *what, const body *b, const timings *t) {
  double n = (double)t->parsed;
  printf("bench: %s parse only            %7.1f ns/sample  %7.1f MB/s\n", what,
         t->parse * 1e9 / n, (double)b->len / t->parse / 1e6);
  printf("bench: %s pipeline, first time  %7.1f ns/sample  %7.1f MB/s\n", what,
         t->first * 1e9 / n, (double)b->len / t->first / 1e6);
  printf("bench: %s pipeline, known       %7.1f ns/sample  %7.1f MB/s  "
         "(%.1f%% of collectd's ~4,000 ns per value)\n",
         what, t->known * 1e9 / n, (double)b->len / t->known / 1e6,
         100.0 * t->known * 1e9 / n / 4000.0);
  printf("bench: %s pipeline, known: %zu allocations in all passes\n", what,
         t->known_allocations);
}

/* Prometheus' own parser benchmark input, every family let through:
 * 0, or 1 when it cannot be read whole. */
static int bench_corpus(const om_scrape_config *cfg, om_series_set *seen,
                        const char *corpus, int reps) {
  body all = read_body(corpus);
  static const char *const everything[] = {"*"};
  om_scrape_config open = *cfg;
  open.include = everything;
  open.include_num = 1;
  timings t = measure(&open, seen, &all, reps);
  if (all.len == 0 || t.parsed != 1857 || t.emitted == 0) {
    fprintf(stderr,
            "bench: %s: %zu bytes, %zu sample lines (want 1857), %zu "
            "allocations over known series (want 0)\n",
            corpus, all.len, t.parsed, t.known_allocations);
    free(all.buf);
    return 1;
  }
  printf("bench: alltypes.237mfs.prom.txt, %zu bytes (%zu sample lines, "
         "%zu passed on)\n",
         all.len, t.parsed, t.emitted);
  report("alltypes", &all, &t);
  free(all.buf);
  return 0;
}

int main(int argc, char **argv) {
  int controllers = argc > 1 ? atoi(argv[1]) : 40;
  int reps = argc > 2 ? atoi(argv[2]) : 50;
  const char *corpus = argc > 3 ? argv[3] : OM_BENCH_CORPUS;
  rounds = argc > 4 && atoi(argv[4]) > 0 ? atoi(argv[4]) : rounds;
  body b = make_body(controllers);
  char err[256];
  om_catalog *cat = om_catalog_new(err, sizeof(err));
  om_series_set *seen = om_series_set_new();
  long rss_before = max_rss_kb();
  om_label targets[] = {
      {{"job", 3}, {"datum-controller-manager-metrics", 32}},
      {{"instance", 8}, {"10.244.1.17:8443", 16}},
  };
  om_scrape_config cfg = {.catalog = cat,
                          .target_labels = targets,
                          .target_labels_num = 2,
                          .honor_labels = true,
                          .max_series = 1000000};
  timings t = measure(&cfg, seen, &b, reps);
  if (t.parsed != b.samples || t.emitted != b.samples - 60 + 1) {
    /* the 60 heap_alloc lines are one series: 59 duplicates */
    fprintf(stderr,
            "bench: parsed %zu, emitted %zu of %zu samples, %zu allocations "
            "over known series (want 0)\n",
            t.parsed, t.emitted, b.samples, t.known_allocations);
    return 1;
  }
  printf("bench: body %zu bytes, %zu samples (%d controllers), best of %d "
         "in %d rounds\n",
         b.len, b.samples, controllers, reps * rounds, rounds);
  report("controller-runtime", &b, &t);
  int status = strcmp(corpus, "-") == 0 /* the controller-runtime body alone */
                   ? 0
                   : bench_corpus(&cfg, seen, corpus, reps);
  printf("bench: max RSS %ld kB (%ld kB after the body was built)\n",
         max_rss_kb(), rss_before);
  om_series_set_free(seen);
  om_catalog_free(cat);
  free(b.buf);
  return status;
}

/* The <Target> collector's read callback: fetch, scrape, dispatch.
 *
 * Every read dispatches up, scrape_duration_seconds, scrape_samples_scraped
 * and scrape_samples_post_metric_relabeling, whatever happened, and returns
 * 0: a target that is down is a measurement, not a failed read, so collectd
 * never backs off. The whole read, probes included, ends by Timeout. */
#include "om_target.h"
#include "om_complain.h"
#include "om_emitter.h"
#include "om_file.h"
#include "om_http.h"
#include "om_scrape.h"
#include "om_target_config.h"
#include "om_time.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROMETHEUS_ACCEPT "text/plain;version=0.0.4;q=1,*/*;q=0.1"
#define PROBE_MAX_BYTES (64 * 1024)
#define URL_SHOWN_MAX 512

/* Why a scrape failed, as om_state_fail tells reasons apart. */
enum { FAIL_TOKEN = 1, FAIL_NO_SAMPLES = 2, FAIL_HTTP = 16 };

typedef struct om_target {
  om_target_config *cfg;
  om_http_client *http;
  om_series_cache *cache;
  om_emitter emit;
  om_label target_labels[OM_TARGET_MAX_LABELS + 2];
  om_scrape_config scrape;
  char url_shown[URL_SHOWN_MAX];
  uint64_t malformed_total;
  om_state_log scrape_state;
  om_state_log probe_state[2]; /* health, ready */
  om_state_log limit_state;    /* cut by a MaxSeries */
  c_complain_t parse_complaint;
  /* the families left to the first-hand blocks that own them */
  struct left_out {
    char *family;
    const char *owner;
  } * left;
  size_t left_num;
  char token[OM_HTTP_MAX_TOKEN];
} om_target;

void om_target_free(void *p) {
  om_target *t = p;
  if (t == NULL)
    return;
  om_wipe(t->token, sizeof(t->token));
  for (size_t i = 0; i < t->left_num; i++)
    free(t->left[i].family);
  free(t->left);
  om_http_client_free(t->http);
  om_series_cache_free(t->cache);
  om_target_config_free(t->cfg);
  free(t);
}

/* Whether a first-hand block of this collectd owns a catalog family: the
 * target leaves it out, and says so once per family. */
static bool owned_elsewhere(void *ctx, const char *family) {
  om_target *t = ctx;
  const char *owner = om_claims_first_hand(family);
  if (owner == NULL)
    return false;
  for (size_t i = 0; i < t->left_num; i++)
    if (strcmp(t->left[i].family, family) == 0)
      return true;
  struct left_out *grown = realloc(t->left, (t->left_num + 1) * sizeof(*grown));
  char *copy = strdup(family);
  if (grown != NULL)
    t->left = grown;
  if (grown == NULL || copy == NULL) {
    free(copy);
    return true; /* left out all the same, not reported */
  }
  t->left[t->left_num++] = (struct left_out){copy, owner};
  om_log(OM_LOG_WARNING, t->cfg->block.id,
         "%s: family \"%s\" is left out: block \"%s\" sends it first-hand "
         "and a series has one owner (give this block Exclude \"%s\" or a "
         "Preset; README, \"Which source for what\")",
         t->url_shown, family, owner, family);
  return true;
}

static void init_scrape_config(om_target *t, const om_catalog *catalog) {
  om_target_config *cfg = t->cfg;
  size_t n = 0;
  t->target_labels[n++] = om_label_cstr("job", cfg->job);
  t->target_labels[n++] = om_label_cstr("instance", cfg->instance);
  for (size_t i = 0; i < cfg->labels_num; i++)
    t->target_labels[n++] =
        om_label_cstr(cfg->label_names[i], cfg->label_values[i]);
  t->scrape = (om_scrape_config){
      .catalog = catalog,
      .target_labels = t->target_labels,
      .target_labels_num = n,
      .honor_labels = cfg->honor_labels,
      .include = (const char *const *)cfg->include,
      .include_num = cfg->include_num,
      .exclude = (const char *const *)cfg->exclude,
      .exclude_num = cfg->exclude_num,
      .preset = cfg->preset,
      .owned_elsewhere = owned_elsewhere,
      .owner_ctx = t,
      .rules = cfg->rules,
      .max_series = cfg->max_series,
  };
}

void *om_target_new(void *config, const om_catalog *catalog) {
  om_target_config *cfg = config;
  om_target *t = calloc(1, sizeof(*t));
  if (t == NULL) {
    om_target_config_free(cfg);
    return NULL;
  }
  t->cfg = cfg;
  t->http = om_http_client_new();
  /* every series it may send, plus as many lines left out or dropped */
  t->cache = om_series_cache_new(2 * cfg->max_series + 4096);
  if (t->http == NULL || t->cache == NULL) {
    om_target_free(t);
    return NULL;
  }
  om_emitter_init(&t->emit, catalog, "target", cfg->block.name, cfg->block.id);
  om_state_log_init(&t->scrape_state);
  om_state_log_init(&t->probe_state[0]);
  om_state_log_init(&t->probe_state[1]);
  om_state_log_init(&t->limit_state);
  C_COMPLAIN_INIT(&t->parse_complaint);
  om_http_url_display(cfg->url, t->url_shown, sizeof(t->url_shown));
  init_scrape_config(t, catalog);
  return t;
}

static long remaining_ms(double deadline) {
  double left = deadline - om_monotonic_s();
  return left <= 0 ? 0 : (long)(left * 1000);
}

static om_http_request base_request(const om_target *t, const char *url,
                                    double deadline) {
  const om_target_config *cfg = t->cfg;
  om_http_request req = {
      .url = url,
      .timeout_ms = remaining_ms(deadline),
      .follow_redirects = cfg->follow_redirects,
  };
  om_http_auth_apply(&cfg->auth, t->token, &req);
  return req;
}

/* Reads the token again at every scrape, so a rotated token is used. */
static bool load_token(om_target *t) {
  char err[1024];
  if (om_http_auth_load_token(&t->cfg->auth, t->token, err, sizeof(err)))
    return true;
  om_state_fail(&t->scrape_state, FAIL_TOKEN, OM_LOG_ERR, t->cfg->block.id,
                "cannot use %s; reporting up 0", err);
  return false;
}

static void note_parse_problems(om_target *t, const om_scrape_result *res) {
  const char *b = t->cfg->block.id;
  t->malformed_total += res->malformed_lines;
  if (res->malformed_lines == 0) {
    OM_RELEASE(OM_LOG_INFO, &t->parse_complaint, b,
               "%s: no malformed lines any more", t->url_shown);
    return;
  }
  OM_COMPLAIN(OM_LOG_WARNING, &t->parse_complaint, b,
              "%s: skipped %zu malformed line(s); the first is line %zu, "
              "byte %zu: %s",
              t->url_shown, res->malformed_lines, res->first_malformed_line,
              res->first_malformed_offset + 1,
              om_line_error_str(res->first_malformed_kind));
}

/* The scrape pipeline's own drops go to the emitter's counts and log. */
static void hand_over_drops(om_target *t, const om_scrape_result *res) {
  om_slice first = om_slice_from_cstr(res->first_drop_series);
  om_emit_dropped_sized(&t->emit, res->first_drop,
                        res->dropped[res->first_drop], first,
                        res->first_drop_need);
  for (int r = OM_DROP_NONE + 1; r < OM_DROP_REASONS_NUM; r++)
    if (r != (int)res->first_drop)
      om_emit_dropped(&t->emit, (om_drop_reason)r, res->dropped[r], first);
}

/* Every sample of the body, pulled from the scrape pipeline. */
static void dispatch_body(om_target *t, const char *body, size_t len,
                          om_scrape_result *res) {
  om_scrape scrape;
  om_scraped sample;
  size_t room = om_emitter_room(&t->emit);
  t->scrape.plugin_limited = room != SIZE_MAX;
  t->scrape.plugin_room = room;
  om_scrape_begin(&scrape, &t->scrape, NULL, t->cache, body, len, res);
  while (om_scrape_next(&scrape, &sample))
    om_emit_value(&t->emit, &sample.series, sample.value, sample.derive,
                  sample.name);
  note_parse_problems(t, res);
  hand_over_drops(t, res);
}

/* The scrape itself. Returns whether the target is up. */
static bool scrape(om_target *t, double deadline, om_scrape_result *res,
                   double *duration) {
  const char *b = t->cfg->block.id;
  double start = om_monotonic_s();
  memset(res, 0, sizeof(*res));
  *duration = 0;
  if (!load_token(t))
    return false;
  om_http_request req = base_request(t, t->cfg->url, deadline);
  req.accept = PROMETHEUS_ACCEPT;
  req.max_bytes = t->cfg->max_response_bytes;
  om_http_outcome out = om_http_get(t->http, &req);
  om_wipe(t->token, sizeof(t->token));
  om_emitter_stamp(&t->emit); /* the samples are as of the answer */
  *duration = om_monotonic_s() - start;
  if (out != OM_HTTP_OK) {
    om_state_fail(&t->scrape_state,
                  FAIL_HTTP + (uint64_t)out * 1000 +
                      (uint64_t)om_http_status(t->http),
                  OM_LOG_ERR, b, "scrape of %s failed: %s; reporting up 0",
                  t->url_shown, om_http_error(t->http));
    return false;
  }
  size_t len = 0;
  const char *body = om_http_body(t->http, &len);
  dispatch_body(t, body, len, res);
  if (res->malformed_lines > 0 && res->samples_scraped == 0) {
    om_state_fail(&t->scrape_state, FAIL_NO_SAMPLES, OM_LOG_ERR, b,
                  "%s answered without a single valid sample line; "
                  "reporting up 0",
                  t->url_shown);
    return false;
  }
  om_state_ok(&t->scrape_state, OM_LOG_INFO, b, "scrape of %s succeeds again",
              t->url_shown);
  return true;
}

static void dispatch_target_family(om_target *t, const char *family,
                                   om_label *extra, size_t extra_num,
                                   double value) {
  om_label labels[4];
  size_t n = 0;
  labels[n++] = t->target_labels[0]; /* job */
  labels[n++] = t->target_labels[1]; /* instance */
  for (size_t i = 0; i < extra_num && n < 4; i++)
    labels[n++] = extra[i];
  /* if even one of these cannot be encoded (a very long Job, say), it is
   * counted and logged like any other drop */
  om_emit_family(&t->emit, family, labels, n, value);
}

/* Probes go without the bearer token: health endpoints are meant for
 * unauthenticated kubelet probes and may live on another host or port. */
static bool probe(om_target *t, const char *url, double deadline) {
  if (remaining_ms(deadline) == 0)
    return false;
  om_http_request req = base_request(t, url, deadline);
  req.bearer_token = NULL;
  req.max_bytes = PROBE_MAX_BYTES;
  return om_http_get(t->http, &req) == OM_HTTP_OK;
}

static void run_probes(om_target *t, double deadline) {
  const struct {
    const char *url;
    const char *name;
  } probes[] = {{t->cfg->health_url, "health"}, {t->cfg->ready_url, "ready"}};
  for (size_t i = 0; i < 2; i++) {
    if (probes[i].url == NULL)
      continue;
    bool ok = probe(t, probes[i].url, deadline);
    char shown[URL_SHOWN_MAX];
    om_http_url_display(probes[i].url, shown, sizeof(shown));
    if (ok)
      om_state_ok(&t->probe_state[i], OM_LOG_INFO, t->cfg->block.id,
                  "%s probe of %s succeeds again", probes[i].name, shown);
    else
      om_state_fail(&t->probe_state[i], 1, OM_LOG_WARNING, t->cfg->block.id,
                    "%s probe of %s failed: %s", probes[i].name, shown,
                    remaining_ms(deadline) ? om_http_error(t->http)
                                           : "no time left before Timeout");
    om_label l = om_label_cstr("probe", probes[i].name);
    dispatch_target_family(t, "operator_metrics_probe_success", &l, 1,
                           ok ? 1 : 0);
  }
}

/* Whether a MaxSeries cut this read, logged once when it starts to (or
 * the other one cuts) and once when it stops. */
static bool note_series_limit(om_target *t, const om_scrape_result *res) {
  size_t own = res->dropped[OM_DROP_SERIES_LIMIT];
  size_t plugin = res->dropped[OM_DROP_PLUGIN_SERIES_LIMIT];
  const char *b = t->cfg->block.id;
  if (own == 0 && plugin == 0) {
    om_state_ok(&t->limit_state, OM_LOG_INFO, b,
                "%s: every series is passed on again", t->url_shown);
    return false;
  }
  if (own > 0)
    om_state_fail(&t->limit_state, 1, OM_LOG_WARNING, b,
                  "%s: more series than the block's MaxSeries %zu; the rest "
                  "are dropped (series_limit) and "
                  "operator_metrics_series_limited is 1",
                  t->url_shown, t->cfg->max_series);
  else
    om_state_fail(&t->limit_state, 2, OM_LOG_WARNING, b,
                  "%s: the plugin-wide MaxSeries %zu leaves this block %zu "
                  "series; the rest are dropped (plugin_series_limit) and "
                  "operator_metrics_series_limited is 1",
                  t->url_shown, om_emitter_plugin_limit(),
                  t->scrape.plugin_room);
  return true;
}

int om_target_read(void *p) {
  om_target *t = p;
  double deadline = om_monotonic_s() + t->cfg->timeout_s;
  om_scrape_result res;
  double duration = 0;
  om_emitter_begin(&t->emit);
  bool up = scrape(t, deadline, &res, &duration);
  dispatch_target_family(t, "up", NULL, 0, up ? 1 : 0);
  dispatch_target_family(t, "scrape_duration_seconds", NULL, 0, duration);
  dispatch_target_family(t, "scrape_samples_scraped", NULL, 0,
                         (double)res.samples_scraped);
  dispatch_target_family(t, "scrape_samples_post_metric_relabeling", NULL, 0,
                         (double)res.samples_emitted);
  dispatch_target_family(t, "operator_metrics_series_limited", NULL, 0,
                         note_series_limit(t, &res) ? 1 : 0);
  run_probes(t, deadline);
  dispatch_target_family(t, "operator_metrics_malformed_lines_total", NULL, 0,
                         (double)t->malformed_total);
  for (size_t i = 0; i < t->left_num; i++) {
    om_label l[] = {om_label_cstr("family", t->left[i].family),
                    om_label_cstr("owner", t->left[i].owner)};
    dispatch_target_family(t, "operator_metrics_family_owned_elsewhere", l, 2,
                           1);
  }
  om_emitter_end(&t->emit);
  return 0;
}

om_emitter *om_target_emitter(void *collector) {
  return &((om_target *)collector)->emit;
}

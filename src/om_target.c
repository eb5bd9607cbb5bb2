/* The <Target> collector's read callback: fetch, scrape, dispatch.
 *
 * Every read dispatches up, scrape_duration_seconds, scrape_samples_scraped
 * and scrape_samples_post_metric_relabeling, whatever happened, and returns
 * 0: a target that is down is a measurement, not a failed read, so collectd
 * never backs off. The whole read, probes included, ends by Timeout. */
#include "om_target.h"
#include "om_collectd.h"
#include "om_file.h"
#include "om_http.h"
#include "om_log.h"
#include "om_scrape.h"

#include <stdlib.h>
#include <string.h>

#define PROMETHEUS_ACCEPT "text/plain;version=0.0.4;q=1,*/*;q=0.1"
#define PROBE_MAX_BYTES (64 * 1024)
#define URL_SHOWN_MAX 512

struct om_target {
  om_target_config *cfg;
  const om_catalog *catalog;
  om_http_client *http;
  om_series_set *seen;
  om_label target_labels[OM_TARGET_MAX_LABELS + 2];
  om_scrape_config scrape;
  char url_shown[URL_SHOWN_MAX];
  cdtime_t now; /* the time of this read's samples */
  uint64_t dropped[OM_DROP_REASONS_NUM];
  uint64_t malformed_total;
  c_complain_t scrape_complaint;
  c_complain_t parse_complaint;
  c_complain_t drop_complaint;
  c_complain_t probe_complaint;
  char token[OM_HTTP_MAX_TOKEN];
};

void om_target_free(void *p) {
  om_target *t = p;
  if (t == NULL)
    return;
  om_wipe(t->token, sizeof(t->token));
  om_http_client_free(t->http);
  om_series_set_free(t->seen);
  om_target_config_free(t->cfg);
  free(t);
}

static void init_scrape_config(om_target *t) {
  om_target_config *cfg = t->cfg;
  size_t n = 0;
  t->target_labels[n++] = om_label_cstr("job", cfg->job);
  t->target_labels[n++] = om_label_cstr("instance", cfg->instance);
  for (size_t i = 0; i < cfg->labels_num; i++)
    t->target_labels[n++] =
        om_label_cstr(cfg->label_names[i], cfg->label_values[i]);
  t->scrape = (om_scrape_config){
      .catalog = t->catalog,
      .target_labels = t->target_labels,
      .target_labels_num = n,
      .honor_labels = cfg->honor_labels,
      .include = (const char *const *)cfg->include,
      .include_num = cfg->include_num,
      .exclude = (const char *const *)cfg->exclude,
      .exclude_num = cfg->exclude_num,
      .max_series = cfg->max_series,
  };
}

om_target *om_target_new(om_target_config *cfg, const om_catalog *catalog) {
  om_target *t = calloc(1, sizeof(*t));
  if (t == NULL) {
    om_target_config_free(cfg);
    return NULL;
  }
  t->cfg = cfg;
  t->catalog = catalog;
  t->http = om_http_client_new();
  t->seen = om_series_set_new();
  if (t->http == NULL || t->seen == NULL) {
    om_target_free(t);
    return NULL;
  }
  C_COMPLAIN_INIT(&t->scrape_complaint);
  C_COMPLAIN_INIT(&t->parse_complaint);
  C_COMPLAIN_INIT(&t->drop_complaint);
  C_COMPLAIN_INIT(&t->probe_complaint);
  om_http_url_display(cfg->url, t->url_shown, sizeof(t->url_shown));
  init_scrape_config(t);
  return t;
}

static long remaining_ms(cdtime_t deadline) {
  cdtime_t now = cdtime();
  return now >= deadline ? 0 : (long)CDTIME_T_TO_MS(deadline - now);
}

static om_http_request base_request(const om_target *t, const char *url,
                                    cdtime_t deadline) {
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
  OM_COMPLAIN(LOG_ERR, &t->scrape_complaint, t->cfg->block_id,
              "cannot use %s; reporting up 0", err);
  return false;
}

static int emit_to_collectd(const om_sample *s, void *ctx) {
  const om_target *t = ctx;
  om_dispatch(s, t->now);
  return 0;
}

static void note_parse_problems(om_target *t, const om_scrape_result *res) {
  const char *b = t->cfg->block_id;
  t->malformed_total += res->malformed_lines;
  if (res->malformed_lines == 0) {
    OM_RELEASE(LOG_INFO, &t->parse_complaint, b,
               "%s: no malformed lines any more", t->url_shown);
    return;
  }
  OM_COMPLAIN(LOG_WARNING, &t->parse_complaint, b,
              "%s: skipped %zu malformed line(s); the first is line %zu, "
              "byte %zu: %s",
              t->url_shown, res->malformed_lines, res->first_malformed_line,
              res->first_malformed_offset + 1,
              om_line_error_str(res->first_malformed_kind));
}

static void note_drops(om_target *t, const om_scrape_result *res) {
  size_t total = 0;
  for (int r = 0; r < OM_DROP_REASONS_NUM; r++) {
    t->dropped[r] += res->dropped[r];
    total += res->dropped[r];
  }
  const char *b = t->cfg->block_id;
  if (total == 0) {
    OM_RELEASE(LOG_INFO, &t->drop_complaint, b, "%s",
               "no samples dropped any more");
    return;
  }
  OM_COMPLAIN(LOG_WARNING, &t->drop_complaint, b,
              "dropped %zu sample(s) that cannot be passed on; the first is "
              "of \"%s\" (%s)",
              total, res->first_drop_series,
              om_drop_reason_name(res->first_drop));
}

/* The scrape itself. Returns whether the target is up. */
static bool scrape(om_target *t, cdtime_t deadline, om_scrape_result *res,
                   double *duration) {
  const char *b = t->cfg->block_id;
  cdtime_t start = cdtime();
  memset(res, 0, sizeof(*res));
  *duration = 0;
  t->now = start;
  if (!load_token(t))
    return false;
  om_http_request req = base_request(t, t->cfg->url, deadline);
  req.accept = PROMETHEUS_ACCEPT;
  req.max_bytes = t->cfg->max_response_bytes;
  om_http_outcome out = om_http_get(t->http, &req);
  om_wipe(t->token, sizeof(t->token));
  t->now = cdtime();
  *duration = CDTIME_T_TO_DOUBLE(t->now - start);
  if (out != OM_HTTP_OK) {
    OM_COMPLAIN(LOG_ERR, &t->scrape_complaint, b,
                "scrape of %s failed: %s; reporting up 0", t->url_shown,
                om_http_error(t->http));
    return false;
  }
  size_t len = 0;
  const char *body = om_http_body(t->http, &len);
  om_scrape_body(&t->scrape, t->seen, body, len, emit_to_collectd, t, res);
  note_parse_problems(t, res);
  note_drops(t, res);
  if (res->malformed_lines > 0 && res->samples_scraped == 0) {
    OM_COMPLAIN(LOG_ERR, &t->scrape_complaint, b,
                "%s answered without a single valid sample line; reporting "
                "up 0",
                t->url_shown);
    return false;
  }
  OM_RELEASE(LOG_INFO, &t->scrape_complaint, b, "scrape of %s succeeds again",
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
   * counted like any other drop */
  om_dispatch_family(t->catalog, family, labels, n, value, t->now, t->dropped);
}

/* Probes go without the bearer token: health endpoints are meant for
 * unauthenticated kubelet probes and may live on another host or port. */
static bool probe(om_target *t, const char *url, cdtime_t deadline) {
  if (remaining_ms(deadline) == 0)
    return false;
  om_http_request req = base_request(t, url, deadline);
  req.bearer_token = NULL;
  req.max_bytes = PROBE_MAX_BYTES;
  return om_http_get(t->http, &req) == OM_HTTP_OK;
}

static void run_probes(om_target *t, cdtime_t deadline) {
  const struct {
    const char *url;
    const char *name;
  } probes[] = {{t->cfg->health_url, "health"}, {t->cfg->ready_url, "ready"}};
  bool all_ok = true;
  for (size_t i = 0; i < 2; i++) {
    if (probes[i].url == NULL)
      continue;
    bool ok = probe(t, probes[i].url, deadline);
    if (!ok) {
      char shown[URL_SHOWN_MAX];
      om_http_url_display(probes[i].url, shown, sizeof(shown));
      OM_COMPLAIN(LOG_WARNING, &t->probe_complaint, t->cfg->block_id,
                  "%s probe of %s failed: %s", probes[i].name, shown,
                  remaining_ms(deadline) ? om_http_error(t->http)
                                         : "no time left before Timeout");
      all_ok = false;
    }
    om_label l = {om_slice_from_cstr("probe"),
                  om_slice_from_cstr(probes[i].name)};
    dispatch_target_family(t, "operator_metrics_probe_success", &l, 1,
                           ok ? 1 : 0);
  }
  if (all_ok)
    OM_RELEASE(LOG_INFO, &t->probe_complaint, t->cfg->block_id, "%s",
               "probes succeed again");
}

static void dispatch_self_metrics(om_target *t) {
  dispatch_target_family(t, "operator_metrics_malformed_lines_total", NULL, 0,
                         (double)t->malformed_total);
  om_dispatch_drop_counts(t->catalog, "target", t->cfg->name, t->dropped,
                          t->now);
}

int om_target_read(user_data_t *ud) {
  om_target *t = ud->data;
  cdtime_t deadline = cdtime() + DOUBLE_TO_CDTIME_T(t->cfg->timeout_s);
  om_scrape_result res;
  double duration = 0;
  bool up = scrape(t, deadline, &res, &duration);
  dispatch_target_family(t, "up", NULL, 0, up ? 1 : 0);
  dispatch_target_family(t, "scrape_duration_seconds", NULL, 0, duration);
  dispatch_target_family(t, "scrape_samples_scraped", NULL, 0,
                         (double)res.samples_scraped);
  dispatch_target_family(t, "scrape_samples_post_metric_relabeling", NULL, 0,
                         (double)res.samples_emitted);
  run_probes(t, deadline);
  dispatch_self_metrics(t);
  return 0;
}

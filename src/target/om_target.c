/* The <Target> collector's read callback: fetch, scrape, dispatch.
 *
 * Every read dispatches up, scrape_duration_seconds, scrape_samples_scraped
 * and scrape_samples_post_metric_relabeling, whatever happened, and returns
 * 0: a target that is down is a measurement, not a failed read, so collectd
 * never backs off. The whole read, probes included, ends by Timeout.
 *
 * A block scrapes its URL, or with <Pods> each pod the last listing found
 * (om_pods_watch.h) as a target of its own: a point, with its own series
 * cache, states and labels (instance podIP:port, namespace, pod). The
 * points follow the listing: a pod that appears gets one, a pod that is
 * gone (or not Ready, or moved to another node) loses its own, and its
 * series leave write_prometheus with collectd's Timeout. */
#include "om_target.h"
#include "om_complain.h"
#include "om_emitter.h"
#include "om_file.h"
#include "om_http.h"
#include "om_index.h"
#include "om_pods_watch.h"
#include "om_scrape.h"
#include "om_target_config.h"
#include "om_time.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROMETHEUS_ACCEPT "text/plain;version=0.0.4;q=1,*/*;q=0.1"
#define PROBE_MAX_BYTES (64 * 1024)
#define URL_SHOWN_MAX 512

/* Why a scrape failed, as om_state_fail tells reasons apart. */
enum { FAIL_TOKEN = 1, FAIL_NO_SAMPLES = 2, FAIL_NO_TIME = 3, FAIL_HTTP = 16 };

/* One address scraped: the URL, or one pod's. */
typedef struct {
  om_index_key key; /* "namespace\0pod\0ip:port"; "" for the URL */
  char *url;
  char url_shown[URL_SHOWN_MAX];
  char instance[OM_PODS_IP_MAX + 8];
  om_label target_labels[OM_TARGET_MAX_LABELS + 4];
  size_t own_labels; /* job, instance and, for a pod, namespace and pod */
  om_scrape_config scrape;
  om_series_cache *cache;
  uint64_t malformed_total;
  om_state_log scrape_state;
  om_state_log probe_state[2]; /* health, ready */
  om_state_log limit_state;    /* cut by a MaxSeries */
  c_complain_t parse_complaint;
  bool taken; /* still listed, while the points follow a listing */
} point;

typedef struct om_target {
  om_target_config *cfg;
  const om_catalog *catalog;
  om_http_client *http;
  om_emitter emit;
  point **points;
  size_t points_num;
  om_pods_watch *pods; /* NULL: the URL */
  /* the families left to the first-hand blocks that own them */
  struct left_out {
    char *family;
    const char *owner;
  } * left;
  size_t left_num;
  char token[OM_HTTP_MAX_TOKEN];
} om_target;

static void point_free(point *p) {
  if (p == NULL)
    return;
  free(p->key.bytes);
  free(p->url);
  om_series_cache_free(p->cache);
  free(p);
}

void om_target_free(void *p) {
  om_target *t = p;
  if (t == NULL)
    return;
  om_wipe(t->token, sizeof(t->token));
  for (size_t i = 0; i < t->left_num; i++)
    free(t->left[i].family);
  free(t->left);
  for (size_t i = 0; i < t->points_num; i++)
    point_free(t->points[i]);
  free(t->points);
  om_pods_watch_free(t->pods);
  om_http_client_free(t->http);
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
         "family \"%s\" is left out: block \"%s\" sends it first-hand "
         "and a series has one owner (give this block Exclude \"%s\" or a "
         "Preset; README, \"Which source for what\")",
         family, owner, family);
  return true;
}

/* The point's scrape configuration, with its target labels: job and
 * instance, for a pod its namespace and name, then the block's Labels. */
static void init_scrape_config(const om_target *t, point *p, const char *ns,
                               const char *pod) {
  const om_target_config *cfg = t->cfg;
  size_t n = 0;
  p->target_labels[n++] = om_label_cstr("job", cfg->job);
  p->target_labels[n++] = om_label_cstr("instance", p->instance);
  if (pod != NULL) {
    p->target_labels[n++] = om_label_cstr("namespace", ns);
    p->target_labels[n++] = om_label_cstr("pod", pod);
  }
  p->own_labels = n;
  for (size_t i = 0; i < cfg->labels_num; i++)
    p->target_labels[n++] =
        om_label_cstr(cfg->label_names[i], cfg->label_values[i]);
  p->scrape = (om_scrape_config){
      .catalog = t->catalog,
      .target_labels = p->target_labels,
      .target_labels_num = n,
      .honor_labels = cfg->honor_labels,
      .include = (const char *const *)cfg->include,
      .include_num = cfg->include_num,
      .exclude = (const char *const *)cfg->exclude,
      .exclude_num = cfg->exclude_num,
      .preset = cfg->preset,
      .owned_elsewhere = owned_elsewhere,
      .owner_ctx = (void *)t,
      .rules = cfg->rules,
      .max_series = cfg->max_series,
  };
}

/* A point for url (taken over), with key (len bytes, taken over) and,
 * for a pod, its namespace and name (the key's parts); NULL when out of
 * memory (url and key freed). */
static point *point_new(const om_target *t, char *url, char *key, size_t len,
                        const char *instance, const char *ns, const char *pod) {
  point *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    free(url);
    free(key);
    return NULL;
  }
  p->key = (om_index_key){key, len};
  p->url = url;
  /* every series it may send, plus as many lines left out or dropped */
  p->cache = om_series_cache_new(2 * t->cfg->max_series + 4096);
  if (p->url == NULL || p->key.bytes == NULL || p->cache == NULL) {
    point_free(p);
    return NULL;
  }
  snprintf(p->instance, sizeof(p->instance), "%s", instance);
  om_state_log_init(&p->scrape_state);
  om_state_log_init(&p->probe_state[0]);
  om_state_log_init(&p->probe_state[1]);
  om_state_log_init(&p->limit_state);
  C_COMPLAIN_INIT(&p->parse_complaint);
  om_http_url_display(url, p->url_shown, sizeof(p->url_shown));
  init_scrape_config(t, p, ns, pod);
  return p;
}

void *om_target_new(void *config, const om_catalog *catalog) {
  om_target_config *cfg = config;
  om_target *t = calloc(1, sizeof(*t));
  if (t == NULL) {
    om_target_config_free(cfg);
    return NULL;
  }
  t->cfg = cfg;
  t->catalog = catalog;
  t->http = om_http_client_new();
  if (t->http == NULL) {
    om_target_free(t);
    return NULL;
  }
  om_emitter_init(&t->emit, catalog, "target", cfg->block.name, cfg->block.id);
  if (cfg->pods != NULL) {
    t->pods = om_pods_watch_new(cfg->pods, cfg->block.id, cfg->block.name);
    if (t->pods == NULL) {
      om_target_free(t);
      return NULL;
    }
    return t;
  }
  t->points = calloc(1, sizeof(*t->points));
  if (t->points != NULL)
    t->points[0] = point_new(t, strdup(cfg->url), strdup(""), 0, cfg->instance,
                             NULL, NULL);
  if (t->points == NULL || t->points[0] == NULL) {
    om_target_free(t);
    return NULL;
  }
  t->points_num = 1;
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
static bool load_token(om_target *t, point *p) {
  char err[1024];
  if (om_http_auth_load_token(&t->cfg->auth, t->token, err, sizeof(err)))
    return true;
  om_state_fail(&p->scrape_state, FAIL_TOKEN, OM_LOG_ERR, t->cfg->block.id,
                "cannot use %s; reporting up 0", err);
  return false;
}

static void note_parse_problems(om_target *t, point *p,
                                const om_scrape_result *res) {
  const char *b = t->cfg->block.id;
  p->malformed_total += res->malformed_lines;
  if (res->malformed_lines == 0) {
    OM_RELEASE(OM_LOG_INFO, &p->parse_complaint, b,
               "%s: no malformed lines any more", p->url_shown);
    return;
  }
  OM_COMPLAIN(OM_LOG_WARNING, &p->parse_complaint, b,
              "%s: skipped %zu malformed line(s); the first is line %zu, "
              "byte %zu: %s",
              p->url_shown, res->malformed_lines, res->first_malformed_line,
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
static void dispatch_body(om_target *t, point *p, const char *body, size_t len,
                          om_scrape_result *res) {
  om_scrape scrape;
  om_scraped sample;
  size_t room = om_emitter_room(&t->emit);
  p->scrape.plugin_limited = room != SIZE_MAX;
  p->scrape.plugin_room = room;
  om_scrape_begin(&scrape, &p->scrape, NULL, p->cache, body, len, res);
  while (om_scrape_next(&scrape, &sample))
    om_emit_value(&t->emit, &sample.series, sample.value, sample.derive,
                  sample.name);
  note_parse_problems(t, p, res);
  hand_over_drops(t, res);
}

/* The scrape itself. Returns whether the target is up. */
static bool scrape(om_target *t, point *p, double deadline,
                   om_scrape_result *res, double *duration) {
  const char *b = t->cfg->block.id;
  double start = om_monotonic_s();
  memset(res, 0, sizeof(*res));
  *duration = 0;
  if (remaining_ms(deadline) == 0) {
    om_state_fail(&p->scrape_state, FAIL_NO_TIME, OM_LOG_ERR, b,
                  "no time left before Timeout (%g s) to scrape %s; "
                  "reporting up 0",
                  t->cfg->timeout_s, p->url_shown);
    return false;
  }
  if (!load_token(t, p))
    return false;
  om_http_request req = base_request(t, p->url, deadline);
  req.accept = PROMETHEUS_ACCEPT;
  req.max_bytes = t->cfg->max_response_bytes;
  om_http_outcome out = om_http_get(t->http, &req);
  om_wipe(t->token, sizeof(t->token));
  om_emitter_stamp(&t->emit); /* the samples are as of the answer */
  *duration = om_monotonic_s() - start;
  if (out != OM_HTTP_OK) {
    om_state_fail(&p->scrape_state,
                  FAIL_HTTP + (uint64_t)out * 1000 +
                      (uint64_t)om_http_status(t->http),
                  OM_LOG_ERR, b, "scrape of %s failed: %s; reporting up 0",
                  p->url_shown, om_http_error(t->http));
    return false;
  }
  size_t len = 0;
  const char *body = om_http_body(t->http, &len);
  dispatch_body(t, p, body, len, res);
  if (res->malformed_lines > 0 && res->samples_scraped == 0) {
    om_state_fail(&p->scrape_state, FAIL_NO_SAMPLES, OM_LOG_ERR, b,
                  "%s answered without a single valid sample line; "
                  "reporting up 0",
                  p->url_shown);
    return false;
  }
  om_state_ok(&p->scrape_state, OM_LOG_INFO, b, "scrape of %s succeeds again",
              p->url_shown);
  return true;
}

/* One of the point's own series: its job, instance (and pod) labels and
 * the extra ones. */
static void dispatch_target_family(om_target *t, const point *p,
                                   const char *family, om_label *extra,
                                   size_t extra_num, double value) {
  om_label labels[6];
  size_t n = 0;
  for (size_t i = 0; i < p->own_labels; i++)
    labels[n++] = p->target_labels[i];
  for (size_t i = 0; i < extra_num && n < OM_LEN(labels); i++)
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

static void run_probes(om_target *t, point *p, double deadline) {
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
      om_state_ok(&p->probe_state[i], OM_LOG_INFO, t->cfg->block.id,
                  "%s probe of %s succeeds again", probes[i].name, shown);
    else
      om_state_fail(&p->probe_state[i], 1, OM_LOG_WARNING, t->cfg->block.id,
                    "%s probe of %s failed: %s", probes[i].name, shown,
                    remaining_ms(deadline) ? om_http_error(t->http)
                                           : "no time left before Timeout");
    om_label l = om_label_cstr("probe", probes[i].name);
    dispatch_target_family(t, p, "operator_metrics_probe_success", &l, 1,
                           ok ? 1 : 0);
  }
}

/* Whether a MaxSeries cut this read, logged once when it starts to (or
 * the other one cuts) and once when it stops. */
static bool note_series_limit(om_target *t, point *p,
                              const om_scrape_result *res) {
  size_t own = res->dropped[OM_DROP_SERIES_LIMIT];
  size_t plugin = res->dropped[OM_DROP_PLUGIN_SERIES_LIMIT];
  const char *b = t->cfg->block.id;
  if (own == 0 && plugin == 0) {
    om_state_ok(&p->limit_state, OM_LOG_INFO, b,
                "%s: every series is passed on again", p->url_shown);
    return false;
  }
  if (own > 0)
    om_state_fail(&p->limit_state, 1, OM_LOG_WARNING, b,
                  "%s: more series than the block's MaxSeries %zu; the rest "
                  "are dropped (series_limit) and "
                  "operator_metrics_series_limited is 1",
                  p->url_shown, t->cfg->max_series);
  else
    om_state_fail(&p->limit_state, 2, OM_LOG_WARNING, b,
                  "%s: the plugin-wide MaxSeries %zu leaves this block %zu "
                  "series; the rest are dropped (plugin_series_limit) and "
                  "operator_metrics_series_limited is 1",
                  p->url_shown, om_emitter_plugin_limit(),
                  p->scrape.plugin_room);
  return true;
}

/* One point's scrape and its own series. */
static void read_point(om_target *t, point *p, double deadline) {
  om_scrape_result res;
  double duration = 0;
  bool up = scrape(t, p, deadline, &res, &duration);
  dispatch_target_family(t, p, "up", NULL, 0, up ? 1 : 0);
  dispatch_target_family(t, p, "scrape_duration_seconds", NULL, 0, duration);
  dispatch_target_family(t, p, "scrape_samples_scraped", NULL, 0,
                         (double)res.samples_scraped);
  dispatch_target_family(t, p, "scrape_samples_post_metric_relabeling", NULL, 0,
                         (double)res.samples_emitted);
  dispatch_target_family(t, p, "operator_metrics_series_limited", NULL, 0,
                         note_series_limit(t, p, &res) ? 1 : 0);
  run_probes(t, p, deadline);
  dispatch_target_family(t, p, "operator_metrics_malformed_lines_total", NULL,
                         0, (double)p->malformed_total);
}

/* --- following the pods ----------------------------------------------------
 */

/* The point of a pod's endpoint: its key, URL and instance; NULL when out
 * of memory. */
static point *pod_point(const om_target *t, const om_pod_endpoint *ep) {
  const om_pods_config *c = t->cfg->pods;
  bool v6 = strchr(ep->ip, ':') != NULL;
  char instance[OM_PODS_IP_MAX + 8];
  snprintf(instance, sizeof(instance), "%s%s%s:%ld", v6 ? "[" : "", ep->ip,
           v6 ? "]" : "", ep->port);
  size_t ns = strlen(ep->namespace_), pod = strlen(ep->pod);
  size_t len = ns + 1 + pod + 1 + strlen(instance);
  char *key = malloc(len + 1);
  size_t url_len = strlen(c->scheme) + strlen(instance) + strlen(c->path) + 4;
  char *url = malloc(url_len);
  if (key != NULL)
    snprintf(key, len + 1, "%s%c%s%c%s", ep->namespace_, 0, ep->pod, 0,
             instance);
  if (url != NULL)
    snprintf(url, url_len, "%s://%s%s", c->scheme, instance, c->path);
  if (key == NULL || url == NULL) {
    free(key);
    free(url);
    return NULL;
  }
  /* the namespace and pod labels point into the key, which the point owns */
  return point_new(t, url, key, len, instance, key, key + ns + 1);
}

static const char *pod_of(const point *p) {
  return p->key.bytes + strlen(p->key.bytes) + 1;
}

/* The points for the endpoints of the last listing: those already scraped
 * keep their point (caches, states, counters); new ones get one, and the
 * others are dropped. Out of memory, the old points stay. Linear in the
 * points. */
static void follow_pods(om_target *t) {
  const om_pod_endpoints *eps = om_pods_watch_endpoints(t->pods);
  const char *b = t->cfg->block.id;
  om_index old = {0};
  point **next = calloc(eps->num + 1, sizeof(*next));
  size_t num = 0;
  bool ok = next != NULL;
  for (size_t i = 0; ok && i < t->points_num; i++) {
    t->points[i]->taken = false;
    ok = om_index_add_key(&old, t->points[i]) == 0;
  }
  om_index fresh = {0};
  for (size_t i = 0; ok && i < eps->num; i++) {
    point *p = pod_point(t, &eps->items[i]);
    if (p == NULL) {
      ok = false;
      break;
    }
    point *had = om_index_find_key(&old, p->key.bytes, p->key.len);
    if (om_index_find_key(&fresh, p->key.bytes, p->key.len) != NULL) {
      point_free(p); /* listed twice */
      continue;
    }
    if (had != NULL) {
      point_free(p);
      p = had;
      p->taken = true;
    } else {
      om_log(OM_LOG_INFO, b, "pod %s/%s: scraping %s", eps->items[i].namespace_,
             eps->items[i].pod, p->url_shown);
    }
    if (om_index_add_key(&fresh, p) != 0) {
      if (!p->taken)
        point_free(p);
      ok = false;
      break;
    }
    next[num++] = p;
  }
  if (!ok) {
    for (size_t i = 0; next != NULL && i < num; i++)
      if (!next[i]->taken)
        point_free(next[i]);
    free(next);
    om_log(OM_LOG_ERR, b,
           "out of memory following the pods; the pods "
           "scraped so far stay");
  } else {
    for (size_t i = 0; i < t->points_num; i++) {
      point *p = t->points[i];
      if (p->taken)
        continue;
      om_log(OM_LOG_INFO, b,
             "pod %s/%s: no longer scraped at %s (gone, not Ready, or on "
             "another node)",
             p->key.bytes, pod_of(p), p->url_shown);
      point_free(p);
    }
    free(t->points);
    t->points = next;
    t->points_num = num;
  }
  om_index_free(&old);
  om_index_free(&fresh);
}

/* operator_metrics_family_owned_elsewhere: job and, for a URL, instance
 * (the families are left out of every pod's scrape alike). */
static void dispatch_left_out(om_target *t) {
  for (size_t i = 0; i < t->left_num; i++) {
    om_label l[4];
    size_t n = 0;
    l[n++] = om_label_cstr("job", t->cfg->job);
    if (t->cfg->instance != NULL)
      l[n++] = om_label_cstr("instance", t->cfg->instance);
    l[n++] = om_label_cstr("family", t->left[i].family);
    l[n++] = om_label_cstr("owner", t->left[i].owner);
    om_emit_family(&t->emit, "operator_metrics_family_owned_elsewhere", l, n,
                   1);
  }
}

int om_target_read(void *arg) {
  om_target *t = arg;
  double deadline = om_monotonic_s() + t->cfg->timeout_s;
  om_emitter_begin(&t->emit);
  if (t->pods != NULL) {
    if (om_pods_watch_refresh(t->pods, deadline))
      follow_pods(t);
    om_pods_watch_dispatch(t->pods, &t->emit);
  }
  for (size_t i = 0; i < t->points_num; i++)
    read_point(t, t->points[i], deadline);
  dispatch_left_out(t);
  om_emitter_end(&t->emit);
  return 0;
}

om_emitter *om_target_emitter(void *collector) {
  return &((om_target *)collector)->emit;
}

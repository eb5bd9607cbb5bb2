/* The pods of a <Pods> block, listed through the API server; see
 * om_pods_watch.h. */
#include "om_pods_watch.h"
#include "om_complain.h"
#include "om_conf.h"
#include "om_file.h"
#include "om_kube_list.h"
#include "om_log.h"
#include "om_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct om_pods_watch {
  om_pods_config *cfg;
  const char *block_id, *block_name;
  const char *resource; /* "pods" or "endpoints" */
  om_http_client *http;
  om_kube_list_conf list_conf;
  char token[OM_HTTP_MAX_TOKEN];
  bool have_query;
  om_pod_endpoints last, fresh;
  bool have_last;
  double listed_at; /* monotonic: when the last listing was tried */
  double last_ok_s; /* wall clock: when one last completed */
  om_kube_state state;
  om_state_log log;
  double retry_at;
  uint64_t failures[OM_KUBE_STATES];
};

om_pods_watch *om_pods_watch_new(om_pods_config *cfg, const char *block_id,
                                 const char *block_name) {
  om_pods_watch *w = calloc(1, sizeof(*w));
  if (w == NULL)
    return NULL;
  w->cfg = cfg;
  w->block_id = block_id;
  w->block_name = block_name;
  w->resource = cfg->service != NULL ? "endpoints" : "pods";
  w->http = om_http_client_new();
  if (w->http == NULL) {
    free(w);
    return NULL;
  }
  w->list_conf = (om_kube_list_conf){
      .api_server = cfg->api_server,
      .auth = &cfg->auth,
      .timeout_s = cfg->timeout_s,
      .read_budget_s = cfg->timeout_s,
      .page_size = OM_PODS_PAGE_SIZE,
      .max_response_bytes = OM_PODS_MAX_RESPONSE_BYTES,
      .max_objects = OM_PODS_MAX_MAX_PODS,
      .max_pages = OM_PODS_MAX_PAGES,
  };
  om_state_log_init(&w->log);
  return w;
}

void om_pods_watch_free(om_pods_watch *w) {
  if (w == NULL)
    return;
  om_pod_endpoints_free(&w->last);
  om_pod_endpoints_free(&w->fresh);
  om_http_client_free(w->http);
  om_wipe(w->token, sizeof(w->token));
  free(w);
}

const om_pod_endpoints *om_pods_watch_endpoints(const om_pods_watch *w) {
  return &w->last;
}

/* Adds one page's pods (or a Service's endpoints) to the fresh list. */
static int take_page(void *ctx, const om_kube_page *page, char *why,
                     size_t whylen) {
  om_pods_watch *w = ctx;
  const om_pods_config *c = w->cfg;
  if (c->service != NULL)
    return om_pods_select_endpoints(page->items, c->port_name, c->port_number,
                                    c->cluster ? NULL : om_conf_node_name(),
                                    c->max_pods, &w->fresh, why, whylen);
  return om_pods_select(page->items, c->port_name, c->port_number, c->max_pods,
                        &w->fresh, why, whylen);
}

static void restart(void *ctx) {
  om_pods_watch *w = ctx;
  om_pod_endpoints_free(&w->fresh);
}

/* The query with this collectd's node, built at the first listing (the
 * node's name is known once collectd has started). */
static bool build_query(om_pods_watch *w, char *why, size_t whylen) {
  if (w->have_query)
    return true;
  const char *node = w->cfg->cluster ? NULL
                     : w->cfg->node  ? w->cfg->node
                                     : om_conf_node_name();
  if (node != NULL && node[0] == '\0') {
    snprintf(why, whylen,
             "no node name to select pods by: set Node, or NODE_NAME in "
             "collectd's environment");
    return false;
  }
  if (om_pods_config_query(w->cfg, node) != 0) {
    snprintf(why, whylen, "out of memory");
    return false;
  }
  w->have_query = true;
  return true;
}

static om_kube_state list(om_pods_watch *w, double deadline, char *why,
                          size_t whylen) {
  if (!build_query(w, why, whylen) ||
      !om_http_auth_load_token(&w->cfg->auth, w->token, why, whylen)) {
    w->failures[OM_KUBE_ERROR]++;
    return OM_KUBE_ERROR;
  }
  om_kube_lister lister = {
      .conf = &w->list_conf,
      .http = w->http,
      .token = w->token,
      .deadline = deadline,
  };
  om_kube_listing what = {
      .id = w->resource,
      .root = "/api/v1",
      .plural = w->resource,
      .namespaces = (const char *const *)w->cfg->namespaces,
      .namespaces_num = w->cfg->namespaces_num,
      .query = w->cfg->query,
      .page = take_page,
      .restart = restart,
      .ctx = w,
      .retry_at = &w->retry_at,
      .failures = w->failures,
  };
  om_kube_state st = om_kube_list(&lister, &what, w->block_id, why, whylen);
  om_wipe(w->token, sizeof(w->token));
  return st;
}

static void note_state(om_pods_watch *w, om_kube_state st, const char *why) {
  w->state = st;
  if (st == OM_KUBE_OK)
    om_state_ok(&w->log, OM_LOG_INFO, w->block_id, "listing %s works again",
                w->resource);
  else
    om_state_fail(&w->log, st, OM_LOG_ERR, w->block_id,
                  "cannot list %s (%s): %s; the pods of the last complete "
                  "listing are still scraped",
                  w->resource, om_kube_state_name(st), why);
}

bool om_pods_watch_refresh(om_pods_watch *w, double deadline) {
  double now = om_monotonic_s();
  if (w->listed_at > 0 && now - w->listed_at < w->cfg->refresh_s)
    return false;
  w->listed_at = now;
  char why[512] = "";
  om_pod_endpoints_free(&w->fresh);
  /* half of what is left at most: the pods' scrapes need the rest */
  double until = deadline > now ? now + (deadline - now) / 2 : now;
  om_kube_state st = list(w, until, why, sizeof(why));
  note_state(w, st, why);
  if (st != OM_KUBE_OK) {
    om_pod_endpoints_free(&w->fresh);
    return false;
  }
  om_pod_endpoints_free(&w->last);
  w->last = w->fresh;
  w->fresh = (om_pod_endpoints){0};
  w->have_last = true;
  w->last_ok_s = om_wall_s();
  return true;
}

void om_pods_watch_dispatch(const om_pods_watch *w, om_emitter *e) {
  om_kube_list_status s = {
      .resource = w->resource,
      .state = w->state,
      .failures = w->failures,
      .have_last = w->have_last,
      .objects = w->last.num,
      .skipped = w->last.no_port, /* Ready, without the port asked for */
      .last_ok_s = w->last_ok_s,
  };
  om_kube_list_dispatch(e, w->block_name, &s);
}

/* The <Kubernetes> collector's read callback: list every resource, keep
 * the last complete listing of each, dispatch.
 *
 * A read lists each resource page by page (limit, continue) within the
 * block's deadline. Only a listing that completed replaces the resource's
 * rows; when one fails, its state says why, the previous rows are
 * dispatched unchanged and the other resources go on. A CRD that is not
 * installed (404) is an empty listing, not an error. */
#include "om_kube.h"
#include "om_complain.h"
#include "om_emitter.h"
#include "om_file.h"
#include "om_http.h"
#include "om_kube_config.h"
#include "om_kube_list.h"
#include "om_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const om_kube_resource *res;
  om_kube_snapshot last; /* the last complete listing */
  bool have_last;
  om_kube_rows seen; /* every count ever dispatched, for zeros */
  om_kube_state state;
  om_state_log log;
  c_complain_t skip_complaint; /* objects skipped by a listing */
  double retry_at; /* monotonic: a 429's Retry-After asked to wait till */
  uint64_t failures[OM_KUBE_STATES];
  double last_ok_s;
} resource_state;

typedef struct {
  om_kube_config *cfg;
  om_emitter emit;
  om_http_client *http;
  char token[OM_HTTP_MAX_TOKEN];
  om_kube_list_conf list_conf;
  om_kube_lister lister; /* this read's */
  resource_state *rs;
  size_t first; /* the resource a read starts with */
} om_kube;

/* The resource a listing's pages are mapped for, and where to. */
struct listing_ctx {
  const om_kube_resource *res;
  om_kube_snapshot *snap;
};

void om_kube_free(void *p) {
  om_kube *k = p;
  if (k == NULL)
    return;
  for (size_t i = 0; k->rs != NULL && i < k->cfg->resources_num; i++) {
    om_kube_snapshot_free(&k->rs[i].last);
    om_kube_rows_free(&k->rs[i].seen);
  }
  free(k->rs);
  om_http_client_free(k->http);
  om_wipe(k->token, sizeof(k->token));
  om_kube_config_free(k->cfg);
  free(k);
}

void *om_kube_new(void *config, const om_catalog *catalog) {
  om_kube_config *cfg = config;
  om_kube *k = calloc(1, sizeof(*k));
  if (k == NULL) {
    om_kube_config_free(cfg);
    return NULL;
  }
  k->cfg = cfg;
  om_emitter_init(&k->emit, catalog, "kubernetes", cfg->block.name,
                  cfg->block.id);
  om_emitter_select(&k->emit, &cfg->block);
  k->http = om_http_client_new();
  k->rs = calloc(cfg->resources_num, sizeof(*k->rs));
  if (k->http == NULL || k->rs == NULL) {
    om_kube_free(k);
    return NULL;
  }
  for (size_t i = 0; i < cfg->resources_num; i++) {
    k->rs[i].res = cfg->resources[i];
    om_state_log_init(&k->rs[i].log);
    C_COMPLAIN_INIT(&k->rs[i].skip_complaint);
  }
  k->list_conf = (om_kube_list_conf){
      .api_server = cfg->api_server,
      .auth = &cfg->auth,
      .timeout_s = cfg->timeout_s,
      .read_budget_s = cfg->read_budget_s,
      .page_size = cfg->page_size,
      .max_response_bytes = cfg->max_response_bytes,
      .max_objects = cfg->max_objects,
      .max_pages = cfg->max_pages,
  };
  return k;
}

/* --- listing -------------------------------------------------------------- */

/* Maps one page of a resource's listing into the fresh snapshot. */
static int map_page(void *ctx, const om_kube_page *page, char *why,
                    size_t whylen) {
  struct listing_ctx *c = ctx;
  return om_kube_map_page(c->res, page, c->snap, why, whylen);
}

static void restart_listing(void *ctx) {
  struct listing_ctx *c = ctx;
  om_kube_snapshot_free(c->snap);
}

/* A failure is logged once per state, its recovery once. A resource that
 * is not installed counts as empty: that is said once, at INFO. */
static void note_state(om_kube *k, resource_state *rs, om_kube_state st,
                       const char *why) {
  const char *b = k->cfg->block.id, *id = rs->res->id;
  rs->state = st;
  if (st == OM_KUBE_OK)
    om_state_ok(&rs->log, OM_LOG_INFO, b, "%s: listing works again", id);
  else if (st == OM_KUBE_NOT_INSTALLED)
    om_state_fail(&rs->log, st, OM_LOG_INFO, b,
                  "%s is not served (%s): its custom resource definition is "
                  "not installed; it counts as empty",
                  id, why);
  else if (st != OM_KUBE_OK)
    om_state_fail(&rs->log, st, OM_LOG_ERR, b,
                  "cannot list %s (%s): %s; its last complete listing stays",
                  id, om_kube_state_name(st), why);
}

/* Objects a complete listing skipped: warned about while it lasts. */
static void note_skipped(om_kube *k, resource_state *rs) {
  const char *b = k->cfg->block.id, *id = rs->res->id;
  if (rs->last.skipped == 0) {
    OM_RELEASE(OM_LOG_INFO, &rs->skip_complaint, b,
               "%s: no objects skipped any more", id);
    return;
  }
  OM_COMPLAIN(OM_LOG_WARNING, &rs->skip_complaint, b,
              "%s: skipped %zu object(s) that cannot be mapped, kept the "
              "others; the first (%s)",
              id, rs->last.skipped, rs->last.first_skip);
}

/* One listing (om_kube_list.h). Only a complete one replaces the
 * resource's rows; a resource whose server asked to wait is not asked
 * before then: its last listing stays, its state says throttled. */
static void list_resource(om_kube *k, resource_state *rs) {
  const om_kube_resource *r = rs->res;
  om_kube_snapshot fresh = {0};
  struct listing_ctx ctx = {r, &fresh};
  char root[256], why[512] = "";
  snprintf(root, sizeof(root), "/apis/%s/%s", r->group, r->version);
  om_kube_listing what = {
      .id = r->id,
      .root = root,
      .plural = r->plural,
      .namespaces =
          r->cluster_scoped ? NULL : (const char *const *)k->cfg->namespaces,
      .namespaces_num = r->cluster_scoped ? 0 : k->cfg->namespaces_num,
      .page = map_page,
      .restart = restart_listing,
      .ctx = &ctx,
      .retry_at = &rs->retry_at,
      .failures = rs->failures,
  };
  om_kube_state st =
      om_kube_list(&k->lister, &what, k->cfg->block.id, why, sizeof(why));
  if (st == OM_KUBE_OK || st == OM_KUBE_NOT_INSTALLED) {
    if (st == OM_KUBE_NOT_INSTALLED)
      om_kube_snapshot_free(&fresh);
    om_kube_rows_settle_counts(&fresh.totals, &rs->seen,
                               OM_KUBE_MAX_SEEN_COUNTS);
    om_kube_snapshot_free(&rs->last);
    rs->last = fresh;
    rs->have_last = true;
    rs->last_ok_s = om_wall_s();
    note_skipped(k, rs);
  } else {
    om_kube_snapshot_free(&fresh);
  }
  note_state(k, rs, st, why);
}

/* --- dispatching ---------------------------------------------------------- */

static void dispatch_row(om_kube *k, const om_kube_row *row) {
  om_label l[OM_KUBE_MAX_LABELS + 1];
  for (size_t i = 0; i < row->n; i++)
    l[i] = om_label_cstr(row->names[i], row->values[i]);
  om_emit_any(&k->emit, row->family, l, row->n, row->value);
}

static void dispatch_rows(om_kube *k, const om_kube_rows *rows) {
  for (size_t i = 0; i < rows->num; i++)
    dispatch_row(k, rows->rows[i]);
}

static void dispatch_resource(om_kube *k, const resource_state *rs) {
  om_kube_list_status st = {
      .resource = rs->res->id,
      .state = rs->state,
      .failures = rs->failures,
      .have_last = rs->have_last,
      .objects = rs->last.objects,
      .skipped = rs->last.skipped,
      .last_ok_s = rs->last_ok_s,
  };
  om_kube_list_dispatch(&k->emit, k->cfg->block.name, &st);
  if (!rs->have_last)
    return;
  dispatch_rows(k, &rs->last.values);
  dispatch_rows(k, &rs->last.totals);
}

/* A read starts with the first resource the previous one ran out of time
 * for, so that a slow server starves no resource for good. */
int om_kube_read(void *p) {
  om_kube *k = p;
  size_t n = k->cfg->resources_num, next_first = k->first;
  om_emitter_begin(&k->emit);
  k->lister = (om_kube_lister){
      .conf = &k->list_conf,
      .http = k->http,
      .token = k->token,
      .deadline = om_monotonic_s() + k->cfg->read_budget_s,
  };
  char why[512] = "";
  bool token_ok =
      om_http_auth_load_token(&k->cfg->auth, k->token, why, sizeof(why));
  for (size_t i = 0; i < n; i++) {
    size_t at = (k->first + i) % n;
    resource_state *rs = &k->rs[at];
    bool in_time = !k->lister.out_of_time;
    if (token_ok) {
      list_resource(k, rs);
    } else {
      rs->failures[OM_KUBE_ERROR]++;
      note_state(k, rs, OM_KUBE_ERROR, why);
    }
    if (in_time && k->lister.out_of_time)
      next_first = at;
    dispatch_resource(k, rs);
  }
  k->first = next_first;
  om_wipe(k->token, sizeof(k->token));
  om_emitter_end(&k->emit);
  return 0;
}

om_emitter *om_kube_emitter(void *collector) {
  return &((om_kube *)collector)->emit;
}

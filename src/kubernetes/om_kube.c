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
#include "om_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EMPTY_PAGES 16

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
  resource_state *rs;
  double deadline;  /* monotonic seconds */
  bool out_of_time; /* the deadline passed during this read */
  size_t first;     /* the resource a read starts with */
} om_kube;

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
  return k;
}

/* --- listing -------------------------------------------------------------- */

/* The URL of one page; NULL when out of memory or the token is too long. */
static char *page_url(const om_kube *k, const om_kube_resource *r,
                      const char *ns, const char *token) {
  const size_t esc_cap = OM_KUBE_MAX_CONTINUE * 3 + 1;
  char *esc = NULL;
  if (token != NULL) {
    esc = malloc(esc_cap);
    if (esc == NULL || om_kube_query_escape(token, esc, esc_cap) != 0) {
      free(esc);
      return NULL;
    }
  }
  size_t n = strlen(k->cfg->api_server) + strlen(r->group) +
             strlen(r->version) + strlen(r->plural) + (ns ? strlen(ns) : 0) +
             (esc ? strlen(esc) : 0) + 96;
  char *url = malloc(n);
  if (url != NULL)
    snprintf(url, n, "%s/apis/%s/%s%s%s/%s?limit=%zu%s%s", k->cfg->api_server,
             r->group, r->version, ns ? "/namespaces/" : "", ns ? ns : "",
             r->plural, k->cfg->page_size, esc ? "&continue=" : "",
             esc ? esc : "");
  free(esc);
  return url;
}

static om_kube_state state_of_http(om_http_outcome o) {
  switch (o) {
  case OM_HTTP_TRANSPORT:
    return OM_KUBE_UNAVAILABLE;
  case OM_HTTP_TOO_LARGE:
    return OM_KUBE_TOO_LARGE;
  default:
    return OM_KUBE_ERROR;
  }
}

/* Fetches and reads one page. */
/* A 429's Retry-After: the resource is not asked again before it. */
static void note_retry_after(om_kube *k, resource_state *rs) {
  double wait =
      om_http_retry_after_s(k->http, om_wall_s(), OM_KUBE_MAX_RETRY_AFTER_S);
  if (wait > 0)
    rs->retry_at = om_monotonic_s() + wait;
}

static om_kube_state fetch_page(om_kube *k, resource_state *rs, const char *url,
                                om_kube_page *page, char *why, size_t whylen) {
  const om_kube_config *cfg = k->cfg;
  *page = (om_kube_page){.remaining = -1};
  double left = k->deadline - om_monotonic_s();
  if (left < 0.05) {
    snprintf(why, whylen, "the read's deadline (%g s) passed",
             cfg->read_budget_s);
    k->out_of_time = true;
    return OM_KUBE_UNAVAILABLE;
  }
  double timeout = cfg->timeout_s < left ? cfg->timeout_s : left;
  om_http_request req = {
      .url = url,
      .timeout_ms = (long)(timeout * 1000),
      .accept = "application/json",
      .max_bytes = cfg->max_response_bytes,
  };
  om_http_auth_apply(&cfg->auth, k->token, &req);
  om_http_outcome o = om_http_get(k->http, &req);
  if (o == OM_HTTP_TRANSPORT && timeout < cfg->timeout_s) {
    /* cut short by what was left of the read's time */
    snprintf(why, whylen, "%s (the read's deadline of %g s)",
             om_http_error(k->http), cfg->read_budget_s);
    k->out_of_time = true;
    return OM_KUBE_UNAVAILABLE;
  }
  if (o != OM_HTTP_OK && o != OM_HTTP_STATUS) {
    snprintf(why, whylen, "%s", om_http_error(k->http));
    return state_of_http(o);
  }
  size_t len = 0;
  const char *body = om_http_body(k->http, &len);
  om_kube_state st =
      om_kube_page_read(om_http_status(k->http), body, len, page, why, whylen);
  if (st == OM_KUBE_THROTTLED)
    note_retry_after(k, rs);
  return st;
}

/* Whether the objects listed so far, this page's and those the server
 * announces still fit MaxObjects. */
static bool within_max_objects(const om_kube *k, const om_kube_snapshot *snap,
                               const om_kube_page *page, char *why,
                               size_t whylen) {
  size_t max = k->cfg->max_objects;
  size_t items = (size_t)cJSON_GetArraySize(page->items);
  size_t remaining = page->remaining > 0 ? (size_t)page->remaining : 0;
  size_t listed = snap->objects + snap->skipped + items;
  if (listed <= max && remaining <= max && listed + remaining <= max)
    return true;
  snprintf(why, whylen,
           "more than MaxObjects (%zu): %zu listed with this page, %zu more "
           "announced",
           max, listed, remaining);
  return false;
}

/* Lists one namespace (or all, ns NULL) page by page into snap. */
/* Whether a page's continue token leads on: a listing ends within
 * MaxPages pages, no token comes twice in a row, and not too many empty
 * pages follow each other. OM_KUBE_OK, or why not. */
static om_kube_state check_progress(const om_kube *k, size_t pages,
                                    int empty_pages, const char *previous,
                                    const char *token, char *why,
                                    size_t whylen) {
  if (token == NULL)
    return OM_KUBE_OK;
  if (previous != NULL && strcmp(previous, token) == 0) {
    snprintf(why, whylen,
             "page %zu came with the same continue token as "
             "the page before it",
             pages);
    return OM_KUBE_INVALID;
  }
  if (pages >= k->cfg->max_pages) {
    snprintf(why, whylen, "no end of the listing after MaxPages (%zu) pages",
             k->cfg->max_pages);
    return OM_KUBE_INVALID;
  }
  if (empty_pages > MAX_EMPTY_PAGES) {
    snprintf(why, whylen, "%d empty pages in a row, each with a continue token",
             empty_pages);
    return OM_KUBE_INVALID;
  }
  return OM_KUBE_OK;
}

/* Lists one namespace (or all, ns NULL) page by page into snap. */
static om_kube_state list_scope(om_kube *k, resource_state *rs, const char *ns,
                                om_kube_snapshot *snap, char *why,
                                size_t whylen) {
  char *token = NULL, *previous = NULL;
  int empty_pages = 0;
  size_t pages = 0;
  om_kube_state st = OM_KUBE_OK;
  do {
    char *url = page_url(k, rs->res, ns, token);
    free(previous);
    previous = token;
    token = NULL;
    if (url == NULL) {
      snprintf(why, whylen, "out of memory, or a continue token too long");
      st = OM_KUBE_ERROR;
      break;
    }
    om_kube_page page;
    st = fetch_page(k, rs, url, &page, why, whylen);
    free(url);
    pages++;
    if (st == OM_KUBE_OK && !within_max_objects(k, snap, &page, why, whylen))
      st = OM_KUBE_TOO_MANY_OBJECTS;
    if (st == OM_KUBE_OK &&
        om_kube_map_page(rs->res, &page, snap, why, whylen) != 0)
      st = OM_KUBE_INVALID;
    if (st == OM_KUBE_OK) {
      empty_pages = cJSON_GetArraySize(page.items) == 0 ? empty_pages + 1 : 0;
      token = page.continue_token;
      page.continue_token = NULL;
      st = check_progress(k, pages, empty_pages, previous, token, why, whylen);
    }
    om_kube_page_free(&page);
  } while (st == OM_KUBE_OK && token != NULL);
  if (st != OM_KUBE_OK)
    rs->failures[st]++;
  free(previous);
  free(token);
  return st;
}

static om_kube_state list_all(om_kube *k, resource_state *rs,
                              om_kube_snapshot *snap, char *why,
                              size_t whylen) {
  const om_kube_config *cfg = k->cfg;
  if (rs->res->cluster_scoped || cfg->namespaces_num == 0)
    return list_scope(k, rs, NULL, snap, why, whylen);
  for (size_t i = 0; i < cfg->namespaces_num; i++) {
    om_kube_state st = list_scope(k, rs, cfg->namespaces[i], snap, why, whylen);
    if (st != OM_KUBE_OK)
      return st;
  }
  return OM_KUBE_OK;
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

/* One listing, restarted once when a continue token expired (410). A
 * resource whose server asked to wait (429 with Retry-After) is not asked
 * before then: its last listing stays, its state says throttled. */
static void list_resource(om_kube *k, resource_state *rs) {
  double wait = rs->retry_at - om_monotonic_s();
  if (wait > 0) {
    char why[128];
    snprintf(why, sizeof(why),
             "the server asked to wait, %.0f s more (Retry-After)", wait);
    note_state(k, rs, OM_KUBE_THROTTLED, why);
    return;
  }
  om_kube_snapshot fresh = {0};
  char why[512] = "";
  om_kube_state st = OM_KUBE_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    om_kube_snapshot_free(&fresh);
    st = list_all(k, rs, &fresh, why, sizeof(why));
    if (st != OM_KUBE_EXPIRED)
      break;
    if (attempt == 0)
      om_log(OM_LOG_NOTICE, k->cfg->block.id,
             "%s: the continue token expired (%s); listing again from the "
             "start",
             rs->res->id, why);
  }
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
  const char *block = k->cfg->block.name, *id = rs->res->id;
  for (int s = 0; s < OM_KUBE_STATES; s++) {
    const char *name = om_kube_state_name((om_kube_state)s);
    om_label l[] = {om_label_cstr("block", block),
                    om_label_cstr("resource", id),
                    om_label_cstr("state", name)};
    om_emit_family(&k->emit, "operator_metrics_kubernetes_resource_state", l, 3,
                   rs->state == (om_kube_state)s);
    if (s == OM_KUBE_OK)
      continue;
    om_label f[] = {om_label_cstr("block", block),
                    om_label_cstr("resource", id),
                    om_label_cstr("reason", name)};
    om_emit_family(&k->emit, "operator_metrics_kubernetes_list_failures_total",
                   f, 3, (double)rs->failures[s]);
  }
  if (!rs->have_last)
    return;
  om_label l[] = {om_label_cstr("block", block), om_label_cstr("resource", id)};
  om_emit_family(&k->emit, "operator_metrics_kubernetes_objects", l, 2,
                 (double)rs->last.objects);
  om_emit_family(&k->emit, "operator_metrics_kubernetes_skipped_objects", l, 2,
                 (double)rs->last.skipped);
  om_emit_family(&k->emit,
                 "operator_metrics_kubernetes_last_success_timestamp_seconds",
                 l, 2, rs->last_ok_s);
  dispatch_rows(k, &rs->last.values);
  dispatch_rows(k, &rs->last.totals);
}

/* A read starts with the first resource the previous one ran out of time
 * for, so that a slow server starves no resource for good. */
int om_kube_read(void *p) {
  om_kube *k = p;
  size_t n = k->cfg->resources_num, next_first = k->first;
  om_emitter_begin(&k->emit);
  k->deadline = om_monotonic_s() + k->cfg->read_budget_s;
  k->out_of_time = false;
  char why[512] = "";
  bool token_ok =
      om_http_auth_load_token(&k->cfg->auth, k->token, why, sizeof(why));
  for (size_t i = 0; i < n; i++) {
    size_t at = (k->first + i) % n;
    resource_state *rs = &k->rs[at];
    bool in_time = !k->out_of_time;
    if (token_ok) {
      list_resource(k, rs);
    } else {
      rs->failures[OM_KUBE_ERROR]++;
      note_state(k, rs, OM_KUBE_ERROR, why);
    }
    if (in_time && k->out_of_time)
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

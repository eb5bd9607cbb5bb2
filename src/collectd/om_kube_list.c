/* Listing Kubernetes objects page by page; see om_kube_list.h. */
#include "om_kube_list.h"
#include "om_log.h"
#include "om_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the longest a Retry-After is obeyed */
#define MAX_RETRY_AFTER_S 3600.0
#define MAX_EMPTY_PAGES 16

/* The URL of one page; NULL when out of memory or the token is too long. */
static char *page_url(const om_kube_lister *l, const om_kube_listing *w,
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
  const char *query = w->query ? w->query : "";
  size_t n = strlen(l->conf->api_server) + strlen(w->root) + strlen(w->plural) +
             (ns ? strlen(ns) : 0) + strlen(query) + (esc ? strlen(esc) : 0) +
             96;
  char *url = malloc(n);
  if (url != NULL)
    snprintf(url, n, "%s%s%s%s/%s?limit=%zu%s%s%s%s", l->conf->api_server,
             w->root, ns ? "/namespaces/" : "", ns ? ns : "", w->plural,
             l->conf->page_size, query[0] ? "&" : "", query,
             esc ? "&continue=" : "", esc ? esc : "");
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

/* A 429's Retry-After: the kind is not asked again before it. */
static void note_retry_after(const om_kube_lister *l,
                             const om_kube_listing *w) {
  double wait = om_http_retry_after_s(l->http, om_wall_s(), MAX_RETRY_AFTER_S);
  if (wait > 0 && w->retry_at != NULL)
    *w->retry_at = om_monotonic_s() + wait;
}

/* Fetches and reads one page, within what is left of the deadline. */
static om_kube_state fetch_page(om_kube_lister *l, const om_kube_listing *w,
                                const char *url, om_kube_page *page, char *why,
                                size_t whylen) {
  const om_kube_list_conf *c = l->conf;
  *page = (om_kube_page){.remaining = -1};
  double left = l->deadline - om_monotonic_s();
  if (left < 0.05) {
    snprintf(why, whylen, "the read's deadline (%g s) passed",
             c->read_budget_s);
    l->out_of_time = true;
    return OM_KUBE_UNAVAILABLE;
  }
  double timeout = c->timeout_s < left ? c->timeout_s : left;
  om_http_request req = {
      .url = url,
      .timeout_ms = (long)(timeout * 1000),
      .accept = "application/json",
      .max_bytes = c->max_response_bytes,
  };
  om_http_auth_apply(c->auth, l->token, &req);
  om_http_outcome o = om_http_get(l->http, &req);
  if (o == OM_HTTP_TRANSPORT && timeout < c->timeout_s) {
    /* cut short by what was left of the read's time */
    snprintf(why, whylen, "%s (the read's deadline of %g s)",
             om_http_error(l->http), c->read_budget_s);
    l->out_of_time = true;
    return OM_KUBE_UNAVAILABLE;
  }
  if (o != OM_HTTP_OK && o != OM_HTTP_STATUS) {
    snprintf(why, whylen, "%s", om_http_error(l->http));
    return state_of_http(o);
  }
  size_t len = 0;
  const char *body = om_http_body(l->http, &len);
  om_kube_state st =
      om_kube_page_read(om_http_status(l->http), body, len, page, why, whylen);
  if (st == OM_KUBE_THROTTLED)
    note_retry_after(l, w);
  return st;
}

/* Whether the objects listed so far, this page's and those the server
 * announces still fit MaxObjects. */
static bool within_max_objects(const om_kube_lister *l, size_t listed,
                               const om_kube_page *page, char *why,
                               size_t whylen) {
  size_t max = l->conf->max_objects;
  size_t remaining = page->remaining > 0 ? (size_t)page->remaining : 0;
  listed += om_kube_page_items(page);
  if (listed <= max && remaining <= max && listed + remaining <= max)
    return true;
  snprintf(why, whylen,
           "more than MaxObjects (%zu): %zu listed with this page, %zu more "
           "announced",
           max, listed, remaining);
  return false;
}

/* Whether a page's continue token leads on: a listing ends within
 * MaxPages pages, no token comes twice in a row, and not too many empty
 * pages follow each other. OM_KUBE_OK, or why not. */
static om_kube_state check_progress(const om_kube_lister *l, size_t pages,
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
  if (pages >= l->conf->max_pages) {
    snprintf(why, whylen, "no end of the listing after MaxPages (%zu) pages",
             l->conf->max_pages);
    return OM_KUBE_INVALID;
  }
  if (empty_pages > MAX_EMPTY_PAGES) {
    snprintf(why, whylen, "%d empty pages in a row, each with a continue token",
             empty_pages);
    return OM_KUBE_INVALID;
  }
  return OM_KUBE_OK;
}

/* Lists one namespace (or all, ns NULL) page by page; *listed counts the
 * objects of the whole listing. */
static om_kube_state list_scope(om_kube_lister *l, const om_kube_listing *w,
                                const char *ns, size_t *listed, char *why,
                                size_t whylen) {
  char *token = NULL, *previous = NULL;
  int empty_pages = 0;
  size_t pages = 0;
  om_kube_state st = OM_KUBE_OK;
  do {
    char *url = page_url(l, w, ns, token);
    free(previous);
    previous = token;
    token = NULL;
    if (url == NULL) {
      snprintf(why, whylen, "out of memory, or a continue token too long");
      st = OM_KUBE_ERROR;
      break;
    }
    om_kube_page page;
    st = fetch_page(l, w, url, &page, why, whylen);
    free(url);
    pages++;
    if (st == OM_KUBE_OK && !within_max_objects(l, *listed, &page, why, whylen))
      st = OM_KUBE_TOO_MANY_OBJECTS;
    if (st == OM_KUBE_OK && w->page(w->ctx, &page, why, whylen) != 0)
      st = OM_KUBE_INVALID;
    if (st == OM_KUBE_OK) {
      size_t items = om_kube_page_items(&page);
      *listed += items;
      empty_pages = items == 0 ? empty_pages + 1 : 0;
      token = page.continue_token;
      page.continue_token = NULL;
      st = check_progress(l, pages, empty_pages, previous, token, why, whylen);
    }
    om_kube_page_free(&page);
  } while (st == OM_KUBE_OK && token != NULL);
  if (st != OM_KUBE_OK && w->failures != NULL)
    w->failures[st]++;
  free(previous);
  free(token);
  return st;
}

static om_kube_state list_all(om_kube_lister *l, const om_kube_listing *w,
                              char *why, size_t whylen) {
  size_t listed = 0;
  if (w->namespaces_num == 0)
    return list_scope(l, w, NULL, &listed, why, whylen);
  for (size_t i = 0; i < w->namespaces_num; i++) {
    om_kube_state st = list_scope(l, w, w->namespaces[i], &listed, why, whylen);
    if (st != OM_KUBE_OK)
      return st;
  }
  return OM_KUBE_OK;
}

om_kube_state om_kube_list(om_kube_lister *l, const om_kube_listing *w,
                           const char *block, char *why, size_t whylen) {
  double wait = w->retry_at ? *w->retry_at - om_monotonic_s() : 0;
  if (wait > 0) {
    snprintf(why, whylen, "the server asked to wait, %.0f s more (Retry-After)",
             wait);
    return OM_KUBE_THROTTLED;
  }
  om_kube_state st = OM_KUBE_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0 && w->restart != NULL)
      w->restart(w->ctx);
    st = list_all(l, w, why, whylen);
    if (st != OM_KUBE_EXPIRED)
      break;
    if (attempt == 0)
      om_log(OM_LOG_NOTICE, block,
             "%s: the continue token expired (%s); listing again from the "
             "start",
             w->id, why);
  }
  return st;
}

void om_kube_list_dispatch(om_emitter *e, const char *block,
                           const om_kube_list_status *s) {
  for (int i = 0; i < OM_KUBE_STATES; i++) {
    const char *name = om_kube_state_name((om_kube_state)i);
    om_label l[] = {om_label_cstr("block", block),
                    om_label_cstr("resource", s->resource),
                    om_label_cstr("state", name)};
    om_emit_family(e, "operator_metrics_kubernetes_resource_state", l, 3,
                   s->state == (om_kube_state)i);
    if (i == OM_KUBE_OK)
      continue;
    om_label f[] = {om_label_cstr("block", block),
                    om_label_cstr("resource", s->resource),
                    om_label_cstr("reason", name)};
    om_emit_family(e, "operator_metrics_kubernetes_list_failures_total", f, 3,
                   (double)s->failures[i]);
  }
  if (!s->have_last)
    return;
  om_label l[] = {om_label_cstr("block", block),
                  om_label_cstr("resource", s->resource)};
  om_emit_family(e, "operator_metrics_kubernetes_objects", l, 2,
                 (double)s->objects);
  om_emit_family(e, "operator_metrics_kubernetes_skipped_objects", l, 2,
                 (double)s->skipped);
  om_emit_family(e,
                 "operator_metrics_kubernetes_last_success_timestamp_seconds",
                 l, 2, s->last_ok_s);
}

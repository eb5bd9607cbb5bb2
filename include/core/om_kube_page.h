/* core/, pure: includes only core/ (and cJSON).
 *
 * Shared by <Kubernetes> and <Target>'s <Pods>: answers to list requests
 * of the Kubernetes API: a page (items, continue
 * token, remainingItemCount), a Status error, or something else, and the
 * state each means. */
#ifndef OM_KUBE_PAGE_H
#define OM_KUBE_PAGE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define OM_KUBE_MAX_CONTINUE 8192 /* bytes of a continue token */

/* What a listing of one resource came to; states of
 * operator_metrics_kubernetes_resource_state, in this order. */
typedef enum {
  OM_KUBE_OK = 0,
  OM_KUBE_UNAUTHORIZED,     /* 401 */
  OM_KUBE_FORBIDDEN,        /* 403 */
  OM_KUBE_NOT_INSTALLED,    /* 404: the CRD or version is not served */
  OM_KUBE_EXPIRED,          /* 410 even after restarting the listing */
  OM_KUBE_INVALID,          /* a body that is not a list as expected */
  OM_KUBE_TOO_LARGE,        /* a page over MaxResponseBytes */
  OM_KUBE_TOO_MANY_OBJECTS, /* more than MaxObjects */
  OM_KUBE_UNAVAILABLE,      /* no answer, 408, 5xx, deadline */
  OM_KUBE_THROTTLED,        /* 429: the server asks to come back later */
  OM_KUBE_ERROR,            /* anything else */
  OM_KUBE_STATES
} om_kube_state;

const char *om_kube_state_name(om_kube_state s);

/* One page of a list response. */
typedef struct {
  cJSON *root;
  const cJSON *items;   /* an array */
  char *continue_token; /* NULL on the last page */
  int64_t remaining;    /* remainingItemCount; -1 when absent */
} om_kube_page;

void om_kube_page_free(om_kube_page *p);

/* The number of items of the page. */
size_t om_kube_page_items(const om_kube_page *p);

/* Reads the response to a list request: its HTTP status and body (len
 * bytes, need not be NUL-terminated). A 2xx list fills page and gives
 * OM_KUBE_OK; otherwise the state the response means, with why in words
 * (the Status object's message, cleaned and shortened). A 410 Status may
 * carry a new continue token: it is put in page->continue_token. */
om_kube_state om_kube_page_read(long http_status, const char *body, size_t len,
                                om_kube_page *page, char *why, size_t whylen);

/* Percent-encodes s for a URL query value into buf; -1 when it does not
 * fit. */
int om_kube_query_escape(const char *s, char *buf, size_t cap);

#endif

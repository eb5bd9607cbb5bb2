/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * Listing one kind of Kubernetes object through the API server, page by
 * page (limit, continue), within a read's deadline and bounds: shared by
 * <Kubernetes> (custom resources) and <Target>'s <Pods> (pods, endpoints).
 *
 * A listing covers each namespace given, or all of them; it ends within
 * MaxPages pages, MaxObjects objects and MaxResponseBytes per page, a
 * continue token that expired (410) restarts it once from the start, and
 * a 429's Retry-After is obeyed: the kind is not asked again before it. */
#ifndef OM_KUBE_LIST_H
#define OM_KUBE_LIST_H

#include "om_emitter.h"
#include "om_http.h"
#include "om_kube_page.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where and how a block lists: its API server options, read once. */
typedef struct {
  const char *api_server; /* without a trailing '/' */
  const om_http_auth *auth;
  double timeout_s;     /* per request */
  double read_budget_s; /* the whole read's, for messages */
  size_t page_size;
  size_t max_response_bytes;
  size_t max_objects;
  size_t max_pages;
} om_kube_list_conf;

/* One read's listings: the connection, the token and the deadline. */
typedef struct {
  const om_kube_list_conf *conf;
  om_http_client *http;
  const char *token; /* loaded for this read; "" for none */
  double deadline;   /* monotonic seconds */
  bool out_of_time;  /* set when the deadline cut a request short */
} om_kube_lister;

/* What one listing lists, and what is done with each page. */
typedef struct {
  const char *id;   /* what the log names: "pods", "dbops.dev/..." */
  const char *root; /* "/api/v1" or "/apis/<group>/<version>" */
  const char *plural;
  const char *const *namespaces; /* none: across all namespaces */
  size_t namespaces_num;
  const char *query; /* more of the query, escaped ("a=b&c=d"); NULL */
  /* each page: 0, or -1 with why when its items cannot be read */
  int (*page)(void *ctx, const om_kube_page *page, char *why, size_t whylen);
  /* forgets the pages read so far, before the listing starts again */
  void (*restart)(void *ctx);
  void *ctx;
  /* the kind's own: when to ask again after a 429, failures by state */
  double *retry_at;
  uint64_t *failures; /* [OM_KUBE_STATES] */
} om_kube_listing;

/* Lists everything the listing names, handing each page over. OM_KUBE_OK
 * when the listing completed; otherwise the state it ended in, with why
 * in words (no secret in them). block names the block in the log. */
om_kube_state om_kube_list(om_kube_lister *l, const om_kube_listing *what,
                           const char *block, char *why, size_t whylen);

/* What a block keeps of one kind it lists, for its self-metrics. */
typedef struct {
  const char *resource;     /* the resource label */
  om_kube_state state;      /* of the last listing */
  const uint64_t *failures; /* [OM_KUBE_STATES] */
  bool have_last;           /* a listing ever completed */
  size_t objects, skipped;  /* of the last complete one */
  double last_ok_s;         /* when it completed, wall clock */
} om_kube_list_status;

/* Dispatches operator_metrics_kubernetes_resource_state and
 * _list_failures_total and, once a listing completed, _objects,
 * _skipped_objects and _last_success_timestamp_seconds, for the block named
 * block. */
void om_kube_list_dispatch(om_emitter *e, const char *block,
                           const om_kube_list_status *s);

#endif

/* core/, pure: includes only core/ (and cJSON).
 *
 * The scrape endpoints of a <Target>'s <Pods> selection, from the items of
 * a PodList the API server returned (label and node selection are the API
 * server's: labelSelector, fieldSelector=spec.nodeName): the pods that are
 * Running, Ready and have an IP, each with its port, found by number or by
 * a container port's name; or, for a Service, its ready endpoints. */
#ifndef OM_PODS_H
#define OM_PODS_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define OM_PODS_IP_MAX 64

typedef struct {
  char *namespace_;
  char *pod;
  char ip[OM_PODS_IP_MAX];
  long port;
} om_pod_endpoint;

typedef struct {
  om_pod_endpoint *items;
  size_t num, cap;
  size_t not_ready; /* Pending, not Ready, or without an IP yet */
  size_t no_port;   /* Ready, but without the named port */
} om_pod_endpoints;

/* Adds the endpoints of the items (a JSON array of Pods) to out: port_name
 * a container port's name, or NULL with port_number the port. At most max
 * endpoints in all (the rest are left out). -1 with err when an item is
 * not a pod as the API writes one, or out of memory; what was added
 * before stays in out. */
int om_pods_select(const cJSON *items, const char *port_name, long port_number,
                   size_t max, om_pod_endpoints *out, char *err, size_t errlen);

/* The same from the items of an EndpointsList (a Service's endpoints):
 * each ready address with a Pod behind it (targetRef) and the port named
 * port_name (or numbered port_number) of its subset, on node when node is
 * not NULL; not-ready addresses count as not_ready. */
int om_pods_select_endpoints(const cJSON *items, const char *port_name,
                             long port_number, const char *node, size_t max,
                             om_pod_endpoints *out, char *err, size_t errlen);

void om_pod_endpoints_free(om_pod_endpoints *e);

#endif

/* The scrape endpoints of a pod selection; see om_pods.h. */
#include "om_pods.h"
#include "om_json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void om_pod_endpoints_free(om_pod_endpoints *e) {
  for (size_t i = 0; i < e->num; i++) {
    free(e->items[i].namespace_);
    free(e->items[i].pod);
  }
  free(e->items);
  *e = (om_pod_endpoints){0};
}

/* Whether the pod's Ready condition is "True". */
static bool ready(const cJSON *pod) {
  const cJSON *c;
  cJSON_ArrayForEach(c, om_json_at(pod, "status.conditions")) {
    if (strcmp(om_json_str(c, "type", ""), "Ready") == 0)
      return strcmp(om_json_str(c, "status", ""), "True") == 0;
  }
  return false;
}

/* The port of the container port named name, or 0. */
static long named_port(const cJSON *pod, const char *name) {
  const cJSON *container, *port;
  cJSON_ArrayForEach(container, om_json_at(pod, "spec.containers")) {
    cJSON_ArrayForEach(port,
                       cJSON_GetObjectItemCaseSensitive(container, "ports")) {
      const cJSON *n = cJSON_GetObjectItemCaseSensitive(port, "containerPort");
      if (strcmp(om_json_str(port, "name", ""), name) == 0 &&
          cJSON_IsNumber(n) && n->valuedouble >= 1 && n->valuedouble <= 65535)
        return (long)n->valuedouble;
    }
  }
  return 0;
}

static int add(om_pod_endpoints *out, const char *ns, const char *pod,
               const char *ip, long port) {
  if (out->num == out->cap) {
    size_t cap = out->cap ? 2 * out->cap : 8;
    om_pod_endpoint *items = realloc(out->items, cap * sizeof(*items));
    if (items == NULL)
      return -1;
    out->items = items;
    out->cap = cap;
  }
  om_pod_endpoint *e = &out->items[out->num];
  e->namespace_ = strdup(ns);
  e->pod = strdup(pod);
  if (e->namespace_ == NULL || e->pod == NULL) {
    free(e->namespace_);
    free(e->pod);
    return -1;
  }
  snprintf(e->ip, sizeof(e->ip), "%s", ip);
  e->port = port;
  out->num++;
  return 0;
}

int om_pods_select(const cJSON *items, const char *port_name, long port_number,
                   size_t max, om_pod_endpoints *out, char *err,
                   size_t errlen) {
  if (!cJSON_IsArray(items)) {
    snprintf(err, errlen, "\"items\" is not an array");
    return -1;
  }
  const cJSON *pod;
  size_t i = 0;
  cJSON_ArrayForEach(pod, items) {
    const char *name = om_json_str(pod, "metadata.name", "");
    const char *ip = om_json_str(pod, "status.podIP", "");
    if (!cJSON_IsObject(pod) || name[0] == '\0') {
      snprintf(err, errlen, "items[%zu]: not a pod with a name", i);
      return -1;
    }
    i++;
    if (strcmp(om_json_str(pod, "status.phase", ""), "Running") != 0 ||
        !ready(pod) || ip[0] == '\0' || strlen(ip) >= OM_PODS_IP_MAX) {
      out->not_ready++;
      continue;
    }
    long port = port_name != NULL ? named_port(pod, port_name) : port_number;
    if (port <= 0) {
      out->no_port++;
      continue;
    }
    if (out->num >= max)
      continue;
    if (add(out, om_json_str(pod, "metadata.namespace", ""), name, ip, port) !=
        0) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
  }
  return 0;
}

/* The port of a subset named name, or numbered number. */
static long subset_port(const cJSON *subset, const char *name, long number) {
  const cJSON *port;
  cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(subset, "ports")) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(port, "port");
    if (!cJSON_IsNumber(n) || n->valuedouble < 1 || n->valuedouble > 65535)
      continue;
    long p = (long)n->valuedouble;
    if (name != NULL ? strcmp(om_json_str(port, "name", ""), name) == 0
                     : p == number)
      return p;
  }
  return 0;
}

/* The ready addresses of one subset, on node (NULL: any). */
static int add_subset(const cJSON *subset, long port, const char *node,
                      size_t max, om_pod_endpoints *out) {
  const cJSON *a;
  cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(subset, "addresses")) {
    const char *ip = om_json_str(a, "ip", "");
    const char *pod = om_json_str(a, "targetRef.name", "");
    if (strcmp(om_json_str(a, "targetRef.kind", ""), "Pod") != 0 ||
        pod[0] == '\0' || ip[0] == '\0' || strlen(ip) >= OM_PODS_IP_MAX ||
        (node != NULL && strcmp(om_json_str(a, "nodeName", ""), node) != 0))
      continue;
    if (port <= 0) {
      out->no_port++;
      continue;
    }
    if (out->num < max &&
        add(out, om_json_str(a, "targetRef.namespace", ""), pod, ip, port) != 0)
      return -1;
  }
  const cJSON *nr =
      cJSON_GetObjectItemCaseSensitive(subset, "notReadyAddresses");
  out->not_ready += (size_t)cJSON_GetArraySize(nr);
  return 0;
}

int om_pods_select_endpoints(const cJSON *items, const char *port_name,
                             long port_number, const char *node, size_t max,
                             om_pod_endpoints *out, char *err, size_t errlen) {
  if (!cJSON_IsArray(items)) {
    snprintf(err, errlen, "\"items\" is not an array");
    return -1;
  }
  const cJSON *ep, *subset;
  size_t i = 0;
  cJSON_ArrayForEach(ep, items) {
    if (!cJSON_IsObject(ep) || om_json_str(ep, "metadata.name", "")[0] == 0) {
      snprintf(err, errlen, "items[%zu]: not an Endpoints object with a name",
               i);
      return -1;
    }
    i++;
    cJSON_ArrayForEach(subset,
                       cJSON_GetObjectItemCaseSensitive(ep, "subsets")) {
      long port = subset_port(subset, port_name, port_number);
      if (add_subset(subset, port, node, max, out) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
      }
    }
  }
  return 0;
}

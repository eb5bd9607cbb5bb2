/* The <Kubernetes> collector: custom resources listed from the Kubernetes
 * API server, as inventory families (kube_customresource_info, the
 * presets' dbops_*, dynamo_operator_resources_total, datum conditions) and
 * the <Resource> blocks' own families. */
#ifndef OM_KUBE_H
#define OM_KUBE_H

#include "liboconfig/oconfig.h"
#include "om_catalog.h"
#include "om_http.h"
#include "om_kube_stats.h"

#include <stdbool.h>
#include <stddef.h>

#define OM_KUBE_DEFAULT_PAGE_SIZE 500u
#define OM_KUBE_MAX_PAGE_SIZE 100000u
#define OM_KUBE_DEFAULT_MAX_RESPONSE_BYTES (16u * 1024 * 1024)
#define OM_KUBE_MAX_MAX_RESPONSE_BYTES (1024u * 1024 * 1024)
#define OM_KUBE_DEFAULT_MAX_OBJECTS 10000u
#define OM_KUBE_MAX_MAX_OBJECTS 10000000u
#define OM_KUBE_DEFAULT_TIMEOUT_CAP 10.0
#define OM_KUBE_TIMEOUT_SHARE 0.8 /* of the interval, by default */
#define OM_KUBE_MAX_NAMESPACES 256
#define OM_KUBE_MAX_RESOURCES 256
#define OM_KUBE_MAX_SEEN_COUNTS 10000u /* zero-count memory per resource */
#define OM_KUBE_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

typedef struct {
  char *name;       /* the block's name */
  char *block_id;   /* "kubernetes/<name>" */
  char *api_server; /* without a trailing '/' */
  om_http_auth auth;
  double interval_s;    /* 0: collectd's interval */
  double read_budget_s; /* the whole read's deadline: 0.9 interval */
  double timeout_s;     /* per request; resolved */
  size_t page_size;
  size_t max_response_bytes;
  size_t max_objects;
  char **namespaces; /* none: all namespaces */
  size_t namespaces_num;
  bool custom_resource_info; /* kube_customresource_info for presets */
  om_kube_resource **resources;
  size_t resources_num;
} om_kube_config;

/* Parses a <Kubernetes "name"> block; NULL after logging why. */
om_kube_config *om_kube_config_parse(const oconfig_item_t *ci,
                                     double default_interval_s);
void om_kube_config_free(om_kube_config *cfg);

typedef struct om_kube om_kube;
/* The running collector; it takes ownership of cfg. */
om_kube *om_kube_new(om_kube_config *cfg, const om_catalog *catalog);
void om_kube_free(void *kube); /* a collectd user_data free_func */

#endif

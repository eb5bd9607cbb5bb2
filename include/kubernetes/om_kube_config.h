/* kubernetes/: includes core/, io/, collectd/ and kubernetes/.
 *
 * The configuration of a <Kubernetes "name"> block, with its Preset
 * options and <Resource> blocks, and its reader. */
#ifndef OM_KUBE_CONFIG_H
#define OM_KUBE_CONFIG_H

#include "om_block.h"
#include "om_claims.h"
#include "om_http.h"
#include "om_kube_map.h"

#include <stdbool.h>
#include <stddef.h>

#define OM_KUBE_DEFAULT_PAGE_SIZE 500u
#define OM_KUBE_MAX_PAGE_SIZE 100000u
#define OM_KUBE_DEFAULT_MAX_RESPONSE_BYTES (16u * 1024 * 1024)
#define OM_KUBE_MAX_MAX_RESPONSE_BYTES (1024u * 1024 * 1024)
#define OM_KUBE_DEFAULT_MAX_OBJECTS 10000u
#define OM_KUBE_DEFAULT_MAX_PAGES 100u
#define OM_KUBE_MAX_MAX_PAGES 100000u
#define OM_KUBE_MAX_MAX_OBJECTS 10000000u
#define OM_KUBE_DEFAULT_TIMEOUT_CAP 10.0
#define OM_KUBE_TIMEOUT_SHARE 0.8 /* of the interval, by default */
#define OM_KUBE_MAX_NAMESPACES 256
#define OM_KUBE_MAX_RESOURCES 256
#define OM_KUBE_MAX_SEEN_COUNTS 10000u /* zero-count memory per resource */

typedef struct {
  om_block_conf block; /* name, id "kubernetes/<name>", Interval */
  char *api_server;    /* without a trailing '/' */
  om_http_auth auth;
  double read_budget_s; /* the whole read's deadline (om_block.h) */
  double timeout_s;     /* per request; resolved */
  size_t page_size;
  size_t max_response_bytes;
  size_t max_objects;
  size_t max_pages;  /* pages of one listing of one resource (scope) */
  char **namespaces; /* none: all namespaces */
  size_t namespaces_num;
  bool custom_resource_info; /* kube_customresource_info for presets */
  om_kube_resource **resources;
  size_t resources_num;
} om_kube_config;

/* The <Kubernetes "name"> block for om_block_parse(), which returns an
 * om_kube_config, or NULL after logging the error, naming the option and the
 * block. */
extern const om_block_syntax om_kube_syntax;

/* Frees a configuration and everything in it; NULL-tolerant. */
void om_kube_config_free(void *cfg);

/* The families the block sends for each of its resources, in its
 * namespaces (all when none is given). */
void om_kube_claims(const void *cfg, om_claims *out);

#endif

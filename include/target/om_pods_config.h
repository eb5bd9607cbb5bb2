/* target/: includes core/, io/, collectd/ and target/.
 *
 * The <Pods> block of a <Target>: which pods to scrape, found through the
 * Kubernetes API by namespace, label selector and node (or a Service's
 * endpoints), and how to reach each one (port, scheme, path). */
#ifndef OM_PODS_CONFIG_H
#define OM_PODS_CONFIG_H

#include "om_conf.h"
#include "om_http.h"

#include <stdbool.h>
#include <stddef.h>

#define OM_PODS_DEFAULT_REFRESH_S 30.0
#define OM_PODS_DEFAULT_MAX_PODS 100u
#define OM_PODS_MAX_MAX_PODS 10000u
#define OM_PODS_MAX_NAMESPACES 256
#define OM_PODS_MAX_SELECTOR 4096
#define OM_PODS_PAGE_SIZE 500u
#define OM_PODS_MAX_RESPONSE_BYTES (16u * 1024 * 1024)
#define OM_PODS_MAX_PAGES 100u

typedef struct {
  char **namespaces; /* none: all namespaces */
  size_t namespaces_num;
  char *selector;    /* a label selector; NULL: every pod */
  char *service;     /* follow this Service's endpoints; NULL: pods */
  char *port_name;   /* the container (or Service) port's name, */
  long port_number;  /* or its number (port_name NULL) */
  bool cluster;      /* Scope "cluster": pods on every node */
  char *node;        /* Node; NULL: om_conf_node_name() when read */
  char *scheme;      /* "http" (default) or "https" */
  char *path;        /* default "/metrics" */
  double refresh_s;  /* RefreshInterval */
  size_t max_pods;   /* MaxPods: the most scraped at once */
  char *api_server;  /* APIServer, without a trailing '/' */
  om_http_auth auth; /* BearerTokenFile, CACert, ...: the API server's */
  double timeout_s;  /* of an API request: the block's Timeout */
  char *query;       /* labelSelector and fieldSelector, escaped */
} om_pods_config;

/* Reads a <Pods> block of the target block (id block) into a new
 * configuration: 0, or -1 after logging every bad option, naming it. */
int om_pods_config_read(const oconfig_item_t *ci, const char *block,
                        om_pods_config **out);

/* The defaults and checks that need the whole block: the in-cluster API
 * server, the token's rules, timeout_s (the target's Timeout) for each
 * request. 0 or -1 after logging. */
int om_pods_config_finish(om_pods_config *p, const char *block,
                          double timeout_s);

/* The query of a listing (labelSelector, fieldSelector) for node (NULL
 * with Scope "cluster"), escaped, into p->query: 0 or -1 when out of
 * memory. */
int om_pods_config_query(om_pods_config *p, const char *node);

void om_pods_config_free(om_pods_config *p);

#endif

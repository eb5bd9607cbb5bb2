/* The <Target> collector: scrapes an operator's Prometheus endpoint. */
#ifndef OM_TARGET_H
#define OM_TARGET_H

#include "liboconfig/oconfig.h"
#include "om_catalog.h"
#include "om_http.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_TARGET_DEFAULT_MAX_RESPONSE_BYTES (32u * 1024u * 1024u)
#define OM_TARGET_MAX_MAX_RESPONSE_BYTES (1024u * 1024u * 1024u)
#define OM_TARGET_DEFAULT_MAX_SERIES 50000u
#define OM_TARGET_MAX_LABELS 16
#define OM_TARGET_DEFAULT_TIMEOUT_CAP 10.0
#define OM_TARGET_TIMEOUT_SHARE 0.8

typedef struct {
  char *name;     /* the block's name */
  char *block_id; /* "target/<name>", used in logs */
  char *url;
  char *health_url;
  char *ready_url;
  double interval_s; /* 0: collectd's interval */
  double timeout_s;  /* resolved: never 0 after parsing */
  om_http_auth auth;
  bool follow_redirects;
  bool honor_labels;
  size_t max_response_bytes;
  size_t max_series;
  char *job;      /* default: the block's name */
  char *instance; /* default: host:port of the URL */
  char **label_names;
  char **label_values;
  size_t labels_num;
  char **include;
  size_t include_num;
  char **exclude;
  size_t exclude_num;
} om_target_config;

/* Parses a <Target "name"> block. default_interval_s is the interval that
 * applies when the block sets none. Errors are logged naming the option
 * and the block; returns NULL then. */
om_target_config *om_target_config_parse(const oconfig_item_t *ci,
                                         double default_interval_s);
void om_target_config_free(om_target_config *cfg);

/* The running collector; it takes ownership of cfg. */
typedef struct om_target om_target;
om_target *om_target_new(om_target_config *cfg, const om_catalog *catalog);
void om_target_free(void *target); /* a collectd user_data free_func */

#endif

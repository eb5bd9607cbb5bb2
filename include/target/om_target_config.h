/* target/: includes core/, io/, collectd/ and target/.
 *
 * The configuration of a <Target "name"> block and its reader. */
#ifndef OM_TARGET_CONFIG_H
#define OM_TARGET_CONFIG_H

#include "om_block.h"
#include "om_claims.h"
#include "om_http.h"
#include "om_label_rules.h"
#include "om_pods_config.h"
#include "om_target_preset.h"

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
  om_block_conf block;  /* name, id "target/<name>", Interval */
  char *url;            /* or, with <Pods>, NULL */
  om_pods_config *pods; /* <Pods>: the pods to scrape; NULL: the URL */
  char *health_url;
  char *ready_url;
  double timeout_s; /* the whole read's; resolved: never 0 after parsing */
  om_http_auth auth;
  bool follow_redirects;
  bool honor_labels;
  size_t max_response_bytes;
  size_t max_series;
  char *job;      /* default: the block's name */
  char *instance; /* default: host:port of the URL; NULL with <Pods> */
  char **label_names;
  char **label_values;
  size_t labels_num;
  char **include;
  size_t include_num;
  char **exclude;
  size_t exclude_num;
  om_label_rules *rules; /* LabelDrop, LabelKeep, DropSeries; NULL: none */
  const om_target_preset *preset; /* NULL: the whole catalog */
} om_target_config;

/* The <Target "name"> block for om_block_parse(), which returns an
 * om_target_config, or NULL after logging the error, naming the option and the
 * block. */
extern const om_block_syntax om_target_syntax;

/* Frees a configuration and everything in it; NULL-tolerant. */
void om_target_config_free(void *cfg);

/* With a Preset, the catalog families the block sends (the preset's and
 * those Include names, less those Exclude names) in every scope; without
 * one, nothing: what the target serves is known only once it is read, and
 * the read leaves first-hand blocks' families to them. */
void om_target_claims(const void *cfg, om_claims *out);

#endif

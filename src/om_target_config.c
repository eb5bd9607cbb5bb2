/* Parsing and checking a <Target "name"> block. */
#include "om_conf.h"
#include "om_encode.h"
#include "om_http.h"
#include "om_log.h"
#include "om_target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void om_target_config_free(om_target_config *cfg) {
  if (cfg == NULL)
    return;
  free(cfg->name);
  free(cfg->block_id);
  free(cfg->url);
  free(cfg->health_url);
  free(cfg->ready_url);
  om_http_auth_free(&cfg->auth);
  free(cfg->job);
  free(cfg->instance);
  om_conf_strings_free(cfg->label_names, cfg->labels_num);
  om_conf_strings_free(cfg->label_values, cfg->labels_num);
  om_conf_strings_free(cfg->include, cfg->include_num);
  om_conf_strings_free(cfg->exclude, cfg->exclude_num);
  free(cfg);
}

static int add_label(om_target_config *cfg, const oconfig_item_t *ci) {
  const char *b = cfg->block_id;
  char *name = NULL, *value = NULL;
  if (om_conf_string_pair(ci, b, &name, &value) != 0)
    return -1;
  const char *problem = NULL;
  if (!om_label_name_valid(name, strlen(name)))
    problem = "is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)";
  else if (strncmp(name, "__", 2) == 0)
    problem = "starts with \"__\", which Prometheus reserves";
  else if (strcmp(name, "job") == 0 || strcmp(name, "instance") == 0)
    problem = "is set with the Job or Instance option instead";
  else if (value[0] == '\0' || !om_utf8_valid(value, strlen(value)))
    problem = "needs a non-empty UTF-8 value";
  for (size_t i = 0; problem == NULL && i < cfg->labels_num; i++)
    if (strcmp(cfg->label_names[i], name) == 0)
      problem = "is set twice";
  if (problem == NULL && cfg->labels_num == OM_TARGET_MAX_LABELS)
    problem = "is one label too many (at most 16 per block)";
  if (problem != NULL) {
    om_log(OM_LOG_ERR, b, "option \"Label\": \"%s\" %s", name, problem);
    free(name);
    free(value);
    return -1;
  }
  char **names =
      realloc(cfg->label_names, (cfg->labels_num + 1) * sizeof(char *));
  if (names != NULL)
    cfg->label_names = names;
  char **values =
      realloc(cfg->label_values, (cfg->labels_num + 1) * sizeof(char *));
  if (values != NULL)
    cfg->label_values = values;
  if (names == NULL || values == NULL) {
    om_log(OM_LOG_ERR, b, "option \"Label\": out of memory");
    free(name);
    free(value);
    return -1;
  }
  cfg->label_names[cfg->labels_num] = name;
  cfg->label_values[cfg->labels_num] = value;
  cfg->labels_num++;
  return 0;
}

static int parse_option(void *p, const oconfig_item_t *ci) {
  om_target_config *cfg = p;
  const char *b = cfg->block_id;
  const char *k = ci->key;
  if (strcasecmp(k, "URL") == 0)
    return om_conf_string(ci, b, &cfg->url);
  if (strcasecmp(k, "HealthURL") == 0)
    return om_conf_string(ci, b, &cfg->health_url);
  if (strcasecmp(k, "ReadyURL") == 0)
    return om_conf_string(ci, b, &cfg->ready_url);
  if (strcasecmp(k, "Interval") == 0)
    return om_conf_seconds(ci, b, &cfg->interval_s);
  if (strcasecmp(k, "Timeout") == 0)
    return om_conf_seconds(ci, b, &cfg->timeout_s);
  int rc = om_conf_http_auth(ci, b, &cfg->auth);
  if (rc != 1)
    return rc;
  if (strcasecmp(k, "FollowRedirects") == 0)
    return om_conf_bool(ci, b, &cfg->follow_redirects);
  if (strcasecmp(k, "HonorLabels") == 0)
    return om_conf_bool(ci, b, &cfg->honor_labels);
  if (strcasecmp(k, "MaxResponseBytes") == 0)
    return om_conf_size(ci, b, 1, OM_TARGET_MAX_MAX_RESPONSE_BYTES,
                        &cfg->max_response_bytes);
  if (strcasecmp(k, "MaxSeries") == 0)
    return om_conf_size(ci, b, 1, 10000000, &cfg->max_series);
  if (strcasecmp(k, "Job") == 0)
    return om_conf_string(ci, b, &cfg->job);
  if (strcasecmp(k, "Instance") == 0)
    return om_conf_string(ci, b, &cfg->instance);
  if (strcasecmp(k, "Label") == 0)
    return add_label(cfg, ci);
  if (strcasecmp(k, "Include") == 0)
    return om_conf_strings_append(ci, b, &cfg->include, &cfg->include_num);
  if (strcasecmp(k, "Exclude") == 0)
    return om_conf_strings_append(ci, b, &cfg->exclude, &cfg->exclude_num);
  return om_conf_unknown(ci, b);
}

static int check_url(const om_target_config *cfg, const char *option,
                     const char *url, char *instance, size_t cap) {
  char err[256];
  char scratch[512];
  if (url == NULL)
    return 0;
  if (instance == NULL) {
    instance = scratch;
    cap = sizeof(scratch);
  }
  if (om_http_url_instance(url, instance, cap, err, sizeof(err)) != 0) {
    /* The URL itself may hold credentials: it is not repeated here. */
    om_log(OM_LOG_ERR, cfg->block_id, "option \"%s\": %s", option, err);
    return -1;
  }
  return 0;
}

/* Defaults and the checks that span several options. */
static int finish(om_target_config *cfg, double default_interval_s) {
  const char *b = cfg->block_id;
  if (cfg->url == NULL) {
    om_log(OM_LOG_ERR, b, "option \"URL\" is required");
    return -1;
  }
  char instance[512];
  if (check_url(cfg, "URL", cfg->url, instance, sizeof(instance)) != 0 ||
      check_url(cfg, "HealthURL", cfg->health_url, NULL, 0) != 0 ||
      check_url(cfg, "ReadyURL", cfg->ready_url, NULL, 0) != 0)
    return -1;
  if (om_conf_check_http_auth(b, &cfg->auth) != 0 ||
      om_conf_check_utf8(b, "Job", cfg->job) != 0 ||
      om_conf_check_utf8(b, "Instance", cfg->instance) != 0)
    return -1;
  double interval = cfg->interval_s > 0 ? cfg->interval_s : default_interval_s;
  if (cfg->timeout_s == 0) {
    cfg->timeout_s = interval * OM_TARGET_TIMEOUT_SHARE;
    if (cfg->timeout_s > OM_TARGET_DEFAULT_TIMEOUT_CAP)
      cfg->timeout_s = OM_TARGET_DEFAULT_TIMEOUT_CAP;
  } else if (cfg->timeout_s > interval) {
    om_log(OM_LOG_ERR, b,
           "option \"Timeout\" (%g s) must not exceed the interval (%g s)",
           cfg->timeout_s, interval);
    return -1;
  }
  if (cfg->job == NULL && (cfg->job = strdup(cfg->name)) == NULL)
    return -1;
  if (cfg->instance == NULL && (cfg->instance = strdup(instance)) == NULL)
    return -1;
  return 0;
}

om_target_config *om_target_config_parse(const oconfig_item_t *ci,
                                         double default_interval_s) {
  om_target_config *cfg = calloc(1, sizeof(*cfg));
  if (cfg == NULL) {
    om_log(OM_LOG_ERR, NULL, "<Target> block: out of memory");
    return NULL;
  }
  om_http_auth_init(&cfg->auth);
  cfg->honor_labels = true;
  cfg->max_response_bytes = OM_TARGET_DEFAULT_MAX_RESPONSE_BYTES;
  cfg->max_series = OM_TARGET_DEFAULT_MAX_SERIES;
  if (om_conf_block_id(ci, "target", &cfg->name, &cfg->block_id) != 0 ||
      om_conf_each_option(ci, cfg, parse_option) != 0 ||
      finish(cfg, default_interval_s) != 0) {
    om_target_config_free(cfg);
    return NULL;
  }
  return cfg;
}

/* Parsing and checking a <Target "name"> block. */
#include "om_target_config.h"
#include "om_catalog_data.h"
#include "om_conf.h"
#include "om_log.h"
#include "om_text.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void om_target_config_free(void *p) {
  om_target_config *cfg = p;
  if (cfg == NULL)
    return;
  om_block_conf_free(&cfg->block);
  free(cfg->url);
  om_pods_config_free(cfg->pods);
  free(cfg->health_url);
  free(cfg->ready_url);
  om_http_auth_free(&cfg->auth);
  free(cfg->job);
  free(cfg->instance);
  om_conf_strings_free(cfg->label_names, cfg->labels_num);
  om_conf_strings_free(cfg->label_values, cfg->labels_num);
  om_conf_strings_free(cfg->include, cfg->include_num);
  om_conf_strings_free(cfg->exclude, cfg->exclude_num);
  om_label_rules_free(cfg->rules);
  free(cfg);
}

static int add_label(om_target_config *cfg, const oconfig_item_t *ci) {
  const char *b = cfg->block.id;
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
  else if (strcmp(name, "namespace") == 0 || strcmp(name, "pod") == 0)
    problem = "is the pod's own with <Pods>, and kept for it";
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

/* LabelDrop "regex", LabelKeep "regex" or DropSeries "label" "regex":
 * appended to the block's rules. */
static int add_rule(om_target_config *cfg, const oconfig_item_t *ci,
                    om_label_rule_kind kind) {
  const char *b = cfg->block.id;
  char *label = NULL, *regex = NULL;
  int rc = kind == OM_RULE_DROP_SERIES
               ? om_conf_string_pair(ci, b, &label, &regex)
               : om_conf_string(ci, b, &regex);
  if (rc != 0)
    return -1;
  char err[256] = "out of memory";
  if (cfg->rules == NULL)
    cfg->rules = om_label_rules_new();
  rc = cfg->rules == NULL ? -1
                          : om_label_rules_add(cfg->rules, kind, label, regex,
                                               err, sizeof(err));
  if (rc != 0)
    om_log(OM_LOG_ERR, b, "option \"%s\": %s", ci->key, err);
  free(label);
  free(regex);
  return rc;
}

static int read_preset(om_target_config *cfg, const oconfig_item_t *ci) {
  char *name = NULL;
  if (cfg->preset != NULL) {
    om_log(OM_LOG_ERR, cfg->block.id, "%s", "option \"Preset\" is given twice");
    return -1;
  }
  if (om_conf_string(ci, cfg->block.id, &name) != 0)
    return -1;
  cfg->preset = om_target_preset_named(name);
  if (cfg->preset == NULL)
    om_log(OM_LOG_ERR, cfg->block.id,
           "option \"Preset\": \"%s\" is not one of %s", name,
           om_target_preset_names());
  free(name);
  return cfg->preset == NULL ? -1 : 0;
}

#define T om_target_config
static const om_option OPTIONS[] = {
    OM_OPTION(T, "URL", OM_OPTION_STRING, url),
    OM_OPTION(T, "HealthURL", OM_OPTION_STRING, health_url),
    OM_OPTION(T, "ReadyURL", OM_OPTION_STRING, ready_url),
    OM_OPTION(T, "Timeout", OM_OPTION_SECONDS, timeout_s),
    OM_OPTION(T, "FollowRedirects", OM_OPTION_BOOL, follow_redirects),
    OM_OPTION(T, "HonorLabels", OM_OPTION_BOOL, honor_labels),
    OM_OPTION_RANGE(T, "MaxResponseBytes", OM_OPTION_SIZE, max_response_bytes,
                    1, OM_TARGET_MAX_MAX_RESPONSE_BYTES),
    OM_OPTION_RANGE(T, "MaxSeries", OM_OPTION_SIZE, max_series, 1, 10000000),
    OM_OPTION(T, "Job", OM_OPTION_STRING, job),
    OM_OPTION(T, "Instance", OM_OPTION_STRING, instance),
    OM_OPTION_LIST(T, "Include", include, include_num),
    OM_OPTION_LIST(T, "Exclude", exclude, exclude_num),
};
#undef T

/* The options that take more than a type: the TLS and token options,
 * Label and the label rules. */
static int parse_option(void *p, const oconfig_item_t *ci) {
  om_target_config *cfg = p;
  int rc = om_conf_http_auth(ci, cfg->block.id, &cfg->auth);
  if (rc != 1)
    return rc;
  if (strcasecmp(ci->key, "Label") == 0)
    return add_label(cfg, ci);
  if (strcasecmp(ci->key, "Preset") == 0)
    return read_preset(cfg, ci);
  if (strcasecmp(ci->key, "Pods") == 0)
    return om_pods_config_read(ci, cfg->block.id, &cfg->pods);
  if (strcasecmp(ci->key, "LabelDrop") == 0)
    return add_rule(cfg, ci, OM_RULE_LABEL_DROP);
  if (strcasecmp(ci->key, "LabelKeep") == 0)
    return add_rule(cfg, ci, OM_RULE_LABEL_KEEP);
  if (strcasecmp(ci->key, "DropSeries") == 0)
    return add_rule(cfg, ci, OM_RULE_DROP_SERIES);
  return om_conf_unknown(ci, cfg->block.id);
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
    om_log(OM_LOG_ERR, cfg->block.id, "option \"%s\": %s", option, err);
    return -1;
  }
  return 0;
}

/* The target's own series (up, scrape_*, probes: job, instance, probe,
 * and for a pod its namespace and name as long as Kubernetes allows a
 * generated one) and a scraped series with no labels of its own (those
 * and the Labels) must fit collectd's identifier fields. */
static int check_own_series(om_target_config *cfg) {
  static const char LONG_POD[] =
      "a-deployment-name-of-forty-characters-xx-7f9c8d6b5f-x2x9z";
  om_label l[OM_TARGET_MAX_LABELS + 5];
  size_t n = 0;
  l[n++] = om_label_cstr("job", cfg->job);
  l[n++] =
      om_label_cstr("instance", cfg->pods ? "[fd00:1234:5678:9abc::1234]:65535"
                                          : cfg->instance);
  if (cfg->pods != NULL) {
    l[n++] = om_label_cstr("namespace", "a-namespace-of-thirty-characters");
    l[n++] = om_label_cstr("pod", LONG_POD);
  }
  size_t own = n;
  l[n++] = om_label_cstr("probe", "health");
  if (om_block_check_fits(&cfg->block, "option \"Job\" or \"Instance\" is",
                          "operator_metrics_probe_success", l, n) != 0)
    return -1;
  n = own;
  for (size_t i = 0; i < cfg->labels_num; i++)
    l[n++] = om_label_cstr(cfg->label_names[i], cfg->label_values[i]);
  return om_block_check_fits(&cfg->block, "option \"Label\" is",
                             "process_open_fds", l, n);
}

/* <Pods> instead of URL: the options that name one address have no
 * place, and each pod's address comes from the listing. */
static int finish_pods(om_target_config *cfg) {
  const char *b = cfg->block.id;
  const struct {
    const char *option;
    const char *value;
  } fixed[] = {{"URL", cfg->url},
               {"Instance", cfg->instance},
               {"HealthURL", cfg->health_url},
               {"ReadyURL", cfg->ready_url}};
  for (size_t i = 0; i < OM_LEN(fixed); i++)
    if (fixed[i].value != NULL) {
      om_log(OM_LOG_ERR, b,
             "option \"%s\" names one address; with <Pods> each pod's comes "
             "from the listing (instance is podIP:port)",
             fixed[i].option);
      return -1;
    }
  if (om_pods_config_finish(cfg->pods, b, cfg->timeout_s) != 0)
    return -1;
  /* the pods' addresses are not the loopback's */
  char any_pod[32];
  snprintf(any_pod, sizeof(any_pod), "%s://pod.invalid/", cfg->pods->scheme);
  return om_conf_check_http_auth(b, &cfg->auth, "<Pods> Scheme", any_pod);
}

/* Defaults and the checks that span several options. */
static int finish(void *p, double interval_s) {
  om_target_config *cfg = p;
  const char *b = cfg->block.id;
  if (cfg->url == NULL && cfg->pods == NULL) {
    om_log(OM_LOG_ERR, b, "option \"URL\" (or a <Pods> block) is required");
    return -1;
  }
  om_block_timeout timeout = {"Timeout", &cfg->timeout_s,
                              OM_TARGET_TIMEOUT_SHARE,
                              OM_TARGET_DEFAULT_TIMEOUT_CAP};
  if (om_block_timeouts(&cfg->block, &timeout, 1, interval_s) != 0)
    return -1;
  char instance[512] = "";
  if (cfg->pods != NULL) {
    if (finish_pods(cfg) != 0)
      return -1;
  } else if (check_url(cfg, "URL", cfg->url, instance, sizeof(instance)) != 0 ||
             check_url(cfg, "HealthURL", cfg->health_url, NULL, 0) != 0 ||
             check_url(cfg, "ReadyURL", cfg->ready_url, NULL, 0) != 0 ||
             om_conf_check_http_auth(b, &cfg->auth, "URL", cfg->url) != 0) {
    return -1;
  }
  if (om_conf_check_utf8(b, "Job", cfg->job) != 0 ||
      om_conf_check_utf8(b, "Instance", cfg->instance) != 0)
    return -1;
  if (om_conf_default_string(&cfg->job, cfg->block.name) != 0 ||
      (cfg->pods == NULL &&
       om_conf_default_string(&cfg->instance, instance) != 0)) {
    om_log(OM_LOG_ERR, b, "out of memory");
    return -1;
  }
  return check_own_series(cfg);
}

static const char *const REPEATABLE[] = {"Label",     "Include",   "Exclude",
                                         "LabelDrop", "LabelKeep", "DropSeries",
                                         NULL};

static void init(void *p) {
  om_target_config *cfg = p;
  om_http_auth_init(&cfg->auth);
  cfg->honor_labels = true;
  cfg->max_response_bytes = OM_TARGET_DEFAULT_MAX_RESPONSE_BYTES;
  cfg->max_series = OM_TARGET_DEFAULT_MAX_SERIES;
}

const om_block_syntax om_target_syntax = {"Target",
                                          "target",
                                          sizeof(om_target_config),
                                          init,
                                          OPTIONS,
                                          OM_LEN(OPTIONS),
                                          REPEATABLE,
                                          parse_option,
                                          finish,
                                          om_target_config_free,
                                          NULL};

void om_target_claims(const void *p, om_claims *out) {
  const om_target_config *cfg = p;
  if (cfg->preset == NULL)
    return;
  size_t num;
  const om_family *f = om_catalog_families(&num);
  const om_scope everywhere = {0};
  for (size_t i = 0; i < num; i++) {
    const char *name = f[i].name;
    bool in =
        om_target_preset_has(cfg->preset, &f[i]) ||
        om_glob_any((const char *const *)cfg->include, cfg->include_num, name);
    if (in &&
        !om_glob_any((const char *const *)cfg->exclude, cfg->exclude_num, name))
      om_claims_add(out, &cfg->block, "target", false, name, false,
                    &everywhere);
  }
}

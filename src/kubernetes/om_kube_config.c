/* Parsing and checking a <Kubernetes "name"> block and its <Resource>
 * blocks. */
#include "om_kube_config.h"
#include "om_catalog_data.h"
#include "om_conf.h"
#include "om_kube_presets.h"
#include "om_log.h"
#include "om_types.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_RESOURCE_LABELS 7 /* besides the five identity labels */

void om_kube_config_free(void *p) {
  om_kube_config *cfg = p;
  if (cfg == NULL)
    return;
  om_block_conf_free(&cfg->block);
  free(cfg->api_server);
  om_http_auth_free(&cfg->auth);
  om_conf_strings_free(cfg->namespaces, cfg->namespaces_num);
  for (size_t i = 0; i < cfg->resources_num; i++)
    om_kube_resource_free(cfg->resources[i]);
  free(cfg->resources);
  free(cfg);
}

static int refuse(const char *block, const char *msg) {
  om_log(OM_LOG_ERR, block, "%s", msg);
  return -1;
}

/* --- <Resource> ----------------------------------------------------------- */

typedef struct {
  om_kube_resource *r;
  const char *block;
  char *prefix;
} resource_ctx;

static bool reserved_label(const char *name) {
  static const char *const RESERVED[] = {
      "customresource_group", "customresource_version", "customresource_kind",
      "namespace", "name"};
  for (size_t i = 0; i < OM_LEN(RESERVED); i++)
    if (strcmp(name, RESERVED[i]) == 0)
      return true;
  return strncmp(name, "__", 2) == 0;
}

/* "status.backup.sizeBytes" -> "status_backup_size_bytes"; selectors and
 * other characters are dropped. */
static void name_from_path(const char *path, char *buf, size_t cap) {
  size_t o = 0;
  bool in_selector = false;
  for (const char *p = path; *p && o + 2 < cap; p++) {
    if (*p == '[' || *p == ']') {
      in_selector = *p == '[';
      continue;
    }
    if (in_selector)
      continue;
    if (*p == '.') {
      buf[o++] = '_';
    } else if (isupper((unsigned char)*p)) {
      if (o > 0 && buf[o - 1] != '_')
        buf[o++] = '_';
      buf[o++] = (char)tolower((unsigned char)*p);
    } else if (isalnum((unsigned char)*p) || *p == '_') {
      buf[o++] = *p;
    }
  }
  buf[o] = '\0';
}

static int add_field(const resource_ctx *rc, const char *option,
                     om_kube_field **list, size_t *num, const char *name,
                     const char *path) {
  char err[256];
  om_jpath *p = om_jpath_compile(path, err, sizeof(err));
  if (p == NULL) {
    om_log(OM_LOG_ERR, rc->block, "option \"%s\": path \"%s\": %s", option,
           path, err);
    return -1;
  }
  om_kube_field *grown = realloc(*list, (*num + 1) * sizeof(*grown));
  char *copy = strdup(name);
  if (grown == NULL || copy == NULL) {
    free(copy);
    om_jpath_free(p);
    if (grown != NULL)
      *list = grown;
    return refuse(rc->block, "out of memory");
  }
  *list = grown;
  (*list)[(*num)++] = (om_kube_field){.path = p, .name = copy};
  return 0;
}

/* A label name for Label and CountBy: valid, not reserved, not repeated. */
static int check_label(const resource_ctx *rc, const char *option,
                       const char *name) {
  const om_kube_resource *r = rc->r;
  const char *problem = NULL;
  if (!om_label_name_valid(name, strlen(name)))
    problem = "is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)";
  else if (reserved_label(name))
    problem = "is a label the collector sets itself";
  for (size_t i = 0; problem == NULL && i < r->labels_num; i++)
    if (strcmp(r->labels[i].name, name) == 0)
      problem = "is given twice";
  for (size_t i = 0; problem == NULL && i < r->counts_num; i++)
    if (strcmp(r->counts[i].name, name) == 0)
      problem = "is given twice";
  if (problem == NULL &&
      (strcmp(option, "Label") == 0 ? r->labels_num : r->counts_num) ==
          MAX_RESOURCE_LABELS)
    problem = "is one label too many (at most 7)";
  if (problem == NULL)
    return 0;
  om_log(OM_LOG_ERR, rc->block, "option \"%s\": label \"%s\" %s", option, name,
         problem);
  return -1;
}

/* Label "name" "path" */
static int read_label(resource_ctx *rc, const oconfig_item_t *ci) {
  char *name = NULL, *path = NULL;
  if (om_conf_string_pair(ci, rc->block, &name, &path) != 0)
    return -1;
  int rc_ = check_label(rc, "Label", name) != 0
                ? -1
                : add_field(rc, "Label", &rc->r->labels, &rc->r->labels_num,
                            name, path);
  free(name);
  free(path);
  return rc_;
}

/* One or two strings: a path and an optional name. */
static int path_and_name(const resource_ctx *rc, const oconfig_item_t *ci,
                         const char **path, const char **name) {
  if ((ci->values_num != 1 && ci->values_num != 2) ||
      ci->values[0].type != OCONFIG_TYPE_STRING ||
      (ci->values_num == 2 && ci->values[1].type != OCONFIG_TYPE_STRING)) {
    om_log(OM_LOG_ERR, rc->block,
           "option \"%s\" takes a path and optionally a name (strings)",
           ci->key);
    return -1;
  }
  *path = ci->values[0].value.string;
  *name = ci->values_num == 2 ? ci->values[1].value.string : NULL;
  return 0;
}

/* CountBy "status.phase" ["phase"] */
static int read_count_by(resource_ctx *rc, const oconfig_item_t *ci) {
  const char *path, *name;
  char derived[128];
  if (path_and_name(rc, ci, &path, &name) != 0)
    return -1;
  if (name == NULL) {
    const char *last = strrchr(path, '.');
    name_from_path(last ? last + 1 : path, derived, sizeof(derived));
    name = derived;
  }
  if (check_label(rc, "CountBy", name) != 0)
    return -1;
  return add_field(rc, "CountBy", &rc->r->counts, &rc->r->counts_num, name,
                   path);
}

/* Value "status.backup.sizeBytes" ["backup_size_bytes"]: the family is
 * <Prefix>_<name>; completed when the block ends (Prefix may follow). */
static int read_value(resource_ctx *rc, const oconfig_item_t *ci) {
  const char *path, *name;
  char derived[128];
  if (path_and_name(rc, ci, &path, &name) != 0)
    return -1;
  if (name == NULL) {
    name_from_path(path, derived, sizeof(derived));
    name = derived;
  }
  if (!om_label_name_valid(name, strlen(name))) {
    om_log(OM_LOG_ERR, rc->block,
           "option \"Value\": \"%s\" is not a valid metric name part", name);
    return -1;
  }
  return add_field(rc, "Value", &rc->r->values, &rc->r->values_num, name, path);
}

#define R om_kube_resource
static const om_option RESOURCE_OPTIONS[] = {
    OM_OPTION(R, "Group", OM_OPTION_STRING, group),
    OM_OPTION(R, "Version", OM_OPTION_STRING, version),
    OM_OPTION(R, "Resource", OM_OPTION_STRING, plural),
    OM_OPTION(R, "Kind", OM_OPTION_STRING, kind),
    OM_OPTION(R, "ClusterScoped", OM_OPTION_BOOL, cluster_scoped),
    OM_OPTION(R, "Info", OM_OPTION_BOOL, info),
};
#undef R

static const char *const RESOURCE_REPEATABLE[] = {"Label", "CountBy", "Value",
                                                  NULL};

/* The <Resource> options that take more than a type. */
static int parse_resource_option(void *p, const oconfig_item_t *ci) {
  resource_ctx *rc = p;
  const char *k = ci->key;
  if (strcasecmp(k, "Prefix") == 0)
    return om_conf_string(ci, rc->block, &rc->prefix);
  if (strcasecmp(k, "Label") == 0)
    return read_label(rc, ci);
  if (strcasecmp(k, "CountBy") == 0)
    return read_count_by(rc, ci);
  if (strcasecmp(k, "Value") == 0)
    return read_value(rc, ci);
  return om_conf_unknown(ci, rc->block);
}

/* A URL path segment: letters, digits, '.', '-'. */
static bool segment_valid(const char *s) {
  if (*s == '\0')
    return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
      return false;
  return true;
}

static bool catalog_has(const char *family) {
  size_t num = 0;
  const om_family *f = om_catalog_families(&num);
  for (size_t i = 0; i < num; i++)
    if (strcmp(f[i].name, family) == 0)
      return true;
  return false;
}

/* "<prefix>_<name>" into *out, refused when invalid or a catalog name. */
static int family_name(const resource_ctx *rc, const char *option,
                       const char *name, char **out) {
  size_t n = strlen(rc->prefix) + strlen(name) + 2;
  char *full = malloc(n);
  if (full == NULL)
    return refuse(rc->block, "out of memory");
  snprintf(full, n, "%s_%s", rc->prefix, name);
  const char *problem = NULL;
  if (!om_metric_name_valid(full, strlen(full)) || n > 100)
    problem = "is not a valid metric name of at most 100 characters";
  else if (catalog_has(full))
    problem = "is a documented family with labels of its own";
  if (problem != NULL) {
    om_log(OM_LOG_ERR, rc->block, "option \"%s\": family \"%s\" %s", option,
           full, problem);
    free(full);
    return -1;
  }
  free(*out);
  *out = full;
  return 0;
}

static int finish_resource(resource_ctx *rc) {
  om_kube_resource *r = rc->r;
  const char *b = rc->block;
  if (r->group == NULL || r->version == NULL || r->plural == NULL)
    return refuse(b, "a <Resource> block needs \"Group\", \"Version\" and "
                     "\"Resource\"");
  if (!segment_valid(r->group) || !segment_valid(r->version) ||
      !segment_valid(r->plural))
    return refuse(b, "<Resource>: \"Group\", \"Version\" and \"Resource\" "
                     "take letters, digits, '.' and '-' only");
  if (r->labels_num > 0 && !r->info)
    return refuse(b, "<Resource>: \"Label\" adds labels to "
                     "kube_customresource_info, which \"Info false\" turns "
                     "off");
  if (!r->info && r->counts_num == 0 && r->values_num == 0)
    return refuse(b, "<Resource>: with \"Info false\" it needs \"CountBy\" "
                     "or \"Value\"");
  if (om_conf_default_string(&rc->prefix, OM_KUBE_DEFAULT_PREFIX) != 0)
    return refuse(b, "out of memory");
  if (r->counts_num > 0 &&
      family_name(rc, "CountBy", "count", &r->count_family) != 0)
    return -1;
  for (size_t i = 0; i < r->values_num; i++)
    if (family_name(rc, "Value", r->values[i].name, &r->values[i].name) != 0)
      return -1;
  for (size_t i = 0; i < r->values_num; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(r->values[i].name, r->values[j].name) == 0) {
        om_log(OM_LOG_ERR, b, "option \"Value\": family \"%s\" is given twice",
               r->values[i].name);
        return -1;
      }
  if (om_kube_resource_name(r) != 0)
    return refuse(b, "out of memory");
  return 0;
}

static int add_resource(om_kube_config *cfg, om_kube_resource *r) {
  for (size_t i = 0; i < cfg->resources_num; i++) {
    if (strcmp(cfg->resources[i]->id, r->id) == 0) {
      om_log(OM_LOG_ERR, cfg->block.id,
             "resource \"%s\" is listed twice (by a Preset or another "
             "<Resource>); list each resource once",
             r->id);
      om_kube_resource_free(r);
      return -1;
    }
  }
  if (cfg->resources_num == OM_KUBE_MAX_RESOURCES) {
    om_kube_resource_free(r);
    return refuse(cfg->block.id, "too many resources (at most 256)");
  }
  om_kube_resource **grown = realloc(
      cfg->resources, (cfg->resources_num + 1) * sizeof(*cfg->resources));
  if (grown == NULL) {
    om_kube_resource_free(r);
    return refuse(cfg->block.id, "out of memory");
  }
  cfg->resources = grown;
  cfg->resources[cfg->resources_num++] = r;
  return 0;
}

static int read_resource(om_kube_config *cfg, const oconfig_item_t *ci) {
  if (ci->values_num != 0)
    return refuse(cfg->block.id, "<Resource> takes no argument; name the "
                                 "resource with Group, Version and Resource");
  resource_ctx rc = {.r = calloc(1, sizeof(om_kube_resource)),
                     .block = cfg->block.id};
  if (rc.r == NULL)
    return refuse(cfg->block.id, "out of memory");
  rc.r->info = true;
  int status = om_conf_options(ci, rc.block, rc.r, RESOURCE_OPTIONS,
                               OM_LEN(RESOURCE_OPTIONS), RESOURCE_REPEATABLE,
                               parse_resource_option, &rc) != 0 ||
                       finish_resource(&rc) != 0
                   ? -1
                   : 0;
  free(rc.prefix);
  if (status != 0) {
    om_kube_resource_free(rc.r);
    return -1;
  }
  return add_resource(cfg, rc.r);
}

/* --- <Kubernetes> --------------------------------------------------------- */

static int read_preset(om_kube_config *cfg, const oconfig_item_t *ci) {
  char *name = NULL, err[128];
  if (om_conf_string(ci, cfg->block.id, &name) != 0)
    return -1;
  om_kube_resource **list = NULL;
  size_t num = 0;
  int rc = om_kube_preset_add(name, &list, &num, err, sizeof(err));
  if (rc != 0)
    om_log(OM_LOG_ERR, cfg->block.id, "option \"Preset\": %s", err);
  for (size_t i = 0; i < num; i++) {
    if (rc == 0)
      rc = add_resource(cfg, list[i]); /* frees it when refused */
    else
      om_kube_resource_free(list[i]);
  }
  free(list);
  free(name);
  return rc;
}

#define K om_kube_config
static const om_option OPTIONS[] = {
    OM_BLOCK_FAMILY_OPTIONS(K),
    OM_OPTION(K, "APIServer", OM_OPTION_STRING, api_server),
    OM_OPTION(K, "Timeout", OM_OPTION_SECONDS, timeout_s),
    OM_OPTION_RANGE(K, "PageSize", OM_OPTION_SIZE, page_size, 1,
                    OM_KUBE_MAX_PAGE_SIZE),
    OM_OPTION_RANGE(K, "MaxResponseBytes", OM_OPTION_SIZE, max_response_bytes,
                    1024, OM_KUBE_MAX_MAX_RESPONSE_BYTES),
    OM_OPTION_RANGE(K, "MaxObjects", OM_OPTION_SIZE, max_objects, 1,
                    OM_KUBE_MAX_MAX_OBJECTS),
    OM_OPTION_RANGE(K, "MaxPages", OM_OPTION_SIZE, max_pages, 1,
                    OM_KUBE_MAX_MAX_PAGES),
    OM_OPTION(K, "CustomResourceInfo", OM_OPTION_BOOL, custom_resource_info),
};
#undef K

/* The options that take more than a type: TLS and token, Namespace,
 * Preset and the <Resource> blocks. */
static int parse_option(void *p, const oconfig_item_t *ci) {
  om_kube_config *cfg = p;
  const char *b = cfg->block.id, *k = ci->key;
  int rc = om_conf_http_auth(ci, b, &cfg->auth);
  if (rc != 1)
    return rc;
  if (strcasecmp(k, "Namespace") == 0)
    return om_conf_namespaces(ci, b, &cfg->namespaces, &cfg->namespaces_num,
                              OM_KUBE_MAX_NAMESPACES);
  if (strcasecmp(k, "Preset") == 0)
    return read_preset(cfg, ci);
  if (strcasecmp(k, "Resource") == 0)
    return read_resource(cfg, ci);
  return om_conf_unknown(ci, b);
}

static int resolve_timeouts(om_kube_config *cfg, double interval_s) {
  om_block_timeout timeout = {"Timeout", &cfg->timeout_s, OM_KUBE_TIMEOUT_SHARE,
                              OM_KUBE_DEFAULT_TIMEOUT_CAP};
  cfg->read_budget_s = interval_s * OM_BLOCK_READ_SHARE;
  return om_block_timeouts(&cfg->block, &timeout, 1, interval_s);
}

/* Each resource's state series names the block and the resource. */
static int check_own_series(const om_kube_config *cfg) {
  for (size_t i = 0; i < cfg->resources_num; i++) {
    om_label l[] = {om_label_cstr("block", cfg->block.name),
                    om_label_cstr("resource", cfg->resources[i]->id),
                    om_label_cstr("state", "too_many_objects")};
    char what[160];
    snprintf(what, sizeof(what), "the resource \"%.100s\" is",
             cfg->resources[i]->id);
    if (om_block_check_fits(&cfg->block, what,
                            "operator_metrics_kubernetes_resource_state", l,
                            OM_LEN(l)) != 0)
      return -1;
  }
  return 0;
}

static int finish(void *p, double interval_s) {
  om_kube_config *cfg = p;
  const char *b = cfg->block.id;
  if (cfg->resources_num == 0)
    return refuse(b, "nothing to list: give a \"Preset\" (dbops, dynamo, "
                     "datum) or a <Resource> block");
  if (om_conf_api_server(b, "APIServer", &cfg->api_server, &cfg->auth) != 0 ||
      resolve_timeouts(cfg, interval_s) != 0)
    return -1;
  if (!cfg->custom_resource_info)
    for (size_t i = 0; i < cfg->resources_num; i++)
      if (cfg->resources[i]->mapper != NULL)
        cfg->resources[i]->info = false;
  return check_own_series(cfg);
}

static const char *const REPEATABLE[] = {"Namespace", "Preset",  "Resource",
                                         "Include",   "Exclude", NULL};

static void init(void *p) {
  om_kube_config *cfg = p;
  om_http_auth_init(&cfg->auth);
  cfg->custom_resource_info = true;
  cfg->page_size = OM_KUBE_DEFAULT_PAGE_SIZE;
  cfg->max_response_bytes = OM_KUBE_DEFAULT_MAX_RESPONSE_BYTES;
  cfg->max_objects = OM_KUBE_DEFAULT_MAX_OBJECTS;
  cfg->max_pages = OM_KUBE_DEFAULT_MAX_PAGES;
}

const om_block_syntax om_kube_syntax = {"Kubernetes",
                                        "kubernetes",
                                        sizeof(om_kube_config),
                                        init,
                                        OPTIONS,
                                        OM_LEN(OPTIONS),
                                        REPEATABLE,
                                        parse_option,
                                        finish,
                                        om_kube_config_free,
                                        NULL};

/* The namespace labels of cluster-scoped objects: none, or the dbops
 * preset's "_cluster" (om_kube_preset_dbops.c). */
static const char *const CLUSTER_NAMESPACES[] = {"", "_cluster"};

/* The families of one resource: its preset's or its <Resource> block's,
 * and kube_customresource_info; a cluster-scoped one's have a namespace
 * of their own. A preset's families are the preset's, not one
 * resource's (which of its resources sends which is the mappers'
 * business): they are claimed for every resource, so that a conflict
 * names no resource that may not send the family. */
static void claim_resource(const om_kube_config *cfg, const om_kube_resource *r,
                           const om_scope *namespaced, om_claims *out) {
  const om_block_conf *b = &cfg->block;
  om_scope scoped = *namespaced;
  if (r->cluster_scoped)
    scoped.dim[OM_DIM_NAMESPACE] =
        (om_scope_dim){OM_SCOPE_VALUES, CLUSTER_NAMESPACES, 2};
  const om_scope *scope = &scoped;
  for (const char *const *f = r->families; f != NULL && *f != NULL; f++)
    om_claims_add(out, b, "kubernetes", true, *f, false, scope);
  scoped.dim[OM_DIM_RESOURCE] = om_scope_one((const char *const *)&r->id);
  if (r->info)
    om_claims_add(out, b, "kubernetes", true, "kube_customresource_info", false,
                  scope);
  if (r->count_family != NULL)
    om_claims_add(out, b, "kubernetes", true, r->count_family, false, scope);
  for (size_t i = 0; i < r->values_num; i++)
    om_claims_add(out, b, "kubernetes", true, r->values[i].name, false, scope);
}

void om_kube_claims(const void *p, om_claims *out) {
  const om_kube_config *cfg = p;
  om_scope scope = {0};
  if (cfg->namespaces_num > 0)
    scope.dim[OM_DIM_NAMESPACE] =
        (om_scope_dim){OM_SCOPE_VALUES, (const char *const *)cfg->namespaces,
                       cfg->namespaces_num};
  for (size_t i = 0; i < cfg->resources_num; i++)
    claim_resource(cfg, cfg->resources[i], &scope, out);
}

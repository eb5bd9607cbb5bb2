/* Strict readers of collectd configuration items; see om_conf.h. */
#include "om_conf.h"
#include "om_log.h"
#include "om_types.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type_name(int type) {
  switch (type) {
  case OCONFIG_TYPE_STRING:
    return "a string";
  case OCONFIG_TYPE_NUMBER:
    return "a number";
  case OCONFIG_TYPE_BOOLEAN:
    return "a boolean";
  default:
    return "an unknown value";
  }
}

static int wrong(const oconfig_item_t *ci, const char *block,
                 const char *expected) {
  if (ci->values_num == 1)
    om_log(OM_LOG_ERR, block, "option \"%s\" needs %s, got %s", ci->key,
           expected, type_name(ci->values[0].type));
  else
    om_log(OM_LOG_ERR, block, "option \"%s\" needs %s, got %d values", ci->key,
           expected, ci->values_num);
  return -1;
}

static bool one_of_type(const oconfig_item_t *ci, int type) {
  return ci->values_num == 1 && ci->values[0].type == type &&
         ci->children_num == 0;
}

int om_conf_string(const oconfig_item_t *ci, const char *block, char **out) {
  if (!one_of_type(ci, OCONFIG_TYPE_STRING) ||
      ci->values[0].value.string[0] == '\0')
    return wrong(ci, block, "exactly one non-empty string");
  char *copy = strdup(ci->values[0].value.string);
  if (copy == NULL) {
    om_log(OM_LOG_ERR, block, "option \"%s\": out of memory", ci->key);
    return -1;
  }
  free(*out);
  *out = copy;
  return 0;
}

int om_conf_bool(const oconfig_item_t *ci, const char *block, bool *out) {
  if (!one_of_type(ci, OCONFIG_TYPE_BOOLEAN))
    return wrong(ci, block, "exactly one boolean (true or false)");
  *out = ci->values[0].value.boolean != 0;
  return 0;
}

int om_conf_seconds(const oconfig_item_t *ci, const char *block, double *out) {
  if (!one_of_type(ci, OCONFIG_TYPE_NUMBER))
    return wrong(ci, block, "exactly one number of seconds");
  double v = ci->values[0].value.number;
  if (!isfinite(v) || v <= 0 || v > 86400) {
    om_log(OM_LOG_ERR, block,
           "option \"%s\" must be more than 0 and at most 86400 seconds, got "
           "%g",
           ci->key, v);
    return -1;
  }
  *out = v;
  return 0;
}

int om_conf_uint(const oconfig_item_t *ci, const char *block, uint64_t min,
                 uint64_t max, uint64_t *out) {
  if (!one_of_type(ci, OCONFIG_TYPE_NUMBER))
    return wrong(ci, block, "exactly one integer");
  double v = ci->values[0].value.number;
  if (!isfinite(v) || v != floor(v) || v < (double)min || v > (double)max) {
    om_log(OM_LOG_ERR, block,
           "option \"%s\" must be an integer from %llu to %llu, got %g",
           ci->key, (unsigned long long)min, (unsigned long long)max, v);
    return -1;
  }
  *out = (uint64_t)v;
  return 0;
}

int om_conf_strings_append(const oconfig_item_t *ci, const char *block,
                           char ***list, size_t *num) {
  if (ci->values_num < 1 || ci->children_num != 0)
    return wrong(ci, block, "one or more non-empty strings");
  for (int i = 0; i < ci->values_num; i++)
    if (ci->values[i].type != OCONFIG_TYPE_STRING ||
        ci->values[i].value.string[0] == '\0')
      return wrong(ci, block, "one or more non-empty strings");
  char **grown =
      realloc(*list, (*num + (size_t)ci->values_num) * sizeof(**list));
  if (grown == NULL) {
    om_log(OM_LOG_ERR, block, "option \"%s\": out of memory", ci->key);
    return -1;
  }
  *list = grown;
  for (int i = 0; i < ci->values_num; i++) {
    char *copy = strdup(ci->values[i].value.string);
    if (copy == NULL) {
      om_log(OM_LOG_ERR, block, "option \"%s\": out of memory", ci->key);
      return -1;
    }
    grown[(*num)++] = copy;
  }
  return 0;
}

int om_conf_string_pair(const oconfig_item_t *ci, const char *block,
                        char **first, char **second) {
  if (ci->values_num != 2 || ci->children_num != 0 ||
      ci->values[0].type != OCONFIG_TYPE_STRING ||
      ci->values[1].type != OCONFIG_TYPE_STRING)
    return wrong(ci, block, "exactly two strings");
  char *a = strdup(ci->values[0].value.string);
  char *b = strdup(ci->values[1].value.string);
  if (a == NULL || b == NULL) {
    free(a);
    free(b);
    om_log(OM_LOG_ERR, block, "option \"%s\": out of memory", ci->key);
    return -1;
  }
  *first = a;
  *second = b;
  return 0;
}

int om_conf_unknown(const oconfig_item_t *ci, const char *block) {
  om_log(OM_LOG_ERR, block, "unknown option \"%s\"", ci->key);
  return -1;
}

int om_conf_check_readable(const char *block, const char *option,
                           const char *path) {
  if (path == NULL || access(path, R_OK) == 0)
    return 0;
  om_log(OM_LOG_ERR, block, "option \"%s\": cannot read \"%s\": %s", option,
         path, strerror(errno));
  return -1;
}

int om_conf_check_utf8(const char *block, const char *option,
                       const char *value) {
  if (value == NULL || om_utf8_valid(value, strlen(value)))
    return 0;
  om_log(OM_LOG_ERR, block, "option \"%s\" must be valid UTF-8", option);
  return -1;
}

void om_conf_strings_free(char **list, size_t num) {
  for (size_t i = 0; i < num; i++)
    free(list[i]);
  free(list);
}

int om_conf_option(const oconfig_item_t *ci, const char *block, void *obj,
                   const om_option *table, size_t num) {
  for (size_t i = 0; i < num; i++) {
    const om_option *o = &table[i];
    if (strcasecmp(ci->key, o->key) != 0)
      continue;
    void *field = (char *)obj + o->offset;
    switch (o->type) {
    case OM_OPTION_STRING:
      return om_conf_string(ci, block, field);
    case OM_OPTION_STRINGS:
      return om_conf_strings_append(ci, block, field,
                                    (size_t *)((char *)obj + o->count_offset));
    case OM_OPTION_BOOL:
      return om_conf_bool(ci, block, field);
    case OM_OPTION_SECONDS:
      return om_conf_seconds(ci, block, field);
    case OM_OPTION_SIZE:
      return om_conf_size(ci, block, o->min, o->max, field);
    case OM_OPTION_UINT64:
      return om_conf_uint(ci, block, o->min, o->max, field);
    }
  }
  return 1;
}

static bool is_repeatable(const char *key, const char *const *repeatable) {
  for (size_t i = 0; repeatable != NULL && repeatable[i] != NULL; i++)
    if (strcasecmp(key, repeatable[i]) == 0)
      return true;
  return false;
}

/* Whether an earlier child of ci has the key of child i. */
static bool given_before(const oconfig_item_t *ci, int i) {
  for (int j = 0; j < i; j++)
    if (strcasecmp(ci->children[j].key, ci->children[i].key) == 0)
      return true;
  return false;
}

int om_conf_options(const oconfig_item_t *ci, const char *block, void *obj,
                    const om_option *table, size_t num,
                    const char *const *repeatable,
                    int (*other)(void *ctx, const oconfig_item_t *item),
                    void *ctx) {
  int status = 0;
  for (int i = 0; i < ci->children_num; i++) {
    const oconfig_item_t *item = &ci->children[i];
    if (!is_repeatable(item->key, repeatable) && given_before(ci, i)) {
      om_log(OM_LOG_ERR, block, "option \"%s\" is given twice", item->key);
      status = -1;
      continue;
    }
    int rc = om_conf_option(item, block, obj, table, num);
    if (rc == 1)
      rc = other(ctx, item);
    if (rc != 0)
      status = -1;
  }
  return status;
}

int om_conf_default_string(char **field, const char *value) {
  if (*field == NULL && (*field = strdup(value)) == NULL)
    return -1;
  return 0;
}

int om_conf_size(const oconfig_item_t *ci, const char *block, uint64_t min,
                 uint64_t max, size_t *out) {
  uint64_t v;
  if (om_conf_uint(ci, block, min, max, &v) != 0)
    return -1;
  *out = (size_t)v;
  return 0;
}

int om_conf_http_auth(const oconfig_item_t *ci, const char *block,
                      om_http_auth *auth) {
  static const om_option options[] = {
      OM_OPTION(om_http_auth, "CACert", OM_OPTION_STRING, ca_cert),
      OM_OPTION(om_http_auth, "ClientCert", OM_OPTION_STRING, client_cert),
      OM_OPTION(om_http_auth, "ClientKey", OM_OPTION_STRING, client_key),
      OM_OPTION(om_http_auth, "BearerTokenFile", OM_OPTION_STRING,
                bearer_token_file),
      OM_OPTION(om_http_auth, "VerifyPeer", OM_OPTION_BOOL, verify_peer),
      OM_OPTION(om_http_auth, "VerifyHost", OM_OPTION_BOOL, verify_host),
      OM_OPTION(om_http_auth, "AllowCleartextToken", OM_OPTION_BOOL,
                allow_cleartext_token),
  };
  return om_conf_option(ci, block, auth, options, OM_LEN(options));
}

void om_conf_warn_if_shared(const char *block, const char *option,
                            const char *path) {
  struct stat st;
  if (path == NULL || stat(path, &st) != 0 || (st.st_mode & 077) == 0)
    return;
  om_log(OM_LOG_WARNING, block,
         "option \"%s\": \"%s\" can be read by its group or others (mode "
         "%04o); make it readable by collectd's user only (chmod 600)",
         option, path, (unsigned)(st.st_mode & 07777));
}

int om_conf_check_http_auth(const char *block, const om_http_auth *a,
                            const char *url_option, const char *url) {
  if ((a->client_cert == NULL) != (a->client_key == NULL)) {
    om_log(OM_LOG_ERR, block, "%s",
           "options \"ClientCert\" and \"ClientKey\" go together: set both "
           "or neither");
    return -1;
  }
  if (om_conf_check_readable(block, "CACert", a->ca_cert) != 0 ||
      om_conf_check_readable(block, "ClientCert", a->client_cert) != 0 ||
      om_conf_check_readable(block, "ClientKey", a->client_key) != 0 ||
      om_conf_check_readable(block, "BearerTokenFile", a->bearer_token_file) !=
          0)
    return -1;
  char host[256];
  if (a->bearer_token_file != NULL && !a->allow_cleartext_token &&
      om_http_url_cleartext_remote(url, host, sizeof(host))) {
    om_log(OM_LOG_ERR, block,
           "option \"BearerTokenFile\": the token would go in clear over "
           "http:// to \"%s\" (option \"%s\"); use https://, or set "
           "\"AllowCleartextToken true\" to send it anyway",
           host, url_option);
    return -1;
  }
  om_conf_warn_if_shared(block, "BearerTokenFile", a->bearer_token_file);
  return 0;
}

int om_conf_in_cluster(const char *block, const char *option, char **api_server,
                       om_http_auth *auth) {
  if (*api_server != NULL)
    return 0;
  const char *host = getenv("KUBERNETES_SERVICE_HOST");
  const char *port = getenv("KUBERNETES_SERVICE_PORT");
  if (host == NULL || host[0] == '\0') {
    om_log(OM_LOG_ERR, block,
           "option \"%s\" is required outside a cluster "
           "(KUBERNETES_SERVICE_HOST is not set)",
           option);
    return -1;
  }
  char url[512];
  bool v6 = strchr(host, ':') != NULL;
  snprintf(url, sizeof(url), "https://%s%s%s:%s", v6 ? "[" : "", host,
           v6 ? "]" : "", port && port[0] ? port : "443");
  if ((*api_server = strdup(url)) == NULL ||
      (auth->bearer_token_file == NULL &&
       access(OM_CONF_SA_DIR "/token", R_OK) == 0 &&
       om_conf_default_string(&auth->bearer_token_file,
                              OM_CONF_SA_DIR "/token") != 0) ||
      (auth->ca_cert == NULL && access(OM_CONF_SA_DIR "/ca.crt", R_OK) == 0 &&
       om_conf_default_string(&auth->ca_cert, OM_CONF_SA_DIR "/ca.crt") != 0)) {
    om_log(OM_LOG_ERR, block, "%s", "out of memory");
    return -1;
  }
  return 0;
}

/* collectd's Hostname (om_conf_set_hostname); a node name is at most 253
 * bytes, a hostname at most 255 */
static char hostname[256] = "";

const char *om_conf_hostname(void) { return hostname; }

void om_conf_set_hostname(const char *h) {
  snprintf(hostname, sizeof(hostname), "%s", h ? h : "");
}

const char *om_conf_node_name(void) {
  const char *node = getenv("NODE_NAME");
  return node != NULL && node[0] != '\0' ? node : hostname;
}

/* A DNS-1123 label, as Kubernetes names namespaces. */
static bool dns_label(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
    return false;
  for (; *s; s++)
    if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && *s != '-')
      return false;
  return true;
}

int om_conf_namespaces(const oconfig_item_t *ci, const char *block,
                       char ***list, size_t *num, size_t max) {
  size_t before = *num;
  if (om_conf_strings_append(ci, block, list, num) != 0)
    return -1;
  for (size_t i = before; i < *num; i++) {
    if (!dns_label((*list)[i])) {
      om_log(OM_LOG_ERR, block,
             "option \"Namespace\": \"%s\" is not a namespace name "
             "(lowercase letters, digits and '-', at most 63)",
             (*list)[i]);
      return -1;
    }
  }
  if (*num > max) {
    om_log(OM_LOG_ERR, block, "option \"Namespace\": at most %zu namespaces",
           max);
    return -1;
  }
  return 0;
}

int om_conf_api_server(const char *block, const char *option, char **api_server,
                       om_http_auth *auth) {
  if (om_conf_in_cluster(block, option, api_server, auth) != 0)
    return -1;
  char instance[512], err[256];
  if (om_http_url_instance(*api_server, instance, sizeof(instance), err,
                           sizeof(err)) != 0) {
    om_log(OM_LOG_ERR, block, "option \"%s\": %s", option, err);
    return -1;
  }
  if (strchr(*api_server, '?') != NULL || strchr(*api_server, '#') != NULL) {
    om_log(OM_LOG_ERR, block,
           "option \"%s\": a query or fragment has no place in the "
           "server's address",
           option);
    return -1;
  }
  size_t n = strlen(*api_server);
  while (n > 0 && (*api_server)[n - 1] == '/')
    (*api_server)[--n] = '\0';
  return om_conf_check_http_auth(block, auth, option, *api_server);
}

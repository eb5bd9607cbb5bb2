/* Parsing and checking a <Target>'s <Pods> block; see om_pods_config.h. */
#include "om_pods_config.h"
#include "om_conf.h"
#include "om_kube_page.h"
#include "om_log.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void om_pods_config_free(om_pods_config *p) {
  if (p == NULL)
    return;
  om_conf_strings_free(p->namespaces, p->namespaces_num);
  free(p->selector);
  free(p->service);
  free(p->port_name);
  free(p->node);
  free(p->scheme);
  free(p->path);
  free(p->api_server);
  om_http_auth_free(&p->auth);
  free(p->query);
  free(p);
}

static int refuse(const char *block, const char *what) {
  om_log(OM_LOG_ERR, block, "<Pods>: %s", what);
  return -1;
}

/* Port "metrics" (a port's name, IANA_SVC_NAME: at most 15 lowercase
 * letters, digits and '-', with a letter) or Port 8080. */
static int read_port(om_pods_config *p, const oconfig_item_t *ci,
                     const char *block) {
  if (ci->values_num == 1 && ci->values[0].type == OCONFIG_TYPE_NUMBER) {
    double n = ci->values[0].value.number;
    if (n < 1 || n > 65535 || n != (long)n)
      return refuse(block, "option \"Port\": a number is 1 to 65535");
    p->port_number = (long)n;
    free(p->port_name);
    p->port_name = NULL;
    return 0;
  }
  char *name = NULL;
  if (om_conf_string(ci, block, &name) != 0)
    return -1;
  size_t n = strlen(name);
  bool letter = false, ok = n <= 15;
  for (size_t i = 0; ok && i < n; i++) {
    char c = name[i];
    letter = letter || (c >= 'a' && c <= 'z');
    ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }
  if (!ok || !letter) {
    om_log(OM_LOG_ERR, block,
           "<Pods>: option \"Port\": \"%s\" is neither a port number nor a "
           "port's name (at most 15 lowercase letters, digits and '-')",
           name);
    free(name);
    return -1;
  }
  free(p->port_name);
  p->port_name = name;
  p->port_number = 0;
  return 0;
}

static int read_scope(om_pods_config *p, const oconfig_item_t *ci,
                      const char *block) {
  char *scope = NULL;
  if (om_conf_string(ci, block, &scope) != 0)
    return -1;
  int rc = 0;
  if (strcasecmp(scope, "node") == 0)
    p->cluster = false;
  else if (strcasecmp(scope, "cluster") == 0)
    p->cluster = true;
  else
    rc = refuse(block, "option \"Scope\" is \"node\" or \"cluster\"");
  free(scope);
  return rc;
}

/* The options that take more than a type. */
struct pods_ctx {
  om_pods_config *p;
  const char *block;
};

static int pods_option(void *ctx, const oconfig_item_t *ci) {
  struct pods_ctx *c = ctx;
  int rc = om_conf_http_auth(ci, c->block, &c->p->auth);
  if (rc != 1)
    return rc;
  if (strcasecmp(ci->key, "Namespace") == 0)
    return om_conf_namespaces(ci, c->block, &c->p->namespaces,
                              &c->p->namespaces_num, OM_PODS_MAX_NAMESPACES);
  if (strcasecmp(ci->key, "Port") == 0)
    return read_port(c->p, ci, c->block);
  if (strcasecmp(ci->key, "Scope") == 0)
    return read_scope(c->p, ci, c->block);
  return om_conf_unknown(ci, c->block);
}

#define P om_pods_config
static const om_option OPTIONS[] = {
    OM_OPTION(P, "Selector", OM_OPTION_STRING, selector),
    OM_OPTION(P, "Service", OM_OPTION_STRING, service),
    OM_OPTION(P, "Node", OM_OPTION_STRING, node),
    OM_OPTION(P, "Scheme", OM_OPTION_STRING, scheme),
    OM_OPTION(P, "Path", OM_OPTION_STRING, path),
    OM_OPTION(P, "RefreshInterval", OM_OPTION_SECONDS, refresh_s),
    OM_OPTION_RANGE(P, "MaxPods", OM_OPTION_SIZE, max_pods, 1,
                    OM_PODS_MAX_MAX_PODS),
    OM_OPTION(P, "APIServer", OM_OPTION_STRING, api_server),
};
#undef P

static const char *const REPEATABLE[] = {"Namespace", NULL};

int om_pods_config_read(const oconfig_item_t *ci, const char *block,
                        om_pods_config **out) {
  if (ci->values_num != 0)
    return refuse(block, "the block takes no argument: <Pods>");
  om_pods_config *p = calloc(1, sizeof(*p));
  if (p == NULL)
    return refuse(block, "out of memory");
  om_http_auth_init(&p->auth);
  p->refresh_s = OM_PODS_DEFAULT_REFRESH_S;
  p->max_pods = OM_PODS_DEFAULT_MAX_PODS;
  struct pods_ctx ctx = {p, block};
  if (om_conf_options(ci, block, p, OPTIONS, OM_LEN(OPTIONS), REPEATABLE,
                      pods_option, &ctx) != 0) {
    om_pods_config_free(p);
    return -1;
  }
  *out = p;
  return 0;
}

/* What a label selector may hold: label keys and values, the operators
 * (=, ==, !=, !, in, notin, exists), commas, parentheses and spaces. */
static bool selector_chars(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || strchr("-_./=!,() ", c) != NULL))
      return false;
  }
  return true;
}

/* A DNS-1123 subdomain, as Kubernetes names nodes and Services. */
static bool dns_subdomain(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 253)
    return false;
  for (; *s; s++)
    if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && *s != '-' &&
        *s != '.')
      return false;
  return true;
}

static int check_values(const om_pods_config *p, const char *b) {
  if (p->port_name == NULL && p->port_number == 0)
    return refuse(b, "option \"Port\" is required: the container port's name "
                     "or number");
  if (p->selector != NULL && (strlen(p->selector) > OM_PODS_MAX_SELECTOR ||
                              !selector_chars(p->selector)))
    return refuse(b, "option \"Selector\" is not a label selector (keys, "
                     "values, = == != in notin !, commas, at most 4096 "
                     "bytes)");
  if (p->service != NULL && !dns_subdomain(p->service))
    return refuse(b, "option \"Service\" is not a Service's name");
  if (p->node != NULL && !dns_subdomain(p->node))
    return refuse(b, "option \"Node\" is not a node's name");
  if (p->node != NULL && p->cluster)
    return refuse(b, "option \"Node\" has no place with Scope \"cluster\", "
                     "which scrapes pods on every node");
  if (p->scheme != NULL && strcmp(p->scheme, "http") != 0 &&
      strcmp(p->scheme, "https") != 0)
    return refuse(b, "option \"Scheme\" is \"http\" or \"https\"");
  if (p->path != NULL &&
      (p->path[0] != '/' || strpbrk(p->path, " \t\r\n#") != NULL))
    return refuse(b, "option \"Path\" starts with '/' and holds no space or "
                     "'#'");
  return 0;
}

int om_pods_config_finish(om_pods_config *p, const char *b, double timeout_s) {
  if (check_values(p, b) != 0)
    return -1;
  if (om_conf_default_string(&p->scheme, "http") != 0 ||
      om_conf_default_string(&p->path, "/metrics") != 0)
    return refuse(b, "out of memory");
  p->timeout_s = timeout_s;
  return om_conf_api_server(b, "APIServer", &p->api_server, &p->auth);
}

/* Appends "name=value" (value escaped) to the query in buf. */
static int append_param(char *buf, size_t cap, const char *name,
                        const char *value) {
  size_t n = strlen(buf);
  int w = snprintf(buf + n, cap - n, "%s%s=", n ? "&" : "", name);
  if (w < 0 || (size_t)w >= cap - n)
    return -1;
  n += (size_t)w;
  return om_kube_query_escape(value, buf + n, cap - n);
}

int om_pods_config_query(om_pods_config *p, const char *node) {
  /* every selector's byte escaped takes 3 */
  size_t cap = 3 * (OM_PODS_MAX_SELECTOR + 2 * 256 + 64) + 64;
  char *q = calloc(1, cap), fields[600];
  if (q == NULL)
    return -1;
  if (p->service != NULL)
    snprintf(fields, sizeof(fields), "metadata.name=%s", p->service);
  else
    snprintf(fields, sizeof(fields), "status.phase=Running%s%s",
             node ? ",spec.nodeName=" : "", node ? node : "");
  if ((p->selector != NULL &&
       append_param(q, cap, "labelSelector", p->selector) != 0) ||
      append_param(q, cap, "fieldSelector", fields) != 0) {
    free(q);
    return -1;
  }
  free(p->query);
  p->query = q;
  return 0;
}

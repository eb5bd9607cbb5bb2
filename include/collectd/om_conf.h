/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * Strict readers of collectd configuration items.
 *
 * Each reader checks the number and types of the item's arguments and, on
 * a mismatch, logs an error naming the option and the block, returns -1 and
 * leaves *out untouched. Nothing is guessed: a wrong type is an error. */
#ifndef OM_CONF_H
#define OM_CONF_H

#include "liboconfig/oconfig.h"
#include "om_http.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exactly one non-empty string; *out is replaced (the old one freed). */
int om_conf_string(const oconfig_item_t *ci, const char *block, char **out);
/* Exactly one boolean. */
int om_conf_bool(const oconfig_item_t *ci, const char *block, bool *out);
/* Exactly one number of seconds, > 0 and <= 86400. */
int om_conf_seconds(const oconfig_item_t *ci, const char *block, double *out);
/* Exactly one integer in [min, max]. */
int om_conf_uint(const oconfig_item_t *ci, const char *block, uint64_t min,
                 uint64_t max, uint64_t *out);
/* Exactly one integer in [min, max], as a size_t. */
int om_conf_size(const oconfig_item_t *ci, const char *block, uint64_t min,
                 uint64_t max, size_t *out);

/* One or more non-empty strings, appended to *list (grown with realloc). */
int om_conf_strings_append(const oconfig_item_t *ci, const char *block,
                           char ***list, size_t *num);
/* Exactly two strings, e.g. Label "name" "value". Both are newly allocated. */
int om_conf_string_pair(const oconfig_item_t *ci, const char *block,
                        char **first, char **second);
/* Logs "unknown option" naming the key and the block; returns -1. */
int om_conf_unknown(const oconfig_item_t *ci, const char *block);
/* How an option is read, by om_conf_option(). */
typedef enum {
  OM_OPTION_STRING,  /* char *: exactly one non-empty string (replaces) */
  OM_OPTION_STRINGS, /* char ** and a size_t count: one or more strings,
                        appended */
  OM_OPTION_BOOL,    /* bool: exactly one boolean */
  OM_OPTION_SECONDS, /* double: exactly one number of seconds, (0, 86400] */
  OM_OPTION_SIZE,    /* size_t: exactly one integer in [min, max] */
  OM_OPTION_UINT64,  /* uint64_t: exactly one integer in [min, max] */
} om_option_type;

/* One row of a table of options: its key, how it is read and where in a
 * configuration structure it goes. */
typedef struct {
  const char *key;
  om_option_type type;
  size_t offset;       /* of the field */
  size_t count_offset; /* OM_OPTION_STRINGS: of the size_t count */
  uint64_t min, max;   /* OM_OPTION_SIZE, OM_OPTION_UINT64 */
} om_option;

/* Rows of option tables, for a structure of type t. */
#define OM_OPTION(t, key, type, field)                                         \
  { key, type, offsetof(t, field), 0, 0, 0 }
#define OM_OPTION_LIST(t, key, field, count)                                   \
  { key, OM_OPTION_STRINGS, offsetof(t, field), offsetof(t, count), 0, 0 }
#define OM_OPTION_RANGE(t, key, type, field, lo, hi)                           \
  { key, type, offsetof(t, field), 0, lo, hi }

/* When the item's key is one of the table's (case-insensitively), reads it
 * into its field of obj and returns 0 or -1 (logged); returns 1 when the
 * key is none of them. */
int om_conf_option(const oconfig_item_t *ci, const char *block, void *obj,
                   const om_option *table, size_t num);

/* Reads every child option of ci in order: one of the table's into its
 * field of obj, any other through other(ctx, item), which returns 0 or -1
 * (logged; om_conf_unknown for a key that is no option). An option given
 * twice is refused unless repeatable (NULL-terminated, NULL: none) names
 * it. Every bad option is logged, not only the first; returns -1 when
 * there was one. */
int om_conf_options(const oconfig_item_t *ci, const char *block, void *obj,
                    const om_option *table, size_t num,
                    const char *const *repeatable,
                    int (*other)(void *ctx, const oconfig_item_t *item),
                    void *ctx);

/* Sets *field to a copy of value unless it is set already; -1 when out of
 * memory. */
int om_conf_default_string(char **field, const char *value);

/* A pod's service account, as Kubernetes mounts it. */
#define OM_CONF_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

/* Inside a cluster, with *api_server not given: the API server from
 * KUBERNETES_SERVICE_HOST and _PORT, and the service account's token and
 * CA where the option left them out. Outside a cluster -1 after logging
 * that option (the one naming the API server) is required. */
int om_conf_in_cluster(const char *block, const char *option, char **api_server,
                       om_http_auth *auth);

/* Appends the namespaces a Namespace option names to *list (*num of
 * them), each checked to be a namespace's name (a DNS label of at most 63
 * bytes): 0, or -1 after logging; at most max in all. */
int om_conf_namespaces(const oconfig_item_t *ci, const char *block,
                       char ***list, size_t *num, size_t max);

/* collectd's Hostname, once collectd knows it (at init, before any read). */
void om_conf_set_hostname(const char *hostname);
/* collectd's Hostname ("" before init). */
const char *om_conf_hostname(void);
/* The name of the node this collectd runs on: $NODE_NAME (which a
 * DaemonSet sets from the downward API), else collectd's Hostname. */
const char *om_conf_node_name(void);

/* A Kubernetes API server option (named option) and its TLS and token
 * options: the in-cluster defaults (om_conf_in_cluster), an https or
 * http URL with no query, fragment or trailing '/' (which is taken off),
 * and om_conf_check_http_auth. 0, or -1 after logging. */
int om_conf_api_server(const char *block, const char *option, char **api_server,
                       om_http_auth *auth);

/* Checks on values already read; NULL (option not given) passes. Each logs
 * an error naming the option and the block, and returns -1. */
int om_conf_check_readable(const char *block, const char *option,
                           const char *path);
/* When the item is one of the options of an om_http_auth (CACert,
 * ClientCert, ClientKey, BearerTokenFile, VerifyPeer, VerifyHost), reads it
 * into auth and returns 0 or -1; returns 1 when it is none of them. */
int om_conf_http_auth(const oconfig_item_t *ci, const char *block,
                      om_http_auth *auth);
/* ClientCert and ClientKey go together, every file given is readable,
 * and a bearer token never goes in clear (http://) to another host than
 * the loopback unless AllowCleartextToken says so (url: where requests go,
 * named by its option url_option); a token file others can read draws a
 * warning. */
int om_conf_check_http_auth(const char *block, const om_http_auth *auth,
                            const char *url_option, const char *url);
/* Warns when a file holding a secret can be read by its group or others
 * (the secret is still used). */
void om_conf_warn_if_shared(const char *block, const char *option,
                            const char *path);
int om_conf_check_utf8(const char *block, const char *option,
                       const char *value);

void om_conf_strings_free(char **list, size_t num);

#endif

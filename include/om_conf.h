/* Strict readers of collectd configuration items.
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
/* The block's name: exactly one non-empty string argument. */
int om_conf_block_name(const oconfig_item_t *ci, char **out);

/* The block's name and its id "<kind>/<name>", which log lines name. */
int om_conf_block_id(const oconfig_item_t *ci, const char *kind, char **name,
                     char **block_id);
/* Hands every child item of the block to parse_option(cfg, item); stops at
 * the first that fails and returns -1 then. */
int om_conf_each_option(const oconfig_item_t *ci, void *cfg,
                        int (*parse_option)(void *cfg,
                                            const oconfig_item_t *item));

/* A string option stored at offset in a configuration struct. */
typedef struct {
  const char *key;
  size_t offset; /* of a char * field */
} om_conf_string_field;

#define OM_CONF_STRING_FIELD(type, key, field)                                 \
  { key, offsetof(type, field) }

/* When the item's key is one of fields (case-insensitively), reads it with
 * om_conf_string into that field of cfg and returns 0 or -1; returns 1 when
 * the key is none of them. */
int om_conf_string_fields(const oconfig_item_t *ci, const char *block,
                          void *cfg, const om_conf_string_field *fields,
                          size_t num);

/* Sets *field to a copy of value unless it is set already; -1 when out of
 * memory. */
int om_conf_default_string(char **field, const char *value);

/* Checks on values already read; NULL (option not given) passes. Each logs
 * an error naming the option and the block, and returns -1. */
int om_conf_check_readable(const char *block, const char *option,
                           const char *path);
/* When the item is one of the options of an om_http_auth (CACert,
 * ClientCert, ClientKey, BearerTokenFile, VerifyPeer, VerifyHost), reads it
 * into auth and returns 0 or -1; returns 1 when it is none of them. */
int om_conf_http_auth(const oconfig_item_t *ci, const char *block,
                      om_http_auth *auth);
/* ClientCert and ClientKey go together, and every file given is
 * readable. */
int om_conf_check_http_auth(const char *block, const om_http_auth *auth);
int om_conf_check_utf8(const char *block, const char *option,
                       const char *value);

void om_conf_strings_free(char **list, size_t num);

#endif

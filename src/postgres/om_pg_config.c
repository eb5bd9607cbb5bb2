/* Parsing and checking a <Postgres "name"> block. */
#include "om_pg_config.h"
#include "om_conf.h"
#include "om_log.h"
#include "om_pg_map.h"
#include "om_text.h"
#include "om_types.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void om_pg_config_free(void *p) {
  om_pg_config *cfg = p;
  if (cfg == NULL)
    return;
  om_block_conf_free(&cfg->block);
  char **strings[] = {
      &cfg->host,     &cfg->port,     &cfg->user,     &cfg->password_file,
      &cfg->service,  &cfg->database, &cfg->ssl_mode, &cfg->ssl_root_cert,
      &cfg->ssl_cert, &cfg->ssl_key,  &cfg->instance, &cfg->namespace_,
      &cfg->engine,
  };
  for (size_t i = 0; i < OM_LEN(strings); i++)
    free(*strings[i]);
  om_conf_strings_free(cfg->include_db, cfg->include_db_num);
  om_conf_strings_free(cfg->exclude_db, cfg->exclude_db_num);
  free(cfg);
}

bool om_pg_engine_is_postgres(const om_pg_config *cfg) {
  return strcmp(cfg->engine, OM_PG_DEFAULT_ENGINE) == 0;
}

bool om_pg_database_selected(const om_pg_config *cfg, const char *datname,
                             bool is_template) {
  const char *const *include = (const char *const *)cfg->include_db;
  const char *const *exclude = (const char *const *)cfg->exclude_db;
  bool in = cfg->include_db_num > 0
                ? om_glob_any(include, cfg->include_db_num, datname)
                : !is_template;
  return in && !om_glob_any(exclude, cfg->exclude_db_num, datname);
}

/* Port 5432 or Port "5432". */
static int read_port(om_pg_config *cfg, const oconfig_item_t *ci) {
  if (ci->values_num == 1 && ci->values[0].type == OCONFIG_TYPE_STRING) {
    const char *s = ci->values[0].value.string;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno == 0 && end != s && *end == '\0' && v >= 1 && v <= 65535)
      return om_conf_string(ci, cfg->block.id, &cfg->port);
    om_log(OM_LOG_ERR, cfg->block.id,
           "option \"Port\" needs a port number from 1 to 65535, got \"%s\"",
           s);
    return -1;
  }
  uint64_t v;
  if (om_conf_uint(ci, cfg->block.id, 1, 65535, &v) != 0)
    return -1;
  char digits[8];
  snprintf(digits, sizeof(digits), "%u", (unsigned)v);
  char *copy = strdup(digits);
  if (copy == NULL)
    return -1;
  free(cfg->port);
  cfg->port = copy;
  return 0;
}

static int read_ssl_mode(om_pg_config *cfg, const oconfig_item_t *ci) {
  static const char *const modes[] = {"disable", "allow",     "prefer",
                                      "require", "verify-ca", "verify-full"};
  if (om_conf_string(ci, cfg->block.id, &cfg->ssl_mode) != 0)
    return -1;
  for (size_t i = 0; i < OM_LEN(modes); i++)
    if (strcmp(cfg->ssl_mode, modes[i]) == 0)
      return 0;
  om_log(OM_LOG_ERR, cfg->block.id,
         "option \"SSLMode\": \"%s\" is not one of disable, allow, prefer, "
         "require, verify-ca, verify-full",
         cfg->ssl_mode);
  return -1;
}

#define T om_pg_config
static const om_option OPTIONS[] = {
    OM_BLOCK_FAMILY_OPTIONS(T),
    OM_OPTION(T, "Host", OM_OPTION_STRING, host),
    OM_OPTION(T, "User", OM_OPTION_STRING, user),
    OM_OPTION(T, "PasswordFile", OM_OPTION_STRING, password_file),
    OM_OPTION(T, "Service", OM_OPTION_STRING, service),
    OM_OPTION(T, "Database", OM_OPTION_STRING, database),
    OM_OPTION(T, "SSLRootCert", OM_OPTION_STRING, ssl_root_cert),
    OM_OPTION(T, "SSLCert", OM_OPTION_STRING, ssl_cert),
    OM_OPTION(T, "SSLKey", OM_OPTION_STRING, ssl_key),
    OM_OPTION(T, "Instance", OM_OPTION_STRING, instance),
    OM_OPTION(T, "Namespace", OM_OPTION_STRING, namespace_),
    OM_OPTION(T, "Engine", OM_OPTION_STRING, engine),
    OM_OPTION(T, "PerInstance", OM_OPTION_BOOL, per_instance),
    OM_OPTION(T, "ConnectTimeout", OM_OPTION_SECONDS, connect_timeout_s),
    OM_OPTION(T, "StatementTimeout", OM_OPTION_SECONDS, statement_timeout_s),
    OM_OPTION_LIST(T, "IncludeDatabase", include_db, include_db_num),
    OM_OPTION_LIST(T, "ExcludeDatabase", exclude_db, exclude_db_num),
    OM_OPTION_RANGE(T, "MaxRows", OM_OPTION_SIZE, max_rows, 1,
                    OM_PG_MAX_MAX_ROWS),
};
#undef T

/* The options that take more than a type: Port, SSLMode, and Password,
 * which is refused. */
static int parse_option(void *p, const oconfig_item_t *ci) {
  om_pg_config *cfg = p;
  const char *b = cfg->block.id;
  const char *k = ci->key;
  if (strcasecmp(k, "Port") == 0)
    return read_port(cfg, ci);
  if (strcasecmp(k, "SSLMode") == 0)
    return read_ssl_mode(cfg, ci);
  if (strcasecmp(k, "Password") == 0) {
    om_log(OM_LOG_ERR, b,
           "option \"Password\" is not supported: a password in the "
           "configuration ends up in backups and process listings; use "
           "\"PasswordFile\", \"Service\" or libpq's .pgpass");
    return -1;
  }
  return om_conf_unknown(ci, b);
}

static int resolve_timeouts(om_pg_config *cfg, double interval_s) {
  om_block_timeout limits[] = {
      {"ConnectTimeout", &cfg->connect_timeout_s, OM_PG_TIMEOUT_SHARE,
       OM_PG_DEFAULT_TIMEOUT_CAP},
      {"StatementTimeout", &cfg->statement_timeout_s, OM_PG_TIMEOUT_SHARE,
       OM_PG_DEFAULT_TIMEOUT_CAP},
  };
  return om_block_timeouts(&cfg->block, limits, 2, interval_s);
}

/* Defaults and the checks that span several options. */
static int finish(void *p, double interval_s) {
  om_pg_config *cfg = p;
  const char *b = cfg->block.id;
  if ((cfg->ssl_cert == NULL) != (cfg->ssl_key == NULL)) {
    om_log(OM_LOG_ERR, b,
           "options \"SSLCert\" and \"SSLKey\" go together: set both or "
           "neither");
    return -1;
  }
  if (cfg->password_file != NULL && cfg->service != NULL)
    om_log(OM_LOG_NOTICE, b,
           "both \"PasswordFile\" and \"Service\" are set; the password "
           "file's password takes precedence over the service's");
  if (om_conf_check_readable(b, "PasswordFile", cfg->password_file) != 0 ||
      om_conf_check_readable(b, "SSLRootCert", cfg->ssl_root_cert) != 0 ||
      om_conf_check_readable(b, "SSLCert", cfg->ssl_cert) != 0 ||
      om_conf_check_readable(b, "SSLKey", cfg->ssl_key) != 0 ||
      om_conf_check_utf8(b, "Instance", cfg->instance) != 0 ||
      om_conf_check_utf8(b, "Namespace", cfg->namespace_) != 0 ||
      om_conf_check_utf8(b, "Engine", cfg->engine) != 0 ||
      resolve_timeouts(cfg, interval_s) != 0)
    return -1;
  om_conf_warn_if_shared(b, "PasswordFile", cfg->password_file);
  if (om_conf_default_string(&cfg->instance, cfg->block.name) != 0 ||
      om_conf_default_string(&cfg->engine, OM_PG_DEFAULT_ENGINE) != 0 ||
      (cfg->service == NULL &&
       om_conf_default_string(&cfg->database, OM_PG_DEFAULT_DATABASE) != 0)) {
    om_log(OM_LOG_ERR, b, "out of memory");
    return -1;
  }
  /* the server's own info series, before the server tells its version */
  om_label l[] = {om_label_cstr("instance", cfg->instance),
                  om_label_cstr("namespace", cfg->namespace_),
                  om_label_cstr("engine", cfg->engine),
                  om_label_cstr("host", cfg->host),
                  om_label_cstr("port", cfg->port),
                  om_label_cstr("phase", "Failed")};
  return om_block_check_fits(&cfg->block,
                             "option \"Instance\", \"Namespace\", "
                             "\"Engine\" or \"Host\" is",
                             "dbops_instance_info", l, OM_LEN(l));
}

static const char *const REPEATABLE[] = {"IncludeDatabase", "ExcludeDatabase",
                                         "Include", "Exclude", NULL};

static void init(void *p) {
  om_pg_config *cfg = p;
  cfg->max_rows = OM_PG_DEFAULT_MAX_ROWS;
}

const om_block_syntax om_pg_syntax = {"Postgres",
                                      "postgres",
                                      sizeof(om_pg_config),
                                      init,
                                      OPTIONS,
                                      OM_LEN(OPTIONS),
                                      REPEATABLE,
                                      parse_option,
                                      finish,
                                      om_pg_config_free,
                                      NULL};

void om_pg_claims(const void *p, om_claims *out) {
  const om_pg_config *cfg = p;
  om_scope server = {0}, counts = {0};
  server.dim[OM_DIM_NAMESPACE] =
      om_scope_one((const char *const *)&cfg->namespace_);
  server.dim[OM_DIM_INSTANCE] =
      om_scope_one((const char *const *)&cfg->instance);
  counts.dim[OM_DIM_NAMESPACE] = server.dim[OM_DIM_NAMESPACE];
  om_claims_add_families(out, &cfg->block, "postgres", om_pg_families,
                         cfg->per_instance ? NULL : om_pg_summed_families,
                         &server, &counts);
}

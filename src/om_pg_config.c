/* Parsing and checking a <Postgres "name"> block. */
#include "om_conf.h"
#include "om_encode.h"
#include "om_log.h"
#include "om_postgres.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void om_pg_config_free(om_pg_config *cfg) {
  if (cfg == NULL)
    return;
  char **strings[] = {
      &cfg->name,     &cfg->block_id,      &cfg->host,     &cfg->port,
      &cfg->user,     &cfg->password_file, &cfg->service,  &cfg->database,
      &cfg->ssl_mode, &cfg->ssl_root_cert, &cfg->ssl_cert, &cfg->ssl_key,
      &cfg->instance, &cfg->namespace_,    &cfg->engine,
  };
  for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
    free(*strings[i]);
  om_conf_strings_free(cfg->include_db, cfg->include_db_num);
  om_conf_strings_free(cfg->exclude_db, cfg->exclude_db_num);
  free(cfg);
}

bool om_pg_engine_is_postgres(const om_pg_config *cfg) {
  return strcmp(cfg->engine, OM_PG_DEFAULT_ENGINE) == 0;
}

static bool matches_any(char *const *patterns, size_t num, const char *s) {
  for (size_t i = 0; i < num; i++)
    if (fnmatch(patterns[i], s, 0) == 0)
      return true;
  return false;
}

bool om_pg_database_selected(const om_pg_config *cfg, const char *datname,
                             bool is_template) {
  bool in = cfg->include_db_num > 0
                ? matches_any(cfg->include_db, cfg->include_db_num, datname)
                : !is_template;
  return in && !matches_any(cfg->exclude_db, cfg->exclude_db_num, datname);
}

/* Port 5432 or Port "5432". */
static int read_port(om_pg_config *cfg, const oconfig_item_t *ci) {
  if (ci->values_num == 1 && ci->values[0].type == OCONFIG_TYPE_STRING) {
    const char *s = ci->values[0].value.string;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno == 0 && end != s && *end == '\0' && v >= 1 && v <= 65535)
      return om_conf_string(ci, cfg->block_id, &cfg->port);
    om_log(OM_LOG_ERR, cfg->block_id,
           "option \"Port\" needs a port number from 1 to 65535, got \"%s\"",
           s);
    return -1;
  }
  uint64_t v;
  if (om_conf_uint(ci, cfg->block_id, 1, 65535, &v) != 0)
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
  if (om_conf_string(ci, cfg->block_id, &cfg->ssl_mode) != 0)
    return -1;
  for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
    if (strcmp(cfg->ssl_mode, modes[i]) == 0)
      return 0;
  om_log(OM_LOG_ERR, cfg->block_id,
         "option \"SSLMode\": \"%s\" is not one of disable, allow, prefer, "
         "require, verify-ca, verify-full",
         cfg->ssl_mode);
  return -1;
}

static int read_max_rows(om_pg_config *cfg, const oconfig_item_t *ci) {
  uint64_t v;
  if (om_conf_uint(ci, cfg->block_id, 1, OM_PG_MAX_MAX_ROWS, &v) != 0)
    return -1;
  cfg->max_rows = (size_t)v;
  return 0;
}

#define STRING_OPTION(key, field) OM_CONF_STRING_FIELD(om_pg_config, key, field)
static const om_conf_string_field string_options[] = {
    STRING_OPTION("Host", host),
    STRING_OPTION("User", user),
    STRING_OPTION("PasswordFile", password_file),
    STRING_OPTION("Service", service),
    STRING_OPTION("Database", database),
    STRING_OPTION("SSLRootCert", ssl_root_cert),
    STRING_OPTION("SSLCert", ssl_cert),
    STRING_OPTION("SSLKey", ssl_key),
    STRING_OPTION("Instance", instance),
    STRING_OPTION("Namespace", namespace_),
    STRING_OPTION("Engine", engine),
};

static int parse_option(void *p, const oconfig_item_t *ci) {
  om_pg_config *cfg = p;
  const char *b = cfg->block_id;
  const char *k = ci->key;
  int rc =
      om_conf_string_fields(ci, b, cfg, string_options,
                            sizeof(string_options) / sizeof(string_options[0]));
  if (rc != 1)
    return rc;
  if (strcasecmp(k, "Port") == 0)
    return read_port(cfg, ci);
  if (strcasecmp(k, "SSLMode") == 0)
    return read_ssl_mode(cfg, ci);
  if (strcasecmp(k, "ConnectTimeout") == 0)
    return om_conf_seconds(ci, b, &cfg->connect_timeout_s);
  if (strcasecmp(k, "StatementTimeout") == 0)
    return om_conf_seconds(ci, b, &cfg->statement_timeout_s);
  if (strcasecmp(k, "Interval") == 0)
    return om_conf_seconds(ci, b, &cfg->interval_s);
  if (strcasecmp(k, "IncludeDatabase") == 0)
    return om_conf_strings_append(ci, b, &cfg->include_db,
                                  &cfg->include_db_num);
  if (strcasecmp(k, "ExcludeDatabase") == 0)
    return om_conf_strings_append(ci, b, &cfg->exclude_db,
                                  &cfg->exclude_db_num);
  if (strcasecmp(k, "MaxRows") == 0)
    return read_max_rows(cfg, ci);
  if (strcasecmp(k, "Password") == 0) {
    om_log(OM_LOG_ERR, b,
           "option \"Password\" is not supported: a password in the "
           "configuration ends up in backups and process listings; use "
           "\"PasswordFile\", \"Service\" or libpq's .pgpass");
    return -1;
  }
  return om_conf_unknown(ci, b);
}

/* A password file others can read is worth a warning, not a refusal. */
static void warn_if_shared(const om_pg_config *cfg, const char *path) {
  struct stat st;
  if (path == NULL || stat(path, &st) != 0 || (st.st_mode & 077) == 0)
    return;
  om_log(OM_LOG_WARNING, cfg->block_id,
         "option \"PasswordFile\": \"%s\" can be read by its group or "
         "others (mode %04o); make it readable by collectd's user only "
         "(chmod 600)",
         path, (unsigned)(st.st_mode & 07777));
}

static int resolve_timeouts(om_pg_config *cfg, double default_interval_s) {
  double interval = cfg->interval_s > 0 ? cfg->interval_s : default_interval_s;
  double share = interval * OM_PG_TIMEOUT_SHARE;
  double dflt =
      share < OM_PG_DEFAULT_TIMEOUT_CAP ? share : OM_PG_DEFAULT_TIMEOUT_CAP;
  if (cfg->connect_timeout_s == 0)
    cfg->connect_timeout_s = dflt;
  if (cfg->statement_timeout_s == 0)
    cfg->statement_timeout_s = dflt;
  if (cfg->connect_timeout_s + cfg->statement_timeout_s > interval) {
    om_log(OM_LOG_ERR, cfg->block_id,
           "options \"ConnectTimeout\" (%g s) and \"StatementTimeout\" (%g s) "
           "together must not exceed the interval (%g s)",
           cfg->connect_timeout_s, cfg->statement_timeout_s, interval);
    return -1;
  }
  return 0;
}

/* Defaults and the checks that span several options. */
static int finish(om_pg_config *cfg, double default_interval_s) {
  const char *b = cfg->block_id;
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
      resolve_timeouts(cfg, default_interval_s) != 0)
    return -1;
  warn_if_shared(cfg, cfg->password_file);
  if (om_conf_default_string(&cfg->instance, cfg->name) != 0 ||
      om_conf_default_string(&cfg->engine, OM_PG_DEFAULT_ENGINE) != 0 ||
      (cfg->service == NULL &&
       om_conf_default_string(&cfg->database, OM_PG_DEFAULT_DATABASE) != 0)) {
    om_log(OM_LOG_ERR, b, "out of memory");
    return -1;
  }
  return 0;
}

om_pg_config *om_pg_config_parse(const oconfig_item_t *ci,
                                 double default_interval_s) {
  om_pg_config *cfg = calloc(1, sizeof(*cfg));
  if (cfg == NULL) {
    om_log(OM_LOG_ERR, NULL, "<Postgres> block: out of memory");
    return NULL;
  }
  cfg->max_rows = OM_PG_DEFAULT_MAX_ROWS;
  if (om_conf_block_id(ci, "postgres", &cfg->name, &cfg->block_id) != 0 ||
      om_conf_each_option(ci, cfg, parse_option) != 0 ||
      finish(cfg, default_interval_s) != 0) {
    om_pg_config_free(cfg);
    return NULL;
  }
  return cfg;
}

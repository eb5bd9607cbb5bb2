/* Parsing and checking a <Backup "name"> block. */
#include "om_backup_config.h"
#include "om_backup_map.h"
#include "om_conf.h"
#include "om_file.h"
#include "om_log.h"
#include "om_text.h"
#include "om_types.h"
#include "om_tz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void om_backup_config_free(void *p) {
  om_backup_config *cfg = p;
  if (cfg == NULL)
    return;
  om_block_conf_free(&cfg->block);
  char **strings[] = {
      &cfg->file,         &cfg->path,       &cfg->pattern,
      &cfg->database,     &cfg->namespace_, &cfg->engine,
      &cfg->storage_type, &cfg->schedule,   &cfg->time_zone,
  };
  for (size_t i = 0; i < OM_LEN(strings); i++)
    free(*strings[i]);
  om_conf_strings_free(cfg->command, cfg->command_num);
  om_conf_strings_free(cfg->stanzas, cfg->stanzas_num);
  om_tz_free((om_tz *)cfg->sched.tz);
  free(cfg);
}

bool om_backup_stanza_selected(const om_backup_config *cfg, const char *name) {
  if (cfg->stanzas_num == 0)
    return true;
  for (size_t i = 0; i < cfg->stanzas_num; i++)
    if (strcmp(cfg->stanzas[i], name) == 0)
      return true;
  return false;
}

static int read_type(om_backup_config *cfg, const oconfig_item_t *ci) {
  char *type = NULL;
  if (om_conf_string(ci, cfg->block.id, &type) != 0)
    return -1;
  int rc = 0;
  if (strcasecmp(type, "pgbackrest") == 0) {
    cfg->type = OM_BACKUP_PGBACKREST;
  } else if (strcasecmp(type, "directory") == 0) {
    cfg->type = OM_BACKUP_DIRECTORY;
  } else {
    om_log(OM_LOG_ERR, cfg->block.id,
           "option \"Type\": \"%s\" is not one of pgbackrest, directory", type);
    rc = -1;
  }
  free(type);
  return rc;
}

/* Command "/usr/bin/pgbackrest" "--stanza=main" "info" "--output=json" */
static int read_command(om_backup_config *cfg, const oconfig_item_t *ci) {
  const char *b = cfg->block.id;
  if (ci->values_num > OM_BACKUP_MAX_ARGS) {
    om_log(OM_LOG_ERR, b, "option \"Command\": more than %d arguments",
           OM_BACKUP_MAX_ARGS);
    return -1;
  }
  if (om_conf_strings_append(ci, b, &cfg->command, &cfg->command_num) != 0)
    return -1;
  char **argv = realloc(cfg->command, (cfg->command_num + 1) * sizeof(*argv));
  if (argv == NULL)
    return -1;
  argv[cfg->command_num] = NULL;
  cfg->command = argv;
  const char *prog = argv[0];
  if (prog[0] != '/') {
    om_log(OM_LOG_ERR, b,
           "option \"Command\": \"%s\" is not an absolute path; the command "
           "is started without a shell and without a PATH search",
           prog);
    return -1;
  }
  if (access(prog, X_OK) != 0) {
    om_log(OM_LOG_ERR, b, "option \"Command\": cannot execute \"%s\": %s", prog,
           strerror(errno));
    return -1;
  }
  return 0;
}

#define T om_backup_config
static const om_option OPTIONS[] = {
    OM_BLOCK_FAMILY_OPTIONS(T),
    OM_OPTION(T, "File", OM_OPTION_STRING, file),
    OM_OPTION(T, "Path", OM_OPTION_STRING, path),
    OM_OPTION(T, "Pattern", OM_OPTION_STRING, pattern),
    OM_OPTION(T, "Database", OM_OPTION_STRING, database),
    OM_OPTION(T, "Namespace", OM_OPTION_STRING, namespace_),
    OM_OPTION(T, "Engine", OM_OPTION_STRING, engine),
    OM_OPTION(T, "StorageType", OM_OPTION_STRING, storage_type),
    OM_OPTION(T, "PerDatabase", OM_OPTION_BOOL, per_database),
    OM_OPTION(T, "Schedule", OM_OPTION_STRING, schedule),
    OM_OPTION(T, "TimeZone", OM_OPTION_STRING, time_zone),
    OM_OPTION_LIST(T, "Stanza", stanzas, stanzas_num),
    OM_OPTION(T, "Timeout", OM_OPTION_SECONDS, timeout_s),
    OM_OPTION(T, "ScheduleWindow", OM_OPTION_SECONDS, sched.window_s),
    OM_OPTION(T, "Paused", OM_OPTION_BOOL, sched.paused),
    OM_OPTION_RANGE(T, "MinSize", OM_OPTION_UINT64, min_size, 0,
                    (uint64_t)1 << 53),
    OM_OPTION_RANGE(T, "MaxOutputBytes", OM_OPTION_SIZE, max_output, 1024,
                    OM_BACKUP_MAX_MAX_OUTPUT),
    OM_OPTION_RANGE(T, "MaxBackups", OM_OPTION_SIZE, max_backups, 0,
                    OM_BACKUP_MAX_MAX_BACKUPS),
    OM_OPTION_RANGE(T, "MaxFiles", OM_OPTION_SIZE, max_files, 1,
                    OM_BACKUP_MAX_ITEMS),
};
#undef T

/* The options that take more than a type: Type and Command. */
static int parse_option(void *p, const oconfig_item_t *ci) {
  om_backup_config *cfg = p;
  if (strcasecmp(ci->key, "Type") == 0)
    return read_type(cfg, ci);
  if (strcasecmp(ci->key, "Command") == 0)
    return read_command(cfg, ci);
  return om_conf_unknown(ci, cfg->block.id);
}

/* --- checks across options ---------------------------------------------- */

static int refuse(const om_backup_config *cfg, const char *msg) {
  om_log(OM_LOG_ERR, cfg->block.id, "%s", msg);
  return -1;
}

static int check_pgbackrest(om_backup_config *cfg) {
  if ((cfg->command == NULL) == (cfg->file == NULL))
    return refuse(cfg, "Type \"pgbackrest\" needs exactly one of \"Command\" "
                       "and \"File\"");
  if (cfg->path != NULL || cfg->pattern != NULL || cfg->min_size != 0)
    return refuse(cfg, "options \"Path\", \"Pattern\" and \"MinSize\" belong "
                       "to Type \"directory\"");
  if (cfg->database != NULL && cfg->stanzas_num != 1)
    return refuse(cfg, "option \"Database\" renames one stanza: give exactly "
                       "one \"Stanza\" with it");
  return 0;
}

static int check_directory(om_backup_config *cfg) {
  if (cfg->path == NULL)
    return refuse(cfg, "Type \"directory\" needs \"Path\"");
  if (cfg->command != NULL || cfg->file != NULL || cfg->stanzas_num > 0)
    return refuse(cfg, "options \"Command\", \"File\" and \"Stanza\" belong "
                       "to Type \"pgbackrest\"");
  if (cfg->min_size == 0)
    cfg->min_size = 1; /* an empty dump is a failed one */
  return 0;
}

static int resolve_timeout(om_backup_config *cfg, double interval_s) {
  om_block_timeout timeout = {"Timeout", &cfg->timeout_s,
                              OM_BACKUP_TIMEOUT_SHARE,
                              OM_BACKUP_DEFAULT_TIMEOUT_CAP};
  return om_block_timeouts(&cfg->block, &timeout, 1, interval_s);
}

static om_tz *load_zone(const om_backup_config *cfg) {
  const char *name = cfg->time_zone;
  char path[512], err[700];
  if (!om_tz_name_valid(name)) {
    om_log(OM_LOG_ERR, cfg->block.id,
           "option \"TimeZone\": \"%s\" is not a zone name such as "
           "\"Europe/Berlin\"",
           name);
    return NULL;
  }
  snprintf(path, sizeof(path), "%s/%s", OM_BACKUP_ZONEINFO_DIR, name);
  om_buf data = OM_BUF_INIT;
  int error;
  if (om_read_file(path, OM_TZ_MAX_FILE_BYTES, &data, &error, err,
                   sizeof(err)) != 0) {
    om_log(OM_LOG_ERR, cfg->block.id, "option \"TimeZone\": %s", err);
    return NULL;
  }
  om_tz *tz =
      om_tz_parse((const unsigned char *)data.data, data.len, err, sizeof(err));
  om_buf_clear(&data, true);
  if (tz == NULL)
    om_log(OM_LOG_ERR, cfg->block.id, "option \"TimeZone\": \"%s\": %s", path,
           err);
  return tz;
}

static int check_schedule(om_backup_config *cfg) {
  const char *b = cfg->block.id;
  char err[256];
  if (cfg->schedule == NULL) {
    if (cfg->time_zone != NULL || cfg->sched.window_s > 0 || cfg->sched.paused)
      return refuse(cfg, "options \"TimeZone\", \"ScheduleWindow\" and "
                         "\"Paused\" need a \"Schedule\"");
    return 0;
  }
  if (om_cron_parse(cfg->schedule, &cfg->sched.cron, err, sizeof(err)) != 0) {
    om_log(OM_LOG_ERR, b, "option \"Schedule\": \"%s\": %s", cfg->schedule,
           err);
    return -1;
  }
  if (cfg->time_zone != NULL && strcmp(cfg->time_zone, "UTC") != 0 &&
      (cfg->sched.tz = load_zone(cfg)) == NULL)
    return -1;
  if (om_cron_next(&cfg->sched.cron, cfg->sched.tz, (int64_t)time(NULL)) < 0) {
    om_log(OM_LOG_ERR, b,
           "option \"Schedule\": \"%s\" never fires (no such date)",
           cfg->schedule);
    return -1;
  }
  return 0;
}

static int finish(void *p, double interval_s) {
  om_backup_config *cfg = p;
  const char *b = cfg->block.id;
  if (cfg->type != OM_BACKUP_PGBACKREST && cfg->type != OM_BACKUP_DIRECTORY)
    return refuse(cfg, "option \"Type\" (pgbackrest or directory) is "
                       "required");
  int rc = cfg->type == OM_BACKUP_PGBACKREST ? check_pgbackrest(cfg)
                                             : check_directory(cfg);
  if (rc != 0 || check_schedule(cfg) != 0 ||
      resolve_timeout(cfg, interval_s) != 0 ||
      om_conf_check_utf8(b, "Database", cfg->database) != 0 ||
      om_conf_check_utf8(b, "Namespace", cfg->namespace_) != 0 ||
      om_conf_check_utf8(b, "Engine", cfg->engine) != 0 ||
      om_conf_check_utf8(b, "StorageType", cfg->storage_type) != 0 ||
      om_conf_check_utf8(b, "Schedule", cfg->schedule) != 0)
    return -1;
  if (om_conf_default_string(&cfg->engine, OM_BACKUP_DEFAULT_ENGINE) != 0 ||
      om_conf_default_string(&cfg->storage_type, OM_BACKUP_DEFAULT_STORAGE) !=
          0 ||
      om_conf_default_string(&cfg->namespace_, "") != 0 ||
      (cfg->type == OM_BACKUP_DIRECTORY &&
       (om_conf_default_string(&cfg->database, cfg->block.name) != 0 ||
        om_conf_default_string(&cfg->pattern, "*") != 0)))
    return refuse(cfg, "out of memory");
  om_label l[] = {om_label_cstr("engine", cfg->engine),
                  om_label_cstr("status", "failure"),
                  om_label_cstr("namespace", cfg->namespace_),
                  om_label_cstr("database", cfg->database)};
  return om_block_check_fits(&cfg->block,
                             "option \"Engine\", \"Namespace\" or "
                             "\"Database\" is",
                             "dbops_backup_operations_total", l, OM_LEN(l));
}

static const char *const REPEATABLE[] = {"Stanza", "Include", "Exclude", NULL};

static void init(void *p) {
  om_backup_config *cfg = p;
  cfg->type = (om_backup_type)-1;
  cfg->max_output = OM_BACKUP_DEFAULT_MAX_OUTPUT;
  cfg->max_backups = OM_BACKUP_DEFAULT_MAX_BACKUPS;
  cfg->max_files = OM_BACKUP_DEFAULT_MAX_FILES;
}

const om_block_syntax om_backup_syntax = {"Backup",
                                          "backup",
                                          sizeof(om_backup_config),
                                          init,
                                          OPTIONS,
                                          OM_LEN(OPTIONS),
                                          REPEATABLE,
                                          parse_option,
                                          finish,
                                          om_backup_config_free,
                                          NULL};

/* The databases a block reports: Database, its Stanza options, or those
 * its source lists. */
static om_scope_dim databases_of(const om_backup_config *cfg) {
  if (cfg->database != NULL)
    return om_scope_one((const char *const *)&cfg->database);
  if (cfg->stanzas_num > 0)
    return (om_scope_dim){OM_SCOPE_VALUES, (const char *const *)cfg->stanzas,
                          cfg->stanzas_num};
  return (om_scope_dim){OM_SCOPE_UNKNOWN, NULL, 0};
}

void om_backup_claims(const void *p, om_claims *out) {
  const om_backup_config *cfg = p;
  om_scope each = {0}, sums = {0};
  each.dim[OM_DIM_NAMESPACE] =
      om_scope_one((const char *const *)&cfg->namespace_);
  each.dim[OM_DIM_DATABASE] = databases_of(cfg);
  sums.dim[OM_DIM_NAMESPACE] = each.dim[OM_DIM_NAMESPACE];
  const char *const *summed =
      cfg->per_database ? NULL : om_backup_summed_families;
  om_claims_add_families(out, &cfg->block, "backup", om_backup_families, summed,
                         &each, &sums);
  if (cfg->schedule != NULL)
    om_claims_add_families(out, &cfg->block, "backup",
                           om_backup_schedule_families, summed, &each, &sums);
}

/* Parsing and checking a <Backup "name"> block. */
#include "om_backup.h"
#include "om_conf.h"
#include "om_file.h"
#include "om_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void om_backup_config_free(om_backup_config *cfg) {
  if (cfg == NULL)
    return;
  char **strings[] = {
      &cfg->name,         &cfg->block_id, &cfg->file,       &cfg->path,
      &cfg->pattern,      &cfg->database, &cfg->namespace_, &cfg->engine,
      &cfg->storage_type, &cfg->schedule, &cfg->time_zone,
  };
  for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
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
  if (om_conf_string(ci, cfg->block_id, &type) != 0)
    return -1;
  int rc = 0;
  if (strcasecmp(type, "pgbackrest") == 0) {
    cfg->type = OM_BACKUP_PGBACKREST;
  } else if (strcasecmp(type, "directory") == 0) {
    cfg->type = OM_BACKUP_DIRECTORY;
  } else {
    om_log(OM_LOG_ERR, cfg->block_id,
           "option \"Type\": \"%s\" is not one of pgbackrest, directory", type);
    rc = -1;
  }
  free(type);
  return rc;
}

/* Command "/usr/bin/pgbackrest" "--stanza=main" "info" "--output=json" */
static int read_command(om_backup_config *cfg, const oconfig_item_t *ci) {
  const char *b = cfg->block_id;
  if (cfg->command != NULL) {
    om_log(OM_LOG_ERR, b, "%s", "option \"Command\" is given twice");
    return -1;
  }
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

#define STRING_OPTION(key, field)                                              \
  OM_CONF_STRING_FIELD(om_backup_config, key, field)
static const om_conf_string_field string_options[] = {
    STRING_OPTION("File", file),
    STRING_OPTION("Path", path),
    STRING_OPTION("Pattern", pattern),
    STRING_OPTION("Database", database),
    STRING_OPTION("Namespace", namespace_),
    STRING_OPTION("Engine", engine),
    STRING_OPTION("StorageType", storage_type),
    STRING_OPTION("Schedule", schedule),
    STRING_OPTION("TimeZone", time_zone),
};

static int parse_option(void *p, const oconfig_item_t *ci) {
  om_backup_config *cfg = p;
  const char *b = cfg->block_id;
  const char *k = ci->key;
  int rc =
      om_conf_string_fields(ci, b, cfg, string_options,
                            sizeof(string_options) / sizeof(string_options[0]));
  if (rc != 1)
    return rc;
  if (strcasecmp(k, "Type") == 0)
    return read_type(cfg, ci);
  if (strcasecmp(k, "Command") == 0)
    return read_command(cfg, ci);
  if (strcasecmp(k, "Stanza") == 0)
    return om_conf_strings_append(ci, b, &cfg->stanzas, &cfg->stanzas_num);
  if (strcasecmp(k, "Timeout") == 0)
    return om_conf_seconds(ci, b, &cfg->timeout_s);
  if (strcasecmp(k, "Interval") == 0)
    return om_conf_seconds(ci, b, &cfg->interval_s);
  if (strcasecmp(k, "ScheduleWindow") == 0)
    return om_conf_seconds(ci, b, &cfg->sched.window_s);
  if (strcasecmp(k, "Paused") == 0)
    return om_conf_bool(ci, b, &cfg->sched.paused);
  if (strcasecmp(k, "MinSize") == 0)
    return om_conf_uint(ci, b, 0, (uint64_t)1 << 53, &cfg->min_size);
  if (strcasecmp(k, "MaxOutputBytes") == 0)
    return om_conf_size(ci, b, 1024, OM_BACKUP_MAX_MAX_OUTPUT,
                        &cfg->max_output);
  if (strcasecmp(k, "MaxBackups") == 0)
    return om_conf_size(ci, b, 0, OM_BACKUP_MAX_MAX_BACKUPS, &cfg->max_backups);
  if (strcasecmp(k, "MaxFiles") == 0)
    return om_conf_size(ci, b, 1, OM_BACKUP_MAX_ITEMS, &cfg->max_files);
  return om_conf_unknown(ci, b);
}

/* --- checks across options ---------------------------------------------- */

static int refuse(const om_backup_config *cfg, const char *msg) {
  om_log(OM_LOG_ERR, cfg->block_id, "%s", msg);
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

static int resolve_timeout(om_backup_config *cfg, double default_interval_s) {
  double interval = cfg->interval_s > 0 ? cfg->interval_s : default_interval_s;
  if (cfg->timeout_s == 0) {
    double share = interval * OM_BACKUP_TIMEOUT_SHARE;
    cfg->timeout_s = share < OM_BACKUP_DEFAULT_TIMEOUT_CAP
                         ? share
                         : OM_BACKUP_DEFAULT_TIMEOUT_CAP;
  }
  if (cfg->timeout_s >= interval) {
    om_log(OM_LOG_ERR, cfg->block_id,
           "option \"Timeout\" (%g s) must be shorter than the interval "
           "(%g s)",
           cfg->timeout_s, interval);
    return -1;
  }
  return 0;
}

static om_tz *load_zone(const om_backup_config *cfg) {
  const char *name = cfg->time_zone;
  char path[512], err[700];
  if (!om_tz_name_valid(name)) {
    om_log(OM_LOG_ERR, cfg->block_id,
           "option \"TimeZone\": \"%s\" is not a zone name such as "
           "\"Europe/Berlin\"",
           name);
    return NULL;
  }
  snprintf(path, sizeof(path), "%s/%s", OM_BACKUP_ZONEINFO_DIR, name);
  size_t len = 0;
  int error;
  char *data =
      om_read_file(path, OM_TZ_MAX_FILE_BYTES, &len, &error, err, sizeof(err));
  if (data == NULL) {
    om_log(OM_LOG_ERR, cfg->block_id, "option \"TimeZone\": %s", err);
    return NULL;
  }
  om_tz *tz = om_tz_parse((const unsigned char *)data, len, err, sizeof(err));
  free(data);
  if (tz == NULL)
    om_log(OM_LOG_ERR, cfg->block_id, "option \"TimeZone\": \"%s\": %s", path,
           err);
  return tz;
}

static int check_schedule(om_backup_config *cfg) {
  const char *b = cfg->block_id;
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

static int finish(om_backup_config *cfg, double default_interval_s) {
  const char *b = cfg->block_id;
  if (cfg->type != OM_BACKUP_PGBACKREST && cfg->type != OM_BACKUP_DIRECTORY)
    return refuse(cfg, "option \"Type\" (pgbackrest or directory) is "
                       "required");
  int rc = cfg->type == OM_BACKUP_PGBACKREST ? check_pgbackrest(cfg)
                                             : check_directory(cfg);
  if (rc != 0 || check_schedule(cfg) != 0 ||
      resolve_timeout(cfg, default_interval_s) != 0 ||
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
       (om_conf_default_string(&cfg->database, cfg->name) != 0 ||
        om_conf_default_string(&cfg->pattern, "*") != 0)))
    return refuse(cfg, "out of memory");
  return 0;
}

om_backup_config *om_backup_config_parse(const oconfig_item_t *ci,
                                         double default_interval_s) {
  om_backup_config *cfg = calloc(1, sizeof(*cfg));
  if (cfg == NULL) {
    om_log(OM_LOG_ERR, NULL, "<Backup> block: out of memory");
    return NULL;
  }
  cfg->type = (om_backup_type)-1;
  cfg->max_output = OM_BACKUP_DEFAULT_MAX_OUTPUT;
  cfg->max_backups = OM_BACKUP_DEFAULT_MAX_BACKUPS;
  cfg->max_files = OM_BACKUP_DEFAULT_MAX_FILES;
  if (om_conf_block_id(ci, "backup", &cfg->name, &cfg->block_id) != 0 ||
      om_conf_each_option(ci, cfg, parse_option) != 0 ||
      finish(cfg, default_interval_s) != 0) {
    om_backup_config_free(cfg);
    return NULL;
  }
  return cfg;
}

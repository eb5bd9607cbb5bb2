/* The <Backup> collector: backup freshness, size, duration and outcome from
 * pgBackRest's info JSON (a command it runs, or a file) or from a directory
 * of dump files, and the schedule those backups are expected to follow. */
#ifndef OM_BACKUP_H
#define OM_BACKUP_H

#include "liboconfig/oconfig.h"
#include "om_backup_stats.h"
#include "om_catalog.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_BACKUP_DEFAULT_ENGINE "postgres"
#define OM_BACKUP_DEFAULT_STORAGE "local"
#define OM_BACKUP_DEFAULT_MAX_OUTPUT (8u * 1024 * 1024)
#define OM_BACKUP_MAX_MAX_OUTPUT (256u * 1024 * 1024)
#define OM_BACKUP_DEFAULT_TIMEOUT_CAP 30.0
#define OM_BACKUP_TIMEOUT_SHARE 0.5 /* of the interval, by default */
#define OM_BACKUP_DEFAULT_MAX_BACKUPS 10u
#define OM_BACKUP_MAX_MAX_BACKUPS 10000u
#define OM_BACKUP_DEFAULT_MAX_FILES 100000u
#define OM_BACKUP_MAX_ARGS 64
#define OM_BACKUP_ZONEINFO_DIR "/usr/share/zoneinfo"

typedef enum { OM_BACKUP_PGBACKREST, OM_BACKUP_DIRECTORY } om_backup_type;

typedef struct {
  char *name;     /* the block's name */
  char *block_id; /* "backup/<name>" */
  om_backup_type type;
  /* pgbackrest */
  char **command; /* argv, NULL-terminated; NULL: File is used */
  size_t command_num;
  char *file;
  double timeout_s;
  size_t max_output; /* bytes of the command's output or the file */
  char **stanzas;    /* only these stanzas; none: all */
  size_t stanzas_num;
  /* directory */
  char *path;
  char *pattern;
  uint64_t min_size;
  size_t max_files;
  /* labels */
  char *database; /* pgbackrest: the one stanza's; directory: default name */
  char *namespace_;
  char *engine;
  char *storage_type;
  size_t max_backups;
  /* schedule */
  char *schedule; /* as written; NULL: none */
  char *time_zone;
  om_backup_schedule sched; /* sched.tz is owned here */
  double interval_s;        /* 0: collectd's interval */
} om_backup_config;

/* Parses a <Backup "name"> block; errors are logged naming the option and
 * the block, and NULL is returned. */
om_backup_config *om_backup_config_parse(const oconfig_item_t *ci,
                                         double default_interval_s);
void om_backup_config_free(om_backup_config *cfg);

/* Whether a stanza is reported (the Stanza options, if any, name it). */
bool om_backup_stanza_selected(const om_backup_config *cfg, const char *name);

/* The running collector; it takes ownership of cfg. */
typedef struct om_backup om_backup;
om_backup *om_backup_new(om_backup_config *cfg, const om_catalog *catalog);
void om_backup_free(void *b); /* a collectd user_data free_func */

#endif

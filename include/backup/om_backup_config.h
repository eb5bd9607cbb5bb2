/* backup/: includes core/, io/, collectd/ and backup/.
 *
 * The configuration of a <Backup "name"> block and its reader. */
#ifndef OM_BACKUP_CONFIG_H
#define OM_BACKUP_CONFIG_H

#include "om_backup_track.h"
#include "om_block.h"
#include "om_claims.h"

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
  om_block_conf block; /* name, id "backup/<name>", Interval */
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
  bool per_database; /* the sums by status keep their database label */
  /* schedule */
  char *schedule; /* as written; NULL: none */
  char *time_zone;
  om_backup_schedule sched; /* sched.tz is owned here */
} om_backup_config;

/* The <Backup "name"> block for om_block_parse(), which returns an
 * om_backup_config, or NULL after logging the error, naming the option and the
 * block. */
extern const om_block_syntax om_backup_syntax;

/* Frees a configuration and everything in it; NULL-tolerant. */
void om_backup_config_free(void *cfg);

/* The families the block sends, in its namespace, for its databases (the
 * Database, the Stanza options, or not known before a read); the sums by
 * status are the namespace's, which databases add up into. */
void om_backup_claims(const void *cfg, om_claims *out);

/* Whether a stanza is reported (the Stanza options, if any, name it). */
bool om_backup_stanza_selected(const om_backup_config *cfg, const char *name);

#endif

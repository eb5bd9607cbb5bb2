/* backup/, pure: includes core/ and backup/.
 *
 * The mapping of one database's tracked backups to dbops_* samples. */
#ifndef OM_BACKUP_MAP_H
#define OM_BACKUP_MAP_H

#include "om_backup_track.h"
#include "om_sink.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char *namespace_;
  const char *engine;
  const char *storage_type;
  const char *schedule_name; /* the block's name */
  const char *cron;          /* the Schedule as written; NULL: none */
  bool paused;
  size_t max_backups; /* dbops_backup_info series per set */
} om_backup_identity;

/* The dbops_backup_* and dbops_schedule* samples of one database: the
 * tracker's figures, and dbops_backup_info for the newest max_backups
 * items of set (NULL: the last listing could not be had). */
void om_backup_map(const om_backup_identity *id, const om_backup_tracker *t,
                   const om_backup_set *set, const om_sink *sink);

/* The families a <Backup> block sends, NULL-terminated: those of every
 * block, and those of a block with a Schedule. */
extern const char *const om_backup_families[];
extern const char *const om_backup_schedule_families[];

/* The families whose database label the documented series lacks: the
 * databases of a namespace add up (om_emitter_combine); NULL-terminated. */
extern const char *const om_backup_summed_families[];

#endif

/* backup/: includes core/, io/, collectd/ and backup/.
 *
 * The <Backup> collector: backup freshness, size, duration and outcome from
 * pgBackRest's info JSON (a command it runs, or a file) or from a directory
 * of dump files, and the schedule those backups are expected to follow. */
#ifndef OM_BACKUP_H
#define OM_BACKUP_H

#include "om_catalog.h"
#include "om_emitter.h"

/* The collector of a configuration (an om_backup_config, which it takes
 * over, and frees when it fails); NULL when out of memory. */
void *om_backup_new(void *config, const om_catalog *catalog);
/* One read of the block's listing; always 0 (a listing that cannot be had
 * is reported in operator_metrics_backup_source_state). */
int om_backup_read(void *backup);
/* Frees the collector and its configuration; NULL-tolerant. */
void om_backup_free(void *backup);

/* The collector's emitter (om_block_kind.emitter). */
om_emitter *om_backup_emitter(void *collector);

#endif

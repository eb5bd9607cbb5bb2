/* backup/, pure: includes core/ and backup/.
 *
 * Backups as the <Backup> collector sees them, apart from how they are
 * fetched: a listing of backup sets (one per pgBackRest stanza or dump
 * directory) and the parser of `pgbackrest info --output=json`. Nothing
 * here runs commands, reads files or talks to collectd. */
#ifndef OM_BACKUP_LISTING_H
#define OM_BACKUP_LISTING_H

#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_BACKUP_MAX_SETS 256
#define OM_BACKUP_MAX_ITEMS 100000 /* per set */
#define OM_BACKUP_MAX_NAME 256     /* bytes of a stanza, label or file name */
#define OM_BACKUP_UNKNOWN_TIME (-1)

typedef struct {
  char *id;      /* pgBackRest label or file name */
  int64_t start; /* Unix seconds; OM_BACKUP_UNKNOWN_TIME for dumps */
  int64_t stop;  /* Unix seconds: when the backup was complete */
  double size;   /* bytes */
  bool failed;
} om_backup_item;

typedef struct {
  char *name;        /* stanza or directory database */
  int status_code;   /* pgBackRest's stanza status; 0: ok */
  char *status_text; /* pgBackRest's message, e.g. "no valid backups" */
  om_backup_item *items;
  size_t items_num;
} om_backup_set;

typedef struct {
  om_backup_set *sets;
  size_t sets_num;
} om_backup_listing;

void om_backup_listing_free(om_backup_listing *l);

/* Keeps the sets keep() says yes to, in order, and frees the others. */
void om_backup_listing_keep(om_backup_listing *l,
                            bool (*keep)(const void *ctx,
                                         const om_backup_set *set),
                            const void *ctx);
/* Appends an empty set; NULL when out of memory or the listing is full. */
om_backup_set *om_backup_listing_add(om_backup_listing *l, const char *name,
                                     int status_code, const char *status_text);
/* Appends a copy of item; -1 when out of memory or the set is full. */
int om_backup_set_add(om_backup_set *set, const om_backup_item *item);
/* Orders items newest first (by stop time, then id). */
void om_backup_set_sort(om_backup_set *set);

/* Parses pgBackRest's info JSON (len bytes, need not be NUL-terminated).
 * The whole document is refused on the first thing that is not as
 * pgBackRest 2.x writes it; err then names its place, e.g.
 * "[0].backup[2].timestamp.stop: expected a whole number >= 0". Each
 * backup's size is its info.repository.delta: what it added to the
 * repository, compressed. */
int om_pgbackrest_parse(const char *json, size_t len, om_backup_listing *out,
                        char *err, size_t errlen);

#endif

/* Backups as the <Backup> collector sees them, apart from how they are
 * fetched: a listing of backup sets (one per pgBackRest stanza or dump
 * directory), the parser of `pgbackrest info --output=json`, the tracker
 * that turns successive listings into counters, a histogram and schedule
 * figures, and the mapping of all that to dbops_* samples. Nothing here
 * runs commands, reads files or talks to collectd. */
#ifndef OM_BACKUP_STATS_H
#define OM_BACKUP_STATS_H

#include "om_cron.h"
#include "om_histogram.h"
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

/* --- tracking --------------------------------------------------------------
 */

typedef struct {
  om_cron cron;
  const om_tz *tz; /* NULL: UTC; not owned */
  double window_s; /* a slot is met by a backup started within; 0: until
                      the next slot */
  bool paused;
} om_backup_schedule;

/* What one database's backups have shown since collectd started. */
typedef struct {
  char *database;
  uint64_t *seen; /* identities of the backups of the last listing, sorted */
  size_t seen_num;
  bool listed; /* a listing was seen: the first one is the baseline */
  uint64_t successes, failures;
  om_histogram duration;
  bool have_last; /* the newest successful backup ever seen */
  int64_t last_start, last_stop;
  double last_size;
  /* schedule */
  int64_t pending_slot; /* the oldest slot not settled; 0: not yet known */
  int64_t next_slot;    /* the first slot after the last read */
  uint64_t slots_met, slots_missed;
} om_backup_tracker;

/* NULL when out of memory or the buckets are invalid. */
om_backup_tracker *om_backup_tracker_new(const char *database,
                                         const double *buckets,
                                         size_t buckets_num);
void om_backup_tracker_free(om_backup_tracker *t);

/* Takes in a set listed at time now: backups not in the previous listing
 * are counted (success or failure) and their durations observed, except
 * in the first listing, which is the baseline; the newest successful
 * backup is remembered. Returns -1 when out of memory (nothing changed). */
int om_backup_tracker_update(om_backup_tracker *t, const om_backup_set *set);

/* Settles the schedule's slots that passed by now against the set (NULL:
 * the source could not be read, so slots stay pending), and moves the next
 * slot on. At most max_slots are settled per call. */
void om_backup_tracker_schedule(om_backup_tracker *t,
                                const om_backup_schedule *s,
                                const om_backup_set *set, int64_t now,
                                size_t max_slots);

/* --- mapping ----------------------------------------------------------------
 */

typedef struct {
  const char *namespace_;
  const char *engine;
  const char *storage_type;
  const char *schedule_name; /* the block's name */
  const char *cron;          /* the Schedule as written; NULL: none */
  bool paused;
  size_t max_backups; /* dbops_backup_info series per set */
} om_backup_identity;

typedef void (*om_backup_sink)(void *ctx, const char *family, om_label *labels,
                               size_t n, double value);
typedef void (*om_backup_histogram_sink)(void *ctx, const char *family,
                                         om_label *labels, size_t n,
                                         const om_histogram *h);

/* The dbops_backup_* and dbops_schedule* samples of one database: the
 * tracker's figures, and dbops_backup_info for the newest max_backups
 * items of set (NULL: the last listing could not be had). */
void om_backup_map(const om_backup_identity *id, const om_backup_tracker *t,
                   const om_backup_set *set, om_backup_sink sink,
                   om_backup_histogram_sink hsink, void *ctx);

#endif

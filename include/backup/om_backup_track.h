/* backup/, pure: includes core/ and backup/.
 *
 * The tracker of one database's backups: it turns successive listings
 * into counters, a duration histogram and the settling of schedule
 * slots. */
#ifndef OM_BACKUP_TRACK_H
#define OM_BACKUP_TRACK_H

#include "om_backup_listing.h"
#include "om_cron.h"
#include "om_histogram.h"

#include <stdbool.h>
#include <stdint.h>

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
  /* one owner per series: whether this block sends the database's series
   * (claimed), or which other block does (held_by; NULL: this one) */
  bool claimed;
  const char *held_by;
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

#endif

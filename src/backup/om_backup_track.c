/* The tracker of one database's backups and backup schedule. */
#include "om_backup_track.h"
#include "om_hash.h"

#include <stdlib.h>
#include <string.h>

om_backup_tracker *om_backup_tracker_new(const char *database,
                                         const double *buckets,
                                         size_t buckets_num) {
  om_backup_tracker *t = calloc(1, sizeof(*t));
  if (t == NULL)
    return NULL;
  t->database = strdup(database);
  if (t->database == NULL ||
      om_histogram_init(&t->duration, buckets, buckets_num) != 0) {
    om_backup_tracker_free(t);
    return NULL;
  }
  return t;
}

void om_backup_tracker_free(om_backup_tracker *t) {
  if (t == NULL)
    return;
  free(t->database);
  free(t->seen);
  free(t);
}

/* A backup is the same backup while its name and end time are: a dump
 * file written again under the same name is a new backup. */
static uint64_t identity(const om_backup_item *it) {
  uint64_t h = om_hash_bytes(OM_HASH_SEED, it->id, strlen(it->id));
  return om_hash_u64(h, (uint64_t)it->stop);
}

static int by_value(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static bool was_seen(const om_backup_tracker *t, uint64_t id) {
  return t->seen_num > 0 &&
         bsearch(&id, t->seen, t->seen_num, sizeof(id), by_value) != NULL;
}

static void count_new(om_backup_tracker *t, const om_backup_item *it) {
  if (it->failed) {
    t->failures++;
    return;
  }
  t->successes++;
  if (it->start != OM_BACKUP_UNKNOWN_TIME)
    om_histogram_observe(&t->duration, (double)(it->stop - it->start));
}

static void remember_newest(om_backup_tracker *t, const om_backup_item *it) {
  if (it->failed || (t->have_last && it->stop <= t->last_stop))
    return;
  t->have_last = true;
  t->last_start = it->start;
  t->last_stop = it->stop;
  t->last_size = it->size;
}

int om_backup_tracker_update(om_backup_tracker *t, const om_backup_set *set) {
  size_t n = set->items_num;
  uint64_t *ids = malloc((n > 0 ? n : 1) * sizeof(*ids));
  if (ids == NULL)
    return -1;
  for (size_t i = 0; i < n; i++) {
    const om_backup_item *it = &set->items[i];
    ids[i] = identity(it);
    if (t->listed && !was_seen(t, ids[i]))
      count_new(t, it);
    remember_newest(t, it);
  }
  qsort(ids, n, sizeof(*ids), by_value);
  free(t->seen);
  t->seen = ids;
  t->seen_num = n;
  t->listed = true;
  return 0;
}

/* --- schedule ----------------------------------------------------------- */

/* Whether a successful backup started (dumps: ended) in [from, to). */
static bool met(const om_backup_set *set, int64_t from, int64_t to) {
  for (size_t i = 0; i < set->items_num; i++) {
    const om_backup_item *it = &set->items[i];
    int64_t began = it->start != OM_BACKUP_UNKNOWN_TIME ? it->start : it->stop;
    if (!it->failed && began >= from && began < to)
      return true;
  }
  return false;
}

void om_backup_tracker_schedule(om_backup_tracker *t,
                                const om_backup_schedule *s,
                                const om_backup_set *set, int64_t now,
                                size_t max_slots) {
  if (s->paused) {
    t->pending_slot = 0;
    t->next_slot = 0;
    return;
  }
  if (t->pending_slot == 0) /* slots before the first read do not count */
    t->pending_slot = om_cron_next(&s->cron, s->tz, now);
  for (size_t i = 0; set != NULL && t->pending_slot > 0 &&
                     t->pending_slot <= now && i < max_slots;
       i++) {
    int64_t slot = t->pending_slot;
    int64_t following = om_cron_next(&s->cron, s->tz, slot);
    int64_t closes = following;
    if (s->window_s > 0 && (following < 0 || slot + s->window_s < following))
      closes = slot + (int64_t)s->window_s;
    if (closes < 0) /* the last slot within the horizon */
      closes = INT64_MAX;
    if (met(set, slot, closes)) {
      t->slots_met++;
    } else if (now >= closes) {
      t->slots_missed++;
    } else {
      break; /* still open */
    }
    t->pending_slot = following;
  }
  if (t->next_slot <= now)
    t->next_slot = om_cron_next(&s->cron, s->tz, now);
}

/* libFuzzer target: successive listings of one database made of arbitrary
 * items (ids, start and stop times, sizes, failures), tracked and mapped
 * as the <Backup> collector does, with an hourly schedule. Counters never
 * go down, the histogram's count equals the successes timed, and every
 * sample handed to the sink has its family's labels. */
#include "om_backup_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double BUCKETS[] = {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

static void value(void *ctx, const char *family, om_label *labels, size_t n,
                  double v) {
  (void)v;
  (*(size_t *)ctx)++;
  if (family == NULL || n == 0 || n > 8)
    abort();
  for (size_t i = 0; i < n; i++)
    if (labels[i].name.len == 0)
      abort();
}

static void histogram(void *ctx, const char *family, const om_label *labels,
                      size_t n, const om_histogram *h) {
  (void)ctx;
  (void)family;
  (void)labels;
  (void)n;
  for (size_t i = 1; i < h->bounds_num; i++)
    if (h->cumulative[i] < h->cumulative[i - 1])
      abort();
}

/* Reads one listing from the bytes: items of 11 bytes each. */
static const uint8_t *listing(const uint8_t *p, const uint8_t *end,
                              om_backup_listing *l) {
  memset(l, 0, sizeof(*l));
  om_backup_set *set = om_backup_listing_add(l, "db", 0, "ok");
  if (set == NULL)
    abort();
  size_t n = p < end ? *p++ % 16 : 0;
  for (size_t i = 0; i < n && end - p >= 11; i++, p += 11) {
    char id[8];
    memcpy(id, p, 3);
    id[3] = '\0';
    for (int k = 0; k < 3; k++)
      id[k] = (char)('a' + (unsigned char)id[k] % 26);
    int64_t start = 1800000000 + (int64_t)(p[3] | p[4] << 8 | p[5] << 16);
    om_backup_item it = {.id = id,
                         .start = (p[9] & 1) ? OM_BACKUP_UNKNOWN_TIME : start,
                         .stop = start + (int64_t)(p[6] | p[7] << 8),
                         .size = (double)p[8],
                         .failed = (p[10] & 1) != 0};
    if (om_backup_set_add(set, &it) != 0)
      abort();
  }
  om_backup_set_sort(set);
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *p = data, *end = data + size;
  om_backup_tracker *t = om_backup_tracker_new("db", BUCKETS, 10);
  om_backup_schedule sched = {.window_s = 1800};
  char err[128];
  if (t == NULL || om_cron_parse("0 * * * *", &sched.cron, err, sizeof(err)))
    abort();
  om_backup_identity id = {.namespace_ = "ns",
                           .engine = "postgres",
                           .storage_type = "local",
                           .schedule_name = "b",
                           .cron = "0 * * * *",
                           .max_backups = 10};
  uint64_t successes = 0, failures = 0, met = 0, missed = 0;
  for (int round = 0; round < 8 && p < end; round++) {
    om_backup_listing l;
    p = listing(p, end, &l);
    if (om_backup_tracker_update(t, &l.sets[0]) != 0)
      abort();
    om_backup_tracker_schedule(t, &sched, &l.sets[0], 1800000000 + round * 7200,
                               1000);
    if (t->successes < successes || t->failures < failures ||
        t->slots_met < met || t->slots_missed < missed)
      abort();
    successes = t->successes;
    failures = t->failures;
    met = t->slots_met;
    missed = t->slots_missed;
    size_t samples = 0;
    om_sink sink = {value, histogram, &samples};
    om_backup_map(&id, t, &l.sets[0], &sink);
    if (samples == 0)
      abort();
    om_backup_listing_free(&l);
  }
  om_backup_tracker_free(t);
  return 0;
}

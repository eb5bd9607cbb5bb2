/* Mapping a database's backup figures to dbops_* samples. */
#include "om_backup_stats.h"

#include <stdio.h>

#define L om_label_cstr

/* database, engine, namespace: the labels of the size and age gauges */
static void emit_database(const om_backup_identity *id,
                          const om_backup_tracker *t, const char *family,
                          double value, om_backup_sink sink, void *ctx) {
  om_label l[] = {L("database", t->database), L("engine", id->engine),
                  L("namespace", id->namespace_)};
  sink(ctx, family, l, 3, value);
}

/* Counters by status. They carry the database as well, so that two
 * databases of one namespace do not write the same series. */
static void emit_by_status(const om_backup_identity *id,
                           const om_backup_tracker *t, const char *family,
                           bool with_engine, uint64_t ok, uint64_t failed,
                           om_backup_sink sink, void *ctx) {
  const char *status[] = {"success", "failure"};
  uint64_t counts[] = {ok, failed};
  for (int i = 0; i < 2; i++) {
    om_label l[4] = {L("status", status[i]), L("namespace", id->namespace_),
                     L("database", t->database)};
    size_t n = 3;
    if (with_engine)
      l[n++] = L("engine", id->engine);
    sink(ctx, family, l, n, (double)counts[i]);
  }
}

static void map_backups(const om_backup_identity *id,
                        const om_backup_tracker *t, const om_backup_set *set,
                        om_backup_sink sink, void *ctx) {
  for (size_t i = 0; set != NULL && i < set->items_num && i < id->max_backups;
       i++) {
    const om_backup_item *it = &set->items[i];
    om_label l[] = {L("backup", it->id), L("namespace", id->namespace_),
                    L("database_ref", t->database),
                    L("storage_type", id->storage_type),
                    L("phase", it->failed ? "Failed" : "Completed")};
    sink(ctx, "dbops_backup_info", l, 5, 1);
  }
}

static void map_schedule(const om_backup_identity *id,
                         const om_backup_tracker *t, om_backup_sink sink,
                         void *ctx) {
  om_label info[] = {L("schedule", id->schedule_name),
                     L("namespace", id->namespace_),
                     L("database_ref", t->database), L("cron", id->cron),
                     L("paused", id->paused ? "true" : "false")};
  sink(ctx, "dbops_schedule_info", info, 5, 1);
  emit_by_status(id, t, "dbops_scheduled_backups_total", false, t->slots_met,
                 t->slots_missed, sink, ctx);
  if (!id->paused && t->next_slot > 0) {
    om_label l[] = {L("database", t->database), L("namespace", id->namespace_)};
    sink(ctx, "dbops_schedule_next_backup_timestamp_seconds", l, 2,
         (double)t->next_slot);
  }
}

void om_backup_map(const om_backup_identity *id, const om_backup_tracker *t,
                   const om_backup_set *set, om_backup_sink sink,
                   om_backup_histogram_sink hsink, void *ctx) {
  if (t->have_last) {
    emit_database(id, t, "dbops_backup_size_bytes", t->last_size, sink, ctx);
    emit_database(id, t, "dbops_backup_last_success_timestamp_seconds",
                  (double)t->last_stop, sink, ctx);
  }
  emit_by_status(id, t, "dbops_backup_operations_total", true, t->successes,
                 t->failures, sink, ctx);
  om_label l[] = {L("engine", id->engine), L("namespace", id->namespace_),
                  L("database", t->database)};
  hsink(ctx, "dbops_backup_duration_seconds", l, 3, &t->duration);
  map_backups(id, t, set, sink, ctx);
  if (id->cron != NULL)
    map_schedule(id, t, sink, ctx);
}

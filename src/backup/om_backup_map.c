/* Mapping a database's backup figures to dbops_* samples. */
#include "om_backup_map.h"

const char *const om_backup_families[] = {
    "dbops_backup_size_bytes",
    "dbops_backup_last_success_timestamp_seconds",
    "dbops_backup_operations_total",
    "dbops_backup_duration_seconds",
    "dbops_backup_info",
    NULL};

const char *const om_backup_schedule_families[] = {
    "dbops_schedule_info", "dbops_scheduled_backups_total",
    "dbops_schedule_next_backup_timestamp_seconds", NULL};

const char *const om_backup_summed_families[] = {
    "dbops_backup_operations_total", "dbops_backup_duration_seconds",
    "dbops_scheduled_backups_total", NULL};

/* database, engine, namespace: the labels of the size and age gauges */
static void emit_database(const om_backup_identity *id,
                          const om_backup_tracker *t, const char *family,
                          double value, const om_sink *sink) {
  om_label l[] = {om_label_cstr("database", t->database),
                  om_label_cstr("engine", id->engine),
                  om_label_cstr("namespace", id->namespace_)};
  om_sink_value(sink, family, l, 3, value);
}

/* Counters by status. They carry the database, which the documented
 * series lacks: the emitter sums the databases of a namespace into the
 * documented series (om_emitter_combine), unless PerDatabase keeps it. */
static void emit_by_status(const om_backup_identity *id,
                           const om_backup_tracker *t, const char *family,
                           bool with_engine, uint64_t ok, uint64_t failed,
                           const om_sink *sink) {
  const char *status[] = {"success", "failure"};
  uint64_t counts[] = {ok, failed};
  for (int i = 0; i < 2; i++) {
    om_label l[4] = {om_label_cstr("status", status[i]),
                     om_label_cstr("namespace", id->namespace_),
                     om_label_cstr("database", t->database)};
    size_t n = 3;
    if (with_engine)
      l[n++] = om_label_cstr("engine", id->engine);
    om_sink_value(sink, family, l, n, (double)counts[i]);
  }
}

static void map_backups(const om_backup_identity *id,
                        const om_backup_tracker *t, const om_backup_set *set,
                        const om_sink *sink) {
  for (size_t i = 0; set != NULL && i < set->items_num && i < id->max_backups;
       i++) {
    const om_backup_item *it = &set->items[i];
    om_label l[] = {
        om_label_cstr("backup", it->id),
        om_label_cstr("namespace", id->namespace_),
        om_label_cstr("database_ref", t->database),
        om_label_cstr("storage_type", id->storage_type),
        om_label_cstr("phase", it->failed ? "Failed" : "Completed")};
    om_sink_value(sink, "dbops_backup_info", l, 5, 1);
  }
}

static void map_schedule(const om_backup_identity *id,
                         const om_backup_tracker *t, const om_sink *sink) {
  om_label info[] = {om_label_cstr("schedule", id->schedule_name),
                     om_label_cstr("namespace", id->namespace_),
                     om_label_cstr("database_ref", t->database),
                     om_label_cstr("cron", id->cron),
                     om_label_cstr("paused", id->paused ? "true" : "false")};
  om_sink_value(sink, "dbops_schedule_info", info, 5, 1);
  emit_by_status(id, t, "dbops_scheduled_backups_total", false, t->slots_met,
                 t->slots_missed, sink);
  if (!id->paused && t->next_slot > 0) {
    om_label l[] = {om_label_cstr("database", t->database),
                    om_label_cstr("namespace", id->namespace_)};
    om_sink_value(sink, "dbops_schedule_next_backup_timestamp_seconds", l, 2,
                  (double)t->next_slot);
  }
}

void om_backup_map(const om_backup_identity *id, const om_backup_tracker *t,
                   const om_backup_set *set, const om_sink *sink) {
  if (t->have_last) {
    emit_database(id, t, "dbops_backup_size_bytes", t->last_size, sink);
    emit_database(id, t, "dbops_backup_last_success_timestamp_seconds",
                  (double)t->last_stop, sink);
  }
  emit_by_status(id, t, "dbops_backup_operations_total", true, t->successes,
                 t->failures, sink);
  om_label l[] = {om_label_cstr("engine", id->engine),
                  om_label_cstr("namespace", id->namespace_),
                  om_label_cstr("database", t->database)};
  om_sink_histogram(sink, "dbops_backup_duration_seconds", l, 3, &t->duration);
  map_backups(id, t, set, sink);
  if (id->cron != NULL)
    map_schedule(id, t, sink);
}

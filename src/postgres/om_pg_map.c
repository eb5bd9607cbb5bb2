/* From a server's health and snapshot to dbops_* samples; see
 * om_pg_map.h, and docs/collectors.md's <Postgres> section for the label
 * rules. */
#include "om_pg_map.h"

#include <stdio.h>

#define PHASE_READY "Ready"
#define PHASE_FAILED "Failed"
#define GRANT_NAME_SIZE (3 * OM_PG_MAX_VALUE_BYTES + 4)

const char *const om_pg_families[] = {
    "dbops_connection_attempts_total",
    "dbops_connection_latency_seconds",
    "dbops_instance_healthy",
    "dbops_instance_last_health_check_timestamp_seconds",
    "dbops_instance_info",
    "provisioning_database_connected",
    "dbops_database_size_bytes",
    "dbops_database_info",
    "dbops_user_info",
    "dbops_role_info",
    "dbops_grant_info",
    "dbops_resource_count",
    "pg_stat_archiver_archived_count",
    "pg_stat_archiver_failed_count",
    "pg_stat_archiver_last_archive_age",
    NULL};

const char *const om_pg_summed_families[] = {"dbops_resource_count", NULL};

void om_pg_server_labels(const om_pg_identity *id,
                         om_label out[OM_PG_SERVER_LABELS]) {
  out[0] = om_label_cstr("instance", id->instance);
  out[1] = om_label_cstr("engine", id->engine);
  out[2] = om_label_cstr("namespace", id->namespace_);
}

static void emit_server(const om_pg_identity *id, const char *family,
                        double value, const om_sink *sink) {
  om_label l[OM_PG_SERVER_LABELS];
  om_pg_server_labels(id, l);
  om_sink_value(sink, family, l, OM_PG_SERVER_LABELS, value);
}

/* dbops_resource_count of one kind, Ready and Failed. The instance label
 * is one more than documented: the emitter sums the servers of a
 * namespace into the documented series (om_emitter_combine), unless
 * PerInstance keeps it. */
static void emit_count(const om_pg_identity *id, const char *kind, double ready,
                       double failed, const om_sink *sink) {
  const char *phases[] = {PHASE_READY, PHASE_FAILED};
  double values[] = {ready, failed};
  for (int i = 0; i < 2; i++) {
    om_label l[] = {om_label_cstr("resource_type", kind),
                    om_label_cstr("phase", phases[i]),
                    om_label_cstr("namespace", id->namespace_),
                    om_label_cstr("instance", id->instance)};
    om_sink_value(sink, "dbops_resource_count", l, 4, values[i]);
  }
}

void om_pg_map_health(const om_pg_identity *id, bool healthy, double last_ok_s,
                      const om_sink *sink) {
  emit_server(id, "dbops_instance_healthy", healthy, sink);
  emit_server(id, "provisioning_database_connected", healthy, sink);
  if (last_ok_s > 0)
    emit_server(id, "dbops_instance_last_health_check_timestamp_seconds",
                last_ok_s, sink);
  om_label info[] = {
      om_label_cstr("instance", id->instance),
      om_label_cstr("namespace", id->namespace_),
      om_label_cstr("engine", id->engine),
      om_label_cstr("version", id->version),
      om_label_cstr("host", id->host),
      om_label_cstr("port", id->port),
      om_label_cstr("phase", healthy ? PHASE_READY : PHASE_FAILED)};
  om_sink_value(sink, "dbops_instance_info", info, 7, 1);
  emit_count(id, "DatabaseInstance", healthy, !healthy, sink);
}

/* The info families of what lives on the server: <kind>=<name>,
 * namespace, instance_ref=<instance>, <name label>=<name>, phase. */
static void emit_named(const om_pg_identity *id, const char *family,
                       const char *kind_label, const char *name_label,
                       const char *name, const char *phase,
                       const om_sink *sink) {
  om_label l[] = {om_label_cstr(kind_label, name),
                  om_label_cstr("namespace", id->namespace_),
                  om_label_cstr("instance_ref", id->instance),
                  om_label_cstr(name_label, name),
                  om_label_cstr("phase", phase)};
  om_sink_value(sink, family, l, 5, 1);
}

static void map_databases(const om_pg_identity *id, const om_pg_snapshot *s,
                          const om_sink *sink) {
  for (size_t i = 0; i < s->dbs_num; i++) {
    const om_pg_database *d = &s->dbs[i];
    if (d->has_size) {
      om_label size[] = {om_label_cstr("database", d->name),
                         om_label_cstr("instance", id->instance),
                         om_label_cstr("engine", id->engine),
                         om_label_cstr("namespace", id->namespace_)};
      om_sink_value(sink, "dbops_database_size_bytes", size, 4, d->size_bytes);
    }
    emit_named(id, "dbops_database_info", "database", "db_name", d->name,
               PHASE_READY, sink);
  }
  emit_count(id, "Database", (double)s->dbs_num, 0, sink);
}

/* Login roles are users, the others roles. A user whose password expired
 * (VALID UNTIL in the past) cannot log in: phase Failed. */
static void map_roles(const om_pg_identity *id, const om_pg_snapshot *s,
                      const om_sink *sink) {
  double users_ready = 0, users_failed = 0, roles = 0;
  for (size_t i = 0; i < s->roles_num; i++) {
    const om_pg_role *r = &s->roles[i];
    if (r->can_login) {
      emit_named(id, "dbops_user_info", "user", "username", r->name,
                 r->expired ? PHASE_FAILED : PHASE_READY, sink);
      *(r->expired ? &users_failed : &users_ready) += 1;
    } else {
      emit_named(id, "dbops_role_info", "role", "role_name", r->name,
                 PHASE_READY, sink);
      roles++;
    }
  }
  emit_count(id, "DatabaseUser", users_ready, users_failed, sink);
  emit_count(id, "DatabaseRole", roles, 0, sink);
}

/* grant: "<instance>/<grantee>@<database>" for privileges on a database,
 * "<instance>/<grantee>" for role memberships (database_ref empty). */
static void map_grants(const om_pg_identity *id, const om_pg_snapshot *s,
                       const om_sink *sink) {
  char name[GRANT_NAME_SIZE];
  for (size_t i = 0; i < s->grants_num; i++) {
    const om_pg_grant *g = &s->grants[i];
    if (g->database != NULL)
      snprintf(name, sizeof(name), "%s/%s@%s", id->instance, g->grantee,
               g->database);
    else
      snprintf(name, sizeof(name), "%s/%s", id->instance, g->grantee);
    om_label l[] = {om_label_cstr("grant", name),
                    om_label_cstr("namespace", id->namespace_),
                    om_label_cstr("user_ref", g->grantee),
                    om_label_cstr("database_ref", g->database),
                    om_label_cstr("privileges", g->privileges),
                    om_label_cstr("phase", PHASE_READY)};
    om_sink_value(sink, "dbops_grant_info", l, 6, 1);
  }
  emit_count(id, "DatabaseGrant", (double)s->grants_num, 0, sink);
}

static void map_archiver(const om_pg_identity *id, const om_pg_snapshot *s,
                         const om_sink *sink) {
  if (!s->has_archiver)
    return;
  om_label l[] = {om_label_cstr("instance", id->instance),
                  om_label_cstr("namespace", id->namespace_)};
  om_sink_value(sink, "pg_stat_archiver_archived_count", l, 2,
                s->archived_count);
  om_sink_value(sink, "pg_stat_archiver_failed_count", l, 2, s->failed_count);
  if (s->has_last_archive_age)
    om_sink_value(sink, "pg_stat_archiver_last_archive_age", l, 2,
                  s->last_archive_age);
}

void om_pg_map_snapshot(const om_pg_identity *id, const om_pg_snapshot *s,
                        const om_sink *sink) {
  map_databases(id, s, sink);
  map_roles(id, s, sink);
  map_grants(id, s, sink);
  map_archiver(id, s, sink);
}

/* From a server's health and snapshot to dbops_* samples; see
 * om_pg_stats.h and the README's <Postgres> section for the label rules. */
#include "om_pg_stats.h"

#include <stdio.h>

#define PHASE_READY "Ready"
#define PHASE_FAILED "Failed"
#define GRANT_NAME_SIZE (3 * OM_PG_MAX_VALUE_BYTES + 4)

#define L om_label_cstr

void om_pg_server_labels(const om_pg_identity *id,
                         om_label out[OM_PG_SERVER_LABELS]) {
  out[0] = L("instance", id->instance);
  out[1] = L("engine", id->engine);
  out[2] = L("namespace", id->namespace_);
}

static void emit_server(const om_pg_identity *id, const char *family,
                        double value, om_pg_sink sink, void *ctx) {
  om_label l[OM_PG_SERVER_LABELS];
  om_pg_server_labels(id, l);
  sink(ctx, family, l, OM_PG_SERVER_LABELS, value);
}

/* dbops_resource_count of one kind, Ready and Failed. The instance label
 * is one more than documented: without it two servers in one namespace
 * would overwrite each other's counts. */
static void emit_count(const om_pg_identity *id, const char *kind, double ready,
                       double failed, om_pg_sink sink, void *ctx) {
  const char *phases[] = {PHASE_READY, PHASE_FAILED};
  double values[] = {ready, failed};
  for (int i = 0; i < 2; i++) {
    om_label l[] = {L("resource_type", kind), L("phase", phases[i]),
                    L("namespace", id->namespace_),
                    L("instance", id->instance)};
    sink(ctx, "dbops_resource_count", l, 4, values[i]);
  }
}

void om_pg_map_health(const om_pg_identity *id, bool healthy, double last_ok_s,
                      om_pg_sink sink, void *ctx) {
  emit_server(id, "dbops_instance_healthy", healthy, sink, ctx);
  emit_server(id, "provisioning_database_connected", healthy, sink, ctx);
  if (last_ok_s > 0)
    emit_server(id, "dbops_instance_last_health_check_timestamp_seconds",
                last_ok_s, sink, ctx);
  om_label info[] = {L("instance", id->instance),
                     L("namespace", id->namespace_),
                     L("engine", id->engine),
                     L("version", id->version),
                     L("host", id->host),
                     L("port", id->port),
                     L("phase", healthy ? PHASE_READY : PHASE_FAILED)};
  sink(ctx, "dbops_instance_info", info, 7, 1);
  emit_count(id, "DatabaseInstance", healthy, !healthy, sink, ctx);
}

static void map_databases(const om_pg_identity *id, const om_pg_snapshot *s,
                          om_pg_sink sink, void *ctx) {
  for (size_t i = 0; i < s->dbs_num; i++) {
    const om_pg_database *d = &s->dbs[i];
    if (d->has_size) {
      om_label size[] = {L("database", d->name), L("instance", id->instance),
                         L("engine", id->engine),
                         L("namespace", id->namespace_)};
      sink(ctx, "dbops_database_size_bytes", size, 4, d->size_bytes);
    }
    om_label info[] = {L("database", d->name), L("namespace", id->namespace_),
                       L("instance_ref", id->instance), L("db_name", d->name),
                       L("phase", PHASE_READY)};
    sink(ctx, "dbops_database_info", info, 5, 1);
  }
  emit_count(id, "Database", (double)s->dbs_num, 0, sink, ctx);
}

/* Login roles are users, the others roles. A user whose password expired
 * (VALID UNTIL in the past) cannot log in: phase Failed. */
static void map_roles(const om_pg_identity *id, const om_pg_snapshot *s,
                      om_pg_sink sink, void *ctx) {
  double users_ready = 0, users_failed = 0, roles = 0;
  for (size_t i = 0; i < s->roles_num; i++) {
    const om_pg_role *r = &s->roles[i];
    if (r->can_login) {
      om_label l[] = {L("user", r->name), L("namespace", id->namespace_),
                      L("instance_ref", id->instance), L("username", r->name),
                      L("phase", r->expired ? PHASE_FAILED : PHASE_READY)};
      sink(ctx, "dbops_user_info", l, 5, 1);
      *(r->expired ? &users_failed : &users_ready) += 1;
    } else {
      om_label l[] = {L("role", r->name), L("namespace", id->namespace_),
                      L("instance_ref", id->instance), L("role_name", r->name),
                      L("phase", PHASE_READY)};
      sink(ctx, "dbops_role_info", l, 5, 1);
      roles++;
    }
  }
  emit_count(id, "DatabaseUser", users_ready, users_failed, sink, ctx);
  emit_count(id, "DatabaseRole", roles, 0, sink, ctx);
}

/* grant: "<instance>/<grantee>@<database>" for privileges on a database,
 * "<instance>/<grantee>" for role memberships (database_ref empty). */
static void map_grants(const om_pg_identity *id, const om_pg_snapshot *s,
                       om_pg_sink sink, void *ctx) {
  char name[GRANT_NAME_SIZE];
  for (size_t i = 0; i < s->grants_num; i++) {
    const om_pg_grant *g = &s->grants[i];
    if (g->database != NULL)
      snprintf(name, sizeof(name), "%s/%s@%s", id->instance, g->grantee,
               g->database);
    else
      snprintf(name, sizeof(name), "%s/%s", id->instance, g->grantee);
    om_label l[] = {L("grant", name),
                    L("namespace", id->namespace_),
                    L("user_ref", g->grantee),
                    L("database_ref", g->database),
                    L("privileges", g->privileges),
                    L("phase", PHASE_READY)};
    sink(ctx, "dbops_grant_info", l, 6, 1);
  }
  emit_count(id, "DatabaseGrant", (double)s->grants_num, 0, sink, ctx);
}

static void map_archiver(const om_pg_identity *id, const om_pg_snapshot *s,
                         om_pg_sink sink, void *ctx) {
  if (!s->has_archiver)
    return;
  om_label l[] = {L("instance", id->instance), L("namespace", id->namespace_)};
  sink(ctx, "pg_stat_archiver_archived_count", l, 2, s->archived_count);
  sink(ctx, "pg_stat_archiver_failed_count", l, 2, s->failed_count);
  if (s->has_last_archive_age)
    sink(ctx, "pg_stat_archiver_last_archive_age", l, 2, s->last_archive_age);
}

void om_pg_map_snapshot(const om_pg_identity *id, const om_pg_snapshot *s,
                        om_pg_sink sink, void *ctx) {
  map_databases(id, s, sink, ctx);
  map_roles(id, s, sink, ctx);
  map_grants(id, s, sink, ctx);
  map_archiver(id, s, sink, ctx);
}

/* The dbops preset: the DB Provision Operator (dbops.dbprovision.io,
 * v1alpha1). Its UpdateInfoMetric handlers give the dbops_*_info labels:
 * phase "Pending" when empty, version "unknown" when empty, instance_ref
 * from instanceRef then clusterInstanceRef, user_ref from userRef then
 * roleRef then "unknown", privileges joined with ",". Cluster kinds use
 * namespace "_cluster" (ClusterDatabaseInstance) or "" (role, grant). */
#include "om_kube_preset_dbops.h"

#include <stdio.h>
#include <string.h>

static const char *phase_of(const cJSON *o) {
  return om_json_str(o, "status.phase", "Pending");
}

/* The namespace label of an object: its own, or the cluster kinds' own
 * constant. */
static const char *dbops_namespace(const om_kube_resource *r, const cJSON *o) {
  if (!r->cluster_scoped)
    return om_kube_namespace_of(o);
  return strcmp(r->kind, "ClusterDatabaseInstance") == 0 ? "_cluster" : "";
}

static const char *instance_ref(const cJSON *o) {
  return om_json_str(o, "spec.instanceRef.name",
                     om_json_str(o, "spec.clusterInstanceRef.name", ""));
}

static void dbops_count(const om_kube_resource *r, const cJSON *o,
                        const char *phase, om_kube_snapshot *s) {
  om_label l[] = {om_label_cstr("resource_type", r->kind),
                  om_label_cstr("phase", phase),
                  om_label_cstr("namespace", dbops_namespace(r, o))};
  om_kube_rows_count(&s->totals, "dbops_resource_count", l, 3);
}

static void map_instance(const om_kube_resource *r, const cJSON *o,
                         om_kube_snapshot *s) {
  char port[32];
  om_json_text(om_json_at(o, "spec.connection.port"), port, sizeof(port));
  om_label l[] = {
      om_label_cstr("instance", om_kube_name_of(o)),
      om_label_cstr("namespace", dbops_namespace(r, o)),
      om_label_cstr("engine", om_json_str(o, "spec.engine", "")),
      om_label_cstr("version", om_json_str(o, "status.version", "unknown")),
      om_label_cstr("host", om_json_str(o, "spec.connection.host", "")),
      om_label_cstr("port", port),
      om_label_cstr("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_instance_info", l, 7, 1);
  dbops_count(r, o, phase_of(o), s);
}

/* The info families of the kinds that name something on an instance:
 * <kind>=<object>, namespace, instance_ref, <name label>=<spec field>,
 * phase. */
typedef struct {
  const char *family, *kind_label, *name_label, *name_path;
} named_info;

static void map_named(const om_kube_resource *r, const cJSON *o,
                      om_kube_snapshot *s, const named_info *shape) {
  om_label l[] = {
      om_label_cstr(shape->kind_label, om_kube_name_of(o)),
      om_label_cstr("namespace", dbops_namespace(r, o)),
      om_label_cstr("instance_ref", instance_ref(o)),
      om_label_cstr(shape->name_label, om_json_str(o, shape->name_path, "")),
      om_label_cstr("phase", phase_of(o))};
  om_kube_rows_set(&s->values, shape->family, l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
}

static void map_database(const om_kube_resource *r, const cJSON *o,
                         om_kube_snapshot *s) {
  static const named_info shape = {"dbops_database_info", "database", "db_name",
                                   "spec.name"};
  map_named(r, o, s, &shape);
}

static void map_user(const om_kube_resource *r, const cJSON *o,
                     om_kube_snapshot *s) {
  static const named_info shape = {"dbops_user_info", "user", "username",
                                   "spec.username"};
  map_named(r, o, s, &shape);
}

static void map_role(const om_kube_resource *r, const cJSON *o,
                     om_kube_snapshot *s) {
  static const named_info shape = {"dbops_role_info", "role", "role_name",
                                   "spec.roleName"};
  map_named(r, o, s, &shape);
}

/* Appends the strings of a JSON array to buf, comma-separated. */
static void join_strings(const cJSON *arr, char *buf, size_t cap) {
  const cJSON *e;
  cJSON_ArrayForEach(e, arr) {
    if (!cJSON_IsString(e))
      continue;
    size_t used = strlen(buf);
    snprintf(buf + used, cap - used, "%s%s", used ? "," : "", e->valuestring);
  }
}

/* roles[], then every grants[].privileges[], of one engine's block. */
static void join_engine(const cJSON *o, const char *engine, char *buf,
                        size_t cap) {
  char path[64];
  snprintf(path, sizeof(path), "spec.%s.roles", engine);
  join_strings(om_json_at(o, path), buf, cap);
  snprintf(path, sizeof(path), "spec.%s.grants", engine);
  const cJSON *g;
  cJSON_ArrayForEach(g, om_json_at(o, path)) {
    join_strings(cJSON_GetObjectItemCaseSensitive(g, "privileges"), buf, cap);
  }
}

static void privileges(const cJSON *o, bool clickhouse, char *buf, size_t cap) {
  buf[0] = '\0';
  join_engine(o, "postgres", buf, cap);
  join_engine(o, "mysql", buf, cap);
  if (clickhouse)
    join_engine(o, "clickhouse", buf, cap);
}

/* ClusterDatabaseGrant: "<ns>/<name>" references, a role without namespace
 * being a ClusterDatabaseRole. */
static void cluster_grant_target(const cJSON *o, char *buf, size_t cap) {
  const char *user = om_json_str(o, "spec.userRef.name", NULL);
  const char *role = om_json_str(o, "spec.roleRef.name", NULL);
  if (user != NULL) {
    snprintf(buf, cap, "%s/%s", om_json_str(o, "spec.userRef.namespace", ""),
             user);
  } else if (role != NULL) {
    const char *ns = om_json_str(o, "spec.roleRef.namespace", NULL);
    if (ns == NULL)
      snprintf(buf, cap, "%s", role);
    else
      snprintf(buf, cap, "%s/%s", ns, role);
  } else {
    snprintf(buf, cap, "unknown");
  }
}

static void map_grant(const om_kube_resource *r, const cJSON *o,
                      om_kube_snapshot *s) {
  char privs[OM_KUBE_MAX_TEXT], target[OM_KUBE_MAX_TEXT];
  privileges(o, !r->cluster_scoped, privs, sizeof(privs));
  const char *database = "";
  if (r->cluster_scoped) {
    cluster_grant_target(o, target, sizeof(target));
  } else {
    snprintf(target, sizeof(target), "%s",
             om_json_str(o, "spec.userRef.name",
                         om_json_str(o, "spec.roleRef.name", "unknown")));
    database = om_json_str(o, "spec.databaseRef.name", "");
  }
  om_label l[] = {om_label_cstr("grant", om_kube_name_of(o)),
                  om_label_cstr("namespace", dbops_namespace(r, o)),
                  om_label_cstr("user_ref", target),
                  om_label_cstr("database_ref", database),
                  om_label_cstr("privileges", privs),
                  om_label_cstr("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_grant_info", l, 6, 1);
  dbops_count(r, o, phase_of(o), s);
}

/* A completed backup: its size and completion time, the newest per
 * database. The database is the one the backup ran on (status.source),
 * else the referenced Database object. */
static void backup_result(const cJSON *o, om_kube_snapshot *s) {
  double done;
  if (strcmp(phase_of(o), "Completed") != 0 ||
      !om_json_value(om_json_at(o, "status.completedAt"), &done))
    return;
  const char *ref = om_json_str(o, "spec.databaseRef.name", "");
  om_label l[] = {
      om_label_cstr("database", om_json_str(o, "status.source.database", ref)),
      om_label_cstr("engine", om_json_str(o, "status.source.engine", "")),
      om_label_cstr("namespace", om_kube_namespace_of(o))};
  om_kube_rows_newest(&s->totals, "dbops_backup_last_success_timestamp_seconds",
                      l, 3, done, done);
  double size = 0, compressed = 0;
  bool has_size =
      om_json_value(om_json_at(o, "status.backup.sizeBytes"), &size);
  bool has_compressed = om_json_value(
      om_json_at(o, "status.backup.compressedSizeBytes"), &compressed);
  if (has_compressed && compressed > 0)
    om_kube_rows_newest(&s->totals, "dbops_backup_size_bytes", l, 3, compressed,
                        done);
  else if (has_size)
    om_kube_rows_newest(&s->totals, "dbops_backup_size_bytes", l, 3, size,
                        done);
}

static void map_backup(const om_kube_resource *r, const cJSON *o,
                       om_kube_snapshot *s) {
  om_label l[] = {
      om_label_cstr("backup", om_kube_name_of(o)),
      om_label_cstr("namespace", om_kube_namespace_of(o)),
      om_label_cstr("database_ref",
                    om_json_str(o, "spec.databaseRef.name", "")),
      om_label_cstr("storage_type", om_json_str(o, "spec.storage.type", "")),
      om_label_cstr("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_backup_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
  backup_result(o, s);
}

static void map_schedule(const om_kube_resource *r, const cJSON *o,
                         om_kube_snapshot *s) {
  const char *database =
      om_json_str(o, "spec.template.spec.databaseRef.name", "");
  const cJSON *paused = om_json_at(o, "spec.paused");
  om_label l[] = {
      om_label_cstr("schedule", om_kube_name_of(o)),
      om_label_cstr("namespace", om_kube_namespace_of(o)),
      om_label_cstr("database_ref", database),
      om_label_cstr("cron", om_json_str(o, "spec.schedule", "")),
      om_label_cstr("paused", cJSON_IsTrue(paused) ? "true" : "false")};
  om_kube_rows_set(&s->values, "dbops_schedule_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
  double next;
  if (om_json_value(om_json_at(o, "status.nextBackupTime"), &next)) {
    om_label n[] = {om_label_cstr("database", database),
                    om_label_cstr("namespace", om_kube_namespace_of(o))};
    /* several schedules of one database: the soonest */
    om_kube_rows_newest(&s->totals,
                        "dbops_schedule_next_backup_timestamp_seconds", n, 2,
                        next, -next);
  }
}

static void map_restore(const om_kube_resource *r, const cJSON *o,
                        om_kube_snapshot *s) {
  const char *target =
      om_json_str(o, "spec.target.instanceRef.name",
                  om_json_str(o, "spec.target.clusterInstanceRef.name", ""));
  om_label l[] = {
      om_label_cstr("restore", om_kube_name_of(o)),
      om_label_cstr("namespace", om_kube_namespace_of(o)),
      om_label_cstr("backup_ref", om_json_str(o, "spec.backupRef.name", "")),
      om_label_cstr("target_instance", target),
      om_label_cstr("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_restore_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
}

#define DBOPS "dbops.dbprovision.io", "v1alpha1"

static const om_kube_preset_resource RESOURCES[] = {
    {DBOPS, "databaseinstances", "DatabaseInstance", false, map_instance},
    {DBOPS, "clusterdatabaseinstances", "ClusterDatabaseInstance", true,
     map_instance},
    {DBOPS, "databases", "Database", false, map_database},
    {DBOPS, "databaseusers", "DatabaseUser", false, map_user},
    {DBOPS, "databaseroles", "DatabaseRole", false, map_role},
    {DBOPS, "clusterdatabaseroles", "ClusterDatabaseRole", true, map_role},
    {DBOPS, "databasegrants", "DatabaseGrant", false, map_grant},
    {DBOPS, "clusterdatabasegrants", "ClusterDatabaseGrant", true, map_grant},
    {DBOPS, "databasebackups", "DatabaseBackup", false, map_backup},
    {DBOPS, "databasebackupschedules", "DatabaseBackupSchedule", false,
     map_schedule},
    {DBOPS, "databaserestores", "DatabaseRestore", false, map_restore},
};

static const char *const FAMILIES[] = {
    "dbops_resource_count",
    "dbops_instance_info",
    "dbops_database_info",
    "dbops_user_info",
    "dbops_role_info",
    "dbops_grant_info",
    "dbops_backup_info",
    "dbops_backup_last_success_timestamp_seconds",
    "dbops_backup_size_bytes",
    "dbops_schedule_info",
    "dbops_schedule_next_backup_timestamp_seconds",
    "dbops_restore_info",
    NULL};

const om_kube_preset om_kube_preset_dbops = {"dbops", RESOURCES,
                                             OM_LEN(RESOURCES), FAMILIES};

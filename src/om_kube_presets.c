/* The presets: which custom resources each operator has and how the
 * operator itself derives its metrics' labels from them.
 *
 * dbops: the DB Provision Operator (dbops.dbprovision.io/v1alpha1). Its
 *   UpdateInfoMetric handlers give the dbops_*_info labels: phase "Pending"
 *   when empty, version "unknown" when empty, instance_ref from instanceRef
 *   then clusterInstanceRef, user_ref from userRef then roleRef then
 *   "unknown", privileges joined with ",". Cluster kinds use namespace
 *   "_cluster" (ClusterDatabaseInstance) or "" (role, grant).
 * dynamo: the Dynamo operator (nvidia.com); its resource counter's status
 *   per kind: DGD .status.state and DGDR (v1beta1) .status.phase verbatim;
 *   DCD ready when Available=True and observedGeneration >= generation; DM
 *   ready when ready+LoRA-covered endpoints cover totalEndpoints > 0; DGDSA
 *   ready when it has a selector and replicas != 0.
 * datum: Datum Cloud's Organization and Project (resourcemanager.
 *   miloapis.com/v1alpha1, cluster-scoped, condition Ready) and Workload
 *   (compute.datumapis.com/v1alpha, condition Available). */
#include "om_kube_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define L om_label_cstr

static const char *name_of(const cJSON *o) {
  return om_json_str(o, "metadata.name", "");
}
static const char *namespace_of(const cJSON *o) {
  return om_json_str(o, "metadata.namespace", "");
}
static const char *phase_of(const cJSON *o) {
  return om_json_str(o, "status.phase", "Pending");
}

/* --- dbops ---------------------------------------------------------------- */

/* The namespace label of an object: its own, or the cluster kinds' own
 * constant. */
static const char *dbops_namespace(const om_kube_resource *r, const cJSON *o) {
  if (!r->cluster_scoped)
    return namespace_of(o);
  return strcmp(r->kind, "ClusterDatabaseInstance") == 0 ? "_cluster" : "";
}

static const char *instance_ref(const cJSON *o) {
  return om_json_str(o, "spec.instanceRef.name",
                     om_json_str(o, "spec.clusterInstanceRef.name", ""));
}

static void dbops_count(const om_kube_resource *r, const cJSON *o,
                        const char *phase, om_kube_snapshot *s) {
  om_label l[] = {L("resource_type", r->kind), L("phase", phase),
                  L("namespace", dbops_namespace(r, o))};
  om_kube_rows_count(&s->totals, "dbops_resource_count", l, 3);
}

static void map_instance(const om_kube_resource *r, const cJSON *o,
                         om_kube_snapshot *s) {
  char port[32];
  om_json_text(om_json_at(o, "spec.connection.port"), port, sizeof(port));
  om_label l[] = {L("instance", name_of(o)),
                  L("namespace", dbops_namespace(r, o)),
                  L("engine", om_json_str(o, "spec.engine", "")),
                  L("version", om_json_str(o, "status.version", "unknown")),
                  L("host", om_json_str(o, "spec.connection.host", "")),
                  L("port", port),
                  L("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_instance_info", l, 7, 1);
  dbops_count(r, o, phase_of(o), s);
}

static void map_database(const om_kube_resource *r, const cJSON *o,
                         om_kube_snapshot *s) {
  om_label l[] = {L("database", name_of(o)), L("namespace", namespace_of(o)),
                  L("instance_ref", instance_ref(o)),
                  L("db_name", om_json_str(o, "spec.name", "")),
                  L("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_database_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
}

static void map_user(const om_kube_resource *r, const cJSON *o,
                     om_kube_snapshot *s) {
  om_label l[] = {L("user", name_of(o)), L("namespace", namespace_of(o)),
                  L("instance_ref", instance_ref(o)),
                  L("username", om_json_str(o, "spec.username", "")),
                  L("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_user_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
}

static void map_role(const om_kube_resource *r, const cJSON *o,
                     om_kube_snapshot *s) {
  om_label l[] = {L("role", name_of(o)), L("namespace", dbops_namespace(r, o)),
                  L("instance_ref", instance_ref(o)),
                  L("role_name", om_json_str(o, "spec.roleName", "")),
                  L("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_role_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
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
  om_label l[] = {L("grant", name_of(o)), L("namespace", dbops_namespace(r, o)),
                  L("user_ref", target),  L("database_ref", database),
                  L("privileges", privs), L("phase", phase_of(o))};
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
  om_label l[] = {L("database", om_json_str(o, "status.source.database", ref)),
                  L("engine", om_json_str(o, "status.source.engine", "")),
                  L("namespace", namespace_of(o))};
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
      L("backup", name_of(o)), L("namespace", namespace_of(o)),
      L("database_ref", om_json_str(o, "spec.databaseRef.name", "")),
      L("storage_type", om_json_str(o, "spec.storage.type", "")),
      L("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_backup_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
  backup_result(o, s);
}

static void map_schedule(const om_kube_resource *r, const cJSON *o,
                         om_kube_snapshot *s) {
  const char *database =
      om_json_str(o, "spec.template.spec.databaseRef.name", "");
  const cJSON *paused = om_json_at(o, "spec.paused");
  om_label l[] = {L("schedule", name_of(o)), L("namespace", namespace_of(o)),
                  L("database_ref", database),
                  L("cron", om_json_str(o, "spec.schedule", "")),
                  L("paused", cJSON_IsTrue(paused) ? "true" : "false")};
  om_kube_rows_set(&s->values, "dbops_schedule_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
  double next;
  if (om_json_value(om_json_at(o, "status.nextBackupTime"), &next)) {
    om_label n[] = {L("database", database), L("namespace", namespace_of(o))};
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
  om_label l[] = {L("restore", name_of(o)), L("namespace", namespace_of(o)),
                  L("backup_ref", om_json_str(o, "spec.backupRef.name", "")),
                  L("target_instance", target), L("phase", phase_of(o))};
  om_kube_rows_set(&s->values, "dbops_restore_info", l, 5, 1);
  dbops_count(r, o, phase_of(o), s);
}

/* --- dynamo --------------------------------------------------------------- */

/* The status of the object's first condition of this type, or missing. */
static const char *condition_status(const cJSON *o, const char *type,
                                    const char *missing) {
  const cJSON *c;
  cJSON_ArrayForEach(c, om_json_at(o, "status.conditions")) {
    if (strcmp(om_json_str(c, "type", ""), type) == 0)
      return om_json_str(c, "status", missing);
  }
  return missing;
}

static double number_at(const cJSON *o, const char *path) {
  const cJSON *v = om_json_at(o, path);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void dynamo_count(const om_kube_resource *r, const cJSON *o,
                         const char *status, om_kube_snapshot *s) {
  om_label l[] = {L("resource_type", r->kind), L("namespace", namespace_of(o)),
                  L("status", status)};
  om_kube_rows_count(&s->totals, "dynamo_operator_resources_total", l, 3);
}

static void map_dgd(const om_kube_resource *r, const cJSON *o,
                    om_kube_snapshot *s) {
  dynamo_count(r, o, om_json_str(o, "status.state", ""), s);
}

static void map_dgdr(const om_kube_resource *r, const cJSON *o,
                     om_kube_snapshot *s) {
  dynamo_count(r, o, om_json_str(o, "status.phase", ""), s);
}

static void map_dcd(const om_kube_resource *r, const cJSON *o,
                    om_kube_snapshot *s) {
  bool current = number_at(o, "status.observedGeneration") >=
                 number_at(o, "metadata.generation");
  bool ready =
      current && strcmp(condition_status(o, "Available", ""), "True") == 0;
  dynamo_count(r, o, ready ? "ready" : "not_ready", s);
}

static void map_dm(const om_kube_resource *r, const cJSON *o,
                   om_kube_snapshot *s) {
  double total = number_at(o, "status.totalEndpoints");
  double covered = number_at(o, "status.readyEndpoints") +
                   number_at(o, "status.loraFallbackCoveredEndpoints");
  bool ready = total > 0 && covered > 0 && covered >= total;
  dynamo_count(r, o, ready ? "ready" : "not_ready", s);
}

static void map_dgdsa(const om_kube_resource *r, const cJSON *o,
                      om_kube_snapshot *s) {
  bool ready = om_json_str(o, "status.selector", NULL) != NULL &&
               number_at(o, "status.replicas") != 0;
  dynamo_count(r, o, ready ? "ready" : "not_ready", s);
}

/* --- datum ---------------------------------------------------------------- */

/* kube_customresource_status_condition for one condition type: 1 for its
 * status (True, False or Unknown; Unknown when the condition is absent),
 * 0 for the other two. */
static void condition_states(const om_kube_resource *r, const cJSON *o,
                             const char *type, om_kube_snapshot *s) {
  static const char *const STATUSES[] = {"True", "False", "Unknown"};
  const char *current = condition_status(o, type, "Unknown");
  for (size_t i = 0; i < 3; i++) {
    om_label l[] = {L("customresource_group", r->group),
                    L("customresource_version", r->version),
                    L("customresource_kind", r->kind),
                    L("namespace", namespace_of(o)),
                    L("name", name_of(o)),
                    L("condition", type),
                    L("status", STATUSES[i])};
    om_kube_rows_set(&s->values, "kube_customresource_status_condition", l, 7,
                     strcmp(current, STATUSES[i]) == 0);
  }
}

static void map_ready(const om_kube_resource *r, const cJSON *o,
                      om_kube_snapshot *s) {
  condition_states(r, o, "Ready", s);
}

static void map_available(const om_kube_resource *r, const cJSON *o,
                          om_kube_snapshot *s) {
  condition_states(r, o, "Available", s);
}

/* --- the table ------------------------------------------------------------ */

typedef struct {
  const char *preset, *group, *version, *plural, *kind;
  bool cluster_scoped;
  om_kube_mapper mapper;
} preset_resource;

#define DBOPS "dbops.dbprovision.io", "v1alpha1"
#define DYNAMO "nvidia.com"
#define MILO "resourcemanager.miloapis.com", "v1alpha1"

static const preset_resource PRESETS[] = {
    {"dbops", DBOPS, "databaseinstances", "DatabaseInstance", false,
     map_instance},
    {"dbops", DBOPS, "clusterdatabaseinstances", "ClusterDatabaseInstance",
     true, map_instance},
    {"dbops", DBOPS, "databases", "Database", false, map_database},
    {"dbops", DBOPS, "databaseusers", "DatabaseUser", false, map_user},
    {"dbops", DBOPS, "databaseroles", "DatabaseRole", false, map_role},
    {"dbops", DBOPS, "clusterdatabaseroles", "ClusterDatabaseRole", true,
     map_role},
    {"dbops", DBOPS, "databasegrants", "DatabaseGrant", false, map_grant},
    {"dbops", DBOPS, "clusterdatabasegrants", "ClusterDatabaseGrant", true,
     map_grant},
    {"dbops", DBOPS, "databasebackups", "DatabaseBackup", false, map_backup},
    {"dbops", DBOPS, "databasebackupschedules", "DatabaseBackupSchedule", false,
     map_schedule},
    {"dbops", DBOPS, "databaserestores", "DatabaseRestore", false, map_restore},
    {"dynamo", DYNAMO, "v1alpha1", "dynamographdeployments",
     "DynamoGraphDeployment", false, map_dgd},
    {"dynamo", DYNAMO, "v1alpha1", "dynamocomponentdeployments",
     "DynamoComponentDeployment", false, map_dcd},
    {"dynamo", DYNAMO, "v1alpha1", "dynamomodels", "DynamoModel", false,
     map_dm},
    {"dynamo", DYNAMO, "v1beta1", "dynamographdeploymentrequests",
     "DynamoGraphDeploymentRequest", false, map_dgdr},
    {"dynamo", DYNAMO, "v1alpha1", "dynamographdeploymentscalingadapters",
     "DynamoGraphDeploymentScalingAdapter", false, map_dgdsa},
    {"datum", MILO, "organizations", "Organization", true, map_ready},
    {"datum", MILO, "projects", "Project", true, map_ready},
    {"datum", "compute.datumapis.com", "v1alpha", "workloads", "Workload",
     false, map_available},
};

static om_kube_resource *resource_of(const preset_resource *p) {
  om_kube_resource *r = calloc(1, sizeof(*r));
  if (r == NULL)
    return NULL;
  r->group = strdup(p->group);
  r->version = strdup(p->version);
  r->plural = strdup(p->plural);
  r->kind = strdup(p->kind);
  r->cluster_scoped = p->cluster_scoped;
  r->info = true;
  r->mapper = p->mapper;
  if (r->group == NULL || r->version == NULL || r->plural == NULL ||
      r->kind == NULL || om_kube_resource_name(r) != 0) {
    om_kube_resource_free(r);
    return NULL;
  }
  return r;
}

int om_kube_preset_add(const char *preset, om_kube_resource ***list,
                       size_t *num, char *err, size_t errlen) {
  size_t all = sizeof(PRESETS) / sizeof(PRESETS[0]), wanted = 0;
  for (size_t i = 0; i < all; i++)
    wanted += strcasecmp(PRESETS[i].preset, preset) == 0;
  if (wanted == 0) {
    snprintf(err, errlen, "\"%s\" is not one of dbops, dynamo, datum", preset);
    return -1;
  }
  om_kube_resource **grown = realloc(*list, (*num + wanted) * sizeof(*grown));
  if (grown == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  *list = grown;
  for (size_t i = 0; i < all; i++) {
    if (strcasecmp(PRESETS[i].preset, preset) != 0)
      continue;
    om_kube_resource *r = resource_of(&PRESETS[i]);
    if (r == NULL) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    (*list)[(*num)++] = r;
  }
  return 0;
}

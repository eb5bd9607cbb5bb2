/* What one <Postgres> read learns from the server, and how it becomes
 * dbops_* and pg_stat_archiver_* samples. Pure code: query results come in
 * as tables of strings (om_pg_table), are validated and copied into an
 * om_pg_snapshot, and om_pg_map_*() turn that into family samples handed
 * to a sink. Nothing here talks to libpq or collectd. */
#ifndef OM_PG_STATS_H
#define OM_PG_STATS_H

#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest name or label value taken from the server, in bytes. PostgreSQL
 * names are at most 63 bytes; privilege and role lists are longer. */
#define OM_PG_MAX_VALUE_BYTES 1024

/* A query result as a view: rows x cols cells, row-major, NULL for SQL
 * NULL. */
typedef struct {
  size_t rows;
  size_t cols;
  const char *const *cells;
} om_pg_table;

typedef struct {
  char *name;
  bool is_template;
  bool has_size;
  double size_bytes;
} om_pg_database;

typedef struct {
  char *name;
  bool can_login;
  bool expired; /* VALID UNTIL lies in the past */
} om_pg_role;

/* A grant: privileges on a database (database set), or memberships in
 * other roles (database NULL, privileges the role names). */
typedef struct {
  char *grantee;
  char *database;
  char *privileges; /* comma-separated, sorted */
} om_pg_grant;

typedef struct {
  om_pg_database *dbs;
  size_t dbs_num;
  om_pg_role *roles;
  size_t roles_num;
  om_pg_grant *grants;
  size_t grants_num;
  bool has_archiver;
  double archived_count;
  double failed_count;
  bool has_last_archive_age; /* false until a segment was ever archived */
  double last_archive_age;
  size_t rows_rejected;      /* rows skipped as invalid */
  char first_rejection[160]; /* why the first of them was skipped */
} om_pg_snapshot;

void om_pg_snapshot_free(om_pg_snapshot *s); /* frees the contents */

/* Each parser takes the result of its query (columns as documented in
 * om_pg_queries.c), skips and counts invalid rows, and returns -1 with a
 * message in err only when the result's shape is wrong or memory runs out.
 */
typedef bool (*om_pg_db_filter)(const void *ctx, const char *datname,
                                bool is_template);
/* datname, datistemplate; keeps the databases the filter selects */
int om_pg_parse_databases(om_pg_snapshot *s, const om_pg_table *t,
                          om_pg_db_filter keep, const void *ctx, char *err,
                          size_t errlen);
int om_pg_parse_sizes(om_pg_snapshot *s, const om_pg_table *t, char *err,
                      size_t errlen); /* datname, size */
int om_pg_parse_roles(om_pg_snapshot *s, const om_pg_table *t, char *err,
                      size_t errlen); /* rolname, rolcanlogin, expired */
int om_pg_parse_database_grants(om_pg_snapshot *s, const om_pg_table *t,
                                char *err,
                                size_t errlen); /* datname, grantee, privs */
int om_pg_parse_memberships(om_pg_snapshot *s, const om_pg_table *t, char *err,
                            size_t errlen); /* member, roles */
int om_pg_parse_archiver(om_pg_snapshot *s, const om_pg_table *t, char *err,
                         size_t errlen); /* archived, failed, age */

/* The names of the snapshot's databases as a PostgreSQL text-array
 * literal ({"a","b"}), for "= ANY($1::name[])". Returns a malloc'd string
 * or NULL when out of memory. */
char *om_pg_database_array(const om_pg_snapshot *s);

/* The labels every family of one server shares. */
typedef struct {
  const char *instance;
  const char *engine;
  const char *namespace_;
  const char *host;
  const char *port;
  const char *version; /* "" until a connection told it */
} om_pg_identity;

/* instance, engine, namespace: the labels of every per-server family. */
#define OM_PG_SERVER_LABELS 3
void om_pg_server_labels(const om_pg_identity *id,
                         om_label out[OM_PG_SERVER_LABELS]);

typedef void (*om_pg_sink)(void *ctx, const char *family, om_label *labels,
                           size_t n, double value);

/* Health: dbops_instance_healthy, dbops_instance_info (phase Ready or
 * Failed), provisioning_database_connected, the DatabaseInstance counts of
 * dbops_resource_count and, when last_ok_s > 0,
 * dbops_instance_last_health_check_timestamp_seconds. */
void om_pg_map_health(const om_pg_identity *id, bool healthy, double last_ok_s,
                      om_pg_sink sink, void *ctx);

/* Everything a complete snapshot tells: database sizes and info, user,
 * role and grant info, their dbops_resource_count and the archiver. */
void om_pg_map_snapshot(const om_pg_identity *id, const om_pg_snapshot *s,
                        om_pg_sink sink, void *ctx);

#endif

/* postgres/, pure: includes core/ and postgres/.
 *
 * What one <Postgres> read learns from the server: query results come in
 * as tables of strings (om_pg_table), are validated and copied into an
 * om_pg_snapshot (om_pg_map turns it into samples). Nothing here talks to
 * libpq or collectd. */
#ifndef OM_PG_SNAPSHOT_H
#define OM_PG_SNAPSHOT_H

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

/* Each parser takes the result of its query (the columns named after
 * each, as the queries in om_postgres.c return them), skips and counts invalid
 * rows, and returns -1 with a message in err only when the result's shape is
 * wrong or memory runs out.
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

#endif

/* The <Postgres> collector: health, sizes, roles, grants and WAL archiving
 * of one PostgreSQL server through libpq. */
#ifndef OM_POSTGRES_H
#define OM_POSTGRES_H

#include "liboconfig/oconfig.h"
#include "om_catalog.h"

#include <stdbool.h>
#include <stddef.h>

#define OM_PG_DEFAULT_DATABASE "postgres"
#define OM_PG_DEFAULT_ENGINE "postgres"
#define OM_PG_DEFAULT_TIMEOUT_CAP 5.0
/* share of the interval each of the two timeouts gets by default */
#define OM_PG_TIMEOUT_SHARE 0.4
#define OM_PG_DEFAULT_MAX_ROWS 10000u
#define OM_PG_MAX_MAX_ROWS 1000000u

typedef struct {
  char *name;     /* the block's name */
  char *block_id; /* "postgres/<name>", used in logs */
  /* libpq connection keywords; NULL: libpq's own default */
  char *host;
  char *port;
  char *user;
  char *password_file;
  char *service;
  char *database;
  char *ssl_mode;
  char *ssl_root_cert;
  char *ssl_cert;
  char *ssl_key;
  double connect_timeout_s;   /* resolved: never 0 after parsing */
  double statement_timeout_s; /* resolved: never 0 after parsing */
  double interval_s;          /* 0: collectd's interval */
  /* labels */
  char *instance; /* default: the block's name */
  char *namespace_;
  char *engine; /* default: postgres */
  char **include_db;
  size_t include_db_num;
  char **exclude_db;
  size_t exclude_db_num;
  size_t max_rows; /* rows read per query at most */
} om_pg_config;

/* Parses a <Postgres "name"> block; errors are logged naming the option and
 * the block, and NULL is returned. */
om_pg_config *om_pg_config_parse(const oconfig_item_t *ci,
                                 double default_interval_s);
void om_pg_config_free(om_pg_config *cfg);

/* Whether the engine is PostgreSQL itself (all queries) or another server
 * speaking its protocol (connection and health only). */
bool om_pg_engine_is_postgres(const om_pg_config *cfg);

/* Whether a database is reported: IncludeDatabase patterns (shell globs)
 * when given, otherwise every database but templates; then minus
 * ExcludeDatabase patterns. */
bool om_pg_database_selected(const om_pg_config *cfg, const char *datname,
                             bool is_template);

/* The running collector; it takes ownership of cfg. */
typedef struct om_pg om_pg;
om_pg *om_pg_new(om_pg_config *cfg, const om_catalog *catalog);
void om_pg_free(void *pg); /* a collectd user_data free_func */

#endif

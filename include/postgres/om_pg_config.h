/* postgres/: includes core/, io/, collectd/ and postgres/.
 *
 * The configuration of a <Postgres "name"> block and its reader. */
#ifndef OM_PG_CONFIG_H
#define OM_PG_CONFIG_H

#include "om_block.h"
#include "om_claims.h"

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
  om_block_conf block; /* name, id "postgres/<name>", Interval */
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
  /* labels */
  char *instance; /* default: the block's name */
  char *namespace_;
  char *engine; /* default: postgres */
  char **include_db;
  size_t include_db_num;
  char **exclude_db;
  size_t exclude_db_num;
  size_t max_rows;   /* rows read per query at most */
  bool per_instance; /* dbops_resource_count keeps its instance label */
} om_pg_config;

/* The <Postgres "name"> block for om_block_parse(), which returns an
 * om_pg_config, or NULL after logging the error, naming the option and the
 * block. */
extern const om_block_syntax om_pg_syntax;

/* Frees a configuration and everything in it; NULL-tolerant. */
void om_pg_config_free(void *cfg);

/* The families the block sends, in its namespace, for its instance (the
 * counts for the namespace, which servers add up into). */
void om_pg_claims(const void *cfg, om_claims *out);

/* Whether the engine is PostgreSQL itself (all queries) or another server
 * speaking its protocol (connection and health only). */
bool om_pg_engine_is_postgres(const om_pg_config *cfg);

/* Whether a database is reported: IncludeDatabase patterns (shell globs)
 * when given, otherwise every database but templates; then minus
 * ExcludeDatabase patterns. */
bool om_pg_database_selected(const om_pg_config *cfg, const char *datname,
                             bool is_template);

#endif

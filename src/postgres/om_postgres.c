/* The <Postgres> collector's read callback: connect, query, dispatch.
 *
 * Every read makes one connection and closes it before returning, so a
 * block never holds more than one and leaves none behind. The connection
 * must be made within ConnectTimeout and all queries answered within
 * StatementTimeout (also set on the server as statement_timeout). Whatever
 * happens, the read dispatches the health families and returns 0: a server
 * that is down is a measurement, not a failed read. */
#include "om_postgres.h"
#include "om_complain.h"
#include "om_emitter.h"
#include "om_file.h"
#include "om_hash.h"
#include "om_pg_client.h"
#include "om_pg_config.h"
#include "om_pg_map.h"
#include "om_time.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD_MAX 1024
#define APP_NAME_MAX 64 /* NAMEDATALEN */
#define BLOCK_NAME_MAX 256
#define MAX_KEYWORDS 16
#define VERSION_MAX 128
#define SERVER_TIMEOUT_SHARE 0.9

typedef struct {
  om_pg_config *cfg;
  om_emitter emit;
  om_histogram latency;
  uint64_t attempts_success;
  uint64_t attempts_failure;
  double last_ok_s; /* wall-clock time of the last successful check */
  char version[VERSION_MAX];
  char host[256];
  char port[16];
  char app_name[APP_NAME_MAX];
  char options[96];
  char max_rows[24];
  om_state_log health;
  c_complain_t rows_complaint;
  c_complain_t rejected_complaint;
} om_pg;

void om_pg_free(void *p) {
  om_pg *pg = p;
  if (pg == NULL)
    return;
  om_pg_config_free(pg->cfg);
  free(pg);
}

/* application_name: "operator_metrics/<block>", cut to fit NAMEDATALEN on a
 * UTF-8 boundary, so pg_stat_activity shows which block a session is. */
static void set_app_name(om_pg *pg) {
  char full[BLOCK_NAME_MAX];
  snprintf(full, sizeof(full), OM_PLUGIN_NAME "/%s", pg->cfg->block.name);
  size_t cut = strlen(full);
  if (cut >= sizeof(pg->app_name)) {
    cut = sizeof(pg->app_name) - 1;
    while (cut > 0 && ((unsigned char)full[cut] & 0xC0) == 0x80)
      cut--;
  }
  memcpy(pg->app_name, full, cut);
  pg->app_name[cut] = '\0';
}

void *om_pg_new(void *config, const om_catalog *catalog) {
  om_pg_config *cfg = config;
  om_pg *pg = calloc(1, sizeof(*pg));
  if (pg == NULL) {
    om_pg_config_free(cfg);
    return NULL;
  }
  pg->cfg = cfg;
  om_emitter_init(&pg->emit, catalog, "postgres", cfg->block.name,
                  cfg->block.id);
  om_emitter_select(&pg->emit, &cfg->block);
  om_emitter_combine(&pg->emit, om_pg_summed_families, cfg->per_instance);
  const om_family *f = NULL;
  const om_series_type *st = om_catalog_series_of(
      catalog, "dbops_connection_latency_seconds", OM_SERIES_BUCKET);
  if (st != NULL)
    f = st->family;
  if (f == NULL ||
      om_histogram_init(&pg->latency, f->buckets, f->buckets_num) != 0) {
    om_log(OM_LOG_ERR, cfg->block.id, "internal error: no latency buckets");
    om_pg_free(pg);
    return NULL;
  }
  om_state_log_init(&pg->health);
  C_COMPLAIN_INIT(&pg->rows_complaint);
  C_COMPLAIN_INIT(&pg->rejected_complaint);
  set_app_name(pg);
  /* The server cuts a statement a little before the client gives up, so
   * that the log says what the server says. */
  snprintf(pg->options, sizeof(pg->options), "-c statement_timeout=%.0f",
           cfg->statement_timeout_s * SERVER_TIMEOUT_SHARE * 1000);
  snprintf(pg->max_rows, sizeof(pg->max_rows), "%zu", cfg->max_rows + 1);
  snprintf(pg->host, sizeof(pg->host), "%s", cfg->host ? cfg->host : "");
  snprintf(pg->port, sizeof(pg->port), "%s", cfg->port ? cfg->port : "");
  return pg;
}

/* --- connecting ---------------------------------------------------------- */

typedef struct {
  const char *keywords[MAX_KEYWORDS + 1];
  const char *values[MAX_KEYWORDS + 1];
  size_t n;
} conninfo;

static void put(conninfo *ci, const char *keyword, const char *value) {
  if (value == NULL || ci->n == MAX_KEYWORDS)
    return;
  ci->keywords[ci->n] = keyword;
  ci->values[ci->n] = value;
  ci->n++;
}

static void build_conninfo(const om_pg *pg, const char *password,
                           conninfo *ci) {
  const om_pg_config *cfg = pg->cfg;
  memset(ci, 0, sizeof(*ci));
  put(ci, "service", cfg->service);
  put(ci, "host", cfg->host);
  put(ci, "port", cfg->port);
  put(ci, "user", cfg->user);
  put(ci, "password", password);
  put(ci, "dbname", cfg->database);
  put(ci, "sslmode", cfg->ssl_mode);
  put(ci, "sslrootcert", cfg->ssl_root_cert);
  put(ci, "sslcert", cfg->ssl_cert);
  put(ci, "sslkey", cfg->ssl_key);
  put(ci, "application_name", pg->app_name);
  put(ci, "client_encoding", "UTF8");
  put(ci, "options", pg->options);
}

/* Remembers what the server told about itself, for dbops_instance_info. */
static void note_server(om_pg *pg, PGconn *c) {
  const char *v = PQparameterStatus(c, "server_version");
  if (v != NULL && om_utf8_valid(v, strnlen(v, sizeof(pg->version))) &&
      strlen(v) < sizeof(pg->version))
    snprintf(pg->version, sizeof(pg->version), "%s", v);
  if (pg->cfg->host == NULL && PQhost(c) != NULL)
    snprintf(pg->host, sizeof(pg->host), "%s", PQhost(c));
  if (pg->cfg->port == NULL && PQport(c) != NULL)
    snprintf(pg->port, sizeof(pg->port), "%s", PQport(c));
}

static PGconn *connect_server(om_pg *pg, char *err, size_t errlen) {
  char password[PASSWORD_MAX];
  const char *pw = NULL;
  if (pg->cfg->password_file != NULL) {
    char why[256];
    if (om_read_secret_file(pg->cfg->password_file, password, sizeof(password),
                            why, sizeof(why)) < 0) {
      snprintf(err, errlen, "cannot use PasswordFile \"%s\": %s",
               pg->cfg->password_file, why);
      return NULL;
    }
    pw = password;
  }
  conninfo ci;
  build_conninfo(pg, pw, &ci);
  double start = om_monotonic_s();
  PGconn *c = om_pg_connect(ci.keywords, ci.values,
                            start + pg->cfg->connect_timeout_s, err, errlen);
  om_wipe(password, sizeof(password));
  if (c != NULL) {
    om_histogram_observe(&pg->latency, om_monotonic_s() - start);
    note_server(pg, c);
  }
  return c;
}

/* --- querying ------------------------------------------------------------ */

/* Every query but the archiver's takes LIMIT $1 (MaxRows + 1, so that a
 * longer result shows); those that list grants or sizes take the selected
 * databases as $2. */
static const char SQL_DATABASES[] =
    "SELECT datname, datistemplate FROM pg_catalog.pg_database "
    "ORDER BY datname LIMIT $1";
static const char SQL_SIZES[] =
    "SELECT datname, pg_catalog.pg_database_size(oid) "
    "FROM pg_catalog.pg_database WHERE datname = ANY($2::name[]) "
    "ORDER BY datname LIMIT $1";
static const char SQL_ROLES[] =
    "SELECT rolname, rolcanlogin, COALESCE(rolvaliduntil < now(), false) "
    "FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' "
    "ORDER BY rolname LIMIT $1";
static const char SQL_DATABASE_GRANTS[] =
    "SELECT d.datname, r.rolname, "
    "string_agg(DISTINCT a.privilege_type, ',' ORDER BY a.privilege_type) "
    "FROM pg_catalog.pg_database d "
    "CROSS JOIN LATERAL pg_catalog.aclexplode(d.datacl) a "
    "JOIN pg_catalog.pg_roles r ON r.oid = a.grantee "
    "WHERE a.grantee <> d.datdba AND d.datname = ANY($2::name[]) "
    "GROUP BY d.datname, r.rolname ORDER BY 1, 2 LIMIT $1";
static const char SQL_MEMBERSHIPS[] =
    "SELECT m.rolname, "
    "string_agg(DISTINCT r.rolname, ',' ORDER BY r.rolname) "
    "FROM pg_catalog.pg_auth_members am "
    "JOIN pg_catalog.pg_roles r ON r.oid = am.roleid "
    "JOIN pg_catalog.pg_roles m ON m.oid = am.member "
    "WHERE m.rolname !~ '^pg_' GROUP BY m.rolname ORDER BY 1 LIMIT $1";
static const char SQL_ARCHIVER[] =
    "SELECT archived_count, failed_count, "
    "EXTRACT(EPOCH FROM now() - last_archived_time) "
    "FROM pg_catalog.pg_stat_archiver";
static const char SQL_PING[] = "SELECT 1";

typedef int (*parse_fn)(om_pg_snapshot *, const om_pg_table *, char *, size_t);

typedef struct {
  const char *what;
  const char *sql;
  int nparams; /* 0, 1 (limit) or 2 (limit, databases) */
  parse_fn parse;
} query;

static const query STATS_QUERIES[] = {
    {"database sizes", SQL_SIZES, 2, om_pg_parse_sizes},
    {"roles", SQL_ROLES, 1, om_pg_parse_roles},
    {"database grants", SQL_DATABASE_GRANTS, 2, om_pg_parse_database_grants},
    {"role memberships", SQL_MEMBERSHIPS, 1, om_pg_parse_memberships},
    {"pg_stat_archiver", SQL_ARCHIVER, 0, om_pg_parse_archiver},
};

static bool keep_database(const void *cfg, const char *datname,
                          bool is_template) {
  return om_pg_database_selected(cfg, datname, is_template);
}

static int parse_databases(om_pg_snapshot *s, const om_pg_table *t, char *err,
                           size_t errlen, const om_pg_config *cfg) {
  return om_pg_parse_databases(s, t, keep_database, cfg, err, errlen);
}

/* Runs one query and hands its rows to the parser. */
static int run(om_pg *pg, PGconn *c, const char *what, const char *sql,
               const char *const *params, int nparams, double deadline,
               om_pg_snapshot *s, parse_fn parse, char *err, size_t errlen) {
  char why[400];
  PGresult *r =
      om_pg_query(c, sql, nparams, params, deadline, why, sizeof(why));
  if (r == NULL) {
    snprintf(err, errlen, "query of %s failed: %s", what, why);
    return -1;
  }
  om_pg_table t;
  const char **cells = NULL;
  bool more = false;
  int rc = om_pg_table_of(r, pg->cfg->max_rows, &t, &cells, &more);
  if (rc == 0) {
    rc = parse != NULL ? parse(s, &t, why, sizeof(why))
                       : parse_databases(s, &t, why, sizeof(why), pg->cfg);
    if (rc != 0)
      snprintf(err, errlen, "result of %s: %s", what, why);
  } else {
    snprintf(err, errlen, "result of %s: out of memory", what);
  }
  if (more)
    OM_COMPLAIN(OM_LOG_WARNING, &pg->rows_complaint, pg->cfg->block.id,
                "%s: more than MaxRows (%zu) rows; the rest is left out", what,
                pg->cfg->max_rows);
  free(cells);
  PQclear(r);
  return rc;
}

/* All queries of a PostgreSQL server, within one deadline. */
static int gather(om_pg *pg, PGconn *c, double deadline, om_pg_snapshot *s,
                  char *err, size_t errlen) {
  const char *params[2] = {pg->max_rows, NULL};
  if (run(pg, c, "databases", SQL_DATABASES, params, 1, deadline, s, NULL, err,
          errlen) != 0)
    return -1;
  char *dbs = om_pg_database_array(s);
  if (dbs == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  params[1] = dbs;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < OM_LEN(STATS_QUERIES); i++) {
    const query *q = &STATS_QUERIES[i];
    rc = run(pg, c, q->what, q->sql, params, q->nparams, deadline, s, q->parse,
             err, errlen);
  }
  free(dbs);
  return rc;
}

static int ping(PGconn *c, double deadline, char *err, size_t errlen) {
  char why[400];
  PGresult *r = om_pg_query(c, SQL_PING, 0, NULL, deadline, why, sizeof(why));
  if (r == NULL) {
    snprintf(err, errlen, "health query failed: %s", why);
    return -1;
  }
  PQclear(r);
  return 0;
}

/* One check: connection and queries. Returns whether the server is healthy;
 * *complete says whether s holds everything the engine's queries tell. */
static bool check(om_pg *pg, om_pg_snapshot *s, bool *complete, char *err,
                  size_t errlen) {
  *complete = false;
  PGconn *c = connect_server(pg, err, errlen);
  if (c == NULL)
    return false;
  double deadline = om_monotonic_s() + pg->cfg->statement_timeout_s;
  int rc = om_pg_engine_is_postgres(pg->cfg)
               ? gather(pg, c, deadline, s, err, errlen)
               : ping(c, deadline, err, errlen);
  PQfinish(c);
  *complete = rc == 0 && om_pg_engine_is_postgres(pg->cfg);
  return rc == 0;
}

/* --- dispatching ---------------------------------------------------------- */

/* Attempts by status and the latency histogram. */
static void dispatch_connection(om_pg *pg, const om_pg_identity *id) {
  const char *status[] = {"success", "failure"};
  uint64_t counts[] = {pg->attempts_success, pg->attempts_failure};
  for (int i = 0; i < 2; i++) {
    om_label l[OM_PG_SERVER_LABELS + 1]; /* the emitter reorders them */
    om_pg_server_labels(id, l);
    l[OM_PG_SERVER_LABELS] = om_label_cstr("status", status[i]);
    om_emit_family(&pg->emit, "dbops_connection_attempts_total", l,
                   OM_PG_SERVER_LABELS + 1, (double)counts[i]);
  }
  om_label l[OM_PG_SERVER_LABELS];
  om_pg_server_labels(id, l);
  om_emit_histogram(&pg->emit, "dbops_connection_latency_seconds", l,
                    OM_PG_SERVER_LABELS, &pg->latency);
}

/* A failure is logged once per distinct reason, recovery once. */
static void note_health(om_pg *pg, bool healthy, const char *err) {
  const char *b = pg->cfg->block.id;
  if (healthy)
    om_state_ok(&pg->health, OM_LOG_INFO, b, "%s",
                "the server's health check succeeds again");
  else
    om_state_fail(&pg->health, om_hash_bytes(OM_HASH_SEED, err, strlen(err)),
                  OM_LOG_ERR, b,
                  "health check failed: %s; reporting dbops_instance_healthy "
                  "0 until it succeeds",
                  err);
}

/* Rows the server sent that could not be used: rate-limited. */
static void note_rejections(om_pg *pg, const om_pg_snapshot *s) {
  const char *b = pg->cfg->block.id;
  if (s->rows_rejected == 0) {
    OM_RELEASE(OM_LOG_INFO, &pg->rejected_complaint, b, "%s",
               "no invalid rows in the server's answers any more");
    return;
  }
  OM_COMPLAIN(OM_LOG_WARNING, &pg->rejected_complaint, b,
              "skipped %zu invalid row(s) of the server's answers; the "
              "first: %s",
              s->rows_rejected, s->first_rejection);
}

int om_pg_read(void *p) {
  om_pg *pg = p;
  om_emitter_begin(&pg->emit);
  om_pg_snapshot snap = {0};
  char err[512] = "";
  bool complete = false;
  bool healthy = check(pg, &snap, &complete, err, sizeof(err));
  if (healthy) {
    pg->attempts_success++;
    pg->last_ok_s = om_wall_s();
  } else {
    pg->attempts_failure++;
  }
  note_health(pg, healthy, err);
  const om_pg_config *cfg = pg->cfg;
  om_pg_identity id = {
      .instance = cfg->instance,
      .engine = cfg->engine,
      .namespace_ = cfg->namespace_ ? cfg->namespace_ : "",
      .host = pg->host,
      .port = pg->port,
      .version = pg->version,
  };
  om_sink sink = om_emitter_sink(&pg->emit);
  dispatch_connection(pg, &id);
  om_pg_map_health(&id, healthy, pg->last_ok_s, &sink);
  if (complete) {
    note_rejections(pg, &snap);
    om_pg_map_snapshot(&id, &snap, &sink);
  }
  om_emitter_end(&pg->emit);
  om_pg_snapshot_free(&snap);
  return 0;
}

om_emitter *om_pg_emitter(void *collector) {
  return &((om_pg *)collector)->emit;
}

/* The <Postgres> collector's read callback: connect, query, dispatch.
 *
 * Every read makes one connection and closes it before returning, so a
 * block never holds more than one and leaves none behind. The connection
 * must be made within ConnectTimeout and all queries answered within
 * StatementTimeout (also set on the server as statement_timeout). Whatever
 * happens, the read dispatches the health families and returns 0: a server
 * that is down is a measurement, not a failed read. */
#include "om_postgres.h"
#include "om_collectd.h"
#include "om_file.h"
#include "om_log.h"
#include "om_pg_client.h"
#include "om_pg_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD_MAX 1024
#define APP_NAME_MAX 64 /* NAMEDATALEN */
#define MAX_KEYWORDS 16
#define VERSION_MAX 128
#define SERVER_TIMEOUT_SHARE 0.9

struct om_pg {
  om_pg_config *cfg;
  const om_catalog *catalog;
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
  cdtime_t now; /* the time of this read's samples */
  uint64_t dropped[OM_DROP_REASONS_NUM];
  bool failing;      /* the last check failed */
  char failure[512]; /* why, as last logged */
  c_complain_t rows_complaint;
};

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
  char full[2 * DATA_MAX_NAME_LEN];
  snprintf(full, sizeof(full), OM_PLUGIN_NAME "/%s", pg->cfg->name);
  size_t cut = strlen(full);
  if (cut >= sizeof(pg->app_name)) {
    cut = sizeof(pg->app_name) - 1;
    while (cut > 0 && ((unsigned char)full[cut] & 0xC0) == 0x80)
      cut--;
  }
  memcpy(pg->app_name, full, cut);
  pg->app_name[cut] = '\0';
}

om_pg *om_pg_new(om_pg_config *cfg, const om_catalog *catalog) {
  om_pg *pg = calloc(1, sizeof(*pg));
  if (pg == NULL) {
    om_pg_config_free(cfg);
    return NULL;
  }
  pg->cfg = cfg;
  pg->catalog = catalog;
  const om_family *f = NULL;
  const om_series_type *st = om_catalog_series_of(
      catalog, "dbops_connection_latency_seconds", OM_SERIES_BUCKET);
  if (st != NULL)
    f = st->family;
  if (f == NULL ||
      om_histogram_init(&pg->latency, f->buckets, f->buckets_num) != 0) {
    om_log(OM_LOG_ERR, cfg->block_id, "internal error: no latency buckets");
    om_pg_free(pg);
    return NULL;
  }
  C_COMPLAIN_INIT(&pg->rows_complaint);
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
  double start = om_pg_now();
  PGconn *c = om_pg_connect(ci.keywords, ci.values,
                            start + pg->cfg->connect_timeout_s, err, errlen);
  om_wipe(password, sizeof(password));
  if (c != NULL) {
    om_histogram_observe(&pg->latency, om_pg_now() - start);
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
    OM_COMPLAIN(LOG_WARNING, &pg->rows_complaint, pg->cfg->block_id,
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
  for (size_t i = 0;
       rc == 0 && i < sizeof(STATS_QUERIES) / sizeof(*STATS_QUERIES); i++) {
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
  double deadline = om_pg_now() + pg->cfg->statement_timeout_s;
  int rc = om_pg_engine_is_postgres(pg->cfg)
               ? gather(pg, c, deadline, s, err, errlen)
               : ping(c, deadline, err, errlen);
  PQfinish(c);
  *complete = rc == 0 && om_pg_engine_is_postgres(pg->cfg);
  return rc == 0;
}

/* --- dispatching ---------------------------------------------------------- */

static void sink(void *ctx, const char *family, om_label *labels, size_t n,
                 double value) {
  om_pg *pg = ctx;
  om_dispatch_family(pg->catalog, family, labels, n, value, pg->now,
                     pg->dropped);
}

/* Attempts by status and the latency histogram. */
static void dispatch_connection(om_pg *pg, const om_pg_identity *id) {
  const char *status[] = {"success", "failure"};
  uint64_t counts[] = {pg->attempts_success, pg->attempts_failure};
  for (int i = 0; i < 2; i++) {
    om_label l[OM_PG_SERVER_LABELS + 1]; /* the sink reorders them */
    om_pg_server_labels(id, l);
    l[OM_PG_SERVER_LABELS] = om_label_cstr("status", status[i]);
    sink(pg, "dbops_connection_attempts_total", l, OM_PG_SERVER_LABELS + 1,
         (double)counts[i]);
  }
  om_label l[OM_PG_SERVER_LABELS];
  om_pg_server_labels(id, l);
  om_dispatch_histogram(pg->catalog, "dbops_connection_latency_seconds", l,
                        OM_PG_SERVER_LABELS, &pg->latency, pg->now,
                        pg->dropped);
}

/* A failure is logged once per distinct reason, recovery once. */
static void note_health(om_pg *pg, bool healthy, const char *err) {
  const char *b = pg->cfg->block_id;
  if (healthy) {
    if (pg->failing)
      om_log(OM_LOG_INFO, b, "%s", "the server's health check succeeds again");
    pg->failing = false;
    pg->failure[0] = '\0';
    return;
  }
  if (!pg->failing || strcmp(pg->failure, err) != 0)
    om_log(OM_LOG_ERR, b,
           "health check failed: %s; reporting dbops_instance_healthy 0 "
           "until it succeeds",
           err);
  pg->failing = true;
  snprintf(pg->failure, sizeof(pg->failure), "%s", err);
}

static void note_rejections(om_pg *pg, const om_pg_snapshot *s) {
  if (s->rows_rejected == 0)
    return;
  om_log(OM_LOG_WARNING, pg->cfg->block_id,
         "skipped %zu invalid row(s) of the server's answers; the first: %s",
         s->rows_rejected, s->first_rejection);
}

int om_pg_read(user_data_t *ud) {
  om_pg *pg = ud->data;
  pg->now = cdtime();
  om_pg_snapshot snap = {0};
  char err[512] = "";
  bool complete = false;
  bool healthy = check(pg, &snap, &complete, err, sizeof(err));
  if (healthy) {
    pg->attempts_success++;
    pg->last_ok_s = CDTIME_T_TO_DOUBLE(cdtime());
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
  dispatch_connection(pg, &id);
  om_pg_map_health(&id, healthy, pg->last_ok_s, sink, pg);
  if (complete) {
    note_rejections(pg, &snap);
    om_pg_map_snapshot(&id, &snap, sink, pg);
  }
  om_dispatch_drop_counts(pg->catalog, "postgres", cfg->name, pg->dropped,
                          pg->now);
  om_pg_snapshot_free(&snap);
  return 0;
}

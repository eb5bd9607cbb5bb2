/* postgres/, pure: includes core/ and postgres/.
 *
 * How a server's health and an om_pg_snapshot become dbops_* and
 * pg_stat_archiver_* samples, handed to a sink. */
#ifndef OM_PG_MAP_H
#define OM_PG_MAP_H

#include "om_pg_snapshot.h"
#include "om_sink.h"

#include <stdbool.h>

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

/* Health: dbops_instance_healthy, dbops_instance_info (phase Ready or
 * Failed), provisioning_database_connected, the DatabaseInstance counts of
 * dbops_resource_count and, when last_ok_s > 0,
 * dbops_instance_last_health_check_timestamp_seconds. */
void om_pg_map_health(const om_pg_identity *id, bool healthy, double last_ok_s,
                      const om_sink *sink);

/* Everything a complete snapshot tells: database sizes and info, user,
 * role and grant info, their dbops_resource_count and the archiver. */
void om_pg_map_snapshot(const om_pg_identity *id, const om_pg_snapshot *s,
                        const om_sink *sink);

/* Every family a <Postgres> block sends, NULL-terminated. */
extern const char *const om_pg_families[];

/* The families whose instance label the documented series lacks: the
 * servers of a namespace add up (om_emitter_combine); NULL-terminated. */
extern const char *const om_pg_summed_families[];

#endif

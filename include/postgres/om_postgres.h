/* postgres/: includes core/, io/, collectd/ and postgres/.
 *
 * The <Postgres> collector: health, sizes, roles, grants and WAL archiving
 * of one PostgreSQL server through libpq. */
#ifndef OM_POSTGRES_H
#define OM_POSTGRES_H

#include "om_catalog.h"
#include "om_emitter.h"

/* The collector of a configuration (an om_pg_config, which it takes over,
 * and frees when it fails); NULL when out of memory. */
void *om_pg_new(void *config, const om_catalog *catalog);
/* One check of the server; always 0 (a server that is down reports
 * dbops_instance_healthy 0). */
int om_pg_read(void *pg);
/* Frees the collector and its configuration; NULL-tolerant. */
void om_pg_free(void *pg);

/* The collector's emitter (om_block_kind.emitter). */
om_emitter *om_pg_emitter(void *collector);

#endif

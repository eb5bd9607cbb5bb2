/* postgres/: includes core/ and postgres/ (and libpq).
 *
 * libpq with deadlines: connecting and querying without ever blocking past
 * a given point in time (om_monotonic_s() seconds). The
 * only wait libpq does not let us bound is a host name lookup; use an
 * address in Host (or hostaddr in a service file) where DNS may stall. */
#ifndef OM_PG_CLIENT_H
#define OM_PG_CLIENT_H

#include "om_pg_snapshot.h"

#include <libpq-fe.h>
#include <stddef.h>

/* Starts a connection from NULL-terminated keyword/value arrays (values
 * may be NULL: libpq's default) and completes it by the deadline. Returns
 * the connection, or NULL with the reason in err (libpq's message, which
 * never holds the password). */
PGconn *om_pg_connect(const char *const *keywords, const char *const *values,
                      double deadline, char *err, size_t errlen);

/* Runs one statement with text parameters and waits for its rows until the
 * deadline. Returns a PGRES_TUPLES_OK result, or NULL with the reason in
 * err; after a timeout the connection must be closed. */
PGresult *om_pg_query(PGconn *c, const char *sql, int nparams,
                      const char *const *params, double deadline, char *err,
                      size_t errlen);

/* libpq's version, "15.20" (out: cap bytes). */
void om_pg_lib_version(char *out, size_t cap);

/* A view of at most max_rows rows of r; *cells is malloc'd (free it), the
 * strings belong to r. *more is set when r has more rows than that. */
int om_pg_table_of(const PGresult *r, size_t max_rows, om_pg_table *out,
                   const char ***cells, bool *more);

#endif

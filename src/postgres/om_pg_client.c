/* libpq with deadlines; see om_pg_client.h. */
#include "om_pg_client.h"
#include "om_text.h"
#include "om_time.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpq's messages end in newlines and may span lines: one line. */
static void copy_message(const char *msg, char *err, size_t errlen) {
  if (om_text_one_line(msg ? msg : "", msg ? strlen(msg) : 0, err, errlen) == 0)
    snprintf(err, errlen, "unknown libpq error");
}

/* Waits until the socket is ready for events; 1 ready, 0 timed out, -1. */
static int wait_socket(PGconn *c, short events, double deadline) {
  for (;;) {
    double left = deadline - om_monotonic_s();
    if (left <= 0)
      return 0;
    struct pollfd p = {.fd = PQsocket(c), .events = events};
    if (p.fd < 0)
      return -1;
    int rc = poll(&p, 1, (int)(left * 1000) + 1);
    if (rc > 0)
      return 1;
    if (rc < 0 && errno != EINTR)
      return -1;
  }
}

PGconn *om_pg_connect(const char *const *keywords, const char *const *values,
                      double deadline, char *err, size_t errlen) {
  PGconn *c = PQconnectStartParams(keywords, values, 0);
  if (c == NULL) {
    snprintf(err, errlen, "out of memory starting a connection");
    return NULL;
  }
  PostgresPollingStatusType st = PQstatus(c) == CONNECTION_BAD
                                     ? PGRES_POLLING_FAILED
                                     : PGRES_POLLING_WRITING;
  while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
    int ready = wait_socket(c, st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
                            deadline);
    if (ready <= 0) {
      snprintf(err, errlen, "%s",
               ready == 0 ? "no connection within ConnectTimeout"
                          : "waiting for the server's socket failed");
      PQfinish(c);
      return NULL;
    }
    st = PQconnectPoll(c);
  }
  if (st == PGRES_POLLING_FAILED) {
    copy_message(PQerrorMessage(c), err, errlen);
    PQfinish(c);
    return NULL;
  }
  return c;
}

/* Sends what libpq buffered; 0 done, -1 failed or out of time. */
static int flush_by(PGconn *c, double deadline) {
  int f;
  while ((f = PQflush(c)) == 1)
    if (wait_socket(c, POLLOUT | POLLIN, deadline) <= 0 ||
        PQconsumeInput(c) == 0)
      return -1;
  return f;
}

/* Reads until a result is ready; 0, or -1 with err set. */
static int await_result(PGconn *c, double deadline, char *err, size_t errlen) {
  while (PQisBusy(c)) {
    int ready = wait_socket(c, POLLIN, deadline);
    if (ready == 0) {
      snprintf(err, errlen, "no answer within StatementTimeout");
      return -1;
    }
    if (ready < 0 || PQconsumeInput(c) == 0) {
      copy_message(PQerrorMessage(c), err, errlen);
      return -1;
    }
  }
  return 0;
}

PGresult *om_pg_query(PGconn *c, const char *sql, int nparams,
                      const char *const *params, double deadline, char *err,
                      size_t errlen) {
  if (PQsetnonblocking(c, 1) != 0 ||
      !PQsendQueryParams(c, sql, nparams, NULL, params, NULL, NULL, 0) ||
      flush_by(c, deadline) != 0) {
    copy_message(PQerrorMessage(c), err, errlen);
    return NULL;
  }
  PGresult *first = NULL;
  for (;;) {
    if (await_result(c, deadline, err, errlen) != 0) {
      PQclear(first);
      return NULL;
    }
    PGresult *r = PQgetResult(c);
    if (r == NULL)
      break;
    if (first == NULL)
      first = r;
    else
      PQclear(r);
  }
  if (first == NULL || PQresultStatus(first) != PGRES_TUPLES_OK) {
    copy_message(first ? PQresultErrorMessage(first) : PQerrorMessage(c), err,
                 errlen);
    PQclear(first);
    return NULL;
  }
  return first;
}

int om_pg_table_of(const PGresult *r, size_t max_rows, om_pg_table *out,
                   const char ***cells, bool *more) {
  size_t rows = (size_t)PQntuples(r), cols = (size_t)PQnfields(r);
  *more = rows > max_rows;
  if (*more)
    rows = max_rows;
  const char **c = calloc(rows * cols + 1, sizeof(*c));
  if (c == NULL)
    return -1;
  for (size_t i = 0; i < rows; i++)
    for (size_t j = 0; j < cols; j++)
      c[i * cols + j] =
          PQgetisnull(r, (int)i, (int)j) ? NULL : PQgetvalue(r, (int)i, (int)j);
  *out = (om_pg_table){rows, cols, c};
  *cells = c;
  return 0;
}

void om_pg_lib_version(char *out, size_t cap) {
  int v = PQlibVersion(); /* 150020 since 10: major * 10000 + minor */
  snprintf(out, cap, "%d.%d", v / 10000, v % 10000);
}

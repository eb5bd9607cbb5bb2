/* core/, pure: includes only core/.
 *
 * A coordination.k8s.io/v1 Lease as a leader election uses it, without
 * I/O: reading the object the API server returns, writing the one to
 * create or update, and deciding what a candidate does.
 *
 * Expiry is judged as client-go's leader election judges it: by the
 * candidate's own clock, from the moment it first saw the lease's current
 * resourceVersion, never from the holder's renewTime (the clocks of two
 * nodes need not agree). A holder renews at every read, so its
 * resourceVersion keeps changing; one that stops leaves the lease
 * unchanged for leaseDurationSeconds, and a candidate takes it over. */
#ifndef OM_LEASE_H
#define OM_LEASE_H

#include <stdbool.h>
#include <stddef.h>

#define OM_LEASE_HOLDER_MAX 256
#define OM_LEASE_VERSION_MAX 128
#define OM_LEASE_TIME_SIZE 48

typedef struct {
  char holder[OM_LEASE_HOLDER_MAX];   /* spec.holderIdentity; "": none */
  char version[OM_LEASE_VERSION_MAX]; /* metadata.resourceVersion */
  long duration_s;                    /* spec.leaseDurationSeconds; 0: none */
  long transitions;                   /* spec.leaseTransitions */
  char acquire_time[OM_LEASE_TIME_SIZE]; /* spec.acquireTime, as written */
} om_lease_record;

/* Reads a Lease object (len bytes of JSON). -1 with err naming what is
 * wrong when it is not one. */
int om_lease_parse(const char *json, size_t len, om_lease_record *out,
                   char *err, size_t errlen);

/* The Lease to write: holder holds it for duration_s from now (seconds
 * since the epoch). With current NULL a new one (POST); else the update
 * of current (PUT, with its resourceVersion, so that the API server
 * refuses it with 409 Conflict when someone wrote in between): a renewal
 * when holder already holds it, else a takeover (acquireTime now,
 * leaseTransitions + 1). Returns the JSON (free() it) or NULL when out
 * of memory. */
char *om_lease_body(const char *namespace_, const char *name,
                    const om_lease_record *current, const char *holder,
                    long duration_s, double now);

/* MicroTime as the API writes it: "2026-12-02T16:32:10.123456Z". */
void om_lease_time(double epoch_s, char out[OM_LEASE_TIME_SIZE]);

typedef enum {
  OM_LEASE_CREATE, /* there is none: create it */
  OM_LEASE_RENEW,  /* this candidate holds it: renew */
  OM_LEASE_TAKE,   /* free, or expired: take it over */
  OM_LEASE_WAIT,   /* another holds it and renews */
} om_lease_action;

/* What a candidate saw of a lease held by another. */
typedef struct {
  bool known;
  char version[OM_LEASE_VERSION_MAX];
  double since; /* monotonic seconds when it first saw that version */
} om_lease_watch;

/* What candidate me does about the lease (NULL: there is none), now (a
 * monotonic clock in seconds); default_s is the duration of a lease that
 * names none. */
om_lease_action om_lease_decide(om_lease_watch *w, const om_lease_record *r,
                                const char *me, double now, double default_s);

#endif

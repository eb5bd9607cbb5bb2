/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * Leader election for any block: the collectds of a fleet that share a
 * LeaderElection lease (coordination.k8s.io/v1) elect one holder, and only
 * the holder reads and dispatches the block. A round runs at the start of
 * every read: the holder renews, the others watch, and a lease its holder
 * stopped renewing is taken over after its duration (om_lease.h). Every
 * write carries the resourceVersion it read, so two candidates racing for
 * a lease cannot both win: the API server answers the later one 409
 * Conflict. Any failure to read or write the lease makes the block stand
 * by: a block that cannot tell whether it holds the lease does not report,
 * rather than report twice. */
#ifndef OM_ELECTION_H
#define OM_ELECTION_H

#include "liboconfig/oconfig.h"
#include "om_http.h"

#include <stdbool.h>
#include <stddef.h>

/* The lease duration by default: this many intervals of the block. */
#define OM_ELECTION_DEFAULT_INTERVALS 3
/* Each request of a round (two at most): this share of the interval,
 * within bounds, so that a round fits the tenth of the interval the time
 * rule leaves spare (om_block.h). */
#define OM_ELECTION_REQUEST_SHARE 0.05
#define OM_ELECTION_REQUEST_MIN_S 0.2
#define OM_ELECTION_REQUEST_MAX_S 2.0

/* The states of operator_metrics_lease_state, in this order. */
typedef enum {
  OM_ELECTION_LEADER,
  OM_ELECTION_FOLLOWER,
  OM_ELECTION_UNAUTHORIZED, /* 401: the token is not accepted */
  OM_ELECTION_FORBIDDEN,    /* 403: no right to get, create or update */
  OM_ELECTION_UNAVAILABLE,  /* no answer, a timeout, 5xx */
  OM_ELECTION_INVALID,      /* an answer that is not a Lease */
  OM_ELECTION_ERROR,        /* anything else: the token file, memory */
  OM_ELECTION_STATES
} om_election_state;

extern const char *const om_election_state_names[OM_ELECTION_STATES];

typedef struct om_election_conf {
  char *lease;      /* LeaderElection */
  char *namespace_; /* LeaseNamespace */
  double duration_s;
  char *api_server;  /* LeaseAPIServer */
  om_http_auth auth; /* LeaseBearerTokenFile, LeaseCACert */
  char *identity;    /* LeaseIdentity; NULL: $NODE_NAME, else Hostname */
} om_election_conf;

/* Reads an election option of a block into *c (made on first use): 0, -1
 * after logging, or 1 when ci is not one of LeaderElection,
 * LeaseNamespace, LeaseDuration, LeaseIdentity, LeaseAPIServer,
 * LeaseBearerTokenFile, LeaseCACert. */
int om_election_option(om_election_conf **c, const oconfig_item_t *ci,
                       const char *block);

/* Defaults and checks once the block is read (c NULL: no election): the
 * duration (3 intervals by default) must exceed the interval; without
 * LeaseAPIServer the in-cluster API server and service account; no way to
 * reach an API server is an error. 0, or -1 after logging. */
int om_election_finish(om_election_conf *c, const char *block,
                       double interval_s);

void om_election_conf_free(om_election_conf *c);

typedef struct om_election om_election;

/* The election of a block (taking c over); NULL when out of memory. */
om_election *om_election_new(om_election_conf *c, const char *block_id,
                             double interval_s);
void om_election_free(om_election *e);

/* One round, at the start of a read: whether this collectd holds the
 * lease now. */
bool om_election_lead(om_election *e);

/* The state the last round left. */
om_election_state om_election_state_of(const om_election *e);

#endif

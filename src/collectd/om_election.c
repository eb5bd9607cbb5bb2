/* Leader election of a block through a Lease; see om_election.h. */
#include "om_election.h"
#include "om_conf.h"
#include "om_file.h"
#include "om_lease.h"
#include "om_log.h"
#include "om_time.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LEASE_MAX_BYTES (64 * 1024)
#define LEASE_NAME_MAX 253

const char *const om_election_state_names[OM_ELECTION_STATES] = {
    "leader",      "follower", "unauthorized", "forbidden",
    "unavailable", "invalid",  "error"};

/* --- configuration -------------------------------------------------------- */

static om_election_conf *conf_of(om_election_conf **c) {
  if (*c == NULL && (*c = calloc(1, sizeof(**c))) != NULL)
    om_http_auth_init(&(*c)->auth);
  return *c;
}

int om_election_option(om_election_conf **cp, const oconfig_item_t *ci,
                       const char *block) {
  static const char *const NAMES[] = {"LeaderElection", "LeaseNamespace",
                                      "LeaseDuration",  "LeaseIdentity",
                                      "LeaseAPIServer", "LeaseBearerTokenFile",
                                      "LeaseCACert"};
  size_t which = OM_LEN(NAMES);
  for (size_t i = 0; i < OM_LEN(NAMES); i++)
    if (strcasecmp(ci->key, NAMES[i]) == 0)
      which = i;
  if (which == OM_LEN(NAMES))
    return 1;
  om_election_conf *c = conf_of(cp);
  if (c == NULL) {
    om_log(OM_LOG_ERR, block, "%s", "out of memory");
    return -1;
  }
  char **fields[] = {
      &c->lease,       &c->namespace_, NULL,
      &c->identity,    &c->api_server, &c->auth.bearer_token_file,
      &c->auth.ca_cert};
  if (which == 2)
    return om_conf_seconds(ci, block, &c->duration_s);
  if (*fields[which] != NULL) {
    om_log(OM_LOG_ERR, block, "option \"%s\" is given twice", NAMES[which]);
    return -1;
  }
  return om_conf_string(ci, block, fields[which]);
}

void om_election_conf_free(om_election_conf *c) {
  if (c == NULL)
    return;
  free(c->lease);
  free(c->namespace_);
  free(c->api_server);
  free(c->identity);
  om_http_auth_free(&c->auth);
  free(c);
}

/* A Kubernetes object name: a DNS subdomain, as the API server checks. */
static bool dns_subdomain(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > LEASE_NAME_MAX)
    return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    bool inner = i > 0 && i + 1 < n && (ch == '-' || ch == '.');
    if (!alnum && !inner)
      return false;
  }
  return true;
}

/* The pod's own namespace inside a cluster, else "default". */
static int default_namespace(om_election_conf *c) {
  char ns[LEASE_NAME_MAX + 2] = "";
  FILE *f = fopen(OM_CONF_SA_DIR "/namespace", "r");
  if (f != NULL) {
    if (fgets(ns, sizeof(ns), f) == NULL)
      ns[0] = '\0';
    fclose(f);
    ns[strcspn(ns, "\r\n")] = '\0';
  }
  return om_conf_default_string(&c->namespace_,
                                dns_subdomain(ns) ? ns : "default");
}

static int refuse(const char *block, const char *msg) {
  om_log(OM_LOG_ERR, block, "%s", msg);
  return -1;
}

int om_election_finish(om_election_conf *c, const char *block,
                       double interval_s) {
  if (c == NULL)
    return 0;
  if (c->lease == NULL)
    return refuse(block, "options \"LeaseNamespace\", \"LeaseDuration\", "
                         "\"LeaseIdentity\", \"LeaseAPIServer\", "
                         "\"LeaseBearerTokenFile\" and \"LeaseCACert\" need "
                         "\"LeaderElection\"");
  if (!dns_subdomain(c->lease) ||
      (c->namespace_ != NULL && !dns_subdomain(c->namespace_)))
    return refuse(block, "options \"LeaderElection\" and \"LeaseNamespace\" "
                         "take Kubernetes names: lower-case letters, digits, "
                         "'-' and '.', at most 253 bytes");
  if (c->duration_s == 0)
    c->duration_s = OM_ELECTION_DEFAULT_INTERVALS * interval_s;
  if (c->duration_s <= interval_s) {
    om_log(OM_LOG_ERR, block,
           "option \"LeaseDuration\" (%g s) must exceed the interval (%g s): "
           "the holder renews the lease at every read",
           c->duration_s, interval_s);
    return -1;
  }
  if (default_namespace(c) != 0)
    return refuse(block, "out of memory");
  if (om_conf_api_server(block, "LeaseAPIServer", &c->api_server, &c->auth) !=
      0)
    return -1;
  return 0;
}

/* --- the rounds ------------------------------------------------------------
 */

struct om_election {
  om_election_conf *conf;
  const char *block;
  char *url;        /* the lease */
  char *collection; /* where one is created */
  long duration_s;
  double request_s;
  om_http_client *http;
  om_lease_watch watch;
  om_election_state state;
  char holder[OM_LEASE_HOLDER_MAX]; /* the last holder seen */
  char token[OM_HTTP_MAX_TOKEN];
};

void om_election_free(om_election *e) {
  if (e == NULL)
    return;
  om_wipe(e->token, sizeof(e->token));
  om_http_client_free(e->http);
  om_election_conf_free(e->conf);
  free(e->url);
  free(e->collection);
  free(e);
}

/* "<api>/apis/coordination.k8s.io/v1/namespaces/<ns>/leases[/<name>]"
 * (name NULL: the collection). */
static char *lease_url(const om_election_conf *c, const char *name) {
  size_t n = strlen(c->api_server) + strlen(c->namespace_) +
             (name ? strlen(name) : 0) + 64;
  char *s = malloc(n);
  if (s != NULL)
    snprintf(s, n, "%s/apis/coordination.k8s.io/v1/namespaces/%s/leases%s%s",
             c->api_server, c->namespace_, name ? "/" : "", name ? name : "");
  return s;
}

om_election *om_election_new(om_election_conf *c, const char *block_id,
                             double interval_s) {
  om_election *e = calloc(1, sizeof(*e));
  if (e == NULL) {
    om_election_conf_free(c);
    return NULL;
  }
  e->conf = c;
  e->block = block_id;
  e->duration_s = (long)(c->duration_s + 0.999);
  double share = OM_ELECTION_REQUEST_SHARE * interval_s;
  e->request_s = share < OM_ELECTION_REQUEST_MIN_S   ? OM_ELECTION_REQUEST_MIN_S
                 : share > OM_ELECTION_REQUEST_MAX_S ? OM_ELECTION_REQUEST_MAX_S
                                                     : share;
  e->state = OM_ELECTION_FOLLOWER;
  e->url = lease_url(c, c->lease);
  e->collection = lease_url(c, NULL);
  e->http = om_http_client_new();
  if (e->url == NULL || e->collection == NULL || e->http == NULL) {
    om_election_free(e);
    return NULL;
  }
  return e;
}

om_election_state om_election_state_of(const om_election *e) {
  return e->state;
}

/* The identity this collectd holds leases under. */
static const char *identity(const om_election *e) {
  if (e->conf->identity != NULL)
    return e->conf->identity;
  return om_conf_node_name();
}

/* The state an unsuccessful request leaves. */
static om_election_state state_of_failure(om_http_outcome o, long status) {
  if (o == OM_HTTP_STATUS && status == 401)
    return OM_ELECTION_UNAUTHORIZED;
  if (o == OM_HTTP_STATUS && status == 403)
    return OM_ELECTION_FORBIDDEN;
  if (o == OM_HTTP_TOO_LARGE)
    return OM_ELECTION_INVALID;
  if (o == OM_HTTP_SETUP)
    return OM_ELECTION_ERROR;
  return OM_ELECTION_UNAVAILABLE;
}

/* One request: method NULL (GET), or "POST"/"PUT" with body. */
static om_http_outcome request(om_election *e, const char *url,
                               const char *method, const char *body) {
  om_http_request req = {.url = url,
                         .timeout_ms = (long)(e->request_s * 1000),
                         .accept = "application/json",
                         .max_bytes = LEASE_MAX_BYTES,
                         .method = method,
                         .body = body,
                         .body_len = body ? strlen(body) : 0};
  om_http_auth_apply(&e->conf->auth, e->token, &req);
  return om_http_get(e->http, &req);
}

/* Logs the state a round ends in when it differs from the last one (or,
 * for a follower, when the holder changed). */
static void note(om_election *e, om_election_state s, const char *holder,
                 const char *why) {
  const char *ns = e->conf->namespace_, *name = e->conf->lease;
  bool same_holder = strcmp(holder, e->holder) == 0;
  if (s == e->state && (s != OM_ELECTION_FOLLOWER || same_holder))
    return;
  if (s == OM_ELECTION_LEADER)
    om_log(OM_LOG_INFO, e->block,
           "holds lease %s/%s as \"%s\": this block "
           "reads and reports",
           ns, name, identity(e));
  else if (s == OM_ELECTION_FOLLOWER)
    om_log(OM_LOG_INFO, e->block,
           "lease %s/%s is held by \"%s\": this block "
           "stands by",
           ns, name, holder);
  else
    om_log(OM_LOG_WARNING, e->block,
           "cannot use lease %s/%s (%s): %s; this "
           "block stands by",
           ns, name, om_election_state_names[s], why);
  snprintf(e->holder, sizeof(e->holder), "%s", holder);
  e->state = s;
}

/* Ends a round that failed on the request just made. */
static bool failed(om_election *e, om_http_outcome o) {
  note(e, state_of_failure(o, om_http_status(e->http)), "",
       om_http_error(e->http));
  return false;
}

/* Writes the lease (current NULL: creates it); whether it is ours now. */
static bool write_lease(om_election *e, const om_lease_record *current) {
  const char *me = identity(e);
  char *body = om_lease_body(e->conf->namespace_, e->conf->lease, current, me,
                             e->duration_s, om_wall_s());
  if (body == NULL) {
    note(e, OM_ELECTION_ERROR, "", "out of memory");
    return false;
  }
  om_http_outcome o = current == NULL ? request(e, e->collection, "POST", body)
                                      : request(e, e->url, "PUT", body);
  free(body);
  if (o == OM_HTTP_OK) {
    note(e, OM_ELECTION_LEADER, me, "");
    return true;
  }
  if (o == OM_HTTP_STATUS && om_http_status(e->http) == 409) {
    /* another candidate wrote first: it holds the lease */
    note(e, OM_ELECTION_FOLLOWER, "another candidate", "");
    return false;
  }
  return failed(e, o);
}

bool om_election_lead(om_election *e) {
  char err[512];
  if (!om_http_auth_load_token(&e->conf->auth, e->token, err, sizeof(err))) {
    note(e, OM_ELECTION_ERROR, "", err);
    return false;
  }
  om_http_outcome o = request(e, e->url, NULL, NULL);
  bool absent = o == OM_HTTP_STATUS && om_http_status(e->http) == 404;
  if (o != OM_HTTP_OK && !absent)
    return failed(e, o);
  om_lease_record r;
  if (!absent) {
    size_t len;
    const char *body = om_http_body(e->http, &len);
    if (om_lease_parse(body, len, &r, err, sizeof(err)) != 0) {
      note(e, OM_ELECTION_INVALID, "", err);
      return false;
    }
  }
  switch (om_lease_decide(&e->watch, absent ? NULL : &r, identity(e),
                          om_monotonic_s(), (double)e->duration_s)) {
  case OM_LEASE_CREATE:
    return write_lease(e, NULL);
  case OM_LEASE_RENEW:
  case OM_LEASE_TAKE:
    return write_lease(e, &r);
  default:
    note(e, OM_ELECTION_FOLLOWER, r.holder, "");
    return false;
  }
}

/* io/: includes core/ and system libraries, never collectd.
 *
 * HTTP(S) requests with libcurl, every step bounded: GET, and the POST
 * and PUT of a JSON body (the Kubernetes API's writes).
 *
 * One client per collector block, used by one thread at a time; it keeps
 * libcurl's connection cache between requests. Each request sets a total
 * deadline (connect included), refuses redirects unless asked, accepts
 * compressed responses and stops reading once the decoded body would exceed
 * max_bytes. Error texts never contain the bearer token. */
#ifndef OM_HTTP_H
#define OM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a bearer token, terminator included. */
#define OM_HTTP_MAX_TOKEN 16384

typedef enum {
  OM_HTTP_OK = 0,    /* a 2xx response, body complete */
  OM_HTTP_SETUP,     /* libcurl refused an option */
  OM_HTTP_TRANSPORT, /* connect, TLS, timeout, truncated transfer */
  OM_HTTP_STATUS,    /* a response that is not 2xx */
  OM_HTTP_TOO_LARGE, /* the body exceeded max_bytes */
} om_http_outcome;

typedef struct {
  const char *url;
  long timeout_ms;
  const char *ca_cert;     /* NULL: the system's CAs */
  const char *client_cert; /* NULL: none */
  const char *client_key;
  bool verify_peer;
  bool verify_host;
  bool follow_redirects;
  const char *bearer_token; /* NULL: none */
  const char *accept;       /* NULL: no Accept header */
  size_t max_bytes;
  const char *method; /* NULL: GET; "POST" or "PUT" with a body */
  const char *body;   /* JSON, sent as application/json; NULL: none */
  size_t body_len;
} om_http_request;

/* How a collector authenticates to an HTTPS server and checks it, as the
 * options CACert, ClientCert, ClientKey, BearerTokenFile, VerifyPeer,
 * VerifyHost and AllowCleartextToken set it (om_conf_http_auth reads
 * them). */
typedef struct {
  char *ca_cert;     /* NULL: the system's CAs */
  char *client_cert; /* NULL: none */
  char *client_key;
  char *bearer_token_file; /* NULL: no token */
  bool verify_peer;
  bool verify_host;
  bool allow_cleartext_token; /* the token may go over http:// elsewhere */
} om_http_auth;

/* Verification on, nothing else. */
void om_http_auth_init(om_http_auth *a);
void om_http_auth_free(om_http_auth *a);
/* Copies the TLS settings into req, and token as the bearer token when a
 * BearerTokenFile is set. */
void om_http_auth_apply(const om_http_auth *a, const char *token,
                        om_http_request *req);
/* Reads the BearerTokenFile (again, at every use, so that a rotated token
 * is used) into token (cap OM_HTTP_MAX_TOKEN). true when there is none;
 * false with err "BearerTokenFile \"<path>\": <why>" when it cannot be
 * read. */
bool om_http_auth_load_token(const om_http_auth *a, char *token, char *err,
                             size_t errlen);

typedef struct om_http_client om_http_client;

/* libcurl's global set-up and tear-down (curl_global_init/cleanup): call
 * while the process is single-threaded (collectd's init and shutdown).
 * -1 with the reason in err when libcurl cannot be set up. */
int om_http_global_init(char *err, size_t errlen);

/* The libcurl the plugin runs with, "7.88.1". */
const char *om_http_lib_version(void);
void om_http_global_cleanup(void);

om_http_client *om_http_client_new(void);
void om_http_client_free(om_http_client *c);

/* Performs the request: a GET, or req->method with req->body. */
om_http_outcome om_http_get(om_http_client *c, const om_http_request *req);

/* The body of the last request (valid until the next one): complete for
 * OM_HTTP_OK and OM_HTTP_STATUS (e.g. an error's Status object), empty
 * after any other outcome. */
const char *om_http_body(const om_http_client *c, size_t *len);
/* The HTTP status of the last request, 0 when there was no response. */
long om_http_status(const om_http_client *c);
/* The delay the last response's Retry-After asks for, in seconds (at most
 * max_s; now: seconds since the epoch), or -1 when it had none that reads
 * as one. */
double om_http_retry_after_s(const om_http_client *c, double now, double max_s);
/* Why the last request failed, in words. */
const char *om_http_error(const om_http_client *c);

/* The URL without user, password and query, for log lines. */
void om_http_url_display(const char *url, char *buf, size_t cap);

/* Whether a request to url would go over plain http:// to a host other
 * than this machine's loopback (127.0.0.0/8, ::1, localhost); host gets
 * the URL's host. false for https://, loopback, and what is not a URL. */
bool om_http_url_cleartext_remote(const char *url, char *host, size_t cap);

/* "host:port" of an http(s) URL (default port filled in) into buf; or -1
 * with a reason in err when the URL is not a valid http(s) URL. */
int om_http_url_instance(const char *url, char *buf, size_t cap, char *err,
                         size_t errlen);

#endif

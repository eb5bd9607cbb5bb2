/* HTTP(S) GET with libcurl; see om_http.h. */
#define _GNU_SOURCE
#include "om_http.h"
#include "om_buf.h"
#include "om_file.h"
#include "om_http_header.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_AGENT "collectd-operator-metrics/" OM_VERSION
#define MAX_REDIRECTS 5
/* a body buffer up to this size is kept for the next request */
#define KEEP_BODY_BYTES (1024 * 1024)

struct om_http_client {
  CURL *curl;
  om_buf body;
  size_t max_bytes;
  bool too_large;
  long status;
  /* the Retry-After of the last response, when it had one */
  char retry_after[OM_HTTP_HEADER_VALUE_MAX + 1];
  size_t retry_after_len;
  bool has_retry_after;
  char curl_error[CURL_ERROR_SIZE];
  char error[CURL_ERROR_SIZE + 128];
};

static bool global_ready;

int om_http_global_init(char *err, size_t errlen) {
  if (global_ready)
    return 0;
  CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    snprintf(err, errlen, "curl_global_init failed: %s",
             curl_easy_strerror(rc));
    return -1;
  }
  global_ready = true;
  return 0;
}

void om_http_global_cleanup(void) {
  if (!global_ready)
    return;
  curl_global_cleanup();
  global_ready = false;
}

om_http_client *om_http_client_new(void) {
  om_http_client *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return NULL;
  c->curl = curl_easy_init();
  if (c->curl == NULL) {
    free(c);
    return NULL;
  }
  return c;
}

void om_http_client_free(om_http_client *c) {
  if (c == NULL)
    return;
  curl_easy_cleanup(c->curl);
  om_buf_clear(&c->body, true);
  free(c);
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud) {
  om_http_client *c = ud;
  size_t n = size * nmemb;
  if (n > c->max_bytes - c->body.len) {
    c->too_large = true;
    return 0; /* aborts the transfer */
  }
  return om_buf_append(&c->body, data, n, c->max_bytes) ? n : 0;
}

/* Keeps the Retry-After of the final response (a redirect or a 100
 * Continue starts anew). */
static size_t on_header(char *line, size_t size, size_t nitems, void *ud) {
  om_http_client *c = ud;
  size_t n = size * nitems;
  om_slice v;
  if (om_http_header_is_status(line, n)) {
    c->has_retry_after = false;
  } else if (om_http_header_is(line, n, "Retry-After", &v) &&
             v.len <= OM_HTTP_HEADER_VALUE_MAX) {
    memcpy(c->retry_after, v.ptr, v.len);
    c->retry_after_len = v.len;
    c->has_retry_after = true;
  }
  return n;
}

double om_http_retry_after_s(const om_http_client *c, double now,
                             double max_s) {
  if (!c->has_retry_after)
    return -1;
  return om_http_retry_after((om_slice){c->retry_after, c->retry_after_len},
                             now, max_s);
}

const char *om_http_body(const om_http_client *c, size_t *len) {
  *len = c->body.len;
  return om_buf_str(&c->body);
}

long om_http_status(const om_http_client *c) { return c->status; }

const char *om_http_error(const om_http_client *c) { return c->error; }

#define SETOPT(c, opt, val)                                                    \
  do {                                                                         \
    if (curl_easy_setopt((c)->curl, opt, val) != CURLE_OK) {                   \
      snprintf((c)->error, sizeof((c)->error),                                 \
               "libcurl refused option " #opt);                                \
      return -1;                                                               \
    }                                                                          \
  } while (0)

static int set_options(om_http_client *c, const om_http_request *r,
                       struct curl_slist *headers) {
  SETOPT(c, CURLOPT_URL, r->url);
  SETOPT(c, CURLOPT_NOSIGNAL, 1L);
  SETOPT(c, CURLOPT_TIMEOUT_MS, r->timeout_ms);
  SETOPT(c, CURLOPT_CONNECTTIMEOUT_MS, r->timeout_ms);
  SETOPT(c, CURLOPT_PROTOCOLS_STR, "http,https");
  SETOPT(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SETOPT(c, CURLOPT_FOLLOWLOCATION, r->follow_redirects ? 1L : 0L);
  SETOPT(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
  SETOPT(c, CURLOPT_PROXY, ""); /* no proxy from the daemon's environment */
  SETOPT(c, CURLOPT_ACCEPT_ENCODING, "");
  SETOPT(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes);
  SETOPT(c, CURLOPT_USERAGENT, USER_AGENT);
  SETOPT(c, CURLOPT_HTTPHEADER, headers);
  SETOPT(c, CURLOPT_WRITEFUNCTION, on_data);
  SETOPT(c, CURLOPT_WRITEDATA, c);
  SETOPT(c, CURLOPT_HEADERFUNCTION, on_header);
  SETOPT(c, CURLOPT_HEADERDATA, c);
  SETOPT(c, CURLOPT_ERRORBUFFER, c->curl_error);
  SETOPT(c, CURLOPT_SSL_VERIFYPEER, r->verify_peer ? 1L : 0L);
  SETOPT(c, CURLOPT_SSL_VERIFYHOST, r->verify_host ? 2L : 0L);
  if (r->ca_cert != NULL)
    SETOPT(c, CURLOPT_CAINFO, r->ca_cert);
  if (r->client_cert != NULL)
    SETOPT(c, CURLOPT_SSLCERT, r->client_cert);
  if (r->client_key != NULL)
    SETOPT(c, CURLOPT_SSLKEY, r->client_key);
  if (r->method != NULL)
    SETOPT(c, CURLOPT_CUSTOMREQUEST, r->method);
  if (r->body != NULL) {
    SETOPT(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    SETOPT(c, CURLOPT_POSTFIELDS, r->body);
  }
  return 0;
}

/* Adds "Name: value" to the list; the temporary copy is wiped. */
static struct curl_slist *add_header(struct curl_slist *list, const char *name,
                                     const char *value, bool *ok) {
  size_t n = strlen(name) + strlen(value) + 3;
  char *line = malloc(n);
  if (line == NULL) {
    *ok = false;
    return list;
  }
  snprintf(line, n, "%s: %s", name, value);
  struct curl_slist *grown = curl_slist_append(list, line);
  om_wipe(line, n);
  free(line);
  if (grown == NULL) {
    *ok = false;
    return list;
  }
  return grown;
}

/* Frees the header list, wiping the copies libcurl made. */
static void free_headers(struct curl_slist *list) {
  for (struct curl_slist *h = list; h != NULL; h = h->next)
    om_wipe(h->data, strlen(h->data));
  curl_slist_free_all(list);
}

static om_http_outcome classify(om_http_client *c, CURLcode rc) {
  if (c->too_large) {
    snprintf(c->error, sizeof(c->error),
             "response body exceeds MaxResponseBytes (%zu bytes)",
             c->max_bytes);
    return OM_HTTP_TOO_LARGE;
  }
  if (rc == CURLE_FILESIZE_EXCEEDED) {
    snprintf(c->error, sizeof(c->error),
             "response announces more than MaxResponseBytes (%zu bytes)",
             c->max_bytes);
    return OM_HTTP_TOO_LARGE;
  }
  if (rc != CURLE_OK) {
    snprintf(c->error, sizeof(c->error), "%s",
             c->curl_error[0] ? c->curl_error : curl_easy_strerror(rc));
    return OM_HTTP_TRANSPORT;
  }
  curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
  if (c->status < 200 || c->status > 299) {
    snprintf(c->error, sizeof(c->error), "HTTP status %ld", c->status);
    return OM_HTTP_STATUS;
  }
  return OM_HTTP_OK;
}

om_http_outcome om_http_get(om_http_client *c, const om_http_request *r) {
  /* a large body of the last request goes back to the system */
  om_buf_clear(&c->body, c->body.cap > KEEP_BODY_BYTES);
  c->too_large = false;
  c->status = 0;
  c->has_retry_after = false;
  c->curl_error[0] = '\0';
  c->error[0] = '\0';
  c->max_bytes = r->max_bytes;

  bool ok = true;
  struct curl_slist *headers = NULL;
  if (r->accept != NULL)
    headers = add_header(headers, "Accept", r->accept, &ok);
  if (r->body != NULL)
    headers = add_header(headers, "Content-Type", "application/json", &ok);
  if (r->bearer_token != NULL) {
    char value[sizeof("Bearer ") + OM_HTTP_MAX_TOKEN];
    snprintf(value, sizeof(value), "Bearer %s", r->bearer_token);
    headers = add_header(headers, "Authorization", value, &ok);
    om_wipe(value, sizeof(value));
  }
  curl_easy_reset(c->curl);
  if (!ok) {
    free_headers(headers);
    snprintf(c->error, sizeof(c->error), "out of memory building headers");
    return OM_HTTP_SETUP;
  }
  if (set_options(c, r, headers) != 0) {
    free_headers(headers);
    return OM_HTTP_SETUP;
  }
  CURLcode rc = curl_easy_perform(c->curl);
  /* Nothing may point at the freed list once we return. */
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
  free_headers(headers);
  om_http_outcome out = classify(c, rc);
  if (out != OM_HTTP_OK && out != OM_HTTP_STATUS)
    om_buf_clear(&c->body, false); /* a transfer cut short: nothing */
  return out;
}

int om_http_url_instance(const char *url, char *buf, size_t cap, char *err,
                         size_t errlen) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  int rc = -1;
  if (u == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
  if (uc != CURLUE_OK) {
    snprintf(err, errlen, "not a valid URL (%s)", curl_url_strerror(uc));
  } else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
             (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
    snprintf(err, errlen, "the scheme must be http or https");
  } else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
                 CURLUE_OK) {
    snprintf(err, errlen, "the URL has no host");
  } else if ((size_t)snprintf(buf, cap, "%s:%s", host, port) >= cap) {
    snprintf(err, errlen, "the host name is too long");
  } else {
    rc = 0;
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return rc;
}

/* Whether a host name or address is this machine's loopback. */
static bool is_loopback(const char *host) {
  return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
         strcmp(host, "[::1]") == 0;
}

bool om_http_url_cleartext_remote(const char *url, char *host, size_t cap) {
  CURLU *u = curl_url();
  char *scheme = NULL, *h = NULL;
  bool remote = false;
  if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
    remote = strcmp(scheme, "http") == 0 && !is_loopback(h);
    snprintf(host, cap, "%s", h);
  }
  curl_free(scheme);
  curl_free(h);
  curl_url_cleanup(u);
  return remote;
}

void om_http_url_display(const char *url, char *buf, size_t cap) {
  CURLU *u = curl_url();
  char *shown = NULL;
  if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_URL, &shown, 0) == CURLUE_OK)
    snprintf(buf, cap, "%s", shown);
  else
    snprintf(buf, cap, "(invalid URL)");
  curl_free(shown);
  curl_url_cleanup(u);
}

void om_http_auth_init(om_http_auth *a) {
  *a = (om_http_auth){.verify_peer = true, .verify_host = true};
}

void om_http_auth_free(om_http_auth *a) {
  free(a->ca_cert);
  free(a->client_cert);
  free(a->client_key);
  free(a->bearer_token_file);
  om_http_auth_init(a);
}

void om_http_auth_apply(const om_http_auth *a, const char *token,
                        om_http_request *req) {
  req->ca_cert = a->ca_cert;
  req->client_cert = a->client_cert;
  req->client_key = a->client_key;
  req->verify_peer = a->verify_peer;
  req->verify_host = a->verify_host;
  req->bearer_token = a->bearer_token_file ? token : NULL;
}

bool om_http_auth_load_token(const om_http_auth *a, char *token, char *err,
                             size_t errlen) {
  char why[256];
  if (a->bearer_token_file == NULL)
    return true;
  if (om_read_secret_file(a->bearer_token_file, token, OM_HTTP_MAX_TOKEN, why,
                          sizeof(why)) >= 0)
    return true;
  snprintf(err, errlen, "BearerTokenFile \"%s\": %s", a->bearer_token_file,
           why);
  return false;
}

const char *om_http_lib_version(void) {
  return curl_version_info(CURLVERSION_NOW)->version;
}

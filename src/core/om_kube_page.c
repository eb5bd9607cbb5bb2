/* Answers to list requests of the Kubernetes API; see om_kube_page.h. */
#define _GNU_SOURCE /* memmem */
#include "om_kube_page.h"
#include "om_json.h"
#include "om_text.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const STATE_NAMES[OM_KUBE_STATES] = {
    "ok",          "unauthorized", "forbidden", "not_installed",
    "expired",     "invalid",      "too_large", "too_many_objects",
    "unavailable", "throttled",    "error"};

const char *om_kube_state_name(om_kube_state s) {
  return s < OM_KUBE_STATES ? STATE_NAMES[s] : "error";
}

void om_kube_page_free(om_kube_page *p) {
  cJSON_Delete(p->root);
  free(p->continue_token);
  *p = (om_kube_page){.remaining = -1};
}

size_t om_kube_page_items(const om_kube_page *p) {
  int n = cJSON_GetArraySize(p->items);
  return n > 0 ? (size_t)n : 0;
}

static om_kube_state state_of_status(long code) {
  switch (code) {
  case 401:
    return OM_KUBE_UNAUTHORIZED;
  case 403:
    return OM_KUBE_FORBIDDEN;
  case 404:
    return OM_KUBE_NOT_INSTALLED;
  case 410:
    return OM_KUBE_EXPIRED;
  case 408:
    return OM_KUBE_UNAVAILABLE;
  case 429:
    return OM_KUBE_THROTTLED;
  default:
    return code >= 500 ? OM_KUBE_UNAVAILABLE : OM_KUBE_ERROR;
  }
}

static int take_continue(const cJSON *meta, om_kube_page *page, char *why,
                         size_t whylen) {
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(meta, "continue");
  if (c == NULL || cJSON_IsNull(c) ||
      (cJSON_IsString(c) && c->valuestring[0] == '\0'))
    return 0;
  if (!cJSON_IsString(c) || strlen(c->valuestring) >= OM_KUBE_MAX_CONTINUE) {
    snprintf(why, whylen,
             "metadata.continue is not a string of less than %d bytes",
             OM_KUBE_MAX_CONTINUE);
    return -1;
  }
  if ((page->continue_token = strdup(c->valuestring)) == NULL) {
    snprintf(why, whylen, "out of memory");
    return -1;
  }
  return 0;
}

/* An error response: its Status object when it has one. */
static om_kube_state read_error(long http_status, const char *body, size_t len,
                                om_kube_page *page, char *why, size_t whylen) {
  om_kube_state s = state_of_status(http_status);
  cJSON *root = cJSON_ParseWithLength(body, len);
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
  if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "Status") != 0) {
    char text[160];
    om_text_one_line(body, len < 120 ? len : 120, text, sizeof(text));
    snprintf(why, whylen, "HTTP %ld%s%s", http_status, text[0] ? ": " : "",
             text);
    cJSON_Delete(root);
    return s;
  }
  const char *reason = om_json_str(root, "reason", "");
  const char *message = om_json_str(root, "message", "");
  char text[320];
  om_text_one_line(message, strlen(message), text, sizeof(text));
  snprintf(why, whylen, "HTTP %ld %s%s%s", http_status, reason,
           text[0] ? ": " : "", text);
  if (s == OM_KUBE_EXPIRED) {
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");
    char ignored[8];
    if (cJSON_IsObject(meta))
      take_continue(meta, page, ignored, sizeof(ignored));
  }
  cJSON_Delete(root);
  return s;
}

/* cJSON ends a string at an escaped NUL, so "nul\\u0000byte" would read as
 * "nul", which may be another object's name. In a copy of the body, each
 * such escape becomes U+FFFD (as long, and in no valid name), so that the
 * object is refused rather than mistaken. NULL when the body has none, or
 * when out of memory (*oom set). */
static char *nul_escapes_replaced(const char *body, size_t len, bool *oom) {
  *oom = false;
  if (memmem(body, len, "\\u0000", 6) == NULL)
    return NULL;
  char *copy = malloc(len ? len : 1);
  if (copy == NULL) {
    *oom = true;
    return NULL;
  }
  memcpy(copy, body, len);
  size_t at = 0;
  char *p;
  while ((p = memmem(copy + at, len - at, "\\u0000", 6)) != NULL) {
    at = (size_t)(p - copy);
    size_t backslashes = 1; /* an escape when an odd number precede the u */
    while (backslashes <= at && copy[at - backslashes] == '\\')
      backslashes++;
    if (backslashes % 2 == 1)
      memcpy(p, "\\uFFFD", 6);
    at += 6;
  }
  return copy;
}

static om_kube_state invalid(om_kube_page *page, char *why, size_t whylen,
                             const char *what) {
  snprintf(why, whylen, "%s", what);
  om_kube_page_free(page);
  return OM_KUBE_INVALID;
}

static int read_remaining(const cJSON *meta, om_kube_page *page) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(meta, "remainingItemCount");
  if (r == NULL || cJSON_IsNull(r))
    return 0;
  if (!cJSON_IsNumber(r) || r->valuedouble < 0 || r->valuedouble > 1e15 ||
      r->valuedouble != (double)(int64_t)r->valuedouble)
    return -1;
  page->remaining = (int64_t)r->valuedouble;
  return 0;
}

om_kube_state om_kube_page_read(long http_status, const char *body, size_t len,
                                om_kube_page *page, char *why, size_t whylen) {
  *page = (om_kube_page){.remaining = -1};
  why[0] = '\0';
  if (http_status < 200 || http_status > 299)
    return read_error(http_status, body, len, page, why, whylen);
  bool oom;
  char *copy = nul_escapes_replaced(body, len, &oom);
  if (oom)
    return invalid(page, why, whylen, "out of memory");
  page->root = cJSON_ParseWithLength(copy ? copy : body, len);
  free(copy);
  if (page->root == NULL)
    return invalid(page, why, whylen, "the body is not JSON");
  if (!cJSON_IsObject(page->root))
    return invalid(page, why, whylen, "the body is not a JSON object");
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(page->root, "kind");
  if (cJSON_IsString(kind) && strcmp(kind->valuestring, "Status") == 0)
    return invalid(page, why, whylen,
                   "a Status object came with a success code");
  page->items = cJSON_GetObjectItemCaseSensitive(page->root, "items");
  if (!cJSON_IsArray(page->items))
    return invalid(page, why, whylen, "\"items\" is missing or not an array");
  const cJSON *meta = cJSON_GetObjectItemCaseSensitive(page->root, "metadata");
  if (meta != NULL && !cJSON_IsObject(meta))
    return invalid(page, why, whylen, "\"metadata\" is not an object");
  if (meta != NULL && read_remaining(meta, page) != 0)
    return invalid(page, why, whylen,
                   "metadata.remainingItemCount is not a count");
  char err[128];
  if (meta != NULL && take_continue(meta, page, err, sizeof(err)) != 0)
    return invalid(page, why, whylen, err);
  return OM_KUBE_OK;
}

int om_kube_query_escape(const char *s, char *buf, size_t cap) {
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;
  for (; *s != '\0'; s++) {
    unsigned char c = (unsigned char)*s;
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                 c == '~';
    if (o + (plain ? 1 : 3) >= cap)
      return -1;
    if (plain) {
      buf[o++] = (char)c;
    } else {
      buf[o++] = '%';
      buf[o++] = hex[c >> 4];
      buf[o++] = hex[c & 15];
    }
  }
  if (o >= cap)
    return -1;
  buf[o] = '\0';
  return 0;
}

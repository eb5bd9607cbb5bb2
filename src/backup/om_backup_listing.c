/* Backup listings and the parser of pgBackRest's info JSON. */
#include "om_backup_listing.h"
#include "om_types.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STATUS_CODE 255
#define MAX_WHOLE 9007199254740992.0 /* 2^53 */

static void item_free(om_backup_item *it) { free(it->id); }

static void set_free(om_backup_set *s) {
  for (size_t i = 0; i < s->items_num; i++)
    item_free(&s->items[i]);
  free(s->items);
  free(s->name);
  free(s->status_text);
}

void om_backup_listing_free(om_backup_listing *l) {
  if (l == NULL)
    return;
  for (size_t i = 0; i < l->sets_num; i++)
    set_free(&l->sets[i]);
  free(l->sets);
  l->sets = NULL;
  l->sets_num = 0;
}

void om_backup_listing_keep(om_backup_listing *l,
                            bool (*keep)(const void *ctx,
                                         const om_backup_set *set),
                            const void *ctx) {
  size_t kept = 0;
  for (size_t i = 0; i < l->sets_num; i++) {
    if (keep(ctx, &l->sets[i]))
      l->sets[kept++] = l->sets[i];
    else
      set_free(&l->sets[i]);
  }
  l->sets_num = kept;
}

om_backup_set *om_backup_listing_add(om_backup_listing *l, const char *name,
                                     int status_code, const char *status_text) {
  if (l->sets_num == OM_BACKUP_MAX_SETS)
    return NULL;
  om_backup_set *grown = realloc(l->sets, (l->sets_num + 1) * sizeof(*grown));
  if (grown == NULL)
    return NULL;
  l->sets = grown;
  om_backup_set *s = &l->sets[l->sets_num];
  memset(s, 0, sizeof(*s));
  s->name = strdup(name);
  s->status_text = strdup(status_text);
  s->status_code = status_code;
  if (s->name == NULL || s->status_text == NULL) {
    set_free(s);
    return NULL;
  }
  l->sets_num++;
  return s;
}

int om_backup_set_add(om_backup_set *set, const om_backup_item *item) {
  if (set->items_num == OM_BACKUP_MAX_ITEMS)
    return -1;
  /* grow by doubling */
  size_t n = set->items_num;
  if ((n & (n - 1)) == 0) {
    size_t cap = n == 0 ? 8 : 2 * n;
    om_backup_item *grown = realloc(set->items, cap * sizeof(*grown));
    if (grown == NULL)
      return -1;
    set->items = grown;
  }
  om_backup_item copy = *item;
  if ((copy.id = strdup(item->id)) == NULL)
    return -1;
  set->items[set->items_num++] = copy;
  return 0;
}

static int newest_first(const void *a, const void *b) {
  const om_backup_item *x = a, *y = b;
  if (x->stop != y->stop)
    return x->stop > y->stop ? -1 : 1;
  return -strcmp(x->id, y->id);
}

void om_backup_set_sort(om_backup_set *set) {
  if (set->items_num > 1)
    qsort(set->items, set->items_num, sizeof(*set->items), newest_first);
}

/* --- pgBackRest info JSON ------------------------------------------------- */

typedef struct {
  char *err;
  size_t errlen;
  char path[160]; /* e.g. "[0].backup[2]" */
} ctx;

static int refuse(ctx *c, const char *field, const char *fmt, ...) {
  char why[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof(why), fmt, ap);
  va_end(ap);
  if (c->path[0] == '\0' && field[0] == '\0')
    snprintf(c->err, c->errlen, "the document: %s", why);
  else
    snprintf(c->err, c->errlen, "%s%s%s: %s", c->path,
             c->path[0] && field[0] ? "." : "", field, why);
  return -1;
}

static const cJSON *member(const cJSON *obj, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/* A string of 1..OM_BACKUP_MAX_NAME bytes of valid UTF-8. */
static int read_text(ctx *c, const cJSON *obj, const char *field,
                     const char **out) {
  const cJSON *v = member(obj, field);
  if (!cJSON_IsString(v))
    return refuse(c, field, "expected a string");
  size_t len = strlen(v->valuestring);
  if (len == 0 || len > OM_BACKUP_MAX_NAME ||
      !om_utf8_valid(v->valuestring, len))
    return refuse(c, field, "expected 1 to %d bytes of UTF-8",
                  OM_BACKUP_MAX_NAME);
  *out = v->valuestring;
  return 0;
}

static int read_whole(ctx *c, const cJSON *obj, const char *field, double max,
                      double *out) {
  const cJSON *v = member(obj, field);
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
      v->valuedouble > max || floor(v->valuedouble) != v->valuedouble)
    return refuse(c, field, "expected a whole number from 0 to %.0f", max);
  *out = v->valuedouble;
  return 0;
}

static const cJSON *read_object(ctx *c, const cJSON *obj, const char *field) {
  const cJSON *v = member(obj, field);
  if (!cJSON_IsObject(v)) {
    refuse(c, field, "expected an object");
    return NULL;
  }
  return v;
}

/* Names the object read next in messages: "[0].backup[2]" + ".timestamp". */
static size_t enter(ctx *c, const char *name) {
  size_t len = strlen(c->path);
  snprintf(c->path + len, sizeof(c->path) - len, ".%s", name);
  return len;
}

static void leave(ctx *c, size_t len) { c->path[len] = '\0'; }

static int read_times(ctx *c, const cJSON *ts, double *start, double *stop) {
  size_t len = enter(c, "timestamp");
  int rc = read_whole(c, ts, "start", MAX_WHOLE, start) != 0 ||
                   read_whole(c, ts, "stop", MAX_WHOLE, stop) != 0
               ? -1
               : 0;
  if (rc == 0 && *stop < *start)
    rc = refuse(c, "", "stop is before start");
  leave(c, len);
  return rc;
}

static int read_delta(ctx *c, const cJSON *repo, double *delta) {
  size_t len = enter(c, "info.repository");
  int rc = read_whole(c, repo, "delta", MAX_WHOLE, delta);
  leave(c, len);
  return rc;
}

static int read_backup(ctx *c, const cJSON *b, om_backup_item *it) {
  const char *label;
  const cJSON *ts, *info, *repo;
  double start, stop, delta;
  if (!cJSON_IsObject(b))
    return refuse(c, "", "expected an object");
  if (read_text(c, b, "label", &label) != 0 ||
      (ts = read_object(c, b, "timestamp")) == NULL ||
      read_times(c, ts, &start, &stop) != 0 ||
      (info = read_object(c, b, "info")) == NULL ||
      (repo = read_object(c, info, "repository")) == NULL ||
      read_delta(c, repo, &delta) != 0)
    return -1;
  /* "error" (2.36 and later): page checksum errors in the backup */
  const cJSON *error = member(b, "error");
  if (error != NULL && !cJSON_IsBool(error))
    return refuse(c, "error", "expected true or false");
  *it = (om_backup_item){.id = (char *)label,
                         .start = (int64_t)start,
                         .stop = (int64_t)stop,
                         .size = delta,
                         .failed = cJSON_IsTrue(error)};
  return 0;
}

static int read_backups(ctx *c, const cJSON *stanza, om_backup_set *set) {
  const cJSON *list = member(stanza, "backup");
  if (list == NULL)
    return 0; /* a stanza that was never backed up */
  if (!cJSON_IsArray(list))
    return refuse(c, "backup", "expected an array");
  size_t base = strlen(c->path);
  size_t i = 0;
  for (const cJSON *b = list->child; b != NULL; b = b->next, i++) {
    snprintf(c->path + base, sizeof(c->path) - base, ".backup[%zu]", i);
    om_backup_item it;
    if (read_backup(c, b, &it) != 0)
      return -1;
    if (om_backup_set_add(set, &it) != 0)
      return refuse(c, "", "more than %d backups, or out of memory",
                    OM_BACKUP_MAX_ITEMS);
  }
  c->path[base] = '\0';
  om_backup_set_sort(set);
  return 0;
}

static int read_stanza(ctx *c, const cJSON *s, om_backup_listing *out) {
  const char *name, *message;
  const cJSON *status;
  double code;
  if (!cJSON_IsObject(s))
    return refuse(c, "", "expected an object");
  if (read_text(c, s, "name", &name) != 0 ||
      (status = read_object(c, s, "status")) == NULL)
    return -1;
  size_t len = enter(c, "status");
  int rc = read_whole(c, status, "code", MAX_STATUS_CODE, &code) != 0 ||
                   read_text(c, status, "message", &message) != 0
               ? -1
               : 0;
  leave(c, len);
  if (rc != 0)
    return -1;
  om_backup_set *set = om_backup_listing_add(out, name, (int)code, message);
  if (set == NULL)
    return refuse(c, "", "more than %d stanzas, or out of memory",
                  OM_BACKUP_MAX_SETS);
  return read_backups(c, s, set);
}

int om_pgbackrest_parse(const char *json, size_t len, om_backup_listing *out,
                        char *err, size_t errlen) {
  ctx c = {.err = err, .errlen = errlen};
  memset(out, 0, sizeof(*out));
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
  if (root == NULL) {
    size_t at = end != NULL && end >= json ? (size_t)(end - json) : 0;
    snprintf(err, errlen, "not valid JSON (at byte %zu of %zu)", at, len);
    return -1;
  }
  int rc = 0;
  size_t used = (size_t)(end - json);
  while (used < len && strchr(" \t\r\n", json[used]) != NULL && json[used])
    used++;
  if (used < len)
    rc = refuse(&c, "", "unexpected bytes after the JSON value (at byte %zu)",
                used);
  else if (!cJSON_IsArray(root))
    rc = refuse(&c, "", "expected an array of stanzas");
  size_t i = 0;
  for (const cJSON *s = root->child; rc == 0 && s != NULL; s = s->next, i++) {
    snprintf(c.path, sizeof(c.path), "[%zu]", i);
    rc = read_stanza(&c, s, out);
  }
  cJSON_Delete(root);
  if (rc != 0)
    om_backup_listing_free(out);
  return rc;
}

/* Paths into cJSON documents and their scalar values. */
#include "om_json.h"
#include "om_text.h"
#include "om_time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { SEL_NONE, SEL_INDEX, SEL_MATCH } selector_kind;

typedef struct {
  char *key;
  selector_kind sel;
  int index;         /* SEL_INDEX */
  char *match_key;   /* SEL_MATCH */
  char *match_value; /* SEL_MATCH */
} step;

struct om_jpath {
  char *storage; /* the keys and values, NUL-separated */
  step steps[OM_JPATH_MAX_STEPS];
  size_t steps_num;
};

void om_jpath_free(om_jpath *p) {
  if (p == NULL)
    return;
  free(p->storage);
  free(p);
}

static bool key_char_ok(char c) {
  return c != '\0' && c != '.' && c != '[' && c != ']' && c != '=';
}

/* Reads "[N]" or "[key=value]" at *pp (just past the '['), writing into the
 * storage copy; returns -1 with err set. */
static int compile_selector(step *s, char **pp, size_t at, char *err,
                            size_t errlen) {
  char *p = *pp;
  char *close = strchr(p, ']');
  if (close == NULL) {
    snprintf(err, errlen, "unclosed '[' at character %zu", at);
    return -1;
  }
  *close = '\0';
  char *eq = strchr(p, '=');
  if (eq == NULL) {
    char *end = NULL;
    long v = strtol(p, &end, 10);
    if (*p == '\0' || *end != '\0' || v < 0 || v > 100000) {
      snprintf(err, errlen,
               "selector at character %zu is neither an index nor key=value",
               at);
      return -1;
    }
    s->sel = SEL_INDEX;
    s->index = (int)v;
  } else {
    *eq = '\0';
    if (*p == '\0' || eq[1] == '\0') {
      snprintf(err, errlen, "empty key or value in selector at character %zu",
               at);
      return -1;
    }
    s->sel = SEL_MATCH;
    s->match_key = p;
    s->match_value = eq + 1;
  }
  *pp = close + 1;
  return 0;
}

om_jpath *om_jpath_compile(const char *text, char *err, size_t errlen) {
  size_t len = strlen(text);
  if (len == 0 || len > OM_JPATH_MAX_CHARS) {
    snprintf(err, errlen, "a path has 1 to %d characters", OM_JPATH_MAX_CHARS);
    return NULL;
  }
  om_jpath *p = calloc(1, sizeof(*p));
  if (p == NULL || (p->storage = strdup(text)) == NULL) {
    snprintf(err, errlen, "out of memory");
    om_jpath_free(p);
    return NULL;
  }
  char *c = p->storage;
  for (;;) {
    size_t at = (size_t)(c - p->storage) + 1;
    if (p->steps_num == OM_JPATH_MAX_STEPS) {
      snprintf(err, errlen, "more than %d steps", OM_JPATH_MAX_STEPS);
      goto fail;
    }
    step *s = &p->steps[p->steps_num++];
    s->key = c;
    while (key_char_ok(*c))
      c++;
    if (c == s->key) {
      snprintf(err, errlen, "empty key at character %zu", at);
      goto fail;
    }
    char stop = *c;
    *c++ = '\0';
    if (stop == '[') {
      if (compile_selector(s, &c, (size_t)(c - p->storage), err, errlen) != 0)
        goto fail;
      stop = *c;
      if (stop != '\0' && stop != '.') {
        snprintf(err, errlen, "'.' expected after ']' at character %zu",
                 (size_t)(c - p->storage) + 1);
        goto fail;
      }
      if (stop == '.')
        c++;
    } else if (stop != '.' && stop != '\0') {
      snprintf(err, errlen, "unexpected '%c' at character %zu", stop,
               (size_t)(c - p->storage));
      goto fail;
    }
    if (stop == '\0')
      return p;
  }
fail:
  om_jpath_free(p);
  return NULL;
}

static const cJSON *select_element(const step *s, const cJSON *arr) {
  if (!cJSON_IsArray(arr))
    return NULL;
  if (s->sel == SEL_INDEX)
    return cJSON_GetArrayItem(arr, s->index);
  const cJSON *e;
  cJSON_ArrayForEach(e, arr) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, s->match_key);
    if (cJSON_IsString(k) && strcmp(k->valuestring, s->match_value) == 0)
      return e;
  }
  return NULL;
}

const cJSON *om_jpath_get(const om_jpath *p, const cJSON *obj) {
  const cJSON *node = obj;
  for (size_t i = 0; node != NULL && i < p->steps_num; i++) {
    const step *s = &p->steps[i];
    node = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, s->key)
                                : NULL;
    if (node != NULL && s->sel != SEL_NONE)
      node = select_element(s, node);
  }
  return node;
}

const cJSON *om_json_at(const cJSON *obj, const char *dotted) {
  char key[128];
  const cJSON *node = obj;
  while (node != NULL && *dotted != '\0') {
    size_t n = strcspn(dotted, ".");
    if (n >= sizeof(key))
      return NULL;
    memcpy(key, dotted, n);
    key[n] = '\0';
    node = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, key)
                                : NULL;
    dotted += n;
    if (*dotted == '.')
      dotted++;
  }
  return node;
}

const char *om_json_str(const cJSON *obj, const char *dotted,
                        const char *fallback) {
  const cJSON *v = om_json_at(obj, dotted);
  if (cJSON_IsString(v) && v->valuestring[0] != '\0')
    return v->valuestring;
  return fallback;
}

bool om_json_text(const cJSON *v, char *buf, size_t cap) {
  buf[0] = '\0';
  if (cJSON_IsString(v)) {
    size_t n = strlen(v->valuestring);
    if (n >= cap)
      return false;
    memcpy(buf, v->valuestring, n + 1);
    return true;
  }
  if (cJSON_IsBool(v)) {
    snprintf(buf, cap, "%s", cJSON_IsTrue(v) ? "true" : "false");
    return true;
  }
  if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
    om_format_double(v->valuedouble, 21, buf, cap); /* Go's %v */
    return true;
  }
  return false;
}

bool om_json_value(const cJSON *v, double *out) {
  if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
    *out = v->valuedouble;
    return true;
  }
  if (cJSON_IsBool(v)) {
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return true;
  }
  if (cJSON_IsString(v))
    return om_rfc3339_parse(v->valuestring, out) == 0;
  return false;
}

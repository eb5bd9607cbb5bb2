/* Test-only relabeling engine; see relabel_engine.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "relabel_engine.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 256
#define MAX_SOURCES 4

typedef struct {
  char *sources[MAX_SOURCES];
  size_t sources_num;
  char *separator;
  char *regex_text;
  pcre2_code *regex;
  char *target;
  char *replacement;
  int labeldrop;
  int labelmap;
} rl_rule;

struct rl_rules {
  rl_rule rules[MAX_RULES];
  size_t num;
};

static char *dup_range(const char *s, size_t n) {
  char *p = malloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

/* 'single quoted' YAML scalar (no quotes inside in our files) or plain. */
static char *scalar(const char *v) {
  size_t n = strlen(v);
  while (n > 0 && (v[n - 1] == '\n' || v[n - 1] == ' '))
    n--;
  if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'')
    return dup_range(v + 1, n - 2);
  return dup_range(v, n);
}

static void parse_sources(rl_rule *r, const char *v) {
  const char *open = strchr(v, '['), *close = strrchr(v, ']');
  char *list = dup_range(open + 1, (size_t)(close - open - 1));
  for (char *tok = strtok(list, ", "); tok; tok = strtok(NULL, ", "))
    r->sources[r->sources_num++] = strdup(tok);
  free(list);
}

static int compile(rl_rule *r) {
  if (r->regex_text == NULL)
    r->regex_text = strdup("(.*)");
  size_t n = strlen(r->regex_text) + 16;
  char *anchored = malloc(n);
  snprintf(anchored, n, "^(?:%s)\\z", r->regex_text);
  int err;
  PCRE2_SIZE off;
  r->regex = pcre2_compile((PCRE2_SPTR)anchored, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF, &err, &off, NULL);
  free(anchored);
  if (r->regex == NULL) {
    fprintf(stderr, "cannot compile %s\n", r->regex_text);
    return -1;
  }
  if (r->separator == NULL)
    r->separator = strdup(";");
  if (r->replacement == NULL)
    r->replacement = strdup("$1");
  return 0;
}

rl_rules *rl_rules_load(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    return NULL;
  }
  rl_rules *rs = calloc(1, sizeof(*rs));
  rl_rule *cur = NULL;
  char line[4096];
  while (fgets(line, sizeof(line), f) != NULL) {
    char *p = line + strspn(line, " ");
    if (*p == '#' || *p == '\n' || *p == '\0')
      continue;
    if (p[0] == '-' && p[1] == ' ') {
      if (cur != NULL && compile(cur) != 0)
        goto fail;
      cur = &rs->rules[rs->num++];
      p += 2;
    }
    if (cur == NULL)
      goto fail;
    char *colon = strchr(p, ':');
    if (colon == NULL)
      goto fail;
    *colon = '\0';
    char *v = colon + 1 + strspn(colon + 1, " ");
    if (strcmp(p, "source_labels") == 0)
      parse_sources(cur, v);
    else if (strcmp(p, "separator") == 0)
      cur->separator = scalar(v);
    else if (strcmp(p, "regex") == 0)
      cur->regex_text = scalar(v);
    else if (strcmp(p, "target_label") == 0)
      cur->target = scalar(v);
    else if (strcmp(p, "replacement") == 0)
      cur->replacement = scalar(v);
    else if (strcmp(p, "action") == 0) {
      cur->labeldrop = strncmp(v, "labeldrop", 9) == 0;
      cur->labelmap = strncmp(v, "labelmap", 8) == 0;
    } else
      goto fail;
  }
  if (cur != NULL && compile(cur) != 0)
    goto fail;
  fclose(f);
  return rs;
fail:
  fprintf(stderr, "cannot read the rules in %s\n", path);
  fclose(f);
  rl_rules_free(rs);
  return NULL;
}

void rl_rules_free(rl_rules *rs) {
  if (rs == NULL)
    return;
  for (size_t i = 0; i < rs->num; i++) {
    rl_rule *r = &rs->rules[i];
    for (size_t k = 0; k < r->sources_num; k++)
      free(r->sources[k]);
    free(r->separator);
    free(r->regex_text);
    pcre2_code_free(r->regex);
    free(r->target);
    free(r->replacement);
  }
  free(rs);
}

size_t rl_rules_count(const rl_rules *r) { return r->num; }

const char *rl_get(const rl_labelset *ls, const char *name) {
  for (size_t i = 0; i < ls->num; i++)
    if (strcmp(ls->labels[i].name, name) == 0)
      return ls->labels[i].value;
  return "";
}

static void del(rl_labelset *ls, const char *name) {
  for (size_t i = 0; i < ls->num; i++) {
    if (strcmp(ls->labels[i].name, name) == 0) {
      free(ls->labels[i].name);
      free(ls->labels[i].value);
      ls->labels[i] = ls->labels[--ls->num];
      return;
    }
  }
}

void rl_set(rl_labelset *ls, const char *name, const char *value) {
  if (value == NULL || value[0] == '\0') {
    del(ls, name);
    return;
  }
  char *copy = strdup(value);
  for (size_t i = 0; i < ls->num; i++) {
    if (strcmp(ls->labels[i].name, name) == 0) {
      free(ls->labels[i].value);
      ls->labels[i].value = copy;
      return;
    }
  }
  if (ls->num == RL_MAX_LABELS) {
    free(copy);
    return;
  }
  ls->labels[ls->num].name = strdup(name);
  ls->labels[ls->num].value = copy;
  ls->num++;
}

void rl_labelset_free(rl_labelset *ls) {
  for (size_t i = 0; i < ls->num; i++) {
    free(ls->labels[i].name);
    free(ls->labels[i].value);
  }
  ls->num = 0;
}

/* Go's Regexp.Expand for $n and ${n}; other forms are not used. */
static char *expand(const char *tmpl, const char *subject, const PCRE2_SIZE *ov,
                    int groups) {
  size_t cap = strlen(tmpl) + strlen(subject) * 4 + 1, used = 0;
  char *out = malloc(cap);
  for (const char *p = tmpl; *p;) {
    if (*p == '$' && (p[1] == '{' || (p[1] >= '0' && p[1] <= '9'))) {
      int braces = p[1] == '{';
      const char *q = p + 1 + braces;
      int n = 0;
      while (*q >= '0' && *q <= '9')
        n = n * 10 + (*q++ - '0');
      if (braces)
        q++; /* '}' */
      if (n < groups && ov[2 * n] != PCRE2_UNSET) {
        size_t len = ov[2 * n + 1] - ov[2 * n];
        memcpy(out + used, subject + ov[2 * n], len);
        used += len;
      }
      p = q;
    } else {
      out[used++] = *p++;
    }
  }
  out[used] = '\0';
  return out;
}

static int valid_label_name(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
    return 0;
  for (s++; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

static void apply_replace(const rl_rule *r, rl_labelset *ls) {
  size_t cap = 1;
  for (size_t i = 0; i < r->sources_num; i++)
    cap += strlen(rl_get(ls, r->sources[i])) + strlen(r->separator);
  char *val = malloc(cap);
  val[0] = '\0';
  for (size_t i = 0; i < r->sources_num; i++) {
    if (i > 0)
      strcat(val, r->separator);
    strcat(val, rl_get(ls, r->sources[i]));
  }
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->regex, NULL);
  int rc = pcre2_match(r->regex, (PCRE2_SPTR)val, strlen(val), 0, 0, md, NULL);
  if (rc > 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    int groups = (int)pcre2_get_ovector_count(md);
    char *target = expand(r->target, val, ov, groups);
    char *res = expand(r->replacement, val, ov, groups);
    if (!valid_label_name(target) || res[0] == '\0')
      del(ls, r->target); /* Prometheus deletes the unexpanded name */
    else
      rl_set(ls, target, res);
    free(target);
    free(res);
  }
  pcre2_match_data_free(md);
  free(val);
}

static void apply_labeldrop(const rl_rule *r, rl_labelset *ls) {
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->regex, NULL);
  for (size_t i = 0; i < ls->num;) {
    const char *name = ls->labels[i].name;
    if (pcre2_match(r->regex, (PCRE2_SPTR)name, strlen(name), 0, 0, md, NULL) >
        0)
      del(ls, name);
    else
      i++;
  }
  pcre2_match_data_free(md);
}

/* Prometheus' labelmap: every label whose name matches is copied to the
 * name the replacement makes of it (the label set as it was before). */
static void apply_labelmap(const rl_rule *r, rl_labelset *ls) {
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->regex, NULL);
  size_t num = ls->num;
  for (size_t i = 0; i < num; i++) {
    const char *name = ls->labels[i].name;
    if (pcre2_match(r->regex, (PCRE2_SPTR)name, strlen(name), 0, 0, md, NULL) <=
        0)
      continue;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    char *target =
        expand(r->replacement, name, ov, (int)pcre2_get_ovector_count(md));
    char *value = strdup(ls->labels[i].value);
    rl_set(ls, target, value);
    free(value);
    free(target);
  }
  pcre2_match_data_free(md);
}

void rl_apply(const rl_rules *rs, rl_labelset *ls) {
  for (size_t i = 0; i < rs->num; i++) {
    if (rs->rules[i].labeldrop)
      apply_labeldrop(&rs->rules[i], ls);
    else if (rs->rules[i].labelmap)
      apply_labelmap(&rs->rules[i], ls);
    else
      apply_replace(&rs->rules[i], ls);
  }
}

/* Label rules of a <Target> block; see om_label_rules.h. */
#include "om_label_rules.h"
#include "om_text.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  om_label_rule_kind kind;
  char label[128]; /* DropSeries: the label read, or "__name__" */
  regex_t re;
} om_label_rule;

struct om_label_rules {
  om_label_rule rules[OM_LABEL_RULES_MAX];
  size_t num;
};

om_label_rules *om_label_rules_new(void) {
  return calloc(1, sizeof(om_label_rules));
}

void om_label_rules_free(om_label_rules *r) {
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->num; i++)
    regfree(&r->rules[i].re);
  free(r);
}

size_t om_label_rules_count(const om_label_rules *r) {
  return r == NULL ? 0 : r->num;
}

/* Whether re matches all of s (len bytes, not NUL-terminated). regexec
 * reads a C string (REG_STARTEND is a glibc extension that sanitizers
 * and other libcs do not honour), so s is copied with its terminator:
 * on the stack, or for a value too long for it on the heap. */
static bool matches(const regex_t *re, const char *s, size_t len) {
  char local[1024];
  char *copy = len < sizeof(local) ? local : malloc(len + 1);
  if (copy == NULL)
    return false; /* out of memory: the rule does not apply */
  if (len > 0)
    memcpy(copy, s, len);
  copy[len] = '\0';
  bool hit = regexec(re, copy, 0, NULL, 0) == 0;
  if (copy != local)
    free(copy);
  return hit;
}

/* Compiles pattern as om_regex_compile reads it, alone first (so that
 * unbalanced parentheses cannot escape the anchors), then anchored. */
static int compile_anchored(regex_t *re, const char *pattern, char *err,
                            size_t errlen) {
  regex_t alone;
  if (om_regex_compile(&alone, pattern, err, errlen) != 0)
    return -1;
  regfree(&alone);
  size_t n = strlen(pattern) + 5;
  char *anchored = malloc(n);
  if (anchored == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  snprintf(anchored, n, "^(%s)$", pattern);
  int rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
  free(anchored);
  if (rc == 0)
    return 0;
  regerror(rc, re, err, errlen);
  return -1;
}

/* Whether the rule keeps a label of this name (job or instance). */
static bool keeps_label(const om_label_rule *rule, const char *name) {
  bool hit = matches(&rule->re, name, strlen(name));
  if (rule->kind == OM_RULE_LABEL_DROP)
    return !hit;
  if (rule->kind == OM_RULE_LABEL_KEEP)
    return hit;
  return true;
}

/* The label a DropSeries rule reads: a label name, or __name__. */
static bool drop_series_label_valid(const char *label) {
  if (label == NULL || strlen(label) >= sizeof(((om_label_rule *)0)->label))
    return false;
  return strcmp(label, "__name__") == 0 ||
         (om_label_name_valid(label, strlen(label)) &&
          strncmp(label, "__", 2) != 0);
}

int om_label_rules_add(om_label_rules *r, om_label_rule_kind kind,
                       const char *label, const char *regex, char *err,
                       size_t errlen) {
  if (r->num == OM_LABEL_RULES_MAX) {
    snprintf(err, errlen, "one rule too many (at most %d per block)",
             OM_LABEL_RULES_MAX);
    return -1;
  }
  om_label_rule *rule = &r->rules[r->num];
  rule->kind = kind;
  rule->label[0] = '\0';
  if (kind == OM_RULE_DROP_SERIES) {
    if (!drop_series_label_valid(label)) {
      snprintf(err, errlen,
               "\"%s\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, or "
               "__name__ for the series name)",
               label ? label : "");
      return -1;
    }
    snprintf(rule->label, sizeof(rule->label), "%s", label);
  }
  if (compile_anchored(&rule->re, regex, err, errlen) != 0)
    return -1;
  static const char *const needed[] = {"job", "instance"};
  for (size_t i = 0; i < OM_LEN(needed); i++) {
    if (!keeps_label(rule, needed[i])) {
      snprintf(err, errlen,
               "\"%s\" would remove the label \"%s\", which every series "
               "of the block needs",
               regex, needed[i]);
      regfree(&rule->re);
      return -1;
    }
  }
  r->num++;
  return 0;
}

/* The value of label `name` in labels[0..num), "" when absent. */
static om_slice value_of(const om_label *labels, size_t num, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < num; i++)
    if (labels[i].name.len == n && memcmp(labels[i].name.ptr, name, n) == 0)
      return labels[i].value;
  return (om_slice){"", 0};
}

/* Removes the labels whose names the rule removes, keeping the order. */
static void remove_labels(const om_label_rule *rule, om_label *labels,
                          size_t *num) {
  size_t kept = 0;
  for (size_t i = 0; i < *num; i++) {
    bool hit = matches(&rule->re, labels[i].name.ptr, labels[i].name.len);
    if (hit == (rule->kind == OM_RULE_LABEL_KEEP))
      labels[kept++] = labels[i];
  }
  *num = kept;
}

bool om_label_rules_apply(const om_label_rules *r, om_slice name,
                          om_label *labels, size_t *num) {
  for (size_t i = 0; r != NULL && i < r->num; i++) {
    const om_label_rule *rule = &r->rules[i];
    if (rule->kind != OM_RULE_DROP_SERIES) {
      remove_labels(rule, labels, num);
      continue;
    }
    om_slice v = strcmp(rule->label, "__name__") == 0
                     ? name
                     : value_of(labels, *num, rule->label);
    if (matches(&rule->re, v.ptr, v.len))
      return false;
  }
  return true;
}

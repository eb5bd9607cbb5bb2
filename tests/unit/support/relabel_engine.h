/* A test-only reimplementation of Prometheus' relabeling, enough for the
 * rules tools/gen_relabel writes: actions replace, labelmap and labeldrop,
 * fully anchored regexes (PCRE2 standing in for Go's RE2; the rules only use
 * syntax both read the same way), ${n} expansion, and Prometheus' rule that
 * an empty replacement deletes the target label. */
#ifndef RELABEL_ENGINE_H
#define RELABEL_ENGINE_H

#include <stddef.h>

#define RL_MAX_LABELS 64

typedef struct {
  char *name;
  char *value;
} rl_label;

typedef struct {
  rl_label labels[RL_MAX_LABELS];
  size_t num;
} rl_labelset;

typedef struct rl_rules rl_rules;

/* Reads the YAML rule list; NULL (and a message on stderr) on error. */
rl_rules *rl_rules_load(const char *path);
void rl_rules_free(rl_rules *r);
size_t rl_rules_count(const rl_rules *r);

void rl_set(rl_labelset *ls, const char *name, const char *value);
const char *rl_get(const rl_labelset *ls, const char *name);
void rl_labelset_free(rl_labelset *ls);

/* Applies all rules in order. */
void rl_apply(const rl_rules *r, rl_labelset *ls);

#endif

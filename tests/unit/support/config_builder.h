/* Building collectd configuration blocks in memory for the configuration
 * tests: a block of up to 16 items, each with up to 3 values. */
#ifndef CONFIG_BUILDER_H
#define CONFIG_BUILDER_H

#include "liboconfig/oconfig.h"
#include "log_capture.h"
#include "om_block.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

typedef struct {
#define CONFIG_BUILDER_MAX 32
  oconfig_item_t items[CONFIG_BUILDER_MAX];
  oconfig_value_t values[CONFIG_BUILDER_MAX][3];
  int items_num;
  oconfig_item_t block;
  oconfig_value_t block_name;
} config;

static inline oconfig_item_t *add(config *c, const char *key) {
  ck_assert_int_lt(c->items_num, CONFIG_BUILDER_MAX);
  oconfig_item_t *it = &c->items[c->items_num];
  memset(it, 0, sizeof(*it));
  it->key = (char *)key;
  it->values = c->values[c->items_num];
  c->items_num++;
  return it;
}

static inline void add_str(config *c, const char *key, const char *v) {
  oconfig_item_t *it = add(c, key);
  it->values[0].type = OCONFIG_TYPE_STRING;
  it->values[0].value.string = (char *)v;
  it->values_num = 1;
}

static inline void add_str2(config *c, const char *key, const char *a,
                            const char *b) {
  oconfig_item_t *it = add(c, key);
  it->values[0].type = OCONFIG_TYPE_STRING;
  it->values[0].value.string = (char *)a;
  it->values[1].type = OCONFIG_TYPE_STRING;
  it->values[1].value.string = (char *)b;
  it->values_num = 2;
}

static inline void add_num(config *c, const char *key, double v) {
  oconfig_item_t *it = add(c, key);
  it->values[0].type = OCONFIG_TYPE_NUMBER;
  it->values[0].value.number = v;
  it->values_num = 1;
}

static inline void add_bool(config *c, const char *key, int v) {
  oconfig_item_t *it = add(c, key);
  it->values[0].type = OCONFIG_TYPE_BOOLEAN;
  it->values[0].value.boolean = v;
  it->values_num = 1;
}

static inline oconfig_item_t *block_of(config *c, const char *key,
                                       const char *name) {
  memset(&c->block, 0, sizeof(c->block));
  c->block.key = (char *)key;
  if (name != NULL) {
    c->block_name.type = OCONFIG_TYPE_STRING;
    c->block_name.value.string = (char *)name;
    c->block.values = &c->block_name;
    c->block.values_num = 1;
  }
  c->block.children = c->items;
  c->block.children_num = c->items_num;
  return &c->block;
}

/* Reads c as <Key "name"> of the syntax's kind, as collectd would hand it
 * over, with the log captured afresh: the configuration, or NULL. */
static inline void *config_parse(config *c, const om_block_syntax *syntax,
                                 const char *name, double interval) {
  log_capture_reset();
  return om_block_parse(block_of(c, syntax->key, name), syntax, interval);
}

/* The block is refused, with an error of the block ("3|<kind>/<name>|")
 * first and a line holding want. */
static inline void config_assert_refused(config *c,
                                         const om_block_syntax *syntax,
                                         const char *name, double interval,
                                         const char *want) {
  void *cfg = config_parse(c, syntax, name, interval);
  char prefix[128];
  snprintf(prefix, sizeof(prefix), "3|%s/%s|", syntax->kind, name);
  if (cfg != NULL)
    syntax->free(cfg);
  ck_assert_msg(cfg == NULL, "accepted; want \"%s\"", want);
  ck_assert_msg(strncmp(log_capture_line(0), prefix, strlen(prefix)) == 0,
                "not an error naming the block: %s", log_capture_line(0));
  ck_assert_msg(log_capture_contains(want), "want \"%s\" in:\n%s", want,
                log_capture_all());
}

/* A block of a first-hand kind (c: its other options, valid) takes
 * Include and Exclude as repeatable lists of patterns, into its
 * om_block_conf, and frees them with the block. */
static inline void config_assert_family_lists(config *c,
                                              const om_block_syntax *syntax,
                                              double interval) {
  add_str2(c, "Include", "dbops_*", "pg_stat_*");
  add_str(c, "Include", "kube_*");
  add_str(c, "Exclude", "dbops_resource_count");
  om_block_conf *b = config_parse(c, syntax, "fam", interval);
  ck_assert_msg(b != NULL, "%s", log_capture_all());
  ck_assert_uint_eq(b->include_num, 3);
  ck_assert_str_eq(b->include[0], "dbops_*");
  ck_assert_str_eq(b->include[2], "kube_*");
  ck_assert_uint_eq(b->exclude_num, 1);
  ck_assert_str_eq(b->exclude[0], "dbops_resource_count");
  syntax->free(b);
}

#endif

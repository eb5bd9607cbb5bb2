/* One owner per series (om_claims): the families each kind of block
 * claims and the check that refuses two blocks which could send one
 * series, naming both and the family; the run-time claims of series only a
 * read can name. */
#include "check_main.h"
#include "config_builder.h"
#include "om_backup_config.h"
#include "om_claims.h"
#include "om_kube_config.h"
#include "om_pg_config.h"
#include "om_target_config.h"

#include <stdlib.h>

typedef struct {
  void *cfgs[8];
  void (*frees[8])(void *);
  size_t num;
  om_claims claims;
} setup;

/* Parses one block (c) of a kind and adds its claims. */
static void add_block(setup *s, config *c, const om_block_syntax *syntax,
                      const char *name,
                      void (*claims)(const void *, om_claims *)) {
  void *cfg = config_parse(c, syntax, name, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  claims(cfg, &s->claims);
  s->cfgs[s->num] = cfg;
  s->frees[s->num++] = syntax->free;
}

static void postgres(setup *s, const char *name, const char *ns,
                     const char *instance, const char *exclude) {
  config c = {0};
  add_str(&c, "Namespace", ns);
  if (instance != NULL)
    add_str(&c, "Instance", instance);
  if (exclude != NULL)
    add_str(&c, "Exclude", exclude);
  add_block(s, &c, &om_pg_syntax, name, om_pg_claims);
}

static void backup(setup *s, const char *name, const char *ns,
                   const char *stanza) {
  config c = {0};
  add_str(&c, "Type", "pgbackrest");
  add_str(&c, "File", "/nonexistent/info.json");
  add_str(&c, "Namespace", ns);
  if (stanza != NULL)
    add_str(&c, "Stanza", stanza);
  add_block(s, &c, &om_backup_syntax, name, om_backup_claims);
}

static void kube(setup *s, const char *name, const char *ns,
                 const char *exclude) {
  config c = {0};
  add_str(&c, "APIServer", "https://127.0.0.1:1");
  add_str(&c, "Preset", "dbops");
  if (ns != NULL)
    add_str(&c, "Namespace", ns);
  if (exclude != NULL)
    add_str(&c, "Exclude", exclude);
  add_block(s, &c, &om_kube_syntax, name, om_kube_claims);
}

static void target(setup *s, const char *name, const char *preset,
                   const char *include) {
  config c = {0};
  add_str(&c, "URL", "http://127.0.0.1:1/metrics");
  if (preset != NULL)
    add_str(&c, "Preset", preset);
  if (include != NULL)
    add_str(&c, "Include", include);
  add_block(s, &c, &om_target_syntax, name, om_target_claims);
}

/* The number of conflicts, with the log captured afresh. */
static long check(setup *s) {
  log_capture_reset();
  return om_claims_check(&s->claims);
}

static void done(setup *s) {
  free(s->claims.items);
  for (size_t i = 0; i < s->num; i++)
    s->frees[i](s->cfgs[i]);
}

START_TEST(test_postgres_and_kubernetes_share_the_info_series) {
  setup s = {0};
  postgres(&s, "pg", "db", NULL, NULL);
  kube(&s, "crs", NULL, NULL);
  /* database, user, role and grant info, instance info and the counts */
  ck_assert_int_eq(check(&s), 6);
  ck_assert_msg(log_capture_contains(
                    "blocks \"kubernetes/crs\" and \"postgres/pg\" would both "
                    "send \"dbops_database_info\" for namespace \"db\", "
                    "instance \"pg\""),
                "%s", log_capture_all());
  ck_assert(log_capture_contains("give one of them Exclude "
                                 "\"dbops_database_info\""));
  done(&s);
}
END_TEST

START_TEST(test_exclude_or_namespaces_settle_it) {
  setup s = {0};
  postgres(&s, "pg", "db", NULL, "dbops_*_info");
  kube(&s, "crs", NULL, "dbops_resource_count");
  ck_assert_int_eq(check(&s), 0);
  done(&s);
  setup t = {0};
  postgres(&t, "pg", "db", NULL, NULL);
  kube(&t, "crs", "apps",
       NULL); /* cluster kinds have namespaces of their own */
  ck_assert_int_eq(check(&t), 0);
  done(&t);
}
END_TEST

START_TEST(test_servers_and_databases_of_one_kind) {
  setup s = {0};
  /* two servers of a namespace: their counts add up, nothing conflicts */
  postgres(&s, "a", "db", NULL, NULL);
  postgres(&s, "b", "db", NULL, NULL);
  /* two stanzas of a namespace, and a command whose stanzas only a read
   * shows */
  backup(&s, "x", "db", "main");
  backup(&s, "y", "db", "other");
  backup(&s, "z", "db", NULL);
  ck_assert_int_eq(check(&s), 0);
  done(&s);
  setup t = {0};
  postgres(&t, "a", "db", "pg-main", NULL);
  postgres(&t, "b", "db", "pg-main", NULL);
  backup(&t, "x", "db", "main");
  backup(&t, "y", "db", "main");
  /* every family but the counts, and the backups' size, time and info */
  ck_assert_int_eq(check(&t), 14 + 3);
  ck_assert(log_capture_contains(
      "blocks \"backup/x\" and \"backup/y\" would both send "
      "\"dbops_backup_size_bytes\" for namespace \"db\", database \"main\""));
  ck_assert(log_capture_contains(
      "blocks \"postgres/a\" and \"postgres/b\" would both send "
      "\"dbops_instance_healthy\" for namespace \"db\", instance \"pg-main\""));
  done(&t);
}
END_TEST

START_TEST(test_targets) {
  setup s = {0};
  postgres(&s, "pg", "db", NULL, "dbops_*_info");
  /* without a preset nothing is known before a read; with one, nothing the
   * plugin measures itself; two targets never conflict */
  target(&s, "raw", NULL, NULL);
  target(&s, "op", "dbops-operator", NULL);
  target(&s, "op2", "dbops-operator", NULL);
  ck_assert_int_eq(check(&s), 0);
  done(&s);
  setup t = {0};
  postgres(&t, "pg", "db", NULL, "dbops_*_info");
  target(&t, "op", "dbops-operator", "dbops_instance_*");
  ck_assert_int_eq(check(&t), 2);
  ck_assert(log_capture_contains(
      "blocks \"postgres/pg\" and \"target/op\" would both send "
      "\"dbops_instance_healthy\""));
  done(&t);
}
END_TEST

START_TEST(test_first_hand_owners_and_run_time_claims) {
  setup s = {0};
  postgres(&s, "pg", "db", NULL, NULL);
  target(&s, "op", "dbops-operator", NULL);
  ck_assert_int_eq(check(&s), 0);
  om_claims_settle(&s.claims);
  ck_assert_str_eq(om_claims_first_hand("dbops_instance_healthy"),
                   "postgres/pg");
  /* a target's families are not first-hand */
  ck_assert_ptr_null(om_claims_first_hand("dbops_user_operations_total"));
  ck_assert_ptr_null(om_claims_first_hand("workqueue_depth"));
  const char key[] = "backup\0db\0main";
  ck_assert_ptr_null(om_claims_take(key, sizeof(key) - 1, "backup/a"));
  ck_assert_ptr_null(om_claims_take(key, sizeof(key) - 1, "backup/a"));
  ck_assert_str_eq(om_claims_take(key, sizeof(key) - 1, "backup/b"),
                   "backup/a");
  const char other[] = "backup\0db\0main2";
  ck_assert_ptr_null(om_claims_take(other, sizeof(other) - 1, "backup/b"));
  om_claims_shutdown();
  ck_assert_ptr_null(om_claims_first_hand("dbops_instance_healthy"));
  done(&s);
}
END_TEST

static Suite *claims_suite(void) {
  Suite *s = suite_create("claims");
  TCase *tc = tcase_create("claims");
  tcase_add_test(tc, test_postgres_and_kubernetes_share_the_info_series);
  tcase_add_test(tc, test_exclude_or_namespaces_settle_it);
  tcase_add_test(tc, test_servers_and_databases_of_one_kind);
  tcase_add_test(tc, test_targets);
  tcase_add_test(tc, test_first_hand_owners_and_run_time_claims);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(claims_suite)

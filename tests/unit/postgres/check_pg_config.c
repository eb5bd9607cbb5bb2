/* <Postgres> configuration: errors name the option and the block, defaults
 * are what the README says, database selection follows its patterns. */
#include "check_main.h"
#include "config_builder.h"
#include "log_capture.h"
#include "om_pg_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static om_pg_config *parse(config *c, double interval) {
  return config_parse(c, &om_pg_syntax, "db1", interval);
}

static void assert_refused(config *c, const char *want) {
  config_assert_refused(c, &om_pg_syntax, "db1", 10, want);
}

START_TEST(test_defaults) {
  config c = {0};
  om_pg_config *cfg = parse(&c, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->block.id, "postgres/db1");
  ck_assert_str_eq(cfg->instance, "db1");
  ck_assert_str_eq(cfg->engine, "postgres");
  ck_assert_str_eq(cfg->database, "postgres");
  ck_assert_ptr_null(cfg->namespace_);
  ck_assert_ptr_null(cfg->host);
  ck_assert(cfg->connect_timeout_s == 4.0);   /* 0.4 x 10 s */
  ck_assert(cfg->statement_timeout_s == 4.0); /* 0.4 x 10 s */
  ck_assert_uint_eq(cfg->max_rows, OM_PG_DEFAULT_MAX_ROWS);
  ck_assert(om_pg_engine_is_postgres(cfg));
  ck_assert_uint_eq(log_capture_count(), 0);
  om_pg_config_free(cfg);
}
END_TEST

START_TEST(test_default_timeouts_capped) {
  config c = {0};
  om_pg_config *cfg = parse(&c, 60);
  ck_assert_ptr_nonnull(cfg);
  ck_assert(cfg->connect_timeout_s == 5.0 && cfg->statement_timeout_s == 5.0);
  om_pg_config_free(cfg);
}
END_TEST

START_TEST(test_everything_set) {
  config c = {0};
  add_str(&c, "Host", "db.example");
  add_num(&c, "Port", 6543);
  add_str(&c, "User", "mon");
  add_str(&c, "Database", "app");
  add_str(&c, "SSLMode", "verify-full");
  add_str(&c, "Instance", "pg-main");
  add_str(&c, "Namespace", "db-system");
  add_str(&c, "Engine", "cockroachdb");
  add_num(&c, "ConnectTimeout", 2);
  add_num(&c, "StatementTimeout", 3);
  add_num(&c, "Interval", 30);
  add_num(&c, "MaxRows", 50);
  om_pg_config *cfg = parse(&c, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->port, "6543");
  ck_assert_str_eq(cfg->instance, "pg-main");
  ck_assert_str_eq(cfg->namespace_, "db-system");
  ck_assert(!om_pg_engine_is_postgres(cfg));
  ck_assert(cfg->connect_timeout_s == 2 && cfg->statement_timeout_s == 3);
  ck_assert_uint_eq(cfg->max_rows, 50);
  om_pg_config_free(cfg);
}
END_TEST

START_TEST(test_service_leaves_database_to_it) {
  config c = {0};
  add_str(&c, "Service", "monitoring");
  add_str(&c, "Port", "5433");
  om_pg_config *cfg = parse(&c, 10);
  ck_assert_ptr_nonnull(cfg);
  ck_assert_ptr_null(cfg->database);
  ck_assert_str_eq(cfg->port, "5433");
  om_pg_config_free(cfg);
}
END_TEST

typedef struct {
  const char *key;
  const char *str; /* NULL: the number */
  double num;
  const char *want;
} bad_option;

static const bad_option bad_options[] = {
    {"Hots", "x", 0, "unknown option \"Hots\""},
    {"Password", "hunter2", 0, "option \"Password\" is not supported"},
    {"SSLMode", "sometimes", 0,
     "option \"SSLMode\": \"sometimes\" is not one of disable, allow, "
     "prefer, require, verify-ca, verify-full"},
    {"Port", NULL, 0, "option \"Port\" must be an integer from 1 to 65535"},
    {"Port", NULL, 65536, "option \"Port\" must be an integer from 1 to 65535"},
    {"Port", "54x", 0, "option \"Port\" needs a port number from 1 to 65535"},
    {"Host", NULL, 5, "option \"Host\" needs exactly one non-empty string"},
    {"ConnectTimeout", "3", 0,
     "option \"ConnectTimeout\" needs exactly one "
     "number of seconds, got a string"},
    {"StatementTimeout", NULL, -1,
     "option \"StatementTimeout\" must be more than 0"},
    {"MaxRows", NULL, 0, "option \"MaxRows\" must be an integer from 1 to"},
    {"Instance", "\xff", 0, "option \"Instance\" must be valid UTF-8"},
    {"Namespace", "", 0, "option \"Namespace\" needs exactly one non-empty"},
    {"PasswordFile", "/nonexistent/pw", 0,
     "option \"PasswordFile\": cannot read \"/nonexistent/pw\""},
    {"SSLRootCert", "/nonexistent/ca.pem", 0,
     "option \"SSLRootCert\": cannot read \"/nonexistent/ca.pem\""},
};

START_TEST(test_bad_option) {
  const bad_option *b = &bad_options[_i];
  config c = {0};
  if (b->str != NULL)
    add_str(&c, b->key, b->str);
  else
    add_num(&c, b->key, b->num);
  assert_refused(&c, b->want);
  ck_assert_msg(!log_capture_contains("hunter2"), "%s", log_capture_all());
}
END_TEST

START_TEST(test_own_series_must_fit) {
  config c = {0};
  add_str(
      &c, "Instance",
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
  assert_refused(&c, "option \"Instance\", \"Namespace\", \"Engine\" or "
                     "\"Host\" is too long: the block's own "
                     "dbops_instance_info would not fit");
}
END_TEST

START_TEST(test_timeouts_must_fit_the_interval) {
  config c = {0};
  add_num(&c, "Interval", 5);
  add_num(&c, "ConnectTimeout", 3);
  add_num(&c, "StatementTimeout", 2.5);
  assert_refused(
      &c, "options \"ConnectTimeout\" (3 s) and \"StatementTimeout"
          "\" (2.5 s) together must not exceed 90% of the interval (5 s)");
}
END_TEST

START_TEST(test_ssl_cert_needs_key) {
  config c = {0};
  add_str(&c, "SSLCert", OM_SOURCE_DIR "/README.md");
  assert_refused(&c, "options \"SSLCert\" and \"SSLKey\" go together");
}
END_TEST

static char *password_file(mode_t mode) {
  char *path = strdup("/tmp/om-check-pw-XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, "pw\n", 3), 3);
  close(fd);
  chmod(path, mode);
  return path;
}

START_TEST(test_password_file_modes) {
  const mode_t modes[] = {0600, 0640, 0604};
  for (size_t i = 0; i < 3; i++) {
    char *path = password_file(modes[i]);
    config c = {0};
    add_str(&c, "PasswordFile", path);
    om_pg_config *cfg = parse(&c, 10);
    ck_assert_ptr_nonnull(cfg);
    bool warned = log_capture_contains("can be read by its group or others");
    ck_assert_msg(warned == (modes[i] != 0600), "mode %04o: %s",
                  (unsigned)modes[i], log_capture_all());
    if (warned)
      ck_assert(strncmp(log_capture_line(0), "4|postgres/db1|", 15) == 0);
    om_pg_config_free(cfg);
    unlink(path);
    free(path);
  }
}
END_TEST

START_TEST(test_family_lists) {
  config c = {0};
  config_assert_family_lists(&c, &om_pg_syntax, 10);
}
END_TEST

START_TEST(test_database_selection) {
  config c = {0};
  om_pg_config *all = parse(&c, 10);
  ck_assert(om_pg_database_selected(all, "app", false));
  ck_assert(!om_pg_database_selected(all, "template1", true));
  om_pg_config_free(all);

  config d = {0};
  const char *inc[] = {"template*", "app_*"};
  oconfig_item_t *it = add(&d, "IncludeDatabase");
  for (int i = 0; i < 2; i++) {
    it->values[i].type = OCONFIG_TYPE_STRING;
    it->values[i].value.string = (char *)inc[i];
  }
  it->values_num = 2;
  add_str(&d, "ExcludeDatabase", "template0");
  add_str(&d, "ExcludeDatabase", "*_tmp");
  om_pg_config *cfg = parse(&d, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert(om_pg_database_selected(cfg, "template1", true));
  ck_assert(!om_pg_database_selected(cfg, "template0", true));
  ck_assert(om_pg_database_selected(cfg, "app_orders", false));
  ck_assert(!om_pg_database_selected(cfg, "app_orders_tmp", false));
  ck_assert(!om_pg_database_selected(cfg, "postgres", false));
  om_pg_config_free(cfg);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("pg_config");
  TCase *tc = tcase_create("pg_config");
  tcase_add_test(tc, test_defaults);
  tcase_add_test(tc, test_default_timeouts_capped);
  tcase_add_test(tc, test_everything_set);
  tcase_add_test(tc, test_service_leaves_database_to_it);
  tcase_add_loop_test(tc, test_bad_option, 0,
                      sizeof(bad_options) / sizeof(bad_options[0]));
  tcase_add_test(tc, test_timeouts_must_fit_the_interval);
  tcase_add_test(tc, test_own_series_must_fit);
  tcase_add_test(tc, test_ssl_cert_needs_key);
  tcase_add_test(tc, test_password_file_modes);
  tcase_add_test(tc, test_database_selection);
  tcase_add_test(tc, test_family_lists);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(make_suite)

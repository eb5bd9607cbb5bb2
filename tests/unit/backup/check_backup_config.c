/* <Backup> configuration: errors name the option and the block, defaults
 * are what the README says. */
#include "check_main.h"
#include "config_builder.h"
#include "log_capture.h"
#include "om_backup_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static om_backup_config *parse(config *c, double interval) {
  return config_parse(c, &om_backup_syntax, "b1", interval);
}

static void assert_refused(config *c, const char *want) {
  config_assert_refused(c, &om_backup_syntax, "b1", 10, want);
}

START_TEST(test_family_lists) {
  config c = {0};
  add_str(&c, "Type", "pgbackrest");
  add_str2(&c, "Command", "/bin/echo", "[]");
  config_assert_family_lists(&c, &om_backup_syntax, 10);
}
END_TEST

START_TEST(test_pgbackrest_defaults) {
  config c = {0};
  add_str(&c, "Type", "pgbackrest");
  add_str2(&c, "Command", "/bin/echo", "[]");
  om_backup_config *cfg = parse(&c, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_int_eq(cfg->type, OM_BACKUP_PGBACKREST);
  ck_assert_str_eq(cfg->command[0], "/bin/echo");
  ck_assert_str_eq(cfg->command[1], "[]");
  ck_assert_ptr_null(cfg->command[2]);
  ck_assert(cfg->timeout_s == 5.0); /* half of 10 s */
  ck_assert_uint_eq(cfg->max_output, OM_BACKUP_DEFAULT_MAX_OUTPUT);
  ck_assert_uint_eq(cfg->max_backups, OM_BACKUP_DEFAULT_MAX_BACKUPS);
  ck_assert_str_eq(cfg->engine, "postgres");
  ck_assert_str_eq(cfg->storage_type, "local");
  ck_assert_str_eq(cfg->namespace_, "");
  ck_assert_ptr_null(cfg->database);
  ck_assert_ptr_null(cfg->schedule);
  ck_assert(om_backup_stanza_selected(cfg, "anything"));
  ck_assert_uint_eq(log_capture_count(), 0);
  om_backup_config_free(cfg);
}
END_TEST

START_TEST(test_directory_and_schedule) {
  config c = {0};
  add_str(&c, "Type", "directory");
  add_str(&c, "Path", "/var/backups/app");
  add_str(&c, "Pattern", "app-*.sql.gz");
  add_str(&c, "Schedule", "30 2 * * *");
  add_str(&c, "TimeZone", "Europe/Berlin");
  add_num(&c, "ScheduleWindow", 3600);
  add_num(&c, "Interval", 60);
  om_backup_config *cfg = parse(&c, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_int_eq(cfg->type, OM_BACKUP_DIRECTORY);
  ck_assert_str_eq(cfg->database, "b1"); /* the block's name */
  ck_assert_uint_eq(cfg->min_size, 1);   /* an empty dump fails */
  ck_assert(cfg->timeout_s == 30.0);     /* half of 60 s, capped at 30 */
  ck_assert_ptr_nonnull(cfg->sched.tz);
  ck_assert(cfg->sched.window_s == 3600);
  ck_assert_uint_eq(cfg->sched.cron.hours, 1u << 2);
  om_backup_config_free(cfg);
}
END_TEST

START_TEST(test_stanza_selection_and_database) {
  config c = {0};
  add_str(&c, "Type", "pgbackrest");
  add_str(&c, "File", "/var/lib/pgbackrest-info.json");
  add_str(&c, "Stanza", "main");
  add_str(&c, "Database", "orders");
  om_backup_config *cfg = parse(&c, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert(om_backup_stanza_selected(cfg, "main"));
  ck_assert(!om_backup_stanza_selected(cfg, "other"));
  ck_assert_str_eq(cfg->database, "orders");
  om_backup_config_free(cfg);
}
END_TEST

typedef struct {
  const char *key, *a, *b; /* b: a second string, or NULL */
  double num;              /* when a == NULL */
} option;

typedef struct {
  option options[6];
  const char *want;
} refusal;

#define T_PGBR                                                                 \
  { "Type", "pgbackrest", NULL, 0 }
#define T_DIR                                                                  \
  { "Type", "directory", NULL, 0 }
#define ECHO                                                                   \
  { "Command", "/bin/echo", "[]", 0 }

static const refusal REFUSALS[] = {
    {{{"Path", "/tmp", NULL, 0}}, "option \"Type\" (pgbackrest or directory)"},
    {{{"Type", "barman", NULL, 0}}, "\"barman\" is not one of pgbackrest"},
    {{T_PGBR}, "needs exactly one of \"Command\" and \"File\""},
    {{T_PGBR, ECHO, {"File", "/x", NULL, 0}}, "exactly one of \"Command\""},
    {{T_PGBR, {"Command", "pgbackrest", "info", 0}},
     "\"pgbackrest\" is not an absolute path"},
    {{T_PGBR, {"Command", "/nonexistent/pgbackrest", NULL, 0}},
     "cannot execute \"/nonexistent/pgbackrest\""},
    {{T_PGBR, ECHO, ECHO}, "option \"Command\" is given twice"},
    {{T_PGBR, ECHO, {"Database", "d", NULL, 0}}, "give exactly one \"Stanza\""},
    {{T_PGBR, ECHO, {"Path", "/tmp", NULL, 0}}, "belong to Type \"directory\""},
    {{T_DIR}, "Type \"directory\" needs \"Path\""},
    {{T_DIR, {"Path", "/tmp", NULL, 0}, ECHO}, "belong to Type \"pgbackrest\""},
    {{T_PGBR, ECHO, {"Schedule", "61 * * * *", NULL, 0}},
     "option \"Schedule\": \"61 * * * *\": the minute field"},
    {{T_PGBR, ECHO, {"Schedule", "0 0 30 2 *", NULL, 0}}, "never fires"},
    {{T_PGBR, ECHO, {"TimeZone", "UTC", NULL, 0}}, "need a \"Schedule\""},
    {{T_PGBR,
      ECHO,
      {"Schedule", "@daily", NULL, 0},
      {"TimeZone", "../../etc/passwd", NULL, 0}},
     "is not a zone name"},
    {{T_PGBR,
      ECHO,
      {"Schedule", "@daily", NULL, 0},
      {"TimeZone", "Mars/Olympus", NULL, 0}},
     "cannot open \"/usr/share/zoneinfo/Mars/Olympus\""},
    {{T_PGBR,
      ECHO,
      {"Schedule", "@daily", NULL, 0},
      {"TimeZone", "Europe", NULL, 0}},
     "option \"TimeZone\""},
    {{T_PGBR, ECHO, {"Timeout", NULL, NULL, 10}},
     "option \"Timeout\" (10 s) must not exceed 90% of the interval (10 s)"},
    {{T_PGBR, ECHO, {"MaxOutputBytes", NULL, NULL, 10}}, "MaxOutputBytes"},
    {{T_PGBR, ECHO, {"MaxBackups", NULL, NULL, -1}}, "MaxBackups"},
    {{T_PGBR, ECHO, {"Namespace", "\xff", NULL, 0}}, "Namespace"},
    {{T_PGBR, ECHO, {"Retention", "7", NULL, 0}}, "Retention"},
    {{T_PGBR,
      ECHO,
      {"Namespace",
       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
       NULL, 0}},
     "option \"Engine\", \"Namespace\" or \"Database\" is too long: the "
     "block's own dbops_backup_operations_total would not fit"},
};

START_TEST(test_refusals) {
  const refusal *r = &REFUSALS[_i];
  config c = {0};
  for (size_t i = 0; i < 6 && r->options[i].key != NULL; i++) {
    const option *o = &r->options[i];
    if (o->a == NULL)
      add_num(&c, o->key, o->num);
    else if (o->b == NULL)
      add_str(&c, o->key, o->a);
    else
      add_str2(&c, o->key, o->a, o->b);
  }
  assert_refused(&c, r->want);
}
END_TEST

static Suite *backup_config_suite(void) {
  Suite *s = suite_create("backup_config");
  TCase *tc = tcase_create("config");
  tcase_add_test(tc, test_pgbackrest_defaults);
  tcase_add_test(tc, test_family_lists);
  tcase_add_test(tc, test_directory_and_schedule);
  tcase_add_test(tc, test_stanza_selection_and_database);
  tcase_add_loop_test(tc, test_refusals, 0,
                      (int)(sizeof(REFUSALS) / sizeof(REFUSALS[0])));
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(backup_config_suite)

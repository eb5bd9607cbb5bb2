/* The pure parts of the <Postgres> collector: histograms and their "le"
 * labels, validation of query results, and the mapping to dbops_* samples.
 */
#include "check_main.h"
#include "om_histogram.h"
#include "om_pg_map.h"
#include "sample_recorder.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* --- histogram ------------------------------------------------------------ */

static const double BOUNDS[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                0.25,  0.5,   1,    2.5,   5,    10};

START_TEST(test_histogram_cumulative) {
  om_histogram h;
  ck_assert_int_eq(om_histogram_init(&h, BOUNDS, 12), 0);
  const double obs[] = {0.0005, 0.001, 0.02, 0.7, 11, NAN};
  for (size_t i = 0; i < 6; i++)
    om_histogram_observe(&h, obs[i]);
  const uint64_t want[] = {2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4};
  for (size_t i = 0; i < 12; i++)
    ck_assert_msg(h.cumulative[i] == want[i], "bucket %zu: %llu", i,
                  (unsigned long long)h.cumulative[i]);
  ck_assert_uint_eq(h.count, 5); /* NaN ignored */
  ck_assert(fabs(h.sum - 11.7215) < 1e-9);
}
END_TEST

START_TEST(test_histogram_refuses_bad_bounds) {
  om_histogram h;
  const double unsorted[] = {1, 0.5};
  const double inf[] = {1, INFINITY};
  ck_assert_int_eq(om_histogram_init(&h, unsorted, 2), -1);
  ck_assert_int_eq(om_histogram_init(&h, inf, 2), -1);
  ck_assert_int_eq(om_histogram_init(&h, BOUNDS, OM_HISTOGRAM_MAX_BUCKETS + 1),
                   -1);
}
END_TEST

/* What Go's strconv.FormatFloat(v, 'g', -1, 64) prints, from its docs and
 * the client_golang expositions of the operators' buckets. */
static const struct {
  double v;
  const char *go;
} LE[] = {
    {0.001, "0.001"},   {0.005, "0.005"},
    {0.025, "0.025"},   {0.1, "0.1"},
    {1, "1"},           {2.5, "2.5"},
    {10, "10"},         {60, "60"},
    {3600, "3600"},     {100000, "100000"},
    {1e6, "1e+06"},     {1.5e7, "1.5e+07"},
    {0.0001, "0.0001"}, {0.00001, "1e-05"},
    {0.3, "0.3"},       {1.0 / 3, "0.3333333333333333"},
    {INFINITY, "+Inf"}, {0, "0"},
};

START_TEST(test_le_like_go) {
  char out[OM_LE_SIZE];
  om_format_le(LE[_i].v, out);
  ck_assert_str_eq(out, LE[_i].go);
}
END_TEST

/* --- query results
 * ------------------------------------------------------------ */

static bool keep_all_but_templates(const void *ctx, const char *name,
                                   bool is_template) {
  (void)ctx;
  (void)name;
  return !is_template;
}

static int load_databases(om_pg_snapshot *s) {
  const char *cells[] = {"appdb", "f", "postgres", "f", "template1", "t"};
  om_pg_table t = {3, 2, cells};
  char err[128];
  return om_pg_parse_databases(s, &t, keep_all_but_templates, NULL, err,
                               sizeof(err));
}

START_TEST(test_databases_and_sizes) {
  om_pg_snapshot s = {0};
  ck_assert_int_eq(load_databases(&s), 0);
  ck_assert_uint_eq(s.dbs_num, 2);
  const char *cells[] = {"appdb", "7545347", "postgres", "7708007"};
  om_pg_table t = {2, 2, cells};
  char err[128];
  ck_assert_int_eq(om_pg_parse_sizes(&s, &t, err, sizeof(err)), 0);
  ck_assert(s.dbs[0].has_size && s.dbs[0].size_bytes == 7545347);
  ck_assert(s.dbs[1].has_size && s.dbs[1].size_bytes == 7708007);
  ck_assert_uint_eq(s.rows_rejected, 0);
  om_pg_snapshot_free(&s);
}
END_TEST

START_TEST(test_wrong_shape_is_an_error) {
  om_pg_snapshot s = {0};
  const char *cells[] = {"a", "t", "x"};
  om_pg_table t = {1, 3, cells};
  char err[128];
  ck_assert_int_eq(om_pg_parse_roles(&s, &t, err, sizeof(err)), 0);
  om_pg_table two = {1, 2, cells};
  ck_assert_int_eq(om_pg_parse_roles(&s, &two, err, sizeof(err)), -1);
  ck_assert_str_eq(err, "roles: expected 3 columns, the server returned 2");
  om_pg_table none = {0, 3, cells};
  ck_assert_int_eq(om_pg_parse_archiver(&s, &none, err, sizeof(err)), -1);
  ck_assert_str_eq(err,
                   "pg_stat_archiver: expected one row, the server returned 0");
  om_pg_snapshot_free(&s);
}
END_TEST

START_TEST(test_invalid_rows_skipped_and_counted) {
  char long_name[OM_PG_MAX_VALUE_BYTES + 2];
  memset(long_name, 'a', sizeof(long_name) - 1);
  long_name[sizeof(long_name) - 1] = '\0';
  const char *cells[] = {
      "ok",      "t",   "f", /* kept */
      NULL,      "t",   "f", /* NULL name */
      long_name, "t",   "f", /* too long */
      "bad\xff", "t",   "f", /* not UTF-8 */
      "x",       "yes", "f", /* not a libpq boolean */
      "",        "f",   "f", /* empty */
  };
  om_pg_table t = {6, 3, cells};
  om_pg_snapshot s = {0};
  char err[128];
  ck_assert_int_eq(om_pg_parse_roles(&s, &t, err, sizeof(err)), 0);
  ck_assert_uint_eq(s.roles_num, 1);
  ck_assert_str_eq(s.roles[0].name, "ok");
  ck_assert_uint_eq(s.rows_rejected, 5);
  ck_assert_str_eq(s.first_rejection, "roles, row 2: column 1 is NULL");
  om_pg_snapshot_free(&s);
}
END_TEST

START_TEST(test_sizes_must_be_numbers_of_asked_databases) {
  om_pg_snapshot s = {0};
  load_databases(&s);
  const char *cells[] = {"appdb", "-1", "postgres", "12x", "other", "5"};
  om_pg_table t = {3, 2, cells};
  char err[128];
  ck_assert_int_eq(om_pg_parse_sizes(&s, &t, err, sizeof(err)), 0);
  ck_assert(!s.dbs[0].has_size && !s.dbs[1].has_size);
  ck_assert_uint_eq(s.rows_rejected, 3);
  om_pg_snapshot_free(&s);
}
END_TEST

START_TEST(test_archiver_age_absent_until_archived) {
  om_pg_snapshot s = {0};
  const char *never[] = {"0", "2", NULL};
  om_pg_table t = {1, 3, never};
  char err[128];
  ck_assert_int_eq(om_pg_parse_archiver(&s, &t, err, sizeof(err)), 0);
  ck_assert(s.has_archiver && !s.has_last_archive_age);
  ck_assert(s.failed_count == 2);
  const char *once[] = {"7", "0", "12.5"};
  om_pg_table u = {1, 3, once};
  ck_assert_int_eq(om_pg_parse_archiver(&s, &u, err, sizeof(err)), 0);
  ck_assert(s.has_last_archive_age && s.last_archive_age == 12.5);
  om_pg_snapshot_free(&s);
}
END_TEST

START_TEST(test_database_array_quotes) {
  om_pg_snapshot s = {0};
  const char *cells[] = {
      "plain", "f", "with \"quote\"", "f", "back\\slash", "f", "a,b", "f"};
  om_pg_table t = {4, 2, cells};
  char err[128];
  om_pg_parse_databases(&s, &t, keep_all_but_templates, NULL, err, sizeof(err));
  char *a = om_pg_database_array(&s);
  ck_assert_str_eq(a, "{\"plain\",\"with \\\"quote\\\"\",\"back\\\\slash\","
                      "\"a,b\"}");
  free(a);
  om_pg_snapshot_free(&s);
  om_pg_snapshot empty = {0};
  a = om_pg_database_array(&empty);
  ck_assert_str_eq(a, "{}");
  free(a);
}
END_TEST

/* --- mapping -------------------------------------------------------------- */

static const om_pg_identity ID = {"pg-main",   "postgres", "db-system",
                                  "127.0.0.1", "5432",     "15.20"};

START_TEST(test_map_health) {
  recorder e;
  om_sink sink = recorder_sink(&e, false);
  om_pg_map_health(&ID, false, 0, &sink);
  ck_assert(recorded(&e,
                     "dbops_instance_healthy{instance=pg-main,engine=postgres,"
                     "namespace=db-system} 0"));
  ck_assert(recorded(&e, "provisioning_database_connected{instance=pg-main,"
                         "engine=postgres,namespace=db-system} 0"));
  ck_assert(recorded(&e,
                     "dbops_instance_info{instance=pg-main,namespace=db-system,"
                     "engine=postgres,version=15.20,host=127.0.0.1,port=5432,"
                     "phase=Failed} 1"));
  ck_assert(recorded(&e,
                     "dbops_resource_count{resource_type=DatabaseInstance,"
                     "phase=Failed,namespace=db-system,instance=pg-main} 1"));
  for (size_t i = 0; i < e.n; i++) /* never a success time that wasn't */
    ck_assert(strstr(e.lines[i], "last_health_check") == NULL);
  recorder ok;
  sink = recorder_sink(&ok, false);
  om_pg_map_health(&ID, true, 1800000000, &sink);
  ck_assert(recorded(&ok,
                     "dbops_instance_last_health_check_timestamp_seconds{"
                     "instance=pg-main,engine=postgres,namespace=db-system} "
                     "1.8e+09"));
  ck_assert(recorded(&ok,
                     "dbops_resource_count{resource_type=DatabaseInstance,"
                     "phase=Ready,namespace=db-system,instance=pg-main} 1"));
}
END_TEST

START_TEST(test_map_snapshot) {
  om_pg_database dbs[] = {{"appdb", false, true, 100}};
  om_pg_role roles[] = {
      {"app", true, false}, {"old", true, true}, {"readers", false, false}};
  om_pg_grant grants[] = {{"app", "appdb", "CONNECT,CREATE"},
                          {"app", NULL, "readers"}};
  om_pg_snapshot s = {.dbs = dbs,
                      .dbs_num = 1,
                      .roles = roles,
                      .roles_num = 3,
                      .grants = grants,
                      .grants_num = 2,
                      .has_archiver = true,
                      .archived_count = 3};
  recorder e;
  om_sink sink = recorder_sink(&e, false);
  om_pg_map_snapshot(&ID, &s, &sink);
  const char *want[] = {
      "dbops_database_size_bytes{database=appdb,instance=pg-main,"
      "engine=postgres,namespace=db-system} 100",
      "dbops_database_info{database=appdb,namespace=db-system,"
      "instance_ref=pg-main,db_name=appdb,phase=Ready} 1",
      "dbops_user_info{user=app,namespace=db-system,instance_ref=pg-main,"
      "username=app,phase=Ready} 1",
      "dbops_user_info{user=old,namespace=db-system,instance_ref=pg-main,"
      "username=old,phase=Failed} 1",
      "dbops_role_info{role=readers,namespace=db-system,instance_ref=pg-main,"
      "role_name=readers,phase=Ready} 1",
      "dbops_grant_info{grant=pg-main/app@appdb,namespace=db-system,"
      "user_ref=app,database_ref=appdb,privileges=CONNECT,CREATE,"
      "phase=Ready} 1",
      "dbops_grant_info{grant=pg-main/app,namespace=db-system,user_ref=app,"
      "database_ref=,privileges=readers,phase=Ready} 1",
      "dbops_resource_count{resource_type=DatabaseUser,phase=Ready,"
      "namespace=db-system,instance=pg-main} 1",
      "dbops_resource_count{resource_type=DatabaseUser,phase=Failed,"
      "namespace=db-system,instance=pg-main} 1",
      "dbops_resource_count{resource_type=DatabaseGrant,phase=Ready,"
      "namespace=db-system,instance=pg-main} 2",
      "pg_stat_archiver_archived_count{instance=pg-main,namespace=db-system} 3",
      "pg_stat_archiver_failed_count{instance=pg-main,namespace=db-system} 0",
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    ck_assert_msg(recorded(&e, want[i]), "missing %s", want[i]);
  for (size_t i = 0; i < e.n; i++) /* no age before a segment is archived */
    ck_assert(strstr(e.lines[i], "last_archive_age") == NULL);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("pg");
  TCase *tc = tcase_create("pg");
  tcase_add_test(tc, test_histogram_cumulative);
  tcase_add_test(tc, test_histogram_refuses_bad_bounds);
  tcase_add_loop_test(tc, test_le_like_go, 0, sizeof(LE) / sizeof(LE[0]));
  tcase_add_test(tc, test_databases_and_sizes);
  tcase_add_test(tc, test_wrong_shape_is_an_error);
  tcase_add_test(tc, test_invalid_rows_skipped_and_counted);
  tcase_add_test(tc, test_sizes_must_be_numbers_of_asked_databases);
  tcase_add_test(tc, test_archiver_age_absent_until_archived);
  tcase_add_test(tc, test_database_array_quotes);
  tcase_add_test(tc, test_map_health);
  tcase_add_test(tc, test_map_snapshot);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(make_suite)

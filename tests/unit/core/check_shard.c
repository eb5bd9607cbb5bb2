/* Shards (om_shard) and the plugin-wide series budget (om_budget): how
 * many shards a bound needs, their plugin names, that a series
 * keeps its shard and that shards stay near OM_SHARD_SERIES; and that the
 * budget's holdings never add up beyond the limit. */
#include "check_main.h"
#include "om_budget.h"
#include "om_catalog.h"
#include "om_sample.h"
#include "om_shard.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

START_TEST(test_count_follows_the_bound) {
  ck_assert_uint_eq(om_shard_count(0), 1);
  ck_assert_uint_eq(om_shard_count(1), 1);
  ck_assert_uint_eq(om_shard_count(OM_SHARD_SERIES), 1);
  ck_assert_uint_eq(om_shard_count(OM_SHARD_SERIES + 1), 2);
  ck_assert_uint_eq(om_shard_count(100000), 125);
  ck_assert_uint_eq(om_shard_count(1000000), OM_SHARD_MAX);
  ck_assert_uint_eq(om_shard_count(SIZE_MAX), OM_SHARD_MAX);
  ck_assert_uint_eq(om_shard_generic_count(1), OM_GENERIC_SHARDS_MIN);
  ck_assert_uint_eq(om_shard_generic_count(125), 125);
}
END_TEST

START_TEST(test_shard_names) {
  char out[OM_TYPE_NAME_SIZE];
  ck_assert_uint_eq(om_shard_name("om", 0, 1, out, sizeof(out)), 2);
  ck_assert_str_eq(out, "om");
  ck_assert_uint_eq(om_shard_name("om", 1, 1, out, sizeof(out)), 0);
  ck_assert_uint_eq(om_shard_name("om", 7, 16, out, sizeof(out)), 5);
  ck_assert_str_eq(out, "om_07");
  ck_assert_uint_gt(om_shard_name("om", 9, 10, out, sizeof(out)), 0);
  ck_assert_str_eq(out, "om_09");
  ck_assert_uint_gt(om_shard_name("om", 7, 125, out, sizeof(out)), 0);
  ck_assert_str_eq(out, "om_007");
  ck_assert_uint_gt(om_shard_name("om", 100, 101, out, sizeof(out)), 0);
  ck_assert_str_eq(out, "om_100");
  ck_assert_uint_gt(
      om_shard_name("om", OM_SHARD_MAX - 1, OM_SHARD_MAX, out, 128), 0);
  ck_assert_str_eq(out, "om_1249");
  ck_assert_uint_eq(om_shard_name("om", 125, 125, out, sizeof(out)), 0);
  ck_assert_uint_eq(om_shard_name("om", 0, 0, out, sizeof(out)), 0);
  /* the suffix must fit: OM_SHARD_SUFFIX_MAX bytes at most */
  char base[OM_TYPE_NAME_SIZE];
  memset(base, 'a', sizeof(base) - 1 - OM_SHARD_SUFFIX_MAX);
  base[sizeof(base) - 1 - OM_SHARD_SUFFIX_MAX] = '\0';
  ck_assert_uint_eq(om_shard_name(base, 1249, 1250, out, sizeof(out)),
                    sizeof(out) - 1);
  ck_assert_uint_eq(om_shard_name(base, 0, 1, out, 10), 0);
  ck_assert_uint_eq(om_shard_name("ab", 1, 16, out, 5), 0);
  ck_assert_uint_eq(om_shard_name("ab", 1, 16, out, 6), 5);
  ck_assert_str_eq(out, "ab_01");
}
END_TEST

/* The samples of one series: bucket le of a controller's histogram. */
static om_sample bucket_sample(const om_series_type *st, int controller,
                               int le) {
  char c[32], l[32];
  snprintf(c, sizeof(c), "ctrl-%05d", controller);
  snprintf(l, sizeof(l), "%d", le);
  om_label labels[] = {om_label_cstr("controller", c), om_label_cstr("le", l),
                       om_label_cstr("job", "x"),
                       om_label_cstr("instance", "10.0.0.1:8443")};
  om_sample s;
  ck_assert_int_eq(om_sample_build(st, labels, 4, 1, &s), OM_DROP_NONE);
  return s;
}

/* 100,000 series of one histogram's buckets over the default's shards:
 * each keeps its shard when built again, and no shard gets near twice
 * its share, nor past about 1,000. */
START_TEST(test_series_spread_over_shards) {
  char err[256];
  om_catalog *cat = om_catalog_new(err, sizeof(err));
  const om_series_type *st = om_catalog_series_of(
      cat, "controller_runtime_reconcile_time_seconds", OM_SERIES_BUCKET);
  ck_assert_ptr_nonnull(st);
  unsigned count = om_shard_count(100000);
  static unsigned load[OM_SHARD_MAX];
  memset(load, 0, sizeof(load));
  for (int c = 0; c < 2500; c++)
    for (int le = 0; le < 40; le++) {
      om_sample s = bucket_sample(st, c, le);
      unsigned k = om_shard_of(om_sample_identity(&s), count);
      ck_assert_uint_lt(k, count);
      load[k]++;
      if (le == 0) {
        om_sample again = bucket_sample(st, c, le);
        ck_assert_uint_eq(om_sample_identity(&again), om_sample_identity(&s));
      }
    }
  unsigned most = 0, least = UINT32_MAX;
  for (unsigned k = 0; k < count; k++) {
    most = load[k] > most ? load[k] : most;
    least = load[k] < least ? load[k] : least;
  }
  ck_assert_msg(most <= 1000 && least >= 600, "shards hold %u to %u", least,
                most);
  om_catalog_free(cat);
}
END_TEST

START_TEST(test_budget_unbounded) {
  om_budget b;
  om_budget_init(&b, 0);
  size_t held = 0;
  ck_assert_uint_eq(om_budget_room(&b, held), SIZE_MAX);
  om_budget_settle(&b, &held, 123456);
  ck_assert_uint_eq(held, 123456);
  ck_assert_uint_eq(om_budget_room(&b, 0), SIZE_MAX);
  om_budget_destroy(&b);
}
END_TEST

/* Holdings: the first block keeps what it holds, a second gets the rest;
 * when the first shrinks, the second may grow. */
START_TEST(test_budget_shares) {
  om_budget b;
  om_budget_init(&b, 1000);
  size_t a = 0, c = 0;
  ck_assert_uint_eq(om_budget_room(&b, a), 1000);
  om_budget_settle(&b, &a, 700);
  ck_assert_uint_eq(om_budget_room(&b, c), 300);
  ck_assert_uint_eq(om_budget_room(&b, a), 1000); /* its own count back */
  om_budget_settle(&b, &c, 300);
  ck_assert_uint_eq(om_budget_room(&b, c), 300);
  ck_assert_uint_eq(om_budget_room(&b, 0), 0); /* a third block: nothing */
  om_budget_settle(&b, &a, 100);
  ck_assert_uint_eq(om_budget_room(&b, c), 900);
  om_budget_settle(&b, &c, 0);
  ck_assert_uint_eq(om_budget_room(&b, a), 1000);
  /* own series may push a block past its room; the others get 0, never
   * a wrapped-around size */
  om_budget_settle(&b, &a, 1200);
  ck_assert_uint_eq(om_budget_room(&b, c), 0);
  om_budget_set_limit(&b, 2000);
  ck_assert_uint_eq(om_budget_limit(&b), 2000);
  ck_assert_uint_eq(om_budget_room(&b, c), 800);
  om_budget_destroy(&b);
}
END_TEST

typedef struct {
  om_budget *budget;
  size_t want;
  size_t over; /* reads whose sum came out above the limit */
} reader;

static void *read_often(void *p) {
  reader *r = p;
  size_t held = 0;
  for (int i = 0; i < 20000; i++) {
    size_t room = om_budget_room(r->budget, held);
    size_t sent =
        (r->want + (size_t)i % 7) < room ? r->want + (size_t)i % 7 : room;
    om_budget_settle(r->budget, &held, sent);
  }
  return NULL;
}

/* Eight blocks reading at once, each wanting 300 of 1,000: the ledger
 * ends exactly at the sum of their holdings, within the limit. */
START_TEST(test_budget_threads) {
  om_budget b;
  om_budget_init(&b, 1000);
  pthread_t th[8];
  reader r[8];
  for (int i = 0; i < 8; i++) {
    r[i] = (reader){&b, 300, 0};
    ck_assert_int_eq(pthread_create(&th[i], NULL, read_often, &r[i]), 0);
  }
  for (int i = 0; i < 8; i++)
    pthread_join(th[i], NULL);
  ck_assert_uint_le(b.held, 1000);
  om_budget_destroy(&b);
}
END_TEST

static Suite *shard_suite(void) {
  Suite *s = suite_create("shard");
  TCase *tc = tcase_create("shard");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_count_follows_the_bound);
  tcase_add_test(tc, test_shard_names);
  tcase_add_test(tc, test_series_spread_over_shards);
  tcase_add_test(tc, test_budget_unbounded);
  tcase_add_test(tc, test_budget_shares);
  tcase_add_test(tc, test_budget_threads);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(shard_suite)

/* The plugin's one hash (om_hash): the same input gives the same value in
 * every run, and neighbouring fields stay apart. */
#include "check_main.h"
#include "om_hash.h"

#include <stdio.h>
#include <string.h>

static uint64_t fields(const char *a, const char *b) {
  uint64_t h = om_hash_bytes(OM_HASH_SEED, a, strlen(a));
  return om_hash_bytes(h, b, strlen(b));
}

START_TEST(test_fields_stay_apart) {
  ck_assert(fields("ab", "c") != fields("a", "bc"));
  ck_assert(fields("", "abc") != fields("abc", ""));
  ck_assert(fields("abcdefgh", "") != fields("abcdefg", "h"));
  ck_assert(fields("job", "x") == fields("job", "x"));
}
END_TEST

START_TEST(test_same_in_every_run) {
  /* fixed, so that a series keeps its shard's collectd type across runs;
   * the values are those of a Python rendering of the algorithm in
   * om_hash.h (little-endian words, length last) */
  ck_assert_uint_eq(om_hash_bytes(OM_HASH_SEED, "", 0),
                    UINT64_C(0x0faff334f9e48b9d));
  ck_assert_uint_eq(om_hash_bytes(OM_HASH_SEED, "datum_quota_usage_ratio", 23),
                    UINT64_C(0x70b77066a511d3f9));
}
END_TEST

START_TEST(test_spread) {
  /* 4,096 names over 16 buckets: none empty, none with twice its share */
  unsigned counts[16] = {0};
  char name[32];
  for (int i = 0; i < 4096; i++) {
    int n = snprintf(name, sizeof(name), "family_%d_total", i);
    counts[om_hash_bytes(OM_HASH_SEED, name, (size_t)n) % 16]++;
  }
  for (int b = 0; b < 16; b++)
    ck_assert_msg(counts[b] > 128 && counts[b] < 512, "bucket %d: %u", b,
                  counts[b]);
}
END_TEST

static Suite *hash_suite(void) {
  Suite *s = suite_create("hash");
  TCase *tc = tcase_create("hash");
  tcase_add_test(tc, test_fields_stay_apart);
  tcase_add_test(tc, test_same_in_every_run);
  tcase_add_test(tc, test_spread);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(hash_suite)

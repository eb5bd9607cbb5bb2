/* The plugin-wide sums (om_tally): sources add up into one series whatever
 * the order of their labels, histograms add bucket by bucket, the first
 * contributor owns the series, a source that stops sending leaves the sum,
 * and the number of contributions is bounded. */
#include "check_main.h"
#include "om_tally.h"

#include <stdio.h>
#include <string.h>

static const double BOUNDS[] = {1, 5};

static om_slice src(const char *s) { return om_slice_from_cstr(s); }

/* The labels {namespace, status} in a given order. */
static void two_labels(om_label l[2], bool reversed, const char *status) {
  l[reversed ? 1 : 0] = om_label_cstr("namespace", "ns");
  l[reversed ? 0 : 1] = om_label_cstr("status", status);
}

START_TEST(test_sources_add_up) {
  om_tally *t = om_tally_new();
  size_t a = om_tally_contributor(t, "a"), b = om_tally_contributor(t, "b");
  ck_assert_uint_ne(a, b);
  ck_assert_uint_eq(om_tally_contributor(t, "a"), a);
  om_label l[2];
  om_tally_begin(t, a);
  om_tally_begin(t, b);
  two_labels(l, false, "success");
  ck_assert_int_eq(om_tally_put(t, a, "f", l, 2, src("database=x"), 2, NULL),
                   0);
  ck_assert_int_eq(om_tally_put(t, a, "f", l, 2, src("database=y"), 3, NULL),
                   0);
  two_labels(l, true, "success"); /* same series, labels in another order */
  ck_assert_int_eq(om_tally_put(t, b, "f", l, 2, src("database=z"), 4, NULL),
                   0);
  two_labels(l, false, "failure");
  ck_assert_int_eq(om_tally_put(t, b, "f", l, 2, src("database=z"), 1, NULL),
                   0);
  /* a owns the success series, b the failure one */
  ck_assert_uint_eq(om_tally_owned_num(t, a), 1);
  ck_assert_uint_eq(om_tally_owned_num(t, b), 1);
  om_tally_series s;
  double v;
  om_histogram h;
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &h));
  ck_assert_str_eq(s.family, "f");
  ck_assert_uint_eq(s.labels_num, 2);
  ck_assert(om_slice_eq_cstr(s.labels[0].name, "namespace"));
  ck_assert(om_slice_eq_cstr(s.labels[1].value, "success"));
  ck_assert(!s.histogram);
  ck_assert_double_eq(v, 9);
  ck_assert(om_tally_owned_sum(t, b, 0, &s, &v, &h));
  ck_assert_double_eq(v, 1);
  /* a refreshed figure replaces the old one */
  two_labels(l, false, "success");
  ck_assert_int_eq(om_tally_put(t, a, "f", l, 2, src("database=x"), 5, NULL),
                   0);
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &h));
  ck_assert_double_eq(v, 12);
  ck_assert(!om_tally_owned_sum(t, a, 1, &s, &v, &h));
  om_tally_free(t);
}
END_TEST

START_TEST(test_histograms_add_bucket_by_bucket) {
  om_tally *t = om_tally_new();
  size_t a = om_tally_contributor(t, "a");
  om_histogram x, y, sum;
  ck_assert_int_eq(om_histogram_init(&x, BOUNDS, 2), 0);
  ck_assert_int_eq(om_histogram_init(&y, BOUNDS, 2), 0);
  om_histogram_observe(&x, 0.5);
  om_histogram_observe(&y, 3);
  om_histogram_observe(&y, 9);
  om_label l = om_label_cstr("namespace", "ns");
  om_tally_begin(t, a);
  ck_assert_int_eq(om_tally_put(t, a, "d", &l, 1, src("database=x"), 0, &x), 0);
  ck_assert_int_eq(om_tally_put(t, a, "d", &l, 1, src("database=y"), 0, &y), 0);
  /* a plain value cannot go to a histogram's series */
  ck_assert_int_eq(om_tally_put(t, a, "d", &l, 1, src("database=z"), 1, NULL),
                   -1);
  om_tally_series s;
  double v;
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &sum));
  ck_assert(s.histogram);
  ck_assert_uint_eq(sum.cumulative[0], 1);
  ck_assert_uint_eq(sum.cumulative[1], 2);
  ck_assert_uint_eq(sum.count, 3);
  ck_assert_double_eq(sum.sum, 12.5);
  om_tally_free(t);
}
END_TEST

START_TEST(test_a_source_that_stops_leaves_the_sum) {
  om_tally *t = om_tally_new();
  size_t a = om_tally_contributor(t, "a"), b = om_tally_contributor(t, "b");
  om_label l = om_label_cstr("namespace", "ns");
  om_tally_series s;
  double v;
  om_histogram h;
  om_tally_begin(t, a);
  om_tally_begin(t, b);
  om_tally_put(t, a, "g", &l, 1, src("instance=1"), 2, NULL);
  om_tally_put(t, b, "g", &l, 1, src("instance=2"), 3, NULL);
  om_tally_end(t, a);
  om_tally_end(t, b);
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &h));
  ck_assert_double_eq(v, 5);
  /* b's next read is under way: its last figure still counts */
  om_tally_begin(t, b);
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &h));
  ck_assert_double_eq(v, 5);
  /* b completed a read without it: gone */
  om_tally_end(t, b);
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &h));
  ck_assert_double_eq(v, 2);
  /* the owner stops too: nothing counts, nothing is dispatched */
  om_tally_begin(t, a);
  om_tally_end(t, a);
  ck_assert(!om_tally_owned_sum(t, a, 0, &s, &v, &h));
  om_tally_free(t);
}
END_TEST

START_TEST(test_contributions_are_bounded) {
  om_tally *t = om_tally_new();
  size_t a = om_tally_contributor(t, "a");
  om_label l = om_label_cstr("namespace", "ns");
  char name[32];
  om_tally_begin(t, a);
  for (size_t i = 0; i < OM_TALLY_MAX_CONTRIBUTIONS; i++) {
    int n = snprintf(name, sizeof(name), "database=%zu", i);
    ck_assert_int_eq(
        om_tally_put(t, a, "g", &l, 1, (om_slice){name, (size_t)n}, 1, NULL),
        0);
  }
  ck_assert_int_eq(
      om_tally_put(t, a, "g", &l, 1, src("database=more"), 1, NULL), -1);
  /* a known source may still change its figure */
  ck_assert_int_eq(om_tally_put(t, a, "g", &l, 1, src("database=0"), 2, NULL),
                   0);
  om_tally_series s;
  double v;
  om_histogram h;
  ck_assert(om_tally_owned_sum(t, a, 0, &s, &v, &h));
  ck_assert_double_eq(v, OM_TALLY_MAX_CONTRIBUTIONS + 1);
  /* unknown contributors put nothing */
  ck_assert_int_eq(om_tally_put(t, 99, "g", &l, 1, src("x=1"), 1, NULL), -1);
  ck_assert_uint_eq(om_tally_owned_num(t, 99), 0);
  om_tally_free(t);
}
END_TEST

static Suite *tally_suite(void) {
  Suite *s = suite_create("tally");
  TCase *tc = tcase_create("tally");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_sources_add_up);
  tcase_add_test(tc, test_histograms_add_bucket_by_bucket);
  tcase_add_test(tc, test_a_source_that_stops_leaves_the_sum);
  tcase_add_test(tc, test_contributions_are_bounded);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(tally_suite)

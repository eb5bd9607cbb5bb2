/* Label rules (om_label_rules): LabelDrop, LabelKeep and DropSeries in
 * order, anchored POSIX regexes, and the refusals. */
#include "check_main.h"
#include "om_label_rules.h"

#include <stdio.h>
#include <string.h>

#define LBL(n, v)                                                              \
  (om_label) { om_slice_from_cstr(n), om_slice_from_cstr(v) }

static om_label labels[8];
static size_t labels_num;
static om_label_rules *rules;
static char err[256];

static void setup(void) {
  rules = om_label_rules_new();
  ck_assert_ptr_nonnull(rules);
  labels_num = 0;
  labels[labels_num++] = LBL("container", "manager");
  labels[labels_num++] = LBL("id", "/kubepods.slice/x.scope");
  labels[labels_num++] = LBL("image", "registry.k8s.io/pause:3.9");
  labels[labels_num++] = LBL("name", "abc");
  labels[labels_num++] = LBL("pod", "web-0");
  labels[labels_num++] = LBL("instance", "10.0.0.1:10250");
  labels[labels_num++] = LBL("job", "kubelet");
  err[0] = '\0';
}

static void teardown(void) { om_label_rules_free(rules); }

static void add(om_label_rule_kind kind, const char *label, const char *re) {
  ck_assert_msg(om_label_rules_add(rules, kind, label, re, err, sizeof(err)) ==
                    0,
                "%s", err);
}

/* The label names left, joined by ','. */
static const char *names(void) {
  static char out[256];
  out[0] = '\0';
  for (size_t i = 0; i < labels_num; i++)
    snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s",
             i ? "," : "", (int)labels[i].name.len, labels[i].name.ptr);
  return out;
}

static bool apply(const char *series) {
  return om_label_rules_apply(rules, om_slice_from_cstr(series), labels,
                              &labels_num);
}

START_TEST(test_no_rules_keep_everything) {
  ck_assert(
      om_label_rules_apply(NULL, om_slice_from_cstr("x"), labels, &labels_num));
  ck_assert(apply("x"));
  ck_assert_uint_eq(labels_num, 7);
  ck_assert_uint_eq(om_label_rules_count(rules), 0);
}
END_TEST

START_TEST(test_label_drop_is_anchored) {
  add(OM_RULE_LABEL_DROP, NULL, "id|nam");
  ck_assert(apply("container_memory_working_set_bytes"));
  /* "nam" does not match "name": the regex is anchored at both ends */
  ck_assert_str_eq(names(), "container,image,name,pod,instance,job");
}
END_TEST

START_TEST(test_label_keep) {
  add(OM_RULE_LABEL_KEEP, NULL, "job|instance|pod|contain.*");
  ck_assert(apply("x"));
  ck_assert_str_eq(names(), "container,pod,instance,job");
}
END_TEST

START_TEST(test_drop_series_by_value) {
  add(OM_RULE_DROP_SERIES, "image", "registry\\.k8s\\.io/pause:.*");
  ck_assert(!apply("x"));
}
END_TEST

START_TEST(test_drop_series_absent_is_empty) {
  add(OM_RULE_DROP_SERIES, "container", "");
  ck_assert(apply("x")); /* container="manager" */
  labels_num = 1;        /* only container left ... */
  labels[0] = LBL("pod", "web-0");
  ck_assert(!apply("x")); /* ... now absent: reads as "" */
}
END_TEST

START_TEST(test_drop_series_by_name) {
  add(OM_RULE_DROP_SERIES, "__name__", "container_tasks_state|.*_seconds");
  ck_assert(!apply("container_tasks_state"));
  ck_assert(!apply("container_cpu_usage_seconds"));
  ck_assert(apply("container_cpu_usage_seconds_total"));
}
END_TEST

/* Rules run in order: after LabelDrop removes container, a DropSeries on
 * it sees it absent. */
START_TEST(test_rules_in_order) {
  add(OM_RULE_LABEL_DROP, NULL, "container");
  add(OM_RULE_DROP_SERIES, "container", "");
  ck_assert(!apply("x"));
}
END_TEST

START_TEST(test_value_not_terminated) {
  /* a value that is a view into a longer buffer: only its bytes count */
  static const char body[] = "web-0-and-more";
  labels[4].value = (om_slice){body, 5};
  add(OM_RULE_DROP_SERIES, "pod", "web-0");
  ck_assert(!apply("x"));
}
END_TEST

static void assert_refused(om_label_rule_kind kind, const char *label,
                           const char *re, const char *want) {
  ck_assert_int_eq(om_label_rules_add(rules, kind, label, re, err, sizeof(err)),
                   -1);
  ck_assert_msg(strstr(err, want) != NULL, "%s", err);
}

START_TEST(test_refusals) {
  assert_refused(OM_RULE_LABEL_DROP, NULL, "(", "is not a POSIX extended");
  assert_refused(OM_RULE_LABEL_DROP, NULL, "x)|(y", "is not a POSIX");
  assert_refused(OM_RULE_DROP_SERIES, "pod", "web-\\d+", "uses \\d");
  assert_refused(OM_RULE_LABEL_DROP, NULL, "instance",
                 "would remove the label \"instance\"");
  assert_refused(OM_RULE_LABEL_DROP, NULL, "j.b", "label \"job\"");
  assert_refused(OM_RULE_LABEL_KEEP, NULL, "pod", "label \"job\"");
  assert_refused(OM_RULE_LABEL_KEEP, NULL, "job|pod", "label \"instance\"");
  assert_refused(OM_RULE_DROP_SERIES, "__id", "x", "is not a label name");
  assert_refused(OM_RULE_DROP_SERIES, "", "x", "is not a label name");
  ck_assert_uint_eq(om_label_rules_count(rules), 0);
  /* DropSeries on job itself drops series, not the label: allowed */
  add(OM_RULE_DROP_SERIES, "job", "other");
  for (int i = 1; i < OM_LABEL_RULES_MAX; i++)
    add(OM_RULE_LABEL_DROP, NULL, "id");
  assert_refused(OM_RULE_LABEL_DROP, NULL, "id", "one rule too many");
  ck_assert_uint_eq(om_label_rules_count(rules), OM_LABEL_RULES_MAX);
}
END_TEST

static Suite *rules_suite(void) {
  Suite *s = suite_create("label_rules");
  TCase *tc = tcase_create("rules");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_no_rules_keep_everything);
  tcase_add_test(tc, test_label_drop_is_anchored);
  tcase_add_test(tc, test_label_keep);
  tcase_add_test(tc, test_drop_series_by_value);
  tcase_add_test(tc, test_drop_series_absent_is_empty);
  tcase_add_test(tc, test_drop_series_by_name);
  tcase_add_test(tc, test_rules_in_order);
  tcase_add_test(tc, test_value_not_terminated);
  tcase_add_test(tc, test_refusals);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(rules_suite)

/* The Lease of a leader election (om_lease): reading the API's object and
 * refusing what is not one, writing creations, renewals and takeovers, and
 * the decision of a candidate by its own clock. */
#include "check_main.h"
#include "om_lease.h"
#include "om_types.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char LEASE[] =
    "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
    "\"metadata\":{\"name\":\"inv\",\"namespace\":\"mon\","
    "\"resourceVersion\":\"5001\"},\"spec\":{\"holderIdentity\":\"node-a\","
    "\"leaseDurationSeconds\":30,\"acquireTime\":"
    "\"2026-12-02T10:00:00.000000Z\",\"renewTime\":"
    "\"2026-12-02T10:00:20.000000Z\",\"leaseTransitions\":2}}";

static om_lease_record parsed(const char *json) {
  om_lease_record r;
  char err[256];
  ck_assert_msg(om_lease_parse(json, strlen(json), &r, err, sizeof(err)) == 0,
                "%s", err);
  return r;
}

START_TEST(test_parse_a_lease) {
  om_lease_record r = parsed(LEASE);
  ck_assert_str_eq(r.holder, "node-a");
  ck_assert_str_eq(r.version, "5001");
  ck_assert_int_eq(r.duration_s, 30);
  ck_assert_int_eq(r.transitions, 2);
  ck_assert_str_eq(r.acquire_time, "2026-12-02T10:00:00.000000Z");
  /* a lease nobody holds */
  r = parsed("{\"kind\":\"Lease\",\"metadata\":{\"resourceVersion\":\"7\"},"
             "\"spec\":{}}");
  ck_assert_str_eq(r.holder, "");
  ck_assert_int_eq(r.duration_s, 0);
}
END_TEST

START_TEST(test_refuse_what_is_not_a_lease) {
  static const struct {
    const char *json, *why;
  } CASES[] = {
      {"[]", "not a JSON object"},
      {"{\"kind\":\"Status\"}", "\"kind\" is not \"Lease\""},
      {"{\"kind\":\"Lease\",\"metadata\":{}}", "metadata.resourceVersion"},
      {"{\"kind\":\"Lease\",\"metadata\":{\"resourceVersion\":\"1\"},"
       "\"spec\":{\"holderIdentity\":5}}",
       "spec.holderIdentity"},
      {"{\"kind\":\"Lease\",\"metadata\":{\"resourceVersion\":\"1\"},"
       "\"spec\":{\"leaseDurationSeconds\":1.5}}",
       "spec.leaseDurationSeconds"},
      {"{\"kind\":\"Lease\",\"metadata\":{\"resourceVersion\":\"1\"},"
       "\"spec\":{\"leaseDurationSeconds\":-3}}",
       "spec.leaseDurationSeconds"},
      {"{\"kind\":\"Lease\",\"metadata\":{\"resourceVersion\":\"1\"},"
       "\"spec\":{\"leaseTransitions\":\"x\"}}",
       "spec.leaseTransitions"},
      {"{\"kind\":\"Lease\"", "not a JSON object"},
  };
  for (size_t i = 0; i < OM_LEN(CASES); i++) {
    om_lease_record r;
    char err[256];
    ck_assert_int_eq(om_lease_parse(CASES[i].json, strlen(CASES[i].json), &r,
                                    err, sizeof(err)),
                     -1);
    ck_assert_msg(strstr(err, CASES[i].why) != NULL, "%s: %s", CASES[i].json,
                  err);
  }
  /* every truncation of a good lease is refused, never read past */
  for (size_t n = 0; n < strlen(LEASE) - 1; n++) {
    char *copy = om_test_exact_copy(LEASE, n);
    om_lease_record r;
    char err[256];
    ck_assert_int_eq(om_lease_parse(copy, n, &r, err, sizeof(err)), -1);
    free(copy);
  }
}
END_TEST

/* A written lease's field. */
static const cJSON *field(const cJSON *root, const char *obj,
                          const char *name) {
  return cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(root, obj), name);
}

START_TEST(test_bodies) {
  char *body = om_lease_body("mon", "inv", NULL, "node-b", 12, 1795000000.25);
  cJSON *root = cJSON_Parse(body);
  ck_assert_str_eq(field(root, "metadata", "name")->valuestring, "inv");
  ck_assert_ptr_null(field(root, "metadata", "resourceVersion"));
  ck_assert_str_eq(field(root, "spec", "holderIdentity")->valuestring,
                   "node-b");
  ck_assert_int_eq(field(root, "spec", "leaseDurationSeconds")->valueint, 12);
  ck_assert_str_eq(field(root, "spec", "renewTime")->valuestring,
                   "2026-11-18T11:06:40.250000Z");
  ck_assert_int_eq(field(root, "spec", "leaseTransitions")->valueint, 0);
  cJSON_Delete(root);
  free(body);
  /* a renewal keeps acquireTime and the transitions, names the version */
  om_lease_record r = parsed(LEASE);
  body = om_lease_body("mon", "inv", &r, "node-a", 30, 1795000000);
  root = cJSON_Parse(body);
  ck_assert_str_eq(field(root, "metadata", "resourceVersion")->valuestring,
                   "5001");
  ck_assert_str_eq(field(root, "spec", "acquireTime")->valuestring,
                   "2026-12-02T10:00:00.000000Z");
  ck_assert_int_eq(field(root, "spec", "leaseTransitions")->valueint, 2);
  cJSON_Delete(root);
  free(body);
  /* a takeover acquires now and counts a transition */
  body = om_lease_body("mon", "inv", &r, "node-c", 30, 1795000000);
  root = cJSON_Parse(body);
  ck_assert_str_eq(field(root, "spec", "acquireTime")->valuestring,
                   "2026-11-18T11:06:40.000000Z");
  ck_assert_int_eq(field(root, "spec", "leaseTransitions")->valueint, 3);
  ck_assert_str_eq(field(root, "spec", "holderIdentity")->valuestring,
                   "node-c");
  cJSON_Delete(root);
  free(body);
}
END_TEST

START_TEST(test_decide_by_own_clock) {
  om_lease_watch w = {0};
  ck_assert_int_eq(om_lease_decide(&w, NULL, "node-b", 100, 30),
                   OM_LEASE_CREATE);
  om_lease_record r = parsed(LEASE);
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-a", 100, 30), OM_LEASE_RENEW);
  /* another holds it: wait while it renews (the version changes) */
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 100, 10), OM_LEASE_WAIT);
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 129, 10), OM_LEASE_WAIT);
  strcpy(r.version, "5002");
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 129.5, 10), OM_LEASE_WAIT);
  /* unchanged for its own duration (30 s, not the default): take it */
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 159, 10), OM_LEASE_WAIT);
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 159.5, 10), OM_LEASE_TAKE);
  /* a lease naming no duration lasts the default */
  r.duration_s = 0;
  strcpy(r.version, "5003");
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 200, 10), OM_LEASE_WAIT);
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 210, 10), OM_LEASE_TAKE);
  /* a released lease (no holder) is free at once */
  r.holder[0] = '\0';
  ck_assert_int_eq(om_lease_decide(&w, &r, "node-b", 210, 10), OM_LEASE_TAKE);
}
END_TEST

static Suite *lease_suite(void) {
  Suite *s = suite_create("lease");
  TCase *tc = tcase_create("lease");
  tcase_add_test(tc, test_parse_a_lease);
  tcase_add_test(tc, test_refuse_what_is_not_a_lease);
  tcase_add_test(tc, test_bodies);
  tcase_add_test(tc, test_decide_by_own_clock);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(lease_suite)

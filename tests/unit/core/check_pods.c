/* The endpoints of a <Pods> selection (om_pods): Running and Ready pods
 * with an IP, their port by number or by name, the others counted, and
 * items that are not pods refused; a Service's ready endpoints. */
#include "check_main.h"
#include "om_pods.h"

#include <string.h>

static const char PODS[] =
    "[{\"metadata\":{\"name\":\"op-1\",\"namespace\":\"sys\"},"
    "\"spec\":{\"nodeName\":\"node-a\",\"containers\":[{\"name\":\"m\","
    "\"ports\":[{\"name\":\"health\",\"containerPort\":8081},"
    "{\"name\":\"metrics\",\"containerPort\":8443}]}]},"
    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.0.5\","
    "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
    /* running, not ready */
    "{\"metadata\":{\"name\":\"op-2\",\"namespace\":\"sys\"},"
    "\"spec\":{\"containers\":[]},"
    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.0.6\","
    "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}},"
    /* pending, no IP */
    "{\"metadata\":{\"name\":\"op-3\",\"namespace\":\"sys\"},"
    "\"status\":{\"phase\":\"Pending\"}},"
    /* ready, without a port named metrics */
    "{\"metadata\":{\"name\":\"op-4\",\"namespace\":\"sys\"},"
    "\"spec\":{\"containers\":[{\"ports\":[{\"containerPort\":9090}]}]},"
    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.0.8\","
    "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}]";

START_TEST(test_ready_pods_by_port_name) {
  cJSON *items = cJSON_Parse(PODS);
  om_pod_endpoints e = {0};
  char err[128];
  ck_assert_int_eq(
      om_pods_select(items, "metrics", 0, 100, &e, err, sizeof(err)), 0);
  ck_assert_uint_eq(e.num, 1);
  ck_assert_str_eq(e.items[0].pod, "op-1");
  ck_assert_str_eq(e.items[0].namespace_, "sys");
  ck_assert_str_eq(e.items[0].ip, "10.1.0.5");
  ck_assert_int_eq(e.items[0].port, 8443);
  ck_assert_uint_eq(e.not_ready, 2);
  ck_assert_uint_eq(e.no_port, 1);
  om_pod_endpoints_free(&e);
  /* by number: every ready pod */
  ck_assert_int_eq(om_pods_select(items, NULL, 9090, 100, &e, err, sizeof(err)),
                   0);
  ck_assert_uint_eq(e.num, 2);
  ck_assert_int_eq(e.items[1].port, 9090);
  ck_assert_str_eq(e.items[1].ip, "10.1.0.8");
  om_pod_endpoints_free(&e);
  /* at most max */
  ck_assert_int_eq(om_pods_select(items, NULL, 9090, 1, &e, err, sizeof(err)),
                   0);
  ck_assert_uint_eq(e.num, 1);
  om_pod_endpoints_free(&e);
  cJSON_Delete(items);
}
END_TEST

START_TEST(test_refuse_what_is_not_a_pod_list) {
  static const char *const BAD[] = {"{}", "[1]", "[{\"metadata\":{}}]",
                                    "[{\"metadata\":{\"name\":5}}]"};
  for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
    cJSON *items = cJSON_Parse(BAD[i]);
    om_pod_endpoints e = {0};
    char err[128];
    ck_assert_int_eq(om_pods_select(items, "m", 0, 10, &e, err, sizeof(err)),
                     -1);
    ck_assert_msg(strlen(err) > 0, "%s", BAD[i]);
    om_pod_endpoints_free(&e);
    cJSON_Delete(items);
  }
}
END_TEST

/* A Service's endpoints: two ready addresses (one on node-b), one not
 * ready, one without a pod behind it. */
static const char ENDPOINTS[] =
    "[{\"metadata\":{\"name\":\"op-svc\",\"namespace\":\"sys\"},"
    "\"subsets\":[{\"addresses\":["
    "{\"ip\":\"10.1.0.5\",\"nodeName\":\"node-a\",\"targetRef\":"
    "{\"kind\":\"Pod\",\"name\":\"op-1\",\"namespace\":\"sys\"}},"
    "{\"ip\":\"10.1.0.9\",\"nodeName\":\"node-b\",\"targetRef\":"
    "{\"kind\":\"Pod\",\"name\":\"op-2\",\"namespace\":\"sys\"}},"
    "{\"ip\":\"10.9.9.9\",\"nodeName\":\"node-a\"}],"
    "\"notReadyAddresses\":[{\"ip\":\"10.1.0.6\",\"nodeName\":\"node-a\"}],"
    "\"ports\":[{\"name\":\"https\",\"port\":443},"
    "{\"name\":\"metrics\",\"port\":8443}]}]}]";

START_TEST(test_service_endpoints) {
  cJSON *items = cJSON_Parse(ENDPOINTS);
  om_pod_endpoints e = {0};
  char err[128];
  ck_assert_int_eq(om_pods_select_endpoints(items, "metrics", 0, "node-a", 100,
                                            &e, err, sizeof(err)),
                   0);
  ck_assert_uint_eq(e.num, 1);
  ck_assert_str_eq(e.items[0].pod, "op-1");
  ck_assert_str_eq(e.items[0].namespace_, "sys");
  ck_assert_str_eq(e.items[0].ip, "10.1.0.5");
  ck_assert_int_eq(e.items[0].port, 8443);
  ck_assert_uint_eq(e.not_ready, 1);
  om_pod_endpoints_free(&e);
  /* every node, by port number */
  ck_assert_int_eq(om_pods_select_endpoints(items, NULL, 443, NULL, 100, &e,
                                            err, sizeof(err)),
                   0);
  ck_assert_uint_eq(e.num, 2);
  ck_assert_str_eq(e.items[1].pod, "op-2");
  ck_assert_int_eq(e.items[1].port, 443);
  om_pod_endpoints_free(&e);
  /* a port no subset has */
  ck_assert_int_eq(om_pods_select_endpoints(items, "grpc", 0, NULL, 100, &e,
                                            err, sizeof(err)),
                   0);
  ck_assert_uint_eq(e.num, 0);
  ck_assert_uint_eq(e.no_port, 2);
  om_pod_endpoints_free(&e);
  cJSON_Delete(items);
  items = cJSON_Parse("[{\"subsets\":[]}]");
  ck_assert_int_eq(
      om_pods_select_endpoints(items, "m", 0, NULL, 10, &e, err, sizeof(err)),
      -1);
  ck_assert(strstr(err, "items[0]") != NULL);
  om_pod_endpoints_free(&e);
  cJSON_Delete(items);
}
END_TEST

static Suite *pods_suite(void) {
  Suite *s = suite_create("pods");
  TCase *tc = tcase_create("pods");
  tcase_add_test(tc, test_ready_pods_by_port_name);
  tcase_add_test(tc, test_refuse_what_is_not_a_pod_list);
  tcase_add_test(tc, test_service_endpoints);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(pods_suite)

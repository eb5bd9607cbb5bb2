/* <Kubernetes> configuration: errors name the option and the block,
 * defaults are what the README says, <Resource> blocks become the
 * families they name. */
#include "check_main.h"
#include "config_builder.h"
#include "log_capture.h"
#include "om_kube_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static om_kube_config *parse(config *c) {
  return config_parse(c, &om_kube_syntax, "k", 10);
}

static void assert_refused(config *c, const char *want) {
  config_assert_refused(c, &om_kube_syntax, "k", 10, want);
}

/* Adds <Resource> with the items of inner to outer. */
static void add_resource(config *outer, config *inner) {
  oconfig_item_t *block = block_of(inner, "Resource", NULL);
  *add(outer, "Resource") = *block;
}

START_TEST(test_family_lists) {
  config c = {0};
  add_str(&c, "APIServer", "https://10.0.0.1:6443/");
  add_str(&c, "Preset", "dbops");
  config_assert_family_lists(&c, &om_kube_syntax, 10);
}
END_TEST

START_TEST(test_defaults_and_presets) {
  config c = {0};
  add_str(&c, "APIServer", "https://10.0.0.1:6443/");
  add_str(&c, "Preset", "dbops");
  add_str(&c, "Preset", "Datum");
  om_kube_config *cfg = parse(&c);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->api_server, "https://10.0.0.1:6443");
  ck_assert(cfg->auth.verify_peer && cfg->auth.verify_host);
  ck_assert_uint_eq(cfg->page_size, OM_KUBE_DEFAULT_PAGE_SIZE);
  ck_assert_uint_eq(cfg->max_objects, OM_KUBE_DEFAULT_MAX_OBJECTS);
  ck_assert_uint_eq(cfg->max_response_bytes,
                    OM_KUBE_DEFAULT_MAX_RESPONSE_BYTES);
  ck_assert(cfg->timeout_s == 8.0);     /* 0.8 of 10 s */
  ck_assert(cfg->read_budget_s == 9.0); /* 0.9 of 10 s */
  ck_assert_uint_eq(cfg->resources_num, 11 + 3);
  ck_assert_str_eq(cfg->resources[0]->id,
                   "databaseinstances.dbops.dbprovision.io/v1alpha1");
  ck_assert_str_eq(cfg->resources[13]->id,
                   "workloads.compute.datumapis.com/v1alpha");
  ck_assert(cfg->resources[13]->info);
  ck_assert_uint_eq(log_capture_count(), 0);
  om_kube_config_free(cfg);
}
END_TEST

START_TEST(test_in_cluster_address) {
  config c = {0};
  add_str(&c, "Preset", "dynamo");
  add_bool(&c, "CustomResourceInfo", 0);
  setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  om_kube_config *cfg = parse(&c);
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->api_server, "https://[fd00::1]:443");
  ck_assert(!cfg->resources[0]->info);
  om_kube_config_free(cfg);
  assert_refused(&c, "option \"APIServer\" is required outside a cluster");
}
END_TEST

START_TEST(test_resource_block) {
  config c = {0}, r = {0};
  add_str(&c, "APIServer", "http://127.0.0.1:8001");
  add_str(&c, "Namespace", "shop");
  add_str(&r, "Group", "example.com");
  add_str(&r, "Version", "v1");
  add_str(&r, "Resource", "widgets");
  add_str(&r, "Prefix", "shop_widgets");
  add_str2(&r, "Label", "color", "spec.color");
  add_str(&r, "CountBy", "status.phase");
  add_str2(&r, "CountBy", "spec.tier", "service_tier");
  add_str(&r, "Value", "status.backup.sizeBytes");
  add_str2(&r, "Value", "status.conditions[type=Ready].lastTransitionTime",
           "ready_since_seconds");
  add_resource(&c, &r);
  om_kube_config *cfg = parse(&c);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  const om_kube_resource *res = cfg->resources[0];
  ck_assert_str_eq(res->id, "widgets.example.com/v1");
  ck_assert_str_eq(res->count_family, "shop_widgets_count");
  ck_assert_str_eq(res->counts[0].name, "phase");
  ck_assert_str_eq(res->counts[1].name, "service_tier");
  ck_assert_str_eq(res->values[0].name,
                   "shop_widgets_status_backup_size_bytes");
  ck_assert_str_eq(res->values[1].name, "shop_widgets_ready_since_seconds");
  ck_assert_str_eq(res->labels[0].name, "color");
  ck_assert_uint_eq(cfg->namespaces_num, 1);
  om_kube_config_free(cfg);
}
END_TEST

START_TEST(test_refused) {
  static const struct {
    const char *key, *a, *b, *want;
  } cases[] = {
      {"Preset", "flux", NULL, "\"flux\" is not one of dbops, dynamo, datum"},
      {"APIServer", "ftp://x", NULL, "option \"APIServer\""},
      {"APIServer", "https://x/?a=b", NULL, "a query or fragment"},
      {"Namespace", "Not_A_Namespace", NULL, "is not a namespace name"},
      {"ClientCert", "/etc/hostname", NULL, "\"ClientKey\" go together"},
      {"CACert", "/nonexistent/ca.pem", NULL, "option \"CACert\""},
      {"Timeout", "x", NULL, "option \"Timeout\""},
      {"Namespace", "", NULL, "option \"Namespace\""},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    config c = {0};
    if (strcmp(cases[i].key, "APIServer") != 0)
      add_str(&c, "APIServer", "https://127.0.0.1:6443");
    add_str(&c, "Preset", strcmp(cases[i].key, "Preset") ? "datum" : "dbops");
    add_str(&c, cases[i].key, cases[i].a);
    assert_refused(&c, cases[i].want);
  }
  config c = {0};
  add_str(&c, "APIServer", "https://127.0.0.1:6443");
  add_num(&c, "Timeout", 9.5);
  add_str(&c, "Preset", "datum");
  assert_refused(&c, "must not exceed 90% of the interval");
  config none = {0};
  add_str(&none, "APIServer", "https://127.0.0.1:6443");
  assert_refused(&none, "nothing to list");
}
END_TEST

/* The block's name and each resource go into its state series: they must
 * fit collectd's identifier fields. */
START_TEST(test_own_series_must_fit) {
  char name[401];
  memset(name, 'k', 400);
  name[400] = '\0';
  config c = {0};
  add_str(&c, "APIServer", "https://127.0.0.1:6443");
  add_str(&c, "Preset", "datum");
  config_assert_refused(&c, &om_kube_syntax, name, 10,
                        "the block's name is too long");
  name[100] = '\0'; /* the longest name that fits */
  om_kube_config *cfg = config_parse(&c, &om_kube_syntax, name, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  om_kube_config_free(cfg);
  /* a resource whose id alone is more than a field */
  char group[401];
  memset(group, 'g', 400);
  group[60] = '.';
  group[400] = '\0';
  config g = {0}, r = {0};
  add_str(&g, "APIServer", "https://127.0.0.1:6443");
  add_str(&r, "Group", group);
  add_str(&r, "Version", "v1");
  add_str(&r, "Resource", "things");
  add_resource(&g, &r);
  config_assert_refused(&g, &om_kube_syntax, "k", 10,
                        "is too long: the block's own "
                        "operator_metrics_kubernetes_resource_state");
  ck_assert(log_capture_contains("the resource \"things.ggg"));
}
END_TEST

START_TEST(test_resource_refused) {
  static const struct {
    const char *key, *a, *b, *want;
  } cases[] = {
      {"Label", "name", "spec.x", "label \"name\" is a label the collector"},
      {"Label", "bad-label", "spec.x", "is not a valid label name"},
      {"Label", "x", "spec..x", "path \"spec..x\": empty key"},
      {"CountBy", "status.phase", "namespace", "is a label the collector"},
      {"Value", "status.size", "backup_size_bytes",
       "family \"dbops_backup_size_bytes\" is a documented family"},
      {"Info", NULL, NULL, "\"Label\" adds labels to kube_customresource_info"},
      {"Resource", "a/b", NULL, "take letters, digits"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    config c = {0}, r = {0};
    add_str(&c, "APIServer", "https://127.0.0.1:6443");
    add_str(&r, "Group", "a.io");
    add_str(&r, "Version", "v1");
    if (strcmp(cases[i].key, "Resource") != 0)
      add_str(&r, "Resource", "xs");
    if (strcmp(cases[i].key, "Value") == 0)
      add_str(&r, "Prefix", "dbops");
    if (strcmp(cases[i].key, "Info") == 0) {
      add_bool(&r, "Info", 0);
      add_str2(&r, "Label", "x", "spec.x");
    } else if (cases[i].b != NULL) {
      add_str2(&r, cases[i].key, cases[i].a, cases[i].b);
    } else {
      add_str(&r, cases[i].key, cases[i].a);
    }
    add_resource(&c, &r);
    assert_refused(&c, cases[i].want);
  }
  config bad = {0}, badr = {0};
  add_str(&bad, "APIServer", "https://127.0.0.1:6443");
  add_str(&badr, "Group", "a.io");
  add_str(&badr, "Version", "v1");
  add_str(&badr, "Resource", "xs");
  add_str(&badr, "Prefix", "9lives");
  add_str(&badr, "CountBy", "status.phase");
  add_resource(&bad, &badr);
  assert_refused(&bad, "family \"9lives_count\" is not a valid metric name");
  config c = {0}, r = {0};
  add_str(&c, "APIServer", "https://127.0.0.1:6443");
  add_str(&c, "Preset", "datum");
  add_str(&r, "Group", "resourcemanager.miloapis.com");
  add_str(&r, "Version", "v1alpha1");
  add_str(&r, "Resource", "projects");
  add_resource(&c, &r);
  assert_refused(&c, "resource \"projects.resourcemanager.miloapis.com/"
                     "v1alpha1\" is listed twice");
}
END_TEST

static Suite *kube_config_suite(void) {
  Suite *s = suite_create("kube_config");
  TCase *t = tcase_create("config");
  tcase_add_test(t, test_defaults_and_presets);
  tcase_add_test(t, test_in_cluster_address);
  tcase_add_test(t, test_resource_block);
  tcase_add_test(t, test_refused);
  tcase_add_test(t, test_own_series_must_fit);
  tcase_add_test(t, test_resource_refused);
  tcase_add_test(t, test_family_lists);
  suite_add_tcase(s, t);
  return s;
}

OM_CHECK_MAIN(kube_config_suite)

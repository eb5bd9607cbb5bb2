/* Custom resources apart from I/O: JSON paths, RFC 3339 times, reading list
 * responses and Status errors, row sets with zero counts, and the presets'
 * mappings, each checked against the operators' rules stated in the
 * README. */
#include "check_main.h"
#include "om_kube_presets.h"
#include "om_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L om_label_cstr

static cJSON *json(const char *text) {
  cJSON *j = cJSON_Parse(text);
  ck_assert_msg(j != NULL, "test JSON does not parse: %s", text);
  return j;
}

/* --- paths and values ----------------------------------------------------- */

START_TEST(test_jpath_selectors) {
  char err[128], buf[64];
  cJSON *o = json("{\"status\":{\"conditions\":[{\"type\":\"Progressing\","
                  "\"status\":\"False\"},{\"type\":\"Ready\",\"status\":"
                  "\"True\"}],\"n\":[1,2.5,true]}}");
  om_jpath *p = om_jpath_compile("status.conditions[type=Ready].status", err,
                                 sizeof(err));
  ck_assert_msg(p != NULL, "%s", err);
  ck_assert(om_json_text(om_jpath_get(p, o), buf, sizeof(buf)));
  ck_assert_str_eq(buf, "True");
  om_jpath_free(p);
  p = om_jpath_compile("status.n[1]", err, sizeof(err));
  ck_assert(om_json_text(om_jpath_get(p, o), buf, sizeof(buf)));
  ck_assert_str_eq(buf, "2.5");
  om_jpath_free(p);
  p = om_jpath_compile("status.n[7]", err, sizeof(err));
  ck_assert_ptr_null(om_jpath_get(p, o));
  ck_assert(!om_json_text(NULL, buf, sizeof(buf)));
  ck_assert_str_eq(buf, "");
  om_jpath_free(p);
  cJSON_Delete(o);
}
END_TEST

START_TEST(test_jpath_refused) {
  static const char *const bad[][2] = {
      {"", "a path has 1 to 256 characters"},
      {"spec..x", "empty key at character 6"},
      {"a[", "unclosed '[' at character 2"},
      {"a[x]", "neither an index nor key=value"},
      {"a[=v]", "empty key or value in selector"},
      {"a[0]b", "'.' expected after ']'"},
      {"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", "more than 16 steps"},
  };
  char err[128];
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    om_jpath *p = om_jpath_compile(bad[i][0], err, sizeof(err));
    ck_assert_msg(p == NULL, "\"%s\" accepted", bad[i][0]);
    ck_assert_msg(strstr(err, bad[i][1]) != NULL, "\"%s\": %s", bad[i][0], err);
  }
}
END_TEST

START_TEST(test_rfc3339) {
  /* expected instants computed with Python's datetime */
  double t;
  ck_assert_int_eq(om_rfc3339_parse("2026-03-19T06:29:17Z", &t), 0);
  ck_assert(t == 1773901757.0);
  ck_assert_int_eq(om_rfc3339_parse("2026-03-19T08:29:17.25+02:00", &t), 0);
  ck_assert(t == 1773901757.25);
  ck_assert_int_eq(om_rfc3339_parse("2024-02-29T00:00:00-00:30", &t), 0);
  ck_assert(t == 1709166600.0);
  static const char *const bad[] = {"2026-02-29T00:00:00Z",
                                    "2026-03-19 06:29:17",
                                    "2026-03-19T06:29:17",
                                    "2026-13-01T00:00:00Z",
                                    "2026-03-19T24:00:00Z",
                                    "20260319T062917Z",
                                    "2026-03-19T06:29:17.Z",
                                    "2026-03-19T06:29:17Zjunk",
                                    "5432"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ck_assert_msg(om_rfc3339_parse(bad[i], &t) == -1, "%s accepted", bad[i]);
}
END_TEST

/* --- responses ------------------------------------------------------------ */

static om_kube_state read(long code, const char *body, om_kube_page *page,
                          char *why) {
  char *copy = om_test_exact_copy(body, strlen(body));
  om_kube_state s = om_kube_page_read(code, copy, strlen(body), page, why, 512);
  free(copy);
  return s;
}

START_TEST(test_list_pages) {
  om_kube_page page;
  char why[512];
  ck_assert_int_eq(
      read(200,
           "{\"apiVersion\":\"a.io/v1\",\"kind\":\"XList\",\"metadata\":{"
           "\"resourceVersion\":\"9\",\"continue\":\"t=1&x\","
           "\"remainingItemCount\":3},\"items\":[{},{}]}",
           &page, why),
      OM_KUBE_OK);
  ck_assert_str_eq(page.continue_token, "t=1&x");
  ck_assert_int_eq(page.remaining, 3);
  ck_assert_int_eq(cJSON_GetArraySize(page.items), 2);
  om_kube_page_free(&page);
  ck_assert_int_eq(read(200,
                        "{\"kind\":\"XList\",\"metadata\":{\"continue\":"
                        "\"\"},\"items\":[]}",
                        &page, why),
                   OM_KUBE_OK);
  ck_assert_ptr_null(page.continue_token);
  ck_assert_int_eq(page.remaining, -1);
  om_kube_page_free(&page);
  char escaped[64];
  ck_assert_int_eq(om_kube_query_escape("t=1&x/+", escaped, sizeof(escaped)),
                   0);
  ck_assert_str_eq(escaped, "t%3D1%26x%2F%2B");
  ck_assert_int_eq(om_kube_query_escape("abcdef", escaped, 4), -1);
}
END_TEST

START_TEST(test_errors_and_bad_bodies) {
  static const struct {
    long code;
    const char *body;
    om_kube_state state;
    const char *why;
  } cases[] = {
      {401,
       "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
       "\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\","
       "\"code\":401}",
       OM_KUBE_UNAUTHORIZED, "HTTP 401 Unauthorized: Unauthorized"},
      {403,
       "{\"kind\":\"Status\",\"reason\":\"Forbidden\",\"message\":\"xs.a.io "
       "is forbidden:\\nUser \\\"u\\\"\",\"code\":403}",
       OM_KUBE_FORBIDDEN,
       "HTTP 403 Forbidden: xs.a.io is forbidden: User "
       "\"u\""},
      {404, "404 page not found\n", OM_KUBE_NOT_INSTALLED,
       "HTTP 404: 404 page not found"},
      {503, "", OM_KUBE_UNAVAILABLE, "HTTP 503"},
      {429, "{}", OM_KUBE_THROTTLED, "HTTP 429: {}"},
      {400,
       "{\"kind\":\"Status\",\"reason\":\"BadRequest\",\"message\":"
       "\"invalid continue token\"}",
       OM_KUBE_ERROR, "HTTP 400 BadRequest: invalid continue token"},
      {200, "{\"items\":[", OM_KUBE_INVALID, "the body is not JSON"},
      {200, "[]", OM_KUBE_INVALID, "not a JSON object"},
      {200, "{\"kind\":\"Status\",\"items\":[]}", OM_KUBE_INVALID,
       "a Status object came with a success code"},
      {200, "{\"items\":{}}", OM_KUBE_INVALID, "\"items\" is missing"},
      {200, "{\"items\":[],\"metadata\":{\"remainingItemCount\":-1}}",
       OM_KUBE_INVALID, "remainingItemCount is not a count"},
      {200, "{\"items\":[],\"metadata\":{\"continue\":7}}", OM_KUBE_INVALID,
       "metadata.continue is not a string"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    om_kube_page page;
    char why[512];
    om_kube_state s = read(cases[i].code, cases[i].body, &page, why);
    ck_assert_msg(s == cases[i].state, "case %zu: state %s", i,
                  om_kube_state_name(s));
    ck_assert_msg(strstr(why, cases[i].why) != NULL, "case %zu: %s", i, why);
    ck_assert_ptr_null(page.root);
    om_kube_page_free(&page);
  }
}
END_TEST

START_TEST(test_expired_gives_new_token) {
  om_kube_page page;
  char why[512];
  ck_assert_int_eq(read(410,
                        "{\"kind\":\"Status\",\"metadata\":{\"continue\":"
                        "\"fresh\"},\"reason\":\"Expired\",\"message\":"
                        "\"too old\",\"code\":410}",
                        &page, why),
                   OM_KUBE_EXPIRED);
  ck_assert_str_eq(page.continue_token, "fresh");
  ck_assert_str_eq(why, "HTTP 410 Expired: too old");
  om_kube_page_free(&page);
}
END_TEST

/* --- rows ----------------------------------------------------------------- */

START_TEST(test_rows_counts_and_zeros) {
  om_kube_rows counts = {0}, seen = {0};
  om_label ready[] = {L("ns", "a"), L("status", "ready")};
  om_label failed[] = {L("ns", "a"), L("status", "failed")};
  for (int i = 0; i < 300; i++) { /* grows the index several times */
    char name[16];
    snprintf(name, sizeof(name), "n%d", i);
    om_label l[] = {L("ns", name)};
    om_kube_rows_count(&counts, "many", l, 1);
  }
  om_kube_rows_count(&counts, "c", ready, 2);
  om_kube_rows_count(&counts, "c", ready, 2);
  om_kube_rows_count(&counts, "c", failed, 2);
  om_kube_rows_settle_counts(&counts, &seen, 1000);
  ck_assert_uint_eq(counts.num, 302);
  ck_assert(om_kube_rows_find(&counts, "c", ready, 2)->value == 2);
  om_kube_rows_free(&counts);
  /* the next listing has no failed one: it comes back at zero */
  om_kube_rows_count(&counts, "c", ready, 2);
  om_kube_rows_settle_counts(&counts, &seen, 1000);
  ck_assert(om_kube_rows_find(&counts, "c", failed, 2)->value == 0);
  ck_assert(om_kube_rows_find(&counts, "c", ready, 2)->value == 1);
  ck_assert_uint_eq(counts.num, 302);
  om_kube_rows_free(&counts);
  om_kube_rows_free(&seen);
  /* the memory of zeros is bounded */
  om_kube_rows_count(&counts, "c", ready, 2);
  om_kube_rows_count(&counts, "c", failed, 2);
  om_kube_rows_settle_counts(&counts, &seen, 1);
  ck_assert_uint_eq(seen.num, 1);
  om_kube_rows_free(&counts);
  om_kube_rows_free(&seen);
}
END_TEST

START_TEST(test_rows_newest) {
  om_kube_rows r = {0};
  om_label l[] = {L("database", "x")};
  om_kube_rows_newest(&r, "size", l, 1, 10, 100);
  om_kube_rows_newest(&r, "size", l, 1, 30, 300);
  om_kube_rows_newest(&r, "size", l, 1, 20, 200);
  ck_assert(om_kube_rows_find(&r, "size", l, 1)->value == 30);
  om_kube_rows_set(&r, "size", l, 1, 5);
  ck_assert(om_kube_rows_find(&r, "size", l, 1)->value == 5);
  ck_assert_ptr_null(om_kube_rows_find(&r, "other", l, 1));
  om_kube_rows_free(&r);
}
END_TEST

/* --- presets -------------------------------------------------------------- */

static om_kube_resource *preset(om_kube_resource ***all, size_t *num,
                                const char *name, const char *plural) {
  char err[128];
  if (*all == NULL)
    ck_assert_int_eq(om_kube_preset_add(name, all, num, err, sizeof(err)), 0);
  for (size_t i = 0; i < *num; i++)
    if (strcmp((*all)[i]->plural, plural) == 0)
      return (*all)[i];
  ck_abort_msg("no %s in preset %s", plural, name);
  return NULL;
}

static void free_all(om_kube_resource **all, size_t num) {
  for (size_t i = 0; i < num; i++)
    om_kube_resource_free(all[i]);
  free(all);
}

/* Maps a one-item page and returns the snapshot. */
static om_kube_snapshot map_one(const om_kube_resource *r, const char *item) {
  char body[4096], why[512];
  snprintf(body, sizeof(body), "{\"kind\":\"List\",\"items\":[%s]}", item);
  om_kube_page page;
  ck_assert_int_eq(
      om_kube_page_read(200, body, strlen(body), &page, why, sizeof(why)),
      OM_KUBE_OK);
  om_kube_snapshot snap = {0};
  ck_assert_msg(om_kube_map_page(r, &page, &snap, why, sizeof(why)) == 0, "%s",
                why);
  om_kube_page_free(&page);
  return snap;
}

static bool has_row(const om_kube_rows *rows, const char *family, om_label *l,
                    size_t n, double value) {
  const om_kube_row *row = om_kube_rows_find(rows, family, l, n);
  return row != NULL && row->value == value;
}

START_TEST(test_dbops_cluster_grant) {
  om_kube_resource **all = NULL;
  size_t num = 0;
  om_kube_resource *r = preset(&all, &num, "dbops", "clusterdatabasegrants");
  om_kube_snapshot s = map_one(
      r, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"roleRef\":{\"name\":"
         "\"ro\",\"namespace\":\"team\"},\"postgres\":{\"roles\":[\"a\"],"
         "\"grants\":[{\"privileges\":[\"SELECT\",\"USAGE\"]}]},\"mysql\":{"
         "\"roles\":[\"m\"]},\"clickhouse\":{\"roles\":[\"c\"]}}}");
  om_label l[] = {L("grant", "g"),
                  L("namespace", ""),
                  L("user_ref", "team/ro"),
                  L("database_ref", ""),
                  L("privileges", "a,SELECT,USAGE,m"),
                  L("phase", "Pending")};
  ck_assert(has_row(&s.values, "dbops_grant_info", l, 6, 1));
  om_label c[] = {L("resource_type", "ClusterDatabaseGrant"),
                  L("phase", "Pending"), L("namespace", "")};
  ck_assert(has_row(&s.totals, "dbops_resource_count", c, 3, 1));
  om_label info[] = {L("customresource_group", "dbops.dbprovision.io"),
                     L("customresource_version", "v1alpha1"),
                     L("customresource_kind", "ClusterDatabaseGrant"),
                     L("namespace", ""), L("name", "g")};
  ck_assert(has_row(&s.values, "kube_customresource_info", info, 5, 1));
  om_kube_snapshot_free(&s);
  free_all(all, num);
}
END_TEST

START_TEST(test_dbops_backups_newest_wins) {
  om_kube_resource **all = NULL;
  size_t num = 0;
  om_kube_resource *r = preset(&all, &num, "dbops", "databasebackups");
  char body[4096], why[512];
  snprintf(body, sizeof(body), "%s",
           "{\"items\":[{\"metadata\":{\"name\":\"b2\",\"namespace\":\"n\"},"
           "\"spec\":{\"databaseRef\":{\"name\":\"d\"}},\"status\":{\"phase\":"
           "\"Completed\",\"completedAt\":\"2026-01-02T00:00:00Z\",\"backup\":"
           "{\"sizeBytes\":900,\"compressedSizeBytes\":300}}},"
           "{\"metadata\":{\"name\":\"b1\",\"namespace\":\"n\"},\"spec\":{"
           "\"databaseRef\":{\"name\":\"d\"}},\"status\":{\"phase\":"
           "\"Completed\",\"completedAt\":\"2026-01-01T00:00:00Z\",\"backup\":"
           "{\"sizeBytes\":100}}},"
           "{\"metadata\":{\"name\":\"b3\",\"namespace\":\"n\"},\"spec\":{"
           "\"databaseRef\":{\"name\":\"d\"}},\"status\":{\"phase\":\"Failed\","
           "\"completedAt\":\"2026-01-03T00:00:00Z\",\"backup\":{"
           "\"sizeBytes\":5}}}]}");
  om_kube_page page;
  ck_assert_int_eq(om_kube_page_read(200, body, strlen(body), &page, why, 512),
                   OM_KUBE_OK);
  om_kube_snapshot s = {0};
  ck_assert_int_eq(om_kube_map_page(r, &page, &s, why, sizeof(why)), 0);
  om_label l[] = {L("database", "d"), L("engine", ""), L("namespace", "n")};
  ck_assert(has_row(&s.totals, "dbops_backup_size_bytes", l, 3, 300));
  ck_assert(has_row(&s.totals, "dbops_backup_last_success_timestamp_seconds", l,
                    3, 1767312000.0));
  ck_assert_uint_eq(s.objects, 3);
  om_kube_snapshot_free(&s);
  om_kube_page_free(&page);
  free_all(all, num);
}
END_TEST

START_TEST(test_dynamo_rules) {
  static const struct {
    const char *plural, *item, *status;
  } cases[] = {
      {"dynamocomponentdeployments",
       "\"metadata\":{\"generation\":4},\"status\":{\"observedGeneration\":4,"
       "\"conditions\":[{\"type\":\"Available\",\"status\":\"True\"}]}",
       "ready"},
      {"dynamocomponentdeployments",
       "\"metadata\":{\"generation\":5},\"status\":{\"observedGeneration\":4,"
       "\"conditions\":[{\"type\":\"Available\",\"status\":\"True\"}]}",
       "not_ready"},
      {"dynamomodels",
       "\"status\":{\"totalEndpoints\":3,\"readyEndpoints\":1,"
       "\"loraFallbackCoveredEndpoints\":2}",
       "ready"},
      {"dynamomodels", "\"status\":{\"totalEndpoints\":0}", "not_ready"},
      {"dynamographdeploymentscalingadapters",
       "\"status\":{\"selector\":\"a=b\",\"replicas\":0}", "not_ready"},
      {"dynamographdeploymentscalingadapters",
       "\"status\":{\"selector\":\"a=b\",\"replicas\":3}", "ready"},
      {"dynamographdeployments", "\"status\":{\"state\":\"pending\"}",
       "pending"},
      {"dynamographdeployments", "\"spec\":{}", ""},
      {"dynamographdeploymentrequests", "\"status\":{\"phase\":\"Deployed\"}",
       "Deployed"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    om_kube_resource **all = NULL;
    size_t num = 0;
    om_kube_resource *r = preset(&all, &num, "dynamo", cases[i].plural);
    char item[1024];
    /* the case's own fields, then a name and namespace */
    snprintf(item, sizeof(item), "{%s,\"kind\":\"K\"}", cases[i].item);
    cJSON *o = json(item);
    cJSON *meta = cJSON_GetObjectItem(o, "metadata");
    if (meta == NULL)
      meta = cJSON_AddObjectToObject(o, "metadata");
    cJSON_AddStringToObject(meta, "name", "x");
    cJSON_AddStringToObject(meta, "namespace", "ns");
    char *text = cJSON_PrintUnformatted(o);
    om_kube_snapshot s = map_one(r, text);
    om_label l[] = {L("resource_type", r->kind), L("namespace", "ns"),
                    L("status", cases[i].status)};
    ck_assert_msg(
        has_row(&s.totals, "dynamo_operator_resources_total", l, 3, 1),
        "case %zu: not %s", i, cases[i].status);
    om_kube_snapshot_free(&s);
    free(text);
    cJSON_Delete(o);
    free_all(all, num);
  }
}
END_TEST

START_TEST(test_datum_conditions_and_bad_items) {
  om_kube_resource **all = NULL;
  size_t num = 0;
  om_kube_resource *r = preset(&all, &num, "datum", "workloads");
  om_kube_snapshot s =
      map_one(r, "{\"metadata\":{\"name\":\"w\",\"namespace\":\"p\"},"
                 "\"status\":{\"conditions\":[{\"type\":\"Available\","
                 "\"status\":\"False\"}]}}");
  static const char *const st[] = {"True", "False", "Unknown"};
  for (int i = 0; i < 3; i++) {
    om_label l[] = {L("customresource_group", "compute.datumapis.com"),
                    L("customresource_version", "v1alpha"),
                    L("customresource_kind", "Workload"),
                    L("namespace", "p"),
                    L("name", "w"),
                    L("condition", "Available"),
                    L("status", st[i])};
    ck_assert(has_row(&s.values, "kube_customresource_status_condition", l, 7,
                      i == 1));
  }
  om_kube_snapshot_free(&s);
  /* items that cannot be mapped are skipped and counted, the first noted
   * with its place; the others are kept */
  char long_name[300];
  memset(long_name, 'a', 254);
  long_name[254] = '\0';
  char long_item[400];
  snprintf(long_item, sizeof(long_item),
           "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"p\"}}", long_name);
  const char *const fine =
      "{\"metadata\":{\"name\":\"w\",\"namespace\":\"p\"}}";
  static const struct {
    const char *item, *why;
  } bad[] = {
      {"{\"metadata\":{\"name\":\"w\"}}", "has no metadata.namespace"},
      {"7", "is not an object"},
      {"{\"metadata\":{\"namespace\":\"p\"}}", "has no metadata.name"},
      {NULL, "has a metadata.name that is not a DNS subdomain"}, /* long */
      {"{\"metadata\":{\"name\":\"nul\\u0000byte\",\"namespace\":\"p\"}}",
       "has a metadata.name that is not a DNS subdomain"},
      {"{\"metadata\":{\"name\":\"Upper_Case\",\"namespace\":\"p\"}}",
       "has a metadata.name that is not a DNS subdomain"},
      {"{\"metadata\":{\"name\":\"w\",\"namespace\":\"-p\"}}",
       "has a metadata.namespace that is not a DNS label"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char body[1024];
    snprintf(body, sizeof(body), "{\"items\":[%s,%s]}", fine,
             bad[i].item ? bad[i].item : long_item);
    om_kube_page page;
    char why[512];
    ck_assert_int_eq(
        om_kube_page_read(200, body, strlen(body), &page, why, sizeof(why)),
        OM_KUBE_OK);
    om_kube_snapshot snap = {0};
    ck_assert_int_eq(om_kube_map_page(r, &page, &snap, why, sizeof(why)), 0);
    ck_assert_uint_eq(snap.skipped, 1);
    ck_assert_uint_eq(snap.objects, 1);
    ck_assert_msg(strstr(snap.first_skip, "page 1, items[1] ") != NULL &&
                      strstr(snap.first_skip, bad[i].why) != NULL,
                  "%zu: %s", i, snap.first_skip);
    ck_assert_uint_gt(snap.values.num, 0); /* w is kept */
    om_kube_snapshot_free(&snap);
    om_kube_page_free(&page);
  }
  /* an escaped backslash before u0000 is text, not a NUL */
  const char *text = "{\"items\":[{\"metadata\":{\"name\":\"w\",\"namespace\":"
                     "\"p\"},\"spec\":{\"x\":\"a\\\\u0000b\"}}]}";
  om_kube_page page;
  char why[256];
  ck_assert_int_eq(
      om_kube_page_read(200, text, strlen(text), &page, why, sizeof(why)),
      OM_KUBE_OK);
  ck_assert_str_eq(om_json_str(cJSON_GetArrayItem(page.items, 0), "spec.x", ""),
                   "a\\u0000b");
  om_kube_page_free(&page);
  char err[128];
  ck_assert_int_eq(om_kube_preset_add("flux", &all, &num, err, sizeof(err)),
                   -1);
  ck_assert_str_eq(err, "\"flux\" is not one of dbops, dynamo, datum");
  free_all(all, num);
}
END_TEST

static Suite *kube_suite(void) {
  Suite *s = suite_create("kube");
  TCase *j = tcase_create("json");
  tcase_add_test(j, test_jpath_selectors);
  tcase_add_test(j, test_jpath_refused);
  tcase_add_test(j, test_rfc3339);
  suite_add_tcase(s, j);
  TCase *p = tcase_create("responses");
  tcase_add_test(p, test_list_pages);
  tcase_add_test(p, test_errors_and_bad_bodies);
  tcase_add_test(p, test_expired_gives_new_token);
  suite_add_tcase(s, p);
  TCase *r = tcase_create("rows");
  tcase_add_test(r, test_rows_counts_and_zeros);
  tcase_add_test(r, test_rows_newest);
  suite_add_tcase(s, r);
  TCase *m = tcase_create("presets");
  tcase_add_test(m, test_dbops_cluster_grant);
  tcase_add_test(m, test_dbops_backups_newest_wins);
  tcase_add_test(m, test_dynamo_rules);
  tcase_add_test(m, test_datum_conditions_and_bad_items);
  suite_add_tcase(s, m);
  return s;
}

OM_CHECK_MAIN(kube_suite)

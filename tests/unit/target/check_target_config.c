/* <Target> configuration: every bad key or value is an error that names the
 * option and the block; defaults are what the README says. */
#include "check_main.h"
#include "log_capture.h"
#include "om_target_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_builder.h"

static oconfig_item_t *block(config *c, const char *name) {
  return block_of(c, "Target", name);
}

/* --- errors --------------------------------------------------------------- */

typedef enum { V_STR, V_STR2, V_NUM, V_BOOL, V_NONE } vkind;

typedef struct {
  const char *why;
  const char *key;
  vkind kind;
  const char *s1, *s2;
  double num;
  const char *want; /* substring of the error line */
} error_case;

static const error_case error_cases[] = {
    {"unknown key", "Tmeout", V_NUM, NULL, NULL, 3,
     "unknown option \"Tmeout\""},
    {"URL as number", "URL", V_NUM, NULL, NULL, 5,
     "option \"URL\" needs exactly one non-empty string, got a number"},
    {"empty string", "Job", V_STR, "", NULL, 0,
     "option \"Job\" needs exactly one non-empty string"},
    {"Timeout as string", "Timeout", V_STR, "3", NULL, 0,
     "option \"Timeout\" needs exactly one number of seconds, got a string"},
    {"negative Timeout", "Timeout", V_NUM, NULL, NULL, -1,
     "option \"Timeout\" must be more than 0"},
    {"Interval zero", "Interval", V_NUM, NULL, NULL, 0,
     "option \"Interval\" must be more than 0"},
    {"VerifyPeer as string", "VerifyPeer", V_STR, "yes", NULL, 0,
     "option \"VerifyPeer\" needs exactly one boolean"},
    {"MaxResponseBytes zero", "MaxResponseBytes", V_NUM, NULL, NULL, 0,
     "option \"MaxResponseBytes\" must be an integer from 1 to"},
    {"MaxResponseBytes too big", "MaxResponseBytes", V_NUM, NULL, NULL, 4e9,
     "option \"MaxResponseBytes\" must be an integer from 1 to"},
    {"MaxSeries fraction", "MaxSeries", V_NUM, NULL, NULL, 1.5,
     "option \"MaxSeries\" must be an integer"},
    {"Label with one string", "Label", V_STR, "a", NULL, 0,
     "option \"Label\" needs exactly two strings, got a string"},
    {"Label job", "Label", V_STR2, "job", "x", 0,
     "\"job\" is set with the Job or Instance option instead"},
    {"Label reserved", "Label", V_STR2, "__x", "y", 0,
     "\"__x\" starts with \"__\""},
    {"Label bad name", "Label", V_STR2, "a-b", "y", 0,
     "\"a-b\" is not a valid label name"},
    {"Label empty value", "Label", V_STR2, "a", "", 0,
     "\"a\" needs a non-empty UTF-8 value"},
    {"Label invalid UTF-8", "Label", V_STR2, "a", "\xff", 0,
     "\"a\" needs a non-empty UTF-8 value"},
    {"URL ftp", "URL", V_STR, "ftp://127.0.0.1/metrics", NULL, 0,
     "option \"URL\": the scheme must be http or https"},
    {"URL garbage", "URL", V_STR, "http://[::1", NULL, 0,
     "option \"URL\": not a valid URL"},
    {"HealthURL garbage", "HealthURL", V_STR, "nope://", NULL, 0,
     "option \"HealthURL\""},
    {"Include without values", "Include", V_NONE, NULL, NULL, 0,
     "option \"Include\" needs one or more non-empty strings"},
    {"CACert missing", "CACert", V_STR, "/nonexistent/ca.pem", NULL, 0,
     "option \"CACert\": cannot read \"/nonexistent/ca.pem\""},
    {"BearerTokenFile missing", "BearerTokenFile", V_STR, "/nonexistent/tok",
     NULL, 0, "option \"BearerTokenFile\": cannot read"},
    {"ClientCert alone", "ClientCert", V_STR, "/dev/null", NULL, 0,
     "options \"ClientCert\" and \"ClientKey\" go together"},
    {"LabelDrop invalid regex", "LabelDrop", V_STR, "id(", NULL, 0,
     "option \"LabelDrop\": \"id(\" is not a POSIX extended regular "
     "expression"},
    {"LabelDrop unbalanced", "LabelDrop", V_STR, "a)|(b", NULL, 0,
     "option \"LabelDrop\": \"a)|(b\" is not a POSIX extended regular "
     "expression"},
    {"LabelDrop of job", "LabelDrop", V_STR, "id|jo.", NULL, 0,
     "option \"LabelDrop\": \"id|jo.\" would remove the label \"job\", "
     "which every series of the block needs"},
    {"LabelDrop of everything", "LabelDrop", V_STR, ".*", NULL, 0,
     "would remove the label \"job\""},
    {"LabelKeep without instance", "LabelKeep", V_STR, "job|pod", NULL, 0,
     "option \"LabelKeep\": \"job|pod\" would remove the label "
     "\"instance\""},
    {"LabelKeep as number", "LabelKeep", V_NUM, NULL, NULL, 1,
     "option \"LabelKeep\" needs exactly one non-empty string"},
    {"DropSeries with one string", "DropSeries", V_STR, "container", NULL, 0,
     "option \"DropSeries\" needs exactly two strings"},
    {"DropSeries bad label", "DropSeries", V_STR2, "a-b", "x", 0,
     "option \"DropSeries\": \"a-b\" is not a label name"},
    {"DropSeries bad regex", "DropSeries", V_STR2, "pod", "[", 0,
     "option \"DropSeries\": \"[\" is not a POSIX extended regular "
     "expression"},
    {"Timeout above Interval", "Timeout", V_NUM, NULL, NULL, 20,
     "option \"Timeout\" (20 s) must not exceed 90% of the interval (10 s)"},
    {"Job invalid UTF-8", "Job", V_STR, "\xc3", NULL, 0,
     "option \"Job\" must be valid UTF-8"},
};

START_TEST(test_error) {
  const error_case *e = &error_cases[_i];
  config c = {0};
  if (strcmp(e->key, "URL") != 0)
    add_str(&c, "URL", "http://127.0.0.1:8080/metrics");
  switch (e->kind) {
  case V_STR:
    add_str(&c, e->key, e->s1);
    break;
  case V_STR2:
    add_str2(&c, e->key, e->s1, e->s2);
    break;
  case V_NUM:
    add_num(&c, e->key, e->num);
    break;
  case V_BOOL:
    add_bool(&c, e->key, 1);
    break;
  case V_NONE:
    add(&c, e->key);
    break;
  }
  log_capture_reset();
  om_target_config *cfg =
      om_block_parse(block(&c, "datum"), &om_target_syntax, 10);
  ck_assert_msg(cfg == NULL, "%s: accepted", e->why);
  ck_assert_msg(log_capture_count() >= 1, "%s: nothing logged", e->why);
  ck_assert_msg(strncmp(log_capture_line(0), "3|target/datum|", 15) == 0,
                "%s: not an error naming the block: %s", e->why,
                log_capture_line(0));
  ck_assert_msg(log_capture_contains(e->want), "%s: want \"%s\" in:\n%s",
                e->why, e->want, log_capture_all());
}
END_TEST

START_TEST(test_url_required) {
  config c = {0};
  add_num(&c, "Timeout", 1);
  log_capture_reset();
  ck_assert_ptr_null(om_block_parse(block(&c, "x"), &om_target_syntax, 10));
  ck_assert(log_capture_contains(
      "3|target/x|option \"URL\" (or a <Pods> block) is required"));
}
END_TEST

START_TEST(test_block_needs_name) {
  config c = {0};
  add_str(&c, "URL", "http://127.0.0.1/metrics");
  log_capture_reset();
  ck_assert_ptr_null(om_block_parse(block(&c, NULL), &om_target_syntax, 10));
  ck_assert(log_capture_contains("a <Target> block needs exactly one "
                                 "non-empty UTF-8 name"));
}
END_TEST

START_TEST(test_url_credentials_not_logged) {
  config c = {0};
  add_str(&c, "URL", "http://user:s3cret@127.0.0.1:99999999/metrics");
  log_capture_reset();
  ck_assert_ptr_null(om_block_parse(block(&c, "x"), &om_target_syntax, 10));
  ck_assert(log_capture_count() >= 1);
  ck_assert_msg(!log_capture_contains("s3cret"), "%s", log_capture_all());
}
END_TEST

/* --- <Pods> --------------------------------------------------------------- */

/* A <Target "t"> with a <Pods> block of the items in pods (and the items
 * of c around it). */
static oconfig_item_t *with_pods(config *c, config *pods) {
  oconfig_item_t *it = add(c, "Pods");
  it->values_num = 0;
  it->children = pods->items;
  it->children_num = pods->items_num;
  return block(c, "t");
}

START_TEST(test_pods_defaults) {
  config c = {0}, pods = {0};
  add_str(&pods, "Port", "metrics");
  add_str(&pods, "Selector", "app=datum,tier in (a,b)");
  add_str(&pods, "APIServer", "https://127.0.0.1:6443//");
  log_capture_reset();
  om_target_config *cfg =
      om_block_parse(with_pods(&c, &pods), &om_target_syntax, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_ptr_null(cfg->url);
  ck_assert_ptr_null(cfg->instance);
  ck_assert_str_eq(cfg->job, "t");
  om_pods_config *p = cfg->pods;
  ck_assert_str_eq(p->port_name, "metrics");
  ck_assert_str_eq(p->scheme, "http");
  ck_assert_str_eq(p->path, "/metrics");
  ck_assert_str_eq(p->api_server, "https://127.0.0.1:6443");
  ck_assert(p->refresh_s == OM_PODS_DEFAULT_REFRESH_S);
  ck_assert_uint_eq(p->max_pods, OM_PODS_DEFAULT_MAX_PODS);
  ck_assert(!p->cluster);
  ck_assert(p->timeout_s == cfg->timeout_s);
  ck_assert_int_eq(om_pods_config_query(p, "node-a"), 0);
  ck_assert_str_eq(p->query,
                   "labelSelector=app%3Ddatum%2Ctier%20in%20%28a%2Cb%29&"
                   "fieldSelector=status.phase%3DRunning%2Cspec.nodeName%3D"
                   "node-a");
  /* Scope "cluster": no node */
  ck_assert_int_eq(om_pods_config_query(p, NULL), 0);
  ck_assert_str_eq(p->query,
                   "labelSelector=app%3Ddatum%2Ctier%20in%20%28a%2Cb%29&"
                   "fieldSelector=status.phase%3DRunning");
  om_target_config_free(cfg);
}
END_TEST

START_TEST(test_pods_service_query) {
  config c = {0}, pods = {0};
  add_num(&pods, "Port", 9443);
  add_str(&pods, "Service", "datum-webhook");
  add_str(&pods, "Scheme", "https");
  add_str(&pods, "APIServer", "https://127.0.0.1:6443");
  om_target_config *cfg =
      om_block_parse(with_pods(&c, &pods), &om_target_syntax, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_ptr_null(cfg->pods->port_name);
  ck_assert_int_eq(cfg->pods->port_number, 9443);
  ck_assert_int_eq(om_pods_config_query(cfg->pods, "node-a"), 0);
  ck_assert_str_eq(cfg->pods->query,
                   "fieldSelector=metadata.name%3Ddatum-webhook");
  om_target_config_free(cfg);
}
END_TEST

START_TEST(test_pods_refused) {
  static const struct {
    const char *key;
    double num; /* with a string s, ignored */
    const char *s;
    const char *want;
  } cases[] = {
      {"Port", 0, NULL, "<Pods>: option \"Port\": a number is 1 to 65535"},
      {"Port", 70000, NULL, "a number is 1 to 65535"},
      {"Port", 0, "-", "\"-\" is neither a port number nor a port's name"},
      {"Port", 0, "a-port-name-too-long", "is neither"},
      {"Scope", 0, "everywhere", "option \"Scope\" is \"node\" or"},
      {"Path", 0, "metrics", "option \"Path\" starts with '/'"},
      {"Scheme", 0, "ftp", "option \"Scheme\" is \"http\" or \"https\""},
      {"Node", 0, "Node_A", "option \"Node\" is not a node's name"},
      {"Selector", 0, "a:b", "option \"Selector\" is not a label selector"},
      {"MaxPods", 0, NULL, "option \"MaxPods\" must be an integer"},
      {"Namespace", 0, "-x", "\"-x\" is not a namespace name"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    config c = {0}, pods = {0};
    add_str(&pods, "APIServer", "https://127.0.0.1:6443");
    if (strcmp(cases[i].key, "Port") != 0)
      add_num(&pods, "Port", 80);
    if (cases[i].s != NULL)
      add_str(&pods, cases[i].key, cases[i].s);
    else
      add_num(&pods, cases[i].key, cases[i].num);
    log_capture_reset();
    ck_assert_ptr_null(
        om_block_parse(with_pods(&c, &pods), &om_target_syntax, 10));
    ck_assert_msg(log_capture_contains(cases[i].want), "%s: %s", cases[i].want,
                  log_capture_all());
  }
  /* the options of one address have no place next to <Pods> */
  static const char *const fixed[] = {"URL", "Instance", "HealthURL"};
  for (size_t i = 0; i < 3; i++) {
    config c = {0}, pods = {0};
    add_num(&pods, "Port", 80);
    add_str(&pods, "APIServer", "https://127.0.0.1:6443");
    add_str(&c, fixed[i], i == 1 ? "x:1" : "http://127.0.0.1:1/m");
    log_capture_reset();
    ck_assert_ptr_null(
        om_block_parse(with_pods(&c, &pods), &om_target_syntax, 10));
    ck_assert_msg(log_capture_contains("names one address; with <Pods>"), "%s",
                  log_capture_all());
  }
}
END_TEST

/* --- accepted configurations and defaults --------------------------------- */

START_TEST(test_defaults) {
  config c = {0};
  add_str(&c, "URL", "https://127.0.0.1:8443/metrics");
  log_capture_reset();
  om_target_config *cfg =
      om_block_parse(block(&c, "datum"), &om_target_syntax, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->job, "datum");
  ck_assert_str_eq(cfg->instance, "127.0.0.1:8443");
  ck_assert_str_eq(cfg->block.id, "target/datum");
  ck_assert(cfg->timeout_s == 8.0);
  ck_assert(cfg->auth.verify_peer && cfg->auth.verify_host &&
            cfg->honor_labels);
  ck_assert(!cfg->follow_redirects);
  ck_assert_uint_eq(cfg->max_response_bytes,
                    OM_TARGET_DEFAULT_MAX_RESPONSE_BYTES);
  ck_assert_uint_eq(cfg->max_series, OM_TARGET_DEFAULT_MAX_SERIES);
  ck_assert_uint_eq(log_capture_count(), 0);
  om_target_config_free(cfg);
}
END_TEST

START_TEST(test_default_timeout_capped) {
  config c = {0};
  add_str(&c, "URL", "http://example.com/metrics");
  om_target_config *cfg = om_block_parse(block(&c, "t"), &om_target_syntax, 60);
  ck_assert_ptr_nonnull(cfg);
  ck_assert(cfg->timeout_s == 10.0);
  ck_assert_str_eq(cfg->instance, "example.com:80");
  om_target_config_free(cfg);
}
END_TEST

START_TEST(test_block_interval_sets_timeout) {
  config c = {0};
  add_str(&c, "URL", "https://example.com/metrics");
  add_num(&c, "Interval", 2);
  om_target_config *cfg = om_block_parse(block(&c, "t"), &om_target_syntax, 60);
  ck_assert_ptr_nonnull(cfg);
  ck_assert(cfg->timeout_s == 1.6);
  ck_assert_str_eq(cfg->instance, "example.com:443");
  om_target_config_free(cfg);
}
END_TEST

/* The rule of every block (om_block.h): a read may take 90% of the
 * interval, not a second more. */
START_TEST(test_timeout_up_to_90_percent_of_the_interval) {
  config c = {0};
  add_str(&c, "URL", "https://example.com/metrics");
  add_num(&c, "Interval", 10);
  add_num(&c, "Timeout", 9);
  om_target_config *cfg = om_block_parse(block(&c, "t"), &om_target_syntax, 60);
  ck_assert_ptr_nonnull(cfg);
  ck_assert(cfg->timeout_s == 9.0);
  om_target_config_free(cfg);
  config over = {0};
  add_str(&over, "URL", "https://example.com/metrics");
  add_num(&over, "Interval", 10);
  add_num(&over, "Timeout", 9.01);
  log_capture_reset();
  ck_assert_ptr_null(om_block_parse(block(&over, "t"), &om_target_syntax, 60));
  ck_assert_msg(log_capture_contains("option \"Timeout\" (9.01 s) must not "
                                     "exceed 90% of the interval (10 s)"),
                "%s", log_capture_all());
}
END_TEST

/* A token goes over plain http:// only to the loopback, or when asked;
 * a token file others can read is warned about, like a password file. */
START_TEST(test_cleartext_token_and_shared_token_file) {
  char path[] = "/tmp/om-token-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, "tok\n", 4), 4);
  close(fd);
  chmod(path, 0644);
  static const struct {
    const char *url;
    int allow; /* -1: not set */
    bool accepted;
  } cases[] = {
      {"http://192.0.2.1:8080/metrics", -1, false},
      {"http://192.0.2.1:8080/metrics", 1, true},
      {"http://192.0.2.1:8080/metrics", 0, false},
      {"https://192.0.2.1:8443/metrics", -1, true},
      {"http://127.0.0.1:8080/metrics", -1, true},
      {"http://[::1]:8080/metrics", -1, true},
      {"http://localhost:8080/metrics", -1, true},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    config c = {0};
    add_str(&c, "URL", cases[i].url);
    add_str(&c, "BearerTokenFile", path);
    if (cases[i].allow >= 0)
      add_bool(&c, "AllowCleartextToken", cases[i].allow);
    om_target_config *cfg = config_parse(&c, &om_target_syntax, "t", 10);
    ck_assert_msg((cfg != NULL) == cases[i].accepted, "%s: %s", cases[i].url,
                  log_capture_all());
    if (!cases[i].accepted)
      ck_assert(log_capture_contains("the token would go in clear over "
                                     "http://"));
    else
      ck_assert(log_capture_contains("option \"BearerTokenFile\": \"") &&
                log_capture_contains("can be read by its group or others "
                                     "(mode 0644)"));
    om_target_config_free(cfg);
  }
  chmod(path, 0600);
  config c = {0};
  add_str(&c, "URL", "https://192.0.2.1/metrics");
  add_str(&c, "BearerTokenFile", path);
  om_target_config *cfg = config_parse(&c, &om_target_syntax, "t", 10);
  ck_assert_ptr_nonnull(cfg);
  ck_assert_uint_eq(log_capture_count(), 0);
  om_target_config_free(cfg);
  unlink(path);
}
END_TEST

/* A single-valued option given twice is an error, not last-wins; the
 * lists may repeat. Every bad option of the block is reported. */
START_TEST(test_option_given_twice) {
  config c = {0};
  add_str(&c, "URL", "http://127.0.0.1/metrics");
  add_str(&c, "url", "http://127.0.0.1:2/metrics");
  add_str(&c, "Include", "a_*");
  add_str(&c, "Include", "b_*");
  add_num(&c, "Timeout", 1);
  add_num(&c, "Timeout", 2);
  ck_assert_ptr_null(config_parse(&c, &om_target_syntax, "t", 10));
  ck_assert_msg(log_capture_contains("3|target/t|option \"url\" is given "
                                     "twice") &&
                    log_capture_contains("option \"Timeout\" is given twice") &&
                    !log_capture_contains("\"Include\" is given twice"),
                "%s", log_capture_all());
}
END_TEST

/* A block whose own series (up, scrape_*, probes, drop counts) could not
 * be encoded is refused at once, naming what is too long, rather than
 * accepted and silently useless. */
START_TEST(test_own_series_must_fit) {
  char long_name[401];
  memset(long_name, 'n', 400);
  long_name[400] = '\0';
  static const struct {
    const char *key, *want;
  } cases[] = {
      {NULL, "3|target/nnnn"}, /* the block's name */
      {"Job", "option \"Job\" or \"Instance\" is too long: the block's own "
              "operator_metrics_probe_success would not fit collectd's "
              "identifier fields ("},
      {"Instance", "option \"Job\" or \"Instance\" is too long"},
      {"Label", "option \"Label\" is too long: the block's own "
                "process_open_fds"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    config c = {0};
    add_str(&c, "URL", "http://127.0.0.1/metrics");
    if (cases[i].key != NULL && strcmp(cases[i].key, "Label") == 0)
      add_str2(&c, "Label", "team", long_name);
    else if (cases[i].key != NULL)
      add_str(&c, cases[i].key, long_name);
    const char *name = cases[i].key == NULL ? long_name : "t";
    ck_assert_ptr_null(config_parse(&c, &om_target_syntax, name, 10));
    ck_assert_msg(log_capture_contains(cases[i].want), "%zu: %s", i,
                  log_capture_all());
  }
  ck_assert(log_capture_count() == 1);
  config c = {0};
  add_str(&c, "URL", "http://127.0.0.1/metrics");
  ck_assert_ptr_null(config_parse(&c, &om_target_syntax, long_name, 10));
  ck_assert(log_capture_contains("the block's name is too long: the block's "
                                 "own operator_metrics_dropped_samples_total"));
  /* 100 bytes of a name are fine */
  long_name[100] = '\0';
  om_target_config *cfg = config_parse(&c, &om_target_syntax, long_name, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  om_target_config_free(cfg);
}
END_TEST

START_TEST(test_full_block) {
  config c = {0};
  add_str(&c, "url", "http://[::1]:9090/metrics"); /* keys ignore case */
  add_str(&c, "HealthURL", "http://[::1]:8081/healthz");
  add_str(&c, "ReadyURL", "http://[::1]:8081/readyz");
  add_num(&c, "Interval", 30);
  add_num(&c, "Timeout", 5);
  add_bool(&c, "VerifyPeer", 0);
  add_bool(&c, "VerifyHost", 0);
  add_bool(&c, "FollowRedirects", 1);
  add_bool(&c, "HonorLabels", 0);
  add_num(&c, "MaxResponseBytes", 1048576);
  add_num(&c, "MaxSeries", 500);
  add_str(&c, "Job", "datum-controller-manager-metrics");
  add_str2(&c, "Label", "cluster", "eu-1");
  add_str2(&c, "Include", "datum_*", "kube_*");
  add_str(&c, "Exclude", "go_*");
  add_str(&c, "LabelDrop", "id|name");
  add_str(&c, "labelkeep", "job|instance|pod|container|cluster");
  add_str2(&c, "DropSeries", "container", "");
  log_capture_reset();
  om_target_config *cfg =
      om_block_parse(block(&c, "datum"), &om_target_syntax, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->instance, "[::1]:9090");
  ck_assert_str_eq(cfg->job, "datum-controller-manager-metrics");
  ck_assert(cfg->timeout_s == 5 && cfg->block.interval_s == 30);
  ck_assert(!cfg->auth.verify_peer && !cfg->auth.verify_host &&
            !cfg->honor_labels);
  ck_assert(cfg->follow_redirects);
  ck_assert_uint_eq(cfg->max_response_bytes, 1048576);
  ck_assert_uint_eq(cfg->max_series, 500);
  ck_assert_uint_eq(cfg->labels_num, 1);
  ck_assert_str_eq(cfg->label_names[0], "cluster");
  ck_assert_uint_eq(cfg->include_num, 2);
  ck_assert_str_eq(cfg->include[1], "kube_*");
  ck_assert_uint_eq(cfg->exclude_num, 1);
  ck_assert_uint_eq(om_label_rules_count(cfg->rules), 3);
  om_target_config_free(cfg);
}
END_TEST

static Suite *config_suite(void) {
  Suite *s = suite_create("config");
  TCase *errors = tcase_create("errors");
  tcase_add_loop_test(errors, test_error, 0,
                      sizeof(error_cases) / sizeof(error_cases[0]));
  tcase_add_test(errors, test_url_required);
  tcase_add_test(errors, test_block_needs_name);
  tcase_add_test(errors, test_url_credentials_not_logged);
  suite_add_tcase(s, errors);
  TCase *ok = tcase_create("accepted");
  tcase_add_test(ok, test_defaults);
  tcase_add_test(ok, test_default_timeout_capped);
  tcase_add_test(ok, test_block_interval_sets_timeout);
  tcase_add_test(ok, test_timeout_up_to_90_percent_of_the_interval);
  tcase_add_test(ok, test_full_block);
  tcase_add_test(ok, test_cleartext_token_and_shared_token_file);
  tcase_add_test(ok, test_option_given_twice);
  tcase_add_test(ok, test_own_series_must_fit);
  tcase_add_test(ok, test_pods_defaults);
  tcase_add_test(ok, test_pods_service_query);
  tcase_add_test(ok, test_pods_refused);
  suite_add_tcase(s, ok);
  return s;
}

OM_CHECK_MAIN(config_suite)

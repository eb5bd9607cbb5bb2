/* Encoding round trip: pack a sample as the plugin does, present it as
 * write_prometheus serves it and Prometheus scrapes it, decode it with the
 * shipped conf/prometheus/relabel.yml, and compare with the original. */
#include "check_main.h"
#include "collectd_model.h"
#include "om_sample.h"
#include "om_shard.h"

#include <stdio.h>
#include <string.h>

#define SNIPPET OM_SOURCE_DIR "/conf/prometheus/relabel.yml"
#define EXAMPLE OM_SOURCE_DIR "/conf/prometheus/prometheus.yml"
#define GENERATOR OM_BUILD_DIR "/tools/gen_relabel"

static rl_rules *rules;
static om_catalog *cat;

static void setup(void) {
  char err[256];
  rules = rl_rules_load(SNIPPET);
  ck_assert_msg(rules != NULL, "cannot load %s", SNIPPET);
  cat = om_catalog_new(err, sizeof(err));
}

static void teardown(void) {
  rl_rules_free(rules);
  om_catalog_free(cat);
}

/* The decoded set must be exactly name + labels (+ job/instance of the
 * scrape where the sample has none), with the types in `shards` shards. */
static void assert_decodes_in(const om_sample *s, unsigned shards,
                              const char *series, const om_label *labels,
                              size_t n) {
  rl_labelset ls = {0};
  cm_as_scraped(s, shards, &ls);
  rl_apply(rules, &ls);
  ck_assert_msg(strcmp(rl_get(&ls, "__name__"), series) == 0,
                "name \"%s\", want \"%s\"", rl_get(&ls, "__name__"), series);
  size_t want = 1;
  bool has_job = false, has_instance = false;
  for (size_t i = 0; i < n; i++) {
    char name[128], value[512];
    snprintf(name, sizeof(name), "%.*s", (int)labels[i].name.len,
             labels[i].name.ptr);
    snprintf(value, sizeof(value), "%.*s", (int)labels[i].value.len,
             labels[i].value.ptr);
    if (value[0] == '\0')
      continue;
    want++;
    has_job |= strcmp(name, "job") == 0;
    has_instance |= strcmp(name, "instance") == 0;
    ck_assert_msg(strcmp(rl_get(&ls, name), value) == 0,
                  "label %s: \"%s\", want \"%s\" (pack \"%s\")", name,
                  rl_get(&ls, name), value, s->pack.text);
  }
  if (!has_job) {
    ck_assert_str_eq(rl_get(&ls, "job"), "collectd");
    want++;
  }
  if (!has_instance) {
    ck_assert_str_eq(rl_get(&ls, "instance"), "127.0.0.1:9103");
    want++;
  }
  ck_assert_msg(ls.num == want, "%zu labels after decoding, want %zu", ls.num,
                want);
  rl_labelset_free(&ls);
}

/* The same with one shard, two-digit, three-digit and four-digit ones. */
static void assert_decodes_to(const om_sample *s, const char *series,
                              const om_label *labels, size_t n) {
  static const unsigned shard_counts[] = {1, 16, 125, OM_SHARD_MAX};
  for (size_t i = 0; i < OM_LEN(shard_counts); i++)
    assert_decodes_in(s, shard_counts[i], series, labels, n);
}

#define LBL(n, v)                                                              \
  (om_label) { om_slice_from_cstr(n), om_slice_from_cstr(v) }

static void round_trip(const char *series, om_label *labels, size_t n) {
  om_label original[40];
  if (n > 0)
    memcpy(original, labels, n * sizeof(*labels));
  const om_series_type *st =
      om_catalog_find_series(cat, om_slice_from_cstr(series));
  ck_assert_msg(st != NULL, "%s not in catalog", series);
  om_sample s;
  ck_assert_int_eq(om_sample_build(st, labels, n, 1, &s), OM_DROP_NONE);
  assert_decodes_to(&s, series, original, n);
}

START_TEST(test_counter) {
  om_label l[] = {LBL("result", "success"), LBL("controller", "org"),
                  LBL("job", "datum"), LBL("instance", "10.0.0.1:8443")};
  round_trip("controller_runtime_reconcile_total", l, 4);
}
END_TEST

START_TEST(test_bucket) {
  om_label l[] = {LBL("le", "9.999999999999999e-06"), LBL("name", "q"),
                  LBL("controller", "q"), LBL("job", "d"),
                  LBL("instance", "h:1")};
  round_trip("workqueue_queue_duration_seconds_bucket", l, 5);
}
END_TEST

START_TEST(test_no_labels) {
  round_trip("certwatcher_read_certificate_total", NULL, 0);
}
END_TEST

START_TEST(test_spills_into_type_instance) {
  char a[100], b[100];
  memset(a, 'a', 99);
  a[99] = '\0';
  memset(b, 'b', 99);
  b[99] = '\0';
  om_label l[] = {LBL("instance", a), LBL("engine", "postgres"),
                  LBL("namespace", b)};
  round_trip("dbops_instance_healthy", l, 3);
}
END_TEST

/* A cAdvisor series with the systemd driver's id is too long; without it,
 * every field is used and pairs split across both boundaries. */
START_TEST(test_cadvisor_series_uses_every_field) {
  om_label l[] = {
      LBL("container", "manager"),
      LBL("cpu", "total"),
      LBL("id",
          "/kubepods.slice/kubepods-burstable.slice/"
          "kubepods-burstable-pod5f0e6d32_6c1b_4c0e_9a57_2f7d1e3c4b5a."
          "slice/cri-containerd-"
          "3f6c1d2e4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff"
          ".scope"),
      LBL("image", "ghcr.io/datum-cloud/datum-controller-manager:v0.12.3"),
      LBL("name", "3f6c1d2e4b5a69788796a5b4c3d2e1f00112233445566778899aabbcc"
                  "ddeeff"),
      LBL("namespace", "datum-system"),
      LBL("pod", "datum-controller-manager-7d9f8c6b5d-x2k4p"),
      LBL("job", "kubelet-cadvisor"),
      LBL("instance", "10.0.0.21:10250"),
  };
  om_label original[OM_LEN(l)];
  memcpy(original, l, sizeof(l));
  const om_series_type *st = om_catalog_find_series(
      cat, om_slice_from_cstr("container_cpu_usage_seconds_total"));
  ck_assert_ptr_nonnull(st);
  om_sample s;
  /* with its 194-byte id it takes more than the three fields hold, */
  ck_assert_int_eq(om_sample_build(st, l, OM_LEN(l), 1, &s),
                   OM_DROP_PACK_TOO_LONG);
  ck_assert_uint_gt(s.pack_need, OM_PACK_MAX);
  /* without it (LabelDrop "id") it fills all three */
  memcpy(l, original, sizeof(l));
  l[2] = l[OM_LEN(l) - 1];
  memcpy(original, l, sizeof(l));
  ck_assert_int_eq(om_sample_build(st, l, OM_LEN(l) - 1, 1, &s), OM_DROP_NONE);
  ck_assert_uint_gt(s.pack.len, 2 * OM_PACK_FIELD_MAX);
  assert_decodes_to(&s, "container_cpu_usage_seconds_total", original,
                    OM_LEN(l) - 1);
}
END_TEST

/* Multi-byte UTF-8 across each field boundary stays whole. */
START_TEST(test_utf8_at_field_boundaries) {
  for (size_t shift = 0; shift < 4; shift++) {
    char a[400];
    size_t used = 0;
    for (size_t i = 0; i < 120 + shift; i++)
      a[used++] = 'a';
    while (used < 330) {
      memcpy(a + used, "東", 3); /* 3 bytes */
      used += 3;
    }
    a[used] = '\0';
    om_label l[] = {LBL("instance", a), LBL("job", "j")};
    round_trip("dbops_instance_healthy", l, 2);
  }
}
END_TEST

/* A value that ends in ',' right where a field ends. */
START_TEST(test_comma_at_field_boundary) {
  char a[130];
  memset(a, 'a', 110); /* "instance=" + 111 bytes: 120 of 127 */
  strcpy(a + 110, ",");
  om_label l[] = {LBL("instance", a), LBL("engine", "x=1,y")};
  round_trip("dbops_instance_healthy", l, 2);
}
END_TEST

START_TEST(test_sixteen_pairs) {
  char names[16][8];
  om_label l[16];
  for (int i = 0; i < 16; i++) {
    snprintf(names[i], sizeof(names[i]), "l%d", i);
    l[i] = LBL(names[i], i % 2 ? "a,b=c" : "v");
  }
  round_trip("go_goroutines", l, 16);
}
END_TEST

/* A scraped label named like a shard's own label comes through: the rules
 * drop those before any decoded label is set. */
START_TEST(test_label_named_like_a_shard) {
  om_label l[] = {LBL("operator_metrics_7", "mine"),
                  LBL("operator_metrics", "x"), LBL("job", "j"),
                  LBL("instance", "i")};
  round_trip("go_goroutines", l, 4);
}
END_TEST

static const char *const edge_values[] = {
    "say \"hi\"",
    "C:\\temp\\x",
    "two\nlines",
    "a,b,c",
    "app=web,tier=db",
    "a=1,b=2,c=3,d=4",
    "100% of %2",
    "x=y",
    "a;b",
    "Grüße, 東京 🚀",
    "end,",
    ",lead",
    "=",
    ",",
    ";",
    "%",
    "%2",
    "a%,b=",
    "%2%2",
    "${1}",
    "/validate-org",
    "https://h:443/a/b",
    "/",
    "a/",
    "%2/",
    "/,a=/",
    "//x//",
    "%/F",
    "50%2C60%2F",
    "ctl\x01\x1d\x7f",
};

START_TEST(test_edge_values) {
  const char *v = edge_values[_i];
  om_label l[] = {LBL("case", "x"), LBL("value", v)};
  round_trip("go_info", l, 2);
}
END_TEST

START_TEST(test_generic_family) {
  om_label l[] = {LBL("project", "alpha,b=1"), LBL("job", "datum"),
                  LBL("resource", "cpu")};
  om_label original[3];
  memcpy(original, l, sizeof(l));
  om_label room[4];
  memcpy(room, l, sizeof(l));
  om_sample s;
  om_slice name = om_slice_from_cstr("datum_quota_usage_ratio");
  ck_assert_int_eq(om_sample_build_generic(name, room, 3, 0.5, &s),
                   OM_DROP_NONE);
  assert_decodes_to(&s, "datum_quota_usage_ratio", original, 3);
}
END_TEST

/* Other collectd plugins' series pass the rules unchanged. */
START_TEST(test_other_series_untouched) {
  rl_labelset ls = {0};
  rl_set(&ls, "__name__", "collectd_cpu_total");
  rl_set(&ls, "cpu", "0");
  rl_set(&ls, "type", "idle");
  rl_set(&ls, "exported_instance", "host");
  rl_set(&ls, "job", "collectd");
  rl_apply(rules, &ls);
  ck_assert_uint_eq(ls.num, 5);
  ck_assert_str_eq(rl_get(&ls, "__name__"), "collectd_cpu_total");
  ck_assert_str_eq(rl_get(&ls, "type"), "idle");
  ck_assert_str_eq(rl_get(&ls, "exported_instance"), "host");
  rl_labelset_free(&ls);
}
END_TEST

/* Random label sets over an alphabet rich in separators: every pack the
 * encoder accepts decodes exactly; every refusal has its reason. */
START_TEST(test_random_round_trips) {
  static const char alphabet[] = "a=,%2CF/;_x\né\"\\\x1e東";
  unsigned seed = 12345;
  size_t accepted = 0;
  for (int iter = 0; iter < 3000; iter++) {
    char names[6][8], values[6][128]; /* up to 39 picks of 3 bytes */
    om_label l[6], original[6];
    size_t n = 1 + (size_t)(seed % 5);
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      snprintf(names[i], sizeof(names[i]), "k%zu", i);
      size_t len = (seed >> 16) % 40, used = 0;
      for (size_t k = 0; k < len; k++) {
        seed = seed * 1103515245u + 12345u;
        char ch = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        if ((unsigned char)ch == 0xc3) { /* keep é whole */
          values[i][used++] = (char)0xc3;
          values[i][used++] = (char)0xa9;
        } else if ((unsigned char)ch == 0xe6) { /* and 東 */
          memcpy(values[i] + used, "東", 3);
          used += 3;
        } else if (((unsigned char)ch & 0xc0) != 0x80) {
          values[i][used++] = ch;
        }
      }
      values[i][used] = '\0';
      l[i] = LBL(names[i], values[i]);
    }
    memcpy(original, l, n * sizeof(*l));
    om_sample s;
    const om_series_type *st =
        om_catalog_find_series(cat, om_slice_from_cstr("go_threads"));
    om_drop_reason r = om_sample_build(st, l, n, 1, &s);
    if (r == OM_DROP_NONE) {
      accepted++;
      assert_decodes_to(&s, "go_threads", original, n);
    } else {
      ck_assert_msg(r == OM_DROP_UNENCODABLE_VALUE ||
                        r == OM_DROP_PACK_TOO_LONG,
                    "refused with %s", om_drop_reason_name(r));
    }
  }
  ck_assert_uint_gt(accepted, 400);
}
END_TEST

static char *slurp(FILE *f) {
  size_t cap = 65536, len = 0;
  char *buf = malloc(cap);
  size_t n;
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (len + 1 == cap)
      buf = realloc(buf, cap *= 2);
  }
  buf[len] = '\0';
  return buf;
}

static void assert_generated(const char *what, const char *path) {
  char cmd[1024];
  snprintf(cmd, sizeof(cmd), "%s %s", GENERATOR, what);
  FILE *gen = popen(cmd, "r");
  ck_assert_msg(gen != NULL, "cannot run %s", cmd);
  char *generated = slurp(gen);
  ck_assert_int_eq(pclose(gen), 0);
  FILE *f = fopen(path, "r");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  char *committed = slurp(f);
  fclose(f);
  ck_assert_msg(strcmp(generated, committed) == 0,
                "%s differs from `tools/gen_relabel %s`: regenerate it", path,
                what);
  free(generated);
  free(committed);
}

START_TEST(test_snippet_is_current) {
  assert_generated("snippet", SNIPPET);
  assert_generated("example", EXAMPLE);
  ck_assert_uint_eq(rl_rules_count(rules),
                    11 + OM_PACK_MAX_SLASHES +
                        OM_PACK_MAX_PAIRS * (3 + OM_PACK_MAX_ESCAPES));
}
END_TEST

static Suite *relabel_suite(void) {
  Suite *s = suite_create("relabel");
  TCase *tc = tcase_create("round trip");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_counter);
  tcase_add_test(tc, test_bucket);
  tcase_add_test(tc, test_no_labels);
  tcase_add_test(tc, test_spills_into_type_instance);
  tcase_add_test(tc, test_comma_at_field_boundary);
  tcase_add_test(tc, test_cadvisor_series_uses_every_field);
  tcase_add_test(tc, test_utf8_at_field_boundaries);
  tcase_add_test(tc, test_label_named_like_a_shard);
  tcase_add_test(tc, test_sixteen_pairs);
  tcase_add_loop_test(tc, test_edge_values, 0,
                      sizeof(edge_values) / sizeof(edge_values[0]));
  tcase_add_test(tc, test_generic_family);
  tcase_add_test(tc, test_other_series_untouched);
  tcase_add_test(tc, test_random_round_trips);
  tcase_add_test(tc, test_snippet_is_current);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(relabel_suite)

/* The label pack: ordering, field filling, escapes and every refusal. */
#include "check_main.h"
#include "om_encode.h"

#include <stdio.h>
#include <string.h>

#define LBL(n, v)                                                              \
  (om_label) { om_slice_from_cstr(n), om_slice_from_cstr(v) }

static om_enc_result pack(const om_label *l, size_t n, om_pack *out) {
  memset(out, 'X', sizeof(*out)); /* catch missing terminators */
  return om_pack_labels(l, n, false, out);
}

START_TEST(test_simple_pack) {
  om_label l[] = {LBL("controller", "org"), LBL("result", "success")};
  om_pack p;
  ck_assert_int_eq(pack(l, 2, &p), OM_ENC_OK);
  ck_assert_str_eq(p.plugin_instance, "controller=org,result=success");
  ck_assert_str_eq(p.type_instance, "");
}
END_TEST

START_TEST(test_no_labels) {
  om_pack p;
  ck_assert_int_eq(pack(NULL, 0, &p), OM_ENC_OK);
  ck_assert_str_eq(p.plugin_instance, "");
  ck_assert_str_eq(p.type_instance, "");
}
END_TEST

START_TEST(test_empty_values_left_out) {
  om_label l[] = {LBL("name", "q"), LBL("priority", ""), LBL("x", "1")};
  om_pack p;
  ck_assert_int_eq(pack(l, 3, &p), OM_ENC_OK);
  ck_assert_str_eq(p.plugin_instance, "name=q,x=1");
}
END_TEST

/* Pairs fill plugin_instance, continue in type_instance, never split. */
START_TEST(test_fill_and_continue) {
  char a[80], b[60], c[40];
  memset(a, 'a', sizeof(a) - 1);
  a[sizeof(a) - 1] = '\0';
  memset(b, 'b', sizeof(b) - 1);
  b[sizeof(b) - 1] = '\0';
  memset(c, 'c', sizeof(c) - 1);
  c[sizeof(c) - 1] = '\0';
  om_label l[] = {LBL("a", a), LBL("b", b), LBL("c", c)};
  om_pack p;
  ck_assert_int_eq(pack(l, 3, &p), OM_ENC_OK);
  /* "a=" + 79 = 81 bytes; "b=" + 59 = 61 would make 143 > 127 */
  ck_assert_uint_eq(strlen(p.plugin_instance), 81);
  ck_assert(strncmp(p.plugin_instance, "a=aaa", 5) == 0);
  ck_assert(strncmp(p.type_instance, "b=bbb", 5) == 0);
  ck_assert_uint_eq(strlen(p.type_instance), 61 + 1 + 41);
}
END_TEST

START_TEST(test_exactly_full_fields) {
  char v1[126], v2[126];
  memset(v1, 'x', 124);
  v1[124] = '\0'; /* "a=" + 124 = 126 bytes */
  memset(v2, 'y', 125);
  v2[125] = '\0'; /* "b=" + 125 = 127 bytes: exactly full */
  om_label l[] = {LBL("a", v1), LBL("b", v2)};
  om_pack p;
  ck_assert_int_eq(pack(l, 2, &p), OM_ENC_OK);
  ck_assert_uint_eq(strlen(p.plugin_instance), 126);
  ck_assert_uint_eq(strlen(p.type_instance), 127);
}
END_TEST

START_TEST(test_pair_too_long) {
  char v[200];
  memset(v, 'x', 126);
  v[126] = '\0'; /* "a=" + 126 = 128 > 127 */
  om_label l[] = {LBL("a", v)};
  om_pack p;
  ck_assert_int_eq(pack(l, 1, &p), OM_ENC_PACK_TOO_LONG);
  ck_assert_str_eq(p.plugin_instance, "");
  ck_assert_str_eq(p.type_instance, "");
}
END_TEST

START_TEST(test_pack_too_long) {
  char v[100];
  memset(v, 'x', 98);
  v[98] = '\0';
  om_label l[] = {LBL("a", v), LBL("b", v), LBL("c", v)};
  om_pack p;
  ck_assert_int_eq(pack(l, 3, &p), OM_ENC_PACK_TOO_LONG);
}
END_TEST

/* The slash budget is per sample, across all its labels. */
START_TEST(test_slashes_counted_per_sample) {
  om_label l[] = {LBL("a", "////////"), LBL("b", "////////")};
  om_pack p;
  ck_assert_int_eq(pack(l, 2, &p), OM_ENC_OK);
  om_label m[] = {LBL("a", "////////"), LBL("b", "/////////")};
  ck_assert_int_eq(pack(m, 2, &p), OM_ENC_UNENCODABLE_VALUE);
}
END_TEST

START_TEST(test_too_many_pairs) {
  char names[OM_PACK_MAX_PAIRS + 1][8];
  om_label l[OM_PACK_MAX_PAIRS + 1];
  for (int i = 0; i <= OM_PACK_MAX_PAIRS; i++) {
    snprintf(names[i], sizeof(names[i]), "l%d", i);
    l[i] = LBL(names[i], "v");
  }
  om_pack p;
  ck_assert_int_eq(pack(l, OM_PACK_MAX_PAIRS, &p), OM_ENC_OK);
  ck_assert_int_eq(pack(l, OM_PACK_MAX_PAIRS + 1, &p), OM_ENC_TOO_MANY_LABELS);
}
END_TEST

typedef struct {
  const char *why;
  const char *value;
  om_enc_result want;
  const char *packed; /* the pair as packed, for OK rows */
} value_case;

static const value_case value_cases[] = {
    {"plain comma stays", "a,b,c", OM_ENC_OK, "v=a,b,c"},
    {"comma before name= escaped", "app=web,tier=db", OM_ENC_OK,
     "v=app=web%2Ctier=db"},
    {"comma before underscore name", "x,_y=1", OM_ENC_OK, "v=x%2C_y=1"},
    {"comma before digit is plain", "x,1=2", OM_ENC_OK, "v=x,1=2"},
    {"comma before name without = is plain", "x,abc", OM_ENC_OK, "v=x,abc"},
    {"leading ambiguous comma", ",a=1", OM_ENC_OK, "v=%2Ca=1"},
    {"trailing comma", "end,", OM_ENC_OK, "v=end,"},
    {"three escapes", "a=1,b=2,c=3,d=4", OM_ENC_OK, "v=a=1%2Cb=2%2Cc=3%2Cd=4"},
    {"four escapes refused", "a=1,b=2,c=3,d=4,e=5", OM_ENC_UNENCODABLE_VALUE,
     NULL},
    {"literal escape refused", "50%2C60", OM_ENC_UNENCODABLE_VALUE, NULL},
    {"lower-case %2c is plain", "50%2c60", OM_ENC_OK, "v=50%2c60"},
    {"percent alone", "100%", OM_ENC_OK, "v=100%"},
    {"equals and semicolon", "x=y;z", OM_ENC_OK, "v=x=y;z"},
    {"newline and quote", "two\nlines \"q\"", OM_ENC_OK, "v=two\nlines \"q\""},
    {"utf-8", "Grüße 東京 🚀", OM_ENC_OK, "v=Grüße 東京 🚀"},
    {"lone continuation byte", "\x80", OM_ENC_INVALID_UTF8, NULL},
    {"truncated 2-byte", "\xc3", OM_ENC_INVALID_UTF8, NULL},
    {"truncated 3-byte", "\xe6\x9d", OM_ENC_INVALID_UTF8, NULL},
    {"overlong slash", "\xc0\xaf", OM_ENC_INVALID_UTF8, NULL},
    {"overlong 3-byte", "\xe0\x80\xaf", OM_ENC_INVALID_UTF8, NULL},
    {"surrogate", "\xed\xa0\x80", OM_ENC_INVALID_UTF8, NULL},
    {"above U+10FFFF", "\xf4\x90\x80\x80", OM_ENC_INVALID_UTF8, NULL},
    {"0xff byte", "a\xff", OM_ENC_INVALID_UTF8, NULL},
    {"largest code point", "\xf4\x8f\xbf\xbf", OM_ENC_OK, "v=\xf4\x8f\xbf\xbf"},
};

START_TEST(test_nul_byte_refused) {
  /* would truncate collectd's C-string fields silently */
  om_label l[] = {{om_slice_from_cstr("v"), {"a\0b", 3}}};
  om_pack p;
  ck_assert_int_eq(pack(l, 1, &p), OM_ENC_UNENCODABLE_VALUE);
}
END_TEST

START_TEST(test_values) {
  const value_case *c = &value_cases[_i];
  om_label l[] = {LBL("v", c->value)};
  om_pack p;
  om_enc_result r = pack(l, 1, &p);
  ck_assert_msg(r == c->want, "%s: result %d, want %d", c->why, r, c->want);
  if (c->packed != NULL)
    ck_assert_msg(strcmp(p.plugin_instance, c->packed) == 0,
                  "%s: packed \"%s\"", c->why, p.plugin_instance);
}
END_TEST

typedef struct {
  const char *why;
  const char *name;
  bool ok;
} name_case;

static const name_case name_cases[] = {
    {"plain", "controller", true},
    {"underscore start", "_x", true},
    {"digits after", "l01", true},
    {"__name__ is reserved too", "__name__", false},
    {"reserved prefix", "__meta", false},
    {"digit start", "1a", false},
    {"dash", "a-b", false},
    {"colon", "a:b", false},
    {"empty", "", false},
    {"non-ascii", "é", false},
};

START_TEST(test_names) {
  const name_case *c = &name_cases[_i];
  om_label l[] = {LBL(c->name, "v")};
  om_pack p;
  om_enc_result r = pack(l, 1, &p);
  ck_assert_msg((r == OM_ENC_OK) == c->ok, "%s: result %d", c->why, r);
  if (!c->ok)
    ck_assert_int_eq(r, OM_ENC_INVALID_LABEL_NAME);
}
END_TEST

/* Only the generic path's first pair may carry the metric name. */
START_TEST(test_metric_name_pair) {
  om_label l[] = {LBL("__name__", "x"), LBL("a", "1")};
  om_pack p;
  ck_assert_int_eq(om_pack_labels(l, 2, true, &p), OM_ENC_OK);
  ck_assert_str_eq(p.plugin_instance, "__name__=x,a=1");
  om_label dup[] = {LBL("__name__", "x"), LBL("__name__", "y")};
  ck_assert_int_eq(om_pack_labels(dup, 2, true, &p), OM_ENC_INVALID_LABEL_NAME);
  om_label missing[] = {LBL("a", "1")};
  ck_assert_int_eq(om_pack_labels(missing, 1, true, &p),
                   OM_ENC_INVALID_LABEL_NAME);
}
END_TEST

START_TEST(test_order) {
  om_label l[] = {LBL("zeta", "1"), LBL("job", "j"), LBL("result", "ok"),
                  LBL("alpha", "2"), LBL("controller", "c")};
  om_slice order[] = {om_slice_from_cstr("controller"),
                      om_slice_from_cstr("result")};
  om_order_labels(l, 5, order, 2);
  const char *want[] = {"controller", "result", "alpha", "job", "zeta"};
  for (int i = 0; i < 5; i++)
    ck_assert_msg(om_slice_eq_cstr(l[i].name, want[i]), "position %d: %.*s", i,
                  (int)l[i].name.len, l[i].name.ptr);
}
END_TEST

START_TEST(test_order_missing_catalog_labels) {
  om_label l[] = {LBL("b", "1"), LBL("name", "q")};
  om_slice order[] = {om_slice_from_cstr("name"),
                      om_slice_from_cstr("controller"),
                      om_slice_from_cstr("priority")};
  om_order_labels(l, 2, order, 3);
  ck_assert(om_slice_eq_cstr(l[0].name, "name"));
  ck_assert(om_slice_eq_cstr(l[1].name, "b"));
}
END_TEST

static Suite *encode_suite(void) {
  Suite *s = suite_create("encode");
  TCase *tc = tcase_create("pack");
  tcase_add_test(tc, test_simple_pack);
  tcase_add_test(tc, test_no_labels);
  tcase_add_test(tc, test_empty_values_left_out);
  tcase_add_test(tc, test_fill_and_continue);
  tcase_add_test(tc, test_exactly_full_fields);
  tcase_add_test(tc, test_pair_too_long);
  tcase_add_test(tc, test_pack_too_long);
  tcase_add_test(tc, test_too_many_pairs);
  tcase_add_test(tc, test_slashes_counted_per_sample);
  tcase_add_test(tc, test_metric_name_pair);
  tcase_add_test(tc, test_nul_byte_refused);
  tcase_add_loop_test(tc, test_values, 0,
                      sizeof(value_cases) / sizeof(value_cases[0]));
  tcase_add_loop_test(tc, test_names, 0,
                      sizeof(name_cases) / sizeof(name_cases[0]));
  suite_add_tcase(s, tc);
  TCase *order = tcase_create("order");
  tcase_add_test(order, test_order);
  tcase_add_test(order, test_order_missing_catalog_labels);
  suite_add_tcase(s, order);
  return s;
}

OM_CHECK_MAIN(encode_suite)

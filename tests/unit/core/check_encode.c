/* The label pack: ordering, the cut into three fields, escapes and every
 * refusal. */
#include "check_main.h"
#include "om_encode.h"

#include <stdio.h>
#include <string.h>

#define LBL(n, v)                                                              \
  (om_label) { om_slice_from_cstr(n), om_slice_from_cstr(v) }

static om_enc_result pack(const om_label *l, size_t n, om_pack *out) {
  memset(out, 'X', sizeof(*out)); /* catch missing terminators */
  return om_pack_labels(l, n, false, out, NULL);
}

/* A value of n bytes of c, in buf. */
static const char *run(char *buf, char c, size_t n) {
  memset(buf, c, n);
  buf[n] = '\0';
  return buf;
}

START_TEST(test_simple_pack) {
  om_label l[] = {LBL("controller", "org"), LBL("result", "success")};
  om_pack p;
  ck_assert_int_eq(pack(l, 2, &p), OM_ENC_OK);
  ck_assert_str_eq(p.text, "controller=org,result=success");
  ck_assert_uint_eq(p.len, strlen(p.text));
}
END_TEST

START_TEST(test_no_labels) {
  om_pack p;
  ck_assert_int_eq(pack(NULL, 0, &p), OM_ENC_OK);
  ck_assert_str_eq(p.text, "");
  ck_assert_uint_eq(p.len, 0);
}
END_TEST

START_TEST(test_empty_values_left_out) {
  om_label l[] = {LBL("name", "q"), LBL("priority", ""), LBL("x", "1")};
  om_pack p;
  ck_assert_int_eq(pack(l, 3, &p), OM_ENC_OK);
  ck_assert_str_eq(p.text, "name=q,x=1");
}
END_TEST

/* The three fields take 127 bytes each, a pair split where it falls. */
START_TEST(test_split_fills_each_field) {
  size_t cut[OM_PACK_FIELDS + 1];
  char text[OM_PACK_MAX + 1];
  run(text, 'a', 300);
  ck_assert(om_pack_split(text, 300, cut));
  ck_assert_uint_eq(cut[0], 0);
  ck_assert_uint_eq(cut[1], 127);
  ck_assert_uint_eq(cut[2], 254);
  ck_assert_uint_eq(cut[3], 300);
  run(text, 'a', OM_PACK_MAX);
  ck_assert(om_pack_split(text, OM_PACK_MAX, cut));
  ck_assert_uint_eq(cut[3], OM_PACK_MAX);
  ck_assert(om_pack_split(text, 5, cut));
  ck_assert(cut[1] == 5 && cut[2] == 5 && cut[3] == 5);
}
END_TEST

/* No field starts inside a UTF-8 sequence: a cut backs off to its start,
 * and a pack that then no longer fits is too long. */
START_TEST(test_split_keeps_utf8_whole) {
  size_t cut[OM_PACK_FIELDS + 1];
  char text[OM_PACK_MAX + 8];
  run(text, 'a', 126);
  memcpy(text + 126, "\xc3\xa9", 2); /* é across the first cut */
  run(text + 128, 'b', 100);
  ck_assert(om_pack_split(text, 228, cut));
  ck_assert_uint_eq(cut[1], 126);
  ck_assert_uint_eq(cut[2], 228);
  /* a 4-byte sequence at 125: the cut goes back to 125 */
  memcpy(text + 125, "\xf0\x9f\x9a\x80", 4);
  ck_assert(om_pack_split(text, 228, cut));
  ck_assert_uint_eq(cut[1], 125);
  /* 381 bytes with a sequence across a cut do not fit */
  run(text, 'a', OM_PACK_MAX);
  memcpy(text + 126, "\xc3\xa9", 2);
  ck_assert(!om_pack_split(text, OM_PACK_MAX, cut));
}
END_TEST

/* The fields collectd gets: the pack in order, host first; "," for a
 * pack of no labels; nothing written for one that does not fit. */
START_TEST(test_fill_fields) {
  char f[OM_PACK_FIELDS][OM_PACK_FIELD_SIZE];
  char *const fields[OM_PACK_FIELDS] = {f[0], f[1], f[2]};
  ck_assert(om_pack_fill("a=1,b=2", 7, fields));
  ck_assert_str_eq(f[0], "a=1,b=2");
  ck_assert_str_eq(f[1], "");
  ck_assert_str_eq(f[2], "");
  ck_assert(om_pack_fill("", 0, fields));
  ck_assert_str_eq(f[0], ",");
  ck_assert_str_eq(f[1], "");
  char text[OM_PACK_MAX + 2];
  run(text, 'a', 200);
  ck_assert(om_pack_fill(text, 200, fields));
  ck_assert_uint_eq(strlen(f[0]), OM_PACK_FIELD_MAX);
  ck_assert_uint_eq(strlen(f[1]), 200 - OM_PACK_FIELD_MAX);
  ck_assert_str_eq(f[2], "");
  strcpy(f[0], "kept");
  run(text, 'a', OM_PACK_MAX + 1);
  ck_assert(!om_pack_fill(text, OM_PACK_MAX + 1, fields));
  ck_assert_str_eq(f[0], "kept");
}
END_TEST

/* A pack of every field, a pair across each boundary, multi-byte UTF-8
 * right at one. */
START_TEST(test_pack_uses_every_field) {
  char a[200], b[200];
  run(a, 'a', 150);
  run(b, 'b', 150);
  memcpy(b + 97, "東京", 6); /* at 252-257 of the pack: across 254 */
  om_label l[] = {LBL("a", a), LBL("b", b), LBL("c", "x")};
  om_pack p;
  ck_assert_int_eq(pack(l, 3, &p), OM_ENC_OK);
  ck_assert_uint_eq(p.len, 2 + 150 + 1 + 2 + 150 + 1 + 3);
  size_t cut[OM_PACK_FIELDS + 1];
  ck_assert(om_pack_split(p.text, p.len, cut));
  ck_assert_uint_eq(cut[1], 127);
  ck_assert_uint_eq(cut[2], 252);
  ck_assert_uint_eq(cut[3], p.len);
}
END_TEST

START_TEST(test_pack_too_long) {
  char v[200];
  om_label l[] = {LBL("a", run(v, 'x', 190)), LBL("b", v)};
  om_pack p;
  size_t need = 0;
  /* "a=" 190 "," "b=" 190: 385 bytes, four over */
  memset(&p, 'X', sizeof(p));
  ck_assert_int_eq(om_pack_labels(l, 2, false, &p, &need),
                   OM_ENC_PACK_TOO_LONG);
  ck_assert_uint_eq(need, 385);
  ck_assert_str_eq(p.text, "");
  om_label fits[] = {LBL("a", run(v, 'x', 188)), LBL("b", v)};
  ck_assert_int_eq(om_pack_labels(fits, 2, false, &p, &need), OM_ENC_OK);
  ck_assert_uint_eq(need, OM_PACK_MAX);
  ck_assert_uint_eq(p.len, OM_PACK_MAX);
}
END_TEST

/* The escapes take one byte each. */
START_TEST(test_escapes_are_one_byte) {
  om_label l[] = {LBL("id", "/kubepods.slice/x.scope"), LBL("v", "a,b=1")};
  om_pack p;
  ck_assert_int_eq(pack(l, 2, &p), OM_ENC_OK);
  ck_assert_str_eq(p.text, "id=" OM_PACK_SLASH_ESCAPE
                           "kubepods.slice" OM_PACK_SLASH_ESCAPE
                           "x.scope,v=a" OM_PACK_ESCAPE "b=1");
  ck_assert_int_eq(OM_PACK_ESCAPE[0], 0x1e);
  ck_assert_int_eq(OM_PACK_SLASH_ESCAPE[0], 0x1f);
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
     "v=app=web\x1etier=db"},
    {"comma before underscore name", "x,_y=1", OM_ENC_OK, "v=x\x1e_y=1"},
    {"comma before digit is plain", "x,1=2", OM_ENC_OK, "v=x,1=2"},
    {"comma before name without = is plain", "x,abc", OM_ENC_OK, "v=x,abc"},
    {"leading ambiguous comma", ",a=1", OM_ENC_OK,
     "v=\x1e"
     "a=1"},
    {"trailing comma", "end,", OM_ENC_OK, "v=end,"},
    {"three escapes", "a=1,b=2,c=3,d=4", OM_ENC_OK,
     "v=a=1\x1e"
     "b=2\x1e"
     "c=3\x1e"
     "d=4"},
    {"four escapes refused", "a=1,b=2,c=3,d=4,e=5", OM_ENC_UNENCODABLE_VALUE,
     NULL},
    {"escape byte refused",
     "a\x1e"
     "b",
     OM_ENC_UNENCODABLE_VALUE, NULL},
    {"slash escape byte refused",
     "a\x1f"
     "b",
     OM_ENC_UNENCODABLE_VALUE, NULL},
    {"other control bytes are plain",
     "a\x01\x1d"
     "b",
     OM_ENC_OK,
     "v=a\x01\x1d"
     "b"},
    {"percent escapes are plain now", "50%2C60%2F", OM_ENC_OK, "v=50%2C60%2F"},
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
    ck_assert_msg(strcmp(p.text, c->packed) == 0, "%s: packed \"%s\"", c->why,
                  p.text);
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
  ck_assert_int_eq(om_pack_labels(l, 2, true, &p, NULL), OM_ENC_OK);
  ck_assert_str_eq(p.text, "__name__=x,a=1");
  om_label dup[] = {LBL("__name__", "x"), LBL("__name__", "y")};
  ck_assert_int_eq(om_pack_labels(dup, 2, true, &p, NULL),
                   OM_ENC_INVALID_LABEL_NAME);
  om_label missing[] = {LBL("a", "1")};
  ck_assert_int_eq(om_pack_labels(missing, 1, true, &p, NULL),
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
  tcase_add_test(tc, test_split_fills_each_field);
  tcase_add_test(tc, test_split_keeps_utf8_whole);
  tcase_add_test(tc, test_pack_uses_every_field);
  tcase_add_test(tc, test_fill_fields);
  tcase_add_test(tc, test_pack_too_long);
  tcase_add_test(tc, test_escapes_are_one_byte);
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

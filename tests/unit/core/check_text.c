/* The text jobs several rooms share (om_text): one log line from outside
 * text, the shortest double, and glob lists. */
#include "check_main.h"
#include "om_text.h"

#include <string.h>

static const struct {
  const char *why, *in, *want;
  size_t cap;
} LINES[] = {
    {"newlines and runs of blanks", "FATAL:  password\n  failed\n",
     "FATAL: password failed", 64},
    {"control characters", "a\033[31mb\tc\x7f", "a [31mb c", 64},
    {"UTF-8 kept", "Gr\xc3\xbc\xc3\x9f e \xe2\x82\xac",
     "Gr\xc3\xbc\xc3\x9f e \xe2\x82\xac", 64},
    {"invalid bytes marked", "a\xff\xc3(b",
     "a?"
     "?(b",
     64},
    {"leading and trailing blanks", "  \n x \n", "x", 64},
    {"a cut never splits a character", "ab\xe2\x82\xac", "ab", 5},
    {"a cut at the end of a character", "ab\xe2\x82\xac", "ab\xe2\x82\xac", 6},
    {"empty", "", "", 8},
};

START_TEST(test_one_line) {
  char out[64];
  size_t n =
      om_text_one_line(LINES[_i].in, strlen(LINES[_i].in), out, LINES[_i].cap);
  ck_assert_msg(strcmp(out, LINES[_i].want) == 0, "%s: got \"%s\"",
                LINES[_i].why, out);
  ck_assert_uint_eq(n, strlen(out));
}
END_TEST

START_TEST(test_one_line_stops_at_len) {
  char out[16];
  om_text_one_line("abc\0def", 7, out, sizeof(out)); /* NUL: a control */
  ck_assert_str_eq(out, "abc def");
  om_text_one_line("abcdef", 3, out, sizeof(out));
  ck_assert_str_eq(out, "abc");
}
END_TEST

/* Go: strconv.FormatFloat(v, 'g', -1, 64) (from 6) and fmt %v (from 21). */
static const struct {
  double v;
  int from;
  const char *want;
} DOUBLES[] = {
    {0.25, 6, "0.25"},
    {5432, 6, "5432"},
    {1e6, 6, "1e+06"},
    {1e6, 21, "1000000"},
    {1.5e-5, 21, "1.5e-05"},
    {123456.75, 6, "123456.75"},
    {1234567.5, 6, "1.2345675e+06"},
    {1234567.5, 21, "1234567.5"},
    {0.1, 6, "0.1"},
    {-2.5, 6, "-2.5"},
    {1e21, 21, "1e+21"},
    {9.999999999999999e-05, 6, "9.999999999999999e-05"},
};

START_TEST(test_shortest_double) {
  char out[32];
  om_format_double(DOUBLES[_i].v, DOUBLES[_i].from, out, sizeof(out));
  ck_assert_str_eq(out, DOUBLES[_i].want);
}
END_TEST

START_TEST(test_glob_any) {
  const char *const globs[] = {"go_*", "process_[co]*"};
  ck_assert(om_glob_any(globs, 2, "go_goroutines"));
  ck_assert(om_glob_any(globs, 2, "process_open_fds"));
  ck_assert(!om_glob_any(globs, 2, "process_max_fds"));
  ck_assert(!om_glob_any(globs, 0, "go_goroutines"));
}
END_TEST

START_TEST(test_regex_compile) {
  regex_t re;
  char err[256];
  ck_assert_int_eq(om_regex_compile(&re, "^(sd|nvme)[0-9]+", err, sizeof(err)),
                   0);
  ck_assert_int_eq(regexec(&re, "nvme0", 0, NULL, 0), 0);
  ck_assert_int_ne(regexec(&re, "loop0", 0, NULL, 0), 0);
  regfree(&re);
  /* an escaped backslash before a d is a backslash and a d */
  ck_assert_int_eq(om_regex_compile(&re, "a\\\\d", err, sizeof(err)), 0);
  regfree(&re);
  ck_assert_int_eq(om_regex_compile(&re, "pod_\\d+", err, sizeof(err)), -1);
  ck_assert_str_eq(err, "\"pod_\\d+\" uses \\d, which POSIX regular "
                        "expressions do not have: write [0-9] (or [^0-9]) "
                        "instead");
  ck_assert_int_eq(om_regex_compile(&re, "[^\\D]", err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "uses \\D"));
  ck_assert_int_eq(om_regex_compile(&re, "(", err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(
      strstr(err, "\"(\" is not a POSIX extended regular expression: "));
}
END_TEST

static Suite *text_suite(void) {
  Suite *s = suite_create("text");
  TCase *tc = tcase_create("text");
  tcase_add_loop_test(tc, test_one_line, 0, sizeof(LINES) / sizeof(LINES[0]));
  tcase_add_test(tc, test_one_line_stops_at_len);
  tcase_add_loop_test(tc, test_shortest_double, 0,
                      sizeof(DOUBLES) / sizeof(DOUBLES[0]));
  tcase_add_test(tc, test_glob_any);
  tcase_add_test(tc, test_regex_compile);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(text_suite)

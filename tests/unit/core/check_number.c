/* Sample values and timestamps of the text format. */
#include "check_main.h"
#include "om_number.h"

#include <locale.h>
#include <math.h>
#include <string.h>

typedef struct {
  const char *why;
  const char *in;
  bool ok;
  double want;
} double_case;

static const double_case double_cases[] = {
    {"integer", "42", true, 42},
    {"negative", "-3", true, -3},
    {"explicit plus", "+7", true, 7},
    {"fraction", "0.25", true, 0.25},
    {"no leading digit", ".5", true, 0.5},
    {"no fraction digits", "5.", true, 5},
    {"exponent", "5.6075904e+07", true, 5.6075904e+07},
    {"negative exponent", "1e-08", true, 1e-08},
    {"go shortest form", "9.999999999999999e-06", true, 9.999999999999999e-06},
    {"huge", "1.8446744073709552e+19", true, 1.8446744073709552e+19},
    {"many digits", "0.12345678901234567890123", true,
     0.12345678901234567890123},
    {"tiny", "4.9e-324", true, 4.9e-324},
    {"zero", "0", true, 0},
    {"hex float", "0x1p-2", true, 0.25},
    {"+Inf", "+Inf", true, INFINITY},
    {"-Inf", "-Inf", true, -INFINITY},
    {"Inf", "Inf", true, INFINITY},
    {"infinity lower", "infinity", true, INFINITY},
    {"empty", "", false, 0},
    {"sign only", "-", false, 0},
    {"dot only", ".", false, 0},
    {"two dots", "1.2.3", false, 0},
    {"trailing letter", "12a", false, 0},
    {"exponent without digits", "1e", false, 0},
    {"exponent sign only", "1e+", false, 0},
    {"overflow", "1e400", false, 0},
    {"signed NaN", "+NaN", false, 0},
    {"word", "abc", false, 0},
    {"comma decimal", "0,5", false, 0},
    {"leading blank", " 1", false, 0},
    {"underscore", "1_000", false, 0},
    {"too long for fallback",
     "0.000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000001",
     false, 0},
};

START_TEST(test_parse_double) {
  const double_case *c = &double_cases[_i];
  size_t len = strlen(c->in);
  char *in = om_test_exact_copy(c->in, len);
  double got = -12345;
  bool ok = om_parse_double(in, len, &got);
  free(in);
  ck_assert_msg(ok == c->ok, "%s: \"%s\" ok=%d, want %d", c->why, c->in, ok,
                c->ok);
  if (c->ok)
    ck_assert_msg(got == c->want, "%s: \"%s\" gave %.17g, want %.17g", c->why,
                  c->in, got, c->want);
  else
    ck_assert_msg(got == -12345, "%s: output touched on failure", c->why);
}
END_TEST

START_TEST(test_parse_nan) {
  double v = 0;
  ck_assert(om_parse_double("NaN", 3, &v) && isnan(v));
  ck_assert(om_parse_double("nan", 3, &v) && isnan(v));
}
END_TEST

START_TEST(test_locale_independent) {
  /* A decimal-comma locale must not change how "0.5" reads, when such a
   * locale exists on this machine; the fallback path is used either way. */
  const char *old = setlocale(LC_NUMERIC, NULL);
  char saved[64];
  strncpy(saved, old ? old : "C", sizeof(saved) - 1);
  saved[sizeof(saved) - 1] = '\0';
  setlocale(LC_NUMERIC, "de_DE.UTF-8");
  double v = 0;
  ck_assert(om_parse_double("0.5", 3, &v) && v == 0.5);
  const char *slow = "0.1234567890123456789012345";
  ck_assert(om_parse_double(slow, strlen(slow), &v) &&
            fabs(v - 0.1234567890123456789012345) < 1e-17);
  setlocale(LC_NUMERIC, saved);
}
END_TEST

typedef struct {
  const char *why;
  const char *in;
  bool ok;
  int64_t want;
} int_case;

static const int_case int_cases[] = {
    {"milliseconds", "1395066363000", true, 1395066363000},
    {"negative", "-1", true, -1},
    {"max", "9223372036854775807", true, INT64_MAX},
    {"min", "-9223372036854775808", true, INT64_MIN},
    {"overflow", "9223372036854775808", false, 0},
    {"negative overflow", "-9223372036854775809", false, 0},
    {"fraction", "1.5", false, 0},
    {"empty", "", false, 0},
    {"sign only", "+", false, 0},
};

START_TEST(test_parse_int64) {
  const int_case *c = &int_cases[_i];
  size_t len = strlen(c->in);
  char *in = om_test_exact_copy(c->in, len);
  int64_t got = 0;
  bool ok = om_parse_int64(in, len, &got);
  free(in);
  ck_assert_msg(ok == c->ok, "%s: ok=%d", c->why, ok);
  if (ok)
    ck_assert_msg(got == c->want, "%s: got %lld", c->why, (long long)got);
}
END_TEST

static Suite *number_suite(void) {
  Suite *s = suite_create("number");
  TCase *tc = tcase_create("parse");
  tcase_add_loop_test(tc, test_parse_double, 0,
                      sizeof(double_cases) / sizeof(double_cases[0]));
  tcase_add_test(tc, test_parse_nan);
  tcase_add_test(tc, test_locale_independent);
  tcase_add_loop_test(tc, test_parse_int64, 0,
                      sizeof(int_cases) / sizeof(int_cases[0]));
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(number_suite)

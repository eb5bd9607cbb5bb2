/* HTTP header lines and Retry-After (om_http_header): delay-seconds and
 * the three forms of HTTP-date, each refusal of what is neither. The
 * instants are Python's calendar.timegm. */
#include "check_main.h"
#include "om_http_header.h"

#include <string.h>

#define NOV6_1994 784111777.0 /* Sun, 06 Nov 1994 08:49:37 GMT */

static double after(const char *value, double now) {
  return om_http_retry_after(om_slice_from_cstr(value), now, 3600);
}

START_TEST(test_retry_after_forms) {
  ck_assert(after("120", 0) == 120);
  ck_assert(after("0", 0) == 0);
  ck_assert(after("999999", 0) == 3600); /* capped */
  ck_assert(after("Sun, 06 Nov 1994 08:49:37 GMT", NOV6_1994 - 30) == 30);
  ck_assert(after("Sunday, 06-Nov-94 08:49:37 GMT", NOV6_1994 - 30) == 30);
  ck_assert(after("Sun Nov  6 08:49:37 1994", NOV6_1994 - 30) == 30);
  ck_assert(after("Sun Nov 16 08:49:37 1994", NOV6_1994) == 3600);
  ck_assert(after("Sun, 06 Nov 1994 08:49:37 GMT", NOV6_1994 + 5) == 0);
  ck_assert(after("Tue, 01 Dec 2026 23:59:59 GMT", 1796169599.0 - 7) == 7);
}
END_TEST

START_TEST(test_retry_after_refusals) {
  static const char *const bad[] = {
      "",
      "-5",
      "1.5",
      "12a",
      "1234567890",
      "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sun, 31 Feb 1994 08:49:37 GMT",
      "Sun, 06 Foo 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 08:49 GMT",
      "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun Nov 6 08:49:37 1994",
      "Sun, 06 Nov 1994 08:49:37 GMT trailing",
      "Sun, 06 Nov 1994 08:49:37 GMTSun, 06 Nov 1994 08:49:37 GMTSun, 06 Nov "
      "1994 08:49:37 GMT",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    ck_assert_msg(after(bad[i], 0) == -1, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_header_lines) {
  om_slice v;
  const char *line = "retry-after:  42 \r\n";
  ck_assert(om_http_header_is(line, strlen(line), "Retry-After", &v));
  ck_assert(om_slice_eq_cstr(v, "42"));
  line = "Retry-After-Not: 1\r\n";
  ck_assert(!om_http_header_is(line, strlen(line), "Retry-After", &v));
  line = "Retry-After";
  ck_assert(!om_http_header_is(line, strlen(line), "Retry-After", &v));
  line = "Retry-After:\r\n";
  ck_assert(om_http_header_is(line, strlen(line), "Retry-After", &v));
  ck_assert_uint_eq(v.len, 0);
  ck_assert(om_http_header_is_status("HTTP/1.1 429 Too Many\r\n", 23));
  ck_assert(!om_http_header_is_status("HTTP", 4));
}
END_TEST

static Suite *header_suite(void) {
  Suite *s = suite_create("http_header");
  TCase *tc = tcase_create("http_header");
  tcase_add_test(tc, test_retry_after_forms);
  tcase_add_test(tc, test_retry_after_refusals);
  tcase_add_test(tc, test_header_lines);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(header_suite)

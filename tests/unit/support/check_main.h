/* The main() every Check suite shares: runs the suite and exits non-zero
 * on any failure. Check prints its own summary line
 * ("100%: Checks: N, Failures: 0, Errors: 0"), which tests/run-all counts. */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define OM_CHECK_MAIN(make_suite)                                              \
  int main(void) {                                                             \
    SRunner *sr = srunner_create(make_suite());                                \
    srunner_run_all(sr, CK_NORMAL);                                            \
    int failed = srunner_ntests_failed(sr);                                    \
    srunner_free(sr);                                                          \
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                          \
  }

/* A copy of s in a buffer of exactly len bytes (no terminator), so that
 * AddressSanitizer and valgrind catch any read past the end. */
static inline char *om_test_exact_copy(const char *s, size_t len) {
  char *p = malloc(len ? len : 1);
  for (size_t i = 0; i < len; i++)
    p[i] = s[i];
  return p;
}

#endif

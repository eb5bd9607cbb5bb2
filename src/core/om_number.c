/* Locale-independent number parsing for the text format.
 *
 * Ordinary decimals (at most 19 significant digits, mantissa up to 2^53,
 * decimal exponent within +-22) are converted exactly with one
 * multiplication or division by an exact power of ten. Everything else goes
 * through strtod_l() under the "C" locale, so a daemon whose locale uses a
 * decimal comma still reads "0.5" as one half. */
#define _GNU_SOURCE
#include "om_number.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FALLBACK_MAX_LEN 127

static const double exact_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void) {
  c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static bool ieq(const char *s, size_t len, const char *word) {
  size_t wlen = strlen(word);
  if (len != wlen)
    return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != word[i])
      return false;
  }
  return true;
}

static bool parse_special(const char *s, size_t len, bool negative,
                          bool has_sign, double *out) {
  if (ieq(s, len, "inf") || ieq(s, len, "infinity")) {
    *out = negative ? -INFINITY : INFINITY;
    return true;
  }
  if (!has_sign && ieq(s, len, "nan")) {
    *out = NAN;
    return true;
  }
  return false;
}

/* strtod_l on a bounded, terminated copy; rejects overflow like Go does. */
static bool parse_fallback(const char *s, size_t len, double *out) {
  char buf[FALLBACK_MAX_LEN + 1];
  if (len == 0 || len > FALLBACK_MAX_LEN)
    return false;
  for (size_t i = 0; i < len; i++) {
    /* strtod skips leading blanks and accepts things Go does not. */
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
          (c >= 'A' && c <= 'F') || c == '.' || c == '+' || c == '-' ||
          c == 'x' || c == 'X' || c == 'p' || c == 'P'))
      return false;
  }
  memcpy(buf, s, len);
  buf[len] = '\0';
  pthread_once(&c_locale_once, c_locale_init);
  if (c_locale == (locale_t)0)
    return false;
  char *end = NULL;
  errno = 0;
  double v = strtod_l(buf, &end, c_locale);
  if (end != buf + len)
    return false;
  if (errno == ERANGE && isinf(v))
    return false;
  *out = v;
  return true;
}

bool om_parse_double(const char *s, size_t len, double *out) {
  size_t i = 0;
  bool negative = false, has_sign = false;
  if (len == 0)
    return false;
  if (s[0] == '+' || s[0] == '-') {
    negative = (s[0] == '-');
    has_sign = true;
    i = 1;
  }
  if (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
    return parse_special(s + i, len - i, negative, has_sign, out);
  if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
    return parse_fallback(s, len, out);

  uint64_t mantissa = 0;
  int significant = 0, exp10 = 0, digits = 0;
  bool too_precise = false;
  for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
    if (significant < 19) {
      mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
      if (mantissa != 0)
        significant++;
    } else {
      too_precise = true;
      exp10++;
    }
  }
  if (i < len && s[i] == '.') {
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
      if (significant < 19) {
        mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
        if (mantissa != 0)
          significant++;
        exp10--;
      } else {
        too_precise = true;
      }
    }
  }
  if (digits == 0)
    return false;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool exp_negative = false;
    int exp_value = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
      exp_negative = (s[i] == '-');
      i++;
    }
    size_t exp_digits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, exp_digits++)
      if (exp_value < 100000)
        exp_value = exp_value * 10 + (s[i] - '0');
    if (exp_digits == 0 || i != len)
      return false;
    exp10 += exp_negative ? -exp_value : exp_value;
  }
  if (i != len)
    return false;

  if (mantissa == 0) {
    *out = negative ? -0.0 : 0.0;
    return true;
  }
  if (!too_precise && mantissa <= (UINT64_C(1) << 53) && exp10 >= -22 &&
      exp10 <= 22) {
    double v = (double)mantissa;
    v = exp10 < 0 ? v / exact_pow10[-exp10] : v * exact_pow10[exp10];
    *out = negative ? -v : v;
    return true;
  }
  return parse_fallback(s, len, out);
}

bool om_parse_int64(const char *s, size_t len, int64_t *out) {
  size_t i = 0;
  bool negative = false;
  if (len > 0 && (s[0] == '+' || s[0] == '-')) {
    negative = (s[0] == '-');
    i = 1;
  }
  if (i == len)
    return false;
  uint64_t limit = negative ? (UINT64_C(1) << 63) : (UINT64_C(1) << 63) - 1;
  uint64_t v = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    uint64_t d = (uint64_t)(s[i] - '0');
    if (v > (limit - d) / 10)
      return false;
    v = v * 10 + d;
  }
  if (negative)
    *out = (v == (UINT64_C(1) << 63)) ? INT64_MIN : -(int64_t)v;
  else
    *out = (int64_t)v;
  return true;
}

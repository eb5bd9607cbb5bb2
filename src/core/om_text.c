/* Text shared by several rooms; see om_text.h. */
#include "om_text.h"
#include "om_types.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_space_or_control(unsigned char c) {
  return c <= 0x20 || c == 0x7f;
}

size_t om_text_one_line(const char *s, size_t len, char *out, size_t cap) {
  size_t o = 0;
  bool space = false; /* a space is owed before the next character */
  if (cap == 0)
    return 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (is_space_or_control(c)) {
      space = o > 0;
      i++;
      continue;
    }
    size_t n = om_utf8_sequence(s + i, len - i);
    const char *piece = n ? s + i : "?";
    size_t piece_len = n ? n : 1;
    if (o + (space ? 1 : 0) + piece_len + 1 > cap)
      break;
    if (space)
      out[o++] = ' ';
    space = false;
    memcpy(out + o, piece, piece_len);
    o += piece_len;
    i += n ? n : 1;
  }
  out[o] = '\0';
  return o;
}

/* The fewest significant digits (1..17) that read back to v. */
static int shortest_digits(double v) {
  char buf[40];
  for (int p = 1; p < 17; p++) {
    snprintf(buf, sizeof(buf), "%.*e", p - 1, v);
    if (strtod(buf, NULL) == v)
      return p;
  }
  return 17;
}

void om_format_double(double v, int exp_from, char *out, size_t cap) {
  if (isinf(v)) {
    snprintf(out, cap, "%s", v > 0 ? "+Inf" : "-Inf");
    return;
  }
  if (isnan(v)) {
    snprintf(out, cap, "NaN");
    return;
  }
  if (v == 0) {
    snprintf(out, cap, "%s", signbit(v) ? "-0" : "0");
    return;
  }
  int digits = shortest_digits(v);
  char sci[40];
  snprintf(sci, sizeof(sci), "%.*e", digits - 1, v);
  int exp = atoi(strchr(sci, 'e') + 1);
  if (exp < -4 || exp >= exp_from) {
    snprintf(out, cap, "%s", sci); /* C and Go agree: 1e+06, 1.5e-05 */
    return;
  }
  int decimals = digits - 1 - exp;
  snprintf(out, cap, "%.*f", decimals > 0 ? decimals : 0, v);
}

bool om_glob_any(const char *const *patterns, size_t num, const char *name) {
  for (size_t i = 0; i < num; i++)
    if (fnmatch(patterns[i], name, 0) == 0)
      return true;
  return false;
}

bool om_glob_choose(const char *const *include, size_t include_num,
                    const char *const *exclude, size_t exclude_num,
                    const char *name) {
  if (include_num > 0 && !om_glob_any(include, include_num, name))
    return false;
  return !om_glob_any(exclude, exclude_num, name);
}

bool om_name_listed(const char *const *names, const char *name) {
  for (; *names != NULL; names++)
    if (strcmp(*names, name) == 0)
      return true;
  return false;
}

/* The first of Go's classes that POSIX ERE lacks in pattern ("\\d" or
 * "\\D", which glibc reads as the letters), or NULL. */
static const char *go_only_class(const char *pattern) {
  for (const char *p = pattern; *p != '\0'; p++) {
    if (*p != '\\')
      continue;
    if (p[1] == 'd' || p[1] == 'D')
      return p;
    if (p[1] != '\0')
      p++;
  }
  return NULL;
}

int om_regex_compile(regex_t *re, const char *pattern, char *err,
                     size_t errlen) {
  const char *bad = go_only_class(pattern);
  if (bad != NULL) {
    snprintf(err, errlen,
             "\"%s\" uses \\%c, which POSIX regular expressions do not "
             "have: write [0-9] (or [^0-9]) instead",
             pattern, bad[1]);
    return -1;
  }
  int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
  if (rc == 0)
    return 0;
  char why[160];
  regerror(rc, re, why, sizeof(why));
  snprintf(err, errlen, "\"%s\" is not a POSIX extended regular expression: %s",
           pattern, why);
  return -1;
}

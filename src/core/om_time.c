/* The calendar, RFC 3339 and the clocks; see om_time.h. */
#include "om_time.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

int64_t om_days_from_civil(int year, int month, int day) {
  int64_t y = (int64_t)year - (month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void om_civil_from_days(int64_t days, int *year, int *month, int *day) {
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = (int)(yoe + era * 400 + (m <= 2));
  *month = m;
  *day = d;
}

int om_days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

int64_t om_floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int om_weekday_from_days(int64_t days) {
  return (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01: Thursday */
}

/* --- RFC 3339 ------------------------------------------------------------- */

/* Reads exactly n digits at *s into *out. */
static bool digits(const char **s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*s)[i];
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  *s += n;
  *out = v;
  return true;
}

static bool expect(const char **s, const char *set) {
  if (**s == '\0' || strchr(set, **s) == NULL)
    return false;
  (*s)++;
  return true;
}

/* The offset part: "Z" or "+HH:MM"; seconds east of UTC into *off. */
static bool read_offset(const char **s, int *off) {
  if (expect(s, "Zz")) {
    *off = 0;
    return true;
  }
  char sign = **s;
  int h, m;
  if (!expect(s, "+-") || !digits(s, 2, &h) || !expect(s, ":") ||
      !digits(s, 2, &m) || h > 23 || m > 59)
    return false;
  *off = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
  return true;
}

/* ".ddd" after the seconds, at most nine digits; 0 when absent. */
static bool read_fraction(const char **s, double *frac) {
  double scale = 0.1;
  *frac = 0;
  if (**s != '.')
    return true;
  (*s)++;
  if (**s < '0' || **s > '9')
    return false;
  for (int i = 0; **s >= '0' && **s <= '9'; i++, (*s)++) {
    if (i >= 9)
      return false;
    *frac += (**s - '0') * scale;
    scale /= 10;
  }
  return true;
}

int om_rfc3339_parse(const char *s, double *out) {
  int y, mo, d, h, mi, se, off;
  double frac;
  if (!digits(&s, 4, &y) || !expect(&s, "-") || !digits(&s, 2, &mo) ||
      !expect(&s, "-") || !digits(&s, 2, &d) || !expect(&s, "Tt ") ||
      !digits(&s, 2, &h) || !expect(&s, ":") || !digits(&s, 2, &mi) ||
      !expect(&s, ":") || !digits(&s, 2, &se))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > om_days_in_month(y, mo) || h > 23 ||
      mi > 59 || se > 60)
    return -1;
  if (!read_fraction(&s, &frac) || !read_offset(&s, &off) || *s != '\0')
    return -1;
  int64_t days = om_days_from_civil(y, mo, d);
  *out = (double)(days * 86400 + h * 3600 + mi * 60 + se - off) + frac;
  return 0;
}

/* --- clocks --------------------------------------------------------------- */

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double om_monotonic_s(void) { return clock_s(CLOCK_MONOTONIC); }

double om_wall_s(void) { return clock_s(CLOCK_REALTIME); }

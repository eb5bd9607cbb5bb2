/* HTTP header lines and Retry-After; see om_http_header.h. */
#include "om_http_header.h"
#include "om_time.h"

#include <string.h>
#include <strings.h>

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool om_http_header_is(const char *line, size_t len, const char *name,
                       om_slice *value) {
  size_t n = strlen(name);
  if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
    return false;
  size_t start = n + 1, end = len;
  while (start < end && is_blank(line[start]))
    start++;
  while (end > start && is_blank(line[end - 1]))
    end--;
  *value = (om_slice){line + start, end - start};
  return true;
}

bool om_http_header_is_status(const char *line, size_t len) {
  return len >= 5 && memcmp(line, "HTTP/", 5) == 0;
}

/* --- HTTP-date ------------------------------------------------------------ */

typedef struct {
  const char *p, *end;
} cursor;

static bool take(cursor *c, const char *text) {
  size_t n = strlen(text);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, text, n) != 0)
    return false;
  c->p += n;
  return true;
}

/* min to max digits into *out. */
static bool digits(cursor *c, int min, int max, int *out) {
  int n = 0, v = 0;
  while (c->p < c->end && n < max && *c->p >= '0' && *c->p <= '9') {
    v = v * 10 + (*c->p++ - '0');
    n++;
  }
  *out = v;
  return n >= min;
}

/* A three-letter month name: 1 to 12, or 0. */
static int month(cursor *c) {
  static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (c->end - c->p < 3)
    return 0;
  for (int m = 0; m < 12; m++)
    if (memcmp(c->p, names + 3 * m, 3) == 0) {
      c->p += 3;
      return m + 1;
    }
  return 0;
}

/* "HH:MM:SS" into seconds of the day. */
static bool clock_time(cursor *c, int *secs) {
  int h, m, s;
  if (!digits(c, 2, 2, &h) || !take(c, ":") || !digits(c, 2, 2, &m) ||
      !take(c, ":") || !digits(c, 2, 2, &s) || h > 23 || m > 59 || s > 60)
    return false;
  *secs = h * 3600 + m * 60 + s;
  return true;
}

/* Skips the day name and what follows it: ", " (IMF-fixdate and RFC 850,
 * whose day names are long) or " " (asctime). */
static bool day_name(cursor *c, bool *asctime) {
  while (c->p < c->end &&
         ((*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z')))
    c->p++;
  *asctime = !take(c, ", ");
  return !*asctime || take(c, " ");
}

/* Seconds since the epoch of an HTTP-date, or -1. */
static double http_date(om_slice v) {
  cursor c = {v.ptr, v.ptr + v.len};
  int day = 0, mon = 0, year = 0, secs = 0;
  bool asctime = false;
  if (!day_name(&c, &asctime))
    return -1;
  if (asctime) { /* "Nov  6 08:49:37 1994" */
    if ((mon = month(&c)) == 0 || !take(&c, " ") ||
        (take(&c, " ") ? !digits(&c, 1, 1, &day) : !digits(&c, 2, 2, &day)) ||
        !take(&c, " ") || !clock_time(&c, &secs) || !take(&c, " ") ||
        !digits(&c, 4, 4, &year))
      return -1;
  } else { /* "06 Nov 1994 08:49:37 GMT" or "06-Nov-94 08:49:37 GMT" */
    if (!digits(&c, 2, 2, &day))
      return -1;
    bool rfc850 = take(&c, "-");
    if (!rfc850 && !take(&c, " "))
      return -1;
    if ((mon = month(&c)) == 0 || !take(&c, rfc850 ? "-" : " ") ||
        !digits(&c, rfc850 ? 2 : 4, rfc850 ? 2 : 4, &year) || !take(&c, " ") ||
        !clock_time(&c, &secs) || !take(&c, " GMT"))
      return -1;
    if (rfc850) /* 70-99: 19xx, 00-69: 20xx (a fixed pivot) */
      year += year < 70 ? 2000 : 1900;
  }
  if (c.p != c.end || day < 1 || day > om_days_in_month(year, mon))
    return -1;
  return (double)(om_days_from_civil(year, mon, day) * 86400 + secs);
}

double om_http_retry_after(om_slice value, double now, double max_s) {
  if (value.len == 0 || value.len > OM_HTTP_HEADER_VALUE_MAX)
    return -1;
  double delay;
  int secs = 0;
  cursor c = {value.ptr, value.ptr + value.len};
  if (digits(&c, 1, 9, &secs) && c.p == c.end) {
    delay = secs;
  } else {
    double at = http_date(value);
    if (at < 0)
      return -1;
    delay = at - now;
  }
  if (delay < 0)
    delay = 0;
  return delay > max_s ? max_s : delay;
}

/* Time zones from TZif bytes and POSIX TZ rules (see om_tz.h). */
#include "om_tz.h"
#include "om_time.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRANSITIONS 4096
#define MAX_TYPES 256
#define HEADER_SIZE 44
#define DAY 86400

typedef enum { DATE_MONTH_WEEK_DAY, DATE_JULIAN_1, DATE_ZERO_BASED } date_form;

typedef struct {
  date_form form;
  int month, week, day; /* Mm.w.d, or day alone for Jn and n */
  int32_t time;         /* seconds after local midnight, may be negative */
} rule_date;

typedef struct {
  bool present;
  int32_t std_offset; /* east positive */
  bool has_dst;
  int32_t dst_offset;
  rule_date start, end;
} posix_rule;

struct om_tz {
  int64_t *times; /* transitions, ascending */
  uint8_t *index; /* type of each transition */
  size_t times_num;
  int32_t offsets[MAX_TYPES];
  size_t types_num;
  posix_rule rule; /* after the last transition */
};

void om_tz_free(om_tz *tz) {
  if (tz == NULL)
    return;
  free(tz->times);
  free(tz->index);
  free(tz);
}

/* --- POSIX TZ rules ------------------------------------------------------- */

typedef struct {
  const char *p;
  bool bad;
} cursor;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Steps over ch; anything else (the terminator too, which the cursor never
 * passes) makes the rule bad. */
static void expect(cursor *c, char ch) {
  if (*c->p == ch)
    c->p++;
  else
    c->bad = true;
}

/* An unsigned number of at most 3 digits in [lo, hi]. */
static int number(cursor *c, int lo, int hi) {
  int v = 0, digits = 0;
  while (is_digit(*c->p) && digits < 3) {
    v = v * 10 + (*c->p - '0');
    c->p++;
    digits++;
  }
  if (digits == 0 || v < lo || v > hi)
    c->bad = true;
  return v;
}

/* Zone abbreviation: at least three letters, or <...> quoted. */
static void abbreviation(cursor *c) {
  size_t n = 0;
  if (*c->p == '<') {
    c->p++;
    while (*c->p != '\0' && *c->p != '>') {
      c->p++;
      n++;
    }
    if (*c->p != '>')
      c->bad = true;
    else
      c->p++;
  } else {
    while (is_alpha(*c->p)) {
      c->p++;
      n++;
    }
  }
  if (n < 3)
    c->bad = true;
}

/* [+-]hh[:mm[:ss]] in seconds, hours up to max_hours. */
static int32_t hms(cursor *c, int max_hours) {
  int sign = 1;
  if (*c->p == '+' || *c->p == '-')
    sign = *c->p++ == '-' ? -1 : 1;
  int32_t s = number(c, 0, max_hours) * 3600;
  if (*c->p == ':') {
    c->p++;
    s += number(c, 0, 59) * 60;
    if (*c->p == ':') {
      c->p++;
      s += number(c, 0, 59);
    }
  }
  return sign * s;
}

static bool at_offset(const cursor *c) {
  return is_digit(*c->p) || *c->p == '+' || *c->p == '-';
}

static rule_date date_part(cursor *c) {
  rule_date d = {.time = 2 * 3600};
  if (*c->p == 'M') {
    c->p++;
    d.form = DATE_MONTH_WEEK_DAY;
    d.month = number(c, 1, 12);
    expect(c, '.');
    d.week = number(c, 1, 5);
    expect(c, '.');
    d.day = number(c, 0, 6);
  } else if (*c->p == 'J') {
    c->p++;
    d.form = DATE_JULIAN_1;
    d.day = number(c, 1, 365);
  } else {
    d.form = DATE_ZERO_BASED;
    d.day = number(c, 0, 365);
  }
  if (*c->p == '/') {
    c->p++;
    d.time = hms(c, 167);
  }
  return d;
}

static int parse_rule(const char *s, posix_rule *r) {
  cursor c = {s, false};
  memset(r, 0, sizeof(*r));
  abbreviation(&c);
  /* POSIX offsets count west of Greenwich as positive */
  r->std_offset = -hms(&c, 24);
  if (!c.bad && *c.p != '\0') {
    r->has_dst = true;
    abbreviation(&c);
    r->dst_offset = at_offset(&c) ? -hms(&c, 24) : r->std_offset + 3600;
    expect(&c, ','); /* tzdata always spells the rule out */
    if (!c.bad)
      r->start = date_part(&c);
    expect(&c, ',');
    if (!c.bad)
      r->end = date_part(&c);
  }
  if (c.bad || *c.p != '\0')
    return -1;
  r->present = true;
  return 0;
}

/* Days since the epoch of a rule date in a given year. */
static int64_t rule_day(const rule_date *d, int year) {
  int64_t jan1 = om_days_from_civil(year, 1, 1);
  if (d->form == DATE_JULIAN_1)
    return jan1 + d->day - 1 +
           (om_days_in_month(year, 2) == 29 && d->day >= 60);
  if (d->form == DATE_ZERO_BASED)
    return jan1 + d->day;
  int64_t first = om_days_from_civil(year, d->month, 1);
  int dow1 = om_weekday_from_days(first);
  int mday = 1 + (d->day - dow1 + 7) % 7 + (d->week - 1) * 7;
  while (mday > om_days_in_month(year, d->month))
    mday -= 7;
  return first + mday - 1;
}

static int32_t rule_offset(const posix_rule *r, int64_t t) {
  if (!r->has_dst)
    return r->std_offset;
  int year, month, day;
  om_civil_from_days(om_floor_div(t + r->std_offset, DAY), &year, &month, &day);
  /* the switch to summer time happens in standard time, back in summer */
  int64_t start =
      rule_day(&r->start, year) * DAY + r->start.time - r->std_offset;
  int64_t end = rule_day(&r->end, year) * DAY + r->end.time - r->dst_offset;
  bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? r->dst_offset : r->std_offset;
}

om_tz *om_tz_parse_rule(const char *rule, char *err, size_t errlen) {
  om_tz *tz = calloc(1, sizeof(*tz));
  if (tz == NULL) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (parse_rule(rule, &tz->rule) != 0) {
    snprintf(err, errlen, "\"%.64s\" is not a POSIX TZ rule this plugin reads",
             rule);
    om_tz_free(tz);
    return NULL;
  }
  return tz;
}

/* --- TZif ----------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

static int64_t be64(const unsigned char *p) {
  return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct {
  uint32_t isut, isstd, leap, time, type, chars;
} counts;

static int read_header(const unsigned char *d, size_t len, counts *n) {
  if (len < HEADER_SIZE || memcmp(d, "TZif", 4) != 0)
    return -1;
  n->isut = be32(d + 20);
  n->isstd = be32(d + 24);
  n->leap = be32(d + 28);
  n->time = be32(d + 32);
  n->type = be32(d + 36);
  n->chars = be32(d + 40);
  return 0;
}

static size_t block_size(const counts *n, size_t time_size) {
  return (size_t)n->time * (time_size + 1) + (size_t)n->type * 6 + n->chars +
         (size_t)n->leap * (time_size + 4) + n->isstd + n->isut;
}

static int fail(char *err, size_t errlen, const char *why) {
  snprintf(err, errlen, "%s", why);
  return -1;
}

/* The 64-bit data block of a v2+ file, starting at its header. */
static int read_block(om_tz *tz, const unsigned char *d, size_t len, char *err,
                      size_t errlen, size_t *end) {
  counts n;
  if (read_header(d, len, &n) != 0)
    return fail(err, errlen, "the second TZif header is missing");
  if (n.time > MAX_TRANSITIONS || n.type == 0 || n.type > MAX_TYPES)
    return fail(err, errlen, "too many transitions or types");
  size_t need = HEADER_SIZE + block_size(&n, 8);
  if (need > len)
    return fail(err, errlen, "the file is truncated");
  const unsigned char *p = d + HEADER_SIZE;
  tz->times = calloc(n.time + 1, sizeof(*tz->times));
  tz->index = calloc(n.time + 1, 1);
  if (tz->times == NULL || tz->index == NULL)
    return fail(err, errlen, "out of memory");
  for (uint32_t i = 0; i < n.time; i++) {
    tz->times[i] = be64(p + 8 * i);
    if (i > 0 && tz->times[i] <= tz->times[i - 1])
      return fail(err, errlen, "transitions are not ascending");
  }
  p += 8 * (size_t)n.time;
  for (uint32_t i = 0; i < n.time; i++) {
    if (p[i] >= n.type)
      return fail(err, errlen, "a transition names a type that does not exist");
    tz->index[i] = p[i];
  }
  p += n.time;
  for (uint32_t i = 0; i < n.type; i++) {
    int32_t off = (int32_t)be32(p + 6 * i);
    if (off < -25 * 3600 || off > 26 * 3600)
      return fail(err, errlen, "a UTC offset is out of range");
    tz->offsets[i] = off;
  }
  tz->times_num = n.time;
  tz->types_num = n.type;
  *end = need;
  return 0;
}

static int read_footer(om_tz *tz, const unsigned char *d, size_t len, char *err,
                       size_t errlen) {
  if (len < 2 || d[0] != '\n')
    return fail(err, errlen, "the footer is missing");
  const unsigned char *nl = memchr(d + 1, '\n', len - 1);
  if (nl == NULL || nl - d > 128)
    return fail(err, errlen, "the footer is not terminated");
  if (nl == d + 1)
    return 0; /* no rule: the last transition holds forever */
  char rule[129];
  memcpy(rule, d + 1, (size_t)(nl - d - 1));
  rule[nl - d - 1] = '\0';
  if (parse_rule(rule, &tz->rule) != 0)
    return fail(err, errlen, "the footer's TZ rule is not understood");
  return 0;
}

om_tz *om_tz_parse(const unsigned char *data, size_t len, char *err,
                   size_t errlen) {
  counts n;
  if (len > OM_TZ_MAX_FILE_BYTES || read_header(data, len, &n) != 0) {
    snprintf(err, errlen, "not a TZif file");
    return NULL;
  }
  if (data[4] < '2') {
    snprintf(err, errlen, "TZif version 1 files are not supported");
    return NULL;
  }
  size_t v1 = HEADER_SIZE + block_size(&n, 4);
  om_tz *tz = calloc(1, sizeof(*tz));
  size_t used = 0;
  if (tz == NULL || v1 > len ||
      read_block(tz, data + v1, len - v1, err, errlen, &used) != 0 ||
      read_footer(tz, data + v1 + used, len - v1 - used, err, errlen) != 0) {
    if (tz == NULL || v1 > len)
      snprintf(err, errlen, "%s", tz == NULL ? "out of memory" : "truncated");
    om_tz_free(tz);
    return NULL;
  }
  return tz;
}

int32_t om_tz_offset(const om_tz *tz, int64_t t) {
  if (tz == NULL)
    return 0;
  if (tz->times_num == 0 || t >= tz->times[tz->times_num - 1]) {
    if (tz->rule.present)
      return rule_offset(&tz->rule, t);
    return tz->times_num == 0 ? tz->offsets[0]
                              : tz->offsets[tz->index[tz->times_num - 1]];
  }
  if (t < tz->times[0])
    return tz->offsets[0];
  size_t lo = 0, hi = tz->times_num - 1; /* times[lo] <= t < times[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (tz->times[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return tz->offsets[tz->index[lo]];
}

int om_tz_name_valid(const char *name) {
  if (name == NULL || name[0] == '\0' || name[0] == '/' || strlen(name) > 128)
    return 0;
  for (const char *p = name; *p; p++) {
    bool ok = is_alpha(*p) || is_digit(*p) || strchr("_+-/", *p) != NULL;
    if (!ok)
      return 0;
  }
  return strstr(name, "//") == NULL;
}

/* Cron expressions (see om_cron.h). */
#include "om_cron.h"
#include "om_time.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY 86400
#define FIELDS 5

typedef struct {
  const char *name;
  int min, max;
  const char *const *names; /* names[i] stands for min + i, or NULL */
} field_spec;

static const char *const MONTH_NAMES[] = {"jan", "feb", "mar", "apr", "may",
                                          "jun", "jul", "aug", "sep", "oct",
                                          "nov", "dec", NULL};
static const char *const DAY_NAMES[] = {"sun", "mon", "tue", "wed",
                                        "thu", "fri", "sat", NULL};

static const field_spec SPECS[FIELDS] = {
    {"minute", 0, 59, NULL},
    {"hour", 0, 23, NULL},
    {"day of month", 1, 31, NULL},
    {"month", 1, 12, MONTH_NAMES},
    /* 7 is Sunday too */
    {"day of week", 0, 7, DAY_NAMES},
};

static const struct {
  const char *name, *expansion;
} MACROS[] = {
    {"@yearly", "0 0 1 1 *"},  {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

/* A number or a name of the field; -1 when it is neither. */
static int value_of(const field_spec *f, const char *s, size_t len) {
  if (f->names != NULL && len == 3) {
    for (int i = 0; f->names[i] != NULL; i++)
      if (strncasecmp(s, f->names[i], 3) == 0)
        return f->min + i;
  }
  if (len == 0 || len > 2)
    return -1;
  int v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v >= f->min && v <= f->max ? v : -1;
}

static size_t span_until(const char *s, size_t len, const char *stops) {
  size_t i = 0;
  while (i < len && strchr(stops, s[i]) == NULL)
    i++;
  return i;
}

/* One list item: "*", "a", "a-b", each with an optional "/step". */
static int parse_item(const field_spec *f, const char *s, size_t len,
                      uint64_t *bits) {
  size_t body = span_until(s, len, "/");
  int lo, hi, step = 1;
  if (body == 1 && s[0] == '*') {
    lo = f->min;
    hi = f->max;
  } else {
    size_t first = span_until(s, body, "-");
    lo = value_of(f, s, first);
    hi = first < body ? value_of(f, s + first + 1, body - first - 1) : lo;
    if (lo < 0 || hi < 0 || hi < lo)
      return -1;
    if (first == body && body < len)
      hi = f->max; /* "5/15": from 5 to the end */
  }
  if (body < len) {
    char digits[4] = "";
    size_t n = len - body - 1;
    if (n == 0 || n >= sizeof(digits))
      return -1;
    memcpy(digits, s + body + 1, n);
    for (size_t i = 0; i < n; i++)
      if (digits[i] < '0' || digits[i] > '9')
        return -1;
    step = atoi(digits);
    if (step < 1 || step > f->max - f->min + 1)
      return -1;
  }
  for (int v = lo; v <= hi; v += step)
    *bits |= (uint64_t)1 << v;
  return 0;
}

static int parse_field(const field_spec *f, const char *s, size_t len,
                       uint64_t *bits) {
  *bits = 0;
  while (len > 0) {
    size_t item = span_until(s, len, ",");
    if (item == 0 || parse_item(f, s, item, bits) != 0)
      return -1;
    if (item == len)
      break;
    s += item + 1;
    len -= item + 1;
    if (len == 0)
      return -1; /* trailing comma */
  }
  return *bits != 0 ? 0 : -1;
}

static const char *expand_macro(const char *expr) {
  for (size_t i = 0; i < OM_LEN(MACROS); i++)
    if (strcasecmp(expr, MACROS[i].name) == 0)
      return MACROS[i].expansion;
  return NULL;
}

int om_cron_parse(const char *expr, om_cron *out, char *err, size_t errlen) {
  if (expr == NULL || strlen(expr) > OM_CRON_MAX_LENGTH) {
    snprintf(err, errlen, "the expression is missing or too long");
    return -1;
  }
  if (expr[0] == '@') {
    const char *expansion = expand_macro(expr);
    if (expansion == NULL) {
      snprintf(err, errlen,
               "\"%s\" is not one of @yearly, @annually, @monthly, @weekly, "
               "@daily, @midnight, @hourly",
               expr);
      return -1;
    }
    expr = expansion;
  }
  uint64_t bits[FIELDS];
  const char *p = expr;
  for (int i = 0; i < FIELDS; i++) {
    p += strspn(p, " \t");
    size_t len = strcspn(p, " \t");
    if (len == 0) {
      snprintf(err, errlen, "expected 5 fields, found %d", i);
      return -1;
    }
    if (parse_field(&SPECS[i], p, len, &bits[i]) != 0) {
      snprintf(err, errlen, "the %s field \"%.*s\" is not valid (%d-%d%s)",
               SPECS[i].name, (int)len, p, SPECS[i].min, SPECS[i].max,
               SPECS[i].names != NULL ? " or names" : "");
      return -1;
    }
    if (i == 2)
      out->days_any = p[0] == '*';
    if (i == 4)
      out->weekdays_any = p[0] == '*';
    p += len;
  }
  p += strspn(p, " \t");
  if (*p != '\0') {
    snprintf(err, errlen, "expected 5 fields, found more");
    return -1;
  }
  out->minutes = bits[0];
  out->hours = (uint32_t)bits[1];
  out->days = (uint32_t)bits[2];
  out->months = (uint16_t)bits[3];
  /* 7 is Sunday */
  out->weekdays = (uint8_t)((bits[4] | (bits[4] >> 7)) & 0x7f);
  return 0;
}

static bool day_matches(const om_cron *c, int64_t days) {
  int year, month, mday;
  om_civil_from_days(days, &year, &month, &mday);
  if (!(c->months >> month & 1))
    return false;
  int wday = om_weekday_from_days(days);
  bool dom = c->days >> mday & 1;
  bool dow = c->weekdays >> wday & 1;
  return c->days_any || c->weekdays_any ? dom && dow : dom || dow;
}

int64_t om_cron_next(const om_cron *c, const om_tz *tz, int64_t t) {
  /* the next whole minute in UTC, which zones keep whole minutes of */
  int64_t u = (om_floor_div(t, 60) + 1) * 60;
  int64_t horizon = u + (int64_t)OM_CRON_HORIZON_DAYS * DAY;
  while (u <= horizon) {
    int64_t local = u + om_tz_offset(tz, u);
    int64_t days = om_floor_div(local, DAY);
    int64_t second = local - days * DAY;
    if (!day_matches(c, days)) {
      /* to shortly before the next local midnight: a change of offset on
       * the way must not jump over its first minutes */
      int64_t skip = DAY - second - 3 * 3600;
      u += skip >= 3600 ? skip - skip % 60 : 3600 - second % 3600;
      continue;
    }
    int hour = (int)(second / 3600);
    int minute = (int)(second % 3600 / 60);
    if ((c->hours >> hour & 1) && (c->minutes >> minute & 1))
      return u;
    u += 60;
  }
  return -1;
}

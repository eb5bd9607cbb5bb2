/* backup/, pure: includes core/ and backup/.
 *
 * Cron expressions: the five fields of crontab(5) (minute, hour, day of
 * month, month, day of week) with lists, ranges, steps, month and weekday
 * names and the @hourly ... @yearly shorthands, and the next time they
 * fire in a time zone. As in Vixie cron, when both day fields are
 * restricted a day matches either of them. */
#ifndef OM_CRON_H
#define OM_CRON_H

#include "om_tz.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OM_CRON_MAX_LENGTH 256
/* how far om_cron_next looks ahead; "0 0 29 2 1" fires only every few
 * years, "0 0 30 2 *" never */
#define OM_CRON_HORIZON_DAYS (366 * 30)

typedef struct {
  uint64_t minutes;  /* bit n: minute n */
  uint32_t hours;    /* bit n: hour n */
  uint32_t days;     /* bit n: day of month n (1-31) */
  uint16_t months;   /* bit n: month n (1-12) */
  uint8_t weekdays;  /* bit n: weekday n, 0 = Sunday */
  bool days_any;     /* the day-of-month field starts with '*' */
  bool weekdays_any; /* the day-of-week field starts with '*' */
} om_cron;

/* Fails (-1) with a reason naming the field in err. */
int om_cron_parse(const char *expr, om_cron *out, char *err, size_t errlen);

/* The first time after t (Unix seconds) at which the expression fires in
 * zone tz (NULL: UTC), or -1 when it does not fire within the horizon.
 * Local times a daylight-saving change skips do not fire; a repeated hour
 * fires twice. */
int64_t om_cron_next(const om_cron *c, const om_tz *tz, int64_t t);

#endif

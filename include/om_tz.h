/* Time zones from the system's TZif files (/usr/share/zoneinfo), without
 * touching the process's TZ: collectd runs many threads and setenv("TZ")
 * is not safe among them.
 *
 * A zone is its transitions (the 64-bit section of a TZif v2+ file) and,
 * for times after the last transition, the POSIX TZ rule of its footer
 * ("CET-1CEST,M3.5.0,M10.5.0/3"). Rules in the Mm.w.d form are understood,
 * which is what tzdata writes; Jn and n forms are refused. */
#ifndef OM_TZ_H
#define OM_TZ_H

#include <stddef.h>
#include <stdint.h>

#define OM_TZ_MAX_FILE_BYTES (256 * 1024)

typedef struct om_tz om_tz;

/* Parses a TZif file's bytes. NULL with a reason in err on bad input. */
om_tz *om_tz_parse(const unsigned char *data, size_t len, char *err,
                   size_t errlen);
/* Parses a POSIX TZ rule alone ("UTC0", "IST-5:30", "CET-1CEST,M3.5.0,..."). */
om_tz *om_tz_parse_rule(const char *rule, char *err, size_t errlen);
void om_tz_free(om_tz *tz);

/* The offset from UTC in seconds (east positive) in force at time t.
 * A NULL zone is UTC. */
int32_t om_tz_offset(const om_tz *tz, int64_t t);

/* Whether a zone name is a plain relative path of letters, digits and
 * "_+-/" without "." components ("Europe/Berlin", "UTC"). */
int om_tz_name_valid(const char *name);

/* Civil date from days since 1970-01-01, and back (proleptic Gregorian). */
void om_civil_from_days(int64_t days, int *year, int *month, int *day);
int64_t om_days_from_civil(int year, int month, int day);
/* Days in a month (1-12) of a year, February 29 in leap years. */
int om_days_in_month(int year, int month);
/* The weekday of days since 1970-01-01, 0 = Sunday. */
int om_weekday_from_days(int64_t days);
/* a / b rounded towards minus infinity (b > 0). */
int64_t om_floor_div(int64_t a, int64_t b);

#endif

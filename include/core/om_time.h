/* core/, pure: includes only core/.
 *
 * Time without time zones: the proleptic Gregorian calendar in days since
 * 1970-01-01, RFC 3339 timestamps, and the two clocks the plugin reads
 * (seconds as doubles). Time zones are the <Backup> room's (om_tz). */
#ifndef OM_TIME_H
#define OM_TIME_H

#include <stdint.h>

/* Civil date from days since 1970-01-01, and back. */
void om_civil_from_days(int64_t days, int *year, int *month, int *day);
int64_t om_days_from_civil(int year, int month, int day);
/* Days in a month (1-12) of a year, February 29 in leap years. */
int om_days_in_month(int year, int month);
/* The weekday of days since 1970-01-01, 0 = Sunday. */
int om_weekday_from_days(int64_t days);
/* a / b rounded towards minus infinity (b > 0). */
int64_t om_floor_div(int64_t a, int64_t b);

/* Parses an RFC 3339 date-time ("2026-03-19T06:29:17Z", fractions of up
 * to nine digits and numeric offsets allowed) into seconds since the
 * epoch. -1, *out untouched, when it is not one. */
int om_rfc3339_parse(const char *s, double *out);

/* Seconds on CLOCK_MONOTONIC: for deadlines and durations. */
double om_monotonic_s(void);
/* Seconds since the epoch on CLOCK_REALTIME: for timestamps. */
double om_wall_s(void);

#endif

/* backup/, pure: includes core/ and backup/.
 *
 * Time zones from the system's TZif files (/usr/share/zoneinfo), without
 * touching the process's TZ: collectd runs many threads and setenv("TZ")
 * is not safe among them.
 *
 * A zone is its transitions (the 64-bit section of a TZif v2+ file) and,
 * for times after the last transition, the POSIX TZ rule of its footer
 * ("CET-1CEST,M3.5.0,M10.5.0/3"). The three forms of a rule's dates are
 * understood: Mm.w.d (what tzdata writes), Jn (day n of 365, February 29
 * never counted) and n (day n from 0, February 29 counted in leap years).
 * The calendar itself is core's (om_time). */
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

#endif

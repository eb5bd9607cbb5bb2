/* core/, pure: includes only core/.
 *
 * Number parsing for the Prometheus text format, independent of the locale. */
#ifndef OM_NUMBER_H
#define OM_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses a sample value as Go's strconv.ParseFloat accepts it in the text
 * format: decimal with optional sign, fraction and exponent, "NaN", "+Inf",
 * "-Inf" (also "Inf"/"Infinity", any case) and hexadecimal floats.
 * Returns false, leaving *out untouched, when the token is not a number.
 * Reads exactly len bytes; never needs a terminator. */
bool om_parse_double(const char *s, size_t len, double *out);

/* Parses an optionally signed decimal int64 (a timestamp in milliseconds).
 * Returns false on an empty token, a non-digit or overflow. */
bool om_parse_int64(const char *s, size_t len, int64_t *out);

#endif

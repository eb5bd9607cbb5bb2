/* io/, pure: includes only core/.
 *
 * Reading the header lines of an HTTP response, as libcurl hands them
 * over one by one, and the value of Retry-After (RFC 9110, 10.2.3): a
 * number of seconds or an HTTP-date in any of its three forms. Nothing
 * here does I/O. */
#ifndef OM_HTTP_HEADER_H
#define OM_HTTP_HEADER_H

#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>

/* Retry-After values longer than this are not one. */
#define OM_HTTP_HEADER_VALUE_MAX 64

/* Whether the header line (len bytes, "Name: value" with or without its
 * CRLF) is the field name (case-insensitively); then *value is its value,
 * blanks trimmed, a view of line. */
bool om_http_header_is(const char *line, size_t len, const char *name,
                       om_slice *value);

/* Whether the line is a status line ("HTTP/1.1 429 ..."): headers after it
 * belong to a new response. */
bool om_http_header_is_status(const char *line, size_t len);

/* The delay a Retry-After value asks for, in seconds from now (now:
 * seconds since the epoch); at least 0, at most max_s. -1 when the value
 * is neither a number of seconds nor an HTTP-date. */
double om_http_retry_after(om_slice value, double now, double max_s);

#endif

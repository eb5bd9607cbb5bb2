/* host/, pure: includes core/ and host/.
 *
 * Reading the kernel's text files (/proc, /sys): lines, whitespace-
 * separated fields and unsigned decimal numbers, over a buffer owned by
 * the caller. Nothing here allocates or needs a terminator. */
#ifndef OM_HOST_TEXT_H
#define OM_HOST_TEXT_H

#include "om_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a parser skipped of a file: its malformed lines. */
typedef struct {
  size_t malformed; /* lines skipped */
  size_t first_bad; /* the number (from 1) of the first of them; 0: none */
} om_host_parse;

/* Counts line number lineno as malformed. */
void om_host_bad_line(om_host_parse *p, size_t lineno);

/* What a parse of file (its name, for the message) means for its
 * collector: 0 when no line was skipped, else -1 with err (errlen bytes)
 * saying how many lines were unreadable and which came first. */
int om_host_parse_result(const om_host_parse *p, const char *file, char *err,
                         size_t errlen);

/* Takes the next line off *rest into *line (without its '\n'): false when
 * *rest is empty. */
bool om_host_next_line(om_slice *rest, om_slice *line);

/* Splits line at runs of spaces and tabs into at most max fields; returns
 * how many it found, which may be more than max (the rest are not
 * stored). */
size_t om_host_fields(om_slice line, om_slice *fields, size_t max);

/* An unsigned decimal number of 64 bits: false on an empty field, any
 * other byte, or overflow. */
bool om_host_u64(om_slice s, uint64_t *out);

/* Whether s starts with the C string prefix. */
bool om_host_has_prefix(om_slice s, const char *prefix);

/* Copies s into out (cap bytes, NUL-terminated): false when it does not
 * fit or holds a NUL byte. */
bool om_host_copy(om_slice s, char *out, size_t cap);

#endif

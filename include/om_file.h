/* Bounded reads of small files that hold secrets (tokens, passwords). */
#ifndef OM_FILE_H
#define OM_FILE_H

#include <stddef.h>

/* Reads the whole file at path into buf (cap bytes, NUL-terminated) and
 * strips trailing whitespace. Fails when the file cannot be opened, is not
 * a regular file, holds more than cap - 1 bytes, holds a NUL byte or is
 * empty after stripping. On failure err (errlen bytes) says why in words
 * that never include the file's content, and buf is zeroed.
 * Returns the length, or -1. */
long om_read_secret_file(const char *path, char *buf, size_t cap, char *err,
                         size_t errlen);

/* Overwrites n bytes in a way the compiler does not remove. */
void om_wipe(void *p, size_t n);

#endif

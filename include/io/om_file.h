/* io/: includes core/ and system libraries, never collectd.
 *
 * Bounded reads of files: small ones that hold secrets (tokens,
 * passwords), and others read whole into memory. */
#ifndef OM_FILE_H
#define OM_FILE_H

#include "om_buf.h"

#include <stddef.h>

/* Reads the whole file at path into buf (cap bytes, NUL-terminated) and
 * strips trailing whitespace. Fails when the file cannot be opened, is not
 * a regular file, holds more than cap - 1 bytes, holds a NUL byte or is
 * empty after stripping. On failure err (errlen bytes) says why in words
 * that never include the file's content, and buf is zeroed.
 * Returns the length, or -1. */
long om_read_secret_file(const char *path, char *buf, size_t cap, char *err,
                         size_t errlen);

/* Reads the whole regular file at path into out (emptied first), without
 * blocking on a FIFO or device. Fails when the file cannot be opened or
 * read, is not a regular file, holds more than max bytes or grows while
 * being read; then -1 is returned, out is empty, *error holds an errno
 * value (ENOENT: no such file, EFBIG: more than max, EINVAL: not a regular
 * file, EAGAIN: it grew) and err says what happened, naming the path.
 * Release out with om_buf_clear(out, true). */
int om_read_file(const char *path, size_t max, om_buf *out, int *error,
                 char *err, size_t errlen);

/* Reads the whole of a kernel's text file (/proc, /sys), whose size stat
 * does not tell, into out (emptied first): at most max bytes. The same
 * failures as om_read_file (EFBIG: more than max), but for growing, which
 * such a file does not. */
int om_read_kernel_file(const char *path, size_t max, om_buf *out, int *error,
                        char *err, size_t errlen);

/* Overwrites n bytes in a way the compiler does not remove. */
void om_wipe(void *p, size_t n);

#endif

/* io/: includes core/ and system libraries, never collectd.
 *
 * A growable byte buffer with a bound, for what comes from outside whole:
 * HTTP bodies, commands' output, files. Its memory is mapped from the
 * system (mmap) and returned to it when the buffer is emptied for good,
 * so that a large answer in one read thread does not stay behind in the
 * allocator's per-thread arenas (glibc raises its mmap threshold after
 * such a free, and the next large buffers then stay resident: fifteen
 * <Backup> blocks held 158 MB where 40 MB were in use). */
#ifndef OM_BUF_H
#define OM_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char *data; /* NULL until the first append; NUL-terminated after it */
  size_t len;
  size_t cap; /* bytes mapped */
} om_buf;

#define OM_BUF_INIT                                                            \
  { NULL, 0, 0 }

/* Appends n bytes of p, keeping a NUL after them. false, the buffer as it
 * was, when len + n would exceed max or memory runs out. */
bool om_buf_append(om_buf *b, const void *p, size_t n, size_t max);

/* Empties the buffer; with release, its memory goes back to the system
 * (otherwise it is kept for the next use). */
void om_buf_clear(om_buf *b, bool release);

/* The contents, "" when empty. */
const char *om_buf_str(const om_buf *b);

#endif

/* A bounded buffer in mapped memory; see om_buf.h. */
#define _GNU_SOURCE /* mremap */
#include "om_buf.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FIRST_CAP (64 * 1024)

/* Grows the mapping to at least need bytes; false when out of memory. */
static bool grow(om_buf *b, size_t need) {
  size_t cap = b->cap ? b->cap : FIRST_CAP;
  while (cap < need)
    cap *= 2;
  void *p = b->data == NULL ? mmap(NULL, cap, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                            : mremap(b->data, b->cap, cap, MREMAP_MAYMOVE);
  if (p == MAP_FAILED)
    return false;
  b->data = p;
  b->cap = cap;
  return true;
}

bool om_buf_append(om_buf *b, const void *p, size_t n, size_t max) {
  if (n > max || b->len > max - n)
    return false;
  if (b->len + n + 1 > b->cap && !grow(b, b->len + n + 1))
    return false;
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return true;
}

void om_buf_clear(om_buf *b, bool release) {
  if (release && b->data != NULL) {
    munmap(b->data, b->cap);
    b->data = NULL;
    b->cap = 0;
  }
  if (b->data != NULL)
    b->data[0] = '\0';
  b->len = 0;
}

const char *om_buf_str(const om_buf *b) { return b->data ? b->data : ""; }

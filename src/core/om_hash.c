/* The plugin's one hash; see om_hash.h. */
#include "om_hash.h"

#include <string.h>

uint64_t om_hash_bytes(uint64_t h, const void *p, size_t len) {
  const char *s = p;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = om_hash_u64(h, w);
  }
  uint64_t tail = 0;
  memcpy(&tail, s + i, len - i);
  return om_hash_u64(om_hash_u64(h, tail), (uint64_t)len);
}

/* core/, pure: includes only core/.
 *
 * One 64-bit hash for every table and identity of the plugin: the series
 * set, the rows of custom resources, backups already seen and the
 * identity that chooses a series' shard (om_shard.h). It is not
 * cryptographic, and it is the same in every run and on every machine of
 * one byte order, so that a series keeps its collectd type across
 * restarts. */
#ifndef OM_HASH_H
#define OM_HASH_H

#include <stddef.h>
#include <stdint.h>

#define OM_HASH_SEED UINT64_C(0x6a09e667f3bcc909)

/* Folds len bytes of s into h (8 bytes at a time). The length is folded in
 * too, so that consecutive fields ("ab","c" and "a","bc") stay apart. */
uint64_t om_hash_bytes(uint64_t h, const void *s, size_t len);

/* Folds one 64-bit value into h. Inline: it is the inner step of every
 * hash of the scrape path. */
static inline uint64_t om_hash_u64(uint64_t h, uint64_t v) {
  h = (h ^ v) * UINT64_C(0x9e3779b97f4a7c15);
  return h ^ (h >> 29);
}

#endif

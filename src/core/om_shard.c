/* Series types spread over write_prometheus families; see om_shard.h. */
#include "om_shard.h"
#include "om_hash.h"

#include <string.h>

unsigned om_shard_count(size_t max_series) {
  size_t n = max_series / OM_SHARD_SERIES + (max_series % OM_SHARD_SERIES != 0);
  if (n < 1)
    return 1;
  return n > OM_SHARD_MAX ? OM_SHARD_MAX : (unsigned)n;
}

unsigned om_shard_generic_count(unsigned shards) {
  return shards < OM_GENERIC_SHARDS_MIN ? OM_GENERIC_SHARDS_MIN : shards;
}

unsigned om_shard_of(uint64_t id, unsigned count) {
  if (count <= 1)
    return 0;
  /* the identity's low bits already went through the hash's last mix;
   * mix once more so that a set's slot and a shard stay independent */
  return (unsigned)(om_hash_u64(UINT64_C(0x510e527fade682d1), id) % count);
}

/* Decimal digits of the largest shard number, at least two. */
static unsigned shard_digits(unsigned count) {
  unsigned digits = 1;
  for (unsigned top = count - 1; top >= 10; top /= 10)
    digits++;
  return digits < 2 ? 2 : digits;
}

size_t om_shard_name(const char *base, unsigned shard, unsigned count,
                     char *out, size_t size) {
  size_t base_len = strlen(base);
  if (count == 0 || shard >= count)
    return 0;
  unsigned digits = count == 1 ? 0 : shard_digits(count);
  size_t len = base_len + (digits ? 1 + digits : 0);
  if (len >= size)
    return 0;
  memcpy(out, base, base_len);
  if (digits) {
    out[base_len] = '_';
    for (unsigned i = digits, n = shard; i-- > 0; n /= 10)
      out[base_len + 1 + i] = (char)('0' + n % 10);
  }
  out[len] = '\0';
  return len;
}

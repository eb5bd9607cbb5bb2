/* An open-addressing table of pointers; see om_index.h. */
#include "om_index.h"
#include "om_hash.h"

#include <stdlib.h>
#include <string.h>

void *om_index_find(const om_index *ix, uint64_t hash, om_index_match_fn match,
                    const void *probe) {
  if (ix->cap == 0)
    return NULL;
  for (size_t i = (size_t)hash & (ix->cap - 1); ix->items[i] != NULL;
       i = (i + 1) & (ix->cap - 1))
    if (ix->hashes[i] == hash && match(ix->items[i], probe))
      return ix->items[i];
  return NULL;
}

/* Puts an item into the first free slot from its hash on. */
static void place(uint64_t *hashes, void **items, size_t cap, uint64_t hash,
                  void *item) {
  size_t i = (size_t)hash & (cap - 1);
  while (items[i] != NULL)
    i = (i + 1) & (cap - 1);
  items[i] = item;
  hashes[i] = hash;
}

int om_index_reserve(om_index *ix) {
  if (2 * (ix->num + 1) <= ix->cap)
    return 0;
  size_t cap = ix->cap == 0 ? 16 : ix->cap * 2;
  uint64_t *hashes = calloc(cap, sizeof(*hashes));
  void **items = calloc(cap, sizeof(*items));
  if (hashes == NULL || items == NULL) {
    free(hashes);
    free(items);
    return -1;
  }
  for (size_t i = 0; i < ix->cap; i++)
    if (ix->items[i] != NULL)
      place(hashes, items, cap, ix->hashes[i], ix->items[i]);
  free(ix->hashes);
  free(ix->items);
  ix->hashes = hashes;
  ix->items = items;
  ix->cap = cap;
  return 0;
}

void om_index_add(om_index *ix, uint64_t hash, void *item) {
  place(ix->hashes, ix->items, ix->cap, hash, item);
  ix->num++;
}

static bool key_matches(const void *item, const void *probe) {
  const om_index_key *a = item, *b = probe;
  return a->len == b->len && memcmp(a->bytes, b->bytes, b->len) == 0;
}

void *om_index_find_key(const om_index *ix, const char *bytes, size_t len) {
  om_index_key probe = {(char *)bytes, len};
  return om_index_find(ix, om_hash_bytes(OM_HASH_SEED, bytes, len), key_matches,
                       &probe);
}

int om_index_add_key(om_index *ix, void *item) {
  const om_index_key *k = item;
  if (om_index_reserve(ix) != 0)
    return -1;
  om_index_add(ix, om_hash_bytes(OM_HASH_SEED, k->bytes, k->len), item);
  return 0;
}

void om_index_free(om_index *ix) {
  free(ix->hashes);
  free(ix->items);
  ix->hashes = NULL;
  ix->items = NULL;
  ix->cap = ix->num = 0;
}

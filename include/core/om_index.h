/* core/, pure: includes only core/.
 *
 * An open-addressing table of pointers, each stored with its hash: the
 * index of the plugin-wide sums and of the series claimed at run time.
 * Items are never removed; the table doubles before it is half full. */
#ifndef OM_INDEX_H
#define OM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t *hashes;
  void **items;
  size_t cap, num;
} om_index;

/* Whether an item is the one a probe describes. */
typedef bool (*om_index_match_fn)(const void *item, const void *probe);

/* The item with this hash that matches probe, or NULL. */
void *om_index_find(const om_index *ix, uint64_t hash, om_index_match_fn match,
                    const void *probe);

/* Makes room for one more item; -1 when out of memory. */
int om_index_reserve(om_index *ix);

/* Adds an item known to be absent, after om_index_reserve. */
void om_index_add(om_index *ix, uint64_t hash, void *item);

/* The key of an item found by its bytes: such an item starts with it. */
typedef struct {
  char *bytes;
  size_t len;
} om_index_key;

/* The item (starting with an om_index_key) whose key is these len bytes,
 * or NULL. */
void *om_index_find_key(const om_index *ix, const char *bytes, size_t len);

/* Adds an item that starts with its om_index_key and is known to be
 * absent; -1 when out of memory (nothing added). */
int om_index_add_key(om_index *ix, void *item);

/* Frees the table, not the items. */
void om_index_free(om_index *ix);

#endif

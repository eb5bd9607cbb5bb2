/* target/, pure: includes core/ and target/.
 *
 * What one target's scrapes computed for each series, keyed by the raw
 * bytes of its `name{labels}` as the body writes them (om_line_series_key),
 * as Prometheus' scrape loop caches it: a series seen before costs a hash
 * lookup, not a parse of its labels, a catalog search, the label order and
 * the pack. An entry holds the series ready for dispatch (type, identity,
 * pack), or that the series is filtered out, or why it cannot be passed on.
 *
 * The cache also spots a series met twice in one read, however the body
 * spells it: each identity the cache knows has a small number, and a read
 * marks the numbers it meets in a bitmap (om_series_cache_admit()). A
 * target's series come in the same order at every read, so a lookup first
 * tries the entry after the last one found: a known body is walked in
 * order, without a random access per series.
 *
 * The cache holds at most the entries it was made for, and numbers for as
 * many identities. Entries not met in the last read are dropped once they
 * make up more than half of it, so it follows a target whose series change.
 * An entry's views stay valid until the next om_series_cache_add() or
 * om_series_cache_end_read(). */
#ifndef OM_SERIES_CACHE_H
#define OM_SERIES_CACHE_H

#include "om_sample.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  OM_CACHED_SERIES = 0, /* to dispatch */
  OM_CACHED_FILTERED,   /* Include/Exclude leave it out */
  OM_CACHED_DROPPED,    /* cannot be passed on, for drop_reason */
} om_cached_kind;

typedef struct {
  om_cached_kind kind;
  om_drop_reason drop_reason; /* OM_CACHED_DROPPED */
  size_t pack_need;           /* pack_too_long: the bytes the labels take */
  size_t name_len;            /* of the metric name at the key's start */
  /* a family outside the catalog: the length of the family (a prefix of
   * the name) its selection was decided for, 0 otherwise */
  size_t family_len;
  om_series_ref series; /* OM_CACHED_SERIES */
  /* the cache's number of the series' identity (OM_CACHED_SERIES of an
   * entry), OM_CACHED_NO_NUMBER for what is not an entry */
  uint32_t number;
} om_cached;

#define OM_CACHED_NO_NUMBER UINT32_MAX

typedef struct om_series_cache om_series_cache;

/* A cache of at most max_entries entries; NULL when out of memory. */
om_series_cache *om_series_cache_new(size_t max_entries);
void om_series_cache_free(om_series_cache *c);

/* A key to look up and add with. Its hash is computed once, and only when
 * a lookup needs it: the entry after the last one found is compared by its
 * bytes alone. */
typedef struct {
  om_slice bytes;
  uint64_t hash;
  bool hashed;
} om_cache_key;

/* The key of bytes, not hashed yet. */
om_cache_key om_series_cache_key(om_slice bytes);

/* The entry of key, marked as met in this read, or NULL. */
const om_cached *om_series_cache_find(om_series_cache *c, om_cache_key *key);

/* Adds (or replaces) the entry of key: what, and for OM_CACHED_SERIES the
 * series whose type name must be static and whose pack is copied. Returns
 * the entry, or NULL when the cache is full or out of memory (the caller
 * goes on without it). */
const om_cached *om_series_cache_add(om_series_cache *c, om_cache_key *key,
                                     const om_cached *what);

/* A read begins: no series is met yet. */
void om_series_cache_begin_read(om_series_cache *c);
/* Whether the series of what (OM_CACHED_SERIES, an entry of the cache or
 * not) is met for the first time in this read: 1 yes (it is met now), 0 it
 * is a duplicate, -1 out of memory (not marked). */
int om_series_cache_admit(om_series_cache *c, const om_cached *what);
/* A read ends: entries it did not meet are dropped when they are more
 * than half of the cache. */
void om_series_cache_end_read(om_series_cache *c);

/* Entries held, and bytes of keys and packs they hold. */
size_t om_series_cache_size(const om_series_cache *c);
size_t om_series_cache_bytes(const om_series_cache *c);

#endif

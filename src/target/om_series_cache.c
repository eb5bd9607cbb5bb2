/* A target's series, by the raw bytes of name{labels}; see
 * om_series_cache.h. */
#include "om_series_cache.h"
#include "om_hash.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t hash;
  size_t key_off; /* in the arena: the key, then the pack's two fields */
  size_t key_len;
  size_t pi_off, ti_off;
  uint32_t read; /* the read that last met it */
  om_cached what;
} entry;

struct om_series_cache {
  size_t max_entries;
  entry *entries;
  size_t entries_num, entries_cap;
  uint32_t *slots;  /* 0: empty, else an index into entries plus one */
  size_t slots_cap; /* a power of two, at least twice the entries */
  char *arena;
  size_t arena_used, arena_cap;
  size_t arena_waste; /* bytes of entries replaced since */
  uint32_t read;
};

om_series_cache *om_series_cache_new(size_t max_entries) {
  om_series_cache *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return NULL;
  c->max_entries = max_entries < UINT32_MAX - 1 ? max_entries : UINT32_MAX - 1;
  c->read = 1;
  return c;
}

void om_series_cache_free(om_series_cache *c) {
  if (c == NULL)
    return;
  free(c->entries);
  free(c->slots);
  free(c->arena);
  free(c);
}

uint64_t om_series_cache_hash(om_slice key) {
  return om_hash_bytes(OM_HASH_SEED, key.ptr, key.len);
}

/* The arena bytes of an entry: its key and, for a series, its pack. */
static size_t entry_bytes(const entry *e) {
  return e->key_len + (e->what.kind == OM_CACHED_SERIES
                           ? e->what.series.plugin_instance_len +
                                 e->what.series.type_instance_len + 2
                           : 0);
}

/* The entry's views into the arena, where it is now. */
static const om_cached *view(const om_series_cache *c, entry *e) {
  if (e->what.kind == OM_CACHED_SERIES) {
    e->what.series.plugin_instance = c->arena + e->pi_off;
    e->what.series.type_instance = c->arena + e->ti_off;
  }
  return &e->what;
}

/* The slot of key: its entry's, or the empty one where it would go. */
static size_t slot_of(const om_series_cache *c, om_slice key, uint64_t hash) {
  size_t mask = c->slots_cap - 1;
  size_t i = (size_t)(hash ^ (hash >> 31)) & mask;
  for (;;) {
    uint32_t s = c->slots[i];
    if (s == 0)
      return i;
    const entry *e = &c->entries[s - 1];
    if (e->hash == hash && e->key_len == key.len &&
        memcmp(c->arena + e->key_off, key.ptr, key.len) == 0)
      return i;
    i = (i + 1) & mask;
  }
}

const om_cached *om_series_cache_find(om_series_cache *c, om_slice key,
                                      uint64_t hash) {
  if (c->entries_num == 0)
    return NULL;
  uint32_t s = c->slots[slot_of(c, key, hash)];
  if (s == 0)
    return NULL;
  entry *e = &c->entries[s - 1];
  e->read = c->read;
  return view(c, e);
}

/* Room for n more arena bytes. */
static bool arena_reserve(om_series_cache *c, size_t n) {
  if (c->arena_cap - c->arena_used >= n)
    return true;
  size_t cap = c->arena_cap ? c->arena_cap : 64 * 1024;
  while (cap - c->arena_used < n)
    cap *= 2;
  char *grown = realloc(c->arena, cap);
  if (grown == NULL)
    return false;
  c->arena = grown;
  c->arena_cap = cap;
  return true;
}

static size_t arena_put(om_series_cache *c, const char *p, size_t n,
                        bool terminate) {
  size_t at = c->arena_used;
  memcpy(c->arena + at, p, n);
  c->arena_used += n;
  if (terminate)
    c->arena[c->arena_used++] = '\0';
  return at;
}

/* Slots for twice the entries the cache may hold at once. */
static bool rehash(om_series_cache *c, size_t want) {
  size_t cap = 64;
  while (cap < 2 * want)
    cap *= 2;
  uint32_t *slots = calloc(cap, sizeof(*slots));
  if (slots == NULL)
    return false;
  free(c->slots);
  c->slots = slots;
  c->slots_cap = cap;
  for (size_t i = 0; i < c->entries_num; i++) {
    const entry *e = &c->entries[i];
    om_slice key = {c->arena + e->key_off, e->key_len};
    c->slots[slot_of(c, key, e->hash)] = (uint32_t)(i + 1);
  }
  return true;
}

static bool entries_reserve(om_series_cache *c) {
  if (c->entries_num < c->entries_cap)
    return true;
  size_t cap = c->entries_cap ? 2 * c->entries_cap : 256;
  if (cap > c->max_entries)
    cap = c->max_entries;
  entry *grown = realloc(c->entries, cap * sizeof(*grown));
  if (grown == NULL)
    return false;
  c->entries = grown;
  c->entries_cap = cap;
  return true;
}

const om_cached *om_series_cache_add(om_series_cache *c, om_slice key,
                                     uint64_t hash, const om_cached *what) {
  const om_series_ref *s = &what->series;
  bool series = what->kind == OM_CACHED_SERIES;
  size_t bytes =
      key.len +
      (series ? s->plugin_instance_len + s->type_instance_len + 2 : 0);
  if (c->slots_cap == 0 && !rehash(c, 128))
    return NULL;
  size_t slot = slot_of(c, key, hash);
  bool fresh = c->slots[slot] == 0;
  if (fresh && (c->entries_num >= c->max_entries || !entries_reserve(c)))
    return NULL;
  if (!arena_reserve(c, bytes))
    return NULL;
  entry *e =
      fresh ? &c->entries[c->entries_num] : &c->entries[c->slots[slot] - 1];
  if (!fresh)
    c->arena_waste += entry_bytes(e);
  e->hash = hash;
  e->key_len = key.len;
  e->key_off = arena_put(c, key.ptr, key.len, false);
  if (series) {
    e->pi_off = arena_put(c, s->plugin_instance, s->plugin_instance_len, true);
    e->ti_off = arena_put(c, s->type_instance, s->type_instance_len, true);
  }
  e->read = c->read;
  e->what = *what;
  if (fresh) {
    c->slots[slot] = (uint32_t)(++c->entries_num);
    if (2 * c->entries_num > c->slots_cap && !rehash(c, c->entries_num)) {
      c->slots[slot_of(c, key, hash)] = 0;
      c->entries_num--;
      return NULL;
    }
  }
  return view(c, e);
}

/* Keeps only the entries the last read met, in a new arena. */
static void compact(om_series_cache *c) {
  char *old = c->arena;
  size_t kept = 0, bytes = 0;
  for (size_t i = 0; i < c->entries_num; i++)
    if (c->entries[i].read == c->read)
      bytes += entry_bytes(&c->entries[i]);
  char *arena = malloc(bytes ? bytes : 1);
  if (arena == NULL)
    return; /* keep everything; try again after the next read */
  c->arena = arena;
  c->arena_cap = bytes ? bytes : 1;
  c->arena_used = 0;
  c->arena_waste = 0;
  for (size_t i = 0; i < c->entries_num; i++) {
    entry e = c->entries[i];
    if (e.read != c->read)
      continue;
    e.key_off = arena_put(c, old + e.key_off, e.key_len, false);
    if (e.what.kind == OM_CACHED_SERIES) {
      e.pi_off =
          arena_put(c, old + e.pi_off, e.what.series.plugin_instance_len, true);
      e.ti_off =
          arena_put(c, old + e.ti_off, e.what.series.type_instance_len, true);
    }
    c->entries[kept++] = e;
  }
  free(old);
  c->entries_num = kept;
  if (!rehash(c, kept)) { /* no slots: start empty rather than wrong */
    c->entries_num = 0;
    c->arena_used = 0;
  }
}

void om_series_cache_end_read(om_series_cache *c) {
  size_t met = 0;
  for (size_t i = 0; i < c->entries_num; i++)
    met += c->entries[i].read == c->read;
  if (c->entries_num - met > met || c->arena_waste > c->arena_used / 2)
    compact(c);
  c->read++;
}

size_t om_series_cache_size(const om_series_cache *c) { return c->entries_num; }

size_t om_series_cache_bytes(const om_series_cache *c) { return c->arena_used; }

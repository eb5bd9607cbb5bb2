/* A target's series, by the raw bytes of name{labels}; see
 * om_series_cache.h. */
#include "om_series_cache.h"
#include "om_hash.h"
#include "om_series_set.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t hash;
  size_t key_off; /* in the arena: the key, then the pack */
  size_t key_len;
  size_t pack_off;
  uint32_t read; /* the read that last met it */
  om_cached what;
} entry;

/* A slot of the index of identities: number_plus1 0 is an empty slot. */
typedef struct {
  uint64_t id;
  uint32_t number_plus1;
} id_slot;

struct om_series_cache {
  size_t max_entries;
  entry *entries;
  size_t entries_num, entries_cap;
  uint32_t *slots;  /* 0: empty, else an index into entries plus one */
  size_t slots_cap; /* a power of two, at least twice the entries */
  size_t cursor;    /* the entry a lookup tries first */
  char *arena;
  size_t arena_used, arena_cap;
  size_t arena_waste; /* bytes of entries replaced since */
  uint32_t read;
  /* identities and their numbers, at most max_entries of them */
  id_slot *ids;
  size_t ids_num, ids_cap; /* ids_cap: a power of two, over twice ids_num */
  uint64_t *met;           /* a bit per number: met in this read */
  /* this read's identities when the index is full */
  om_series_set *overflow;
};

om_series_cache *om_series_cache_new(size_t max_entries) {
  om_series_cache *c = calloc(1, sizeof(*c));
  if (c == NULL)
    return NULL;
  c->max_entries = max_entries < UINT32_MAX - 1 ? max_entries : UINT32_MAX - 1;
  c->read = 1;
  c->overflow = om_series_set_new();
  if (c->overflow == NULL) {
    free(c);
    return NULL;
  }
  return c;
}

void om_series_cache_free(om_series_cache *c) {
  if (c == NULL)
    return;
  free(c->entries);
  free(c->slots);
  free(c->arena);
  free(c->ids);
  free(c->met);
  om_series_set_free(c->overflow);
  free(c);
}

om_cache_key om_series_cache_key(om_slice bytes) {
  return (om_cache_key){bytes, 0, false};
}

/* The key's hash, computed at its first use. */
static uint64_t hash_of(om_cache_key *key) {
  if (!key->hashed) {
    key->hash = om_hash_bytes(OM_HASH_SEED, key->bytes.ptr, key->bytes.len);
    key->hashed = true;
  }
  return key->hash;
}

/* The arena bytes of an entry: its key and, for a series, its pack. */
static size_t entry_bytes(const entry *e) {
  return e->key_len +
         (e->what.kind == OM_CACHED_SERIES ? e->what.series.pack_len + 1 : 0);
}

/* The entry's views into the arena, where it is now. */
static const om_cached *view(const om_series_cache *c, entry *e) {
  if (e->what.kind == OM_CACHED_SERIES)
    e->what.series.pack = c->arena + e->pack_off;
  return &e->what;
}

/* Whether e holds the bytes of key. */
static bool entry_has(const om_series_cache *c, const entry *e, om_slice key) {
  return e->key_len == key.len &&
         memcmp(c->arena + e->key_off, key.ptr, key.len) == 0;
}

/* The slot of key: its entry's, or the empty one where it would go. */
static size_t slot_of(const om_series_cache *c, om_cache_key *key) {
  uint64_t hash = hash_of(key);
  size_t mask = c->slots_cap - 1;
  size_t i = (size_t)(hash ^ (hash >> 31)) & mask;
  for (;;) {
    uint32_t s = c->slots[i];
    if (s == 0)
      return i;
    const entry *e = &c->entries[s - 1];
    if (e->hash == hash && entry_has(c, e, key->bytes))
      return i;
    i = (i + 1) & mask;
  }
}

const om_cached *om_series_cache_find(om_series_cache *c, om_cache_key *key) {
  if (c->entries_num == 0)
    return NULL;
  size_t at = c->cursor;
  if (at >= c->entries_num || !entry_has(c, &c->entries[at], key->bytes)) {
    uint32_t s = c->slots[slot_of(c, key)];
    if (s == 0)
      return NULL;
    at = s - 1;
  }
  c->cursor = at + 1;
  entry *e = &c->entries[at];
  e->read = c->read;
  return view(c, e);
}

/* The slot of identity id in the index: its own, or the empty one where it
 * would go. */
static size_t id_slot_of(const om_series_cache *c, uint64_t id) {
  size_t mask = c->ids_cap - 1;
  size_t i = (size_t)(id ^ (id >> 29)) & mask;
  while (c->ids[i].number_plus1 != 0 && c->ids[i].id != id)
    i = (i + 1) & mask;
  return i;
}

/* The index of identities with room for one more (twice as many slots),
 * and the bitmap with a bit for each number it may give. */
static bool ids_reserve(om_series_cache *c) {
  if (2 * (c->ids_num + 1) <= c->ids_cap)
    return true;
  size_t cap = c->ids_cap ? 2 * c->ids_cap : 64;
  id_slot *ids = calloc(cap, sizeof(*ids));
  size_t words = (cap / 2 + 63) / 64;
  uint64_t *met = realloc(c->met, words * sizeof(*met));
  if (ids == NULL || met == NULL) {
    free(ids);
    if (met != NULL)
      c->met = met;
    return false;
  }
  size_t old_words = (c->ids_cap / 2 + 63) / 64;
  memset(met + old_words, 0, (words - old_words) * sizeof(*met));
  c->met = met;
  id_slot *old = c->ids;
  size_t old_cap = c->ids_cap;
  c->ids = ids;
  c->ids_cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].number_plus1 != 0)
      c->ids[id_slot_of(c, old[i].id)] = old[i];
  free(old);
  return true;
}

/* The number of identity id, given now when it has none: numbers are
 * dense from 0. OM_CACHED_NO_NUMBER when the index is full, or out of
 * memory (then *oom is set). */
static uint32_t number_of(om_series_cache *c, uint64_t id, bool *oom) {
  if (c->ids_cap != 0) {
    const id_slot *slot = &c->ids[id_slot_of(c, id)];
    if (slot->number_plus1 != 0)
      return slot->number_plus1 - 1;
  }
  if (c->ids_num >= c->max_entries)
    return OM_CACHED_NO_NUMBER;
  if (!ids_reserve(c)) {
    *oom = true;
    return OM_CACHED_NO_NUMBER;
  }
  uint32_t number = (uint32_t)c->ids_num++;
  c->ids[id_slot_of(c, id)] = (id_slot){id, number + 1};
  return number;
}

void om_series_cache_begin_read(om_series_cache *c) {
  if (c->met != NULL)
    memset(c->met, 0, (c->ids_cap / 2 + 63) / 64 * sizeof(*c->met));
  om_series_set_clear(c->overflow);
  c->cursor = 0;
}

int om_series_cache_admit(om_series_cache *c, const om_cached *what) {
  uint32_t number = what->number;
  if (number == OM_CACHED_NO_NUMBER) {
    bool oom = false;
    number = number_of(c, what->series.id, &oom);
    if (oom)
      return -1;
    /* the index is full for the rest of the read: an identity without a
     * number has none in any entry either */
    if (number == OM_CACHED_NO_NUMBER)
      return om_series_set_add(c->overflow, what->series.id);
  }
  uint64_t bit = UINT64_C(1) << (number % 64);
  uint64_t *word = &c->met[number / 64];
  if (*word & bit)
    return 0;
  *word |= bit;
  return 1;
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
    om_cache_key key = {{c->arena + e->key_off, e->key_len}, e->hash, true};
    c->slots[slot_of(c, &key)] = (uint32_t)(i + 1);
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

const om_cached *om_series_cache_add(om_series_cache *c, om_cache_key *key,
                                     const om_cached *what) {
  const om_series_ref *s = &what->series;
  bool series = what->kind == OM_CACHED_SERIES;
  size_t bytes = key->bytes.len + (series ? s->pack_len + 1 : 0);
  if (c->slots_cap == 0 && !rehash(c, 128))
    return NULL;
  bool oom = false;
  uint32_t number = series ? number_of(c, s->id, &oom) : OM_CACHED_NO_NUMBER;
  if (series && number == OM_CACHED_NO_NUMBER)
    return NULL;
  size_t slot = slot_of(c, key);
  bool fresh = c->slots[slot] == 0;
  if (fresh && (c->entries_num >= c->max_entries || !entries_reserve(c)))
    return NULL;
  if (!arena_reserve(c, bytes))
    return NULL;
  entry *e =
      fresh ? &c->entries[c->entries_num] : &c->entries[c->slots[slot] - 1];
  if (!fresh)
    c->arena_waste += entry_bytes(e);
  e->hash = hash_of(key);
  e->key_len = key->bytes.len;
  e->key_off = arena_put(c, key->bytes.ptr, key->bytes.len, false);
  if (series)
    e->pack_off = arena_put(c, s->pack, s->pack_len, true);
  e->read = c->read;
  e->what = *what;
  e->what.number = number;
  c->cursor = (size_t)(e - c->entries) + 1;
  if (fresh) {
    c->slots[slot] = (uint32_t)(++c->entries_num);
    if (2 * c->entries_num > c->slots_cap && !rehash(c, c->entries_num)) {
      c->slots[slot_of(c, key)] = 0;
      c->entries_num--;
      return NULL;
    }
  }
  return view(c, e);
}

/* Numbers for the identities of the entries alone, from 0 again. */
static void renumber(om_series_cache *c) {
  if (c->ids != NULL)
    memset(c->ids, 0, c->ids_cap * sizeof(*c->ids));
  c->ids_num = 0;
  for (size_t i = 0; i < c->entries_num; i++) {
    om_cached *what = &c->entries[i].what;
    bool oom = false; /* the index has room for as many as before */
    if (what->kind == OM_CACHED_SERIES)
      what->number = number_of(c, what->series.id, &oom);
  }
}

/* Keeps only the entries the last read met, in a new arena, with numbers
 * for their identities alone. */
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
    if (e.what.kind == OM_CACHED_SERIES)
      e.pack_off = arena_put(c, old + e.pack_off, e.what.series.pack_len, true);
    c->entries[kept++] = e;
  }
  free(old);
  c->entries_num = kept;
  if (!rehash(c, kept)) { /* no slots: start empty rather than wrong */
    c->entries_num = 0;
    c->arena_used = 0;
  }
  renumber(c);
}

void om_series_cache_end_read(om_series_cache *c) {
  size_t met = 0;
  for (size_t i = 0; i < c->entries_num; i++)
    met += c->entries[i].read == c->read;
  if (c->entries_num - met > met || c->arena_waste > c->arena_used / 2 ||
      c->ids_num > c->entries_num)
    compact(c);
  c->read++;
}

size_t om_series_cache_size(const om_series_cache *c) { return c->entries_num; }

size_t om_series_cache_bytes(const om_series_cache *c) { return c->arena_used; }

/* The sums of several sources to one series; see om_tally.h. */
#include "om_tally.h"
#include "om_hash.h"
#include "om_index.h"

#include <stdlib.h>
#include <string.h>

#define TALLY_MAX_LABELS 32

typedef struct entry entry;

typedef struct {
  entry *of;    /* the series */
  size_t by;    /* the contributor */
  char *source; /* its source's name */
  size_t source_len;
  uint64_t read; /* the contributor's read that last refreshed it */
  double value;
  om_histogram h;
} contribution;

struct entry {
  /* first, for om_index: family NUL (name NUL value NUL)*, labels sorted
   * by name */
  om_index_key key;
  om_label labels[TALLY_MAX_LABELS]; /* views into key */
  size_t labels_num;
  bool histogram;
  contribution **parts;
  size_t parts_num, parts_cap;
};

typedef struct {
  const void *id;
  uint64_t read; /* the read under way or the last one */
  uint64_t done; /* the last completed read */
  entry **owned;
  size_t owned_num, owned_cap;
} contributor;

struct om_tally {
  om_index entries;       /* of entry, by key */
  om_index contributions; /* of contribution, by series, contributor, source */
  contributor *by;
  size_t by_num, by_cap;
};

/* --- growing arrays and the index ------------------------------------- */

/* Makes room for one more element in *a (num used of *cap). */
static int grow(void **a, size_t *cap, size_t num, size_t size) {
  if (num < *cap)
    return 0;
  size_t n = *cap == 0 ? 8 : *cap * 2;
  void *p = realloc(*a, n * size);
  if (p == NULL)
    return -1;
  *a = p;
  *cap = n;
  return 0;
}

/* --- keys ------------------------------------------------------------- */

typedef struct {
  const entry *of;
  size_t by;
  om_slice source;
} part_probe;

static bool part_matches(const void *item, const void *probe) {
  const contribution *c = item;
  const part_probe *p = probe;
  return c->of == p->of && c->by == p->by && c->source_len == p->source.len &&
         memcmp(c->source, p->source.ptr, p->source.len) == 0;
}

static uint64_t part_hash(const entry *of, size_t by, om_slice source) {
  uint64_t h = om_hash_u64(OM_HASH_SEED, (uint64_t)(uintptr_t)of);
  h = om_hash_u64(h, by);
  return om_hash_bytes(h, source.ptr, source.len);
}

/* The key of a series: family, then the labels sorted by name. -1 when
 * there are too many labels or no memory. */
static int make_key(const char *family, const om_label *labels, size_t n,
                    char **out, size_t *out_len) {
  if (n > TALLY_MAX_LABELS)
    return -1;
  const om_label *sorted[TALLY_MAX_LABELS];
  size_t len = strlen(family) + 1;
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    for (; j > 0 && om_slice_cmp(sorted[j - 1]->name, labels[i].name) > 0; j--)
      sorted[j] = sorted[j - 1];
    sorted[j] = &labels[i];
    len += labels[i].name.len + labels[i].value.len + 2;
  }
  char *key = malloc(len), *p = key;
  if (key == NULL)
    return -1;
  memcpy(p, family, strlen(family) + 1);
  p += strlen(family) + 1;
  for (size_t i = 0; i < n; i++) {
    const om_slice parts[2] = {sorted[i]->name, sorted[i]->value};
    for (int k = 0; k < 2; k++) {
      memcpy(p, parts[k].ptr, parts[k].len);
      p += parts[k].len;
      *p++ = '\0';
    }
  }
  *out = key;
  *out_len = len;
  return 0;
}

/* Points the entry's labels into its key. */
static void labels_of_key(entry *e) {
  const char *p = e->key.bytes + strlen(e->key.bytes) + 1,
             *end = e->key.bytes + e->key.len;
  e->labels_num = 0;
  while (p < end) {
    om_slice name = om_slice_from_cstr(p);
    p += name.len + 1;
    om_slice value = om_slice_from_cstr(p);
    p += value.len + 1;
    e->labels[e->labels_num++] = (om_label){name, value};
  }
}

/* --- the tally -------------------------------------------------------- */

om_tally *om_tally_new(void) { return calloc(1, sizeof(om_tally)); }

static void entry_free(entry *e) {
  for (size_t i = 0; i < e->parts_num; i++) {
    free(e->parts[i]->source);
    free(e->parts[i]);
  }
  free(e->parts);
  free(e->key.bytes);
  free(e);
}

void om_tally_free(om_tally *t) {
  if (t == NULL)
    return;
  for (size_t i = 0; i < t->entries.cap; i++)
    if (t->entries.items[i] != NULL)
      entry_free(t->entries.items[i]);
  om_index_free(&t->entries);
  om_index_free(&t->contributions);
  for (size_t i = 0; i < t->by_num; i++)
    free(t->by[i].owned);
  free(t->by);
  free(t);
}

size_t om_tally_contributor(om_tally *t, const void *id) {
  for (size_t i = 0; i < t->by_num; i++)
    if (t->by[i].id == id)
      return i;
  if (grow((void **)&t->by, &t->by_cap, t->by_num, sizeof(*t->by)) != 0)
    return SIZE_MAX;
  t->by[t->by_num] = (contributor){.id = id};
  return t->by_num++;
}

void om_tally_begin(om_tally *t, size_t c) {
  if (c < t->by_num)
    t->by[c].read++;
}

void om_tally_end(om_tally *t, size_t c) {
  if (c < t->by_num)
    t->by[c].done = t->by[c].read;
}

/* The entry of a key (taking it over), new and owned by c when absent;
 * NULL (key freed) when out of memory. */
static entry *entry_of(om_tally *t, size_t c, char *key, size_t key_len,
                       bool histogram) {
  entry *e = om_index_find_key(&t->entries, key, key_len);
  if (e != NULL) {
    free(key);
    return e;
  }
  contributor *owner = &t->by[c];
  e = calloc(1, sizeof(*e));
  if (e == NULL || grow((void **)&owner->owned, &owner->owned_cap,
                        owner->owned_num, sizeof(*owner->owned)) != 0) {
    free(e);
    free(key);
    return NULL;
  }
  e->key = (om_index_key){key, key_len};
  e->histogram = histogram;
  labels_of_key(e);
  if (om_index_add_key(&t->entries, e) != 0) {
    free(e);
    free(key);
    return NULL;
  }
  owner->owned[owner->owned_num++] = e;
  return e;
}

/* The contribution of c's source to e, new when absent; NULL when out of
 * memory or room. */
static contribution *part_of(om_tally *t, entry *e, size_t c, om_slice source) {
  part_probe probe = {e, c, source};
  uint64_t hash = part_hash(e, c, source);
  contribution *p =
      om_index_find(&t->contributions, hash, part_matches, &probe);
  if (p != NULL)
    return p;
  if (t->contributions.num >= OM_TALLY_MAX_CONTRIBUTIONS ||
      om_index_reserve(&t->contributions) != 0 ||
      grow((void **)&e->parts, &e->parts_cap, e->parts_num,
           sizeof(*e->parts)) != 0 ||
      (p = calloc(1, sizeof(*p))) == NULL ||
      (p->source = malloc(source.len + 1)) == NULL) {
    free(p);
    return NULL;
  }
  memcpy(p->source, source.ptr, source.len);
  p->source[source.len] = '\0';
  p->source_len = source.len;
  p->of = e;
  p->by = c;
  om_index_add(&t->contributions, hash, p);
  e->parts[e->parts_num++] = p;
  return p;
}

int om_tally_put(om_tally *t, size_t c, const char *family,
                 const om_label *labels, size_t n, om_slice source,
                 double value, const om_histogram *h) {
  char *key;
  size_t key_len;
  if (c >= t->by_num || make_key(family, labels, n, &key, &key_len) != 0)
    return -1;
  entry *e = entry_of(t, c, key, key_len, h != NULL);
  if (e == NULL || e->histogram != (h != NULL))
    return -1;
  contribution *p = part_of(t, e, c, source);
  if (p == NULL)
    return -1;
  p->read = t->by[c].read;
  p->value = value;
  if (h != NULL)
    p->h = *h;
  return 0;
}

size_t om_tally_owned_num(const om_tally *t, size_t c) {
  return c < t->by_num ? t->by[c].owned_num : 0;
}

/* Whether a contribution counts: refreshed in its contributor's last
 * completed read or the one under way. */
static bool counts(const om_tally *t, const contribution *p) {
  return p->read >= t->by[p->by].done;
}

/* Adds histogram b to a, which has the same bounds; false otherwise. */
static bool add_histogram(om_histogram *a, const om_histogram *b) {
  if (a->bounds_num != b->bounds_num)
    return false;
  for (size_t i = 0; i < a->bounds_num; i++)
    a->cumulative[i] += b->cumulative[i];
  a->count += b->count;
  a->sum += b->sum;
  return true;
}

bool om_tally_owned_sum(const om_tally *t, size_t c, size_t i,
                        om_tally_series *series, double *value,
                        om_histogram *h) {
  if (i >= om_tally_owned_num(t, c))
    return false;
  const entry *e = t->by[c].owned[i];
  *series =
      (om_tally_series){e->key.bytes, e->labels, e->labels_num, e->histogram};
  size_t live = 0;
  *value = 0;
  for (size_t k = 0; k < e->parts_num; k++) {
    const contribution *p = e->parts[k];
    if (!counts(t, p))
      continue;
    if (!e->histogram) {
      *value += p->value;
    } else if (live == 0) {
      *h = p->h;
    } else if (!add_histogram(h, &p->h)) {
      continue;
    }
    live++;
  }
  return live > 0;
}

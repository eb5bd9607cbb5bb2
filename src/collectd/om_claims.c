/* One owner per series: the claims of the blocks; see om_claims.h. */
#include "om_claims.h"
#include "om_index.h"
#include "om_log.h"
#include "om_text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* conflicts logged one by one; the rest are counted */
#define CONFLICTS_SHOWN 20

static const char *const DIM_NAMES[OM_DIMS] = {"namespace", "instance",
                                               "database", "resource"};
static const char *const EMPTY[] = {""};

om_scope_dim om_scope_one(const char *const *value) {
  return (om_scope_dim){OM_SCOPE_VALUES,
                        value == NULL || *value == NULL ? EMPTY : value, 1};
}

void om_claims_add(om_claims *c, const om_block_conf *b, const char *kind,
                   bool first_hand, const char *family, bool summed,
                   const om_scope *scope) {
  if (first_hand &&
      !om_glob_choose((const char *const *)b->include, b->include_num,
                      (const char *const *)b->exclude, b->exclude_num, family))
    return;
  if (c->num == c->cap) {
    size_t cap = c->cap == 0 ? 64 : 2 * c->cap;
    om_claim *items = realloc(c->items, cap * sizeof(*items));
    if (items == NULL) {
      c->failed = true;
      return;
    }
    c->items = items;
    c->cap = cap;
  }
  c->items[c->num++] =
      (om_claim){b->id, kind, first_hand, family, summed, false, *scope};
}

void om_claims_add_labelled(om_claims *c, const om_block_conf *b,
                            const char *kind, const char *const *families) {
  static const om_scope everywhere; /* OM_SCOPE_ANY in every dimension */
  for (const char *const *f = families; *f != NULL; f++) {
    size_t before = c->num;
    om_claims_add(c, b, kind, true, *f, false, &everywhere);
    if (c->num > before)
      c->items[c->num - 1].labelled = true;
  }
}

void om_claims_add_families(om_claims *c, const om_block_conf *b,
                            const char *kind, const char *const *families,
                            const char *const *summed, const om_scope *each,
                            const om_scope *sums) {
  for (const char *const *f = families; *f != NULL; f++) {
    bool sum = summed != NULL && om_name_listed(summed, *f);
    om_claims_add(c, b, kind, true, *f, sum, sum ? sums : each);
  }
}

/* --- the check ------------------------------------------------------------ */

static int by_family(const void *a, const void *b) {
  const om_claim *x = a, *y = b;
  int c = strcmp(x->family, y->family);
  if (c != 0)
    return c;
  return strcmp(x->block_id, y->block_id);
}

/* A value both dimensions may take, for the log (NULL: none to name);
 * *meet set when they can meet at all. */
static const char *dims_meet(const om_scope_dim *a, const om_scope_dim *b,
                             bool *meet) {
  *meet = true;
  if (a->how != OM_SCOPE_VALUES || b->how != OM_SCOPE_VALUES) {
    const om_scope_dim *one = a->how == OM_SCOPE_VALUES ? a : b;
    return one->how == OM_SCOPE_VALUES && one->values_num == 1 ? one->values[0]
                                                               : NULL;
  }
  for (size_t i = 0; i < a->values_num; i++)
    for (size_t j = 0; j < b->values_num; j++)
      if (strcmp(a->values[i], b->values[j]) == 0)
        return a->values[i];
  *meet = false;
  return NULL;
}

static bool any_unknown(const om_scope *s) {
  for (int d = 0; d < OM_DIMS; d++)
    if (s->dim[d].how == OM_SCOPE_UNKNOWN)
      return true;
  return false;
}

/* Whether two claims on one family conflict; where, the scope they share,
 * written for the log. */
static bool conflict(const om_claim *a, const om_claim *b, char *where,
                     size_t size) {
  bool same_kind = strcmp(a->kind, b->kind) == 0;
  if (same_kind && (!a->first_hand || a->summed || b->summed ||
                    any_unknown(&a->scope) || any_unknown(&b->scope)))
    return false;
  size_t len = 0;
  where[0] = '\0';
  for (int d = 0; d < OM_DIMS; d++) {
    bool meet;
    const char *v = dims_meet(&a->scope.dim[d], &b->scope.dim[d], &meet);
    if (!meet)
      return false;
    if (v != NULL && len < size)
      len += (size_t)snprintf(where + len, size - len, "%s %s \"%s\"",
                              len == 0 ? " for" : ",", DIM_NAMES[d], v);
  }
  return true;
}

/* The end of the run of one block's claims that starts at i (they are
 * sorted by family, then block). */
static size_t run_end(const om_claim *items, size_t i, size_t to) {
  size_t end = i + 1;
  while (end < to && strcmp(items[end].block_id, items[i].block_id) == 0)
    end++;
  return end;
}

/* Whether some claim of run [a, a_end) conflicts with one of [b, b_end);
 * where, as conflict() writes it. */
static bool runs_conflict(const om_claim *items, size_t a, size_t a_end,
                          size_t b, size_t b_end, char *where, size_t size) {
  for (size_t i = a; i < a_end; i++)
    for (size_t j = b; j < b_end; j++)
      if (conflict(&items[i], &items[j], where, size))
        return true;
  return false;
}

/* The conflicts of the claims [from, to) of one family, one per pair of
 * blocks. */
static long check_family(const om_claim *items, size_t from, size_t to,
                         long found) {
  char where[400];
  for (size_t a = from, a_end; a < to; a = a_end) {
    a_end = run_end(items, a, to);
    for (size_t b = a_end, b_end; b < to; b = b_end) {
      b_end = run_end(items, b, to);
      if (!runs_conflict(items, a, a_end, b, b_end, where, sizeof(where)))
        continue;
      if (found++ < CONFLICTS_SHOWN)
        om_log(OM_LOG_ERR, NULL,
               "blocks \"%s\" and \"%s\" would both send \"%s\"%s: a series "
               "has one owner; give one of them Exclude \"%s\" (see the "
               "README, \"Which source for what\")",
               items[a].block_id, items[b].block_id, items[a].family, where,
               items[a].family);
    }
  }
  return found;
}

long om_claims_check(om_claims *c) {
  if (c->failed) {
    om_log(OM_LOG_ERR, NULL, "%s",
           "out of memory while checking which block owns which series");
    return -1;
  }
  if (c->num > 1)
    qsort(c->items, c->num, sizeof(*c->items), by_family);
  long found = 0;
  for (size_t from = 0, to; from < c->num; from = to) {
    for (to = from + 1;
         to < c->num && strcmp(c->items[to].family, c->items[from].family) == 0;
         to++)
      ;
    found = check_family(c->items, from, to, found);
  }
  if (found > CONFLICTS_SHOWN)
    om_log(OM_LOG_ERR, NULL, "%ld more conflict(s) between blocks not shown",
           found - CONFLICTS_SHOWN);
  return found;
}

/* --- what the blocks hold ------------------------------------------------ */

/* A family or a run-time series and the block that holds it. */
typedef struct {
  om_index_key key; /* first, for om_index */
  char *block_id;
} holding;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static om_index first_hand; /* of holding, by family */
static om_index taken;      /* of holding, by run-time key */

/* The block holding key in ix, which block_id now holds when nobody did;
 * NULL when out of memory. The lock is held. */
static const char *hold(om_index *ix, const char *key, size_t len,
                        const char *block_id) {
  holding *h = om_index_find_key(ix, key, len);
  if (h != NULL)
    return h->block_id;
  if ((h = calloc(1, sizeof(*h))) == NULL)
    return NULL;
  h->key = (om_index_key){malloc(len + 1), len};
  h->block_id = strdup(block_id);
  if (h->key.bytes != NULL) {
    memcpy(h->key.bytes, key, len);
    h->key.bytes[len] = '\0';
  }
  if (h->key.bytes == NULL || h->block_id == NULL ||
      om_index_add_key(ix, h) != 0) {
    free(h->key.bytes);
    free(h->block_id);
    free(h);
    return NULL;
  }
  return h->block_id;
}

void om_claims_settle(om_claims *c) {
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < c->num; i++)
    if (c->items[i].first_hand && !c->items[i].labelled)
      (void)hold(&first_hand, c->items[i].family, strlen(c->items[i].family),
                 c->items[i].block_id);
  pthread_mutex_unlock(&lock);
  free(c->items);
  *c = (om_claims){0};
}

/* Without the lock: the table is written at init, before the first read,
 * and freed at shutdown, after the last. */
const char *om_claims_first_hand(const char *family) {
  holding *h = om_index_find_key(&first_hand, family, strlen(family));
  return h == NULL ? NULL : h->block_id;
}

const char *om_claims_take(const char *key, size_t key_len,
                           const char *block_id) {
  pthread_mutex_lock(&lock);
  const char *holder = hold(&taken, key, key_len, block_id);
  pthread_mutex_unlock(&lock);
  /* out of memory: the block keeps sending, as before the check */
  if (holder == NULL || strcmp(holder, block_id) == 0)
    return NULL;
  return holder;
}

static void release(om_index *ix) {
  for (size_t i = 0; i < ix->cap; i++) {
    holding *h = ix->items[i];
    if (h == NULL)
      continue;
    free(h->key.bytes);
    free(h->block_id);
    free(h);
  }
  om_index_free(ix);
}

void om_claims_shutdown(void) {
  pthread_mutex_lock(&lock);
  release(&first_hand);
  release(&taken);
  pthread_mutex_unlock(&lock);
}

/* Open-addressing set of 64-bit identities; see om_series_set.h. */
#include "om_series_set.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAPACITY 256

/* Identity 0 marks an empty slot; a real 0 is stored as this instead. */
#define ZERO_STANDIN UINT64_C(0x9e3779b97f4a7c15)

struct om_series_set {
  uint64_t *slots;
  size_t capacity; /* a power of two */
  size_t size;
};

om_series_set *om_series_set_new(void) {
  return calloc(1, sizeof(om_series_set));
}

void om_series_set_free(om_series_set *s) {
  if (s == NULL)
    return;
  free(s->slots);
  free(s);
}

void om_series_set_clear(om_series_set *s) {
  if (s->slots != NULL)
    memset(s->slots, 0, s->capacity * sizeof(*s->slots));
  s->size = 0;
}

static void insert_slot(uint64_t *slots, size_t capacity, uint64_t id) {
  size_t i = (size_t)(id ^ (id >> 29)) & (capacity - 1);
  while (slots[i] != 0)
    i = (i + 1) & (capacity - 1);
  slots[i] = id;
}

static int grow(om_series_set *s) {
  size_t capacity = s->capacity ? s->capacity * 2 : INITIAL_CAPACITY;
  uint64_t *slots = calloc(capacity, sizeof(*slots));
  if (slots == NULL)
    return -1;
  for (size_t i = 0; i < s->capacity; i++)
    if (s->slots[i] != 0)
      insert_slot(slots, capacity, s->slots[i]);
  free(s->slots);
  s->slots = slots;
  s->capacity = capacity;
  return 0;
}

int om_series_set_add(om_series_set *s, uint64_t id) {
  if (id == 0)
    id = ZERO_STANDIN;
  if (s->capacity != 0) {
    size_t i = (size_t)(id ^ (id >> 29)) & (s->capacity - 1);
    while (s->slots[i] != 0) {
      if (s->slots[i] == id)
        return 0;
      i = (i + 1) & (s->capacity - 1);
    }
  }
  if ((s->size + 1) * 2 > s->capacity && grow(s) != 0)
    return -1;
  insert_slot(s->slots, s->capacity, id);
  s->size++;
  return 1;
}

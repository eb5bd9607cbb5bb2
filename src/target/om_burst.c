/* A read's samples held for one burst; see om_burst.h. */
#include "om_burst.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  om_scraped sample; /* its pack's pointers unset: offsets below */
  size_t pi_off, ti_off;
} held;

struct om_burst {
  held *items;
  size_t num, cap;
  char *text; /* the packs' fields, each terminated */
  size_t text_used, text_cap;
};

om_burst *om_burst_new(void) { return calloc(1, sizeof(om_burst)); }

void om_burst_free(om_burst *b) {
  if (b == NULL)
    return;
  free(b->items);
  free(b->text);
  free(b);
}

void om_burst_clear(om_burst *b) {
  b->num = 0;
  b->text_used = 0;
}

/* Room for one more item and n more bytes of text. */
static bool reserve(om_burst *b, size_t n) {
  if (b->num == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 1024;
    held *items = realloc(b->items, cap * sizeof(*items));
    if (items == NULL)
      return false;
    b->items = items;
    b->cap = cap;
  }
  if (b->text_cap - b->text_used < n) {
    size_t cap = b->text_cap ? b->text_cap : 64 * 1024;
    while (cap - b->text_used < n)
      cap *= 2;
    char *text = realloc(b->text, cap);
    if (text == NULL)
      return false;
    b->text = text;
    b->text_cap = cap;
  }
  return true;
}

/* Copies len bytes of p and a NUL into the text; returns their offset. */
static size_t put_text(om_burst *b, const char *p, size_t len) {
  size_t at = b->text_used;
  memcpy(b->text + at, p, len);
  b->text[at + len] = '\0';
  b->text_used += len + 1;
  return at;
}

bool om_burst_add(om_burst *b, const om_scraped *s) {
  const om_series_ref *r = &s->series;
  if (!reserve(b, r->plugin_instance_len + r->type_instance_len + 2))
    return false;
  held *h = &b->items[b->num++];
  h->sample = *s;
  h->sample.series.plugin_instance = NULL;
  h->sample.series.type_instance = NULL;
  h->pi_off = put_text(b, r->plugin_instance, r->plugin_instance_len);
  h->ti_off = put_text(b, r->type_instance, r->type_instance_len);
  return true;
}

size_t om_burst_size(const om_burst *b) { return b->num; }

om_scraped om_burst_get(const om_burst *b, size_t i) {
  om_scraped s = b->items[i].sample;
  s.series.plugin_instance = b->text + b->items[i].pi_off;
  s.series.type_instance = b->text + b->items[i].ti_off;
  return s;
}

/* The plugin-wide series ledger; see om_budget.h. */
#include "om_budget.h"

#include <stdint.h>

void om_budget_init(om_budget *b, size_t limit) {
  pthread_mutex_init(&b->lock, NULL);
  b->limit = limit;
  b->held = 0;
}

void om_budget_destroy(om_budget *b) { pthread_mutex_destroy(&b->lock); }

void om_budget_set_limit(om_budget *b, size_t limit) {
  pthread_mutex_lock(&b->lock);
  b->limit = limit;
  pthread_mutex_unlock(&b->lock);
}

size_t om_budget_limit(om_budget *b) {
  pthread_mutex_lock(&b->lock);
  size_t limit = b->limit;
  pthread_mutex_unlock(&b->lock);
  return limit;
}

size_t om_budget_room(om_budget *b, size_t held) {
  pthread_mutex_lock(&b->lock);
  size_t others = b->held >= held ? b->held - held : 0;
  size_t room = b->limit == 0        ? SIZE_MAX
                : others >= b->limit ? 0
                                     : b->limit - others;
  pthread_mutex_unlock(&b->lock);
  return room;
}

void om_budget_settle(om_budget *b, size_t *held, size_t sent) {
  pthread_mutex_lock(&b->lock);
  b->held = (b->held >= *held ? b->held - *held : 0) + sent;
  *held = sent;
  pthread_mutex_unlock(&b->lock);
}

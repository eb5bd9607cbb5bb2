/* core/, pure: includes only core/.
 *
 * The plugin-wide series budget: the series all blocks together may hand
 * collectd at one time. Each block holds what it sent in its last read; a
 * read may send what the others' holdings leave of the limit. So a block
 * keeps its series while it keeps them, a new or growing block gets what
 * is left, and the sum of the last reads stays within the limit (give or
 * take the blocks' own health series, which always go out and count too).
 * Blocks read from several of collectd's threads: the ledger has a lock. */
#ifndef OM_BUDGET_H
#define OM_BUDGET_H

#include <pthread.h>
#include <stddef.h>

typedef struct {
  pthread_mutex_t lock;
  size_t limit; /* 0: unbounded */
  size_t held;  /* what all blocks sent in their last reads */
} om_budget;

/* An empty ledger bounded by limit (0: unbounded). */
void om_budget_init(om_budget *b, size_t limit);
void om_budget_destroy(om_budget *b);

/* A new limit (configuration time); holdings stay. */
void om_budget_set_limit(om_budget *b, size_t limit);
size_t om_budget_limit(om_budget *b);

/* What a block that holds `held` series may send in this read: the limit
 * less everybody else's holdings, or SIZE_MAX when unbounded. */
size_t om_budget_room(om_budget *b, size_t held);

/* The block sent `sent` series this read: it holds them now (*held is
 * updated). */
void om_budget_settle(om_budget *b, size_t *held, size_t sent);

#endif

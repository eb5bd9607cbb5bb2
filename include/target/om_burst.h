/* target/, pure: includes core/ and target/.
 *
 * A read's samples, held until the body is done and then handed to
 * collectd in one burst. collectd's write threads take values off its
 * queue as fast as a read puts them on; a read that dispatches while it
 * parses keeps them waking up and going back to sleep for every few
 * values, where a burst fills the queue at once and lets them work
 * through it (tests/bench/bench_collectd.py measures both).
 *
 * A burst copies each sample's pack, since what the scrape hands out
 * points into its own scratch or the series cache; the series name stays a
 * view of the body, which must outlive the burst. Its memory is kept from
 * read to read: about 200 bytes a sample (112 and the pack), bounded by the
 * target's MaxSeries. */
#ifndef OM_BURST_H
#define OM_BURST_H

#include "om_scrape.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct om_burst om_burst;

/* An empty burst; NULL when out of memory. */
om_burst *om_burst_new(void);
void om_burst_free(om_burst *b);
/* Empties the burst, keeping its memory. */
void om_burst_clear(om_burst *b);
/* Holds a copy of *s. False when out of memory: nothing is added. */
bool om_burst_add(om_burst *b, const om_scraped *s);
/* Samples held. */
size_t om_burst_size(const om_burst *b);
/* The i-th sample held (i below om_burst_size()), its pack a view of the
 * burst's copy, valid until the next om_burst_add() or om_burst_clear(). */
om_scraped om_burst_get(const om_burst *b, size_t i);

#endif

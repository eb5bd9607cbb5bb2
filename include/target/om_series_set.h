/* target/, pure: includes core/ and target/.
 *
 * A set of 64-bit series identities, used per read to spot a series
 * dispatched twice and to count distinct series against a cap. Open
 * addressing; the table grows by doubling and is reused across reads. */
#ifndef OM_SERIES_SET_H
#define OM_SERIES_SET_H

#include <stddef.h>
#include <stdint.h>

typedef struct om_series_set om_series_set;

om_series_set *om_series_set_new(void);
void om_series_set_free(om_series_set *s);

/* Empties the set, keeping its memory. */
void om_series_set_clear(om_series_set *s);

/* 1: added; 0: was there already; -1: out of memory (set unchanged). */
int om_series_set_add(om_series_set *s, uint64_t id);

#endif

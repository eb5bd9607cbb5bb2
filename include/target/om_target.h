/* target/: includes core/, io/, collectd/ and target/.
 *
 * The <Target> collector: scrapes an operator's Prometheus endpoint. */
#ifndef OM_TARGET_H
#define OM_TARGET_H

#include "om_catalog.h"
#include "om_emitter.h"

/* The collector of a configuration (an om_target_config, which it takes
 * over, and frees when it fails); NULL when out of memory. */
void *om_target_new(void *config, const om_catalog *catalog);
/* One scrape; always 0 (a target that is down reports up 0). */
int om_target_read(void *target);
/* Frees the collector and its configuration; NULL-tolerant. */
void om_target_free(void *target);

/* The collector's emitter (om_block_kind.emitter). */
om_emitter *om_target_emitter(void *collector);

#endif

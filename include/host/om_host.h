/* host/: includes core/, io/, collectd/ and host/.
 *
 * The <Host> collector: the host's own statistics, read from /proc, /sys,
 * statfs(2), uname(2) and the clock, under node_exporter 1.5's names,
 * labels, units and semantics, with job and instance labels as a
 * Prometheus job scraping node_exporter gives them. Each of its
 * collectors reports node_scrape_collector_success{collector} and
 * node_scrape_collector_duration_seconds{collector}, as node_exporter
 * does; one that fails (a file it cannot read, lines it cannot parse)
 * reports 0 and logs why, and the others go on. */
#ifndef OM_HOST_H
#define OM_HOST_H

#include "om_catalog.h"
#include "om_emitter.h"

/* The collector of a configuration (an om_host_config, which it takes
 * over, and frees when it fails); NULL when out of memory. */
void *om_host_new(void *config, const om_catalog *catalog);
/* One read of the host; always 0. */
int om_host_read(void *host);
/* Frees the collector and its configuration; NULL-tolerant. */
void om_host_free(void *host);

/* The collector's emitter (om_block_kind.emitter). */
om_emitter *om_host_emitter(void *collector);

#endif

/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * The plugin's data sets and the one place that calls
 * plugin_dispatch_values(). */
#ifndef OM_DISPATCH_H
#define OM_DISPATCH_H

#include "om_catalog.h"
#include "om_sample.h"

#include "collectd.h"
#include "plugin.h"

/* Registers the data set of every catalog series type and the generic
 * type, and fixes the number of shards (om_shard.h) at shard_count;
 * dispatch spreads samples over that many plugin names from then on. Refuses
 * (logs, returns -1) when collectd already knows a type by one of these names,
 * rather than overwriting another plugin's data set. Call from the init
 * callback only: collectd looks data sets up without a lock. */
int om_register_data_sets(const om_catalog *catalog, unsigned shard_count);

/* Dispatches a value of series s at time t (0: now) under its shard's
 * plugin name, in its type: gauge for a GAUGE series, derive for a DERIVE one.
 * Returns collectd's status: 0, or non-zero when collectd refused the value. */
int om_dispatch(const om_series_ref *s, double gauge, int64_t derive,
                cdtime_t t);

#endif

/* core/, pure: includes only core/.
 *
 * Shards: one series type spread over several collectd types, so that no
 * write_prometheus family grows large. write_prometheus 5.12 re-sorts a
 * family's whole array for every new series, so the first time a family of
 * n series is served costs about n^2 log n; families of at most about 1,000
 * series keep that small whatever one target exposes.
 *
 * The number of shards is one for the whole plugin, fixed at init from the
 * plugin-wide MaxSeries: a series type can never hold more series than
 * that. A series always goes to the same shard, chosen by its identity (a
 * hash of its type and labels that is the same in every run), and the
 * shard's collectd type is "<shard>_<type>", the number zero-padded
 * (write_prometheus serves collectd_operator_metrics_07_workqueue_depth);
 * with one shard the type is the series type itself. Catalog names never
 * start with a digit, so the relabel rules take the number off again.
 * Families outside the catalog share the generic types, at least
 * OM_GENERIC_SHARDS_MIN of them. */
#ifndef OM_SHARD_H
#define OM_SHARD_H

#include <stddef.h>
#include <stdint.h>

/* the series one shard is sized for: hashing spreads them unevenly, and
 * 800 on average keeps the fullest shard near 1,000 */
#define OM_SHARD_SERIES 800
#define OM_SHARD_MAX 1250
#define OM_GENERIC_SHARDS_MIN 16
/* the base of the generic types: "00_om_generic", ... */
#define OM_GENERIC_BASE "om_generic"
/* the longest shard prefix: four digits and '_' */
#define OM_SHARD_PREFIX_MAX 5

/* The shards of every series type for a plugin-wide bound of max_series
 * series: ceil(max_series / OM_SHARD_SERIES), from 1 to OM_SHARD_MAX. */
unsigned om_shard_count(size_t max_series);

/* The generic types for that many shards: at least OM_GENERIC_SHARDS_MIN. */
unsigned om_shard_generic_count(unsigned shards);

/* The shard (0 to count - 1) of a series of identity id. */
unsigned om_shard_of(uint64_t id, unsigned count);

/* The collectd type of shard `shard` of `count` of base into out (size
 * bytes): base itself when count is 1, else the shard number padded to the
 * digits of count - 1 (at least two), '_' and base. Returns its length, or
 * 0 when it does not fit or shard is not below count. */
size_t om_shard_type_name(const char *base, unsigned shard, unsigned count,
                          char *out, size_t size);

#endif

/* core/, pure: includes only core/.
 *
 * Shards: one series type spread over several write_prometheus families,
 * so that no family grows large. write_prometheus 5.12 re-sorts a
 * family's whole array for every new series, so the first time a family of
 * n series is served costs about n^2 log n; families of at most about 1,000
 * series keep that small whatever one target exposes.
 *
 * write_prometheus names a family collectd_<plugin>_<type>, so a shard
 * lives in the plugin name of the values, not in their type: shard 7 of
 * 16 is dispatched as plugin "operator_metrics_07" and served as
 * collectd_operator_metrics_07_workqueue_depth, with its plugin_instance
 * under the label operator_metrics_07. Each series type stays one data
 * set: collectd looks the data set of every value up in one tree, and
 * tens of thousands of shard types in it made every value of every plugin
 * dearer.
 *
 * The number of shards is one for the whole plugin, fixed at init from the
 * plugin-wide MaxSeries: a series type can never hold more series than
 * that. A series always goes to the same shard, chosen by its identity (a
 * hash of its type and labels that is the same in every run); with one
 * shard the plugin name is "operator_metrics" alone. Catalog names never
 * start with a digit, so the relabel rules take the number off again.
 * Families outside the catalog share the generic type, spread over at
 * least OM_GENERIC_SHARDS_MIN shards. */
#ifndef OM_SHARD_H
#define OM_SHARD_H

#include <stddef.h>
#include <stdint.h>

/* the series one shard is sized for: hashing spreads them unevenly, and
 * 800 on average keeps the fullest shard near 1,000 */
#define OM_SHARD_SERIES 800
#define OM_SHARD_MAX 1250
#define OM_GENERIC_SHARDS_MIN 16
/* the generic type, of every family outside the catalog */
#define OM_GENERIC_BASE "om_generic"
/* the longest shard suffix: '_' and four digits */
#define OM_SHARD_SUFFIX_MAX 5

/* The shards of every series type for a plugin-wide bound of max_series
 * series: ceil(max_series / OM_SHARD_SERIES), from 1 to OM_SHARD_MAX. */
unsigned om_shard_count(size_t max_series);

/* The generic types for that many shards: at least OM_GENERIC_SHARDS_MIN. */
unsigned om_shard_generic_count(unsigned shards);

/* The shard (0 to count - 1) of a series of identity id. */
unsigned om_shard_of(uint64_t id, unsigned count);

/* The name of shard `shard` of `count` of base (the plugin name) into out
 * (size bytes): base itself when count is 1, else base, '_' and the shard
 * number padded to the digits of count - 1 (at least two). Returns its
 * length, or 0 when it does not fit or shard is not below count. */
size_t om_shard_name(const char *base, unsigned shard, unsigned count,
                     char *out, size_t size);

#endif

/* The thin layer over collectd's plugin API: data sets and dispatch. */
#ifndef OM_COLLECTD_H
#define OM_COLLECTD_H

#include "collectd.h"
#include "plugin.h"
#include "utils_complain.h"

#include "om_catalog.h"
#include "om_histogram.h"
#include "om_sample.h"

#define OM_PLUGIN_NAME "operator_metrics"

/* Registers one data set per catalog series type and the generic types.
 * Refuses (logs, returns -1) when collectd already knows a type by one of
 * these names, rather than overwriting another plugin's data set. Call from
 * the init callback only: collectd looks data sets up without a lock. */
int om_register_data_sets(const om_catalog *catalog);

/* Dispatches one sample at time t (0: now). Returns collectd's status. */
int om_dispatch(const om_sample *s, cdtime_t t);

/* Builds and dispatches one sample of a catalog family's plain series.
 * A sample that cannot be built is counted in dropped by its reason. */
void om_dispatch_family(const om_catalog *catalog, const char *family,
                        om_label *labels, size_t n, double value, cdtime_t t,
                        uint64_t dropped[OM_DROP_REASONS_NUM]);

/* Like om_dispatch_family, for a family in the catalog or outside it (a
 * generic type then); labels needs room for n + 1 entries. */
void om_dispatch_any(const om_catalog *catalog, const char *family,
                     om_label *labels, size_t n, double value, cdtime_t t,
                     uint64_t dropped[OM_DROP_REASONS_NUM]);

/* Dispatches a histogram the plugin keeps (_bucket per bound and +Inf,
 * _sum, _count) with the given labels. Every sample that cannot be built
 * is counted in dropped. */
void om_dispatch_histogram(const om_catalog *catalog, const char *family,
                           const om_label *labels, size_t n,
                           const om_histogram *h, cdtime_t t,
                           uint64_t dropped[OM_DROP_REASONS_NUM]);

/* operator_metrics_dropped_samples_total{collector,block,reason} for every
 * reason, from a collector's running totals. */
void om_dispatch_drop_counts(const om_catalog *catalog, const char *collector,
                             const char *block,
                             uint64_t dropped[OM_DROP_REASONS_NUM], cdtime_t t);

/* Read callbacks of the collectors; ud->data is the collector. */
int om_target_read(user_data_t *ud);
int om_pg_read(user_data_t *ud);
int om_backup_read(user_data_t *ud);
int om_kube_read(user_data_t *ud);

/* c_complain with the plugin's log prefix. */
#define OM_COMPLAIN(level, complaint, block, fmt, ...)                         \
  c_complain(level, complaint, OM_PLUGIN_NAME "(%s): " fmt, block, __VA_ARGS__)
#define OM_RELEASE(level, complaint, block, fmt, ...)                          \
  c_release(level, complaint, OM_PLUGIN_NAME "(%s): " fmt, block, __VA_ARGS__)

#endif

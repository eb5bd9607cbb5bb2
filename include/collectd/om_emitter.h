/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * The one path from a collector's samples to plugin_dispatch_values(). A
 * block owns one emitter. Each sample is built (om_sample_build: label
 * order, pack, value check) and dispatched; every sample that cannot be
 * built, names a family the catalog lacks, or that collectd refuses is
 * counted by its reason and never silently lost. At the end of each read
 * the emitter dispatches the block's
 * operator_metrics_dropped_samples_total{collector,block,reason} and, when
 * that read dropped anything, logs a rate-limited warning naming the first
 * dropped series (an all-clear once a read drops nothing again).
 *
 * The plugin-wide MaxSeries (om_budget.h) bounds what all emitters send
 * together. A block's own health series (families documented by
 * Prometheus or the plugin: up, scrape_*, operator_metrics_*) always go
 * out; its other samples beyond the room the others leave are dropped as
 * plugin_series_limit. */
#ifndef OM_EMITTER_H
#define OM_EMITTER_H

#include "om_block.h"
#include "om_budget.h"
#include "om_catalog.h"
#include "om_histogram.h"
#include "om_sample.h"
#include "om_sink.h"

#include "collectd.h"
#include "utils_complain.h"

#include <stdint.h>

#define OM_EMITTER_SERIES_SHOWN 128

typedef struct {
  const om_catalog *catalog;
  /* the families to dispatch (om_emitter_select); none: all */
  const char *const *include;
  size_t include_num;
  const char *const *exclude;
  size_t exclude_num;
  /* om_emitter_combine: the families whose labels beyond the documented
   * ones are summed away (NULL-terminated; NULL: none) */
  const char *const *summed;
  size_t contributor; /* its number in the plugin-wide sums; SIZE_MAX: none */
  /* om_emitter_lead: -1 for a block without LeaderElection */
  int leader;
  const char *const *lease_states;
  size_t lease_states_num, lease_state;
  const char *collector; /* the label: "target", "postgres", ... */
  const char *block;     /* the label: the block's name */
  const char *block_id;  /* for log lines: "<kind>/<name>" */
  cdtime_t time;         /* of the samples dispatched now */
  uint64_t dropped[OM_DROP_REASONS_NUM]; /* since collectd started */
  size_t held; /* series sent in the last read, in the plugin's ledger */
  /* this read */
  size_t room;      /* of samples other than the block's own */
  size_t data_sent; /* samples other than the block's own */
  size_t own_sent;
  uint64_t read_dropped;
  om_drop_reason first_drop;
  size_t first_need; /* pack_too_long: the bytes its labels take */
  char first_series[OM_EMITTER_SERIES_SHOWN];
  c_complain_t complaint;
} om_emitter;

/* An emitter for one block; the strings must outlive it. */
void om_emitter_init(om_emitter *e, const om_catalog *catalog,
                     const char *collector, const char *block,
                     const char *block_id);

/* Chooses the families the emitter dispatches by the block's Include and
 * Exclude patterns (fnmatch(3); b must outlive the emitter): with include
 * patterns only the families matching one of them, and never those
 * matching an exclude pattern. The block's own health (families
 * Prometheus or the plugin define) always goes out. A family left out is
 * not a drop: nothing counts or logs it. */
void om_emitter_select(om_emitter *e, const om_block_conf *b);

/* In these families (NULL-terminated, static) labels beyond a family's
 * documented ones name the source of a figure (the database of a
 * <Backup>, the server of a <Postgres>). Unless keep_finer, such a sample
 * is not dispatched as it is: it is added to the
 * plugin-wide sum of its documented series (om_tally.h), and the first
 * block that contributed to that series dispatches the sum at the end of
 * each of its reads, so that several blocks (or several databases of one
 * block) in one namespace make one series, as the operator counts. With
 * keep_finer the sample goes out with its finer labels. */
void om_emitter_combine(om_emitter *e, const char *const *families,
                        bool keep_finer);

/* The plugin-wide MaxSeries of all emitters (0: unbounded); set while
 * collectd reads the configuration. */
void om_emitter_set_plugin_limit(size_t max_series);
size_t om_emitter_plugin_limit(void);

/* A read starts: samples carry the current time, this read's count of
 * drops starts at 0, and the plugin-wide budget gives the read its room. */
void om_emitter_begin(om_emitter *e);
/* The samples other than the block's own that this read may still send
 * (SIZE_MAX: unbounded). */
size_t om_emitter_room(const om_emitter *e);
/* Samples dispatched from now on carry the current time. */
void om_emitter_stamp(om_emitter *e);

/* Dispatches a value of a series already built (within the room, else
 * dropped as plugin_series_limit): value for a GAUGE series, derive for a
 * DERIVE one; series names it in the log. */
void om_emit_value(om_emitter *e, const om_series_ref *s, double value,
                   int64_t derive, om_slice series);
/* Builds and dispatches one sample of a catalog family's plain series
 * (labels are reordered). */
void om_emit_family(om_emitter *e, const char *family, om_label *labels,
                    size_t n, double value);
/* Like om_emit_family, for a family in the catalog or outside it (one of
 * the generic types then); labels needs room for n + 1 entries. */
void om_emit_any(om_emitter *e, const char *family, om_label *labels, size_t n,
                 double value);
/* A block's state among names (num of them): family{block, state} is 1
 * for names[current] and 0 for the others. */
void om_emit_states(om_emitter *e, const char *family, const char *block,
                    const char *const *names, size_t num, size_t current);
/* A histogram the plugin keeps: _bucket per bound and +Inf, _sum,
 * _count, each with these labels. */
void om_emit_histogram(om_emitter *e, const char *family,
                       const om_label *labels, size_t n, const om_histogram *h);
/* count samples of series dropped before they could be built (by the
 * scrape pipeline, say), for reason r. */
void om_emit_dropped(om_emitter *e, om_drop_reason r, uint64_t count,
                     om_slice series);
/* The same, with the bytes the labels of that series take when r is
 * pack_too_long (0: not known), for the log line. */
void om_emit_dropped_sized(om_emitter *e, om_drop_reason r, uint64_t count,
                           om_slice series, size_t need);

/* A read ends: dispatches the block's drop counts for every reason, logs
 * this read's drops (rate-limited) and settles the block's holding in the
 * plugin-wide budget. */
void om_emitter_end(om_emitter *e);

/* The block's election round said whether this collectd holds its lease
 * (and its state, one of the names): the reads from now on dispatch
 * operator_metrics_leader{block} and operator_metrics_lease_state{block,
 * state} with their own health. */
void om_emitter_lead(om_emitter *e, bool leader, const char *const *states,
                     size_t states_num, size_t state);

/* A read of a block that does not hold its lease: it dispatches only its
 * leader and lease-state series, and its figures leave the plugin-wide
 * sums. */
void om_emitter_standby(om_emitter *e);

/* Frees the plugin-wide sums (collectd's shutdown, after the reads). */
void om_emitter_shutdown(void);

/* A sink (om_sink.h) whose samples go through om_emit_family and
 * om_emit_histogram. */
om_sink om_emitter_sink(om_emitter *e);

#endif

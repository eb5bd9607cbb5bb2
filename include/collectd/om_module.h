/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * The plugin's life in collectd: the configuration callback that turns
 * each block into a collector with its own read callback, the init
 * callback (catalog, libcurl, data sets) and shutdown. A kind of block is
 * described by an om_block_kind; om_plugin.c lists them. */
#ifndef OM_MODULE_H
#define OM_MODULE_H

#include "om_block.h"
#include "om_catalog.h"
#include "om_claims.h"
#include "om_emitter.h"

#include <stddef.h>

/* At most this many blocks of all kinds. */
#define OM_MODULE_MAX_BLOCKS 1024

/* The plugin-wide MaxSeries: its default and its largest value. */
#define OM_PLUGIN_MAX_SERIES_DEFAULT 100000
#define OM_PLUGIN_MAX_SERIES_MAX 1000000

typedef struct {
  /* its key ("Target") and how its configuration is read */
  const om_block_syntax *syntax;
  /* the collector of a configuration, which it takes over (and frees when
   * it fails); NULL when out of memory */
  void *(*start)(void *config, const om_catalog *catalog);
  /* one read; returns 0 (a source that is down is a measurement) */
  int (*read)(void *collector);
  /* frees the collector */
  void (*stop)(void *collector);
  /* the families a configuration can send, for the owner check
   * (om_claims.h); NULL: none known before a read */
  void (*claims)(const void *config, om_claims *out);
  /* the collector's emitter, through which a block that does not hold its
   * LeaderElection lease reports only that */
  om_emitter *(*emitter)(void *collector);
} om_block_kind;

/* What the plugin was built with and runs on, for its log line at start
 * and operator_metrics_build_info{version,collectd,libcurl,libpq} (the
 * strings must outlive the plugin). */
typedef struct {
  const char *version;  /* the plugin's */
  const char *collectd; /* the headers it was built against */
  const char *libcurl;
  const char *libpq;
  const char *cjson;
} om_build;

/* Registers the plugin's config, init and shutdown callbacks with collectd
 * for blocks of these kinds (the table must outlive the plugin), and a
 * read callback of its own, operator_metrics/build_info, which dispatches
 * operator_metrics_build_info 1 at collectd's interval whatever blocks
 * are configured (none, even). Each
 * block becomes the read callback "operator_metrics/<kind>/<name>", run
 * at the block's Interval, so that collectd's read threads run blocks in
 * parallel and a slow source delays no other. A block with LeaderElection
 * runs an election round first (om_election.h) and reads only when this
 * collectd holds the lease. */
void om_module_register(const om_block_kind *kinds, size_t num,
                        const om_build *build);

#endif

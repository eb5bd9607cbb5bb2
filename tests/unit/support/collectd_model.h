/* What happens to a sample between the plugin and Prometheus' metric
 * relabeling, modelled for the round-trip tests: collectd's dispatch
 * rewrites '/' (escape_slashes()), write_prometheus names and labels the
 * value (under the plugin name of its shard), and Prometheus scrapes it with
 * honor_labels false. */
#ifndef COLLECTD_MODEL_H
#define COLLECTD_MODEL_H

#include "om_sample.h"
#include "relabel_engine.h"

/* collectd 5's escape_slashes(): "/" alone becomes "root", a leading '/'
 * goes, every other '/' becomes '_'. */
void cm_escape_slashes(char *field);

/* The labels Prometheus holds for the sample before metric relabeling,
 * with the plugin's series spread over `shards` shards. */
void cm_as_scraped(const om_sample *sample, unsigned shards, rl_labelset *ls);

#endif

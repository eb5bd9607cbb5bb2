/* host/, pure: includes core/ and host/.
 *
 * node_exporter's netdev collector over the text of /proc/net/dev: for
 * each device the exclusion lets through, the sixteen counters under
 * node_exporter's (non-detailed) names, node_network_receive_bytes_total
 * {device} to node_network_transmit_compressed_total{device}. The kernel
 * already adds up what node_exporter adds up from netlink (drop with
 * missed, frame with length, overrun and CRC errors, carrier with
 * aborted, window and heartbeat errors), so the values are the same.
 * node_network_receive_nohandler_total, which /proc/net/dev lacks, comes
 * from the device's sysfs statistics through a reader. */
#ifndef OM_HOST_NET_H
#define OM_HOST_NET_H

#include "om_host_filter.h"
#include "om_host_text.h"
#include "om_sink.h"

#include <stdbool.h>
#include <stdint.h>

/* A device's rx_nohandler count: false when it has none. */
typedef bool (*om_host_nohandler_reader)(void *ctx, const char *device,
                                         uint64_t *out);

/* Reads /proc/net/dev's text (its two header lines are skipped); devices
 * whose name exclude matches are left out. nohandler may be NULL. */
om_host_parse om_host_netdev(om_slice text, const om_host_filter *exclude,
                             om_host_nohandler_reader nohandler, void *ctx,
                             const om_sink *sink);

#endif

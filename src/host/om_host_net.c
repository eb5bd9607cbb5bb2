/* node_exporter's netdev collector; see om_host_net.h. */
#include "om_host_net.h"

#include <stdio.h>
#include <string.h>

#define COUNTERS 16
#define HEADER_LINES 2

static const char *const FAMILIES[COUNTERS] = {
    "node_network_receive_bytes_total",
    "node_network_receive_packets_total",
    "node_network_receive_errs_total",
    "node_network_receive_drop_total",
    "node_network_receive_fifo_total",
    "node_network_receive_frame_total",
    "node_network_receive_compressed_total",
    "node_network_receive_multicast_total",
    "node_network_transmit_bytes_total",
    "node_network_transmit_packets_total",
    "node_network_transmit_errs_total",
    "node_network_transmit_drop_total",
    "node_network_transmit_fifo_total",
    "node_network_transmit_colls_total",
    "node_network_transmit_carrier_total",
    "node_network_transmit_compressed_total",
};

/* One device's line, "  eth0: 1 2 ...": false when it is malformed. */
static bool device_line(om_slice line, const om_host_filter *exclude,
                        om_host_nohandler_reader nohandler, void *ctx,
                        const om_sink *sink) {
  const char *colon = memchr(line.ptr, ':', line.len);
  if (colon == NULL)
    return false;
  om_slice name_part = {line.ptr, (size_t)(colon - line.ptr)};
  om_slice rest = {colon + 1, line.len - name_part.len - 1};
  om_slice name_f[2], f[COUNTERS + 1];
  char name[64];
  uint64_t v[COUNTERS];
  if (om_host_fields(name_part, name_f, 2) != 1 ||
      !om_host_copy(name_f[0], name, sizeof(name)) ||
      om_host_fields(rest, f, OM_LEN(f)) != COUNTERS)
    return false;
  for (size_t i = 0; i < COUNTERS; i++)
    if (!om_host_u64(f[i], &v[i]))
      return false;
  if (om_host_filter_matches(exclude, name))
    return true;
  om_label l[] = {{om_slice_from_cstr("device"), name_f[0]}};
  for (size_t i = 0; i < COUNTERS; i++)
    om_sink_value(sink, FAMILIES[i], l, 1, (double)v[i]);
  uint64_t nh;
  if (nohandler != NULL && nohandler(ctx, name, &nh))
    om_sink_value(sink, "node_network_receive_nohandler_total", l, 1,
                  (double)nh);
  return true;
}

om_host_parse om_host_netdev(om_slice text, const om_host_filter *exclude,
                             om_host_nohandler_reader nohandler, void *ctx,
                             const om_sink *sink) {
  om_host_parse p = {0};
  om_slice line;
  for (size_t lineno = 1; om_host_next_line(&text, &line); lineno++) {
    if (lineno <= HEADER_LINES)
      continue;
    om_slice f[1];
    if (om_host_fields(line, f, 1) == 0)
      continue;
    if (!device_line(line, exclude, nohandler, ctx, sink))
      om_host_bad_line(&p, lineno);
  }
  return p;
}

/* host/, pure: includes core/ and host/.
 *
 * node_exporter's meminfo, vmstat, loadavg and filefd collectors over the
 * text of /proc/meminfo, /proc/vmstat, /proc/loadavg and
 * /proc/sys/fs/file-nr: each hands its samples to a sink, named and
 * scaled as node_exporter 1.5 does, and skips (and counts) lines it
 * cannot read. */
#ifndef OM_HOST_PROC_H
#define OM_HOST_PROC_H

#include "om_host_filter.h"
#include "om_host_text.h"
#include "om_sink.h"

/* node_memory_<field>: "Active(anon):  123 kB" is
 * node_memory_Active_anon_bytes 125952 (kB times 1024); a field without a
 * unit keeps its name and value (node_memory_HugePages_Total). */
om_host_parse om_host_meminfo(om_slice text, const om_sink *sink);

/* node_vmstat_<field> for each field that fields matches. */
om_host_parse om_host_vmstat(om_slice text, const om_host_filter *fields,
                             const om_sink *sink);

/* node_load1, node_load5 and node_load15 from the first three fields. */
om_host_parse om_host_loadavg(om_slice text, const om_sink *sink);

/* node_filefd_allocated and node_filefd_maximum: the first and third of
 * file-nr's three numbers. */
om_host_parse om_host_filefd(om_slice text, const om_sink *sink);

#endif

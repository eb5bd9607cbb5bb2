/* host/, pure: includes core/ and host/.
 *
 * node_exporter's cpu and stat collectors over the text of /proc/stat:
 *   - cpu: node_cpu_seconds_total{cpu,mode} for user, nice, system, idle,
 *     iowait, irq, softirq and steal, and node_cpu_guest_seconds_total
 *     {cpu,mode} for user and nice, in seconds (USER_HZ ticks / 100). As
 *     node_exporter 1.5 does, each CPU's counters are kept monotonic: a
 *     value below the last one is not reported (the last one is), and an
 *     idle time 3 s or more below the last resets that CPU's counters (a
 *     CPU that went offline and back);
 *   - stat: node_boot_time_seconds, node_context_switches_total,
 *     node_forks_total, node_intr_total, node_procs_running and
 *     node_procs_blocked. */
#ifndef OM_HOST_STAT_H
#define OM_HOST_STAT_H

#include "om_host_text.h"
#include "om_sink.h"

#include <stdbool.h>
#include <stddef.h>

/* the modes of a cpu line, in the kernel's order */
#define OM_HOST_CPU_FIELDS 10
/* CPUs a host may have at most (beyond: not reported) */
#define OM_HOST_CPU_MAX 8192

/* The last values reported for each CPU, in seconds. */
typedef struct {
  double (*last)[OM_HOST_CPU_FIELDS];
  size_t num;
} om_host_cpus;

/* Frees what cpus holds; it is empty (and reusable) afterwards. */
void om_host_cpus_free(om_host_cpus *cpus);

/* Reads /proc/stat's text: the cpu collector's samples when cpu is set
 * (cpus keeps their last values; when the number of CPUs changes it
 * starts afresh), the stat collector's when stat is. A CPU beyond
 * OM_HOST_CPU_MAX, or memory running out for the last values, counts as
 * a malformed line. */
om_host_parse om_host_stat(om_slice text, om_host_cpus *cpus, bool cpu,
                           bool stat, const om_sink *sink);

#endif

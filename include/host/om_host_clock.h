/* host/: includes core/, io/, collectd/ and host/.
 *
 * node_exporter's time and uname collectors: node_time_seconds,
 * node_time_zone_offset_seconds{time_zone}, the clock sources of
 * /sys/devices/system/clocksource as node_time_clocksource_available_info
 * and node_time_clocksource_current_info{clocksource,device}, and
 * node_uname_info{sysname,release,version,machine,nodename,domainname}. */
#ifndef OM_HOST_CLOCK_H
#define OM_HOST_CLOCK_H

#include "om_buf.h"
#include "om_host_config.h"
#include "om_sink.h"

#include <stddef.h>

/* The time collector, reading sysfs into text: 0, or -1 with err (errlen
 * bytes) saying why it failed (what it could read is still sent). */
int om_host_time(const om_host_config *cfg, om_buf *text, const om_sink *sink,
                 char *err, size_t errlen);

/* The uname collector: 0, or -1 with err saying why. */
int om_host_uname(const om_sink *sink, char *err, size_t errlen);

#endif

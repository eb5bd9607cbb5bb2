/* host/, pure: includes core/ and host/.
 *
 * node_exporter's diskstats collector over the text of /proc/diskstats
 * and the devices' udev data (/run/udev/data/b<major>:<minor>): for each
 * device the exclusion lets through, node_disk_info{device,major,minor,
 * path,wwn,model,serial,revision} 1, then the counters the kernel gives
 * (up to 17: reads, merges, bytes as 512-byte sectors, times in seconds,
 * I/Os in progress, discards, flushes), and from udev
 * node_disk_filesystem_info, node_disk_device_mapper_info and the
 * node_disk_ata_* gauges where it has them. */
#ifndef OM_HOST_DISK_H
#define OM_HOST_DISK_H

#include "om_host_filter.h"
#include "om_host_text.h"
#include "om_sink.h"

#include <stdint.h>

/* The udev data of a block device: its text (valid until the next call),
 * or an empty slice when there is none. */
typedef om_slice (*om_host_udev_reader)(void *ctx, uint64_t major,
                                        uint64_t minor);

/* Reads /proc/diskstats' text; devices whose name exclude matches are left
 * out. udev may be NULL (no udev data: empty info labels). */
om_host_parse om_host_diskstats(om_slice text, const om_host_filter *exclude,
                                om_host_udev_reader udev, void *udev_ctx,
                                const om_sink *sink);

/* The value of property key ("ID_MODEL") in udev data ("E:ID_MODEL=..."
 * lines), or an empty slice. */
om_slice om_host_udev_property(om_slice udev, const char *key);

#endif

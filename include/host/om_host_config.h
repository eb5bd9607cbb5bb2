/* host/: includes core/, io/, collectd/ and host/.
 *
 * The configuration of a <Host> block (one per collectd; its name is
 * "host" unless given) and its reader: which of node_exporter's
 * collectors run, the job and instance labels, the exclusions (POSIX
 * extended regular expressions; the defaults are those of node_exporter
 * 1.5 as Debian 12 ships it), the deadline of the filesystems' statfs and
 * where the host's /proc, /sys, root filesystem and udev data are (for a
 * collectd in a container that sees the host's under other paths). */
#ifndef OM_HOST_CONFIG_H
#define OM_HOST_CONFIG_H

#include "om_block.h"
#include "om_claims.h"
#include "om_host_filter.h"

#include <stdbool.h>

typedef enum {
  OM_HOST_CPU = 0,
  OM_HOST_MEMINFO,
  OM_HOST_FILESYSTEM,
  OM_HOST_DISKSTATS,
  OM_HOST_NETDEV,
  OM_HOST_LOADAVG,
  OM_HOST_STAT,
  OM_HOST_TIME,
  OM_HOST_UNAME,
  OM_HOST_FILEFD,
  OM_HOST_VMSTAT,
  OM_HOST_COLLECTORS
} om_host_collector;

/* "cpu", "meminfo", ...: the collectors' names, as node_exporter's */
extern const char *const om_host_collector_names[OM_HOST_COLLECTORS];

#define OM_HOST_DEFAULT_JOB "node"
#define OM_HOST_DEFAULT_PORT "9100"
#define OM_HOST_DEFAULT_MOUNT_TIMEOUT_CAP 5.0
#define OM_HOST_MOUNT_TIMEOUT_SHARE 0.5

/* Debian 12's node_exporter 1.5 defaults, in POSIX syntax */
#define OM_HOST_DEFAULT_MOUNT_POINTS_EXCLUDE                                   \
  "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|"                           \
  "var/lib/containers/storage/.+)($|/)"
#define OM_HOST_DEFAULT_FS_TYPES_EXCLUDE                                       \
  "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|"        \
  "fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|"          \
  "rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"
#define OM_HOST_DEFAULT_DEVICE_EXCLUDE                                         \
  "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme[0-9]+n[0-9]+p)[0-9]+$"
#define OM_HOST_DEFAULT_NET_DEVICE_EXCLUDE "^lo$"
#define OM_HOST_DEFAULT_VMSTAT_FIELDS "^(oom_kill|pgpg|pswp|pg.*fault).*"

typedef struct {
  om_block_conf block; /* name (default "host"), id "host/<name>" */
  char **collectors;   /* as given; none: all */
  size_t collectors_num;
  bool enabled[OM_HOST_COLLECTORS];
  char *job;
  char *instance; /* NULL: "<collectd's Hostname>:9100", at start */
  char *mount_points_exclude, *fs_types_exclude, *device_exclude,
      *net_device_exclude, *vmstat_fields;
  om_host_filter mount_points, fs_types, devices, net_devices, vmstat;
  double mount_timeout_s; /* resolved: never 0 after parsing */
  char *proc_path, *sys_path, *rootfs_path, *udev_data_path;
} om_host_config;

/* The <Host> block for om_block_parse(), which returns an om_host_config,
 * or NULL after logging the error, naming the option and the block. */
extern const om_block_syntax om_host_syntax;

/* Frees a configuration and everything in it; NULL-tolerant. */
void om_host_config_free(void *cfg);

/* The families the block sends (those of its collectors that its
 * Include and Exclude let out): two <Host> blocks may not both send one. */
void om_host_claims(const void *cfg, om_claims *out);

/* The collector a node_exporter family belongs to, by its name:
 * OM_HOST_COLLECTORS for none (node_scrape_collector_*, the block's own). */
om_host_collector om_host_collector_of(const char *family);

#endif

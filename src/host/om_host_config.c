/* Parsing and checking a <Host> block. */
#include "om_host_config.h"
#include "om_catalog_data.h"
#include "om_conf.h"
#include "om_log.h"
#include "om_text.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const om_host_collector_names[OM_HOST_COLLECTORS] = {
    "cpu",  "meminfo", "filesystem", "diskstats", "netdev", "loadavg",
    "stat", "time",    "uname",      "filefd",    "vmstat"};

static const char *const STAT_FAMILIES[] = {"node_boot_time_seconds",
                                            "node_context_switches_total",
                                            "node_forks_total",
                                            "node_intr_total",
                                            "node_procs_running",
                                            "node_procs_blocked",
                                            NULL};

om_host_collector om_host_collector_of(const char *family) {
  static const struct {
    const char *prefix;
    om_host_collector c;
  } prefixes[] = {
      {"node_cpu_", OM_HOST_CPU},
      {"node_memory_", OM_HOST_MEMINFO},
      {"node_filesystem_", OM_HOST_FILESYSTEM},
      {"node_disk_", OM_HOST_DISKSTATS},
      {"node_network_", OM_HOST_NETDEV},
      {"node_load", OM_HOST_LOADAVG},
      {"node_time_", OM_HOST_TIME},
      {"node_uname_", OM_HOST_UNAME},
      {"node_filefd_", OM_HOST_FILEFD},
      {"node_vmstat_", OM_HOST_VMSTAT},
  };
  if (om_name_listed(STAT_FAMILIES, family))
    return OM_HOST_STAT;
  for (size_t i = 0; i < OM_LEN(prefixes); i++)
    if (strncmp(family, prefixes[i].prefix, strlen(prefixes[i].prefix)) == 0)
      return prefixes[i].c;
  return OM_HOST_COLLECTORS;
}

void om_host_config_free(void *p) {
  om_host_config *cfg = p;
  if (cfg == NULL)
    return;
  om_block_conf_free(&cfg->block);
  char **strings[] = {
      &cfg->job,
      &cfg->instance,
      &cfg->mount_points_exclude,
      &cfg->fs_types_exclude,
      &cfg->device_exclude,
      &cfg->net_device_exclude,
      &cfg->vmstat_fields,
      &cfg->proc_path,
      &cfg->sys_path,
      &cfg->rootfs_path,
      &cfg->udev_data_path,
  };
  for (size_t i = 0; i < OM_LEN(strings); i++)
    free(*strings[i]);
  om_host_filter *filters[] = {&cfg->mount_points, &cfg->fs_types,
                               &cfg->devices, &cfg->net_devices, &cfg->vmstat};
  for (size_t i = 0; i < OM_LEN(filters); i++)
    om_host_filter_free(filters[i]);
  om_conf_strings_free(cfg->collectors, cfg->collectors_num);
  free(cfg);
}

#define T om_host_config
static const om_option OPTIONS[] = {
    OM_BLOCK_FAMILY_OPTIONS(T),
    OM_OPTION_LIST(T, "Collectors", collectors, collectors_num),
    OM_OPTION(T, "Job", OM_OPTION_STRING, job),
    OM_OPTION(T, "Instance", OM_OPTION_STRING, instance),
    OM_OPTION(T, "MountPointsExclude", OM_OPTION_STRING, mount_points_exclude),
    OM_OPTION(T, "FSTypesExclude", OM_OPTION_STRING, fs_types_exclude),
    OM_OPTION(T, "DeviceExclude", OM_OPTION_STRING, device_exclude),
    OM_OPTION(T, "NetDeviceExclude", OM_OPTION_STRING, net_device_exclude),
    OM_OPTION(T, "VmstatFields", OM_OPTION_STRING, vmstat_fields),
    OM_OPTION(T, "MountTimeout", OM_OPTION_SECONDS, mount_timeout_s),
    OM_OPTION(T, "ProcPath", OM_OPTION_STRING, proc_path),
    OM_OPTION(T, "SysPath", OM_OPTION_STRING, sys_path),
    OM_OPTION(T, "RootFSPath", OM_OPTION_STRING, rootfs_path),
    OM_OPTION(T, "UdevDataPath", OM_OPTION_STRING, udev_data_path),
};
#undef T

static int parse_option(void *p, const oconfig_item_t *ci) {
  om_host_config *cfg = p;
  return om_conf_unknown(ci, cfg->block.id);
}

/* The collectors' names, comma-separated, into out (cap bytes). */
static void collector_list(char *out, size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t c = 0; c < OM_HOST_COLLECTORS && used < cap; c++)
    used += (size_t)snprintf(out + used, cap - used, "%s%s", c == 0 ? "" : ", ",
                             om_host_collector_names[c]);
}

/* Collectors: each a known name; none given: all. */
static int resolve_collectors(om_host_config *cfg) {
  int rc = 0;
  for (size_t c = 0; c < OM_HOST_COLLECTORS; c++)
    cfg->enabled[c] = cfg->collectors_num == 0;
  for (size_t i = 0; i < cfg->collectors_num; i++) {
    size_t c = 0;
    while (c < OM_HOST_COLLECTORS &&
           strcmp(cfg->collectors[i], om_host_collector_names[c]) != 0)
      c++;
    if (c < OM_HOST_COLLECTORS) {
      cfg->enabled[c] = true;
      continue;
    }
    char known[256];
    collector_list(known, sizeof(known));
    om_log(OM_LOG_ERR, cfg->block.id,
           "option \"Collectors\": \"%s\" is not one of %s", cfg->collectors[i],
           known);
    rc = -1;
  }
  return rc;
}

/* One exclusion: its option's value or the default, compiled. */
static int compile(om_host_config *cfg, const char *option, char **pattern,
                   const char *def, om_host_filter *f) {
  char err[512];
  if (om_conf_default_string(pattern, def) != 0) {
    om_log(OM_LOG_ERR, cfg->block.id, "out of memory");
    return -1;
  }
  if (om_host_filter_compile(f, *pattern, err, sizeof(err)) == 0)
    return 0;
  om_log(OM_LOG_ERR, cfg->block.id, "option \"%s\": %s", option, err);
  return -1;
}

static int compile_filters(om_host_config *cfg) {
  int rc = 0;
  rc |= compile(cfg, "MountPointsExclude", &cfg->mount_points_exclude,
                OM_HOST_DEFAULT_MOUNT_POINTS_EXCLUDE, &cfg->mount_points);
  rc |= compile(cfg, "FSTypesExclude", &cfg->fs_types_exclude,
                OM_HOST_DEFAULT_FS_TYPES_EXCLUDE, &cfg->fs_types);
  rc |= compile(cfg, "DeviceExclude", &cfg->device_exclude,
                OM_HOST_DEFAULT_DEVICE_EXCLUDE, &cfg->devices);
  rc |= compile(cfg, "NetDeviceExclude", &cfg->net_device_exclude,
                OM_HOST_DEFAULT_NET_DEVICE_EXCLUDE, &cfg->net_devices);
  rc |= compile(cfg, "VmstatFields", &cfg->vmstat_fields,
                OM_HOST_DEFAULT_VMSTAT_FIELDS, &cfg->vmstat);
  return rc;
}

/* The paths: absolute, without a trailing '/' (but "/" itself). */
static int resolve_path(om_host_config *cfg, const char *option, char **path,
                        const char *def) {
  if (om_conf_default_string(path, def) != 0) {
    om_log(OM_LOG_ERR, cfg->block.id, "out of memory");
    return -1;
  }
  if ((*path)[0] != '/') {
    om_log(OM_LOG_ERR, cfg->block.id,
           "option \"%s\" needs an absolute path, got \"%s\"", option, *path);
    return -1;
  }
  size_t len = strlen(*path);
  while (len > 1 && (*path)[len - 1] == '/')
    (*path)[--len] = '\0';
  return 0;
}

static int resolve_paths(om_host_config *cfg) {
  int rc = 0;
  rc |= resolve_path(cfg, "ProcPath", &cfg->proc_path, "/proc");
  rc |= resolve_path(cfg, "SysPath", &cfg->sys_path, "/sys");
  rc |= resolve_path(cfg, "RootFSPath", &cfg->rootfs_path, "/");
  rc |=
      resolve_path(cfg, "UdevDataPath", &cfg->udev_data_path, "/run/udev/data");
  return rc;
}

/* Defaults and the checks that span several options. */
static int finish(void *p, double interval_s) {
  om_host_config *cfg = p;
  const char *b = cfg->block.id;
  om_block_timeout limit = {"MountTimeout", &cfg->mount_timeout_s,
                            OM_HOST_MOUNT_TIMEOUT_SHARE,
                            OM_HOST_DEFAULT_MOUNT_TIMEOUT_CAP};
  int rc = resolve_collectors(cfg);
  rc |= compile_filters(cfg);
  rc |= resolve_paths(cfg);
  if (rc != 0 || om_block_timeouts(&cfg->block, &limit, 1, interval_s) != 0 ||
      om_conf_check_utf8(b, "Job", cfg->job) != 0 ||
      om_conf_check_utf8(b, "Instance", cfg->instance) != 0)
    return -1;
  if (om_conf_default_string(&cfg->job, OM_HOST_DEFAULT_JOB) != 0) {
    om_log(OM_LOG_ERR, b, "out of memory");
    return -1;
  }
  /* the block's longest own series: a mount point may be long, and is
   * checked at each read; job and instance go on every series */
  om_label l[] = {
      om_label_cstr("collector", "filesystem"), om_label_cstr("job", cfg->job),
      om_label_cstr("instance", cfg->instance ? cfg->instance
                                              : "a-host-name-of-63-bytes-"
                                                "at-most-as-dns-labels-"
                                                "are-12345:9100")};
  return om_block_check_fits(&cfg->block, "option \"Job\" or \"Instance\" is",
                             "node_scrape_collector_success", l, OM_LEN(l));
}

static const char *const REPEATABLE[] = {"Collectors", "Include", "Exclude",
                                         NULL};

const om_block_syntax om_host_syntax = {"Host",
                                        "host",
                                        sizeof(om_host_config),
                                        NULL,
                                        OPTIONS,
                                        OM_LEN(OPTIONS),
                                        REPEATABLE,
                                        parse_option,
                                        finish,
                                        om_host_config_free,
                                        "host"};

void om_host_claims(const void *p, om_claims *out) {
  const om_host_config *cfg = p;
  size_t num = 0;
  const om_family *f = om_catalog_families(&num);
  for (size_t i = 0; i < num; i++) {
    om_host_collector c = om_host_collector_of(f[i].name);
    if (strncmp(f[i].name, "node_", 5) != 0 || c == OM_HOST_COLLECTORS ||
        !cfg->enabled[c])
      continue;
    const char *const one[] = {f[i].name, NULL};
    om_claims_add_labelled(out, &cfg->block, "host", one);
  }
}

/* node_exporter's diskstats collector; see om_host_disk.h. */
#include "om_host_disk.h"
#include "om_number.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "standard UNIX 512-byte sectors", and milliseconds as node_exporter
 * scales them (times 1/1000, not divided by 1000: the same double) */
#define SECTOR_BYTES 512.0
#define SECONDS_PER_TICK (1.0 / 1000.0)
#define STATS 17
/* major, minor, name and the kernel's counters (20 fields since 5.5) */
#define MAX_FIELDS 32

static const struct {
  const char *family;
  double scale;
} STAT[STATS] = {
    {"node_disk_reads_completed_total", 1},
    {"node_disk_reads_merged_total", 1},
    {"node_disk_read_bytes_total", SECTOR_BYTES},
    {"node_disk_read_time_seconds_total", SECONDS_PER_TICK},
    {"node_disk_writes_completed_total", 1},
    {"node_disk_writes_merged_total", 1},
    {"node_disk_written_bytes_total", SECTOR_BYTES},
    {"node_disk_write_time_seconds_total", SECONDS_PER_TICK},
    {"node_disk_io_now", 1},
    {"node_disk_io_time_seconds_total", SECONDS_PER_TICK},
    {"node_disk_io_time_weighted_seconds_total", SECONDS_PER_TICK},
    {"node_disk_discards_completed_total", 1},
    {"node_disk_discards_merged_total", 1},
    {"node_disk_discarded_sectors_total", 1},
    {"node_disk_discard_time_seconds_total", SECONDS_PER_TICK},
    {"node_disk_flush_requests_total", 1},
    {"node_disk_flush_requests_time_seconds_total", SECONDS_PER_TICK},
};

om_slice om_host_udev_property(om_slice udev, const char *key) {
  size_t klen = strlen(key);
  om_slice line;
  while (om_host_next_line(&udev, &line)) {
    if (line.len > klen + 2 && memcmp(line.ptr, "E:", 2) == 0 &&
        memcmp(line.ptr + 2, key, klen) == 0 && line.ptr[2 + klen] == '=')
      return (om_slice){line.ptr + klen + 3, line.len - klen - 3};
  }
  return (om_slice){"", 0};
}

static om_label prop(const char *label, om_slice udev, const char *key) {
  return (om_label){om_slice_from_cstr(label),
                    om_host_udev_property(udev, key)};
}

static void emit_info(const om_sink *sink, om_slice dev, om_slice udev,
                      const char *major, const char *minor) {
  om_slice serial = om_host_udev_property(udev, "SCSI_IDENT_SERIAL");
  if (serial.len == 0)
    serial = om_host_udev_property(udev, "ID_SERIAL_SHORT");
  om_label l[] = {{om_slice_from_cstr("device"), dev},
                  om_label_cstr("major", major),
                  om_label_cstr("minor", minor),
                  prop("path", udev, "ID_PATH"),
                  prop("wwn", udev, "ID_WWN"),
                  prop("model", udev, "ID_MODEL"),
                  {om_slice_from_cstr("serial"), serial},
                  prop("revision", udev, "ID_REVISION")};
  om_sink_value(sink, "node_disk_info", l, OM_LEN(l), 1);
}

/* What udev knows beyond the info labels. */
static void emit_udev(const om_sink *sink, om_slice dev, om_slice udev) {
  om_label d = {om_slice_from_cstr("device"), dev};
  if (om_host_udev_property(udev, "ID_FS_TYPE").len > 0) {
    om_label l[] = {d, prop("type", udev, "ID_FS_TYPE"),
                    prop("usage", udev, "ID_FS_USAGE"),
                    prop("uuid", udev, "ID_FS_UUID"),
                    prop("version", udev, "ID_FS_VERSION")};
    om_sink_value(sink, "node_disk_filesystem_info", l, OM_LEN(l), 1);
  }
  if (om_host_udev_property(udev, "DM_NAME").len > 0) {
    om_label l[] = {d,
                    prop("name", udev, "DM_NAME"),
                    prop("uuid", udev, "DM_UUID"),
                    prop("vg_name", udev, "DM_VG_NAME"),
                    prop("lv_name", udev, "DM_LV_NAME"),
                    prop("lv_layer", udev, "DM_LV_LAYER")};
    om_sink_value(sink, "node_disk_device_mapper_info", l, OM_LEN(l), 1);
  }
  if (om_host_udev_property(udev, "ID_ATA").len == 0)
    return;
  static const struct {
    const char *key, *family;
  } ata[] = {
      {"ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache"},
      {"ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled"},
      {"ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm"},
  };
  for (size_t i = 0; i < OM_LEN(ata); i++) {
    om_slice v = om_host_udev_property(udev, ata[i].key);
    double x;
    if (v.len > 0 && om_parse_double(v.ptr, v.len, &x)) {
      om_label l[] = {d};
      om_sink_value(sink, ata[i].family, l, 1, x);
    }
  }
}

/* One device's line: false when it is malformed. */
static bool disk_line(const om_slice *f, size_t n,
                      const om_host_filter *exclude, om_host_udev_reader udev,
                      void *udev_ctx, const om_sink *sink) {
  uint64_t major, minor, v[STATS];
  char name[128];
  if (n < 3 + 4 || !om_host_u64(f[0], &major) || !om_host_u64(f[1], &minor) ||
      !om_host_copy(f[2], name, sizeof(name)))
    return false;
  size_t stats = n - 3 < STATS ? n - 3 : STATS;
  for (size_t i = 0; i < stats; i++)
    if (!om_host_u64(f[3 + i], &v[i]))
      return false;
  if (om_host_filter_matches(exclude, name))
    return true;
  char maj[24], min[24];
  snprintf(maj, sizeof(maj), "%" PRIu64, major);
  snprintf(min, sizeof(min), "%" PRIu64, minor);
  om_slice data = udev != NULL ? udev(udev_ctx, major, minor) : (om_slice){0};
  emit_info(sink, f[2], data, maj, min);
  for (size_t i = 0; i < stats; i++) {
    om_label l[] = {{om_slice_from_cstr("device"), f[2]}};
    om_sink_value(sink, STAT[i].family, l, 1, (double)v[i] * STAT[i].scale);
  }
  emit_udev(sink, f[2], data);
  return true;
}

om_host_parse om_host_diskstats(om_slice text, const om_host_filter *exclude,
                                om_host_udev_reader udev, void *udev_ctx,
                                const om_sink *sink) {
  om_host_parse p = {0};
  om_slice line, f[MAX_FIELDS];
  for (size_t lineno = 1; om_host_next_line(&text, &line); lineno++) {
    size_t n = om_host_fields(line, f, MAX_FIELDS);
    if (n == 0)
      continue;
    if (n > MAX_FIELDS || !disk_line(f, n, exclude, udev, udev_ctx, sink))
      om_host_bad_line(&p, lineno);
  }
  return p;
}

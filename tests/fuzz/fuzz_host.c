/* libFuzzer target: arbitrary bytes as each of the kernel's files the
 * <Host> collector reads (/proc/meminfo, vmstat, stat, diskstats, net/dev,
 * loadavg, sys/fs/file-nr, mounts, and a udev data file). Every sample a
 * parser hands on must name a metric name and carry valid label names;
 * the count of malformed lines never exceeds the lines; nothing may crash
 * or leak or read past the input. */
#include "om_host_disk.h"
#include "om_host_filter.h"
#include "om_host_mounts.h"
#include "om_host_net.h"
#include "om_host_proc.h"
#include "om_host_stat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_sample(void *ctx, const char *family, om_label *labels,
                         size_t n, double value) {
  (void)ctx;
  (void)value;
  if (!om_metric_name_valid(family, strlen(family)))
    abort();
  for (size_t i = 0; i < n; i++)
    if (!om_label_name_valid(labels[i].name.ptr, labels[i].name.len))
      abort();
}

static om_slice udev_is_input(void *ctx, uint64_t major, uint64_t minor) {
  (void)major;
  (void)minor;
  return *(const om_slice *)ctx;
}

static bool nohandler(void *ctx, const char *device, uint64_t *out) {
  (void)ctx;
  *out = strlen(device);
  return true;
}

static size_t lines_of(const char *s, size_t len) {
  size_t n = 1;
  for (size_t i = 0; i < len; i++)
    n += s[i] == '\n';
  return n;
}

static void bounded(om_host_parse p, size_t lines) {
  if (p.malformed > lines || (p.malformed > 0 && p.first_bad == 0))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  om_slice in = {text, size};
  size_t lines = lines_of(text, size);
  om_sink sink = {check_sample, NULL, NULL};
  om_host_filter none = {0};
  om_host_cpus cpus = {0};
  bounded(om_host_meminfo(in, &sink), lines);
  bounded(om_host_vmstat(in, &none, &sink), lines);
  bounded(om_host_stat(in, &cpus, true, true, &sink), lines);
  bounded(om_host_stat(in, &cpus, true, false, &sink), lines);
  om_host_cpus_free(&cpus);
  bounded(om_host_diskstats(in, &none, udev_is_input, &in, &sink), lines);
  bounded(om_host_netdev(in, &none, nohandler, NULL, &sink), lines);
  bounded(om_host_loadavg(in, &sink), lines);
  bounded(om_host_filefd(in, &sink), lines);
  om_host_mount m[16];
  om_host_parse p = {0};
  size_t n = om_host_mounts(text, size, &none, &none, m, 16, &p);
  bounded(p, lines);
  for (size_t i = 0; i < n; i++)
    if (m[i].device == NULL || m[i].mountpoint == NULL || m[i].fstype == NULL)
      abort();
  free(text);
  return 0;
}

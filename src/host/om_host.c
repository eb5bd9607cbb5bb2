/* The <Host> collector's read callback: each of node_exporter's
 * collectors the block enables, in turn, through one sink that adds the
 * job and instance labels; see om_host.h. */
#include "om_host.h"
#include "om_complain.h"
#include "om_conf.h"
#include "om_file.h"
#include "om_host_clock.h"
#include "om_host_config.h"
#include "om_host_disk.h"
#include "om_host_fs.h"
#include "om_host_net.h"
#include "om_host_proc.h"
#include "om_host_stat.h"
#include "om_log.h"
#include "om_time.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what a /proc file may hold at most (/proc/stat of a big host: ~100 KB) */
#define PROC_MAX_BYTES (4u << 20)
#define SMALL_MAX_BYTES (64u << 10)
#define LABELS_MAX 16

typedef struct {
  om_host_config *cfg;
  om_emitter emit;
  char instance[320];
  om_buf text;  /* the file a collector reads */
  om_buf aside; /* a second file read meanwhile (udev data, sysfs) */
  om_host_cpus cpus;
  om_host_fs fs;
  om_state_log state[OM_HOST_COLLECTORS];
  char path[4608];
} om_host;

void om_host_free(void *p) {
  om_host *h = p;
  if (h == NULL)
    return;
  om_host_fs_free(&h->fs);
  om_host_cpus_free(&h->cpus);
  om_buf_clear(&h->text, true);
  om_buf_clear(&h->aside, true);
  om_host_config_free(h->cfg);
  free(h);
}

om_emitter *om_host_emitter(void *collector) {
  return &((om_host *)collector)->emit;
}

void *om_host_new(void *config, const om_catalog *catalog) {
  om_host_config *cfg = config;
  om_host *h = calloc(1, sizeof(*h));
  if (h == NULL) {
    om_host_config_free(cfg);
    return NULL;
  }
  h->cfg = cfg;
  if (om_host_fs_init(&h->fs) != 0) {
    om_host_free(h);
    return NULL;
  }
  om_emitter_init(&h->emit, catalog, "host", cfg->block.name, cfg->block.id);
  om_emitter_select(&h->emit, &cfg->block);
  for (size_t c = 0; c < OM_HOST_COLLECTORS; c++)
    om_state_log_init(&h->state[c]);
  return h;
}

/* --- the sink: every sample gets job and instance ------------------------ */

static void host_value(void *ctx, const char *family, om_label *labels,
                       size_t n, double value) {
  om_host *h = ctx;
  om_label l[LABELS_MAX + 3];
  if (n > LABELS_MAX)
    n = LABELS_MAX; /* no collector of ours has more */
  for (size_t i = 0; i < n; i++)
    l[i] = labels[i];
  l[n++] = om_label_cstr("job", h->cfg->job);
  l[n++] = om_label_cstr("instance", h->instance);
  om_emit_any(&h->emit, family, l, n, value);
}

static om_sink host_sink(om_host *h) { return (om_sink){host_value, NULL, h}; }

/* --- reading files ------------------------------------------------------- */

/* Reads <ProcPath>/<name> into h->text: 0, or -1 with err set. */
static int read_proc(om_host *h, const char *name, char *err, size_t errlen) {
  int error;
  snprintf(h->path, sizeof(h->path), "%s/%s", h->cfg->proc_path, name);
  return om_read_kernel_file(h->path, PROC_MAX_BYTES, &h->text, &error, err,
                             errlen);
}

static om_slice text_of(const om_buf *b) {
  return (om_slice){om_buf_str(b), b->len};
}

static om_slice read_udev(void *ctx, uint64_t major, uint64_t minor) {
  om_host *h = ctx;
  char path[4200], err[256];
  int error;
  snprintf(path, sizeof(path), "%s/b%" PRIu64 ":%" PRIu64,
           h->cfg->udev_data_path, major, minor);
  if (om_read_kernel_file(path, SMALL_MAX_BYTES, &h->aside, &error, err,
                          sizeof(err)) != 0)
    return (om_slice){"", 0};
  return text_of(&h->aside);
}

static bool read_nohandler(void *ctx, const char *device, uint64_t *out) {
  om_host *h = ctx;
  char path[4200], err[256];
  int error;
  snprintf(path, sizeof(path), "%s/class/net/%s/statistics/rx_nohandler",
           h->cfg->sys_path, device);
  if (om_read_kernel_file(path, SMALL_MAX_BYTES, &h->aside, &error, err,
                          sizeof(err)) != 0)
    return false;
  om_slice rest = text_of(&h->aside), line;
  return om_host_next_line(&rest, &line) && om_host_u64(line, out);
}

/* --- the collectors ------------------------------------------------------ */

/* One collector's read: 0, or -1 with err (errlen bytes) saying why. */
static int run_collector(om_host *h, om_host_collector c, const om_sink *s,
                         char *err, size_t errlen) {
  const om_host_config *cfg = h->cfg;
  om_host_parse p;
  switch (c) {
  case OM_HOST_CPU:
  case OM_HOST_STAT:
    if (read_proc(h, "stat", err, errlen) != 0)
      return -1;
    p = om_host_stat(text_of(&h->text), &h->cpus, c == OM_HOST_CPU,
                     c == OM_HOST_STAT, s);
    return om_host_parse_result(&p, "stat", err, errlen);
  case OM_HOST_MEMINFO:
    if (read_proc(h, "meminfo", err, errlen) != 0)
      return -1;
    p = om_host_meminfo(text_of(&h->text), s);
    return om_host_parse_result(&p, "meminfo", err, errlen);
  case OM_HOST_VMSTAT:
    if (read_proc(h, "vmstat", err, errlen) != 0)
      return -1;
    p = om_host_vmstat(text_of(&h->text), &cfg->vmstat, s);
    return om_host_parse_result(&p, "vmstat", err, errlen);
  case OM_HOST_LOADAVG:
    if (read_proc(h, "loadavg", err, errlen) != 0)
      return -1;
    p = om_host_loadavg(text_of(&h->text), s);
    return om_host_parse_result(&p, "loadavg", err, errlen);
  case OM_HOST_FILEFD:
    if (read_proc(h, "sys/fs/file-nr", err, errlen) != 0)
      return -1;
    p = om_host_filefd(text_of(&h->text), s);
    return om_host_parse_result(&p, "sys/fs/file-nr", err, errlen);
  case OM_HOST_DISKSTATS:
    if (read_proc(h, "diskstats", err, errlen) != 0)
      return -1;
    p = om_host_diskstats(text_of(&h->text), &cfg->devices, read_udev, h, s);
    return om_host_parse_result(&p, "diskstats", err, errlen);
  case OM_HOST_NETDEV:
    if (read_proc(h, "net/dev", err, errlen) != 0)
      return -1;
    p = om_host_netdev(text_of(&h->text), &cfg->net_devices, read_nohandler, h,
                       s);
    return om_host_parse_result(&p, "net/dev", err, errlen);
  case OM_HOST_FILESYSTEM:
    return om_host_fs_read(&h->fs, cfg, &h->text, s, cfg->block.id, err,
                           errlen);
  case OM_HOST_TIME:
    return om_host_time(cfg, &h->aside, s, err, errlen);
  case OM_HOST_UNAME:
    return om_host_uname(s, err, errlen);
  default:
    snprintf(err, errlen, "no such collector");
    return -1;
  }
}

/* The collector's read, its success and duration, and its state logged
 * once when it starts failing (or its reason changes) and when it
 * recovers. */
static void collect(om_host *h, om_host_collector c, const om_sink *s) {
  const char *name = om_host_collector_names[c];
  char err[512] = "";
  double start = om_monotonic_s();
  int rc = run_collector(h, c, s, err, sizeof(err));
  double took = om_monotonic_s() - start;
  om_label l[] = {om_label_cstr("collector", name)};
  host_value(h, "node_scrape_collector_duration_seconds", l, 1, took);
  host_value(h, "node_scrape_collector_success", l, 1, rc == 0 ? 1 : 0);
  if (rc == 0) {
    om_state_ok(&h->state[c], OM_LOG_INFO, h->cfg->block.id,
                "collector \"%s\" works again", name);
    return;
  }
  uint64_t reason = 0;
  for (const char *p = err; *p != '\0'; p++)
    reason = reason * 31 + (unsigned char)*p;
  om_state_fail(&h->state[c], reason, OM_LOG_WARNING, h->cfg->block.id,
                "collector \"%s\" failed: %s; "
                "node_scrape_collector_success{collector=\"%s\"} is 0",
                name, err, name);
}

/* The instance label: Instance, or collectd's Hostname with node_exporter's
 * port, as a Prometheus job scraping it would name the target. */
static void resolve_instance(om_host *h) {
  if (h->instance[0] != '\0')
    return;
  if (h->cfg->instance != NULL)
    snprintf(h->instance, sizeof(h->instance), "%s", h->cfg->instance);
  else
    snprintf(h->instance, sizeof(h->instance), "%s:" OM_HOST_DEFAULT_PORT,
             om_conf_hostname());
}

int om_host_read(void *p) {
  om_host *h = p;
  resolve_instance(h);
  om_sink s = host_sink(h);
  om_emitter_begin(&h->emit);
  for (size_t c = 0; c < OM_HOST_COLLECTORS; c++)
    if (h->cfg->enabled[c])
      collect(h, (om_host_collector)c, &s);
  om_emitter_end(&h->emit);
  /* a large file's buffer goes back to the system between reads */
  if (h->text.cap > (1u << 20))
    om_buf_clear(&h->text, true);
  return 0;
}

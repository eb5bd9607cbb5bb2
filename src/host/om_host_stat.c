/* node_exporter's cpu and stat collectors; see om_host_stat.h. */
#include "om_host_stat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the kernel's USER_HZ, fixed at 100 for user space */
#define TICKS_PER_SECOND 100.0
/* node_exporter's jumpBackSeconds */
#define JUMP_BACK_S 3.0
#define CPU_LINE_FIELDS (1 + OM_HOST_CPU_FIELDS)

static const char *const MODES[8] = {"user",   "nice", "system",  "idle",
                                     "iowait", "irq",  "softirq", "steal"};

void om_host_cpus_free(om_host_cpus *cpus) {
  free(cpus->last);
  cpus->last = NULL;
  cpus->num = 0;
}

/* How many "cpuN" lines the text has: the number of CPUs. */
static size_t count_cpus(om_slice text) {
  size_t n = 0;
  om_slice line;
  while (om_host_next_line(&text, &line))
    if (line.len > 3 && memcmp(line.ptr, "cpu", 3) == 0 && line.ptr[3] != ' ')
      n++;
  return n;
}

/* A fresh table of last values when the number of CPUs changed. */
static bool size_cpus(om_host_cpus *cpus, size_t num) {
  if (num == cpus->num)
    return true;
  om_host_cpus_free(cpus);
  if (num == 0)
    return true;
  cpus->last = calloc(num, sizeof(*cpus->last));
  if (cpus->last == NULL)
    return false;
  cpus->num = num;
  return true;
}

/* node_exporter's updateCPUStats for one CPU: v becomes what is reported. */
static void keep_monotonic(double last[OM_HOST_CPU_FIELDS],
                           double v[OM_HOST_CPU_FIELDS]) {
  if (last[3] - v[3] >= JUMP_BACK_S)
    memset(last, 0, sizeof(double) * OM_HOST_CPU_FIELDS);
  for (size_t i = 0; i < OM_HOST_CPU_FIELDS; i++) {
    if (v[i] >= last[i])
      last[i] = v[i];
    v[i] = last[i];
  }
}

static void emit_cpu(const om_sink *sink, om_slice id,
                     const double v[OM_HOST_CPU_FIELDS]) {
  for (size_t m = 0; m < 8; m++) {
    om_label l[] = {{om_slice_from_cstr("cpu"), id},
                    om_label_cstr("mode", MODES[m])};
    om_sink_value(sink, "node_cpu_seconds_total", l, 2, v[m]);
  }
  for (size_t m = 0; m < 2; m++) {
    om_label l[] = {{om_slice_from_cstr("cpu"), id},
                    om_label_cstr("mode", MODES[m])};
    om_sink_value(sink, "node_cpu_guest_seconds_total", l, 2, v[8 + m]);
  }
}

/* One "cpuN ..." line (the i-th): false when it is malformed. */
static bool cpu_line(const om_slice *f, size_t n, om_host_cpus *cpus, size_t i,
                     const om_sink *sink) {
  uint64_t num, ticks;
  om_slice id = {f[0].ptr + 3, f[0].len - 3};
  if (n < 5 || n > CPU_LINE_FIELDS || !om_host_u64(id, &num) || i >= cpus->num)
    return false;
  double v[OM_HOST_CPU_FIELDS] = {0};
  for (size_t k = 1; k < n; k++) {
    if (!om_host_u64(f[k], &ticks))
      return false;
    v[k - 1] = (double)ticks / TICKS_PER_SECOND;
  }
  keep_monotonic(cpus->last[i], v);
  emit_cpu(sink, id, v);
  return true;
}

static const struct {
  const char *key, *family;
} STAT_KEYS[] = {
    {"btime", "node_boot_time_seconds"},
    {"ctxt", "node_context_switches_total"},
    {"processes", "node_forks_total"},
    {"intr", "node_intr_total"},
    {"procs_running", "node_procs_running"},
    {"procs_blocked", "node_procs_blocked"},
};

/* One of the stat collector's lines: false when it is malformed (a line
 * it does not know is none of its business). */
static bool stat_line(const om_slice *f, size_t n, const om_sink *sink) {
  for (size_t k = 0; k < OM_LEN(STAT_KEYS); k++) {
    if (!om_slice_eq_cstr(f[0], STAT_KEYS[k].key))
      continue;
    uint64_t v;
    if (n < 2 || !om_host_u64(f[1], &v))
      return false;
    om_sink_value(sink, STAT_KEYS[k].family, NULL, 0, (double)v);
    return true;
  }
  return true;
}

om_host_parse om_host_stat(om_slice text, om_host_cpus *cpus, bool cpu,
                           bool stat, const om_sink *sink) {
  om_host_parse p = {0};
  size_t num = count_cpus(text);
  if (num > OM_HOST_CPU_MAX)
    num = OM_HOST_CPU_MAX;
  if (cpu && !size_cpus(cpus, num))
    om_host_bad_line(&p, 1);
  om_slice line, f[CPU_LINE_FIELDS + 1];
  size_t cpu_index = 0;
  for (size_t lineno = 1; om_host_next_line(&text, &line); lineno++) {
    size_t n = om_host_fields(line, f, OM_LEN(f));
    if (n == 0)
      continue;
    bool is_cpu = om_host_has_prefix(f[0], "cpu");
    bool ok = true;
    if (is_cpu && f[0].len > 3 && cpu)
      ok = cpu_line(f, n, cpus, cpu_index++, sink);
    else if (!is_cpu && stat)
      ok = stat_line(f, n, sink);
    if (!ok)
      om_host_bad_line(&p, lineno);
  }
  return p;
}

/* Benchmark of the <Host> collector's own work: parsing the kernel's
 * files (a /proc/mounts, /proc/diskstats and /proc/net/dev of n lines,
 * a /proc/stat of n CPUs) and statfs of n paths under om_statfs, at two
 * sizes, reported as ns per line (or path) and as the ratio of the larger
 * size's cost per line to the smaller's: about 1 when the cost grows
 * linearly with the work. Reports numbers; it asserts no timing, only
 * that every line came through.
 *
 *   bench_host [small] [large]       (default 1000 8000) */
#include "om_host_disk.h"
#include "om_host_filter.h"
#include "om_host_mounts.h"
#include "om_host_net.h"
#include "om_host_stat.h"
#include "om_statfs.h"
#include "om_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPS 5

static size_t counted;

static void count_sample(void *ctx, const char *family, om_label *labels,
                         size_t n, double value) {
  (void)ctx, (void)family, (void)labels, (void)n, (void)value;
  counted++;
}

/* n lines of one kind of kernel file; *len its length. */
static char *make(const char *kind, int n, size_t *len) {
  size_t cap = (size_t)n * 256 + 512, used = 0;
  char *buf = malloc(cap);
  if (strcmp(kind, "net") == 0)
    used += (size_t)snprintf(buf, cap,
                             "Inter-| Receive | Transmit\n"
                             " face |bytes packets|bytes\n");
  for (int i = 0; i < n; i++) {
    if (strcmp(kind, "mounts") == 0)
      used += (size_t)snprintf(
          buf + used, cap - used,
          "tmpfs /var/lib/kubelet/pods/%08x-4a5e-9c3b/volumes/secret-%d "
          "tmpfs rw,relatime,size=%dk 0 0\n",
          i, i, i);
    else if (strcmp(kind, "disk") == 0)
      used += (size_t)snprintf(buf + used, cap - used,
                               " 259 %7d nvme%dn1 459411 62934 44302212 151408 "
                               "2004931 1531034 130186568 4013468 0 1089632 "
                               "3990868 112 0 16389120 32 2113 917\n",
                               i, i);
    else if (strcmp(kind, "net") == 0)
      used += (size_t)snprintf(buf + used, cap - used,
                               "veth%06d: 4294967296 30293042 3 17 1 2 0 40103 "
                               "8453215102 11739211 0 0 0 5 6 0\n",
                               i);
    else /* stat */
      used += (size_t)snprintf(buf + used, cap - used,
                               "cpu%d 9237 0 5494 44846 41 0 56 651 0 0\n", i);
  }
  *len = used;
  return buf;
}

/* The best of REPS parses of a file of n lines: seconds per line. */
static double parse_cost(const char *kind, int n) {
  size_t len;
  char *text = make(kind, n, &len);
  char *copy = malloc(len + 1);
  om_sink sink = {count_sample, NULL, NULL};
  om_host_filter none = {0};
  om_host_mount *mounts = calloc((size_t)n, sizeof(*mounts));
  om_host_cpus cpus = {0};
  double best = 1e9;
  for (int r = 0; r < REPS; r++) {
    memcpy(copy, text, len + 1);
    om_slice in = {copy, len};
    om_host_parse p = {0};
    counted = 0;
    double t0 = om_monotonic_s();
    if (strcmp(kind, "mounts") == 0)
      counted = om_host_mounts(copy, len, &none, &none, mounts, (size_t)n, &p);
    else if (strcmp(kind, "disk") == 0)
      p = om_host_diskstats(in, &none, NULL, NULL, &sink);
    else if (strcmp(kind, "net") == 0)
      p = om_host_netdev(in, &none, NULL, NULL, &sink);
    else
      p = om_host_stat(in, &cpus, true, false, &sink);
    double t = om_monotonic_s() - t0;
    if (p.malformed != 0 || counted < (size_t)n) {
      fprintf(stderr, "bench_host: %s: %zu of %d lines came through\n", kind,
              counted, n);
      exit(1);
    }
    if (t < best)
      best = t;
  }
  om_host_cpus_free(&cpus);
  free(mounts);
  free(copy);
  free(text);
  return best / n;
}

/* The best of REPS runs of statfs on n paths (the root, n times). */
static double statfs_cost(int n) {
  om_statfs_runner *r = om_statfs_runner_new();
  om_statfs_job *jobs = calloc((size_t)n, sizeof(*jobs));
  char(*paths)[8] = calloc((size_t)n, sizeof(*paths));
  double best = 1e9;
  for (int k = 0; k < REPS; k++) {
    for (int i = 0; i < n; i++) {
      /* distinct strings, one mount: "/", "//", "///"... stay the root */
      snprintf(paths[i], sizeof(paths[i]), "/%s", i % 2 ? "." : "");
      jobs[i] = (om_statfs_job){.path = paths[i]};
    }
    double t0 = om_monotonic_s();
    om_statfs_run(r, jobs, (size_t)n, t0 + 60);
    double t = om_monotonic_s() - t0;
    for (int i = 0; i < n; i++)
      if (jobs[i].state != OM_STATFS_OK) {
        fprintf(stderr, "bench_host: statfs %d: state %d\n", i,
                (int)jobs[i].state);
        exit(1);
      }
    if (t < best)
      best = t;
  }
  om_statfs_runner_free(r);
  free(paths);
  free(jobs);
  return best / n;
}

int main(int argc, char **argv) {
  int small = argc > 1 ? atoi(argv[1]) : 1000;
  int large = argc > 2 ? atoi(argv[2]) : 8000;
  static const char *const kinds[] = {"mounts", "disk", "net", "stat"};
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    double a = parse_cost(kinds[i], small), b = parse_cost(kinds[i], large);
    printf("bench: host %-6s %5d lines %6.0f ns/line, %5d lines %6.0f "
           "ns/line: ratio %.2f\n",
           kinds[i], small, a * 1e9, large, b * 1e9, b / a);
  }
  double a = statfs_cost(small / 10), b = statfs_cost(large / 10);
  printf("bench: host statfs %5d paths %6.1f us/path, %5d paths %6.1f "
         "us/path: ratio %.2f (a thread each, four at a time)\n",
         small / 10, a * 1e6, large / 10, b * 1e6, b / a);
  return 0;
}

/* The <Host> collector's parsers over /proc files recorded from several
 * kernels (tests/unit/host/data: 2.6.9 and 2.6.32 as RHEL 4 and 6 print
 * them, 3.10 as CentOS 7's, 4.19, and 6.18 from a Debian 12 test
 * machine), malformed lines, and every truncation of each file. */
#define RECORDER_LINES 1024
#include "check_main.h"
#include "om_host_disk.h"
#include "om_host_filter.h"
#include "om_host_mounts.h"
#include "om_host_net.h"
#include "om_host_proc.h"
#include "om_host_stat.h"
#include "sample_recorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA OM_SOURCE_DIR "/tests/unit/host/data/"

/* A recorded file, whole, NUL-terminated. */
static char *load(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof(path), DATA "%s", name);
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "%s", path);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  char *out = malloc(n + 1);
  memcpy(out, buf, n);
  out[n] = '\0';
  *len = n;
  return out;
}

static om_slice slice_of(const char *s, size_t len) {
  return (om_slice){s, len};
}

static size_t count_family(const recorder *r, const char *family) {
  size_t n = 0, flen = strlen(family);
  for (size_t i = 0; i < r->n; i++)
    n += strncmp(r->lines[i], family, flen) == 0 && r->lines[i][flen] == '{';
  return n;
}

static void filter(om_host_filter *f, const char *re) {
  char err[256];
  memset(f, 0, sizeof(*f));
  ck_assert_msg(om_host_filter_compile(f, re, err, sizeof(err)) == 0, "%s",
                err);
}

/* --- meminfo ------------------------------------------------------------- */

START_TEST(test_meminfo_6_18) {
  size_t len;
  char *t = load("meminfo.6.18", &len);
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p = om_host_meminfo(slice_of(t, len), &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(r.n, 54);
  char want[128];
  unsigned long long total;
  ck_assert(sscanf(t, "MemTotal: %llu kB", &total) == 1);
  snprintf(want, sizeof(want), "node_memory_MemTotal_bytes{} %llu",
           total * 1024);
  ck_assert_msg(recorded(&r, want), "%s", want);
  ck_assert_uint_eq(count_family(&r, "node_memory_Active_anon_bytes"), 1);
  ck_assert_uint_eq(count_family(&r, "node_memory_Inactive_file_bytes"), 1);
  ck_assert_uint_eq(count_family(&r, "node_memory_HugePages_Total"), 1);
  ck_assert_uint_eq(count_family(&r, "node_memory_HugePages_Total_bytes"), 0);
  ck_assert_uint_eq(count_family(&r, "node_memory_MemAvailable_bytes"), 1);
  free(t);
}
END_TEST

START_TEST(test_meminfo_2_6_32) {
  size_t len;
  char *t = load("meminfo.2.6.32", &len);
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p = om_host_meminfo(slice_of(t, len), &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(r.n, 42);
  ck_assert_uint_eq(count_family(&r, "node_memory_MemAvailable_bytes"), 0);
  /* 34359738367 kB: exact in a double */
  ck_assert(recorded(&r, "node_memory_VmallocTotal_bytes{} 35184372087808"));
  ck_assert(recorded(&r, "node_memory_HugePages_Free{} 0"));
  ck_assert(recorded(&r, "node_memory_Hugepagesize_bytes{} 2097152"));
  free(t);
}
END_TEST

START_TEST(test_meminfo_malformed) {
  const char *t = "MemTotal: 100 kB\n"
                  "\n"
                  "MemFree: lots kB\n" /* 3 */
                  "Bad Key: 1 kB\n"    /* 4: two words before the value */
                  "NoColon 5\n"        /* 5 */
                  "Weird-Name: 1 kB\n" /* 6 */
                  "Active(anon): 4 kB\n"
                  "Truncated:";
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p = om_host_meminfo(slice_of(t, strlen(t)), &s);
  ck_assert_uint_eq(p.malformed, 5);
  ck_assert_uint_eq(p.first_bad, 3);
  ck_assert_uint_eq(r.n, 2);
  ck_assert(recorded(&r, "node_memory_MemTotal_bytes{} 102400"));
  ck_assert(recorded(&r, "node_memory_Active_anon_bytes{} 4096"));
  char err[128] = "";
  ck_assert_int_eq(om_host_parse_result(&p, "meminfo", err, sizeof(err)), -1);
  ck_assert_str_eq(err, "5 line(s) of meminfo unreadable, first line 3");
  om_host_parse clean = {0};
  ck_assert_int_eq(om_host_parse_result(&clean, "meminfo", err, sizeof(err)),
                   0);
}
END_TEST

/* --- stat: cpu and stat ------------------------------------------------- */

START_TEST(test_stat_6_18) {
  size_t len;
  char *t = load("stat.6.18", &len);
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_cpus cpus = {0};
  om_host_parse p = om_host_stat(slice_of(t, len), &cpus, true, true, &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(cpus.num, 2);
  ck_assert_uint_eq(count_family(&r, "node_cpu_seconds_total"), 16);
  ck_assert_uint_eq(count_family(&r, "node_cpu_guest_seconds_total"), 4);
  const char *single[] = {
      "node_boot_time_seconds", "node_context_switches_total",
      "node_forks_total",       "node_intr_total",
      "node_procs_running",     "node_procs_blocked"};
  for (size_t i = 0; i < OM_LEN(single); i++)
    ck_assert_msg(count_family(&r, single[i]) == 1, "%s", single[i]);
  /* cpu0's user ticks, as seconds */
  unsigned long long user;
  const char *cpu0 = strstr(t, "\ncpu0 ");
  ck_assert(cpu0 && sscanf(cpu0, "\ncpu0 %llu", &user) == 1);
  char want[128];
  snprintf(want, sizeof(want), "node_cpu_seconds_total{cpu=0,mode=user} %.17g",
           (double)user / 100.0);
  ck_assert_msg(recorded(&r, want), "%s", want);
  /* only the stat collector's */
  om_sink s2 = recorder_sink(&r, true);
  p = om_host_stat(slice_of(t, len), &cpus, false, true, &s2);
  ck_assert_uint_eq(r.n, 6);
  om_host_cpus_free(&cpus);
  free(t);
}
END_TEST

START_TEST(test_stat_2_6_9_has_fewer_modes) {
  size_t len;
  char *t = load("stat.2.6.9", &len);
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_cpus cpus = {0};
  om_host_parse p = om_host_stat(slice_of(t, len), &cpus, true, true, &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=1,mode=idle} 113138.45"));
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=1,mode=steal} 0"));
  ck_assert(recorded(&r, "node_cpu_guest_seconds_total{cpu=0,mode=nice} 0"));
  ck_assert(recorded(&r, "node_intr_total{} 114930548"));
  ck_assert(recorded(&r, "node_boot_time_seconds{} 1062191376"));
  om_host_cpus_free(&cpus);
  free(t);
}
END_TEST

static void parse_cpu(om_host_cpus *cpus, recorder *r, const char *text) {
  om_sink s = recorder_sink(r, false);
  om_host_parse p =
      om_host_stat(slice_of(text, strlen(text)), cpus, true, false, &s);
  ck_assert_uint_eq(p.malformed, 0);
}

START_TEST(test_cpu_counters_stay_monotonic) {
  om_host_cpus cpus = {0};
  recorder r;
  parse_cpu(&cpus, &r, "cpu0 100 0 100 1000 0 0 0 0 0 0\n");
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=idle} 10"));
  /* user went back a tick, idle 1 s: the last values stay */
  parse_cpu(&cpus, &r, "cpu0 99 0 150 900 0 0 0 0 0 0\n");
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=user} 1"));
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=idle} 10"));
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=system} 1.5"));
  /* idle 3 s or more back: the CPU starts afresh (it went offline) */
  parse_cpu(&cpus, &r, "cpu0 5 0 5 500 0 0 0 0 0 0\n");
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=user} 0.05"));
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=idle} 5"));
  /* another CPU count: all start afresh */
  parse_cpu(&cpus, &r, "cpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 2 0 2 2 0 0 0 0 0 0\n");
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=0,mode=idle} 0.01"));
  ck_assert(recorded(&r, "node_cpu_seconds_total{cpu=1,mode=user} 0.02"));
  om_host_cpus_free(&cpus);
}
END_TEST

START_TEST(test_stat_malformed) {
  const char *t = "cpu  1 2 3 4\n"
                  "cpu0 1 2 3\n"           /* 2: too few fields */
                  "cpu1 1 2 x 4 5 6 7 8\n" /* 3: not a number */
                  "cpuX 1 2 3 4 5 6 7 8\n" /* 4: not a CPU number */
                  "ctxt many\n"            /* 5 */
                  "btime\n"                /* 6 */
                  "softirq 1 2 3\n"        /* another collector's */
                  "processes 12\n";
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_cpus cpus = {0};
  om_host_parse p = om_host_stat(slice_of(t, strlen(t)), &cpus, true, true, &s);
  ck_assert_uint_eq(p.malformed, 5);
  ck_assert_uint_eq(p.first_bad, 2);
  ck_assert(recorded(&r, "node_forks_total{} 12"));
  ck_assert_uint_eq(count_family(&r, "node_cpu_seconds_total"), 0);
  om_host_cpus_free(&cpus);
}
END_TEST

/* --- diskstats ----------------------------------------------------------- */

static om_slice fake_udev(void *ctx, uint64_t major, uint64_t minor) {
  (void)ctx;
  static const char sda[] = "S:disk/by-id/ata-X\n"
                            "E:ID_ATA=1\n"
                            "E:ID_ATA_WRITE_CACHE=1\n"
                            "E:ID_ATA_WRITE_CACHE_ENABLED=0\n"
                            "E:ID_ATA_ROTATION_RATE_RPM=7200\n"
                            "E:ID_MODEL=WDC_WD40\n"
                            "E:ID_SERIAL_SHORT=WD-1234\n"
                            "E:ID_PATH=pci-0000:00:1f.2-ata-1\n"
                            "E:ID_WWN=0x50014ee2b5d1c3a1\n"
                            "E:ID_REVISION=01.01A01\n"
                            "E:ID_FS_TYPE=LVM2_member\n"
                            "E:ID_FS_USAGE=raid\n"
                            "E:ID_FS_UUID=abc\n"
                            "E:ID_FS_VERSION=LVM2 001\n";
  static const char dm[] = "E:DM_NAME=centos-root\n"
                           "E:DM_UUID=LVM-xyz\n"
                           "E:DM_VG_NAME=centos\n"
                           "E:DM_LV_NAME=root\n"
                           "E:SCSI_IDENT_SERIAL=SERIAL-FIRST\n"
                           "E:ID_SERIAL_SHORT=NOT-THIS\n";
  if (major == 8 && minor == 0)
    return (om_slice){sda, sizeof(sda) - 1};
  if (major == 253)
    return (om_slice){dm, sizeof(dm) - 1};
  return (om_slice){"", 0};
}

START_TEST(test_diskstats_3_10) {
  size_t len;
  char *t = load("diskstats.3.10", &len);
  om_host_filter ex;
  filter(&ex, "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme[0-9]+n[0-9]+p)[0-9]+$");
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p =
      om_host_diskstats(slice_of(t, len), &ex, fake_udev, NULL, &s);
  ck_assert_uint_eq(p.malformed, 0);
  /* sda, dm-0 and sr0; partitions and loop devices left out; 11 counters */
  ck_assert_uint_eq(count_family(&r, "node_disk_info"), 3);
  ck_assert_uint_eq(
      count_family(&r, "node_disk_io_time_weighted_seconds_total"), 3);
  ck_assert_uint_eq(count_family(&r, "node_disk_discards_completed_total"), 0);
  ck_assert(recorded(&r, "node_disk_info{device=sda,major=8,minor=0,"
                         "path=pci-0000:00:1f.2-ata-1,wwn=0x50014ee2b5d1c3a1,"
                         "model=WDC_WD40,serial=WD-1234,revision=01.01A01} 1"));
  ck_assert(recorded(&r, "node_disk_info{device=dm-0,major=253,minor=0,path=,"
                         "wwn=,model=,serial=SERIAL-FIRST,revision=} 1"));
  ck_assert(recorded(&r, "node_disk_read_bytes_total{device=sda} 1969521664"));
  char want[128];
  snprintf(want, sizeof(want),
           "node_disk_read_time_seconds_total{device=sda} %.17g",
           117583 * (1.0 / 1000.0));
  ck_assert_msg(recorded(&r, want), "%s", want);
  ck_assert(recorded(&r, "node_disk_io_now{device=dm-0} 0"));
  ck_assert(recorded(&r, "node_disk_filesystem_info{device=sda,"
                         "type=LVM2_member,usage=raid,uuid=abc,"
                         "version=LVM2 001} 1"));
  ck_assert(recorded(&r, "node_disk_device_mapper_info{device=dm-0,"
                         "name=centos-root,uuid=LVM-xyz,vg_name=centos,"
                         "lv_name=root,lv_layer=} 1"));
  ck_assert(recorded(&r, "node_disk_ata_rotation_rate_rpm{device=sda} 7200"));
  ck_assert(recorded(&r, "node_disk_ata_write_cache_enabled{device=sda} 0"));
  om_host_filter_free(&ex);
  free(t);
}
END_TEST

START_TEST(test_diskstats_newer_kernels) {
  static const struct {
    const char *file;
    size_t devices, counters;
  } cases[] = {{"diskstats.4.19", 2, 15}, {"diskstats.6.18", 2, 17}};
  om_host_filter ex;
  filter(&ex, "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme[0-9]+n[0-9]+p)[0-9]+$");
  for (size_t i = 0; i < OM_LEN(cases); i++) {
    size_t len;
    char *t = load(cases[i].file, &len);
    recorder r;
    om_sink s = recorder_sink(&r, true);
    om_host_parse p = om_host_diskstats(slice_of(t, len), &ex, NULL, NULL, &s);
    ck_assert_uint_eq(p.malformed, 0);
    ck_assert_msg(r.n == cases[i].devices * (cases[i].counters + 1),
                  "%s: %zu samples", cases[i].file, r.n);
    free(t);
  }
  size_t len;
  char *t = load("diskstats.4.19", &len);
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_diskstats(slice_of(t, len), &ex, NULL, NULL, &s);
  ck_assert(recorded(&r, "node_disk_discarded_sectors_total{device=nvme0n1} "
                         "16389120"));
  ck_assert_uint_eq(count_family(&r, "node_disk_info"), 2); /* no p1, p2 */
  om_host_filter_free(&ex);
  free(t);
}
END_TEST

START_TEST(test_diskstats_malformed) {
  const char *t = "   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
                  "   8 1 sdb 1 2 3\n"                    /* 2: too short */
                  "   x 0 sdc 1 2 3 4 5 6 7 8 9 10 11\n"  /* 3 */
                  "   8 0 sdd 1 2 3 4 5 6 7 8 9 -1 11\n"; /* 4 */
  om_host_filter none = {0};
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p =
      om_host_diskstats(slice_of(t, strlen(t)), &none, NULL, NULL, &s);
  ck_assert_uint_eq(p.malformed, 3);
  ck_assert_uint_eq(p.first_bad, 2);
  ck_assert_uint_eq(count_family(&r, "node_disk_info"), 1);
}
END_TEST

/* --- netdev -------------------------------------------------------------- */

static bool fake_nohandler(void *ctx, const char *device, uint64_t *out) {
  (void)ctx;
  if (strcmp(device, "eth0") != 0)
    return false;
  *out = 42;
  return true;
}

START_TEST(test_netdev_3_10) {
  size_t len;
  char *t = load("net_dev.3.10", &len);
  om_host_filter ex;
  filter(&ex, "^lo$");
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p =
      om_host_netdev(slice_of(t, len), &ex, fake_nohandler, NULL, &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(r.n, 16 + 1 + 16);
  ck_assert(recorded(&r, "node_network_receive_bytes_total{device=eth0} "
                         "4294967296000"));
  ck_assert(recorded(&r, "node_network_receive_drop_total{device=eth0} 17"));
  ck_assert(recorded(&r, "node_network_receive_fifo_total{device=eth0} 1"));
  ck_assert(recorded(&r, "node_network_receive_frame_total{device=eth0} 2"));
  ck_assert(recorded(&r, "node_network_transmit_colls_total{device=eth0} 5"));
  ck_assert(recorded(&r, "node_network_transmit_carrier_total{device=eth0} 6"));
  ck_assert(recorded(&r, "node_network_receive_nohandler_total{device=eth0} "
                         "42"));
  ck_assert_uint_eq(count_family(&r, "node_network_receive_nohandler_total"),
                    1);
  ck_assert(recorded(&r, "node_network_receive_bytes_total{device=docker0} 0"));
  ck_assert_uint_eq(count_family(&r, "node_network_transmit_bytes_total"), 2);
  om_host_filter_free(&ex);
  free(t);
}
END_TEST

START_TEST(test_netdev_6_18_and_malformed) {
  size_t len;
  char *t = load("net_dev.6.18", &len);
  om_host_filter none = {0};
  recorder r;
  om_sink s = recorder_sink(&r, true);
  om_host_parse p = om_host_netdev(slice_of(t, len), &none, NULL, NULL, &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(r.n % 16, 0);
  const char *bad = "h1\nh2\n eth0: 1 2 3\n eth1 1 2 3 4 5 6 7 8 9 10 11 12 13 "
                    "14 15 16\n a b: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
  om_sink s2 = recorder_sink(&r, true);
  p = om_host_netdev(slice_of(bad, strlen(bad)), &none, NULL, NULL, &s2);
  ck_assert_uint_eq(p.malformed, 3);
  ck_assert_uint_eq(p.first_bad, 3);
  ck_assert_uint_eq(r.n, 0);
  free(t);
}
END_TEST

/* --- mounts -------------------------------------------------------------- */

START_TEST(test_mounts_3_10) {
  size_t len;
  char *t = load("mounts.3.10", &len);
  om_host_filter mp, fs;
  filter(&mp, "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|"
              "var/lib/containers/storage/.+)($|/)");
  filter(&fs, "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|"
              "devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|"
              "procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|"
              "tracefs)$");
  om_host_mount m[32];
  om_host_parse p = {0};
  size_t n = om_host_mounts(t, len, &mp, &fs, m, 32, &p);
  ck_assert_uint_eq(p.malformed, 0);
  /* rootfs /, centos-root / (once), /boot, /home, the two on sdb, /data */
  ck_assert_uint_eq(n, 7);
  ck_assert_str_eq(m[0].device, "rootfs");
  ck_assert_str_eq(m[1].mountpoint, "/");
  ck_assert_str_eq(m[1].fstype, "xfs");
  ck_assert_str_eq(m[4].mountpoint, "/srv/My Data");
  ck_assert(m[4].readonly);
  ck_assert_str_eq(m[5].mountpoint, "/srv/tab\there");
  ck_assert(!m[5].readonly);
  ck_assert_str_eq(m[6].mountpoint, "/data");
  ck_assert(m[6].readonly); /* "ro" last among the options */
  om_host_filter_free(&mp);
  om_host_filter_free(&fs);
  free(t);
}
END_TEST

START_TEST(test_mounts_6_18_and_malformed) {
  size_t len;
  char *t = load("mounts.6.18", &len);
  om_host_filter none = {0};
  om_host_mount m[32];
  om_host_parse p = {0};
  /* without exclusions, each (device, mount point, type) once */
  size_t n = om_host_mounts(t, len, &none, &none, m, 32, &p);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(n, 17);
  free(t);
  char bad[] = "a /x ext4 rw 0 0\nshort line\n\nb /y ext4\n"
               "c /z ext4 rw 0 0\nd /w ext4 rw";
  p = (om_host_parse){0};
  n = om_host_mounts(bad, strlen(bad), &none, &none, m, 2, &p);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(p.malformed, 3); /* line 2, line 4, and line 6 (full) */
  ck_assert_uint_eq(p.first_bad, 2);
}
END_TEST

/* --- small files and the filter ------------------------------------------- */

START_TEST(test_loadavg_filefd_vmstat) {
  recorder r;
  om_sink s = recorder_sink(&r, true);
  const char *load_ok = "0.00 0.01 12.50 1/234 5678\n";
  om_host_parse p = om_host_loadavg(slice_of(load_ok, strlen(load_ok)), &s);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert(recorded(&r, "node_load15{} 12.5"));
  const char *load_bad[] = {"", "0.1 0.2\n", "0.1 x 0.3\n"};
  for (size_t i = 0; i < OM_LEN(load_bad); i++) {
    om_sink s2 = recorder_sink(&r, true);
    p = om_host_loadavg(slice_of(load_bad[i], strlen(load_bad[i])), &s2);
    ck_assert_uint_eq(p.malformed, 1);
    ck_assert_uint_eq(r.n, 0);
  }
  om_sink s3 = recorder_sink(&r, true);
  const char *fd = "1184\t0\t9223372036854775807\n";
  p = om_host_filefd(slice_of(fd, strlen(fd)), &s3);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert(recorded(&r, "node_filefd_allocated{} 1184"));
  ck_assert(recorded(&r, "node_filefd_maximum{} 9.2233720368547758e+18"));
  size_t len;
  char *t = load("vmstat.6.18", &len);
  om_host_filter fields;
  filter(&fields, "^(oom_kill|pgpg|pswp|pg.*fault).*");
  om_sink s4 = recorder_sink(&r, true);
  p = om_host_vmstat(slice_of(t, len), &fields, &s4);
  ck_assert_uint_eq(p.malformed, 0);
  ck_assert_uint_eq(r.n, 7);
  ck_assert_uint_eq(count_family(&r, "node_vmstat_pgmajfault"), 1);
  ck_assert_uint_eq(count_family(&r, "node_vmstat_oom_kill"), 1);
  om_host_filter_free(&fields);
  free(t);
}
END_TEST

START_TEST(test_filter) {
  om_host_filter f = {0};
  char err[256];
  ck_assert_int_eq(
      om_host_filter_compile(&f, "^sd[a-z]\\d+$", err, sizeof(err)), -1);
  ck_assert_msg(strstr(err, "write [0-9]") != NULL, "%s", err);
  ck_assert_int_eq(om_host_filter_compile(&f, "^(a", err, sizeof(err)), -1);
  ck_assert(!om_host_filter_matches(&f, "a")); /* empty: nothing */
  /* unanchored, as node_exporter's: matches anywhere */
  ck_assert_int_eq(om_host_filter_compile(&f, "docker", err, sizeof(err)), 0);
  ck_assert(om_host_filter_matches(&f, "/var/lib/docker/x"));
  ck_assert_int_eq(om_host_filter_compile(&f, "^lo$", err, sizeof(err)), 0);
  ck_assert(om_host_filter_matches(&f, "lo"));
  ck_assert(!om_host_filter_matches(&f, "lo0"));
  om_host_filter_free(&f);
  om_host_filter_free(&f); /* twice: harmless */
}
END_TEST

/* --- every truncation of every recorded file ------------------------------ */

static void parse_all(const char *text, size_t len) {
  recorder r;
  om_sink s = recorder_sink(&r, false);
  om_host_filter none = {0};
  om_host_cpus cpus = {0};
  om_slice in = slice_of(text, len);
  om_host_meminfo(in, &s);
  r.n = 0;
  om_host_vmstat(in, &none, &s);
  r.n = 0;
  om_host_stat(in, &cpus, true, true, &s);
  r.n = 0;
  om_host_diskstats(in, &none, fake_udev, NULL, &s);
  r.n = 0;
  om_host_netdev(in, &none, fake_nohandler, NULL, &s);
  r.n = 0;
  om_host_loadavg(in, &s);
  om_host_filefd(in, &s);
  om_host_cpus_free(&cpus);
  char *copy = malloc(len + 1);
  memcpy(copy, text, len);
  copy[len] = '\0';
  om_host_mount m[64];
  om_host_parse p = {0};
  om_host_mounts(copy, len, &none, &none, m, 64, &p);
  free(copy);
}

START_TEST(test_every_truncation) {
  static const char *const files[] = {
      "meminfo.6.18",   "meminfo.2.6.32", "stat.6.18",      "stat.2.6.9",
      "diskstats.3.10", "diskstats.4.19", "diskstats.6.18", "net_dev.3.10",
      "net_dev.6.18",   "mounts.3.10",    "mounts.6.18"};
  for (size_t i = 0; i < OM_LEN(files); i++) {
    size_t len;
    char *t = load(files[i], &len);
    for (size_t cut = 0; cut <= len; cut += 1 + cut / 64) {
      char *exact = om_test_exact_copy(t, cut);
      parse_all(exact, cut);
      free(exact);
    }
    free(t);
  }
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("host");
  TCase *tc = tcase_create("parsers");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_meminfo_6_18);
  tcase_add_test(tc, test_meminfo_2_6_32);
  tcase_add_test(tc, test_meminfo_malformed);
  tcase_add_test(tc, test_stat_6_18);
  tcase_add_test(tc, test_stat_2_6_9_has_fewer_modes);
  tcase_add_test(tc, test_cpu_counters_stay_monotonic);
  tcase_add_test(tc, test_stat_malformed);
  tcase_add_test(tc, test_diskstats_3_10);
  tcase_add_test(tc, test_diskstats_newer_kernels);
  tcase_add_test(tc, test_diskstats_malformed);
  tcase_add_test(tc, test_netdev_3_10);
  tcase_add_test(tc, test_netdev_6_18_and_malformed);
  tcase_add_test(tc, test_mounts_3_10);
  tcase_add_test(tc, test_mounts_6_18_and_malformed);
  tcase_add_test(tc, test_loadavg_filefd_vmstat);
  tcase_add_test(tc, test_filter);
  tcase_add_test(tc, test_every_truncation);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(suite)

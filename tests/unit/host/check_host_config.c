/* <Host> configuration: defaults as the README gives them (node_exporter
 * 1.5's exclusions as Debian 12 ships them), errors naming the option and
 * the block, and the owner check between <Host> blocks. */
#include "check_main.h"
#include "config_builder.h"
#include "log_capture.h"
#include "om_claims.h"
#include "om_host_config.h"

#include <string.h>

static om_host_config *parse(config *c, const char *name, double interval) {
  return config_parse(c, &om_host_syntax, name, interval);
}

static void assert_refused(config *c, const char *want) {
  config_assert_refused(c, &om_host_syntax, "host", 10, want);
}

START_TEST(test_defaults) {
  config c = {0};
  om_host_config *cfg = parse(&c, NULL, 10);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert_str_eq(cfg->block.name, "host"); /* <Host> without a name */
  ck_assert_str_eq(cfg->block.id, "host/host");
  for (size_t i = 0; i < OM_HOST_COLLECTORS; i++)
    ck_assert(cfg->enabled[i]);
  ck_assert_str_eq(cfg->job, "node");
  ck_assert_ptr_null(cfg->instance); /* "<Hostname>:9100" at start */
  ck_assert(cfg->mount_timeout_s == 5.0);
  ck_assert_str_eq(cfg->proc_path, "/proc");
  ck_assert_str_eq(cfg->sys_path, "/sys");
  ck_assert_str_eq(cfg->rootfs_path, "/");
  ck_assert_str_eq(cfg->udev_data_path, "/run/udev/data");
  ck_assert(om_host_filter_matches(&cfg->mount_points, "/run/user/1000"));
  ck_assert(om_host_filter_matches(&cfg->mount_points, "/var/lib/docker/x"));
  ck_assert(!om_host_filter_matches(&cfg->mount_points, "/var/lib/docker"));
  ck_assert(!om_host_filter_matches(&cfg->mount_points, "/home"));
  ck_assert(om_host_filter_matches(&cfg->fs_types, "overlay"));
  ck_assert(om_host_filter_matches(&cfg->fs_types, "cgroup2"));
  ck_assert(!om_host_filter_matches(&cfg->fs_types, "ext4"));
  ck_assert(om_host_filter_matches(&cfg->devices, "sda1"));
  ck_assert(om_host_filter_matches(&cfg->devices, "nvme0n1p2"));
  ck_assert(!om_host_filter_matches(&cfg->devices, "nvme0n1"));
  ck_assert(!om_host_filter_matches(&cfg->devices, "dm-0"));
  ck_assert(om_host_filter_matches(&cfg->net_devices, "lo"));
  ck_assert(om_host_filter_matches(&cfg->vmstat, "pgmajfault"));
  ck_assert(!om_host_filter_matches(&cfg->vmstat, "nr_free_pages"));
  ck_assert_uint_eq(log_capture_count(), 0);
  om_host_config_free(cfg);
}
END_TEST

START_TEST(test_everything_set) {
  config c = {0};
  add_str2(&c, "Collectors", "cpu", "meminfo");
  add_str(&c, "Collectors", "filesystem");
  add_str(&c, "Job", "hosts");
  add_str(&c, "Instance", "db-1:9100");
  add_str(&c, "MountPointsExclude", "^/boot");
  add_str(&c, "FSTypesExclude", "^tmpfs$");
  add_str(&c, "DeviceExclude", "^dm-");
  add_str(&c, "NetDeviceExclude", "^veth");
  add_str(&c, "VmstatFields", "^nr_");
  add_num(&c, "MountTimeout", 1.5);
  add_str(&c, "ProcPath", "/host/proc/");
  add_str(&c, "SysPath", "/host/sys");
  add_str(&c, "RootFSPath", "/host/root//");
  add_str(&c, "UdevDataPath", "/host/run/udev/data");
  om_host_config *cfg = parse(&c, "node", 2);
  ck_assert_msg(cfg != NULL, "%s", log_capture_all());
  ck_assert(cfg->enabled[OM_HOST_CPU] && cfg->enabled[OM_HOST_MEMINFO] &&
            cfg->enabled[OM_HOST_FILESYSTEM]);
  ck_assert(!cfg->enabled[OM_HOST_NETDEV] && !cfg->enabled[OM_HOST_VMSTAT]);
  ck_assert_str_eq(cfg->instance, "db-1:9100");
  ck_assert_str_eq(cfg->proc_path, "/host/proc");
  ck_assert_str_eq(cfg->rootfs_path, "/host/root");
  ck_assert(cfg->mount_timeout_s == 1.5);
  ck_assert(om_host_filter_matches(&cfg->fs_types, "tmpfs"));
  ck_assert(!om_host_filter_matches(&cfg->fs_types, "overlay"));
  ck_assert(om_host_filter_matches(&cfg->vmstat, "nr_free_pages"));
  om_host_config_free(cfg);
}
END_TEST

START_TEST(test_errors) {
  static const struct {
    const char *key, *value, *want;
  } cases[] = {
      {"Collectors", "netclass",
       "option \"Collectors\": \"netclass\" is not one of cpu, meminfo, "
       "filesystem, diskstats, netdev, loadavg, stat, time, uname, filefd, "
       "vmstat"},
      {"DeviceExclude", "^sd[a-z]\\d+$",
       "option \"DeviceExclude\": \"^sd[a-z]\\d+$\" uses \\d"},
      {"FSTypesExclude", "(",
       "option \"FSTypesExclude\": \"(\" is not a POSIX extended regular "
       "expression"},
      {"SysPath", "sys", "option \"SysPath\" needs an absolute path"},
      {"Job", "\xff", "option \"Job\""},
      {"Tmeout", "1", "unknown option \"Tmeout\""},
  };
  for (size_t i = 0; i < OM_LEN(cases); i++) {
    config c = {0};
    add_str(&c, cases[i].key, cases[i].value);
    assert_refused(&c, cases[i].want);
  }
  config c = {0};
  add_num(&c, "MountTimeout", 10);
  assert_refused(&c, "option \"MountTimeout\" (10 s) must not exceed 90% "
                     "of the interval (10 s)");
  config c2 = {0};
  add_str(&c2, "Job", "j");
  add_str(&c2, "Job", "k");
  assert_refused(&c2, "option \"Job\" is given twice");
}
END_TEST

START_TEST(test_family_lists) {
  config c = {0};
  config_assert_family_lists(&c, &om_host_syntax, 10);
}
END_TEST

static long conflicts(const char *a_collectors, const char *b_collectors) {
  config ca = {0}, cb = {0};
  add_str(&ca, "Collectors", a_collectors);
  add_str(&cb, "Collectors", b_collectors);
  om_host_config *a = parse(&ca, "a", 10);
  om_host_config *b = parse(&cb, "b", 10);
  ck_assert(a != NULL && b != NULL);
  om_claims claims = {0};
  om_host_claims(a, &claims);
  om_host_claims(b, &claims);
  log_capture_reset();
  long n = om_claims_check(&claims);
  free(claims.items);
  om_host_config_free(a);
  om_host_config_free(b);
  return n;
}

START_TEST(test_two_blocks_one_family) {
  /* loadavg: node_load1, node_load5, node_load15 */
  ck_assert_int_eq(conflicts("loadavg", "loadavg"), 3);
  ck_assert_msg(log_capture_contains("blocks \"host/a\" and \"host/b\" would "
                                     "both send \"node_load1\": a series "
                                     "has one owner"),
                "%s", log_capture_all());
  /* different collectors, different intervals: allowed */
  ck_assert_int_eq(conflicts("filesystem", "cpu"), 0);
}
END_TEST

START_TEST(test_host_families_are_not_left_by_targets) {
  /* a <Target> scraping another host's node_exporter keeps its node_*
   * families: <Host> claims do not make them first-hand */
  config c = {0};
  add_str(&c, "Collectors", "loadavg");
  om_host_config *cfg = parse(&c, "h", 10);
  om_claims claims = {0};
  om_host_claims(cfg, &claims);
  ck_assert_uint_eq(claims.num, 3);
  om_claims_settle(&claims);
  ck_assert_ptr_null(om_claims_first_hand("node_load1"));
  om_claims_shutdown();
  om_host_config_free(cfg);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("host_config");
  TCase *tc = tcase_create("config");
  tcase_add_test(tc, test_defaults);
  tcase_add_test(tc, test_everything_set);
  tcase_add_test(tc, test_errors);
  tcase_add_test(tc, test_family_lists);
  tcase_add_test(tc, test_two_blocks_one_family);
  tcase_add_test(tc, test_host_families_are_not_left_by_targets);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(suite)

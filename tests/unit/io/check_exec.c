/* Running commands: output, exit status, the deadline and the output cap,
 * with real processes, and no child left behind in any case, also when
 * SIGCHLD is ignored as collectd ignores it. */
#include "check_main.h"
#include "om_exec.h"
#include "om_time.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Processes whose parent is this one, or that are in the group of pgid. */
static int children(pid_t pgid) {
  int n = 0;
  DIR *d = opendir("/proc");
  struct dirent *e;
  while (d != NULL && (e = readdir(d)) != NULL) {
    char path[300], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
      continue;
    size_t len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = '\0';
    char *close_paren = strrchr(buf, ')');
    int ppid = 0, pgrp = 0;
    char state;
    if (close_paren == NULL ||
        sscanf(close_paren + 1, " %c %d %d", &state, &ppid, &pgrp) != 3)
      continue;
    if (ppid == getpid() || (pgid > 0 && pgrp == pgid))
      n++;
  }
  if (d != NULL)
    closedir(d);
  return n;
}

/* Processes anywhere whose command line holds marker. */
static int with_marker(const char *marker) {
  int n = 0;
  DIR *d = opendir("/proc");
  struct dirent *e;
  while (d != NULL && (e = readdir(d)) != NULL) {
    char path[300], buf[4096];
    snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
      continue;
    size_t len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    for (size_t i = 0; i < len; i++)
      if (buf[i] == '\0')
        buf[i] = ' ';
    buf[len] = '\0';
    if (strstr(buf, marker) != NULL)
      n++;
  }
  if (d != NULL)
    closedir(d);
  return n;
}

static om_exec_outcome run(const char *script, double timeout,
                           size_t max_output, om_exec_result *r) {
  char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
  return om_exec_run(argv, timeout, max_output, r);
}

START_TEST(test_output_and_status) {
  om_exec_result r;
  ck_assert_int_eq(run("printf '[1,2]'; echo noise >&2", 5, 1024, &r),
                   OM_EXEC_OK);
  ck_assert_str_eq(r.out.data, "[1,2]");
  ck_assert_uint_eq(r.out.len, 5);
  om_exec_result_free(&r);
  ck_assert_int_eq(
      run("echo 'ERROR: [055]: unable to load info' >&2; exit 55", 5, 1024, &r),
      OM_EXEC_FAILED);
  ck_assert_ptr_null(r.out.data);
  ck_assert_msg(strstr(r.why, "exited with status 55") != NULL &&
                    strstr(r.why, "ERROR: [055]: unable to load info"),
                "%s", r.why);
  ck_assert_int_eq(run("kill -TERM $$", 5, 1024, &r), OM_EXEC_FAILED);
  ck_assert_msg(strstr(r.why, "killed by signal 15") != NULL, "%s", r.why);
  char *missing[] = {"/nonexistent/pgbackrest", NULL};
  ck_assert_int_eq(om_exec_run(missing, 5, 1024, &r), OM_EXEC_FAILED);
  ck_assert_msg(strstr(r.why, "status 127") && strstr(r.why, "cannot execute"),
                "%s", r.why);
  ck_assert_int_eq(children(0), 0);
}
END_TEST

START_TEST(test_timeout_kills_the_group) {
  om_exec_result r;
  double start = om_monotonic_s();
  /* a shell and a grandchild that both keep the output open */
  ck_assert_int_eq(run("sleep 30 & sleep 30; echo never", 0.3, 1024, &r),
                   OM_EXEC_TIMEOUT);
  double took = om_monotonic_s() - start;
  ck_assert_msg(took < 0.3 + OM_EXEC_GRACE_S, "took %.2f s", took);
  ck_assert_msg(strstr(r.why, "did not finish within 0.3 s") != NULL, "%s",
                r.why);
  ck_assert_int_eq(children(0), 0);
}
END_TEST

/* Descendants that left the command's session and group (setsid), one
 * holding the output open, one two sessions down: all are killed at the
 * deadline, which holds, and none is left. */
START_TEST(test_timeout_kills_escaped_descendants) {
  om_exec_result r;
  double start = om_monotonic_s();
  ck_assert_int_eq(run("setsid sleep 31.4159 & "
                       "setsid sh -c 'setsid sleep 31.4159 & sleep 31.4159' & "
                       "echo '[]'",
                       1, 1024, &r),
                   OM_EXEC_TIMEOUT);
  double took = om_monotonic_s() - start;
  ck_assert_msg(took < 1 + OM_EXEC_GRACE_S, "took %.2f s", took);
  ck_assert_int_eq(children(0), 0);
  for (int i = 0; i < 100 && with_marker("sleep 31.4159") > 0; i++)
    nanosleep(&(struct timespec){0, 10000000},
              NULL); /* reaping takes a moment */
  ck_assert_int_eq(with_marker("sleep 31.4159"), 0);
}
END_TEST

/* A command that finishes but leaves a daemon behind, not holding the
 * output: its result is taken at once, and the daemon is killed. */
START_TEST(test_finished_command_leaves_no_daemon) {
  om_exec_result r;
  double start = om_monotonic_s();
  ck_assert_int_eq(
      run("setsid sleep 27.1828 >/dev/null 2>&1 & echo '[]'", 5, 1024, &r),
      OM_EXEC_OK);
  double took = om_monotonic_s() - start;
  ck_assert_str_eq(r.out.data, "[]\n");
  om_exec_result_free(&r);
  ck_assert_msg(took < 1, "took %.2f s", took);
  for (int i = 0; i < 100 && with_marker("sleep 27.1828") > 0; i++)
    nanosleep(&(struct timespec){0, 10000000}, NULL);
  ck_assert_int_eq(with_marker("sleep 27.1828"), 0);
  ck_assert_int_eq(children(0), 0);
}
END_TEST

START_TEST(test_output_cap) {
  om_exec_result r;
  ck_assert_int_eq(run("yes 0123456789", 10, 100000, &r), OM_EXEC_TOO_LARGE);
  ck_assert_ptr_null(r.out.data);
  ck_assert_msg(strstr(r.why, "more than 100000 bytes") != NULL, "%s", r.why);
  ck_assert_int_eq(children(0), 0);
  /* exactly the cap is fine */
  ck_assert_int_eq(run("head -c 100000 /dev/zero | tr '\\0' x", 10, 100000, &r),
                   OM_EXEC_OK);
  ck_assert_uint_eq(r.out.len, 100000);
  om_exec_result_free(&r);
}
END_TEST

START_TEST(test_stderr_is_bounded_and_cleaned) {
  om_exec_result r;
  ck_assert_int_eq(
      run("printf 'line1\\nline2\\033[31m'; head -c 100000 /dev/zero >&2; "
          "exit 1",
          5, 1024, &r),
      OM_EXEC_FAILED);
  ck_assert_ptr_null(strchr(r.why, '\n'));
  ck_assert_ptr_null(strchr(r.why, '\033'));
  ck_assert_uint_lt(strlen(r.why), sizeof(r.why));
}
END_TEST

/* collectd sets SIGCHLD to SIG_IGN: the exit status still arrives */
START_TEST(test_sigchld_ignored) {
  signal(SIGCHLD, SIG_IGN);
  om_exec_result r;
  ck_assert_int_eq(run("exit 3", 5, 1024, &r), OM_EXEC_FAILED);
  ck_assert_msg(strstr(r.why, "status 3") != NULL, "%s", r.why);
  ck_assert_int_eq(run("echo ok", 5, 1024, &r), OM_EXEC_OK);
  ck_assert_str_eq(r.out.data, "ok\n");
  om_exec_result_free(&r);
  ck_assert_int_eq(run("sleep 30", 0.2, 1024, &r), OM_EXEC_TIMEOUT);
  ck_assert_int_eq(children(0), 0);
  signal(SIGCHLD, SIG_DFL);
}
END_TEST

static Suite *exec_suite(void) {
  Suite *s = suite_create("exec");
  TCase *tc = tcase_create("exec");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_output_and_status);
  tcase_add_test(tc, test_timeout_kills_the_group);
  tcase_add_test(tc, test_timeout_kills_escaped_descendants);
  tcase_add_test(tc, test_finished_command_leaves_no_daemon);
  tcase_add_test(tc, test_output_cap);
  tcase_add_test(tc, test_stderr_is_bounded_and_cleaned);
  tcase_add_test(tc, test_sigchld_ignored);
  suite_add_tcase(s, tc);
  return s;
}

OM_CHECK_MAIN(exec_suite)

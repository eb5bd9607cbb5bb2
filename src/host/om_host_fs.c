/* node_exporter's filesystem collector; see om_host_fs.h. */
#include "om_host_fs.h"
#include "om_complain.h"
#include "om_file.h"
#include "om_host_mounts.h"
#include "om_time.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOUNTS_MAX_BYTES (4u << 20)

int om_host_fs_init(om_host_fs *fs) {
  C_COMPLAIN_INIT(&fs->hung);
  fs->statfs = om_statfs_runner_new();
  return fs->statfs != NULL ? 0 : -1;
}

void om_host_fs_free(om_host_fs *fs) {
  om_statfs_runner_free(fs->statfs);
  fs->statfs = NULL;
}

/* /proc/1/mounts, as node_exporter reads it, else /proc/mounts (a proc
 * mounted with hidepid hides the first). */
static int read_mounts(const om_host_config *cfg, om_buf *text, char *err,
                       size_t errlen) {
  char path[4096];
  int error = 0;
  snprintf(path, sizeof(path), "%s/1/mounts", cfg->proc_path);
  if (om_read_kernel_file(path, MOUNTS_MAX_BYTES, text, &error, err, errlen) ==
      0)
    return 0;
  if (error != ENOENT && error != EACCES)
    return -1;
  snprintf(path, sizeof(path), "%s/mounts", cfg->proc_path);
  return om_read_kernel_file(path, MOUNTS_MAX_BYTES, text, &error, err, errlen);
}

/* The mounts a text of lines can hold: its lines, at most
 * OM_HOST_MOUNTS_MAX (at least 1, for calloc). */
static size_t count_lines(const om_buf *text) {
  size_t n = 1;
  for (const char *p = text->data, *end = text->data + text->len;
       p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    n++;
  return n < OM_HOST_MOUNTS_MAX ? n : OM_HOST_MOUNTS_MAX;
}

/* The mount point as a label: without the RootFSPath prefix, as
 * node_exporter strips it. */
static const char *label_of(const om_host_config *cfg, const char *mp) {
  size_t n = strlen(cfg->rootfs_path);
  if (strcmp(cfg->rootfs_path, "/") == 0 ||
      strncmp(mp, cfg->rootfs_path, n) != 0)
    return mp;
  return mp[n] == '\0' ? "/" : mp + n;
}

/* Points each of the n jobs at its mount's statfs path, the mount point
 * (as labelled) under RootFSPath, all held in the one allocation it
 * returns; NULL when out of memory. */
static char *statfs_paths(const om_host_config *cfg,
                          const om_host_mount *mounts, om_statfs_job *jobs,
                          size_t n) {
  const char *root = strcmp(cfg->rootfs_path, "/") == 0 ? "" : cfg->rootfs_path;
  size_t root_len = strlen(root), total = 0;
  for (size_t i = 0; i < n; i++)
    total += root_len + strlen(label_of(cfg, mounts[i].mountpoint)) + 1;
  char *paths = malloc(total > 0 ? total : 1), *p = paths;
  for (size_t i = 0; paths != NULL && i < n; i++) {
    const char *label = label_of(cfg, mounts[i].mountpoint);
    size_t len = strlen(label);
    memcpy(p, root, root_len);
    memcpy(p + root_len, label, len + 1);
    jobs[i].path = p;
    p += root_len + len + 1;
  }
  return paths;
}

static void emit_mount(const om_sink *sink, const om_host_mount *m,
                       const char *mountpoint, const om_statfs_job *job) {
  om_label l[] = {om_label_cstr("device", m->device),
                  om_label_cstr("fstype", m->fstype),
                  om_label_cstr("mountpoint", mountpoint)};
  bool ok = job->state == OM_STATFS_OK;
  om_sink_value(sink, "node_filesystem_device_error", l, 3, ok ? 0 : 1);
  if (!ok)
    return;
  /* as node_exporter: blocks times the block size, f_bsize */
  double bsize = (double)job->bsize;
  om_sink_value(sink, "node_filesystem_size_bytes", l, 3,
                (double)job->blocks * bsize);
  om_sink_value(sink, "node_filesystem_free_bytes", l, 3,
                (double)job->bfree * bsize);
  om_sink_value(sink, "node_filesystem_avail_bytes", l, 3,
                (double)job->bavail * bsize);
  om_sink_value(sink, "node_filesystem_files", l, 3, (double)job->files);
  om_sink_value(sink, "node_filesystem_files_free", l, 3, (double)job->ffree);
  om_sink_value(sink, "node_filesystem_readonly", l, 3, m->readonly ? 1 : 0);
}

/* Logs (rate-limited) the mounts whose statfs did not return in time. */
static void report_hung(om_host_fs *fs, const om_host_config *cfg,
                        const om_statfs_job *jobs, size_t n,
                        const char *block_id) {
  size_t hung = 0, first = n;
  for (size_t i = 0; i < n; i++)
    if (jobs[i].state == OM_STATFS_TIMEOUT ||
        jobs[i].state == OM_STATFS_STUCK) {
      if (hung++ == 0)
        first = i;
    }
  if (hung == 0) {
    OM_RELEASE(OM_LOG_INFO, &fs->hung, block_id, "%s",
               "every mount answers statfs again");
    return;
  }
  OM_COMPLAIN(OM_LOG_WARNING, &fs->hung, block_id,
              "statfs of %zu mount(s), first \"%s\", did not return within "
              "MountTimeout (%g s): node_filesystem_device_error 1 until it "
              "does",
              hung, jobs[first].path, cfg->mount_timeout_s);
}

int om_host_fs_read(om_host_fs *fs, const om_host_config *cfg, om_buf *text,
                    const om_sink *sink, const char *block_id, char *err,
                    size_t errlen) {
  double deadline = om_monotonic_s() + cfg->mount_timeout_s;
  if (read_mounts(cfg, text, err, errlen) != 0)
    return -1;
  size_t lines = count_lines(text);
  om_host_mount *mounts = calloc(lines, sizeof(*mounts));
  om_statfs_job *jobs = calloc(lines, sizeof(*jobs));
  char *paths = NULL;
  om_host_parse bad = {0};
  size_t n = 0;
  if (mounts != NULL && jobs != NULL)
    n = om_host_mounts(text->data, text->len, &cfg->mount_points,
                       &cfg->fs_types, mounts, lines, &bad);
  if (n > 0 && (paths = statfs_paths(cfg, mounts, jobs, n)) == NULL)
    n = 0;
  om_statfs_run(fs->statfs, jobs, n, deadline);
  for (size_t i = 0; i < n; i++)
    emit_mount(sink, &mounts[i], label_of(cfg, mounts[i].mountpoint), &jobs[i]);
  report_hung(fs, cfg, jobs, n, block_id);
  int rc = 0;
  if (mounts == NULL || jobs == NULL) {
    snprintf(err, errlen, "out of memory");
    rc = -1;
  } else {
    rc = om_host_parse_result(&bad, "the mounts file", err, errlen);
  }
  free(paths);
  free(jobs);
  free(mounts);
  return rc;
}

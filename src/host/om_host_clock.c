/* node_exporter's time and uname collectors; see om_host_clock.h. */
#define _GNU_SOURCE /* tm_gmtoff, tm_zone, utsname.domainname */
#include "om_host_clock.h"
#include "om_file.h"
#include "om_host_text.h"
#include "om_time.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define SYSFS_MAX_BYTES 4096u
/* clock-source devices looked at, at most */
#define CLOCKSOURCES_MAX 16

/* Each name of one clock source file as family{clocksource,device}. */
static int emit_sources(const char *path, const char *device, om_buf *text,
                        const char *family, const om_sink *sink, char *err,
                        size_t errlen) {
  int error;
  if (om_read_kernel_file(path, SYSFS_MAX_BYTES, text, &error, err, errlen) !=
      0)
    return -1;
  om_slice rest = {text->data, text->len}, line, f[32];
  if (!om_host_next_line(&rest, &line))
    return 0;
  size_t n = om_host_fields(line, f, OM_LEN(f));
  for (size_t i = 0; i < n && i < OM_LEN(f); i++) {
    om_label l[] = {{om_slice_from_cstr("clocksource"), f[i]},
                    om_label_cstr("device", device)};
    om_sink_value(sink, family, l, 2, 1);
  }
  return 0;
}

/* The clocksource<N> directories of sysfs. */
static int clock_sources(const om_host_config *cfg, om_buf *text,
                         const om_sink *sink, char *err, size_t errlen) {
  char dir[4096], path[4608];
  snprintf(dir, sizeof(dir), "%s/devices/system/clocksource", cfg->sys_path);
  DIR *d = opendir(dir);
  if (d == NULL) {
    snprintf(err, errlen, "cannot list \"%s\": %s", dir, strerror(errno));
    return -1;
  }
  int rc = 0, seen = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL && seen < CLOCKSOURCES_MAX;) {
    const char *num = e->d_name + strlen("clocksource");
    if (strncmp(e->d_name, "clocksource", strlen("clocksource")) != 0 ||
        *num == '\0' || strspn(num, "0123456789") != strlen(num))
      continue;
    seen++;
    snprintf(path, sizeof(path), "%s/%s/available_clocksource", dir, e->d_name);
    rc |= emit_sources(path, num, text, "node_time_clocksource_available_info",
                       sink, err, errlen);
    snprintf(path, sizeof(path), "%s/%s/current_clocksource", dir, e->d_name);
    rc |= emit_sources(path, num, text, "node_time_clocksource_current_info",
                       sink, err, errlen);
  }
  closedir(d);
  return rc;
}

int om_host_time(const om_host_config *cfg, om_buf *text, const om_sink *sink,
                 char *err, size_t errlen) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  /* as node_exporter: nanoseconds since the epoch over 1e9 */
  int64_t ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  om_sink_value(sink, "node_time_seconds", NULL, 0, (double)ns / 1e9);
  struct tm tm;
  time_t t = now.tv_sec;
  if (localtime_r(&t, &tm) != NULL && tm.tm_zone != NULL) {
    om_label l[] = {om_label_cstr("time_zone", tm.tm_zone)};
    om_sink_value(sink, "node_time_zone_offset_seconds", l, 1,
                  (double)tm.tm_gmtoff);
  }
  return clock_sources(cfg, text, sink, err, errlen);
}

int om_host_uname(const om_sink *sink, char *err, size_t errlen) {
  struct utsname u;
  if (uname(&u) != 0) {
    snprintf(err, errlen, "uname failed: %s", strerror(errno));
    return -1;
  }
  om_label l[] = {om_label_cstr("sysname", u.sysname),
                  om_label_cstr("release", u.release),
                  om_label_cstr("version", u.version),
                  om_label_cstr("machine", u.machine),
                  om_label_cstr("nodename", u.nodename),
                  om_label_cstr("domainname", u.domainname)};
  om_sink_value(sink, "node_uname_info", l, OM_LEN(l), 1);
  return 0;
}

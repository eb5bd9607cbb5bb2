/* The capturing om_log() of the unit tests. */
#include "log_capture.h"
#include "om_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char lines[LOG_CAPTURE_MAX][1024];
static size_t count;
static char all[LOG_CAPTURE_MAX * 1024];

void om_log(int level, const char *block, const char *fmt, ...) {
  if (count == LOG_CAPTURE_MAX)
    return;
  char msg[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  snprintf(lines[count++], sizeof(lines[0]), "%d|%s|%s", level,
           block ? block : "-", msg);
}

void log_capture_reset(void) { count = 0; }
size_t log_capture_count(void) { return count; }
const char *log_capture_line(size_t i) { return i < count ? lines[i] : ""; }

int log_capture_contains(const char *needle) {
  for (size_t i = 0; i < count; i++)
    if (strstr(lines[i], needle) != NULL)
      return 1;
  return 0;
}

const char *log_capture_all(void) {
  size_t used = 0;
  all[0] = '\0';
  for (size_t i = 0; i < count; i++)
    used += (size_t)snprintf(all + used, sizeof(all) - used, "%s\n", lines[i]);
  return all;
}

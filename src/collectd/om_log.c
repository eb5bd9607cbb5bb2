/* The plugin's log lines through collectd's plugin_log; see om_log.h. */
#include "om_log.h"

#include "collectd.h"
#include "plugin.h"

#include <stdarg.h>
#include <stdio.h>

void om_log(int level, const char *block, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (block != NULL)
    plugin_log(level, OM_PLUGIN_NAME "(%s): %s", block, msg);
  else
    plugin_log(level, OM_PLUGIN_NAME ": %s", msg);
}

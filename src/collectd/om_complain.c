/* Failures logged once, recoveries once; see om_complain.h. */
#include "om_complain.h"

#include <stdarg.h>
#include <stdio.h>

void om_state_log_init(om_state_log *s) {
  C_COMPLAIN_INIT(&s->complaint);
  s->failing = false;
  s->reason = 0;
}

/* Logs the formatted line through c_complain_once (failing) or c_release
 * (recovered). */
static void vlog(om_state_log *s, bool failing, int level, const char *block,
                 const char *fmt, va_list ap) {
  char msg[1024];
  vsnprintf(msg, sizeof(msg), fmt, ap);
  if (failing)
    c_complain_once(level, &s->complaint, OM_PLUGIN_NAME "(%s): %s", block,
                    msg);
  else
    c_release(level, &s->complaint, OM_PLUGIN_NAME "(%s): %s", block, msg);
}

void om_state_fail(om_state_log *s, uint64_t reason, int level,
                   const char *block, const char *fmt, ...) {
  if (s->failing && s->reason == reason)
    return;
  C_COMPLAIN_INIT(&s->complaint); /* a new reason is told at once */
  va_list ap;
  va_start(ap, fmt);
  vlog(s, true, level, block, fmt, ap);
  va_end(ap);
  s->failing = true;
  s->reason = reason;
}

void om_state_ok(om_state_log *s, int level, const char *block, const char *fmt,
                 ...) {
  if (!s->failing)
    return;
  va_list ap;
  va_start(ap, fmt);
  vlog(s, false, level, block, fmt, ap);
  va_end(ap);
  s->failing = false;
}

/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * Logging that does not repeat itself, on collectd's c_complain:
 *   - OM_COMPLAIN / OM_RELEASE: a warning repeated while its cause lasts,
 *     at intervals that double up to a day (c_complain), and an all-clear
 *     once it is gone (c_release);
 *   - om_state_log: a failure logged once when it starts or its reason
 *     changes, and its recovery once.
 * Both put the plugin's prefix "operator_metrics(<block>): " first. */
#ifndef OM_COMPLAIN_H
#define OM_COMPLAIN_H

#include "om_log.h"

#include "collectd.h"
#include "utils_complain.h"

#include <stdbool.h>
#include <stdint.h>

/* c_complain / c_release with the plugin's log prefix. */
#define OM_COMPLAIN(level, complaint, block, fmt, ...)                         \
  c_complain(level, complaint, OM_PLUGIN_NAME "(%s): " fmt, block, __VA_ARGS__)
#define OM_RELEASE(level, complaint, block, fmt, ...)                          \
  c_release(level, complaint, OM_PLUGIN_NAME "(%s): " fmt, block, __VA_ARGS__)

typedef struct {
  c_complain_t complaint;
  bool failing;
  uint64_t reason; /* of the failure last logged */
} om_state_log;

/* Not failing. */
void om_state_log_init(om_state_log *s);

/* A failure. It is logged when the state was not failing, or was failing
 * for another reason (reason: what makes two failures the same one, such
 * as a state code or a hash of the text); otherwise nothing is logged. */
__attribute__((format(printf, 5, 6))) void
om_state_fail(om_state_log *s, uint64_t reason, int level, const char *block,
              const char *fmt, ...);

/* A success: logged once when the state was failing. */
__attribute__((format(printf, 4, 5))) void om_state_ok(om_state_log *s,
                                                       int level,
                                                       const char *block,
                                                       const char *fmt, ...);

#endif

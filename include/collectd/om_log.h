/* collectd/: includes core/, io/ and collectd's own headers.
 *
 * Every log line of the plugin goes through om_log(), which prefixes it
 * with "operator_metrics(<block>): " (or "operator_metrics: " when block is
 * NULL). The plugin routes it to collectd's plugin_log(); unit tests link a
 * capturing implementation instead. Never pass a secret in the arguments. */
#ifndef OM_LOG_H
#define OM_LOG_H

#define OM_PLUGIN_NAME "operator_metrics"

/* The same numbers as syslog and collectd's LOG_* levels. */
#define OM_LOG_ERR 3
#define OM_LOG_WARNING 4
#define OM_LOG_NOTICE 5
#define OM_LOG_INFO 6
#define OM_LOG_DEBUG 7

/* Formats the line (cut at 1023 bytes) and hands it to collectd. */
__attribute__((format(printf, 3, 4))) void om_log(int level, const char *block,
                                                  const char *fmt, ...);

#endif

/* An om_log() for unit tests: keeps the lines instead of sending them to
 * collectd, so that tests can check what a user would read. */
#ifndef LOG_CAPTURE_H
#define LOG_CAPTURE_H

#include <stddef.h>

#define LOG_CAPTURE_MAX 32

void log_capture_reset(void);
size_t log_capture_count(void);
/* Line i as "<level>|<block or ->|<message>". */
const char *log_capture_line(size_t i);
/* Does any captured line contain needle? */
int log_capture_contains(const char *needle);
/* All lines joined with '\n', for failure messages. */
const char *log_capture_all(void);

#endif

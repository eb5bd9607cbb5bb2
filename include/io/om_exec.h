/* io/: includes core/ and system libraries, never collectd.
 *
 * Running a command with a deadline and an output cap, leaving no child
 * behind.
 *
 * The command is started without a shell (argv[0] is an absolute path) in
 * its own process group, under a small intermediate process that reaps it
 * and its orphans (a child subreaper) and reports the exit status through
 * a pipe. That keeps the status even where the host process ignores
 * SIGCHLD or reaps children it does not own, as collectd and its exec
 * plugin do. When the parent is done (the command ended and its output is
 * complete, or the deadline passed, or the output ran over the cap) it
 * closes a control pipe, and the intermediate kills with SIGKILL every
 * process the command left, whatever session or process group it moved
 * to (as a subreaper it inherits them all), reaps them and ends. */
#ifndef OM_EXEC_H
#define OM_EXEC_H

#include "om_buf.h"

#include <stddef.h>

#define OM_EXEC_STDERR_MAX 512
/* after killing, how long the reaping may take */
#define OM_EXEC_GRACE_S 2.0

typedef enum {
  OM_EXEC_OK = 0,
  OM_EXEC_TIMEOUT,   /* killed at the deadline */
  OM_EXEC_FAILED,    /* exited non-zero or died of a signal */
  OM_EXEC_TOO_LARGE, /* killed: more output than the cap */
  OM_EXEC_ERROR,     /* could not be started or watched */
} om_exec_outcome;

typedef struct {
  om_exec_outcome outcome;
  om_buf out; /* standard output (out.data NULL unless OK) */
  /* what went wrong, in words, with the start of standard error (control
   * characters replaced) when the command wrote any */
  char why[OM_EXEC_STDERR_MAX + 128];
} om_exec_result;

/* Runs argv (NULL-terminated) for at most timeout_s seconds, keeping at
 * most max_output bytes of its standard output. Returns r->outcome. */
om_exec_outcome om_exec_run(char *const argv[], double timeout_s,
                            size_t max_output, om_exec_result *r);
void om_exec_result_free(om_exec_result *r);

#endif

/* io/: includes core/ and system libraries, never collectd.
 *
 * statfs(2) of many paths under one deadline. A mount whose server is
 * gone (NFS, FUSE) can block statfs for ever, and nothing can interrupt
 * it; so each statfs runs in a thread of its own (a few at a time), the
 * caller stops waiting at its deadline, and a path whose statfs has not
 * returned is not tried again (it is "stuck") until it does. A thread
 * that outlives its runner frees what it holds when its statfs returns. */
#ifndef OM_STATFS_H
#define OM_STATFS_H

#include <stddef.h>
#include <stdint.h>

/* statfs calls running at once */
#define OM_STATFS_PARALLEL 4
/* paths left hanging at most; beyond, further paths are not tried */
#define OM_STATFS_MAX_STUCK 64

typedef enum {
  OM_STATFS_OK = 0,
  OM_STATFS_ERROR,   /* statfs failed: error holds errno */
  OM_STATFS_TIMEOUT, /* it did not return by the deadline (or never began) */
  OM_STATFS_STUCK,   /* an earlier statfs of the path has not returned */
} om_statfs_state;

typedef struct {
  const char *path; /* in: NUL-terminated */
  /* out */
  om_statfs_state state;
  int error;
  uint64_t bsize, blocks, bfree, bavail, files, ffree;
} om_statfs_job;

typedef struct om_statfs_runner om_statfs_runner;

/* A runner, or NULL when out of memory. */
om_statfs_runner *om_statfs_runner_new(void);

/* Fills in every job: statfs of its path, OM_STATFS_PARALLEL at a time,
 * waiting until deadline_s (om_monotonic_s() time) at most. */
void om_statfs_run(om_statfs_runner *r, om_statfs_job *jobs, size_t n,
                   double deadline_s);

/* The paths whose statfs has not returned yet. */
size_t om_statfs_stuck(om_statfs_runner *r);

/* Lets go of the runner; NULL-tolerant. Threads still blocked in statfs
 * keep it alive until they return. */
void om_statfs_runner_free(om_statfs_runner *r);

#endif

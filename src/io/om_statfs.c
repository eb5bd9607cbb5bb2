/* statfs(2) of many paths under one deadline; see om_statfs.h.
 *
 * A run owns the tasks it starts; those still running at its deadline
 * move to the runner's list of hung tasks, which the next run looks a
 * path up in (at most OM_STATFS_MAX_STUCK of them are ever pending, so
 * the look-up is bounded) and which the runner frees once they are done. */
#include "om_statfs.h"
#include "om_time.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>

/* a thread that only calls statfs needs little stack (sanitizers more) */
#define STACK_BYTES (256 * 1024)

/* One statfs: its run's (or, once hung, the runner's), and its thread's
 * until it returns. */
typedef struct task {
  struct task *next; /* in the runner's hung list */
  char *path;
  bool done;
  int error;
  struct statfs st;
  size_t *batch_done; /* its run's count of finished tasks; NULL: hung */
} task;

struct om_statfs_runner {
  pthread_mutex_t lock;
  pthread_cond_t cond; /* a task is done */
  size_t refs;         /* the owner's, and one per thread */
  task *hung;          /* tasks whose run ended before they did */
  size_t hung_pending; /* of them, those not done yet */
};

typedef struct {
  om_statfs_runner *r;
  task *t;
} start_arg;

static void task_free(task *t) {
  if (t == NULL)
    return;
  free(t->path);
  free(t);
}

static void runner_destroy(om_statfs_runner *r) {
  for (task *t = r->hung, *next; t != NULL; t = next) {
    next = t->next;
    task_free(t);
  }
  pthread_cond_destroy(&r->cond);
  pthread_mutex_destroy(&r->lock);
  free(r);
}

/* Drops one reference; the lock is held and is released. */
static void runner_release(om_statfs_runner *r) {
  bool last = --r->refs == 0;
  pthread_mutex_unlock(&r->lock);
  if (last)
    runner_destroy(r);
}

static void *stat_thread(void *p) {
  start_arg a = *(start_arg *)p;
  free(p);
  struct statfs st;
  int rc = statfs(a.t->path, &st);
  int error = rc == 0 ? 0 : errno;
  pthread_mutex_lock(&a.r->lock);
  a.t->st = st;
  a.t->error = error;
  a.t->done = true;
  if (a.t->batch_done != NULL)
    (*a.t->batch_done)++;
  else
    a.r->hung_pending--;
  pthread_cond_broadcast(&a.r->cond);
  runner_release(a.r);
  return NULL;
}

om_statfs_runner *om_statfs_runner_new(void) {
  om_statfs_runner *r = calloc(1, sizeof(*r));
  if (r == NULL)
    return NULL;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->cond, &ca);
  pthread_condattr_destroy(&ca);
  r->refs = 1;
  return r;
}

/* Frees the hung tasks that have returned since; lock held. */
static void forget_returned(om_statfs_runner *r) {
  for (task **p = &r->hung; *p != NULL;) {
    task *t = *p;
    if (t->done) {
      *p = t->next;
      task_free(t);
    } else {
      p = &t->next;
    }
  }
}

/* Whether a statfs of path from an earlier run is still pending; lock
 * held. */
static bool still_hung(const om_statfs_runner *r, const char *path) {
  for (const task *t = r->hung; t != NULL; t = t->next)
    if (!t->done && strcmp(t->path, path) == 0)
      return true;
  return false;
}

/* Starts the statfs of a job's path in its own thread; lock held. NULL
 * (the job's state set) when it cannot. */
static task *start(om_statfs_runner *r, om_statfs_job *job, size_t *done) {
  task *t = calloc(1, sizeof(*t));
  start_arg *a = malloc(sizeof(*a));
  if (t != NULL)
    t->path = strdup(job->path);
  if (t == NULL || t->path == NULL || a == NULL) {
    free(a);
    task_free(t);
    job->state = OM_STATFS_ERROR;
    job->error = ENOMEM;
    return NULL;
  }
  t->batch_done = done;
  *a = (start_arg){r, t};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, STACK_BYTES);
  pthread_t th;
  int rc = pthread_create(&th, &attr, stat_thread, a);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    free(a);
    task_free(t);
    job->state = OM_STATFS_ERROR;
    job->error = rc;
    return NULL;
  }
  r->refs++;
  return t;
}

static void take_result(om_statfs_job *job, const task *t) {
  job->error = t->error;
  job->state = t->error == 0 ? OM_STATFS_OK : OM_STATFS_ERROR;
  job->bsize = (uint64_t)t->st.f_bsize;
  job->blocks = (uint64_t)t->st.f_blocks;
  job->bfree = (uint64_t)t->st.f_bfree;
  job->bavail = (uint64_t)t->st.f_bavail;
  job->files = (uint64_t)t->st.f_files;
  job->ffree = (uint64_t)t->st.f_ffree;
}

/* Waits for a task to end, until the deadline: false when it passed. */
static bool wait_until(om_statfs_runner *r, double deadline_s) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  double left = deadline_s - om_monotonic_s();
  if (left <= 0)
    return false;
  time_t whole = (time_t)left;
  ts.tv_sec += whole;
  ts.tv_nsec += (long)((left - (double)whole) * 1e9);
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return pthread_cond_timedwait(&r->cond, &r->lock, &ts) != ETIMEDOUT ||
         om_monotonic_s() < deadline_s;
}

/* The run is over: results of the tasks that returned, and the others
 * left to the runner as hung; lock held. */
static void settle(om_statfs_runner *r, om_statfs_job *jobs, task **mine,
                   size_t n, size_t next) {
  for (size_t i = 0; i < n; i++) {
    task *t = mine != NULL ? mine[i] : NULL;
    if (i >= next)
      jobs[i].state = OM_STATFS_TIMEOUT; /* never began */
    if (t == NULL)
      continue;
    if (t->done) {
      take_result(&jobs[i], t);
      task_free(t);
      continue;
    }
    jobs[i].state = OM_STATFS_TIMEOUT;
    t->batch_done = NULL;
    t->next = r->hung;
    r->hung = t;
    r->hung_pending++;
  }
}

void om_statfs_run(om_statfs_runner *r, om_statfs_job *jobs, size_t n,
                   double deadline_s) {
  task **mine = calloc(n ? n : 1, sizeof(*mine));
  size_t done = 0, started = 0, next = 0;
  bool in_time = true;
  pthread_mutex_lock(&r->lock);
  forget_returned(r);
  for (;;) {
    /* start what may start, then wait for one to end */
    while (next < n && started - done < OM_STATFS_PARALLEL && in_time) {
      om_statfs_job *job = &jobs[next];
      if (still_hung(r, job->path))
        job->state = OM_STATFS_STUCK;
      else if (mine == NULL || r->hung_pending >= OM_STATFS_MAX_STUCK)
        job->state = OM_STATFS_TIMEOUT;
      else if ((mine[next] = start(r, job, &done)) != NULL)
        started++;
      next++;
    }
    if ((next == n && started == done) || !in_time)
      break;
    in_time = wait_until(r, deadline_s);
  }
  settle(r, jobs, mine, n, next);
  pthread_mutex_unlock(&r->lock);
  free(mine);
}

size_t om_statfs_stuck(om_statfs_runner *r) {
  pthread_mutex_lock(&r->lock);
  size_t n = r->hung_pending;
  pthread_mutex_unlock(&r->lock);
  return n;
}

void om_statfs_runner_free(om_statfs_runner *r) {
  if (r == NULL)
    return;
  pthread_mutex_lock(&r->lock);
  runner_release(r);
}

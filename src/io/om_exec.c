/* Running a command with a deadline and an output cap (see om_exec.h). */
#define _GNU_SOURCE /* pipe2 */
#include "om_exec.h"
#include "om_text.h"
#include "om_time.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* what the intermediate process reports */
typedef struct {
  char kind; /* 'S': the command's wait status, 'E': fork errno */
  int value;
} report;

enum { OUT, ERR, STATUS, PIPES };

/* --- the child side: only async-signal-safe calls after fork() ------------ */

/* In the intermediate: standard output and error are the command's pipes,
 * descriptor 3 the report pipe, descriptor 4 the control pipe, whose end
 * of file (the parent closes it) means: kill everything, and end. */
#define REPORT_FD 3
#define CONTROL_FD 4
/* how long the intermediate keeps killing descendants that appear */
#define KILL_ROUNDS 2000 /* of 1 ms */

static void run_command(char *const argv[]) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  setpgid(0, 0);
  close(REPORT_FD);
  close(CONTROL_FD);
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0)
    _exit(126);
  execve(argv[0], argv, environ);
  static const char msg[] = "cannot execute the command\n";
  ssize_t ignored = write(2, msg, sizeof(msg) - 1);
  (void)ignored;
  _exit(127);
}

static void send_report(int fd, char kind, int value) {
  report r;
  memset(&r, 0, sizeof(r)); /* no stray bytes in the padding */
  r.kind = kind;
  r.value = value;
  ssize_t ignored = write(fd, &r, sizeof(r));
  (void)ignored;
}

/* Other threads' pipes, inherited by this fork, must not stay open here:
 * their readers would wait for this process to end. The pipes go to 1, 2,
 * 3 and 4 by way of descriptors above them, so that none overwrites
 * another on the way. */
static void keep_only_pipes(const int w[PIPES], int control) {
  const int from[] = {w[OUT], w[ERR], w[STATUS], control};
  const int to[] = {1, 2, REPORT_FD, CONTROL_FD};
  int high[4];
  for (int i = 0; i < 4; i++)
    if ((high[i] = fcntl(from[i], F_DUPFD, 16)) < 0)
      _exit(126);
  for (int i = 0; i < 4; i++)
    if (dup2(high[i], to[i]) < 0)
      _exit(126);
  if (close_range(CONTROL_FD + 1, ~0U, 0) != 0)
    for (int fd = CONTROL_FD + 1; fd < 4096; fd++)
      close(fd);
}

/* The pid a /proc entry names, or 0. */
static pid_t pid_of(const char *name) {
  pid_t pid = 0;
  for (const char *c = name; *c != '\0'; c++) {
    if (*c < '0' || *c > '9' || pid > 100000000)
      return 0;
    pid = pid * 10 + (*c - '0');
  }
  return pid;
}

/* The parent of process pid from /proc/<pid>/stat ("pid (comm) S ppid"),
 * or 0 when it cannot be read. */
static pid_t parent_of(const char *pid) {
  char path[64] = "/proc/", buf[512];
  size_t n = 6;
  for (const char *c = pid; *c != '\0' && n < 50; c++)
    path[n++] = *c;
  memcpy(path + n, "/stat", 6);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  ssize_t got = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (got <= 0)
    return 0;
  buf[got] = '\0';
  char *end = NULL; /* the last ')': the command name may hold one */
  for (char *c = buf; *c != '\0'; c++)
    if (*c == ')')
      end = c;
  if (end == NULL || end[1] != ' ' || end[2] == '\0' || end[3] != ' ')
    return 0;
  pid_t ppid = 0;
  for (char *c = end + 4; *c >= '0' && *c <= '9'; c++)
    ppid = ppid * 10 + (*c - '0');
  return ppid;
}

/* SIGKILLs every child of this process, as /proc lists them. Children
 * cannot be reused pids: until reaped they stay ours. */
static void kill_children(void) {
  int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  _Alignas(struct dirent64) char buf[8192];
  pid_t self = getpid();
  long n;
  while (dir >= 0 && (n = getdents64(dir, buf, sizeof(buf))) > 0) {
    for (long off = 0; off < n;) {
      struct dirent64 *d = (struct dirent64 *)(buf + off);
      off += d->d_reclen;
      pid_t pid = pid_of(d->d_name);
      if (pid > 0 && parent_of(d->d_name) == self)
        kill(pid, SIGKILL);
    }
  }
  if (dir >= 0)
    close(dir);
}

/* Reaps the children that ended, reporting the command's status; false
 * once no child is left. */
static bool reap_ended(pid_t command) {
  for (;;) {
    int status;
    pid_t done = waitpid(-1, &status, WNOHANG);
    if (done == command)
      send_report(REPORT_FD, 'S', status);
    if (done > 0)
      continue;
    if (done < 0 && errno == EINTR)
      continue;
    return done == 0;
  }
}

/* Kills the command and every descendant: orphans become this subreaper's
 * children when their parents die, and are killed in the next round. */
static void kill_everyone(pid_t command) {
  struct timespec ms = {0, 1000 * 1000};
  for (int round = 0; round < KILL_ROUNDS && reap_ended(command); round++) {
    kill_children();
    nanosleep(&ms, NULL);
  }
}

static void on_child(int sig) { (void)sig; } /* wakes ppoll */

static void intermediate(char *const argv[], const int w[PIPES], int control) {
  keep_only_pipes(w, control);
  struct sigaction act;
  memset(&act, 0, sizeof(act));
  act.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &act, NULL);
  act.sa_handler = on_child;
  sigaction(SIGCHLD, &act, NULL);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_SETMASK, &chld, NULL); /* delivered in ppoll only */
  /* orphans of the command become ours, and we reap them */
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  pid_t pid = fork();
  if (pid == 0)
    run_command(argv);
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) { /* the command alone holds the output pipes */
    dup2(null, 1);
    dup2(null, 2);
    close(null);
  }
  if (pid < 0) {
    send_report(REPORT_FD, 'E', errno);
    _exit(1);
  }
  sigset_t none;
  sigemptyset(&none);
  while (reap_ended(pid)) {
    struct pollfd p = {.fd = CONTROL_FD, .events = POLLIN};
    if (ppoll(&p, 1, NULL, &none) > 0) { /* the parent is done with us */
      kill_everyone(pid);
      break;
    }
  }
  _exit(0);
}

/* --- the parent side ------------------------------------------------------ */

typedef struct {
  int fd[PIPES]; /* read ends; -1 once closed */
  om_buf out;
  size_t max_output;
  char err[OM_EXEC_STDERR_MAX + 1];
  size_t err_len;
  report pending;     /* a report being read */
  size_t pending_len; /* bytes of it so far */
  bool have_status;
  int status;
  int fork_errno;
  bool too_large;
  bool discard; /* after killing: output is no longer kept */
} watch;

/* A pipe whose ends are above the standard descriptors, close-on-exec. */
static int make_pipe(int p[2]) {
  if (pipe2(p, O_CLOEXEC) != 0)
    return -1;
  for (int i = 0; i < 2; i++) {
    if (p[i] > 2)
      continue;
    int moved = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
    close(p[i]);
    p[i] = moved;
  }
  if (p[0] < 0 || p[1] < 0) {
    if (p[0] >= 0)
      close(p[0]);
    if (p[1] >= 0)
      close(p[1]);
    return -1;
  }
  return 0;
}

static void take_output(watch *w, const char *buf, size_t n) {
  if (w->discard)
    return;
  if (!om_buf_append(&w->out, buf, n, w->max_output))
    w->too_large = true; /* over the cap, or no room: either is no room */
}

static void take_reports(watch *w, const char *buf, size_t n) {
  for (size_t i = 0; i < n; i++) {
    ((char *)&w->pending)[w->pending_len++] = buf[i];
    if (w->pending_len < sizeof(report))
      continue;
    w->pending_len = 0;
    if (w->pending.kind == 'S') {
      w->have_status = true;
      w->status = w->pending.value;
    } else if (w->pending.kind == 'E')
      w->fork_errno = w->pending.value;
  }
}

static void take(watch *w, int which, const char *buf, size_t n) {
  if (which == OUT) {
    take_output(w, buf, n);
  } else if (which == ERR) {
    size_t room = OM_EXEC_STDERR_MAX - w->err_len;
    size_t keep = n < room ? n : room;
    memcpy(w->err + w->err_len, buf, keep);
    w->err_len += keep;
    w->err[w->err_len] = '\0';
  } else {
    take_reports(w, buf, n);
  }
}

static bool all_closed(const watch *w) {
  return w->fd[OUT] < 0 && w->fd[ERR] < 0 && w->fd[STATUS] < 0;
}

/* The command ended and its output is complete; what it left running
 * (holding no output) is the intermediate's to kill. */
static bool command_done(const watch *w) {
  return w->fd[OUT] < 0 && w->fd[ERR] < 0 && w->have_status;
}

/* Reads whatever the pipes hold until they close or the deadline passes.
 * Returns false at the deadline. */
static bool drain(watch *w, double deadline) {
  while (!all_closed(w) && (w->discard || !command_done(w)) &&
         (w->discard || !w->too_large)) {
    double left = deadline - om_monotonic_s();
    if (left <= 0)
      return false;
    struct pollfd p[PIPES];
    for (int i = 0; i < PIPES; i++)
      p[i] = (struct pollfd){.fd = w->fd[i], .events = POLLIN};
    int ms = (int)(left * 1000) + 1;
    int n = poll(p, PIPES, ms);
    if (n < 0 && errno != EINTR)
      return false;
    for (int i = 0; n > 0 && i < PIPES; i++) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char buf[16384];
      ssize_t got = read(p[i].fd, buf, sizeof(buf));
      if (got > 0) {
        take(w, i, buf, (size_t)got);
      } else if (got == 0 || errno != EINTR) {
        close(w->fd[i]);
        w->fd[i] = -1;
      }
    }
  }
  return true;
}

/* Waits for the intermediate process to end; collectd may have reaped it
 * already (SIGCHLD ignored), which ECHILD tells. */
static bool reap(pid_t pid, double deadline) {
  for (;;) {
    pid_t done = waitpid(pid, NULL, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD))
      return true;
    if (done < 0 && errno != EINTR)
      return false;
    if (om_monotonic_s() >= deadline)
      return false;
    struct timespec pause = {0, 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
}

static void describe(om_exec_result *r, const watch *w, const char *what) {
  char err[OM_EXEC_STDERR_MAX + 1];
  om_text_one_line(w->err, w->err_len, err, sizeof(err));
  if (err[0] != '\0')
    snprintf(r->why, sizeof(r->why), "%s; it wrote: %s", what, err);
  else
    snprintf(r->why, sizeof(r->why), "%s", what);
}

static void conclude(om_exec_result *r, watch *w, bool in_time,
                     double timeout_s, size_t max_output) {
  char what[160];
  if (w->too_large) {
    r->outcome = OM_EXEC_TOO_LARGE;
    snprintf(what, sizeof(what),
             "it printed more than %zu bytes (MaxOutputBytes) and was killed",
             max_output);
  } else if (!in_time) {
    r->outcome = OM_EXEC_TIMEOUT;
    snprintf(what, sizeof(what), "it did not finish within %g s and was killed",
             timeout_s);
  } else if (w->fork_errno != 0 || !w->have_status) {
    r->outcome = OM_EXEC_ERROR;
    snprintf(what, sizeof(what), "it could not be started: %s",
             w->fork_errno ? strerror(w->fork_errno) : "no exit status");
  } else if (WIFEXITED(w->status) && WEXITSTATUS(w->status) == 0) {
    r->outcome = OM_EXEC_OK;
    r->out = w->out; /* an empty output is "" too */
    w->out = (om_buf)OM_BUF_INIT;
    if (r->out.data == NULL && !om_buf_append(&r->out, "", 0, 0)) {
      r->outcome = OM_EXEC_ERROR;
      snprintf(what, sizeof(what), "out of memory");
    } else {
      what[0] = '\0';
    }
  } else {
    r->outcome = OM_EXEC_FAILED;
    if (WIFEXITED(w->status))
      snprintf(what, sizeof(what), "it exited with status %d",
               WEXITSTATUS(w->status));
    else
      snprintf(what, sizeof(what), "it was killed by signal %d",
               WIFSIGNALED(w->status) ? WTERMSIG(w->status) : 0);
  }
  if (r->outcome != OM_EXEC_OK)
    describe(r, w, what);
}

static void start_failed(om_exec_result *r, const char *what) {
  r->outcome = OM_EXEC_ERROR;
  snprintf(r->why, sizeof(r->why), "it could not be started: %s: %s", what,
           strerror(errno));
}

om_exec_outcome om_exec_run(char *const argv[], double timeout_s,
                            size_t max_output, om_exec_result *r) {
  memset(r, 0, sizeof(*r));
  int p[PIPES + 1][2]; /* OUT, ERR, STATUS, and the control pipe */
  int made = 0;
  while (made < PIPES + 1 && make_pipe(p[made]) == 0)
    made++;
  if (made < PIPES + 1) {
    start_failed(r, "pipe");
    for (int i = 0; i < made; i++) {
      close(p[i][0]);
      close(p[i][1]);
    }
    return r->outcome;
  }
  double deadline = om_monotonic_s() + timeout_s;
  pid_t child = fork();
  if (child == 0) {
    int w[PIPES] = {p[OUT][1], p[ERR][1], p[STATUS][1]};
    intermediate(argv, w, p[PIPES][0]);
  }
  watch w = {.max_output = max_output};
  for (int i = 0; i < PIPES; i++) {
    close(p[i][1]);
    w.fd[i] = p[i][0];
  }
  close(p[PIPES][0]);
  int control = p[PIPES][1];
  if (child < 0) {
    start_failed(r, "fork");
    for (int i = 0; i < PIPES; i++)
      close(w.fd[i]);
    close(control);
    return r->outcome;
  }
  bool in_time = drain(&w, deadline);
  /* the intermediate now kills whatever is left of the command, its
   * descendants in other groups and sessions included, and ends */
  close(control);
  if (!in_time || w.too_large) {
    w.discard = true;
    drain(&w, om_monotonic_s() + OM_EXEC_GRACE_S);
  }
  for (int i = 0; i < PIPES; i++)
    if (w.fd[i] >= 0)
      close(w.fd[i]);
  if (!reap(child, om_monotonic_s() + OM_EXEC_GRACE_S)) {
    kill(child, SIGKILL);
    reap(child, om_monotonic_s() + OM_EXEC_GRACE_S);
  }
  conclude(r, &w, in_time, timeout_s, max_output);
  om_buf_clear(&w.out, true);
  return r->outcome;
}

void om_exec_result_free(om_exec_result *r) {
  if (r == NULL)
    return;
  om_buf_clear(&r->out, true);
}

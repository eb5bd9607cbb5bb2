/* Bounded reads of files; see om_file.h. */
#define _GNU_SOURCE
#include "om_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void om_wipe(void *p, size_t n) { explicit_bzero(p, n); }

static long failed(char *buf, size_t cap, char *err, size_t errlen,
                   const char *what, const char *detail) {
  om_wipe(buf, cap);
  if (detail != NULL)
    snprintf(err, errlen, "%s: %s", what, detail);
  else
    snprintf(err, errlen, "%s", what);
  return -1;
}

/* Reads up to cap bytes, retrying interrupted reads; the count or -1. */
static ssize_t read_all(int fd, char *buf, size_t cap) {
  size_t got = 0;
  while (got < cap) {
    ssize_t n = read(fd, buf + got, cap - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    got += (size_t)n;
  }
  return (ssize_t)got;
}

long om_read_secret_file(const char *path, char *buf, size_t cap, char *err,
                         size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return failed(buf, cap, err, errlen, "cannot open it", strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return failed(buf, cap, err, errlen, "it is not a regular file", NULL);
  }
  ssize_t got = read_all(fd, buf, cap);
  int e = errno;
  close(fd);
  if (got < 0)
    return failed(buf, cap, err, errlen, "cannot read it", strerror(e));
  size_t len = (size_t)got;
  if (len == cap)
    return failed(buf, cap, err, errlen,
                  "it is larger than the limit for secret files", NULL);
  if (memchr(buf, '\0', len) != NULL)
    return failed(buf, cap, err, errlen, "it holds a NUL byte", NULL);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
                     buf[len - 1] == ' ' || buf[len - 1] == '\t'))
    len--;
  buf[len] = '\0';
  if (len == 0)
    return failed(buf, cap, err, errlen, "it is empty", NULL);
  return (long)len;
}

/* Reads fd to its end into out, at most max bytes; the count, or -1. */
static long read_into(int fd, om_buf *out, size_t max) {
  char chunk[64 * 1024];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      return (long)out->len;
    if (!om_buf_append(out, chunk, (size_t)n, max)) {
      errno = out->len + (size_t)n > max ? EAGAIN : ENOMEM;
      return -1;
    }
  }
}

/* Opens a regular file for reading without blocking: the descriptor, or
 * -1 with *error and err set (*st filled on success). */
static int open_regular(const char *path, struct stat *st, int *error,
                        char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    *error = errno;
    snprintf(err, errlen, "cannot open \"%s\": %s", path, strerror(errno));
    return -1;
  }
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
    close(fd);
    *error = EINVAL;
    snprintf(err, errlen, "\"%s\" is not a regular file", path);
    return -1;
  }
  *error = 0;
  return fd;
}

/* Reads the open regular file fd to its end into out, at most max bytes
 * (an empty file gives "", not NULL), and closes fd: 0, or -1 with out
 * emptied and errno set (EAGAIN: more than max bytes). */
static int read_whole(int fd, om_buf *out, size_t max) {
  int rc = 0;
  if (read_into(fd, out, max) < 0 ||
      (out->data == NULL && !om_buf_append(out, "", 0, 0)))
    rc = -1;
  int e = errno;
  close(fd);
  if (rc != 0) {
    om_buf_clear(out, false);
    errno = e;
  }
  return rc;
}

int om_read_kernel_file(const char *path, size_t max, om_buf *out, int *error,
                        char *err, size_t errlen) {
  om_buf_clear(out, false);
  struct stat st;
  int fd = open_regular(path, &st, error, err, errlen);
  if (fd < 0)
    return -1;
  if (read_whole(fd, out, max) == 0)
    return 0;
  *error = errno == EAGAIN ? EFBIG : errno;
  if (*error == EFBIG)
    snprintf(err, errlen, "\"%s\" holds more than %zu bytes", path, max);
  else
    snprintf(err, errlen, "cannot read \"%s\": %s", path, strerror(*error));
  return -1;
}

int om_read_file(const char *path, size_t max, om_buf *out, int *error,
                 char *err, size_t errlen) {
  om_buf_clear(out, false);
  struct stat st;
  int fd = open_regular(path, &st, error, err, errlen);
  if (fd < 0)
    return -1;
  if ((uint64_t)st.st_size > max) {
    close(fd);
    *error = EFBIG;
    snprintf(err, errlen, "\"%s\" holds %lld bytes, more than %zu", path,
             (long long)st.st_size, max);
    return -1;
  }
  if (read_whole(fd, out, (size_t)st.st_size) == 0)
    return 0;
  *error = errno;
  snprintf(err, errlen, "cannot read \"%s\": %s", path,
           errno == EAGAIN ? "it grew while being read" : strerror(errno));
  return -1;
}

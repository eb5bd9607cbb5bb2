/* Bounded reads of small secret files; see om_file.h. */
#define _GNU_SOURCE
#include "om_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
  size_t len = 0;
  for (;;) {
    if (len == cap) {
      close(fd);
      return failed(buf, cap, err, errlen,
                    "it is larger than the limit for secret files", NULL);
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      return failed(buf, cap, err, errlen, "cannot read it", strerror(e));
    }
    if (n == 0)
      break;
    len += (size_t)n;
  }
  close(fd);
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

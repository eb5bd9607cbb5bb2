/* Lines, fields and numbers of the kernel's text files; see
 * om_host_text.h. */
#include "om_host_text.h"

#include <stdio.h>
#include <string.h>

void om_host_bad_line(om_host_parse *p, size_t lineno) {
  if (p->malformed++ == 0)
    p->first_bad = lineno;
}

int om_host_parse_result(const om_host_parse *p, const char *file, char *err,
                         size_t errlen) {
  if (p->malformed == 0)
    return 0;
  snprintf(err, errlen, "%zu line(s) of %s unreadable, first line %zu",
           p->malformed, file, p->first_bad);
  return -1;
}

bool om_host_next_line(om_slice *rest, om_slice *line) {
  if (rest->len == 0)
    return false;
  const char *nl = memchr(rest->ptr, '\n', rest->len);
  size_t len = nl != NULL ? (size_t)(nl - rest->ptr) : rest->len;
  *line = (om_slice){rest->ptr, len};
  size_t used = nl != NULL ? len + 1 : len;
  *rest = (om_slice){rest->ptr + used, rest->len - used};
  return true;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

size_t om_host_fields(om_slice line, om_slice *fields, size_t max) {
  size_t n = 0, i = 0;
  while (i < line.len) {
    while (i < line.len && is_blank(line.ptr[i]))
      i++;
    if (i == line.len)
      break;
    size_t start = i;
    while (i < line.len && !is_blank(line.ptr[i]))
      i++;
    if (n < max)
      fields[n] = (om_slice){line.ptr + start, i - start};
    n++;
  }
  return n;
}

bool om_host_u64(om_slice s, uint64_t *out) {
  if (s.len == 0)
    return false;
  uint64_t v = 0;
  for (size_t i = 0; i < s.len; i++) {
    unsigned d = (unsigned char)s.ptr[i] - '0';
    if (d > 9 || v > (UINT64_MAX - d) / 10)
      return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool om_host_has_prefix(om_slice s, const char *prefix) {
  size_t n = strlen(prefix);
  return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

bool om_host_copy(om_slice s, char *out, size_t cap) {
  if (s.len >= cap || memchr(s.ptr, '\0', s.len) != NULL)
    return false;
  memcpy(out, s.ptr, s.len);
  out[s.len] = '\0';
  return true;
}

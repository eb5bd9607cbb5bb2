/* libFuzzer target: arbitrary header lines as libcurl hands them over, and
 * their Retry-After values. A delay is -1 or within [0, max]; nothing may
 * read past the line. */
#include "om_http_header.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *line = malloc(size ? size : 1); /* exactly size bytes */
  memcpy(line, data, size);
  om_slice v;
  om_http_header_is_status(line, size);
  if (om_http_header_is(line, size, "Retry-After", &v)) {
    if (v.ptr < line || v.ptr + v.len > line + size)
      abort();
    double d = om_http_retry_after(v, 1.8e9, 3600);
    if (d != -1 && (d < 0 || d > 3600))
      abort();
  }
  double d = om_http_retry_after((om_slice){line, size}, 0, 60);
  if (d != -1 && (d < 0 || d > 60))
    abort();
  free(line);
  return 0;
}

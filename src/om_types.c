/* Helpers for the shared basic types. */
#include "om_types.h"

#include <string.h>

bool om_slice_eq_cstr(om_slice s, const char *c) {
  size_t n = strlen(c);
  return s.len == n && (n == 0 || memcmp(s.ptr, c, n) == 0);
}

int om_slice_cmp(om_slice a, om_slice b) {
  size_t n = a.len < b.len ? a.len : b.len;
  int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
  if (r != 0)
    return r;
  return (a.len > b.len) - (a.len < b.len);
}

const char *om_metric_type_name(om_metric_type t) {
  switch (t) {
  case OM_TYPE_COUNTER:
    return "counter";
  case OM_TYPE_GAUGE:
    return "gauge";
  case OM_TYPE_HISTOGRAM:
    return "histogram";
  case OM_TYPE_SUMMARY:
    return "summary";
  default:
    return "untyped";
  }
}

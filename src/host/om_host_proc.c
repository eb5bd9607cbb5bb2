/* node_exporter's meminfo, vmstat, loadavg and filefd collectors; see
 * om_host_proc.h. */
#include "om_host_proc.h"
#include "om_catalog.h"
#include "om_number.h"

#include <stdio.h>
#include <string.h>

/* "Active(anon)" as node_exporter names it, "Active_anon", into out (cap
 * bytes): false when the name has other characters than a metric name's
 * or does not fit. */
static bool meminfo_name(om_slice key, char *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < key.len; i++) {
    char c = key.ptr[i];
    if (c == '(')
      c = '_';
    else if (c == ')')
      continue;
    else if (!om_is_label_char(c))
      return false;
    if (n + 1 >= cap)
      return false;
    out[n++] = c;
  }
  out[n] = '\0';
  return n > 0;
}

om_host_parse om_host_meminfo(om_slice text, const om_sink *sink) {
  om_host_parse p = {0};
  om_slice line, f[4];
  for (size_t lineno = 1; om_host_next_line(&text, &line); lineno++) {
    size_t n = om_host_fields(line, f, 4);
    if (n == 0)
      continue; /* an empty line, as some kernels print */
    char key[96], family[OM_TYPE_NAME_SIZE];
    double v;
    if (n > 3 || n < 2 || f[0].len < 2 || f[0].ptr[f[0].len - 1] != ':' ||
        !meminfo_name((om_slice){f[0].ptr, f[0].len - 1}, key, sizeof(key)) ||
        !om_parse_double(f[1].ptr, f[1].len, &v)) {
      om_host_bad_line(&p, lineno);
      continue;
    }
    snprintf(family, sizeof(family), "node_memory_%s%s", key,
             n == 3 ? "_bytes" : "");
    om_sink_value(sink, family, NULL, 0, n == 3 ? v * 1024 : v);
  }
  return p;
}

om_host_parse om_host_vmstat(om_slice text, const om_host_filter *fields,
                             const om_sink *sink) {
  om_host_parse p = {0};
  om_slice line, f[3];
  for (size_t lineno = 1; om_host_next_line(&text, &line); lineno++) {
    char name[96], family[OM_TYPE_NAME_SIZE];
    double v;
    size_t n = om_host_fields(line, f, 3);
    if (n == 0)
      continue;
    if (n != 2 || !om_host_copy(f[0], name, sizeof(name)) ||
        !om_metric_name_valid(name, f[0].len) ||
        !om_parse_double(f[1].ptr, f[1].len, &v)) {
      om_host_bad_line(&p, lineno);
      continue;
    }
    if (!om_host_filter_matches(fields, name))
      continue; /* the filter says which fields to keep */
    snprintf(family, sizeof(family), "node_vmstat_%s", name);
    om_sink_value(sink, family, NULL, 0, v);
  }
  return p;
}

om_host_parse om_host_loadavg(om_slice text, const om_sink *sink) {
  static const char *const families[] = {"node_load1", "node_load5",
                                         "node_load15"};
  om_host_parse p = {0};
  om_slice line = {0}, f[3];
  double v[3];
  if (!om_host_next_line(&text, &line) || om_host_fields(line, f, 3) < 3) {
    om_host_bad_line(&p, 1);
    return p;
  }
  for (size_t i = 0; i < 3; i++)
    if (!om_parse_double(f[i].ptr, f[i].len, &v[i])) {
      om_host_bad_line(&p, 1);
      return p;
    }
  for (size_t i = 0; i < 3; i++)
    om_sink_value(sink, families[i], NULL, 0, v[i]);
  return p;
}

om_host_parse om_host_filefd(om_slice text, const om_sink *sink) {
  om_host_parse p = {0};
  om_slice line = {0}, f[4];
  uint64_t allocated, maximum;
  if (!om_host_next_line(&text, &line) || om_host_fields(line, f, 4) != 3 ||
      !om_host_u64(f[0], &allocated) || !om_host_u64(f[2], &maximum)) {
    om_host_bad_line(&p, 1);
    return p;
  }
  om_sink_value(sink, "node_filefd_allocated", NULL, 0, (double)allocated);
  om_sink_value(sink, "node_filefd_maximum", NULL, 0, (double)maximum);
  return p;
}

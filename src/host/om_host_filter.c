/* The <Host> collector's exclusions; see om_host_filter.h. */
#include "om_host_filter.h"
#include "om_text.h"

int om_host_filter_compile(om_host_filter *f, const char *pattern, char *err,
                           size_t errlen) {
  om_host_filter_free(f);
  if (om_regex_compile(&f->re, pattern, err, errlen) != 0)
    return -1;
  f->compiled = true;
  return 0;
}

bool om_host_filter_matches(const om_host_filter *f, const char *name) {
  return f->compiled && regexec(&f->re, name, 0, NULL, 0) == 0;
}

void om_host_filter_free(om_host_filter *f) {
  if (f->compiled)
    regfree(&f->re);
  f->compiled = false;
}

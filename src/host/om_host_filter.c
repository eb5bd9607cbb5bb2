/* The <Host> collector's exclusions; see om_host_filter.h. */
#include "om_host_filter.h"

#include <stdio.h>
#include <string.h>

/* Go's regexp classes that POSIX ERE lacks (glibc reads "\d" as "d"). */
static const char *go_only_class(const char *pattern) {
  for (const char *p = pattern; *p != '\0'; p++) {
    if (*p != '\\')
      continue;
    if (p[1] == 'd' || p[1] == 'D')
      return p;
    if (p[1] != '\0')
      p++;
  }
  return NULL;
}

int om_host_filter_compile(om_host_filter *f, const char *pattern, char *err,
                           size_t errlen) {
  om_host_filter_free(f);
  const char *bad = go_only_class(pattern);
  if (bad != NULL) {
    snprintf(err, errlen,
             "\"%s\" uses \\%c, which POSIX regular expressions do not "
             "have: write [0-9] (or [^0-9]) instead",
             pattern, bad[1]);
    return -1;
  }
  int rc = regcomp(&f->re, pattern, REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char why[128];
    regerror(rc, &f->re, why, sizeof(why));
    snprintf(err, errlen,
             "\"%s\" is not a POSIX extended regular "
             "expression: %s",
             pattern, why);
    return -1;
  }
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

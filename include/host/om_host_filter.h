/* host/, pure: includes core/ and host/.
 *
 * The exclusions of the <Host> collector (mount points, filesystem types,
 * disks, network devices): a POSIX extended regular expression that, as
 * node_exporter's flags do, matches anywhere in the name unless it
 * anchors itself with ^ and $. */
#ifndef OM_HOST_FILTER_H
#define OM_HOST_FILTER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  regex_t re;
  bool compiled;
} om_host_filter;

/* Compiles pattern into f (emptied first) as om_regex_compile does (Go's
 * \d, which POSIX does not know, refused with a hint rather than read as
 * a literal d). -1 with a message in err (errlen bytes), f left empty. */
int om_host_filter_compile(om_host_filter *f, const char *pattern, char *err,
                           size_t errlen);

/* Whether name (NUL-terminated) matches; an empty filter matches nothing. */
bool om_host_filter_matches(const om_host_filter *f, const char *name);

/* Frees the compiled expression; the filter is empty afterwards. */
void om_host_filter_free(om_host_filter *f);

#endif

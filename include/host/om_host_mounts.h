/* host/, pure: includes core/ and host/.
 *
 * The mounts of node_exporter's filesystem collector: the lines of
 * /proc/1/mounts (device, mount point, type, options), the mount point's
 * \040 and \011 turned back into a space and a tab as node_exporter does,
 * the exclusions applied, each (device, mount point, type) once. */
#ifndef OM_HOST_MOUNTS_H
#define OM_HOST_MOUNTS_H

#include "om_host_filter.h"
#include "om_host_text.h"

#include <stdbool.h>
#include <stddef.h>

/* mounts read at most; the rest count as malformed lines */
#define OM_HOST_MOUNTS_MAX 8192

typedef struct {
  const char *device; /* NUL-terminated, in the parsed text */
  const char *mountpoint;
  const char *fstype;
  bool readonly; /* "ro" among the options */
} om_host_mount;

/* Parses text (len bytes followed by a NUL; changed in place: the fields
 * end in NULs) into
 * out (at most max), leaving out the mounts whose mount point
 * mountpoints_exclude matches or whose type fstypes_exclude matches, and
 * repeats of a (device, mount point, type). Returns how many it kept;
 * *p counts the lines it could not read. */
size_t om_host_mounts(char *text, size_t len,
                      const om_host_filter *mountpoints_exclude,
                      const om_host_filter *fstypes_exclude, om_host_mount *out,
                      size_t max, om_host_parse *p);

#endif

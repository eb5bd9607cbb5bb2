/* The mounts of node_exporter's filesystem collector; see
 * om_host_mounts.h. */
#include "om_host_mounts.h"
#include "om_hash.h"
#include "om_index.h"

#include <string.h>

/* \040 and \011 back into a space and a tab, in place (node_exporter
 * turns back no other escape). */
static void unescape(char *s) {
  char *w = s;
  for (const char *r = s; *r != '\0';) {
    if (strncmp(r, "\\040", 4) == 0 || strncmp(r, "\\011", 4) == 0) {
      *w++ = r[2] == '4' ? ' ' : '\t';
      r += 4;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
}

static bool has_option(const char *options, const char *opt) {
  size_t n = strlen(opt);
  for (const char *o = options; o != NULL; o = strchr(o, ',')) {
    if (*o == ',')
      o++;
    if (strncmp(o, opt, n) == 0 && (o[n] == ',' || o[n] == '\0'))
      return true;
  }
  return false;
}

static uint64_t mount_hash(const om_host_mount *m) {
  uint64_t h =
      om_hash_bytes(OM_HASH_SEED, m->mountpoint, strlen(m->mountpoint));
  h = om_hash_bytes(h, m->device, strlen(m->device));
  return om_hash_bytes(h, m->fstype, strlen(m->fstype));
}

static bool same_mount(const void *item, const void *probe) {
  const om_host_mount *a = item, *b = probe;
  return strcmp(a->mountpoint, b->mountpoint) == 0 &&
         strcmp(a->device, b->device) == 0 && strcmp(a->fstype, b->fstype) == 0;
}

/* Whether m was kept before; if not, it will be (seen indexes the kept
 * ones; when memory runs out a repeat may pass, never a mount be lost). */
static bool seen_before(om_index *seen, om_host_mount *m) {
  uint64_t h = mount_hash(m);
  if (om_index_find(seen, h, same_mount, m) != NULL)
    return true;
  if (om_index_reserve(seen) == 0)
    om_index_add(seen, h, m);
  return false;
}

/* Ends each of the first four fields of line with a NUL: false when the
 * line has fewer than four, or a NUL byte of its own. */
static bool split_fields(om_slice line, char **fields) {
  om_slice f[4];
  if (om_host_fields(line, f, 4) < 4 ||
      memchr(line.ptr, '\0', line.len) != NULL)
    return false;
  for (size_t i = 0; i < 4; i++) {
    fields[i] = (char *)f[i].ptr;
    fields[i][f[i].len] = '\0'; /* a blank or the line's end */
  }
  return true;
}

size_t om_host_mounts(char *text, size_t len,
                      const om_host_filter *mountpoints_exclude,
                      const om_host_filter *fstypes_exclude, om_host_mount *out,
                      size_t max, om_host_parse *p) {
  size_t kept = 0;
  om_index seen = {0};
  om_slice rest = {text, len}, line;
  for (size_t lineno = 1; om_host_next_line(&rest, &line); lineno++) {
    char *f[4];
    om_slice blank[1];
    if (om_host_fields(line, blank, 1) == 0)
      continue;
    if (kept == max || !split_fields(line, f)) {
      om_host_bad_line(p, lineno);
      continue;
    }
    unescape(f[1]);
    om_host_mount *m = &out[kept];
    *m = (om_host_mount){f[0], f[1], f[2], has_option(f[3], "ro")};
    if (om_host_filter_matches(mountpoints_exclude, m->mountpoint) ||
        om_host_filter_matches(fstypes_exclude, m->fstype) ||
        seen_before(&seen, m))
      continue;
    kept++;
  }
  om_index_free(&seen);
  return kept;
}

/* host/: includes core/, io/, collectd/ and host/.
 *
 * node_exporter's filesystem collector: the mounts of /proc/1/mounts (or
 * /proc/mounts where that is hidden), each statfs'd under the block's
 * MountTimeout, as node_filesystem_{size,free,avail}_bytes,
 * node_filesystem_files, node_filesystem_files_free,
 * node_filesystem_readonly and node_filesystem_device_error{device,
 * fstype,mountpoint}. A mount whose statfs fails, or does not return in
 * time, reports only device_error 1; one that hung is not tried again
 * until its statfs returns, so a dead NFS or FUSE server never delays a
 * read beyond the deadline. */
#ifndef OM_HOST_FS_H
#define OM_HOST_FS_H

#include "om_buf.h"
#include "om_complain.h"
#include "om_host_config.h"
#include "om_sink.h"
#include "om_statfs.h"

typedef struct {
  om_statfs_runner *statfs;
  c_complain_t hung; /* mounts whose statfs does not return */
} om_host_fs;

/* 0, or -1 when out of memory. */
int om_host_fs_init(om_host_fs *fs);
void om_host_fs_free(om_host_fs *fs);

/* One read, into text (a buffer for the mounts file): 0, or -1 with err
 * (errlen bytes) saying why the collector failed. */
int om_host_fs_read(om_host_fs *fs, const om_host_config *cfg, om_buf *text,
                    const om_sink *sink, const char *block_id, char *err,
                    size_t errlen);

#endif

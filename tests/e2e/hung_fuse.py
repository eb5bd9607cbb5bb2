#!/usr/bin/env python3
"""A FUSE filesystem whose server never answers statfs: a stand-in for a
mount whose server is gone (a stopped NFS server, a hung FUSE daemon),
under which statfs(2) blocks in the kernel.

It speaks the kernel's FUSE protocol on /dev/fuse directly (no libfuse):
it answers INIT, refuses every other request with ENOSYS, and leaves
STATFS unanswered. Killing the process closes /dev/fuse, which aborts
the connection: the blocked statfs calls then fail with ENOTCONN.

    hung_fuse.py MOUNTPOINT      (mounts, prints "mounted", serves)
"""
import ctypes
import os
import struct
import sys

FUSE_INIT = 26
FUSE_STATFS = 17
FUSE_FORGET = 2
FUSE_BATCH_FORGET = 42
FUSE_DESTROY = 38
ENOSYS = 38
IN_HEADER = struct.Struct("<IIQQIIIHH")   # fuse_in_header, 40 bytes
OUT_HEADER = struct.Struct("<IiQ")        # fuse_out_header, 16 bytes
INIT_IN = struct.Struct("<IIII")          # major, minor, max_readahead, flags
# fuse_init_out (7.23+): major, minor, max_readahead, flags, max_background,
# congestion_threshold, max_write, time_gran, max_pages, map_alignment,
# flags2, unused[7]
INIT_OUT = struct.Struct("<IIIIHHIIHHI7I")
MS_NOSUID, MS_NODEV = 2, 4


def reply(fd, unique, error=0, body=b""):
    os.write(fd, OUT_HEADER.pack(OUT_HEADER.size + len(body), -error,
                                 unique) + body)


def serve(fd):
    while True:
        try:
            req = os.read(fd, 1 << 20)
        except OSError:
            return  # the connection was aborted or unmounted
        if len(req) < IN_HEADER.size:
            return
        _, opcode, unique = IN_HEADER.unpack_from(req)[:3]
        if opcode == FUSE_INIT:
            major, minor, readahead, _ = INIT_IN.unpack_from(
                req, IN_HEADER.size)
            reply(fd, unique, body=INIT_OUT.pack(
                7, min(minor, 31), readahead, 0, 16, 12, 4096, 1, 0, 0, 0,
                *([0] * 7)))
        elif opcode == FUSE_STATFS:
            continue  # never answered: statfs blocks
        elif opcode in (FUSE_FORGET, FUSE_BATCH_FORGET):
            continue  # no reply expected
        elif opcode == FUSE_DESTROY:
            reply(fd, unique)
            return
        else:
            reply(fd, unique, error=ENOSYS)


def main():
    mountpoint = sys.argv[1]
    fd = os.open("/dev/fuse", os.O_RDWR)
    libc = ctypes.CDLL(None, use_errno=True)
    opts = "fd=%d,rootmode=40000,user_id=0,group_id=0" % fd
    if libc.mount(b"om-hung", mountpoint.encode(), b"fuse.om-hung",
                  MS_NOSUID | MS_NODEV, opts.encode()) != 0:
        err = ctypes.get_errno()
        sys.exit("mount failed: %s" % os.strerror(err))
    print("mounted", flush=True)
    serve(fd)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""End to end: the <Host> collector beside Debian 12's real node_exporter
1.5, one Prometheus 2.42 scraping both (node_exporter directly as job
"node-direct", collectd through write_prometheus and the relabel rules):

  - every family <Host> produces has the same series (label sets, job and
    instance aside) as node_exporter's, and the same values: exactly for
    what does not change (sizes, totals, boot time, uname), within the
    tolerances of TOLERANCE for what does (counters: their rate over the
    scrape skew, plus a margin);
  - a family node_exporter's collectors of the same names have and
    <Host> leaves out is listed in docs/collectors.md, with the reason;
  - the Provisioning platform's HighMemoryUsage and DiskSpaceLow rules
    evaluate on <Host> data: DiskSpaceLow fires for a nearly full tmpfs
    the test mounts, not for /;
  - recorded /proc files under ProcPath (a collectd in a container reads
    the host's this way) give exactly their values, and a malformed file
    fails its collector only, logged with the file and the line;
  - a mount whose statfs hangs (a FUSE server that never answers, as a
    dead NFS server) never delays a read beyond MountTimeout: it reports
    node_filesystem_device_error 1, and the other mounts and collectors
    go on;
  - configuration errors name the option.
"""
import math
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (REPO, Collectd, Process, Prometheus,  # noqa: E402
                     Workdir, assert_config_refused, free_port, http_get,
                     pack_of, run_suite, scrape_config, wait_until)

NODE_EXPORTER = "/usr/bin/prometheus-node-exporter"
HERE = os.path.dirname(os.path.abspath(__file__))
SMALL_FS_BYTES = 1 << 20
OWN = "node_scrape_collector_"
PREFIXES = ("node_cpu_", "node_memory_", "node_filesystem_", "node_disk_",
            "node_network_", "node_load", "node_time_", "node_uname_",
            "node_filefd_", "node_vmstat_", "node_boot_time_seconds",
            "node_context_switches_total", "node_forks_total",
            "node_intr_total", "node_procs_")

# How far a value of collectd's may lie outside what node_exporter reported
# around the time collectd read it: (absolute margin, relative margin), for
# gauges that move faster than the scrapes. Counters and constants have
# none.
TOLERANCE = {
    "node_memory_": (256 << 20, 0.10),
    "node_memory_HugePages_": (0, 0),
    "node_memory_Hugepagesize_bytes": (0, 0),
    "node_memory_MemTotal_bytes": (0, 0),
    "node_memory_SwapTotal_bytes": (0, 0),
    "node_memory_VmallocTotal_bytes": (0, 0),
    "node_filesystem_avail_bytes": (64 << 20, 0.01),
    "node_filesystem_free_bytes": (64 << 20, 0.01),
    "node_filesystem_files_free": (5000, 0.01),
    "node_disk_io_now": (50, 0),
    "node_load": (0.5, 0),
    "node_procs_": (20, 0),
    "node_filefd_allocated": (1000, 0),
    "node_time_seconds": (0.1, 0),
}
def tolerance(family):
    best = None
    for prefix, tol in TOLERANCE.items():
        if family.startswith(prefix) and (best is None or
                                          len(prefix) > len(best[0])):
            best = (prefix, tol)
    return best[1] if best else (0, 0)


RULES = """groups:
  - name: provisioning-host
    rules:
      - alert: HighMemoryUsage
        expr: (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > %(memory)s
        for: 1s
        labels: {severity: warning}
      - alert: DiskSpaceLow
        expr: |
          (node_filesystem_avail_bytes{mountpoint="%(small)s"} /
          node_filesystem_size_bytes{mountpoint="%(small)s"}) < 0.1
        for: 1s
        labels: {severity: warning}
      - alert: DiskSpaceLowRoot
        expr: |
          (node_filesystem_avail_bytes{mountpoint="/"} /
          node_filesystem_size_bytes{mountpoint="/"}) < 0.1
        for: 1s
"""


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.small = os.path.join(wd.path, "provisioning")
        os.makedirs(self.small)
        subprocess.check_call(["mount", "-t", "tmpfs", "-o",
                               "size=%d" % SMALL_FS_BYTES, "om-e2e-small",
                               self.small])
        self.mounted = [self.small]
        with open(os.path.join(self.small, "fill"), "wb") as f:
            f.write(b"\0" * (SMALL_FS_BYTES * 95 // 100))
        self.ne_port = free_port()
        self.ne = Process("node_exporter", [
            NODE_EXPORTER, "--web.listen-address=127.0.0.1:%d" % self.ne_port],
            wd.file("node_exporter.log"))
        wait_until("node_exporter to answer", lambda: http_get(
            "http://127.0.0.1:%d/metrics" % self.ne_port), timeout=30)
        self.collectd = Collectd(wd, '<Host>\n  Job "node"\n</Host>\n')
        self.collectd.wait_ready()
        rules = wd.file("rules.yml", RULES % {"memory": "0",
                                              "small": self.small})
        self.prom = Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True) +
            scrape_config("node-direct", "127.0.0.1:%d" % self.ne_port),
            rule_files=[rules])
        wait_until("both sides in Prometheus", lambda: len(self.prom.query(
            'count by (job) (node_memory_MemTotal_bytes)')) == 2, timeout=60)
        # counters need two scrapes for their rates
        wait_until("rates", lambda: len(self.prom.query(
            'rate(node_cpu_seconds_total{job="node-direct"}[15s])')) > 0,
            timeout=30)

    def stop(self):
        for p in ("prom", "collectd", "ne"):
            if hasattr(self, p):
                getattr(self, p).stop()
        for m in self.mounted:
            subprocess.call(["umount", "-l", m])


def by_family(prom, job, at):
    """{family: {frozenset(labels without job/instance): value}}"""
    out = {}
    for labels, value in prom.query('{job="%s",__name__=~"node_.+"}' % job,
                                    at=at):
        name = labels.pop("__name__")
        labels.pop("job", None)
        labels.pop("instance", None)
        out.setdefault(name, {})[frozenset(labels.items())] = value
    return out


def ours(e, at):
    return {f: s for f, s in by_family(e.prom, "node", at).items()
            if not f.startswith(OWN)}


def test_same_series_as_node_exporter(e):
    at = time.time()
    mine, theirs = ours(e, at), by_family(e.prom, "node-direct", at)
    assert len(mine) >= 80, sorted(mine)
    for family, series in mine.items():
        assert family in theirs, "%s: node_exporter has no such family" % (
            family)
        assert set(series) == set(theirs[family]), (
            "%s: only <Host>: %s; only node_exporter: %s" % (
                family, [dict(x) for x in set(series) - set(theirs[family])],
                [dict(x) for x in set(theirs[family]) - set(series)]))
    for family in ("node_memory_MemAvailable_bytes", "node_cpu_seconds_total",
                   "node_disk_io_time_seconds_total",
                   "node_network_receive_bytes_total",
                   "node_network_transmit_bytes_total",
                   "node_filesystem_avail_bytes", "node_boot_time_seconds",
                   "node_uname_info", "node_filefd_allocated", "node_load1",
                   "node_time_seconds", "node_vmstat_pgfault"):
        assert family in mine, family


def points(prom, job, at):
    """{(family, labels without job/instance): [(t, v), ...]} of the last
    12 s of job's node_* series."""
    out = {}
    data = prom.api("query", query='{job="%s",__name__=~"node_.+"}[12s]' % job,
                    time="%.3f" % at)
    for r in data["result"]:
        labels = dict(r["metric"])
        name = labels.pop("__name__")
        labels.pop("job", None)
        labels.pop("instance", None)
        out[(name, frozenset(labels.items()))] = [
            (float(t), float(v)) for t, v in r["values"]]
    return out


def test_values_agree(e):
    """collectd's value, read up to a scrape interval before Prometheus
    took it, must lie within what node_exporter reported around that time
    (from 2.5 s before to 1.5 s after), widened by the family's tolerance
    (TOLERANCE) for what moves faster than the scrapes."""
    def old_enough():
        up = points(e.prom, "node", time.time())
        return any(t <= time.time() - 3 for (f, _), p in up.items()
                   if f == "node_load1" for t, _ in p)
    wait_until("a few seconds of history", old_enough, timeout=20)
    at = time.time()
    mine, theirs = points(e.prom, "node", at), points(e.prom, "node-direct", at)
    wrong, checked = [], 0
    for (family, key), pts in mine.items():
        if family.startswith(OWN):
            continue
        pts = [p for p in pts if p[0] <= at - 2]
        if not pts:
            continue
        t, value = pts[-1]
        near = [v for tt, v in theirs[(family, key)] if t - 2.5 <= tt <= t + 1.5]
        assert near, (family, dict(key))
        absolute, relative = tolerance(family)
        lo, hi = min(near), max(near)
        # write_prometheus writes gauges (float counters among them) with
        # 15 significant digits: 1884 ms is 1.884, not 1.8840000000000001
        slack = max(absolute, relative * max(abs(lo), abs(hi)),
                    1e-14 * max(abs(lo), abs(hi)))
        checked += 1
        if not lo - slack <= value <= hi + slack:
            wrong.append("%s%s: %r, node_exporter %r to %r (tolerance %g)" % (
                family, dict(key), value, lo, hi, slack))
    assert checked >= 100, checked
    assert not wrong, "\n".join(wrong[:20])


def test_left_out_families_are_listed(e):
    """node_exporter's families of the collectors <Host> has, which <Host>
    does not send, each named in docs/collectors.md with its reason."""
    at = time.time()
    mine, theirs = ours(e, at), by_family(e.prom, "node-direct", at)
    with open(os.path.join(REPO, "docs", "collectors.md")) as f:
        doc = f.read()
    missing = [f for f in theirs if f.startswith(PREFIXES) and
               f not in mine and "`%s`" % f not in doc]
    assert not missing, "left out and not in docs/collectors.md: %s" % missing


def test_own_collector_series(e):
    at = time.time()
    success = {dict(k)["collector"]: v for k, v in
               by_family(e.prom, "node", at)[OWN + "success"].items()}
    assert success == {c: 1.0 for c in (
        "cpu", "meminfo", "filesystem", "diskstats", "netdev", "loadavg",
        "stat", "time", "uname", "filefd", "vmstat")}, success
    inst = e.prom.query('node_uname_info{job="node"}')
    assert inst[0][0]["instance"] == "om-test-host:9100", inst


def test_seed_alerts_evaluate(e):
    def firing():
        return {a["labels"]["alertname"] for a in e.prom.api("alerts")[
            "alerts"] if a["state"] == "firing"}
    wait_until("DiskSpaceLow and HighMemoryUsage to fire",
               lambda: {"DiskSpaceLow", "HighMemoryUsage"} <= firing(),
               timeout=30)
    assert "DiskSpaceLowRoot" not in firing()
    ratio = e.prom.query('node_filesystem_avail_bytes{job="node",'
                         'mountpoint="%s"} / node_filesystem_size_bytes'
                         % e.small)
    assert len(ratio) == 1 and ratio[0][1] < 0.1, ratio


def recorded_proc(wd, meminfo):
    proc = os.path.join(wd.path, "proc")
    os.makedirs(os.path.join(proc, "sys", "fs"))
    files = {"meminfo": meminfo,
             "loadavg": "0.25 1.50 3.75 2/345 6789\n",
             "stat": "cpu  10 0 10 100 0 0 0 0 0 0\n"
                     "cpu0 150 5 250 10000 7 1 2 3 4 0\n"
                     "intr 12345 1 2 3\nctxt 987654\nbtime 1700000000\n"
                     "processes 4242\nprocs_running 3\nprocs_blocked 1\n",
             "sys/fs/file-nr": "1184\t0\t9223372036854775807\n"}
    for name, text in files.items():
        with open(os.path.join(proc, name), "w") as f:
            f.write(text)
    return proc


def decode(name, labels):
    """(family, rest of the pack, pack) of a write_prometheus sample: the
    family from the collectd type (its shard number taken off) or from
    __name__ in the pack; the rest without the recorded block's job and
    instance."""
    pack = pack_of(labels)
    m = re.match(r"(?:__name__=([^,]+),)?(.*)", pack)
    family = m.group(1) or re.sub(r"^collectd_operator_metrics_([0-9]+_)?",
                                  "", name)
    return family, m.group(2).replace("instance=recorded:9100,job=node",
                                      ""), pack


def test_proc_path_reads_recorded_files(e):
    wd = Workdir("host-recorded")
    try:
        proc = recorded_proc(wd, "MemTotal:  1000 kB\nActive(anon): 2 kB\n"
                             "HugePages_Total: 7\nNewField: 3 kB\n")
        bad = os.path.join(wd.path, "bad")
        os.makedirs(bad)
        with open(os.path.join(bad, "vmstat"), "w") as f:
            f.write("pgfault 1000\npgmajfault many\n")
        c = Collectd(wd, '<Host "recorded">\n  ProcPath "%s"\n'
                     '  Collectors "meminfo" "loadavg" "stat" "cpu" "filefd"'
                     '\n  Instance "recorded:9100"\n</Host>\n'
                     '<Host "bad">\n  ProcPath "%s"\n  Collectors "vmstat"'
                     '\n  Job "bad"\n</Host>\n' % (proc, bad),
                     name="collectd-recorded")
        try:
            c.wait_ready()
            want = {
                ("node_memory_MemTotal_bytes", ""): 1024000,
                ("node_memory_Active_anon_bytes", ""): 2048,
                ("node_memory_HugePages_Total", ""): 7,
                ("node_memory_NewField_bytes", ""): 3072,
                ("node_load1", ""): 0.25, ("node_load15", ""): 3.75,
                ("node_cpu_seconds_total", "cpu=0,mode=system,"): 2.5,
                ("node_cpu_seconds_total", "cpu=0,mode=idle,"): 100,
                ("node_cpu_guest_seconds_total", "cpu=0,mode=user,"): 0.04,
                ("node_context_switches_total", ""): 987654,
                ("node_intr_total", ""): 12345,
                ("node_forks_total", ""): 4242,
                ("node_boot_time_seconds", ""): 1700000000,
                ("node_procs_running", ""): 3,
                ("node_filefd_maximum", ""): 9223372036854775807,
                ("node_vmstat_pgfault",
                 "instance=om-test-host:9100,job=bad"): 1000,
                ("node_scrape_collector_success", "collector=vmstat,"
                 "instance=om-test-host:9100,job=bad"): 0,
            }

            def got():
                return {decode(name, labels)[:2]: value
                        for name, labels, value, _ in c.samples()}

            def matches():
                # collectd's write_prometheus writes a gauge with 15
                # significant digits (9223372036854775807 as
                # 9.22337203685478e+18)
                have = got()
                return all(k in have and math.isclose(have[k], v,
                                                      rel_tol=1e-14)
                           for k, v in want.items())
            wait_until("the recorded values", matches, timeout=20)
            log = c.log()
            assert ('operator_metrics(host/bad): collector "vmstat" failed: '
                    '1 line(s) of vmstat unreadable, first line 2') in log, log
        finally:
            c.stop()
    finally:
        wd.cleanup()


def test_rootfs_path_strips_and_prefixes(e):
    """RootFSPath, as node_exporter's --path.rootfs: a mount under it is
    labelled without it, and its statfs goes to the mount point under it.
    With the suite's workdir as the root, the small tmpfs there is
    mountpoint "/provisioning", and its size is the tmpfs' own (a statfs
    of "/provisioning" itself would fail: device_error 1, no size)."""
    wd = Workdir("host-rootfs")
    try:
        c = Collectd(wd, '<Host "rooted">\n  RootFSPath "%s"\n'
                     '  Collectors "filesystem"\n  Job "rooted"\n</Host>\n'
                     % e.wd.path, name="collectd-rootfs")
        try:
            c.wait_ready()

            def small(family):
                for name, labels, value, _ in c.samples():
                    got, _, pack = decode(name, labels)
                    if got == family and re.search(
                            r"(^|,)mountpoint=/provisioning(,|$)", pack):
                        return value
                return None
            wait_until("the small tmpfs as /provisioning",
                       lambda: small("node_filesystem_size_bytes") is not None,
                       timeout=20)
            assert small("node_filesystem_size_bytes") == SMALL_FS_BYTES
            assert small("node_filesystem_device_error") == 0
        finally:
            c.stop()
    finally:
        wd.cleanup()


def test_hung_mount_never_delays_a_read(e):
    """statfs of a FUSE mount whose server never answers blocks in the
    kernel (in state D, as under a dead NFS server)."""
    e.ne.stop()  # node_exporter's own statfs would hang on it too
    wd = Workdir("host-hung")
    mp = os.path.join(wd.path, "hung")
    os.makedirs(mp)
    server = Process("hung-fuse", [sys.executable,
                                   os.path.join(HERE, "hung_fuse.py"), mp],
                     wd.file("hung-fuse.log"))
    c = None
    try:
        wait_until("the FUSE mount", lambda: mp in open(
            "/proc/self/mounts").read(), timeout=10)
        c = Collectd(wd, '<Host "fs">\n  Collectors "filesystem"\n'
                     '  MountTimeout 0.4\n</Host>\n'
                     '<Host "load">\n  Collectors "loadavg"\n</Host>\n',
                     name="collectd-hung")
        c.wait_ready()

        def state():
            s = {"ts": set()}
            for name, labels, value, ts in c.samples():
                pack = decode(name, labels)[2]
                if "mountpoint=%s," % mp in pack + "," and \
                        "device_error" in name:
                    s["hung"] = value
                if "mountpoint=/," in pack and "size_bytes" in name:
                    s["root"] = value
                if "collector=filesystem" in pack and "duration" in name:
                    s["took"] = value
                    s["ts"].add(ts)
                if name.endswith("node_load1"):
                    s["load"] = ts
            return s
        wait_until("device_error 1 for the hung mount",
                   lambda: state().get("hung") == 1, timeout=15)
        seen, start = [], time.time()
        while time.time() - start < 5:
            s = state()
            assert s.get("root", 0) > 0, s
            seen.append((s["took"], max(s["ts"]), s.get("load")))
            time.sleep(0.5)
        took = max(t for t, _, _ in seen)
        assert took < 0.4 + 0.3, "a read took %.2f s" % took
        # reads go on every interval, the other block's too
        assert len({ts for _, ts, _ in seen}) >= 4, seen
        assert len({ld for _, _, ld in seen}) >= 4, seen
        log = c.log()
        assert re.search(r'statfs of 1 mount\(s\), first "%s", did not '
                         r'return within MountTimeout' % re.escape(mp), log), log
        # the server goes: statfs fails at once, the mount is no longer hung
        server.stop()
        subprocess.call(["umount", "-l", mp])
        wait_until("the mount gone from the series",
                   lambda: "hung" not in state(), timeout=15)
    finally:
        if c is not None:
            c.stop()
        server.stop()
        subprocess.call(["umount", "-l", mp], stderr=subprocess.DEVNULL)
        wd.cleanup()


CONFIG_ERRORS = [
    ("unknown collector", '<Host>\n Collectors "cpu" "cpux"\n</Host>',
     'operator_metrics(host/host): option "Collectors": "cpux" is not one '
     'of cpu, meminfo'),
    ("Go's \\d", '<Host>\n DeviceExclude "^sd[a-z]\\\\d+$"\n</Host>',
     'operator_metrics(host/host): option "DeviceExclude": "^sd[a-z]\\d+$" '
     'uses \\d, which POSIX regular expressions do not have'),
    ("bad regex", '<Host>\n MountPointsExclude "^(/dev"\n</Host>',
     'operator_metrics(host/host): option "MountPointsExclude": "^(/dev" is '
     'not a POSIX extended regular expression'),
    ("relative path", '<Host>\n ProcPath "proc"\n</Host>',
     'operator_metrics(host/host): option "ProcPath" needs an absolute path'),
    ("mount timeout", '<Host>\n Interval 1\n MountTimeout 2\n</Host>',
     'operator_metrics(host/host): option "MountTimeout" (2 s) must not '
     'exceed 90% of the interval (1 s)'),
    ("two blocks, one family", '<Host "a">\n Collectors "cpu" "loadavg"\n'
     '</Host>\n<Host "b">\n Collectors "loadavg"\n</Host>',
     'blocks "host/a" and "host/b" would both send "node_load1"'),
]


def test_config_errors_stop_collectd(_e):
    assert_config_refused(CONFIG_ERRORS)


if __name__ == "__main__":
    sys.exit(run_suite("e2e.host", Env, [
        test_same_series_as_node_exporter,
        test_values_agree,
        test_left_out_families_are_listed,
        test_own_collector_series,
        test_seed_alerts_evaluate,
        test_proc_path_reads_recorded_files,
        test_rootfs_path_strips_and_prefixes,
        test_config_errors_stop_collectd,
        test_hung_mount_never_delays_a_read,
    ]))

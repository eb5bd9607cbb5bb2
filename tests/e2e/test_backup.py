#!/usr/bin/env python3
"""End to end: the <Backup> collector in the real collectd 5.12 with
write_prometheus, judged by a real Prometheus 2.42 that uses the shipped
relabel snippet, against a real PostgreSQL 15 with a real pgBackRest
stanza made by the test:

  pgbr       runs `pgbackrest info --output=json` (stanza "main");
  pgbr-file  reads a file the test writes as a cron job would;
  dumps      a directory of logical dumps that appear over time;
  sched      a directory whose one dump is 25 hours old, with the schedule
             "* * * * *", a 5 s window and nobody making backups;
  sched-tz   the same directory, scheduled "30 2 * * *" in Asia/Kolkata;
  hang, garbage, huge, failing
             commands that sleep past the timeout, print something that is
             not JSON, print 20 MB, exit 55.
"""
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Collectd, Prometheus, Workdir,  # noqa: E402
                     assert_config_refused, rss_mb, run_suite,
                     scrape_config, wait_until)
from pgbackrest_repo import PgBackRest  # noqa: E402
from pgserver import PostgresServer  # noqa: E402

NS = "db-system"
OLD_AGE = 25 * 3600  # the sched dump's age when the test starts
HANG_MARK = "61.25"  # sleep's argument, to find the hanging command
DOCUMENTED = {
    "dbops_backup_size_bytes": {"database", "engine", "namespace"},
    "dbops_backup_last_success_timestamp_seconds": {"database", "engine",
                                                    "namespace"},
    # the blocks here keep the database on the counters and the histogram
    # (PerDatabase true); the documented sums are test_backup_sums' and
    # test_combined.py's
    "dbops_backup_operations_total": {"engine", "status", "namespace",
                                      "database"},
    "dbops_backup_duration_seconds_bucket": {"engine", "namespace", "le",
                                             "database"},
    "dbops_backup_duration_seconds_sum": {"engine", "namespace", "database"},
    "dbops_backup_duration_seconds_count": {"engine", "namespace",
                                            "database"},
    "dbops_backup_info": {"backup", "namespace", "database_ref",
                          "storage_type", "phase"},
    "dbops_schedule_next_backup_timestamp_seconds": {"database", "namespace"},
    "dbops_schedule_info": {"schedule", "namespace", "database_ref", "cron",
                            "paused"},
    "dbops_scheduled_backups_total": {"status", "namespace", "database"},
    "operator_metrics_backup_source_state": {"block", "state"},
    "operator_metrics_backup_repository_status": {"block", "database",
                                                  "namespace", "message"},
}
DURATION_BOUNDS = ["1", "5", "10", "30", "60", "120", "300", "600", "1800",
                   "3600", "+Inf"]


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.t0 = time.time()
        self.repo = PgBackRest(wd)
        self.pg = PostgresServer(wd, "main",
                                 settings=self.repo.archive_settings())
        self.repo.attach(self.pg)
        self.info_file = os.path.join(wd.path, "info.json")
        self.dumps = os.path.join(wd.path, "dumps")
        self.sched = os.path.join(wd.path, "sched")
        os.makedirs(self.dumps)
        os.makedirs(self.sched)
        self.write_dump(self.dumps, "app-1.sql", 100, self.t0 - 600)
        self.write_dump(self.dumps, "notes.txt", 10, self.t0)
        self.old_mtime = int(self.t0) - OLD_AGE
        self.write_dump(self.sched, "nightly.sql", 300, self.old_mtime)
        self.collectd = Collectd(wd, self.blocks())
        self.collectd.wait_ready()
        self.prom = Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True))
        wait_until("the repository's state in Prometheus", lambda: one_or_none(
            self, 'operator_metrics_backup_repository_status{block="pgbr"}'),
            timeout=60)

    def pgbackrest(self, *args):
        return self.repo.run(*args)

    def info(self):
        return self.repo.info()

    @staticmethod
    def write_dump(directory, name, size, mtime):
        path = os.path.join(directory, name)
        with open(path, "wb") as f:
            f.write(b"-" * size)
        os.utime(path, (mtime, mtime))
        return path

    def blocks(self):
        info = self.repo.collectd_command()
        common = '  Namespace "%s"\n  PerDatabase true\n' % NS

        def block(name, *lines):
            return '<Backup "%s">\n%s%s</Backup>\n' % (
                name, common, "".join("  %s\n" % line for line in lines))
        return "".join([
            block("pgbr", 'Type "pgbackrest"', "Command " + info,
                  "Interval 2", "Timeout 1.5", 'StorageType "posix"'),
            block("pgbr-file", 'Type "pgbackrest"',
                  'File "%s"' % self.info_file, 'Stanza "main"',
                  'Database "main-from-file"'),
            block("chosen", 'Type "pgbackrest"',
                  'File "%s"' % self.info_file, 'Stanza "main"',
                  'Database "chosen-from-file"', 'Include "dbops_backup_*"',
                  'Exclude "dbops_backup_size_bytes"'),
            block("dumps", 'Type "directory"', 'Path "%s"' % self.dumps,
                  'Pattern "*.sql"'),
            block("sched", 'Type "directory"', 'Path "%s"' % self.sched,
                  'Schedule "* * * * *"', "ScheduleWindow 5"),
            block("sched-tz", 'Type "directory"', 'Path "%s"' % self.sched,
                  'Schedule "30 2 * * *"', 'TimeZone "Asia/Kolkata"'),
            block("unknown-stanza", 'Type "pgbackrest"', "Command " + info,
                  'Stanza "nope"', "Interval 2"),
            block("hang", 'Type "pgbackrest"',
                  'Command "/bin/sleep" "%s"' % HANG_MARK,
                  "Timeout 1", "Interval 3"),
            block("garbage", 'Type "pgbackrest"',
                  'Command "/bin/echo" "<html>502 Bad Gateway</html>"'),
            block("huge", 'Type "pgbackrest"',
                  'Command "/usr/bin/head" "-c" "20000000" "/dev/zero"',
                  "MaxOutputBytes 1048576", "Interval 2"),
            block("failing", 'Type "pgbackrest"',
                  'Command "/bin/sh" "-c" "echo \'ERROR: [055]: unable to '
                  'load info file\' >&2; exit 55"'),
        ])

    def stop(self):
        for p in ("prom", "collectd", "pg"):
            if hasattr(self, p):
                getattr(self, p).stop()


def series(e, selector, at=None):
    return e.prom.query(selector, at=at)


def one_or_none(e, selector):
    got = series(e, selector)
    assert len(got) <= 1, "%s: want at most one series, got %s" % (
        selector, got)
    return got[0] if got else None


def value(e, selector):
    got = one_or_none(e, selector)
    assert got is not None, "%s: no series" % selector
    return got[1]


def wait_value(e, selector, want, timeout=30):
    wait_until("%s == %s" % (selector, want), lambda: (
        one_or_none(e, selector) or (None, None))[1] == want, timeout=timeout)


def source_state(e, block):
    on = [m["state"] for m, v in series(
        e, 'operator_metrics_backup_source_state{block="%s"}' % block)
        if v == 1]
    return on[0] if len(on) == 1 else on


def test_unknown_stanza_is_missing(e):
    # pgbackrest info lists the stanzas it knows; "nope" is not one of them:
    # reported as pgBackRest itself reports a stanza without its path
    wait_until("the unknown stanza's state", lambda: source_state(
        e, "unknown-stanza") == "missing", timeout=30)
    got = series(e, 'operator_metrics_backup_repository_status'
                    '{block="unknown-stanza"}')
    assert [(m["database"], m["message"], v) for m, v in got] == [
        ("nope", "missing stanza path", 1.0)], got
    assert not series(e, 'dbops_backup_info{database_ref="nope"}')
    log = e.collectd.log()
    line = ('operator_metrics(backup/unknown-stanza): the backup listing is '
            'incomplete (missing): pgBackRest does not know stanza "nope" '
            '(missing stanza path)')
    assert log.count(line) == 1, log[-3000:]


def test_many_blocks_memory_stays_bounded(e):
    # fifteen blocks whose listings are megabytes (a 6 MB info file read by
    # cat, 10 MB of output over the cap, a command killed at Timeout), in
    # parallel read threads, every second: collectd's memory stays near
    # what the reads use at once. (When the buffers came from malloc,
    # glibc kept them in its per-thread arenas: 150 MB and more.)
    wd = Workdir("backup-memory")
    try:
        big = wd.file("big.json", json.dumps([
            {"name": "s%d" % i, "status": {"code": 0, "message": "ok"},
             "backup": []} for i in range(200)]) + " " * 6000000)
        commands = ['Command "/bin/cat" "%s"' % big,
                    'Command "/usr/bin/head" "-c" "20000000" "/dev/zero"\n'
                    '  MaxOutputBytes 10485760',
                    'Command "/bin/sleep" "5"\n  Timeout 0.5']
        blocks = "".join(
            '<Backup "m%d">\n  Type "pgbackrest"\n  %s\n  Interval 1\n'
            '</Backup>\n' % (i, commands[i % 3]) for i in range(15))
        c = Collectd(wd, blocks, name="collectd-memory")
        try:
            c.wait_ready(timeout=60)
            pid = c.process.proc.pid
            samples = []
            for _ in range(10):
                time.sleep(3)
                samples.append(rss_mb(pid))
            assert max(samples) < 100, "RSS MB every 3 s: %s" % samples
            # what stays between reads does not grow (a sample may catch
            # several reads' buffers at once, so the lowest are compared)
            assert min(samples[-4:]) < min(samples[:4]) + 20, samples
        finally:
            c.stop()
    finally:
        wd.cleanup()


def backup_labels(e, database):
    return {m["backup"]: m["phase"] for m, _ in series(
        e, 'dbops_backup_info{database_ref="%s"}' % database)}


# --- names and labels ---------------------------------------------------------

def test_families_have_documented_labels(e):
    wait_until("every family", lambda: all(series(e, f) for f in DOCUMENTED),
               timeout=30)
    for family, names in DOCUMENTED.items():
        for metric, _ in series(e, family):
            attached = {"__name__", "job", "instance"}
            got = set(metric) - attached
            assert got == names, "%s: labels %s, want %s" % (
                family, sorted(got), sorted(names))
    bounds = sorted({m["le"] for m, _ in series(
        e, 'dbops_backup_duration_seconds_bucket{database="main"}')},
        key=lambda b: float(b))
    assert bounds == DURATION_BOUNDS, bounds
    states = {m["state"] for m, _ in series(
        e, 'operator_metrics_backup_source_state{block="pgbr"}')}
    assert states == {"ok", "timeout", "failed", "too_large", "invalid",
                      "missing", "error", "duplicate"}, states


def test_block_chooses_its_families(e):
    # "chosen" reads the file "pgbr-file" reads (written by the test
    # before, figures kept since), keeping only what its Include patterns
    # match and its Exclude ones do not
    def names(database):
        return {m["__name__"] for m, _ in series(
            e, '{__name__=~".+",database="%s"}' % database)}
    wait_until("both blocks to be read",
               lambda: names("chosen-from-file") and
               "dbops_backup_size_bytes" in names("main-from-file"),
               timeout=30)
    full, chosen = names("main-from-file"), names("chosen-from-file")
    # the block's own health (operator_metrics_*) goes out whatever its
    # patterns say
    want = {n for n in full if n.startswith(("dbops_backup_",
                                             "operator_metrics_"))}
    want.discard("dbops_backup_size_bytes")
    assert want and chosen == want and want != full, (
        sorted(full), sorted(chosen))
    assert "operator_metrics_backup_repository_status" in chosen
    assert series(e, 'operator_metrics_backup_source_state{block="chosen"}')


# --- pgBackRest ----------------------------------------------------------------

def repo_figures(e):
    return {
        "size": value(e, 'dbops_backup_size_bytes{database="main"}'),
        "last": value(e, 'dbops_backup_last_success_timestamp_seconds'
                         '{database="main"}'),
        "count": value(e, 'dbops_backup_duration_seconds_count'
                          '{database="main"}'),
        "sum": value(e, 'dbops_backup_duration_seconds_sum{database="main"}'),
    }


def ops(e, database, status):
    return value(e, 'dbops_backup_operations_total{database="%s",'
                    'status="%s"}' % (database, status))


def test_pgbackrest_full_then_incremental(e):
    # the stanza exists and has no backup: pgBackRest's own code 2
    got = one_or_none(e, 'operator_metrics_backup_repository_status'
                         '{block="pgbr"}')
    assert got[0]["database"] == "main" and got[0]["namespace"] == NS, got
    assert got[1] == 2 and got[0]["message"] == "no valid backups", got
    assert one_or_none(e, 'dbops_backup_size_bytes{database="main"}') is None
    assert ops(e, "main", "success") == 0
    durations = []
    for n, kind in enumerate(["full", "incr"], start=1):
        e.pgbackrest("--type=" + kind, "backup")
        newest = e.info()[0]["backup"][-1]
        assert newest["type"] == kind, newest
        ts = newest["timestamp"]
        durations.append(ts["stop"] - ts["start"])
        wait_value(e, 'dbops_backup_operations_total{database="main",'
                      'status="success"}', n)
        figures = repo_figures(e)
        assert figures == {"size": newest["info"]["repository"]["delta"],
                           "last": ts["stop"], "count": n,
                           "sum": sum(durations)}, (figures, newest)
        assert ops(e, "main", "failure") == 0
        labels = backup_labels(e, "main")
        assert labels.get(newest["label"]) == "Completed", labels
        assert len(labels) == n, labels
    # exactly one per backup, also after more reads
    time.sleep(4)
    assert ops(e, "main", "success") == 2
    got = one_or_none(e, 'dbops_backup_info{backup="%s"}' % newest["label"])
    assert got[0]["storage_type"] == "posix" and got[0]["namespace"] == NS
    status = one_or_none(e, 'operator_metrics_backup_repository_status'
                            '{block="pgbr"}')
    assert status[1] == 0 and status[0]["message"] == "ok", status
    # le="5": the duration buckets hold the backups that took at most 5 s
    le5 = value(e, 'dbops_backup_duration_seconds_bucket{database="main",'
                   'le="5"}')
    assert le5 == sum(1 for d in durations if d <= 5), (le5, durations)


def test_file_source_missing_read_and_broken(e):
    block = 'block="pgbr-file"'
    assert source_state(e, "pgbr-file") == "missing"
    assert "cannot open \"%s\"" % e.info_file in e.collectd.log()
    # a cron job writes the info JSON (atomically, by renaming)
    text = e.pgbackrest("info", "--output=json")
    tmp = e.info_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, e.info_file)
    wait_until("pgbr-file to read the file",
               lambda: source_state(e, "pgbr-file") == "ok")
    newest = json.loads(text)[0]["backup"][-1]
    size = value(e, 'dbops_backup_size_bytes{database="main-from-file"}')
    last = value(e, 'dbops_backup_last_success_timestamp_seconds'
                    '{database="main-from-file"}')
    assert (size, last) == (newest["info"]["repository"]["delta"],
                            newest["timestamp"]["stop"])
    # the first listing is the baseline: its backups are not counted
    assert ops(e, "main-from-file", "success") == 0
    # truncated, then missing: the state says so, the figures stay
    with open(e.info_file, "w") as f:
        f.write(text[:len(text) // 2])
    wait_until("pgbr-file: invalid",
               lambda: source_state(e, "pgbr-file") == "invalid")
    os.unlink(e.info_file)
    wait_until("pgbr-file: missing",
               lambda: source_state(e, "pgbr-file") == "missing")
    time.sleep(2)
    assert value(e, 'dbops_backup_size_bytes{database="main-from-file"}') \
        == size
    assert value(e, 'dbops_backup_last_success_timestamp_seconds'
                    '{database="main-from-file"}') == last
    assert set(backup_labels(e, "main-from-file")) == {
        b["label"] for b in json.loads(text)[0]["backup"]}
    assert one_or_none(e, 'operator_metrics_backup_repository_status{%s}'
                       % block)[1] == 0
    log = e.collectd.log()
    assert ("operator_metrics(backup/pgbr-file): cannot get the backup "
            "listing (invalid): %s is not pgBackRest's info JSON: not valid "
            "JSON" % e.info_file) in log, log


# --- dump directories -----------------------------------------------------------

def test_directory_dumps_over_time(e):
    sel = '{database="dumps"}'
    assert backup_labels(e, "dumps") == {"app-1.sql": "Completed"}
    assert value(e, "dbops_backup_size_bytes" + sel) == 100
    now = int(time.time())
    e.write_dump(e.dumps, "app-2.sql", 2000, now - 5)
    wait_value(e, 'dbops_backup_operations_total{database="dumps",'
                  'status="success"}', 1)
    assert value(e, "dbops_backup_size_bytes" + sel) == 2000
    assert value(e, "dbops_backup_last_success_timestamp_seconds" + sel) \
        == now - 5
    # an empty dump is a failed backup: counted, listed, not the last success
    e.write_dump(e.dumps, "app-3.sql", 0, now)
    wait_value(e, 'dbops_backup_operations_total{database="dumps",'
                  'status="failure"}', 1)
    assert backup_labels(e, "dumps") == {
        "app-1.sql": "Completed", "app-2.sql": "Completed",
        "app-3.sql": "Failed"}
    assert value(e, "dbops_backup_last_success_timestamp_seconds" + sel) \
        == now - 5
    assert value(e, "dbops_backup_size_bytes" + sel) == 2000
    assert ops(e, "dumps", "success") == 1
    # no durations are known for dumps
    assert value(e, "dbops_backup_duration_seconds_count" + sel) == 0


# --- faults ----------------------------------------------------------------------

def processes():
    """(pid, ppid, state, cmdline) of every process."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        out.append((int(pid), int(fields[1]), fields[0], cmd))
    return out


def test_fault_commands(e):
    wait_until("the fault blocks' states", lambda: [
        source_state(e, b) for b in ("hang", "garbage", "huge", "failing")]
        == ["timeout", "invalid", "too_large", "failed"], timeout=30)
    log = e.collectd.log()
    for line in [
            'operator_metrics(backup/hang): cannot get the backup listing '
            '(timeout): command "/bin/sleep": it did not finish within 1 s '
            'and was killed',
            'operator_metrics(backup/garbage): cannot get the backup listing '
            '(invalid): the command\'s output is not pgBackRest\'s info '
            'JSON: not valid JSON (at byte 0',
            'operator_metrics(backup/huge): cannot get the backup listing '
            '(too_large): command "/usr/bin/head": it printed more than '
            '1048576 bytes (MaxOutputBytes) and was killed',
            'operator_metrics(backup/failing): cannot get the backup listing '
            '(failed): command "/bin/sh": it exited with status 55; it '
            'wrote: ERROR: [055]: unable to load info file']:
        assert line in log, "want %r in:\n%s" % (line, log)
    # logged once per distinct reason, although every read fails; a
    # command in another read thread never holds these blocks' pipes open
    # (they would time out waiting for the end of their output)
    for block in ("garbage", "failing"):
        assert log.count("operator_metrics(backup/%s):" % block) == 1, log
    # hang: at most one sleep at a time, each killed; no zombie ever
    collectd = e.collectd.process.proc.pid
    seen = set()
    for _ in range(40):
        procs = processes()
        hanging = [p for p in procs if p[3].startswith("/bin/sleep " +
                                                       HANG_MARK)]
        assert len(hanging) <= 1, hanging
        seen.update(p[0] for p in hanging if p[2] != "Z")
        zombies = [p for p in procs if p[2] == "Z"
                   and (p[1] == collectd or HANG_MARK in p[3]
                        or "head" in p[3])]
        assert not zombies, zombies
        time.sleep(0.2)
    assert len(seen) >= 2, "the hanging command ran %d times" % len(seen)
    assert e.collectd.process.alive()
    # the blocks stay read: their last read is recent
    for block in ("hang", "huge", "failing"):
        age = time.time() - max(v for _, v in series(
            e, 'timestamp(operator_metrics_backup_source_state{block="%s"})'
            % block))
        assert age < 10, (block, age)


# --- schedule ----------------------------------------------------------------------

def next_minute(t):
    return (int(t) // 60 + 1) * 60


def next_kolkata_0230(t):
    zone = ZoneInfo("Asia/Kolkata")
    local = datetime.fromtimestamp(int(t), zone)
    slot = local.replace(hour=2, minute=30, second=0, microsecond=0)
    if slot <= local:
        slot = (slot + timedelta(days=1)).replace(hour=2, minute=30)
    return int(slot.astimezone(timezone.utc).timestamp())


def expected_at(fn, t, lag=4):
    """The values a sample taken at most lag seconds before t may have."""
    return {fn(t - lag), fn(t)}


def test_schedule_slot_passes_without_backup(e):
    wait_until("a missed slot counted", lambda: (one_or_none(
        e, 'dbops_scheduled_backups_total{database="sched",status="failure"}')
        or (None, 0))[1] >= 1, timeout=90)
    t = time.time()
    assert value(e, 'dbops_scheduled_backups_total{database="sched",'
                    'status="success"}') == 0
    # slots since collectd started, each missed
    missed = value(e, 'dbops_scheduled_backups_total{database="sched",'
                      'status="failure"}')
    assert 1 <= missed <= (t - e.t0) // 60 + 1, missed
    age = value(e, "time() - dbops_backup_last_success_timestamp_seconds"
                   '{database="sched"}')
    assert abs(age - (t - e.old_mtime)) < 5, (age, t - e.old_mtime)
    assert value(e, 'dbops_backup_last_success_timestamp_seconds'
                    '{database="sched"}') == e.old_mtime
    nxt = value(e, 'dbops_schedule_next_backup_timestamp_seconds'
                   '{database="sched"}')
    assert nxt in expected_at(next_minute, t), (nxt, t)
    nxt_tz = value(e, 'dbops_schedule_next_backup_timestamp_seconds'
                      '{database="sched-tz"}')
    assert nxt_tz in expected_at(next_kolkata_0230, t), (nxt_tz, t)
    info = one_or_none(e, 'dbops_schedule_info{schedule="sched-tz"}')[0]
    assert (info["cron"], info["paused"], info["database_ref"],
            info["namespace"]) == ("30 2 * * *", "false", "sched-tz", NS), info


# --- the seed's alerts ---------------------------------------------------------------

def test_seed_alert_expressions(e):
    failed = {m["database"] for m, _ in series(
        e, 'increase(dbops_backup_operations_total{status="failure"}[1h]) '
           '> 0')}
    assert failed == {"dumps"}, failed
    overdue = {m["database"] for m, _ in series(
        e, "time() - dbops_backup_last_success_timestamp_seconds > 86400")}
    assert overdue == {"sched", "sched-tz"}, overdue


CONFIG_ERRORS = [
    ("relative command",
     '<Backup "x">\n Type "pgbackrest"\n Command "pgbackrest" "info"\n'
     '</Backup>',
     'operator_metrics(backup/x): option "Command": "pgbackrest" is not an '
     'absolute path'),
    ("bad cron", '<Backup "x">\n Type "directory"\n Path "/tmp"\n'
     ' Schedule "0 25 * * *"\n</Backup>',
     'operator_metrics(backup/x): option "Schedule": "0 25 * * *": the hour '
     'field "25" is not valid'),
    ("unknown zone", '<Backup "x">\n Type "directory"\n Path "/tmp"\n'
     ' Schedule "@daily"\n TimeZone "Europe/Atlantis"\n</Backup>',
     'operator_metrics(backup/x): option "TimeZone": cannot open '
     '"/usr/share/zoneinfo/Europe/Atlantis"'),
    ("no type", '<Backup "x">\n Path "/tmp"\n</Backup>',
     'operator_metrics(backup/x): option "Type" (pgbackrest or directory) '
     'is required'),
]


def test_config_errors_stop_collectd(_e):
    assert_config_refused(CONFIG_ERRORS)


TESTS = [
    test_families_have_documented_labels,
    test_pgbackrest_full_then_incremental,
    test_file_source_missing_read_and_broken,
    test_block_chooses_its_families,  # after: that test writes the file
    test_directory_dumps_over_time,
    test_fault_commands,
    test_unknown_stanza_is_missing,
    test_many_blocks_memory_stays_bounded,
    test_schedule_slot_passes_without_backup,
    test_seed_alert_expressions,
    test_config_errors_stop_collectd,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.backup", Env, TESTS))

"""A realistic controller-runtime /metrics exposition, as client_golang
prints it (text format 0.0.4): families sorted by name, label pairs sorted
by name, le last, Go-style float formatting.

Counters are deterministic functions of time since START, so that a test
knows the rates Prometheus must compute: controller c reconciles
RECONCILE_RATE[c] times per second, every reconcile takes a time inside
RECONCILE_BUCKET[c], hence histogram_quantile(0.95, ...) of that controller
is lower + 0.95 * (upper - lower) exactly.
"""
import decimal
import math
import time

# Counters start an hour before the process, as on an operator that has
# been running a while: PromQL's extrapolation towards a counter's zero
# point then never comes into play within a test's window.
START = time.time() - 3600

CONTROLLERS = ["organization", "project", "workload"]
RECONCILE_RATE = {"organization": 50.0, "project": 20.0, "workload": 10.0}
ERROR_RATE = {"organization": 5.0, "project": 0.0, "workload": 2.5}
REQUEUE_RATE = 1.0
# every reconcile of the controller lands in (lower, upper]
RECONCILE_BUCKET = {"organization": (0.2, 0.25), "project": (0.5, 0.6),
                    "workload": (1.0, 1.25)}
WORKQUEUE_DEPTH = {"organization": 3, "project": 0, "workload": 150}

# controller-runtime v0.7+ reconcile_time_seconds buckets
RECONCILE_LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35,
                0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75,
                2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25,
                30, 40, 50, 60]
# workqueue ExponentialBuckets(10e-9, 10, 12) as client_golang prints them
WORKQUEUE_LE = ["1e-08", "1e-07", "1e-06", "9.999999999999999e-06",
                "9.999999999999999e-05", "0.001", "0.01", "0.1", "1", "10",
                "100", "1000"]
WEBHOOK_LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]


def go_float(v):
    """Go's strconv.FormatFloat(v, 'g', -1, 64), which client_golang uses:
    shortest digits, exponent form when the exponent is < -4 or >= 6."""
    if v == math.inf:
        return "+Inf"
    if v == -math.inf:
        return "-Inf"
    if v != v:
        return "NaN"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    d = decimal.Decimal(repr(abs(v))).normalize()
    _, digit_tuple, exponent = d.as_tuple()
    digits = "".join(str(x) for x in digit_tuple)
    dp = len(digits) + exponent  # position of the decimal point
    exp = dp - 1
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return "%s%se%s%02d" % (sign, mant, "-" if exp < 0 else "+", abs(exp))
    if dp <= 0:
        return sign + "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return sign + digits[:dp] + "." + digits[dp:]


def esc(v):
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")


def series(name, labels, value):
    if labels:
        inner = ",".join('%s="%s"' % (k, esc(v)) for k, v in labels)
        return "%s{%s} %s" % (name, inner, value)
    return "%s %s" % (name, value)


class Family:
    def __init__(self, name, typ, help_text):
        self.name, self.typ, self.help = name, typ, help_text
        self.lines = []

    def add(self, labels, value, suffix="", extra=None):
        lbl = sorted(labels.items())
        if extra:
            lbl.append(extra)
        if isinstance(value, str):
            text = value
        else:
            text = go_float(float(value))
        self.lines.append((self.name + suffix, lbl, text))

    def render(self):
        out = ["# HELP %s %s" % (self.name, self.help),
               "# TYPE %s %s" % (self.name, self.typ)]
        out += [series(n, l, v) for n, l, v in self.lines]
        return out


def histogram(fam, labels, le_list, lower_upper, count, total):
    """All count observations inside (lower, upper]; sum total."""
    lower, upper = lower_upper
    for le in le_list:
        le_value = float(le)
        le_text = le if isinstance(le, str) else go_float(float(le))
        fam.add(labels, count if le_value >= upper else 0, "_bucket",
                ("le", le_text))
    fam.add(labels, count, "_bucket", ("le", "+Inf"))
    fam.add(labels, total, "_sum")
    fam.add(labels, count, "_count")


class Families(dict):
    """The families of one exposition, by name."""

    def new(self, name, typ, help_text):
        self[name] = Family(name, typ, help_text)
        return self[name]


def controller_families(t, fams):
    fam = fams.new
    total = fam("controller_runtime_reconcile_total", "counter",
                "Total number of reconciliations per controller")
    errors = fam("controller_runtime_reconcile_errors_total", "counter",
                 "Total number of reconciliation errors per controller")
    terminal = fam("controller_runtime_terminal_reconcile_errors_total",
                   "counter",
                   "Total number of terminal reconciliation errors per "
                   "controller")
    panics = fam("controller_runtime_reconcile_panics_total", "counter",
                 "Total number of reconciliation panics per controller")
    timeouts = fam("controller_runtime_reconcile_timeouts_total", "counter",
                   "Total number of reconciliation timeouts per controller")
    rtime = fam("controller_runtime_reconcile_time_seconds", "histogram",
                "Length of time per reconciliation per controller")
    maxc = fam("controller_runtime_max_concurrent_reconciles", "gauge",
               "Maximum number of concurrent reconciles per controller")
    active = fam("controller_runtime_active_workers", "gauge",
                 "Number of currently used workers per controller")
    depth = fam("workqueue_depth", "gauge", "Current depth of workqueue")
    adds = fam("workqueue_adds_total", "counter",
               "Total number of adds handled by workqueue")
    retries = fam("workqueue_retries_total", "counter",
                  "Total number of retries handled by workqueue")
    qdur = fam("workqueue_queue_duration_seconds", "histogram",
               "How long in seconds an item stays in workqueue before "
               "being requested")
    wdur = fam("workqueue_work_duration_seconds", "histogram",
               "How long in seconds processing an item from workqueue "
               "takes.")
    unfinished = fam("workqueue_unfinished_work_seconds", "gauge",
                     "How many seconds of work has been done that is in "
                     "progress")
    longest = fam("workqueue_longest_running_processor_seconds", "gauge",
                  "How many seconds has the longest running processor "
                  "for workqueue been running.")
    for i, c in enumerate(CONTROLLERS):
        ok = math.floor(RECONCILE_RATE[c] * t)
        err = math.floor(ERROR_RATE[c] * t)
        requeue = math.floor(REQUEUE_RATE * t)
        for result, v in (("error", err), ("requeue", requeue),
                          ("requeue_after", 0), ("success", ok)):
            total.add({"controller": c, "result": result}, v)
        errors.add({"controller": c}, err)
        terminal.add({"controller": c}, 0)
        panics.add({"controller": c}, 0)
        timeouts.add({"controller": c}, 0)
        n = ok + err + requeue
        lower, upper = RECONCILE_BUCKET[c]
        histogram(rtime, {"controller": c}, RECONCILE_LE, (lower, upper), n,
                  n * (lower + upper) / 2)
        maxc.add({"controller": c}, i + 1)
        active.add({"controller": c}, i % 2)
        q = {"controller": c, "name": c}
        depth.add(dict(q, priority=""), WORKQUEUE_DEPTH[c])
        adds.add(q, n + math.floor(0.3 * t))
        retries.add(q, requeue)
        histogram(qdur, q, WORKQUEUE_LE, (0.0001, 0.001), n, n * 0.0005)
        histogram(wdur, q, WORKQUEUE_LE, (0.1, 1.0), n, n * 0.4)
        unfinished.add(q, 0)
        longest.add(q, 0)


def runtime_families(t, fams):
    fam = fams.new
    wl = fam("controller_runtime_webhook_latency_seconds", "histogram",
             "Histogram of the latency of processing admission requests")
    histogram(wl, {"webhook": "/validate-resourcemanager-miloapis-com-v1alpha1"
                              "-organization"},
              WEBHOOK_LE, (0.01, 0.025), math.floor(0.5 * t),
              math.floor(0.5 * t) * 0.02)
    wr = fam("controller_runtime_webhook_requests_total", "counter",
             "Total number of admission requests by HTTP status code.")
    for code in ("200", "500"):
        wr.add({"code": code,
                "webhook": "/validate-resourcemanager-miloapis-com-v1alpha1"
                           "-organization"},
               math.floor(0.5 * t) if code == "200" else 0)
    fam("controller_runtime_webhook_requests_in_flight", "gauge",
        "Current number of admission requests being served.").add(
        {"webhook": "/validate-resourcemanager-miloapis-com-v1alpha1"
                    "-organization"}, 0)
    fam("controller_runtime_webhook_panics_total", "counter",
        "Total number of webhook panics").add({}, 0)
    fam("controller_runtime_conversion_webhook_panics_total", "counter",
        "Total number of conversion webhook panics").add({}, 0)
    fam("leader_election_master_status", "gauge",
        "Gauge of if the reporting system is master of the relevant "
        "lease, 0 indicates backup, 1 indicates master. 'name' is the "
        "string used to identify the lease. Please make sure to group by "
        "name.").add({"name": "datum-controller-leader"}, 1)
    rc = fam("rest_client_requests_total", "counter",
             "Number of HTTP requests, partitioned by status code, method, "
             "and host.")
    for code, method, rate in (("200", "GET", 3), ("200", "PATCH", 1),
                               ("404", "GET", 0.1), ("409", "PUT", 0.05)):
        rc.add({"code": code, "host": "10.96.0.1:443", "method": method},
               math.floor(rate * t))
    fam("certwatcher_read_certificate_total", "counter",
        "Total number of certificate reads").add({}, 2)
    fam("certwatcher_read_certificate_errors_total", "counter",
        "Total number of certificate read errors").add({}, 0)
    gc = fam("go_gc_duration_seconds", "summary",
             "A summary of the wall-time pause (stop-the-world) duration in "
             "garbage collection cycles.")
    for q, v in (("0", 2.4e-05), ("0.25", 3.5e-05), ("0.5", 4.2e-05),
                 ("0.75", 6.1e-05), ("1", 0.000254)):
        gc.add({}, v, extra=("quantile", q))
    gc.add({}, 0.0123 + 0.0001 * math.floor(t), "_sum")
    gc.add({}, 300 + math.floor(t), "_count")
    fam("go_gc_gogc_percent", "gauge", "Heap size target percentage "
        "configured by the user, otherwise 100.").add({}, 100)
    fam("go_gc_gomemlimit_bytes", "gauge", "Go runtime memory limit "
        "configured by the user, otherwise math.MaxInt64.").add(
        {}, "9.223372036854776e+18")
    fam("go_goroutines", "gauge", "Number of goroutines that currently "
        "exist.").add({}, 187)
    fam("go_info", "gauge", "Information about the Go environment.").add(
        {"version": "go1.24.4"}, 1)
    fam("go_memstats_alloc_bytes", "gauge", "Number of bytes allocated in "
        "heap and currently in use.").add({}, "5.6075904e+07")
    fam("go_memstats_alloc_bytes_total", "counter", "Total number of bytes "
        "allocated in heap until now, even if released already.").add(
        {}, 1.2e9 + 1000 * math.floor(t))
    fam("go_memstats_frees_total", "counter", "Total number of heap objects "
        "frees.").add({}, 9000000 + math.floor(t))
    fam("go_memstats_mallocs_total", "counter", "Total number of heap "
        "objects allocated.").add({}, 9500000 + 2 * math.floor(t))
    fam("go_memstats_heap_inuse_bytes", "gauge", "Number of heap bytes in "
        "spans currently in use.").add({}, "6.2840832e+07")
    fam("go_memstats_last_gc_time_seconds", "gauge", "Number of seconds "
        "since 1970 of last garbage collection.").add(
        {}, "1.7639028245917716e+09")
    fam("go_memstats_sys_bytes", "gauge", "Number of bytes obtained from "
        "system.").add({}, "1.0127516e+08")
    fam("go_sched_gomaxprocs_threads", "gauge", "The current "
        "runtime.GOMAXPROCS setting.").add({}, 2)
    fam("go_threads", "gauge", "Number of OS threads created.").add({}, 14)
    fam("process_cpu_seconds_total", "counter", "Total user and system CPU "
        "time spent in seconds.").add({}, 12.34 + 0.01 * t)
    fam("process_max_fds", "gauge", "Maximum number of open file "
        "descriptors.").add({}, 1.048576e+06)
    fam("process_network_receive_bytes_total", "counter", "Number of bytes "
        "received by the process over the network.").add(
        {}, 4.5e6 + 100 * math.floor(t))
    fam("process_network_transmit_bytes_total", "counter", "Number of bytes "
        "sent by the process over the network.").add(
        {}, 3.1e6 + 80 * math.floor(t))
    fam("process_open_fds", "gauge", "Number of open file "
        "descriptors.").add({}, 23)
    fam("process_resident_memory_bytes", "gauge", "Resident memory size in "
        "bytes.").add({}, "8.5893120e+07")
    fam("process_start_time_seconds", "gauge", "Start time of the process "
        "since unix epoch in seconds.").add({}, "1.76390255163e+09")
    fam("process_virtual_memory_bytes", "gauge", "Virtual memory size in "
        "bytes.").add({}, "1.367347456e+09")
    fam("process_virtual_memory_max_bytes", "gauge", "Maximum amount of "
        "virtual memory available in bytes.").add(
        {}, "1.8446744073709552e+19")
    # a family outside every catalog: passes only with Include
    quota = fam("datum_quota_usage_ratio", "gauge",
                "Share of the quota a project uses.")
    quota.add({"project": "alpha", "resource": "cpu"}, 0.25)
    quota.add({"project": "beta", "resource": "memory"}, 0.5)


def render_families(fams):
    """The exposition of families, by name."""
    lines = []
    for name in sorted(fams):
        lines += fams[name].render()
    return "\n".join(lines) + "\n"


def render(t=None):
    """The whole exposition at t seconds since START."""
    if t is None:
        t = time.time() - START
    fams = Families()
    controller_families(t, fams)
    runtime_families(t, fams)
    return render_families(fams)


def edge_cases():
    """Label values that stress the encoding; all valid for Prometheus."""
    values = [
        ("quote", 'say "hi"'),
        ("backslash", "C:\\temp\\x"),
        ("newline", "two\nlines"),
        ("comma_plain", "a,b,c"),
        ("comma_ambiguous", "app=web,tier=db"),
        ("comma_three", "a=1,b=2,c=3,d=4"),
        ("percent", "100% of %2"),
        ("equals", "x=y"),
        ("semicolon", "a;b"),
        ("unicode", "Grüße, 東京 🚀"),
        ("trailing_comma", "end,"),
        ("leading_comma", ",lead"),
    ]
    lines = ["# HELP edge_case_info Label values that stress the encoding.",
             "# TYPE edge_case_info gauge"]
    for case, v in values:
        lines.append(series("edge_case_info", [("case", case), ("value", v)],
                            "1"))
    return "\n".join(lines) + "\n", values


def bad_samples():
    """Lines the plugin must drop or skip, with fine ones around them.
    Returns the body and the drop reasons it must cause, with counts."""
    lines = [
        b"# TYPE bad_case gauge",
        b'bad_case{case="fine"} 1',
        # the pack's slash escape byte, which no value may hold
        b'bad_case{case="escape_byte",value="a\x1fb"} 1',
        b'bad_case{case="too_long",value="' + b"v" * 400 + b'"} 1',
        b"bad_case{case=\"too_many\"," +
        b",".join(b'l%02d="x"' % i for i in range(20)) + b"} 1",
        b'bad_case{case="four_escapes",value="a=1,b=2,c=3,d=4,e=5"} 1',
        b'bad_case{case="bad_utf8",value="\xff\xfe"} 1',
        b"this line is not a sample",
        b'bad_case{case="unterminated} 1',
        b'bad_case{case="bad_escape\\t"} 1',
        b"bad_case 1.2.3",
        b'bad_case{case="fine2"} 2',
        # the largest count a DERIVE holds
        b'certwatcher_read_certificate_errors_total 9223372036854775807',
    ]
    drops = {"unencodable_value": 2, "pack_too_long": 1,
             "too_many_labels": 1, "invalid_utf8": 1}
    malformed = 4
    return b"\n".join(lines) + b"\n", drops, malformed


# --- the DB Provision Operator's own /metrics ----------------------------------

# What the operator counts of its own work: the families a <Target> with
# Preset "dbops-operator" takes.
DBOPS_OPERATIONS = ["database", "user", "role", "grant"]


def dbops_operator_families(t, fams, firsthand=True):
    """The operator's dbops_* families, as its /metrics shows them for
    namespace "db": the counters of its operations (only it knows them)
    and, with firsthand, the families the plugin measures itself (health,
    info, counts), with the operator's own view of them."""
    ns, pg = "db", {"engine": "postgres", "namespace": "db"}
    for kind in DBOPS_OPERATIONS:
        ops = fams.new("dbops_%s_operations_total" % kind, "counter",
                       "Total %s operations" % kind)
        for status, n in (("success", 12), ("failure", 1)):
            ops.add(dict(pg, operation="create", status=status), n)
    dur = fams.new("dbops_database_operation_duration_seconds", "histogram",
                   "Database operation duration")
    histogram(dur, dict(pg, operation="create"),
              [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
              (0.05, 0.1), 12, 0.9)
    restores = fams.new("dbops_restore_operations_total", "counter",
                        "Total restores")
    restores.add(dict(pg, status="success"), 1)
    rdur = fams.new("dbops_restore_duration_seconds", "histogram",
                    "Restore duration")
    histogram(rdur, pg, [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
              (30, 60), 1, 42)
    if not firsthand:
        return
    healthy = fams.new("dbops_instance_healthy", "gauge", "Health")
    healthy.add(dict(pg, instance="pg-main"), 1)
    info = fams.new("dbops_database_info", "gauge", "Databases")
    info.add({"database": "orders", "namespace": ns, "instance_ref": "pg-main",
              "db_name": "orders_db", "phase": "Ready"}, 1)
    count = fams.new("dbops_resource_count", "gauge", "Resources")
    count.add({"resource_type": "Database", "phase": "Ready",
               "namespace": ns}, 5)


def dbops_operator(firsthand=True, t=None):
    """The operator's whole /metrics: its controllers, its Go runtime and
    its dbops_* families (firsthand=False: only those only it knows)."""
    if t is None:
        t = time.time() - START
    fams = Families()
    controller_families(t, fams)
    runtime_families(t, fams)
    dbops_operator_families(t, fams, firsthand)
    return render_families(fams)


def dbops_operator_firsthand():
    """Only the operator's families that the plugin measures itself."""
    fams = Families()
    dbops_operator_families(0, fams, True)
    # what only the operator counts: its operations and their durations
    for name in [n for n in fams if "_operation" in n or
                 n == "dbops_restore_duration_seconds"]:
        del fams[name]
    return render_families(fams).encode()

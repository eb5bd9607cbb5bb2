"""Starting and watching the real components of the end-to-end tests:
collectd 5.12 with the built plugin and write_prometheus, Prometheus 2.42,
the fixture endpoints, and a throwaway PKI. Everything listens on loopback
on ports the kernel picks; every wait is bounded polling.

Only the Python standard library is used.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COLLECTD = "/usr/sbin/collectd"
COLLECTD_PLUGINS = "/usr/lib/collectd"
TYPES_DB = "/usr/share/collectd/types.db"
PROMETHEUS = "/usr/bin/prometheus"
PYTHON = sys.executable or "/usr/bin/python3"


def plugin_path():
    """The operator_metrics.so under test (OM_PLUGIN overrides)."""
    path = os.environ.get("OM_PLUGIN", os.path.join(
        REPO, "_build", ".libs", "operator_metrics.so"))
    if not os.path.exists(path):
        raise RuntimeError("plugin not built: %s (run make first)" % path)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, check, timeout=30.0, step=0.1):
    """Polls check() until it returns a true value; raises after timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as e:  # the component may not be up yet
            last_error = e
        time.sleep(step)
    raise AssertionError("timed out after %.0fs waiting for %s%s" % (
        timeout, what, " (last error: %s)" % last_error if last_error else ""))


def rss_mb(pid):
    """A process' resident memory in MB (0 when it is gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid):
    """The CPU time a process' live threads have used, in seconds, to the
    nanosecond (the scheduler's own account, /proc/<pid>/task/*/schedstat;
    clock ticks would be 10 ms coarse)."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except OSError:  # the thread just ended
            pass
    return total / 1e9


def context_switches(pid):
    """The voluntary and involuntary context switches of a process' live
    threads (/proc/<pid>/task/*/status), as a pair."""
    vol = invol = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        invol += int(line.split()[1])
        except OSError:  # the thread just ended
            pass
    return vol, invol


def slope_per_minute(points):
    """Least-squares slope of (seconds, value) points, per minute."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    if var == 0:
        return 0.0
    return 60.0 * sum((t - mx) * (v - my) for t, v in points) / var


def http_get(url, timeout=5.0, context=None):
    with urllib.request.urlopen(url, timeout=timeout, context=context) as r:
        return r.read()


class Workdir:
    """A temporary directory, kept with OM_KEEP_WORKDIR=1 for debugging."""

    def __init__(self, name):
        self.path = tempfile.mkdtemp(prefix="om-%s-" % name)

    def file(self, name, content=None, mode=None):
        path = os.path.join(self.path, name)
        if content is not None:
            with open(path, "w") as f:
                f.write(content)
            if mode is not None:
                os.chmod(path, mode)
        return path

    def cleanup(self):
        if os.environ.get("OM_KEEP_WORKDIR") != "1":
            shutil.rmtree(self.path, ignore_errors=True)


# every Process started, so that a test that fails half-way leaves none
# running behind it (Results.run stops those it started)
STARTED = []


class Process:
    """A child process in its own process group, stopped for sure."""

    def __init__(self, name, argv, log_path, env=None, user=None):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(argv, stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True, user=user)
        STARTED.append(self)

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15.0):
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()
        return self.proc.returncode

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


class PKI:
    """A test CA, a server certificate for 127.0.0.1 and a client one,
    plus a second CA that signed none of them."""

    def __init__(self, workdir):
        d = workdir.path
        self.ca_key, self.ca = self._ca(d, "ca", "om test CA")
        self.other_ca_key, self.other_ca = self._ca(d, "other-ca",
                                                    "om unrelated CA")
        self.server_key, self.server = self._leaf(
            d, "server", "127.0.0.1",
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            "extendedKeyUsage=serverAuth\n")
        self.client_key, self.client = self._leaf(
            d, "client", "collectd", "extendedKeyUsage=clientAuth\n")

    @staticmethod
    def _run(args):
        subprocess.run(["openssl"] + args, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _ca(self, d, name, cn):
        key, crt = os.path.join(d, name + ".key"), os.path.join(d, name + ".pem")
        self._run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                   "2", "-subj", "/CN=" + cn, "-keyout", key, "-out", crt])
        return key, crt

    def _leaf(self, d, name, cn, ext):
        key, csr = os.path.join(d, name + ".key"), os.path.join(d, name + ".csr")
        crt, extf = os.path.join(d, name + ".pem"), os.path.join(d, name + ".ext")
        with open(extf, "w") as f:
            f.write(ext)
        self._run(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn,
                   "-keyout", key, "-out", csr])
        self._run(["x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey",
                   self.ca_key, "-CAcreateserial", "-days", "2", "-extfile",
                   extf, "-out", crt])
        return key, crt


class Fixture:
    """One fixture_server.py process (an operator's /metrics endpoint)."""

    def __init__(self, workdir, name, pki=None, client_ca=False,
                 token_file=None, host="127.0.0.1"):
        self.port_file = workdir.file(name + ".port")
        self.host = host
        argv = [PYTHON, os.path.join(HERE, "fixture_server.py"),
                "--port-file", self.port_file, "--host", host]
        self.scheme = "http"
        if pki is not None:
            self.scheme = "https"
            argv += ["--tls-cert", pki.server, "--tls-key", pki.server_key]
            if client_ca:
                argv += ["--client-ca", pki.ca]
        if token_file is not None:
            argv += ["--token-file", token_file]
        self.process = Process(name, argv, workdir.file(name + ".log"))
        self.port = int(wait_until("fixture %s to listen" % name,
                                   lambda: open(self.port_file).read().strip(),
                                   timeout=15))

    def url(self, path):
        return "%s://%s:%d%s" % (self.scheme, self.host, self.port, path)

    def instance(self):
        return "%s:%d" % (self.host, self.port)

    def stats(self):
        ctx = None
        if self.scheme == "https":
            import ssl
            ctx = ssl._create_unverified_context()
        return json.loads(http_get(self.url("/__stats"), context=ctx))

    def stop(self):
        return self.process.stop()


class Collectd:
    """collectd 5.12 with operator_metrics, logfile and write_prometheus.
    LoadPlugin refuses symbolic links, so the plugins are copied."""

    def __init__(self, workdir, plugin_config, interval=1, name="collectd",
                 wrapper=None, extra_env=None, start=True, plugin=None,
                 extra_config="", extra_plugins=(), plugin_files=(),
                 global_config="", port=None, hostname="om-test-host"):
        """plugin_config: the <Plugin operator_metrics> block's content, or
        None to leave operator_metrics out; extra_plugins: more of
        collectd's own; plugin_files: plugins of ours by path;
        global_config: global options (WriteQueueLimitHigh, say); port:
        write_prometheus' (a restarted collectd keeps its address);
        hostname: collectd's Hostname."""
        self.workdir = workdir
        self.plugin_dir = os.path.join(workdir.path, name + "-plugins")
        os.makedirs(self.plugin_dir, exist_ok=True)
        if plugin_config is not None:
            shutil.copy(plugin or plugin_path(),
                        os.path.join(self.plugin_dir, "operator_metrics.so"))
        for p in ("write_prometheus.so", "logfile.so") + tuple(extra_plugins):
            shutil.copy(os.path.join(COLLECTD_PLUGINS, p), self.plugin_dir)
        for p in plugin_files:
            shutil.copy(p, self.plugin_dir)
        ours = ("" if plugin_config is None else
                "LoadPlugin operator_metrics\n<Plugin operator_metrics>\n%s\n"
                "</Plugin>\n" % plugin_config)
        self.port = port or free_port()
        self.log_path = workdir.file(name + ".log")
        self.config_path = workdir.file(name + ".conf", """\
Hostname "%(hostname)s"
FQDNLookup false
Interval %(interval)s
ReadThreads 8
Timeout 2
%(global)s
PluginDir "%(plugins)s"
BaseDir "%(base)s"
PIDFile "%(base)s/collectd.pid"
TypesDB "%(types)s"
LoadPlugin logfile
<Plugin logfile>
  File "%(log)s"
  LogLevel info
  Timestamp true
</Plugin>
LoadPlugin write_prometheus
<Plugin write_prometheus>
  Host "127.0.0.1"
  Port "%(port)d"
</Plugin>
%(ours)s%(extra)s
""" % {"interval": interval, "plugins": self.plugin_dir, "base": workdir.path,
       "types": TYPES_DB, "log": self.log_path, "port": self.port,
       "ours": ours, "extra": extra_config, "global": global_config,
       "hostname": hostname})
        self.argv = (wrapper or []) + [COLLECTD, "-f", "-C", self.config_path]
        self.env = dict(os.environ, **(extra_env or {}))
        self.name = name
        self.process = None
        if start:
            self.start()

    def start(self):
        self.process = Process(self.name, self.argv,
                               self.workdir.file(self.name + ".stdout"),
                               env=self.env)

    def wait_ready(self, timeout=30):
        wait_until("collectd's write_prometheus",
                   lambda: b"collectd_operator_metrics" in self.scrape_raw(),
                   timeout=timeout)

    def scrape_raw(self):
        return http_get("http://127.0.0.1:%d/metrics" % self.port, timeout=3)

    def samples(self):
        """write_prometheus' lines as (name, {labels}, value, timestamp)."""
        out = []
        for line in self.scrape_raw().decode("utf-8").split("\n"):
            if line.startswith("#") or not line:
                continue
            out.append(parse_exposition_line(line))
        return out

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def stop(self):
        return self.process.stop() if self.process else None


_SHARD_LABEL = re.compile(r"operator_metrics(?:_[0-9]+)?")


def pack_of(labels):
    """The label pack of one of write_prometheus' operator_metrics samples,
    its escapes undone: the host (write_prometheus' instance label), the
    plugin_instance (under a label named after the shard's plugin name,
    operator_metrics or operator_metrics_<shard>) and the type label,
    joined as the relabel rules join them."""
    pi = next((v for k, v in labels.items() if _SHARD_LABEL.fullmatch(k)), "")
    raw = labels.get("instance", "") + pi + labels.get("type", "")
    return raw.replace("\x1f", "/").replace("\x1e", ",")


_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (\S+))?$')
_PAIR = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition_line(line):
    m = _LINE.match(line)
    if not m:
        raise ValueError("unparsable exposition line: %r" % line)
    labels = {}
    for k, v in _PAIR.findall(m.group(2) or ""):
        labels[k] = (v.replace("\\n", "\n").replace('\\"', '"')
                     .replace("\\\\", "\\"))
    ts = int(m.group(4)) if m.group(4) else None
    return m.group(1), labels, float(m.group(3)), ts


class Prometheus:
    """Prometheus 2.42 with the given scrape configs, queried over HTTP."""

    def __init__(self, workdir, name, scrape_configs, interval="1s",
                 rule_files=()):
        self.port = free_port()
        rules = "".join("  - '%s'\n" % f for f in rule_files)
        config = workdir.file(name + ".yml", "global:\n"
                              "  scrape_interval: %s\n"
                              "  evaluation_interval: %s\n"
                              "%s"
                              "scrape_configs:\n%s" % (
                                  interval, interval,
                                  "rule_files:\n" + rules if rules else "",
                                  scrape_configs))
        data = os.path.join(workdir.path, name + "-data")
        self.process = Process(name, [
            PROMETHEUS, "--config.file=" + config,
            "--storage.tsdb.path=" + data,
            "--web.listen-address=127.0.0.1:%d" % self.port,
            "--log.level=warn"], workdir.file(name + ".log"))
        wait_until("%s to answer" % name, lambda: http_get(
            "http://127.0.0.1:%d/-/ready" % self.port), timeout=60)

    def api(self, path, **params):
        url = "http://127.0.0.1:%d/api/v1/%s?%s" % (
            self.port, path, urllib.parse.urlencode(params))
        reply = json.loads(http_get(url, timeout=10))
        if reply.get("status") != "success":
            raise AssertionError("Prometheus %s failed: %s" % (path, reply))
        return reply["data"]

    def query(self, expr, at=None):
        params = {"query": expr}
        if at is not None:
            params["time"] = "%.3f" % at
        data = self.api("query", **params)
        if data["resultType"] != "vector":
            return data["result"]
        return [(r["metric"], float(r["value"][1])) for r in data["result"]]

    def raw_points(self, selector, at):
        """The raw samples of a range selector, e.g. x[5m], at time at."""
        data = self.api("query", query=selector, time="%.3f" % at)
        return [(r["metric"], [(float(t), float(v)) for t, v in r["values"]])
                for r in data["result"]]

    def stop(self):
        return self.process.stop()


def target_block(name, url, *lines):
    """A <Target> block of the plugin's configuration."""
    return '<Target "%s">\n  URL "%s"\n%s</Target>\n' % (
        name, url, "".join("  %s\n" % line for line in lines))


def relabel_snippet(indent):
    """The shipped relabel rules, indented for a scrape config."""
    with open(os.path.join(REPO, "conf", "prometheus", "relabel.yml")) as f:
        return "".join(indent + line if line.strip() else line for line in f)


def scrape_config(job, target, metrics_path="/metrics", scheme="http",
                  ca_file=None, relabel=False, honor_timestamps=False,
                  keep_pack=None, metric_relabel=None, token_file=None):
    """A scrape job. relabel: decode as conf/prometheus/prometheus.yml
    does; honor_timestamps: keep collectd's time of each value (to see
    every read); keep_pack: a regex, keep only the samples whose label
    pack matches it (cheap to scrape from a big collectd);
    metric_relabel: (action, source label or None, regex) rules of a job
    scraping an endpoint directly; token_file: a bearer token."""
    text = ("  - job_name: '%s'\n"
            "    scheme: %s\n"
            "    metrics_path: '%s'\n"
            "    static_configs:\n"
            "      - targets: ['%s']\n" % (job, scheme, metrics_path, target))
    if ca_file:
        text += "    tls_config:\n      ca_file: '%s'\n" % ca_file
    if token_file:
        text += ("    authorization:\n      credentials_file: '%s'\n"
                 % token_file)
    if relabel:
        text += ("    honor_timestamps: %s\n"
                 "    metric_relabel_configs:\n"
                 % ("true" if honor_timestamps else "false"))
        if keep_pack:
            # the pack's label is named after the shard's plugin name
            text += ("      - regex: 'operator_metrics_[0-9]+'\n"
                     "        replacement: 'operator_metrics'\n"
                     "        action: labelmap\n"
                     "      - source_labels: [exported_instance, "
                     "operator_metrics, type]\n"
                     "        separator: ''\n"
                     "        regex: '%s'\n"
                     "        action: keep\n" % keep_pack)
        text += relabel_snippet("      ")
    if metric_relabel:
        text += "    metric_relabel_configs:\n"
        for action, source, regex in metric_relabel:
            text += "      - action: %s\n        regex: '%s'\n" % (action,
                                                                    regex)
            if source:
                text += "        source_labels: [%s]\n" % source
    return text


# what the plugin logs when it refuses a configuration
CONFIG_REFUSED_LINES = ("> refused; collectd does not start",
                        "would send the same series", "would both send",
                        "unknown block or option", "unknown option")

# options that name a file the plugin checks at start
_FILE_OPTIONS = re.compile(
    r'^(\s*(?:CACert|ClientCert|ClientKey|BearerTokenFile|PasswordFile|'
    r'SSLRootCert|SSLCert|SSLKey|LeaseBearerTokenFile|LeaseCACert)\s+)'
    r'"([^"]+)"', re.M)


def site_files(wd, config, pki):
    """config (collectd configuration text) with every file its options
    name made under wd, as an example's site would have it: certificates
    and keys from pki's CA, tokens and passwords 0600."""
    def make(m):
        path = m.group(2)
        made = wd.file("site" + path.replace("/", "-"))
        if path.endswith((".key", ".pem", ".crt")):
            shutil.copy(pki.ca_key if path.endswith(".key") else pki.ca, made)
        else:
            wd.file(os.path.basename(made), "not-a-real-secret\n")
        os.chmod(made, 0o600)
        return '%s"%s"' % (m.group(1), made)
    return _FILE_OPTIONS.sub(make, config)


def assert_config_refused(cases, never_logged=()):
    """Each (why, plugin configuration, expected log line or lines) must
    make collectd exit non-zero at start-up with each line in its log, and
    none of never_logged anywhere in it."""
    for why, block, lines in cases:
        wd = Workdir("config")
        try:
            c = Collectd(wd, block, name="bad-config")
            wait_until("collectd to refuse the configuration (%s)" % why,
                       lambda: not c.process.alive(), timeout=15)
            rc = c.stop()
            log = c.log()
            assert rc != 0, "%s: collectd exited %s" % (why, rc)
            for line in [lines] if isinstance(lines, str) else lines:
                assert line in log, "%s: want %r in:\n%s" % (why, line, log)
            for secret in never_logged:
                assert secret not in log, "%s: %r logged" % (why, secret)
        finally:
            wd.cleanup()


class Results:
    """PASS/FAIL lines and the closing count."""

    def __init__(self, suite):
        self.suite = suite
        self.passed = 0
        self.failed = 0

    def run(self, name, fn, *args):
        start = time.monotonic()
        before = len(STARTED)
        try:
            fn(*args)
        except Exception as e:  # report and go on with the next test
            for p in STARTED[before:]:
                if p.alive():  # what the test started and left running
                    p.stop(signal.SIGKILL, timeout=5)
            self.failed += 1
            print("FAIL: %s.%s (%.1fs): %s: %s" % (
                self.suite, name, time.monotonic() - start,
                type(e).__name__, e), flush=True)
            return False
        self.passed += 1
        print("PASS: %s.%s (%.1fs)" % (self.suite, name,
                                       time.monotonic() - start), flush=True)
        return True

    def summary(self):
        print("%s: %d passed, %d failed" % (self.suite, self.passed,
                                            self.failed), flush=True)
        return 0 if self.failed == 0 else 1


def run_suite(suite, make_env, tests):
    """Starts the shared environment once (make_env(workdir), an object with
    stop()), runs every test against it, stops it, and prints the closing
    "suite: N passed, M failed". Returns the exit status."""
    results = Results(suite)
    wd = Workdir(suite.replace(".", "-"))
    env = None
    try:
        env = make_env(wd)
    except Exception as err:  # a broken set-up is one failure, reported
        print("FAIL: %s.setup: %s: %s" % (suite, type(err).__name__, err))
        results.failed += 1
    if env is not None:
        try:
            for test in tests:
                results.run(test.__name__, test, env)
        finally:
            env.stop()
    if results.failed and os.environ.get("OM_KEEP_WORKDIR") != "1":
        print("(rerun with OM_KEEP_WORKDIR=1 to keep %s)" % wd.path)
    wd.cleanup()
    return results.summary()

"""Big controller-runtime targets: an exposition of about N series, shaped
as a controller manager with many controllers prints it (reconcile
histograms of 40 buckets, workqueue histograms of 12), and an HTTP server
that serves such bodies.

Each controller contributes SERIES_PER_CONTROLLER series; a body of N
series has N // SERIES_PER_CONTROLLER controllers plus the remainder as
go_* gauges of their own, so that it holds exactly N series. Counter
values grow with every request (the body alternates between two
renderings), so that collectd sees new values at every read.
"""
import http.server
import socketserver
import sys
import threading
import time
import urllib.parse

RECONCILE_LE = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.15", "0.2",
                "0.25", "0.3", "0.35", "0.4", "0.45", "0.5", "0.6", "0.7",
                "0.8", "0.9", "1", "1.25", "1.5", "1.75", "2", "2.5", "3",
                "3.5", "4", "4.5", "5", "6", "7", "8", "9", "10", "15", "20",
                "25", "30", "40", "50", "60"]
WORKQUEUE_LE = ["1e-08", "1e-07", "1e-06", "9.999999999999999e-06",
                "9.999999999999999e-05", "0.001", "0.01", "0.1", "1", "10",
                "100", "1000"]
RESULTS = ["error", "requeue", "success"]

# 3 results + errors + (40 + Inf + sum + count) + 2 worker gauges
# + 5 workqueue gauges/counters + 2 workqueue histograms of (12 + 3)
SERIES_PER_CONTROLLER = 3 + 1 + 43 + 2 + 5 + 2 * 15


def controller_lines(c, step):
    """The series of controller number c at request step (a list)."""
    ctl = "ctrl-%05d" % c
    base = c * 7 + step
    out = []
    for r, result in enumerate(RESULTS):
        out.append('controller_runtime_reconcile_total{controller="%s",'
                   'result="%s"} %d' % (ctl, result, base * (r + 1)))
    out.append('controller_runtime_reconcile_errors_total{controller="%s"} %d'
               % (ctl, base))
    for i, le in enumerate(RECONCILE_LE):
        out.append('controller_runtime_reconcile_time_seconds_bucket{'
                   'controller="%s",le="%s"} %d' % (ctl, le, base + i))
    out.append('controller_runtime_reconcile_time_seconds_bucket{'
               'controller="%s",le="+Inf"} %d' % (ctl, base + 40))
    out.append('controller_runtime_reconcile_time_seconds_sum{controller="%s"}'
               ' %d.25' % (ctl, base))
    out.append('controller_runtime_reconcile_time_seconds_count{'
               'controller="%s"} %d' % (ctl, base + 40))
    out.append('controller_runtime_active_workers{controller="%s"} %d'
               % (ctl, step % 3))
    out.append('controller_runtime_max_concurrent_reconciles{controller="%s"}'
               ' 4' % ctl)
    q = 'controller="%s",name="%s"' % (ctl, ctl)
    out.append('workqueue_depth{%s} %d' % (q, step % 5))
    out.append('workqueue_adds_total{%s} %d' % (q, base * 3))
    out.append('workqueue_retries_total{%s} %d' % (q, base))
    out.append('workqueue_longest_running_processor_seconds{%s} 0' % q)
    out.append('workqueue_unfinished_work_seconds{%s} 0' % q)
    for h in ("queue", "work"):
        fam = "workqueue_%s_duration_seconds" % h
        for i, le in enumerate(WORKQUEUE_LE):
            out.append('%s_bucket{%s,le="%s"} %d' % (fam, q, le, base + i))
        out.append('%s_bucket{%s,le="+Inf"} %d' % (fam, q, base + 12))
        out.append('%s_sum{%s} %d.5' % (fam, q, base))
        out.append('%s_count{%s} %d' % (fam, q, base + 12))
    assert len(out) == SERIES_PER_CONTROLLER
    return out


def body(series, step=0):
    """An exposition of exactly `series` series (bytes)."""
    controllers, rest = divmod(series, SERIES_PER_CONTROLLER)
    lines = []
    for c in range(controllers):
        lines.extend(controller_lines(c, step))
    lines.extend('go_memstats_gc_sys_bytes{pad="%d"} %d' % (i, step)
                 for i in range(rest))
    return ("\n".join(lines) + "\n").encode()


def labels_of(series):
    """How many of a body's series are of each family's series name."""
    counts = {}
    for line in body(series).decode().splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        counts[name] = counts.get(name, 0) + 1
    return counts


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path != "/metrics":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        n = int(q.get("series", ["1000"])[0])
        data = self.server.body_for(n)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Serves /metrics?series=N on 127.0.0.1:port, the two renderings of
    each size built once and handed out in turn."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port=0):
        super().__init__(("127.0.0.1", port), _Handler)
        self._bodies = {}
        self._turn = {}
        self._lock = threading.Lock()
        self.requests = 0
        self.last_request = time.monotonic()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self):
        return self.server_address[1]

    def url(self, series):
        return "http://127.0.0.1:%d/metrics?series=%d" % (self.port, series)

    def body_for(self, n):
        with self._lock:
            if n not in self._bodies:
                self._bodies[n] = (body(n, 0), body(n, 1))
                self._turn[n] = 0
            self._turn[n] ^= 1
            self.requests += 1
            self.last_request = time.monotonic()
            return self._bodies[n][self._turn[n]]

    def stop(self):
        self.shutdown()
        self.server_close()


if __name__ == "__main__":
    sys.stdout.buffer.write(body(int(sys.argv[1]) if len(sys.argv) > 1
                                 else 1000))

#!/usr/bin/env python3
"""An operator's /metrics endpoint for the tests, over HTTP or HTTPS, with
the misbehaving variants the plugin must survive.

  /metrics        the realistic controller-runtime exposition (gzip if asked)
  /healthz        200 ok           /readyz   200 ok
  /fail           503
  /slow?s=N       waits N seconds, then serves /metrics
  /garbage        binary noise with a 200
  /huge           a valid exposition of 4.6 MB, gzip-compressed if asked
                  (?plain=1: never compressed, Content-Length announces it)
  /truncated      announces more bytes than it sends, then closes
  /redirect       302 to /metrics
  /edge           label values that stress the encoding (valid for Prometheus)
  /bad            lines to drop or skip among fine ones
  /conflict       a sample that carries its own job label
  /dbops          the DB Provision Operator's: its controllers and dbops_*
  /dbops/firsthand  only its dbops_* families the plugin measures itself
  /metrics/cadvisor  a kubelet's cAdvisor endpoint (kube_endpoints.py)
  /ksm            kube-state-metrics' pod families (kube_endpoints.py)
  /provisioning/<service>  the Provisioning platform's orchestrator,
                  control-center or vault-service (operators.py)
  /dynamo         the Dynamo operator's own families (operators.py)
  /__stats        JSON counters of what was served

Options: --tls-cert/--tls-key serve HTTPS, --client-ca requires a client
certificate signed by it, --token-file requires "Authorization: Bearer
<content>" (the file is read at every request), --host listens on another
loopback address (a pod's IP). The chosen port is written
to --port-file once the server listens.
"""
import argparse
import gzip
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exposition  # noqa: E402
import kube_endpoints  # noqa: E402
import operators  # noqa: E402

STATS = {"requests": {}, "gzip_served": 0, "auth_rejected": 0,
         "auth_accepted": 0}
LOCK = threading.Lock()
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def count(key, path=None):
    with LOCK:
        if path is None:
            STATS[key] += 1
        else:
            STATS["requests"][path] = STATS["requests"].get(path, 0) + 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    token_file = None

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def send_body(self, body, status=200, ctype=CONTENT_TYPE, gz=True):
        if gz and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            count("gzip_served")
            gz_header = True
        else:
            gz_header = False
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if gz_header:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        if self.token_file is None:
            return True
        with open(self.token_file) as f:
            expected = f.read().strip()
        if self.headers.get("Authorization", "") == "Bearer " + expected:
            count("auth_accepted")
            return True
        count("auth_rejected")
        self.send_body(b"Unauthorized\n", 401, "text/plain", gz=False)
        return False

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        path = url.path
        count(None, path)
        if path == "/__stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            return self.send_body(body, ctype="application/json", gz=False)
        if not self.authorized():
            return None
        if path in ("/healthz", "/readyz"):
            return self.send_body(b"ok", ctype="text/plain", gz=False)
        if path == "/fail":
            return self.send_body(b"not ready", 503, "text/plain", gz=False)
        if path == "/metrics":
            return self.send_body(exposition.render().encode())
        if path == "/slow":
            seconds = float(urllib.parse.parse_qs(url.query).get("s", ["30"])[0])
            time.sleep(seconds)
            return self.send_body(exposition.render().encode())
        if path == "/garbage":
            noise = bytes((i * 131 + 7) % 256 for i in range(4096))
            return self.send_body(noise, ctype="application/octet-stream")
        if path == "/huge":
            # compresses to a few kB: only the decoded size tells
            line = 'huge_padding_info{pad="%s"} 1\n' % ("x" * 200)
            plain = "plain" in urllib.parse.parse_qs(url.query)
            return self.send_body((line * 20000).encode(), gz=not plain)
        if path == "/truncated":
            body = exposition.render().encode()
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPE)
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return None
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/metrics")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == "/edge":
            return self.send_body(exposition.edge_cases()[0].encode())
        if path == "/conflict":
            return self.send_body(b'# TYPE conflict_info gauge\n'
                                  b'conflict_info{job="scraped",'
                                  b'zone="a"} 1\n')
        if path == "/bad":
            return self.send_body(exposition.bad_samples()[0])
        if path == "/dbops":
            return self.send_body(exposition.dbops_operator().encode())
        if path == "/dbops/firsthand":
            return self.send_body(exposition.dbops_operator_firsthand())
        if path == "/metrics/cadvisor":
            return self.send_body(kube_endpoints.cadvisor())
        if path == "/ksm":
            return self.send_body(kube_endpoints.kube_state_metrics())
        service = path[len("/provisioning/"):]
        if path.startswith("/provisioning/") and service in operators.SERVICES:
            return self.send_body(operators.provisioning(service).encode())
        if path == "/dynamo":
            return self.send_body(operators.dynamo_operator().encode())
        return self.send_body(b"not found\n", 404, "text/plain", gz=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--client-ca")
    p.add_argument("--token-file")
    a = p.parse_args()
    Handler.token_file = a.token_file
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        if a.client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(a.client_ca)
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()

"""A local HTTPS server that plays the Kubernetes API server's list
endpoints for custom resources, in the test's own process, with responses
shaped like the real ones (the facts are in README.md, "<Kubernetes>"):

  GET /apis/{group}/{version}[/namespaces/{ns}]/{plural}?limit=&continue=

  - a list: {"apiVersion","kind":"<Kind>List","metadata":{"resourceVersion",
    "continue","remainingItemCount"},"items":[...]}, items with apiVersion
    and kind stamped; pages follow `limit`, continue tokens are opaque and
    served from the snapshot the first page was cut from;
  - Status objects for errors: 401 Unauthorized (wrong or missing bearer
    token), 403 Forbidden, 400 BadRequest (garbled continue token), 410
    Expired with a fresh continue token;
  - a plain-text "404 page not found" for a resource that is not defined
    (a CRD not installed) and for a cluster-scoped one asked under
    /namespaces/;
  - a Warning header for versions marked deprecated.

Faults per plural, set with fault(): {"status": 403|500}, {"expire":
"once"|"always"} (continued pages answer 410), {"malformed": True},
{"huge": bytes}, {"delay": seconds} (before every answer), {"throttle":
"<Retry-After>"} (429 TooManyRequests, as the API server's priority and
fairness answers, with that Retry-After; "" for none), {"endless":
"same"|"new"} (every page, continued or not, holds the first object and a
continue token: always the same one, or a new one each time).

Leases (coordination.k8s.io/v1), as leader election uses them:

  GET  .../namespaces/{ns}/leases/{name}   the Lease, or a 404 NotFound Status
  POST .../namespaces/{ns}/leases          creates it (201), or 409
                                           AlreadyExists
  PUT  .../namespaces/{ns}/leases/{name}   replaces it when the body's
                                           metadata.resourceVersion is the
                                           stored one (200, a new version),
                                           else 409 Conflict

Every write gets a new resourceVersion; faults() on "leases" apply ({"status":
403|500}, {"delay": s}).

Pods (core v1), as a <Target>'s <Pods> lists them:

  GET /api/v1[/namespaces/{ns}]/pods?labelSelector=&fieldSelector=

  a PodList of the pods put with put_pod(), selected by labelSelector
  (k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b), joined by commas)
  and fieldSelector (spec.nodeName, status.phase, metadata.namespace,
  metadata.name); a selector it cannot read, or a field it does not
  index, is a 400 BadRequest, as the real one answers. faults() on "pods"
  apply.

  GET /api/v1[/namespaces/{ns}]/endpoints?labelSelector=&fieldSelector=

  the same for Endpoints objects put with put_endpoints() (fields
  metadata.name, metadata.namespace); faults() on "endpoints" apply.
"""
import base64
import copy
import json
import re
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = re.compile(r"^/apis/([^/]+)/([^/]+)(?:/namespaces/([^/]+))?/([^/]+)$")
CORE = re.compile(r"^/api/v1(?:/namespaces/([^/]+))?/(pods|endpoints)$")
# the field selectors the real API server takes for each (others: 400)
CORE_FIELDS = {
    "pods": ("spec.nodeName", "metadata.namespace", "metadata.name",
             "status.phase"),
    "endpoints": ("metadata.namespace", "metadata.name"),
}
CORE_KINDS = {"pods": ("Pod", "PodList"),
              "endpoints": ("Endpoints", "EndpointsList")}
LEASES = re.compile(r"^/apis/coordination\.k8s\.io/v1/namespaces/([^/]+)/"
                    r"leases(?:/([^/]+))?$")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that hangs up mid-answer (MaxResponseBytes) is fine


class Resource:
    def __init__(self, group, version, plural, kind, namespaced, deprecated):
        self.group, self.version, self.plural = group, version, plural
        self.kind, self.namespaced = kind, namespaced
        self.deprecated = deprecated
        self.objects = {}  # (namespace, name) -> object


class FakeAPIServer:
    def __init__(self, pki, tokens):
        self.lock = threading.Lock()
        self.resources = {}  # plural -> Resource
        self.tokens = set(tokens)
        self.faults = {}
        self.requests = []  # (path, query, status)
        self.snapshots = {}
        self.next_snapshot = 1000
        self.leases = {}  # (namespace, name) -> Lease object
        self.pods = {}  # (namespace, name) -> Pod object
        self.endpoints = {}  # (namespace, name) -> Endpoints object
        self.next_version = 5000
        server = QuietServer(("127.0.0.1", 0), self._handler())
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(pki.server, pki.server_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        server.daemon_threads = True
        self.server = server
        self.port = server.server_address[1]
        self.thread = threading.Thread(target=server.serve_forever,
                                       daemon=True)
        self.thread.start()

    def url(self):
        return "https://127.0.0.1:%d" % self.port

    # --- the store -----------------------------------------------------------

    def define(self, group, version, plural, kind, namespaced=True,
               deprecated=False):
        with self.lock:
            self.resources[plural] = Resource(group, version, plural, kind,
                                              namespaced, deprecated)

    def undefine(self, plural):
        """Uninstalls the CRD; returns what it held, for define_again()."""
        with self.lock:
            return self.resources.pop(plural)

    def define_again(self, resource):
        with self.lock:
            self.resources[resource.plural] = resource

    def put(self, plural, obj):
        with self.lock:
            r = self.resources[plural]
            meta = obj["metadata"]
            key = (meta.get("namespace", ""), meta["name"])
            r.objects[key] = copy.deepcopy(obj)

    def delete(self, plural, namespace, name):
        with self.lock:
            del self.resources[plural].objects[(namespace or "", name)]

    def fault(self, plural, spec):
        with self.lock:
            if spec is None:
                self.faults.pop(plural, None)
            else:
                self.faults[plural] = spec

    def set_tokens(self, tokens):
        with self.lock:
            self.tokens = set(tokens)

    def requests_for(self, plural):
        with self.lock:
            return [r for r in self.requests if r[0].endswith("/" + plural)]

    def put_pod(self, pod):
        with self.lock:
            meta = pod["metadata"]
            self.pods[(meta["namespace"], meta["name"])] = copy.deepcopy(pod)

    def delete_pod(self, namespace, name):
        with self.lock:
            self.pods.pop((namespace, name), None)

    def put_endpoints(self, ep):
        with self.lock:
            meta = ep["metadata"]
            self.endpoints[(meta["namespace"], meta["name"])] = \
                copy.deepcopy(ep)

    def answer_core(self, m, query, auth):
        """(status, content type, body, headers) of a pod or endpoints
        listing."""
        plural = m.group(2)
        stored = self.pods if plural == "pods" else self.endpoints
        kind, list_kind = CORE_KINDS[plural]
        with self.lock:
            if auth not in {"Bearer " + t for t in self.tokens}:
                return status(401, "Unauthorized", "Unauthorized")
            fault = self.faults.get(plural, {})
            if "status" in fault:
                return status(fault["status"], "InternalError",
                              "Internal error occurred: the test says so")
            try:
                labels = parse_selector(query.get("labelSelector", ""))
                fields = parse_selector(query.get("fieldSelector", ""))
            except ValueError as err:
                return status(400, "BadRequest", str(err))
            for key, _, _ in fields:
                if key not in CORE_FIELDS[plural]:
                    return status(400, "BadRequest",
                                  '"%s" is not a known field selector: only '
                                  '"%s"' % (key, '", "'.join(
                                      CORE_FIELDS[plural])))
            items = []
            for (ns, _), obj in sorted(stored.items()):
                if m.group(1) and ns != m.group(1):
                    continue
                field_values = {
                    "spec.nodeName": obj.get("spec", {}).get("nodeName", ""),
                    "status.phase": obj.get("status", {}).get("phase", ""),
                    "metadata.namespace": ns,
                    "metadata.name": obj["metadata"]["name"]}
                if selects(labels, obj["metadata"].get("labels", {})) and \
                        selects(fields, field_values):
                    item = copy.deepcopy(obj)
                    item["apiVersion"], item["kind"] = "v1", kind
                    items.append(item)
            self.next_snapshot += 1
            body = {"apiVersion": "v1", "kind": list_kind,
                    "metadata": {"resourceVersion": str(self.next_snapshot)},
                    "items": items}
            return 200, "application/json", json.dumps(body).encode(), {}

    def lease(self, namespace, name):
        """The stored Lease (a copy), or None."""
        with self.lock:
            return copy.deepcopy(self.leases.get((namespace, name)))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer_lease(self, method, m, auth, body):
        """(status, content type, body, headers) of a Lease request."""
        with self.lock:
            if auth not in {"Bearer " + t for t in self.tokens}:
                return status(401, "Unauthorized", "Unauthorized")
            fault = self.faults.get("leases", {})
            if fault.get("status") == 403:
                verb = {"GET": "get", "POST": "create", "PUT": "update"}[method]
                return status(403, "Forbidden",
                              'leases.coordination.k8s.io is forbidden: User '
                              '"system:serviceaccount:monitoring:collectd" '
                              'cannot %s resource "leases" in API group '
                              '"coordination.k8s.io" in the namespace "%s"'
                              % (verb, m.group(1)),
                              details={"group": "coordination.k8s.io",
                                       "kind": "leases"})
            if "status" in fault:
                return status(fault["status"], "InternalError",
                              "Internal error occurred: the test says so")
            ns, name = m.group(1), m.group(2)
            if method == "GET":
                lease = self.leases.get((ns, name))
                if lease is None or name is None:
                    return status(404, "NotFound", 'leases.coordination.k8s.io '
                                  '"%s" not found' % name,
                                  details={"name": name, "kind": "leases",
                                           "group": "coordination.k8s.io"})
                return 200, "application/json", json.dumps(lease).encode(), {}
            try:
                obj = json.loads(body)
                meta = obj["metadata"]
            except (ValueError, KeyError, TypeError):
                return status(400, "BadRequest", "the body is not a Lease")
            key = (ns, meta.get("name") if method == "POST" else name)
            current = self.leases.get(key)
            if method == "POST" and current is not None:
                return status(409, "AlreadyExists", 'leases.coordination.k8s.io'
                              ' "%s" already exists' % key[1])
            if method == "PUT":
                if current is None:
                    return status(404, "NotFound", 'leases.coordination.k8s.io'
                                  ' "%s" not found' % key[1])
                if meta.get("resourceVersion") != \
                        current["metadata"]["resourceVersion"]:
                    return status(409, "Conflict", 'Operation cannot be '
                                  'fulfilled on leases.coordination.k8s.io '
                                  '"%s": the object has been modified; please '
                                  'apply your changes to the latest version '
                                  'and try again' % key[1])
            self.next_version += 1
            obj["apiVersion"] = "coordination.k8s.io/v1"
            obj["kind"] = "Lease"
            meta.update({"namespace": ns, "name": key[1],
                         "resourceVersion": str(self.next_version)})
            self.leases[key] = obj
            return (201 if method == "POST" else 200), "application/json", \
                json.dumps(obj).encode(), {}

    # --- answers -------------------------------------------------------------

    def _snapshot(self, r, namespace):
        items = []
        for (ns, _), obj in sorted(r.objects.items()):
            if namespace is not None and ns != namespace:
                continue
            item = copy.deepcopy(obj)
            item["apiVersion"] = "%s/%s" % (r.group, r.version)
            item["kind"] = r.kind
            items.append(item)
        self.next_snapshot += 1
        self.snapshots[self.next_snapshot] = items
        return self.next_snapshot

    @staticmethod
    def _token(snap, pos):
        raw = json.dumps({"rv": snap, "start": pos}).encode()
        return base64.urlsafe_b64encode(raw).decode()

    def answer(self, path, query, auth):
        """(status, content type, body, extra headers) of one request."""
        m = PATH.match(path)
        with self.lock:
            if auth not in {"Bearer " + t for t in self.tokens}:
                return status(401, "Unauthorized", "Unauthorized")
            r = self.resources.get(m.group(4)) if m else None
            if r is None or m.group(1) != r.group or m.group(2) != r.version \
                    or (m.group(3) and not r.namespaced):
                return 404, "text/plain; charset=utf-8", \
                    b"404 page not found\n", {}
            headers = {}
            if r.deprecated:
                headers["Warning"] = ('299 - "%s/%s %s is deprecated"' % (
                    r.group, r.version, r.kind))
            fault = self.faults.get(r.plural, {})
            if fault.get("status") == 403:
                return forbidden(r, m.group(3))
            if "status" in fault:
                return status(fault["status"], "InternalError",
                              "Internal error occurred: the test says so")
            if "throttle" in fault:
                code, ctype, body, extra = status(
                    429, "TooManyRequests",
                    "Too many requests, please try again later.")
                if fault["throttle"]:
                    extra["Retry-After"] = fault["throttle"]
                return code, ctype, body, extra
            if "endless" in fault:
                return self._endless(r, fault["endless"], query)
            if fault.get("malformed"):
                return 200, "application/json", \
                    b'{"apiVersion":"v1","kind":"' + b"\x00" * 10, headers
            cont = query.get("continue")
            if cont and fault.get("expire"):
                if fault["expire"] == "once":
                    del self.faults[r.plural]
                return expired(self._token(self.next_snapshot, 0))
            return self._page(r, m.group(3), query, cont, fault, headers)

    def _page(self, r, namespace, query, cont, fault, headers):
        limit = int(query.get("limit", "0") or 0)
        if cont:
            try:
                state = json.loads(base64.urlsafe_b64decode(cont))
                snap, start = int(state["rv"]), int(state["start"])
                items = self.snapshots[snap]
            except (ValueError, KeyError, TypeError):
                return status(400, "BadRequest",
                              "invalid continue token: cannot decode")
        else:
            snap, start = self._snapshot(r, namespace), 0
            items = self.snapshots[snap]
        end = start + limit if limit > 0 else len(items)
        meta = {"resourceVersion": str(snap)}
        if end < len(items):
            meta["continue"] = self._token(snap, end)
            meta["remainingItemCount"] = len(items) - end
        body = {"apiVersion": "%s/%s" % (r.group, r.version),
                "kind": r.kind + "List", "metadata": meta,
                "items": items[start:end]}
        if fault.get("huge"):
            body["metadata"]["annotations"] = {"filler": "x" * fault["huge"]}
        return 200, "application/json", json.dumps(body).encode(), headers

    def _endless(self, r, mode, query):
        """A page that never is the last."""
        first = [copy.deepcopy(o) for _, o in sorted(r.objects.items())[:1]]
        last = query.get("continue", "").rsplit("-", 1)[-1]
        n = int(last) if last.isdigit() else 0
        token = "endless-same" if mode == "same" else "endless-%d" % (n + 1)
        body = {"apiVersion": "%s/%s" % (r.group, r.version),
                "kind": r.kind + "List",
                "metadata": {"resourceVersion": "1", "continue": token},
                "items": first}
        return 200, "application/json", json.dumps(body).encode(), {}

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def do_GET(self):
                self.serve("GET")

            def do_POST(self):
                self.serve("POST")

            def do_PUT(self):
                self.serve("PUT")

            def serve(self, method):
                url = urllib.parse.urlsplit(self.path)
                lease = LEASES.match(url.path)
                core = CORE.match(url.path)
                plural = "leases" if lease else url.path.rsplit("/", 1)[-1]
                with api.lock:
                    delay = api.faults.get(plural, {}).get("delay", 0)
                time.sleep(delay)
                query = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                sent = self.rfile.read(length) if length else b""
                auth = self.headers.get("Authorization", "")
                if lease:
                    code, ctype, body, headers = api.answer_lease(
                        method, lease, auth, sent)
                elif core and method == "GET":
                    code, ctype, body, headers = api.answer_core(core, query,
                                                                 auth)
                elif method == "GET":
                    code, ctype, body, headers = api.answer(url.path, query,
                                                            auth)
                else:
                    code, ctype, body, headers = status(
                        405, "MethodNotAllowed", "the test serves no writes "
                        "here")
                with api.lock:
                    api.requests.append((url.path, query, code))
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def status(code, reason, message, details=None, meta=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": meta or {},
            "status": "Failure", "message": message, "reason": reason,
            "code": code}
    if details:
        body["details"] = details
    return code, "application/json", json.dumps(body).encode(), {}


def forbidden(r, namespace):
    scope = ('in the namespace "%s"' % namespace if namespace
             else "at the cluster scope")
    return status(403, "Forbidden",
                  '%s.%s is forbidden: User "system:serviceaccount:monitoring:'
                  'collectd" cannot list resource "%s" in API group "%s" %s'
                  % (r.plural, r.group, r.plural, r.group, scope),
                  details={"group": r.group, "kind": r.plural})


def expired(token):
    return status(410, "Expired",
                  "The provided continue parameter is too old to display a "
                  "consistent list result. You can start a new list without "
                  "the continue parameter, or use the continue token in this "
                  "response to retrieve the remainder of the results. "
                  "Continuing with the provided token results in an "
                  "inconsistent list - objects that were created, modified, "
                  "or deleted between the time the first chunk was returned "
                  "and now may show up in the list.",
                  meta={"continue": token})


SET_TERM = re.compile(r"^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$")
TERM = re.compile(r"^(!?)([A-Za-z0-9_./-]+)(?:\s*(==|=|!=)\s*([A-Za-z0-9_.-]*))?$")


def parse_selector(text):
    """[(key, op, values)] of a label or field selector; ValueError for
    one the API server would refuse."""
    terms, depth, start = [], 0, 0
    for i, ch in enumerate(text + ","):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            part = text[start:i].strip()
            start = i + 1
            if not part:
                if text.strip():
                    raise ValueError("invalid selector: %r" % text)
                continue
            m = SET_TERM.match(part)
            if m:
                values = [v.strip() for v in m.group(3).split(",")]
                terms.append((m.group(1), m.group(2), values))
                continue
            m = TERM.match(part)
            if not m or (m.group(1) and m.group(3)):
                raise ValueError("unable to parse requirement: %r" % part)
            if m.group(3):
                op = "!=" if m.group(3) == "!=" else "="
                terms.append((m.group(2), op, [m.group(4)]))
            else:
                terms.append((m.group(2), "!" if m.group(1) else "exists",
                              []))
    return terms


def selects(terms, values):
    """Whether a key-value map passes every term."""
    for key, op, want in terms:
        have = values.get(key)
        if op == "=" and have != want[0]:
            return False
        if op == "!=" and have == want[0]:
            return False
        if op == "in" and have not in want:
            return False
        if op == "notin" and have in want:
            return False
        if op == "exists" and have is None:
            return False
        if op == "!" and have is not None:
            return False
    return True

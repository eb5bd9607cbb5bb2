"""Stand-ins for a kubelet's /metrics/cadvisor and for kube-state-metrics,
shaped as the real ones write them: cAdvisor's families with the kubelet's
container, pod and namespace labels, the systemd cgroup driver's `id`
(about 190 bytes), realistic image and container names, sample timestamps in
milliseconds as the kubelet adds them, label pairs sorted by name; and
kube-state-metrics' pod families with namespace, pod, uid first.

The values are deterministic functions of time since START, so that a test
knows what Prometheus must compute: the manager container works at 480 MiB
of a 512 MiB limit and is throttled in 40 % of its CFS periods (KubeMirror's
memory and CPU-throttling alerts must fire), nginx at 50 of 256 MiB and
never throttled.
"""
import hashlib
import math
import time

from exposition import go_float

START = time.time() - 3600

POD_UID = {"kubemirror-controller-6d8f9c7b5-q7x2m":
           "5f0e6d32-6c1b-4c0e-9a57-2f7d1e3c4b5a",
           "web-0": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"}
# (namespace, pod, container, image, container id, memory bytes, memory
# limit, cpu limit, cpu seconds per second, throttled share of periods)
CONTAINERS = [
    ("kubemirror-system", "kubemirror-controller-6d8f9c7b5-q7x2m", "manager",
     "ghcr.io/kubemirror/kubemirror-controller:v1.4.2",
     hashlib.sha256(b"manager").hexdigest(),
     480 * 2**20, 512 * 2**20, 0.5, 0.45, 0.4),
    ("shop", "web-0", "nginx", "docker.io/library/nginx:1.25.3-alpine",
     hashlib.sha256(b"nginx").hexdigest(),
     50 * 2**20, 256 * 2**20, 1, 0.05, 0.0),
]
PAUSE_IMAGE = "registry.k8s.io/pause:3.9"
PERIODS_PER_S = 10  # 100 ms CFS periods
NODE = "worker-1"


def esc(v):
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")


def line(name, labels, value, ts_ms=None):
    inner = ",".join('%s="%s"' % (k, esc(v)) for k, v in sorted(labels.items()))
    text = "%s{%s} %s" % (name, inner, value)
    return text + (" %d" % ts_ms if ts_ms is not None else "")


def pod_slice(pod):
    uid = POD_UID[pod].replace("-", "_")
    return ("/kubepods.slice/kubepods-burstable.slice/"
            "kubepods-burstable-pod%s.slice" % uid)


def container_id(pod, cid):
    """The systemd cgroup driver's id of a containerd container."""
    return "%s/cri-containerd-%s.scope" % (pod_slice(pod), cid)


def cadvisor(now=None):
    """The kubelet's /metrics/cadvisor at time now."""
    now = time.time() if now is None else now
    t = now - START
    ts = int(math.floor(now)) * 1000 - 1000  # stats a second old
    out = []

    def family(name, typ, help_text, rows):
        out.append("# HELP %s %s" % (name, help_text))
        out.append("# TYPE %s %s" % (name, typ))
        for labels, value in rows:
            out.append(line(name, labels, value, ts))

    def base(ns, pod, container, image, cid):
        return {"container": container, "id": container_id(pod, cid),
                "image": image, "name": cid, "namespace": ns, "pod": pod}

    def pause(ns, pod):
        pid = hashlib.sha256(pod.encode()).hexdigest()
        return {"id": container_id(pod, pid), "image": PAUSE_IMAGE,
                "name": pid, "namespace": ns, "pod": pod}

    def pod_level(ns, pod):
        return {"id": pod_slice(pod), "namespace": ns, "pod": pod}

    cpu, periods, throttled, memory, limit = [], [], [], [], []
    for ns, pod, c, image, cid, mem, mlim, _, cps, share in CONTAINERS:
        b = base(ns, pod, c, image, cid)
        cpu.append((dict(b, cpu="total"), go_float(round(cps * t, 6))))
        cpu.append((dict(pod_level(ns, pod), cpu="total"),
                    go_float(round(cps * t * 1.01, 6))))
        n = math.floor(PERIODS_PER_S * t)
        periods.append((b, go_float(n)))
        throttled.append((b, go_float(math.floor(share * n))))
        memory.append((b, go_float(mem)))
        memory.append((pause(ns, pod), go_float(442368)))
        memory.append((pod_level(ns, pod), go_float(mem + 442368)))
        limit.append((b, go_float(mlim)))
    memory.append(({"id": "/"}, go_float(6.5e9)))
    family("container_cpu_cfs_periods_total", "counter",
           "Number of elapsed enforcement period intervals.", periods)
    family("container_cpu_cfs_throttled_periods_total", "counter",
           "Number of throttled period intervals.", throttled)
    family("container_cpu_usage_seconds_total", "counter",
           "Cumulative cpu time consumed in seconds.", cpu)
    family("container_memory_working_set_bytes", "gauge",
           "Current working set in bytes.", memory)
    family("container_spec_memory_limit_bytes", "gauge",
           "Memory limit for the container.", limit)
    return ("\n".join(out) + "\n").encode()


def kube_state_metrics():
    """kube-state-metrics' /metrics for the same pods."""
    out = []

    def family(name, typ, help_text, rows):
        out.append("# HELP %s %s" % (name, help_text))
        out.append("# TYPE %s %s" % (name, typ))
        for labels, value in rows:
            inner = ",".join('%s="%s"' % (k, esc(v)) for k, v in labels)
            out.append("%s{%s} %s" % (name, inner, value))

    info, limits, requests = [], [], []
    for i, (ns, pod, c, _, _, _, mlim, clim, _, _) in enumerate(CONTAINERS):
        uid = POD_UID[pod]
        head = [("namespace", ns), ("pod", pod), ("uid", uid)]
        info.append((head + [("host_ip", "10.0.0.21"),
                             ("pod_ip", "10.244.1.%d" % (10 + i)),
                             ("node", NODE), ("created_by_kind", "ReplicaSet"),
                             ("created_by_name", pod.rsplit("-", 1)[0]),
                             ("priority_class", ""),
                             ("host_network", "false")], "1"))
        for resource, unit, value in (("cpu", "core", clim),
                                      ("memory", "byte", mlim)):
            labels = head + [("container", c), ("node", NODE),
                             ("resource", resource), ("unit", unit)]
            limits.append((labels, go_float(value)))
            requests.append((labels, go_float(value / 2)))
    family("kube_pod_info", "gauge", "Information about pod.", info)
    family("kube_pod_container_resource_limits", "gauge",
           "The number of requested limit resource by a container.", limits)
    family("kube_pod_container_resource_requests", "gauge",
           "The number of requested request resource by a container.",
           requests)
    return ("\n".join(out) + "\n").encode()

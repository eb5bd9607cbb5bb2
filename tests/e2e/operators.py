"""The /metrics expositions of the operators the controller-runtime one
(exposition.py) does not cover, as client_golang and the Rust prometheus
crate print them: the Provisioning platform's three services
(orchestrator, control center, vault service) and the Dynamo operator.
Counters grow with the time since exposition.START at fixed rates, so
that rates, ratios and quantiles are known:

  orchestrator   10 workflows a minute, 2 of them failing (20 %), a
                 database connection that DATABASE_CONNECTED says
  control center 5 API requests a second of 20 to 50 ms; 2 logins a
                 second, 1 in 10 failing; an RBAC denial a minute
  vault service  3 secret operations, 2 encryptions and 1 decryption a
                 second, KMS latency 5 to 10 ms
  Dynamo         each resource type reconciled once a second in
                 namespace "dynamo" (1 in 10 requeued, 1 in 20 failing
                 with a conflict), 2 to 5 s each; webhooks twice a
                 second, 1 in 10 denied as immutable_field_changed
"""
import math
import time

from exposition import Families, START, histogram, render_families

DATABASE_CONNECTED = {"value": 1}
LATENCY_LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
DYNAMO_TYPES = ["DynamoGraphDeployment", "DynamoComponentDeployment",
                "DynamoModel"]


def _process(fams, t, cpu_rate, rss):
    fams.new("process_cpu_seconds_total", "counter",
             "Total user and system CPU time spent in seconds.").add(
        {}, round(cpu_rate * t, 2))
    fams.new("process_resident_memory_bytes", "gauge",
             "Resident memory size in bytes.").add({}, rss)


def _counter(fams, name, value, help_text=""):
    fams.new(name, "counter", help_text or name).add({}, math.floor(value))


def orchestrator(fams, t):
    _counter(fams, "provisioning_workflows_total", t / 6)
    _counter(fams, "provisioning_workflows_completed", t / 7.5)
    _counter(fams, "provisioning_workflows_failed", t / 30)
    fams.new("provisioning_workflows_active", "gauge", "Active").add({}, 4)
    fams.new("provisioning_tasks_queued", "gauge", "Queued").add({}, 12)
    fams.new("provisioning_tasks_running", "gauge", "Running").add({}, 3)
    _counter(fams, "provisioning_tasks_completed", t / 2)
    _counter(fams, "provisioning_checkpoint_recoveries", t / 600)
    fams.new("provisioning_workflow_duration_seconds", "gauge",
             "Duration of the slowest running workflow").add({}, 42.5)
    fams.new("provisioning_database_connected", "gauge",
             "SurrealDB connection").add({}, DATABASE_CONNECTED["value"])
    _process(fams, t, 0.12, 84 << 20)


def control_center(fams, t):
    n = math.floor(5 * t)
    _counter(fams, "provisioning_api_requests_total", n)
    histogram(fams.new("provisioning_api_requests_duration_seconds",
                       "histogram", "Request latency"), {}, LATENCY_LE,
              (0.025, 0.05), n, n * 0.035)
    _counter(fams, "provisioning_auth_attempts_total", 2 * t)
    _counter(fams, "provisioning_auth_failures_total", 0.2 * t)
    _counter(fams, "provisioning_rbac_denials_total", t / 60)
    _process(fams, t, 0.05, 52 << 20)


def vault_service(fams, t):
    _counter(fams, "provisioning_secrets_operations_total", 3 * t)
    _counter(fams, "provisioning_kms_encryptions_total", 2 * t)
    _counter(fams, "provisioning_kms_decryptions_total", t)
    n = math.floor(3 * t)
    histogram(fams.new("provisioning_kms_latency_seconds", "histogram",
                       "KMS operation latency"), {}, LATENCY_LE,
              (0.005, 0.01), n, n * 0.007)
    _process(fams, t, 0.03, 31 << 20)


SERVICES = {"orchestrator": orchestrator, "control-center": control_center,
            "vault-service": vault_service}


def provisioning(service, t=None):
    """One service's /metrics: "orchestrator", "control-center" or
    "vault-service"."""
    if t is None:
        t = time.time() - START
    fams = Families()
    SERVICES[service](fams, t)
    return render_families(fams)


def dynamo_operator(t=None):
    """The Dynamo operator's own families (not its resource inventory,
    which a <Kubernetes> block counts from the API)."""
    if t is None:
        t = time.time() - START
    fams = Families()
    duration = fams.new("dynamo_operator_reconcile_duration_seconds",
                        "histogram", "Duration of reconciliation loops")
    total = fams.new("dynamo_operator_reconcile_total", "counter",
                     "Total number of reconciliations")
    errors = fams.new("dynamo_operator_reconcile_errors_total", "counter",
                      "Total reconciliation errors by type")
    wdur = fams.new("dynamo_operator_webhook_duration_seconds", "histogram",
                    "Duration of webhook validation requests")
    wreq = fams.new("dynamo_operator_webhook_requests_total", "counter",
                    "Total webhook admission requests")
    denials = fams.new("dynamo_operator_webhook_denials_total", "counter",
                       "Total webhook denials with reasons")
    n = math.floor(t)
    for rt in DYNAMO_TYPES:
        ns = {"resource_type": rt, "namespace": "dynamo"}
        results = {"success": n - n // 10 - n // 20, "requeue": n // 10,
                   "error": n // 20}
        for result, count in results.items():
            total.add(dict(ns, result=result), count)
            histogram(duration, dict(ns, result=result), LATENCY_LE,
                      (2.5, 5), count, count * 3.5)
        errors.add(dict(ns, error_type="conflict"), n // 20)
        for op in ("CREATE", "UPDATE"):
            w = {"resource_type": rt, "operation": op}
            histogram(wdur, w, LATENCY_LE, (0.01, 0.025), n, n * 0.015)
            wreq.add(dict(w, result="allowed"), n - n // 10)
            wreq.add(dict(w, result="denied"), n // 10)
            denials.add(dict(w, reason="immutable_field_changed"), n // 10)
    return render_families(fams)

"""The demo's stack, which tests/e2e/test_monitoring.py judges too: every
source of the five operators' monitoring, collectd with operator_metrics
and write_prometheus, and Prometheus with the relabel rules and the
shipped rule files.

  Datum           its controller manager's /metrics over HTTPS, with probes
  KubeMirror      its controller's /metrics; the kubelet's cAdvisor and
                  kube-state-metrics for its pods' memory and CPU
  DB Provision    a throwaway PostgreSQL 15 (<Postgres>), a pgBackRest
  Operator        stanza with a full backup and a schedule, a directory of
                  pg_dumps and one of old dumps nobody renews (<Backup>), the
                  operator's own /metrics (its operation counters)
  Provisioning    its orchestrator, control center and vault service, and
  platform        the host itself (<Host>)
  Dynamo          its operator's /metrics
  Kubernetes      the test API server with the operators' custom resources
                  (some Pending), listed under a leader-election lease
  the plugin      a target that serves samples it must drop

Prometheus loads conf/prometheus/rules/*.yml; with for_seconds, every
`for:` is shortened to that many seconds and every group is evaluated at
Prometheus' interval, so that alerts fire within a test (the expressions
stay as shipped)."""
import glob
import os
import re
import time

from harness import (PKI, REPO, Collectd, Fixture, Prometheus,
                     scrape_config, target_block, wait_until)
from kube_apiserver import FakeAPIServer
from kube_objects import load_objects, namespaces
from pgbackrest_repo import PgBackRest
from pgserver import PostgresServer

RULES = os.path.join(REPO, "conf", "prometheus", "rules")
GRAFANA = os.path.join(REPO, "conf", "grafana")
DATUM_JOB = "datum-controller-manager-metrics"
DB_NS = "db-system"
# two days old: BackupOverdue's 24 hours have long passed
OLD_DUMP_AGE_S = 2 * 86400


def rule_files(wd, for_seconds=None):
    """The shipped rule files, or copies with every `for` shortened and
    each group evaluated at Prometheus' own interval."""
    files = sorted(glob.glob(os.path.join(RULES, "*.yml")))
    if for_seconds is None:
        return files
    out = []
    for path in files:
        with open(path) as f:
            text = re.sub(r"\bfor: \S+", "for: %ds" % for_seconds, f.read())
            text = re.sub(r"(?m)^    interval: \S+\n", "", text)
        out.append(wd.file("rules-" + os.path.basename(path), text))
    return out


def dashboards():
    """Every shipped dashboard file."""
    return sorted(glob.glob(os.path.join(GRAFANA, "*", "*.json")))


class Stack:
    def __init__(self, wd, for_seconds=None, say=lambda text: None):
        self.wd = wd
        self.procs = []
        try:
            self._start(for_seconds, say)
        except BaseException:
            self.stop()
            raise

    def _own(self, proc):
        self.procs.append(proc)
        return proc

    def _start(self, for_seconds, say):
        wd = self.wd
        self.pki = PKI(wd)
        say("starting the operators' /metrics endpoints (Datum over HTTPS "
            "with a throwaway CA)...")
        self.datum = self._own(Fixture(wd, "datum", pki=self.pki))
        self.operators = self._own(Fixture(wd, "operators"))
        self.orchestrator = self._own(Fixture(wd, "orchestrator"))
        ops = self.operators
        config = target_block(DATUM_JOB, self.datum.url("/metrics"),
                              'CACert "%s"' % self.pki.ca,
                              'HealthURL "%s"' % self.datum.url("/healthz"),
                              'ReadyURL "%s"' % self.datum.url("/readyz"))
        config += target_block("kubemirror", ops.url("/metrics"))
        config += target_block("kubelet-cadvisor", ops.url("/metrics/cadvisor"),
                               'LabelDrop "id"')
        config += target_block("kube-state-metrics", ops.url("/ksm"))
        config += target_block("dbops-operator", ops.url("/dbops"),
                               'Preset "dbops-operator"')
        config += target_block("provisioning-orchestrator",
                               self.orchestrator.url(
                                   "/provisioning/orchestrator"))
        for service in ("control-center", "vault-service"):
            config += target_block("provisioning-" + service,
                                   ops.url("/provisioning/" + service))
        config += target_block("dynamo-operator", ops.url("/dynamo"),
                               'Preset "dynamo-operator"')
        config += target_block("samples-to-drop", ops.url("/bad"),
                               'Include "*"')
        config += self._databases(say)
        config += self._kubernetes(say)
        config += '<Host>\n  Job "node"\n  MountTimeout 0.5\n</Host>\n'
        say("starting collectd with operator_metrics and write_prometheus...")
        self.collectd = self._own(Collectd(wd, config, interval=1))
        self.collectd.wait_ready()
        say("starting Prometheus with conf/prometheus/relabel.yml and "
            "conf/prometheus/rules/...")
        self.prom = self._own(Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True),
            rule_files=rule_files(wd, for_seconds)))
        say("collecting for a few seconds...")
        wait_until("every source in Prometheus", self.ready, timeout=90)

    def _databases(self, say):
        wd = self.wd
        say("starting a throwaway PostgreSQL with a database, users and "
            "grants, a pgBackRest full backup of it and pg_dumps...")
        self.repo = PgBackRest(wd, stanza="shop")
        self.pg = self._own(PostgresServer(
            wd, "postgres", pki=self.pki,
            settings=self.repo.archive_settings()))
        pg = self.pg
        pg.psql("CREATE DATABASE shop",
                "CREATE ROLE collectd_mon LOGIN PASSWORD 'demo-mon-pw'",
                "GRANT pg_monitor TO collectd_mon",
                "CREATE ROLE shop_app LOGIN", "CREATE ROLE shop_readers",
                "GRANT CONNECT, CREATE ON DATABASE shop TO shop_app",
                "GRANT shop_readers TO shop_app")
        config = ('<Postgres "pg-demo">\n  Host "127.0.0.1"\n  Port %d\n'
                  '  User "collectd_mon"\n  PasswordFile "%s"\n'
                  '  SSLMode "verify-full"\n  SSLRootCert "%s"\n'
                  '  Namespace "%s"\n  ConnectTimeout 0.4\n'
                  '  StatementTimeout 0.4\n</Postgres>\n' % (
                      pg.port, wd.file("mon.pw", "demo-mon-pw\n", 0o600),
                      self.pki.ca, DB_NS))
        self.repo.attach(pg)
        self.repo.backup("full")
        dumps = os.path.join(wd.path, "dumps")
        old = os.path.join(wd.path, "old-dumps")
        for d in (dumps, old):
            os.makedirs(d)
            pg._own(d)
        pg._run([os.path.join(pg.bindir, "pg_dump"), "-h", pg.socket_dir,
                 "-p", str(pg.port), "-U", "postgres", "-f",
                 os.path.join(dumps, "shop-%s.sql" % time.strftime("%Y%m%d")),
                 "shop"])
        stale = os.path.join(old, "archive-20240101.sql")
        with open(stale, "w") as f:
            f.write("-- a dump nobody renews\n" * 100)
        then = time.time() - OLD_DUMP_AGE_S
        os.utime(stale, (then, then))
        return config + ('<Backup "pgbackrest">\n  Type "pgbackrest"\n'
                '  Command %s\n  Namespace "%s"\n  Interval 5\n'
                '  Timeout 4\n  Schedule "30 2 * * *"\n'
                '  TimeZone "Europe/Berlin"\n</Backup>\n'
                '<Backup "shop-dumps">\n  Type "directory"\n'
                '  Path "%s"\n  Pattern "shop-*.sql"\n'
                '  Namespace "%s"\n  Schedule "@daily"\n</Backup>\n'
                '<Backup "archive-dumps">\n  Type "directory"\n'
                '  Path "%s"\n  Pattern "archive-*.sql"\n'
                '  Database "archive"\n  Namespace "%s"\n</Backup>\n' % (
                    self.repo.collectd_command(), DB_NS, dumps, DB_NS, old,
                    DB_NS))

    def _kubernetes(self, say):
        say("starting the test Kubernetes API server (HTTPS) with dbops, "
            "Dynamo and Datum custom resources...")
        self.api = self._own(FakeAPIServer(self.pki, ["demo-token"]))
        load_objects(self.api)
        token = self.wd.file("kube-token", "demo-token\n", 0o600)
        access = ('  %sAPIServer "%s"\n  %sBearerTokenFile "%s"\n'
                  '  %sCACert "%s"\n')
        # the objects' own namespaces: "db-system" is the throwaway
        # server's, whose <Postgres> and <Backup> blocks own its series
        return ('<Kubernetes "demo-cluster">\n' +
                access % ("", self.api.url(), "", token, "", self.pki.ca) +
                '  Interval 5\n  Namespace %s\n'
                '  Preset "dbops"\n  Preset "dynamo"\n  Preset "datum"\n'
                '  LeaderElection "demo-inventory"\n' % " ".join(
                    '"%s"' % n for n in namespaces()) +
                access % ("Lease", self.api.url(), "Lease", token, "Lease",
                          self.pki.ca) + '</Kubernetes>\n')

    READY = ['count_over_time(up{job="%s"}[1m]) >= 3' % DATUM_JOB,
             "dbops_backup_info", "dynamo_operator_resources_total",
             "dbops_instance_healthy", "node_load1",
             "provisioning_workflows_active", "kubemirror:reconcile_rate:5m",
             "operator_metrics_leader == 1"]

    def missing(self):
        """The queries of READY (every kind of source, with enough samples
        for rates) that have no data in Prometheus yet."""
        return [q for q in self.READY if not self.prom.query(q)]

    def ready(self):
        left = self.missing()
        if left:
            raise AssertionError("no data yet for %s" % left)
        return True

    def stop(self):
        for p in reversed(self.procs):
            try:
                p.stop()
            except Exception:  # stop what can be stopped
                pass
        self.procs = []

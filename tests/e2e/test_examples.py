#!/usr/bin/env python3
"""End to end: every configuration example the project shows a user is one
the plugin accepts, as written.

The examples are the fenced blocks of README.md and docs/*.md that hold
operator_metrics blocks (a whole <Plugin operator_metrics>, a few blocks,
or the operator_metrics.conf of a ConfigMap), the man page's verbatim
<Plugin operator_metrics>, and the two shipped configurations. A block
with a line "..." is a fragment, not an example, and is left out; the
test fails if fewer examples than EXPECTED_AT_LEAST are found, so a
change of format cannot empty it.

Each example runs in a collectd of its own, as a collectd in a pod would
(KUBERNETES_SERVICE_HOST set, NODE_NAME "node-a"), with the files it
names (certificates, tokens, passwords) made: it must start (the plugin's
version line logged, collectd still running) with no configuration error
and no two blocks claiming one series. Its sources are not there (the
example addresses): what a read then logs is not the test's business.
"""
import glob
import os
import re
import signal
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (CONFIG_REFUSED_LINES, PKI, REPO, Collectd,  # noqa
                     Workdir, run_suite, site_files, wait_until)

EXPECTED_AT_LEAST = 14
BLOCK = re.compile(r"^\s*<(Target|Postgres|Backup|Kubernetes|Host)\b", re.M)
PLUGIN = re.compile(r"<Plugin operator_metrics>\n(.*?)^\s*</Plugin>",
                    re.S | re.M)
CONFIGMAP = re.compile(r"^(\s*)operator_metrics\.conf: \|\n((?:\1  .*\n|\n)+)",
                       re.M)


def plugin_body(text):
    """The content of the operator_metrics configuration in text: inside
    <Plugin operator_metrics>, or text itself when it is blocks only; None
    when text holds neither."""
    m = CONFIGMAP.search(text)
    if m:
        text = textwrap.dedent(m.group(2))
    m = PLUGIN.search(text)
    if m:
        return m.group(1)
    return text if BLOCK.search(text) else None


def fenced(path):
    """(line, text) of every fenced block of a Markdown file."""
    with open(path) as f:
        doc = f.read()
    for m in re.finditer(r"^```[a-z]*\n(.*?)^```", doc, re.S | re.M):
        yield doc.count("\n", 0, m.start()) + 1, m.group(1)


def pod_verbatim(path):
    """(line, text) of every verbatim paragraph run of a POD file."""
    with open(path) as f:
        lines = f.read().split("\n")
    start, run = None, []
    for i, line in enumerate(lines + ["="]):
        if line.startswith((" ", "\t")) or (not line and run):
            start = i + 1 if start is None else start
            run.append(line)
        elif run:
            yield start, "\n".join(run) + "\n"
            start, run = None, []


def examples():
    """(where, plugin body) of every example, in a stable order."""
    found = []
    sources = [("README.md", fenced)] + [
        (os.path.relpath(p, REPO), fenced)
        for p in sorted(glob.glob(os.path.join(REPO, "docs", "*.md")))] + [
        ("docs/collectd-operator-metrics.pod", pod_verbatim)]
    for rel, reader in sources:
        for line, text in reader(os.path.join(REPO, rel)):
            body = plugin_body(text)
            if body is None or re.search(r"^\s*\.\.\.\s*$", body, re.M):
                continue
            found.append(("%s:%d" % (rel, line), body))
    for rel in ("conf/collectd/operator_metrics.conf",
                "conf/collectd/operator_metrics.reference.conf"):
        with open(os.path.join(REPO, rel)) as f:
            found.append((rel, plugin_body(f.read())))
    return found


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)

    def stop(self):
        pass


def accepted(e, where, body):
    """Starts a collectd with body; raises unless the plugin took it."""
    wd = Workdir("example")
    c = None
    try:
        c = Collectd(wd, site_files(wd, body, e.pki), interval=10,
                     name="example", extra_env={
                         "KUBERNETES_SERVICE_HOST": "127.0.0.1",
                         "KUBERNETES_SERVICE_PORT": "1",
                         "NODE_NAME": "node-a"})
        wait_until("%s: the plugin to start or collectd to refuse" % where,
                   lambda: "operator_metrics: version " in c.log() or
                   not c.process.alive(), timeout=30)
        log = c.log()
        assert c.process.alive(), "%s: collectd stopped:\n%s%s" % (
            where, log, c.process.output())
        bad = [line for line in log.splitlines()
               if any(n in line for n in CONFIG_REFUSED_LINES)]
        assert not bad, "%s: %s" % (where, "\n".join(bad))
    finally:
        if c is not None:
            # the example's sources are not there: no need to wait for
            # their reads to give up
            c.process.stop(signal.SIGKILL, timeout=5)
        wd.cleanup()


def tests():
    found = examples()

    def test_examples_found(_e):
        assert len(found) >= EXPECTED_AT_LEAST, [w for w, _ in found]

    out = [test_examples_found]
    for where, body in found:
        def test(e, where=where, body=body):
            accepted(e, where, body)
        test.__name__ = "accepted " + where
        out.append(test)
    return out


if __name__ == "__main__":
    sys.exit(run_suite("e2e.examples", Env, tests()))

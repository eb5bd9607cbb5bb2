"""A throwaway PostgreSQL cluster for the end-to-end tests: its own data
directory inside the test's work directory, a private port on 127.0.0.1,
password (scram-sha-256) authentication over TCP, trust over its private
Unix socket for the test's own psql. initdb refuses to run as root, so when
the tests run as root the server runs as the "postgres" user.
"""
import glob
import os
import pwd
import shutil
import signal
import subprocess

from harness import Process, free_port, wait_until

SUPERUSER_PASSWORD = "om-test-superuser-secret"


def pg_bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL server found under "
                           "/usr/lib/postgresql (package postgresql)")
    return os.path.dirname(found[-1])


class PostgresServer:
    def __init__(self, workdir, name="pg", pki=None, settings=None):
        self.bindir = pg_bindir()
        self.user = "postgres" if os.geteuid() == 0 else None
        # the server's user must reach its directory inside the work dir
        os.chmod(workdir.path, 0o711)
        self.dir = os.path.join(workdir.path, name)
        self.data = os.path.join(self.dir, "data")
        self.socket_dir = self.dir
        os.makedirs(self.dir, mode=0o755)
        self.port = free_port()
        self.workdir = workdir
        self.name = name
        pwfile = os.path.join(self.dir, "superuser.pw")
        with open(pwfile, "w") as f:
            f.write(SUPERUSER_PASSWORD + "\n")
        self._own(self.dir, pwfile)
        self._run([os.path.join(self.bindir, "initdb"), "-D", self.data,
                   "-U", "postgres", "--pwfile", pwfile,
                   "--auth-host=scram-sha-256", "--auth-local=trust",
                   "-E", "UTF8", "--locale=C"])
        self.settings = {"listen_addresses": "127.0.0.1",
                         "port": str(self.port),
                         "unix_socket_directories": self.socket_dir,
                         "fsync": "off"}
        if pki is not None:
            self._install_tls(pki)
        self.settings.update(settings or {})
        self.process = None
        self.start()

    def _own(self, *paths):
        if self.user is None:
            return
        pw = pwd.getpwnam(self.user)
        for p in paths:
            os.chown(p, pw.pw_uid, pw.pw_gid)

    def _run(self, argv, **kw):
        return subprocess.run(argv, check=True, user=self.user,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, **kw)

    def _install_tls(self, pki):
        cert = os.path.join(self.dir, "server.crt")
        key = os.path.join(self.dir, "server.key")
        shutil.copy(pki.server, cert)
        shutil.copy(pki.server_key, key)
        os.chmod(key, 0o600)
        self._own(cert, key)
        self.settings.update({"ssl": "on", "ssl_cert_file": cert,
                              "ssl_key_file": key})
        with open(os.path.join(self.data, "pg_hba.conf"), "a") as f:
            f.write("hostssl all all 127.0.0.1/32 scram-sha-256\n")

    def start(self):
        argv = [os.path.join(self.bindir, "postgres"), "-D", self.data]
        for k, v in self.settings.items():
            argv += ["-c", "%s=%s" % (k, v)]
        self.process = Process(self.name, argv,
                               self.workdir.file(self.name + ".log"),
                               user=self.user)
        wait_until("PostgreSQL %s to accept connections" % self.name,
                   self.ready, timeout=60)

    def ready(self):
        if not self.process.alive():
            raise RuntimeError("PostgreSQL exited:\n" + self.process.output())
        return subprocess.run(
            [os.path.join(self.bindir, "pg_isready"), "-q", "-h",
             self.socket_dir, "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

    def stop(self):
        """Fast shutdown: SIGINT, as pg_ctl stop -m fast."""
        if self.process is not None:
            self.process.stop(sig=signal.SIGINT, timeout=30)

    def psql_argv(self, db="postgres"):
        return ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                "-h", self.socket_dir, "-p", str(self.port),
                "-U", "postgres", "-d", db]

    def psql(self, *statements, db="postgres"):
        """Runs each statement in its own transaction as the superuser;
        returns the rows as lists of strings."""
        argv = self.psql_argv(db) + ["-F", "\t"]
        for sql in statements:
            argv += ["-c", sql]
        r = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("psql failed: %s" % r.stderr.strip())
        return [line.split("\t") for line in r.stdout.splitlines()]

    def value(self, sql, db="postgres"):
        rows = self.psql(sql, db=db)
        return rows[0][0] if rows else None

    def session(self):
        """A psql session kept open (to hold a lock): write SQL lines to its
        stdin; close() ends it."""
        return subprocess.Popen(self.psql_argv(), stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True)

"""A throwaway pgBackRest repository for a throwaway PostgreSQL: its own
configuration file, repository, log and lock directories inside the work
directory, a stanza, and WAL archiving into it. Used by the tests and the
demo. Commands run as the server's user (postgres when run as root)."""
import json
import os

PGBACKREST = "/usr/bin/pgbackrest"


class PgBackRest:
    def __init__(self, workdir, stanza="main"):
        self.stanza = stanza
        self.dir = os.path.join(workdir.path, "pgbackrest")
        for d in ("repo", "log", "lock"):
            os.makedirs(os.path.join(self.dir, d))
        self.conf = os.path.join(self.dir, "pgbackrest.conf")
        self.pg = None

    def archive_settings(self):
        """PostgreSQL settings that archive WAL into the repository."""
        return {"archive_mode": "on",
                "archive_command": "%s --config=%s --stanza=%s archive-push "
                                   "%%p" % (PGBACKREST, self.conf, self.stanza)}

    def attach(self, pg):
        """Writes the configuration for the (started) server and creates
        the stanza."""
        self.pg = pg
        with open(self.conf, "w") as f:
            f.write("[global]\nrepo1-path=%(d)s/repo\nrepo1-retention-full=4\n"
                    "log-path=%(d)s/log\nlock-path=%(d)s/lock\nstart-fast=y\n"
                    "compress-type=gz\n[%(s)s]\npg1-path=%(data)s\n"
                    "pg1-port=%(port)d\npg1-socket-path=%(sock)s\n" % {
                        "d": self.dir, "s": self.stanza, "data": pg.data,
                        "port": pg.port, "sock": pg.socket_dir})
        pg._own(self.dir, self.conf, *[os.path.join(self.dir, d)
                                       for d in ("repo", "log", "lock")])
        self.run("stanza-create")

    def run(self, *args):
        return self.pg._run([PGBACKREST, "--config=" + self.conf,
                             "--stanza=" + self.stanza,
                             "--log-level-console=error"] + list(args)).stdout

    def backup(self, kind):
        self.run("--type=" + kind, "backup")

    def info(self):
        return json.loads(self.run("info", "--output=json"))

    def collectd_command(self):
        """The arguments of a <Backup> block's Command option."""
        args = [PGBACKREST, "--config=" + self.conf,
                "--log-level-console=off", "--log-level-stderr=error",
                "--log-level-file=off", "info", "--output=json"]
        return " ".join('"%s"' % a for a in args)

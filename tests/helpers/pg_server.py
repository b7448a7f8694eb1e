"""A throw-away PostgreSQL cluster on a free loopback port, for the tests and the benchmarks.

The real server (Debian's postgresql-15, installed by ``make test``): initdb and pg_ctl as the
``postgres`` system user when run as root (PostgreSQL refuses root). No pytest here: the
fixtures (``tests/helpers/postgres.py``) and ``benchmarks/center.py`` both start one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def as_postgres(*argv: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return list(argv)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: its folder, port and superuser."""

    folder: Path
    port: int
    superuser: str = "postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, user: str, database: str, password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def execute(self, sql: str, database: str = "postgres") -> None:
        engine = create_engine(self.url(self.superuser, database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def dump(self, database: str) -> str:
        """``pg_dump`` of ``database`` as the superuser: what a backup of it holds."""
        done = subprocess.run(
            as_postgres(
                str(PG_BIN / "pg_dump"),
                "-h",
                str(self.folder),
                "-p",
                str(self.port),
                "-U",
                self.superuser,
                database,
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        return done.stdout.decode("utf-8", errors="replace")


def new_cluster(*, durable: bool = False) -> Cluster:
    """Make and start a cluster (about 2 s); ``durable=False`` turns fsync off (tests only)."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError("PostgreSQL 15 is missing: `make test` installs it (postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(folder, _free_port())
    try:
        # Password auth on TCP (scram), trust only on the cluster's own socket folder: the
        # roles' passwords are really checked, as at an agency.
        subprocess.run(
            as_postgres(
                str(PG_BIN / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "--no-sync",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        # The superuser reaches the cluster over TCP too (the fixtures' own set-up), by trust
        # on loopback for that one role; every other role must give its password.
        hba = cluster.data / "pg_hba.conf"
        hba.write_text("host all postgres 127.0.0.1/32 trust\n" + hba.read_text())
        if not durable:  # a throw-away cluster: tests stop it cleanly, never crash the host
            with (cluster.data / "postgresql.conf").open("a") as conf:
                conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        cluster.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    """Stop the cluster (if running) and delete its folder."""
    try:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop()
    finally:
        shutil.rmtree(cluster.folder, ignore_errors=True)

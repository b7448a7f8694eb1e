"""Tests: a throw-away PostgreSQL cluster on a free loopback port, and a fresh database per test.

The cluster is the real server (Debian's postgresql-15, installed by ``make test``): initdb and
pg_ctl as the ``postgres`` system user when the suite runs as root (PostgreSQL refuses root).
Each test gets its own database, owned by a role of its own, so centres never share state.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from console.center.connection import CenterAddress

PG_BIN = Path("/usr/lib/postgresql/15/bin")
OWNER_PASSWORD = "owner-pw-for-tests"  # a throw-away cluster on loopback only


def _as_postgres(*argv: str) -> list[str]:
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
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args),
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


@dataclass(frozen=True)
class CenterDatabase:
    """A fresh database on the cluster, owned by its own role (who runs ``center init``)."""

    cluster: Cluster
    name: str
    owner: str

    @property
    def address(self) -> CenterAddress:
        """The owner's address, as an administrator gives it to ``center init``."""
        return CenterAddress.parse(
            f"postgresql://{self.owner}@127.0.0.1:{self.cluster.port}/{self.name}"
        )

    def superuser_url(self) -> str:
        return self.cluster.url(self.cluster.superuser, self.name)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One cluster for the whole run (about 2 s to make), stopped and removed at the end."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail("PostgreSQL 15 is missing: `make test` installs it (postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(folder, _free_port())
    # Password auth on TCP (scram), trust only on the cluster's own socket folder: the roles'
    # passwords are really checked, as at an agency.
    subprocess.run(
        _as_postgres(
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
    # The superuser reaches the cluster over TCP too (the fixtures' own set-up), by trust on
    # loopback for that one role; every other role must give its password.
    hba = cluster.data / "pg_hba.conf"
    hba.write_text("host all postgres 127.0.0.1/32 trust\n" + hba.read_text())
    # fsync off: a throw-away cluster; durability tests stop it cleanly, never crash the host.
    with (cluster.data / "postgresql.conf").open("a") as conf:
        conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def center_db(pg_cluster: Cluster) -> Iterator[CenterDatabase]:
    """A fresh database and its owner role (CREATEROLE, to make the console role), dropped
    after the test with every role made for it."""
    name = f"c{uuid.uuid4().hex[:12]}"
    owner = f"{name}_owner"
    pg_cluster.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
    pg_cluster.execute(f"CREATE DATABASE {name} OWNER {owner}")
    try:
        yield CenterDatabase(pg_cluster, name, owner)
    finally:
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for role in (f"{name}_console", owner):
            pg_cluster.execute(f"DROP ROLE IF EXISTS {role}")

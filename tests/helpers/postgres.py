"""Tests: a throw-away PostgreSQL cluster on a free loopback port, and a fresh database per test.

The cluster is the real server (Debian's postgresql-15, installed by ``make test``): initdb and
pg_ctl as the ``postgres`` system user when the suite runs as root (PostgreSQL refuses root).
Each test gets its own database, owned by a role of its own, so centres never share state.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from console.center.connection import CenterAddress
from tests.helpers.pg_server import Cluster, new_cluster, remove_cluster

OWNER_PASSWORD = "owner-pw-for-tests"  # a throw-away cluster on loopback only


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


def new_database(cluster: Cluster, name: str) -> CenterDatabase:
    """A database on ``cluster`` and its owner role (CREATEROLE, to make the console role)."""
    owner = f"{name}_owner"
    cluster.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
    cluster.execute(f"CREATE DATABASE {name} OWNER {owner}")
    return CenterDatabase(cluster, name, owner)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One cluster for the whole run (about 2 s to make), stopped and removed at the end."""
    try:
        cluster = new_cluster()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield cluster
    finally:
        remove_cluster(cluster)


@pytest.fixture
def center_db(pg_cluster: Cluster) -> Iterator[CenterDatabase]:
    """A fresh database and its owner role (CREATEROLE, to make the console role), dropped
    after the test with every role made for it."""
    name = f"c{uuid.uuid4().hex[:12]}"
    db = new_database(pg_cluster, name)
    try:
        yield db
    finally:
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for role in (f"{name}_console", db.owner):
            pg_cluster.execute(f"DROP ROLE IF EXISTS {role}")

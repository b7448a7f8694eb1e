"""Tests: the two places a logon is judged, behind one small face, so one test body runs
against both: a lone PC's profile file (``unlock.open_existing``) and a dispatch centre on the
real PostgreSQL cluster (``center.logon.authenticate``). Each is set up through the console's
own account work and read back as anyone with the file or the database sees it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, text

from console.center import accounts as center_accounts
from console.center.desk import CenterAccounts
from console.center.logon import CenterAttempt, authenticate
from console.center.position import console_address
from console.domain.access import Role
from console.storage import Store, unlock
from console.storage.keyslots import unwrap_key
from console.storage.logon import Attempt
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    make_centre,
)
from tests.helpers.clock import Clock
from tests.helpers.postgres import CenterDatabase
from tests.helpers.storage import WHERE, raw

WORKSTATION = WHERE["workstation"]


class Backend(Protocol):
    """Where the accounts live; the supervisor ``SUPERVISOR`` is there from the start."""

    clock: Clock

    async def add(self, operator: str, secret: str) -> None: ...

    async def disable(self, operator: str) -> None: ...

    async def enroll_supervisor(self, secret: bytes, code: str) -> None: ...

    def log_on(self, operator: str, secret: str, code: str | None = None) -> None:
        """Judge one logon (blocking); a refusal is raised as the console raises it."""

    def waiting(self) -> list[tuple[str, str]]:
        """The committed attempts waiting for an audit trail: (who, outcome), oldest first."""

    def counters(self, operator: str) -> tuple[int, bool]:
        """The account's failure count and whether it is locked, as committed."""

    async def ready(self) -> None:
        """The set-up is done: logons come next."""

    async def close(self) -> None: ...


class FileBackend:
    """A lone PC: the profile file, its accounts made through a supervisor's store."""

    def __init__(self, path: Path, store: Store, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._store: Store | None = store

    @classmethod
    async def make(cls, folder: Path) -> FileBackend:
        clock = Clock()
        path = folder / "console.db"
        store = await Store.create(path, SUPERVISOR, SUPERVISOR_SECRET, **WHERE, clock=clock)
        return cls(path, store, clock)

    def _admin(self) -> Store:
        assert self._store is not None, "accounts are set up before the first logon"
        return self._store

    async def add(self, operator: str, secret: str) -> None:
        await self._admin().add_operator(operator, secret, Role.OPERATOR)

    async def disable(self, operator: str) -> None:
        await self._admin().accounts.set_active(operator, active=False)

    async def enroll_supervisor(self, secret: bytes, code: str) -> None:
        await self._admin().accounts.enroll(secret, code)

    def log_on(self, operator: str, secret: str, code: str | None = None) -> None:
        attempt = Attempt(operator, WORKSTATION, code, self.clock, WHERE["ori"])
        unlock.open_existing(self.path, secret, attempt).engine.dispose()

    def waiting(self) -> list[tuple[str, str]]:
        with raw(self.path) as conn:
            rows = conn.execute("SELECT operator_id, outcome FROM logon_attempt ORDER BY id")
            return [(str(who), str(what)) for who, what in rows]

    def counters(self, operator: str) -> tuple[int, bool]:
        with raw(self.path) as conn:
            count, locked = conn.execute(
                "SELECT failed_count, locked_at FROM account WHERE operator_id = ?", (operator,)
            ).fetchone()
        return int(count), locked is not None

    async def ready(self) -> None:
        if self._store is not None:
            await self._store.close()
            self._store = None

    async def close(self) -> None:
        await self.ready()


class CentreBackend:
    """A dispatch centre: its accounts made through a supervisor's desk at a position."""

    def __init__(self, db: CenterDatabase, engine: Engine, desk: CenterAccounts, clock: Clock):
        self.db = db
        self.clock = clock
        self._engine = engine
        self._desk = desk

    @classmethod
    def make(cls, db: CenterDatabase) -> CentreBackend:
        make_centre(db)
        clock = Clock()
        address = console_address(db.address)
        engine = address.engine(ROLE_PASSWORD)
        with engine.connect() as conn:
            found = center_accounts.get(conn, SUPERVISOR)
        assert found is not None
        data_key = unwrap_key(found.slot, SUPERVISOR_SECRET)
        desk = CenterAccounts(
            engine, address, data_key, operator=SUPERVISOR, workstation=WORKSTATION, clock=clock
        )
        return cls(db, engine, desk, clock)

    async def add(self, operator: str, secret: str) -> None:
        await self._desk.add(operator, secret, Role.OPERATOR)

    async def disable(self, operator: str) -> None:
        await self._desk.set_active(operator, active=False)

    async def enroll_supervisor(self, secret: bytes, code: str) -> None:
        await self._desk.enroll(secret, code)

    def log_on(self, operator: str, secret: str, code: str | None = None) -> None:
        attempt = CenterAttempt(operator, WORKSTATION, code, self.clock)
        authenticate(self._engine, console_address(self.db.address), attempt, secret)

    def waiting(self) -> list[tuple[str, str]]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                text("SELECT operator_id, outcome FROM center_logon_attempt ORDER BY id")
            )
            return [(str(who), str(what)) for who, what in rows]

    def counters(self, operator: str) -> tuple[int, bool]:
        with self._engine.connect() as conn:
            count, locked = conn.execute(
                text("SELECT failed_count, locked_at FROM center_account WHERE operator_id = :op"),
                {"op": operator},
            ).one()
        return int(count), locked is not None

    async def ready(self) -> None:
        pass

    async def close(self) -> None:
        await asyncio.to_thread(self._engine.dispose)

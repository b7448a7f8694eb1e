"""Tests: the two copies of an audit trail behind one small face, so one test body runs
against both: a profile file's own trail (``Store.verify_audit``) and a position's copy at a
dispatch centre on the real PostgreSQL cluster (``center.review.verify_center``), both walked
by the same ``ChainWalk``. Each trail is written through a real store (and forwarded as a
position forwards it); each tampering is said once here, and each backend does it with its
own SQL, as someone with the file (the sqlite3 shell) or the database (its superuser) can."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from sqlalchemy import text

from console.center.audit import forward_pending
from console.center.position import CenterLink
from console.center.review import verify_center
from console.storage import AuditChainBroken, Store
from console.storage.keyslots import new_data_key
from tests.helpers.center import add_position_row, install_center, new_position, superuser
from tests.helpers.postgres import CenterDatabase
from tests.helpers.storage import SECRET, WHERE

WORKSTATION = WHERE["workstation"]
OPERATOR = "OP1"
RECORDS = 8  # every trail: a logon, six queries, an audit review
BackendName = Literal["sqlite", "postgresql"]
Column = Literal["at", "operator", "event", "outcome", "object", "mac"]
# Everything of a record but its seq (and its workstation, which picks the chain at the centre).
CONTENTS = ("at", "operator", "ori", "event", "outcome", "object", "prev_mac", "mac")


@dataclass(frozen=True)
class SetColumn:
    """Record ``seq``'s ``column`` changed to ``value``."""

    seq: int
    column: Column
    value: str | bytes


@dataclass(frozen=True)
class CopyColumn:
    """Record ``seq``'s ``column`` changed to record ``source``'s value of it."""

    seq: int
    column: Column
    source: int


@dataclass(frozen=True)
class Delete:
    """Record ``seq`` removed, the rest left as they are."""

    seq: int


@dataclass(frozen=True)
class DeleteRenumber:
    """Record ``seq`` removed and those after it renumbered down, so no number is missing."""

    seq: int


@dataclass(frozen=True)
class SwapSeq:
    """Records ``a`` and ``b`` trade seq numbers, so they read back in the other order."""

    a: int
    b: int


@dataclass(frozen=True)
class SwapContents:
    """Records ``a`` and ``b`` trade everything but their seq numbers."""

    a: int
    b: int


@dataclass(frozen=True)
class CutTail:
    """Every record after ``keep`` removed."""

    keep: int


Tamper = SetColumn | CopyColumn | Delete | DeleteRenumber | SwapSeq | SwapContents | CutTail
Statement = tuple[str, Mapping[str, object]]


@dataclass(frozen=True)
class Fault:
    """The first bad record a verify names: its seq, the reason, and the message as shown."""

    seq: int
    reason: str
    message: str


class TrailBackend(Protocol):
    """Where a trail of ``RECORDS`` records is kept, written by ``WORKSTATION``."""

    name: BackendName

    async def tamper(self, change: Tamper) -> None: ...

    async def verify(self) -> Fault | None:
        """The first fault the console's verify names, or None when the trail holds."""

    async def records(self) -> int:
        """How many records an intact trail verifies (a broken one fails the test)."""

    async def close(self) -> None: ...


async def _fill(store: Store) -> None:
    await store.audit("logon", "success")
    for number in range(2, RECORDS):
        await store.audit("query", "sent", f"NAM/KOWALSKA, ANNA.DOB/19850317 #{number}")
    await store.audit("audit-review", "success")


def _fault(broken: AuditChainBroken) -> Fault:
    return Fault(broken.seq, broken.reason, str(broken))


class FileBackend:
    """A profile file's own trail, tampered with in the sqlite3 shell: the append-only
    triggers dropped first, as anyone with the file can."""

    name: BackendName = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    async def make(cls, folder: Path) -> FileBackend:
        path = folder / "console.db"
        store = await Store.create(path, OPERATOR, SECRET, **WHERE)
        try:
            await _fill(store)
        finally:
            await store.close()
        return cls(path)

    async def tamper(self, change: Tamper) -> None:
        await asyncio.to_thread(self._run, _file_statements(change))

    def _run(self, statements: list[Statement]) -> None:
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as conn:
            conn.execute("DROP TRIGGER audit_no_update")
            conn.execute("DROP TRIGGER audit_no_delete")
            for sql, params in statements:
                conn.execute(sql, params)

    async def _verified(self) -> int:
        opened = await Store.open(self.path, OPERATOR, SECRET, **WHERE)
        try:
            return await opened.verify_audit()
        finally:
            await opened.close()

    async def verify(self) -> Fault | None:
        try:
            await self._verified()
        except AuditChainBroken as broken:
            return _fault(broken)
        return None

    async def records(self) -> int:
        return await self._verified()

    async def close(self) -> None:
        pass


def _file_statements(change: Tamper) -> list[Statement]:
    match change:
        case SetColumn(seq, column, value):
            return [
                (
                    f"UPDATE audit SET {column} = :value WHERE seq = :seq",
                    {"value": value, "seq": seq},
                )
            ]
        case CopyColumn(seq, column, source):
            sql = f"UPDATE audit SET {column} = (SELECT {column} FROM audit WHERE seq = :source) "
            return [(sql + "WHERE seq = :seq", {"seq": seq, "source": source})]
        case Delete(seq):
            return [("DELETE FROM audit WHERE seq = :seq", {"seq": seq})]
        case DeleteRenumber(seq):
            return [
                ("DELETE FROM audit WHERE seq = :seq", {"seq": seq}),
                ("UPDATE audit SET seq = seq - 1 WHERE seq > :seq", {"seq": seq}),
            ]
        case SwapSeq(a, b):
            return [
                ("UPDATE audit SET seq = -1 WHERE seq = :a", {"a": a}),
                ("UPDATE audit SET seq = :a WHERE seq = :b", {"a": a, "b": b}),
                ("UPDATE audit SET seq = :b WHERE seq = -1", {"b": b}),
            ]
        case SwapContents(a, b):
            columns = ", ".join(CONTENTS)
            assignments = ", ".join(f"{name} = other.{name}" for name in CONTENTS)
            return [
                (f"CREATE TEMP TABLE copy AS SELECT seq, {columns} FROM audit", {}),
                (
                    f"UPDATE audit SET {assignments} FROM copy AS other "
                    "WHERE audit.seq IN (:a, :b) "
                    "AND other.seq = CASE audit.seq WHEN :a THEN :b ELSE :a END",
                    {"a": a, "b": b},
                ),
            ]
        case CutTail(keep):
            return [("DELETE FROM audit WHERE seq > :keep", {"keep": keep})]


class CentreBackend:
    """A position's trail forwarded to a centre, tampered with by the database's superuser
    (the console role may not change ``center_audit``; an administrator can)."""

    name: BackendName = "postgresql"

    def __init__(self, db: CenterDatabase, link: CenterLink, store: Store) -> None:
        self.db = db
        self._link = link
        self._store = store  # holds the agency key the walk needs

    @classmethod
    async def make(cls, db: CenterDatabase, folder: Path) -> CentreBackend:
        link = await asyncio.to_thread(install_center, db)
        # The row a joined position has: how far it says it sent, against which a cut is found.
        await asyncio.to_thread(add_position_row, db, WORKSTATION)
        store = await new_position(folder / "position.db", WORKSTATION, new_data_key())
        try:
            await _fill(store)
            engine = link.engine()
            try:
                done = await forward_pending(store.spool, engine, link.address, WORKSTATION)
            finally:
                engine.dispose()
        except BaseException:
            await store.close()
            raise
        assert done.sent == RECORDS
        return cls(db, link, store)

    async def tamper(self, change: Tamper) -> None:
        await asyncio.to_thread(self._run, _centre_statements(change))

    def _run(self, statements: list[Statement]) -> None:
        engine = superuser(self.db)
        try:
            with engine.connect() as conn:
                for sql, params in statements:
                    conn.execute(text(sql), {"ws": WORKSTATION, **params})
        finally:
            engine.dispose()

    def _chains(self) -> tuple[Fault | None, int]:
        engine = self._link.engine()
        try:
            chains = verify_center(engine, self._link.address, self._store.spool.chain_walk)
        finally:
            engine.dispose()
        assert [p.workstation for p in chains.positions] == [WORKSTATION]
        found = chains.first_fault()
        return (None if found is None else _fault(found)), chains.records

    async def verify(self) -> Fault | None:
        fault, _ = await asyncio.to_thread(self._chains)
        return fault

    async def records(self) -> int:
        fault, count = await asyncio.to_thread(self._chains)
        assert fault is None, fault.message
        return count

    async def close(self) -> None:
        await self._store.close()


_OFFSET = 1_000_000  # seq numbers moved out of the way first: the key is checked row by row
_MINE = "workstation = :ws"


def _centre_statements(change: Tamper) -> list[Statement]:
    match change:
        case SetColumn(seq, column, value):
            sql = f"UPDATE center_audit SET {column} = :value WHERE {_MINE} AND seq = :seq"
            return [(sql, {"value": value, "seq": seq})]
        case CopyColumn(seq, column, source):
            value = f"(SELECT {column} FROM center_audit WHERE {_MINE} AND seq = :source)"
            sql = f"UPDATE center_audit SET {column} = {value} WHERE {_MINE} AND seq = :seq"
            return [(sql, {"seq": seq, "source": source})]
        case Delete(seq):
            return [(f"DELETE FROM center_audit WHERE {_MINE} AND seq = :seq", {"seq": seq})]
        case DeleteRenumber(seq):
            moved = {"seq": seq, "off": _OFFSET}
            return [
                (f"DELETE FROM center_audit WHERE {_MINE} AND seq = :seq", {"seq": seq}),
                (
                    f"UPDATE center_audit SET seq = seq - 1 + :off WHERE {_MINE} AND seq > :seq",
                    moved,
                ),
                (f"UPDATE center_audit SET seq = seq - :off WHERE {_MINE} AND seq > :off", moved),
            ]
        case SwapSeq(a, b):
            pair = {"a": a, "b": b, "off": _OFFSET}
            return [
                (
                    f"UPDATE center_audit SET seq = seq + :off WHERE {_MINE} AND seq IN (:a, :b)",
                    pair,
                ),
                (
                    "UPDATE center_audit SET seq = CASE seq - :off WHEN :a THEN :b ELSE :a END "
                    f"WHERE {_MINE} AND seq > :off",
                    pair,
                ),
            ]
        case SwapContents(a, b):
            # UPDATE ... FROM reads the rows as they were before the statement: a true swap.
            assignments = ", ".join(f"{name} = other.{name}" for name in CONTENTS)
            sql = (
                f"UPDATE center_audit SET {assignments} FROM center_audit AS other "
                "WHERE center_audit.workstation = :ws AND other.workstation = :ws "
                "AND center_audit.seq IN (:a, :b) "
                "AND other.seq = CASE center_audit.seq WHEN :a THEN :b ELSE :a END"
            )
            return [(sql, {"a": a, "b": b})]
        case CutTail(keep):
            return [(f"DELETE FROM center_audit WHERE {_MINE} AND seq > :keep", {"keep": keep})]

"""Unit tests for the store's write path: prepared statements, whole-or-nothing transactions,
a chain that follows what is on disk, and commits that outlive a killed process."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, bindparam, select

from console.storage import AuditNote, OutboxState, OutboxStateError, Store
from console.storage.database import create_file, open_engine
from console.storage.prepared import Prepared, write_transaction
from console.storage.schema import MetaRow, core_table
from tests.helpers.storage import SECRET, WHERE, raw

IDENTITY = b"IPQ|NAM/KOWALSKA, ANNA"
REPO = Path(__file__).resolve().parents[2]


def count(path: Path, table: str) -> int:
    with raw(path) as conn:
        (found,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert isinstance(found, int)
    return found


# -- the prepared statements and their transaction, on a bare engine --------------------------


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    create_file(db_path)
    made = open_engine(db_path)
    with write_transaction(made) as cursor:
        cursor.execute("CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
    yield made
    made.dispose()


META = core_table(MetaRow)
PUT = Prepared(META.insert().values(key=bindparam("key"), value=bindparam("value")))
FIRST = Prepared(select(META.c.value).order_by(META.c.key).limit(1))


def test_constants_travel_with_the_statement(engine: Engine) -> None:
    assert FIRST.constants == {"param_1": 1, "param_2": 0}
    with write_transaction(engine) as cursor:
        PUT.run(cursor, key="b", value="two")
        PUT.run(cursor, key="a", value="one")
        assert FIRST.run(cursor).fetchall() == [("one",)]


def test_a_missing_parameter_is_refused(engine: Engine) -> None:
    with pytest.raises(sqlite3.ProgrammingError), write_transaction(engine) as cursor:
        PUT.run(cursor, key="a")


def test_commit_is_visible_and_a_failure_rolls_back_whole(engine: Engine, db_path: Path) -> None:
    with write_transaction(engine) as cursor:
        PUT.run(cursor, key="kept", value="1")
    with pytest.raises(RuntimeError, match="midway"), write_transaction(engine) as cursor:
        PUT.run(cursor, key="lost", value="2")
        raise RuntimeError("midway")
    with raw(db_path) as conn:
        assert conn.execute("SELECT key FROM meta").fetchall() == [("kept",)]
    # Nothing was left open on the connection: the next transaction begins normally.
    with write_transaction(engine) as cursor:
        PUT.run(cursor, key="next", value="3")
    assert count(db_path, "meta") == 2


# -- the same through the store -------------------------------------------------------------


@pytest.mark.asyncio
async def test_failed_answer_leaves_no_part_behind(store: Store, db_path: Path) -> None:
    note = AuditNote("query", "queued", "NAM/KOWALSKA, ANNA")
    await store.enqueue("C1", "IPQ", b"req", note=note)
    await store.mark_sent("C1")
    # A fault at the last step (the audit append), after the outbox update and the cache put.
    with raw(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER no_audit BEFORE INSERT ON audit "
            "BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
        )
    answered = AuditNote("answer", "hit", "NAM/KOWALSKA, ANNA")
    with pytest.raises(sqlite3.IntegrityError, match="audit refused"):
        await store.mark_answered("C1", b"ans", cache_as=(IDENTITY, "IPR"), note=answered)
    entry = await store.outbox_entry("C1")
    assert entry is not None
    assert (entry.state, entry.answer) == (OutboxState.SENT, None)
    assert await store.cache_get(IDENTITY) is None
    assert await store.verify_audit() == 1

    # The chain goes on from the last committed record, not from the one rolled back.
    with raw(db_path) as conn:
        conn.execute("DROP TRIGGER no_audit")
    await store.mark_answered("C1", b"ans", cache_as=(IDENTITY, "IPR"), note=answered)
    assert [r.seq for r in await store.audit_records()] == [1, 2]
    assert await store.verify_audit() == 2


@pytest.mark.asyncio
async def test_refused_writes_audit_nothing(store: Store) -> None:
    note = AuditNote("query", "queued", "x")
    await store.enqueue("C1", "IPQ", b"req", note=note)
    with pytest.raises(OutboxStateError, match="already in the outbox"):
        await store.enqueue("C1", "IPQ", b"again", note=note)
    await store.mark_failed("C1", "link down", note=AuditNote("query", "failed", "x"))
    with pytest.raises(OutboxStateError, match="already failed, cannot mark it answered"):
        await store.mark_answered("C1", b"late", cache_as=(IDENTITY, "IPR"), note=note)
    entry = await store.outbox_entry("C1")
    assert entry is not None
    assert (entry.request, entry.detail, entry.answer) == (b"req", "link down", None)
    assert await store.cache_get(IDENTITY) is None
    assert [(r.event, r.outcome) for r in await store.audit_records()] == [
        ("query", "queued"),
        ("query", "failed"),
    ]


@pytest.mark.asyncio
async def test_two_stores_on_one_file_keep_one_chain(store: Store, db_path: Path) -> None:
    # Another writer on the file (here a second store, as another process would be): each
    # append reads the end of the trail inside its own locked transaction.
    other = await Store.open(db_path, "OP1", SECRET, **WHERE)
    try:
        assert await store.audit("logon", "success") == 1
        assert await other.audit("logon", "success") == 2
        assert await store.audit("query", "sent", "x") == 3
        await other.enqueue("C1", "IPQ", b"req", note=AuditNote("query", "queued", "y"))
        assert await store.verify_audit() == 4
        assert await other.verify_audit() == 4
    finally:
        await other.close()


_CHILD = """
import asyncio, os, signal, sys
from pathlib import Path
from console.storage import AuditNote, Store

async def main() -> None:
    store = await Store.create(Path(sys.argv[1]), "OP1", sys.argv[2], workstation="W", ori="O")
    await store.enqueue("C1", "IPQ", b"req", note=AuditNote("query", "queued", "x"))
    await store.mark_sent("C1")
    await store.mark_answered("C1", b"ans", cache_as=(b"id", "IPR"), note=AuditNote("a", "b"))
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint: only the WAL holds it

asyncio.run(main())
"""


@pytest.mark.asyncio
async def test_returned_writes_survive_a_killed_process(db_path: Path) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CHILD, str(db_path), SECRET, cwd=REPO
    )
    assert await child.wait() == -signal.SIGKILL
    opened = await Store.open(db_path, "OP1", SECRET, **WHERE)
    try:
        entry = await opened.outbox_entry("C1")
        assert entry is not None
        assert (entry.state, entry.request, entry.answer) == ("answered", b"req", b"ans")
        cached = await opened.cache_get(b"id")
        assert cached is not None
        assert cached.payload == b"ans"
        assert await opened.verify_audit() == 2
    finally:
        await opened.close()

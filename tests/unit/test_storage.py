"""Unit tests for the encrypted store: unlocking, outbox, cache and data at rest (real SQLite)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from console.storage import (
    CorruptData,
    OperatorExists,
    OutboxState,
    OutboxStateError,
    Store,
    StoreExists,
    StoreMissing,
    UnsupportedSchema,
    WrongSecret,
)
from console.storage.errors import LOGON_REFUSED
from console.storage.schema import SCHEMA_VERSION, StorageTable
from tests.helpers.storage import SECRET, WHERE, raw

NAME = "KOWALSKA, ANNA"
DOB = "19850317"
PERSON = f"NAM/{NAME}.DOB/{DOB}".encode()


@pytest.fixture
def junk_file(db_path: Path) -> Path:
    db_path.write_bytes(b"this is not SQLite" * 512)
    return db_path


@pytest.fixture
def empty_file(db_path: Path) -> Path:
    db_path.touch()
    return db_path


async def reopen(path: Path, operator: str = "OP1", secret: str = SECRET) -> Store:
    return await Store.open(path, operator, secret, **WHERE)


@pytest.mark.asyncio
async def test_create_open_round_trip(db_path: Path) -> None:
    created = await Store.create(db_path, "OP1", SECRET, **WHERE)
    assert (created.operator, created.workstation, created.ori) == (
        "OP1",
        "DISPATCH-07",
        "PLPOL0000",
    )
    assert created.path == db_path
    await created.enqueue("C0001", "IPQ", PERSON)
    await created.close()

    opened = await reopen(db_path)
    try:
        entry = await opened.outbox_entry("C0001")
        assert entry is not None
        assert entry.request == PERSON
    finally:
        await opened.close()


@pytest.mark.asyncio
async def test_create_refuses_existing_file(store: Store, db_path: Path) -> None:
    with pytest.raises(StoreExists):
        await Store.create(db_path, "OP2", SECRET, **WHERE)
    assert await store.pending() == []  # the existing database is untouched


@pytest.mark.asyncio
async def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        await reopen(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()


@pytest.mark.asyncio
async def test_wrong_password_and_unknown_operator_look_the_same(
    store: Store, db_path: Path
) -> None:
    with pytest.raises(WrongSecret) as wrong_password:
        await reopen(db_path, "OP1", "wrong")
    with pytest.raises(WrongSecret) as unknown_operator:
        await reopen(db_path, "NOBODY", SECRET)
    assert str(wrong_password.value) == str(unknown_operator.value)
    assert str(wrong_password.value) == LOGON_REFUSED


@pytest.mark.asyncio
async def test_second_operator_slot(store: Store, db_path: Path) -> None:
    await store.add_operator("OP2", "second secret")
    await store.enqueue("C0001", "IPQ", PERSON)
    with pytest.raises(OperatorExists):
        await store.add_operator("OP2", "another")
    await store.close()

    second = await reopen(db_path, "OP2", "second secret")
    try:
        assert second.operator == "OP2"
        assert [e.request for e in await second.pending()] == [PERSON]
    finally:
        await second.close()
    with pytest.raises(WrongSecret):
        await reopen(db_path, "OP2", SECRET)  # slots are per operator


@pytest.mark.asyncio
async def test_change_secret_rewraps_only_that_slot(store: Store, db_path: Path) -> None:
    await store.add_operator("OP2", "second secret")
    with raw(db_path) as conn:
        before = dict(conn.execute("SELECT operator_id, wrapped FROM key_slot").fetchall())
    with pytest.raises(WrongSecret):
        await store.change_secret("OP1", "not it", "new secret")
    with pytest.raises(WrongSecret):
        await store.change_secret("NOBODY", SECRET, "new secret")
    await store.change_secret("OP1", SECRET, "new secret")
    with raw(db_path) as conn:
        after = dict(conn.execute("SELECT operator_id, wrapped FROM key_slot").fetchall())
    assert after["OP2"] == before["OP2"]
    assert after["OP1"] != before["OP1"]
    await store.close()

    with pytest.raises(WrongSecret):
        await reopen(db_path, "OP1", SECRET)
    for operator, secret in (("OP1", "new secret"), ("OP2", "second secret")):
        opened = await reopen(db_path, operator, secret)
        await opened.close()


@pytest.mark.asyncio
async def test_outbox_transitions_and_order_survive_reopen(store: Store, db_path: Path) -> None:
    await store.enqueue("C1", "IPQ", b"req 1")
    await store.enqueue("C2", "IPQ", b"req 2", priority=1)
    await store.enqueue("C3", "IVQ", b"req 3", priority=3)
    await store.enqueue("C4", "IPQ", b"req 4", priority=1)
    await store.enqueue("C5", "IPQ", b"req 5")
    await store.enqueue("C6", "IPQ", b"req 6")
    await store.mark_sent("C1")
    await store.mark_sent("C3")
    await store.mark_answered("C3", b"answer 3")
    await store.mark_failed("C4", "link down after 3 retries")
    await store.mark_cancelled("C6")
    await store.close()

    opened = await reopen(db_path)
    try:
        pending = await opened.pending()
        assert [e.control for e in pending] == ["C2", "C1", "C5"]
        assert [e.state for e in pending] == [OutboxState.QUEUED, OutboxState.SENT, "queued"]
        assert [e.request for e in pending] == [b"req 2", b"req 1", b"req 5"]

        answered = await opened.outbox_entry("C3")
        assert answered is not None
        assert (answered.state, answered.answer, answered.key) == ("answered", b"answer 3", "IVQ")
        assert answered.updated_at >= answered.created_at
        assert answered.created_at.tzinfo is not None

        failed = await opened.outbox_entry("C4")
        assert failed is not None
        assert (failed.state, failed.detail, failed.answer) == (
            "failed",
            "link down after 3 retries",
            None,
        )
        assert await opened.outbox_entry("NOPE") is None
    finally:
        await opened.close()


@pytest.mark.asyncio
async def test_enqueue_is_committed_when_it_returns(store: Store, db_path: Path) -> None:
    await store.enqueue("C1", "IPQ", b"req")
    # Another connection sees it while the store is still open: nothing waits in a buffer.
    with raw(db_path) as conn:
        assert conn.execute("SELECT control, state FROM outbox").fetchall() == [("C1", "queued")]


@pytest.mark.asyncio
async def test_outbox_refuses_impossible_moves(store: Store) -> None:
    await store.enqueue("C1", "IPQ", b"req")
    with pytest.raises(OutboxStateError, match="already in the outbox"):
        await store.enqueue("C1", "IPQ", b"again")
    await store.mark_sent("C1")
    await store.mark_sent("C1")  # a resend after reconnecting
    await store.mark_answered("C1", b"ans")
    with pytest.raises(OutboxStateError, match="already answered"):
        await store.mark_failed("C1", "late")
    with pytest.raises(OutboxStateError, match="not in the outbox"):
        await store.mark_sent("C9")
    entry = await store.outbox_entry("C1")
    assert entry is not None
    assert (entry.state, entry.answer, entry.detail) == ("answered", b"ans", None)


@pytest.mark.asyncio
async def test_answer_may_arrive_for_a_request_still_queued(store: Store) -> None:
    # A kill between writing to the wire and mark_sent leaves it queued; the answer still counts.
    await store.enqueue("C1", "IPQ", b"req")
    await store.mark_answered("C1", b"ans")
    assert await store.pending() == []


@pytest.mark.asyncio
async def test_cache_put_get_upsert(store: Store, db_path: Path) -> None:
    identity = PERSON
    assert await store.cache_get(identity) is None
    await store.cache_put(identity, "IPQ", b"first answer")
    first = await store.cache_get(identity)
    assert first is not None
    assert (first.payload, first.key) == (b"first answer", "IPQ")
    await store.cache_put(identity, "IPR", b"second answer")
    second = await store.cache_get(identity)
    assert second is not None
    assert (second.payload, second.key) == (b"second answer", "IPR")
    assert second.stored_at >= first.stored_at
    assert await store.cache_get(identity + b"X") is None
    with raw(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM cache").fetchone() == (1,)


@pytest.mark.asyncio
async def test_value_moved_to_another_row_is_rejected(store: Store, db_path: Path) -> None:
    await store.enqueue("C1", "IPQ", b"one")
    await store.enqueue("C2", "IPQ", b"two")
    with raw(db_path) as conn:
        conn.execute("UPDATE outbox SET request = (SELECT request FROM outbox WHERE control='C1')")
    with pytest.raises(CorruptData):
        await store.outbox_entry("C2")
    entry = await store.outbox_entry("C1")
    assert entry is not None
    assert entry.request == b"one"


def _contents(path: Path, *suffixes: str) -> bytes:
    # Sync helpers keep blocking file access out of the async tests' own bodies.
    files = [Path(f"{path}{suffix}") for suffix in suffixes or ("", "-wal", "-shm")]
    return b"".join(file.read_bytes() for file in files if file.exists())


def _mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.asyncio
async def test_no_plaintext_at_rest(store: Store, db_path: Path) -> None:
    await store.enqueue("C1", "IPQ", PERSON)
    await store.mark_answered("C1", b"HIT " + PERSON)
    await store.cache_put(PERSON, "IPQ", b"HIT " + PERSON)
    await store.audit("query", "sent", PERSON.decode())
    assert _contents(db_path, "-wal")  # the data is (also) in the WAL: it is scanned too
    for needle in (NAME.encode(), DOB.encode(), NAME.encode("utf-16-le")):
        assert needle not in _contents(db_path)
    await store.close()
    for needle in (NAME.encode(), DOB.encode()):
        assert needle not in _contents(db_path)


@pytest.mark.asyncio
async def test_files_are_private_and_pragmas_set(db_path: Path) -> None:
    old_umask = os.umask(0)  # even a wide-open umask must not widen the files
    try:
        opened = await Store.create(db_path, "OP1", SECRET, **WHERE)
        await opened.enqueue("C1", "IPQ", b"req")
    finally:
        os.umask(old_umask)
    try:
        for suffix in ("", "-wal", "-shm"):
            mode = _mode(f"{db_path}{suffix}")
            assert mode == 0o600, f"{suffix or 'database'}: {mode:o}"
        with raw(db_path) as conn:
            assert conn.execute("PRAGMA page_size").fetchone() == (8192,)
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        await opened.close()


@pytest.mark.asyncio
async def test_open_tightens_loosened_mode(store: Store, db_path: Path) -> None:
    await store.close()
    os.chmod(db_path, 0o644)
    opened = await reopen(db_path)
    await opened.close()
    assert _mode(db_path) == 0o600


@pytest.mark.asyncio
async def test_not_a_database(junk_file: Path) -> None:
    with pytest.raises(CorruptData):
        await reopen(junk_file)


@pytest.mark.asyncio
async def test_empty_file_is_not_a_console_database(empty_file: Path) -> None:
    with pytest.raises(CorruptData, match="not a console database"):
        await reopen(empty_file)


@pytest.mark.asyncio
async def test_newer_schema_is_refused(store: Store, db_path: Path) -> None:
    await store.close()
    with raw(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(UnsupportedSchema, match="newer"):
        await reopen(db_path)


@pytest.mark.asyncio
async def test_closed_store_refuses_work(store: Store) -> None:
    await store.close()
    await store.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await store.pending()


@pytest.mark.asyncio
async def test_models_match_migrated_tables(store: Store, db_path: Path) -> None:
    # The migrations are frozen DDL; the SQLModel tables must describe the same columns.
    with raw(db_path) as conn:
        for name, table in StorageTable.metadata.tables.items():
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
            assert columns == [c.name for c in table.columns], name

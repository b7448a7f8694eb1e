"""Unit tests for rollback detection: a whole older copy of the database, the head row taken
from an older copy (with the tail cut to match), and a WAL cut after a kill all look sound from
inside the file; the witness beside it names each, at logon and in verify, and keeps naming it."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from console.storage import AuditRolledBack, Store
from console.storage.witness import path_for
from tests.helpers.storage import SECRET, WHERE, raw

ROLLED_BACK = r"the audit trail ends at 10; it reached 20 at \d{4}-\d\d-\d\dT"


def cut_wal(path: Path) -> int:
    """Empty the WAL as an intruder would after a kill; how many bytes it held."""
    wal = Path(f"{path}-wal")
    held = wal.stat().st_size
    wal.write_bytes(b"")  # SQLite now sees the database as it was before those commits
    return held


async def opens(path: Path) -> Store:
    return await Store.open(path, "OP1", SECRET, **WHERE)


async def grow(path: Path, count: int, *, create: bool = False) -> None:
    if create:
        store = await Store.create(path, "OP1", SECRET, **WHERE)
    else:
        store = await opens(path)
    try:
        for number in range(count):
            await store.audit("query", "queued", f"NAM/KOWALSKA, ANNA #{number}")
    finally:
        await store.close()


async def named_at_logon_and_by_verify(path: Path, pattern: str) -> None:
    store = await opens(path)
    try:
        assert store.rollback is not None  # the logon goes on: the console keeps working
        with pytest.raises(AuditRolledBack, match=pattern) as found:
            await store.verify_audit()
        assert str(found.value).startswith("ROLLBACK: ")
    finally:
        await store.close()


async def test_a_whole_older_copy_is_named(db_path: Path, tmp_path: Path) -> None:
    await grow(db_path, 10, create=True)
    shutil.copy(db_path, tmp_path / "older.db")  # closed: everything is in the main file
    await grow(db_path, 10)
    shutil.copy(tmp_path / "older.db", db_path)
    store = await opens(db_path)
    try:
        assert store.rollback is not None
        assert store.rollback.startswith("the audit trail ends at 10; it reached 20 at ")
        with pytest.raises(AuditRolledBack, match=ROLLED_BACK):
            await store.verify_audit()
    finally:
        await store.close()
    # it stays named once the trail grows past where it had been, and at every logon
    await grow(db_path, 15)
    store = await opens(db_path)
    try:
        with pytest.raises(AuditRolledBack, match=ROLLED_BACK + r".*found at the logon"):
            await store.verify_audit()
    finally:
        await store.close()


async def test_the_head_row_from_an_older_copy_is_named(db_path: Path, tmp_path: Path) -> None:
    await grow(db_path, 10, create=True)
    older = tmp_path / "older.db"
    shutil.copy(db_path, older)
    await grow(db_path, 10)
    with raw(db_path) as conn:  # the tail cut and the older head put in: the file agrees
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE seq > 10")
        conn.execute("ATTACH DATABASE ? AS older", (str(older),))
        conn.execute(
            "UPDATE meta SET value = (SELECT value FROM older.meta WHERE key = 'audit_head') "
            "WHERE key = 'audit_head'"
        )
    await named_at_logon_and_by_verify(db_path, ROLLED_BACK)


async def test_a_wal_cut_after_a_kill_is_named(db_path: Path) -> None:
    await grow(db_path, 5, create=True)
    appender = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.helpers.appender",
        str(db_path),
        "25",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
    )
    assert appender.stdout is not None
    assert await asyncio.wait_for(appender.stdout.readline(), 60) == b"ready\n"
    appender.kill()
    await appender.wait()
    assert cut_wal(db_path) > 0  # the 25 records were in the WAL, not yet checkpointed
    with raw(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM audit").fetchone() == (5,)
    await named_at_logon_and_by_verify(db_path, "the audit trail ends at 5; it reached 30 at ")


async def test_a_removed_witness_is_named(db_path: Path) -> None:
    await grow(db_path, 3, create=True)
    path_for(db_path).unlink()
    await named_at_logon_and_by_verify(db_path, "witness .* is missing")


async def test_a_sound_profile_has_no_rollback_and_an_owner_only_witness(db_path: Path) -> None:
    await grow(db_path, 3, create=True)
    await grow(db_path, 3)
    store = await opens(db_path)
    try:
        assert store.rollback is None
        assert await store.verify_audit() == 6
    finally:
        await store.close()
    assert path_for(db_path).stat().st_mode & 0o777 == 0o600

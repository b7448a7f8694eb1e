"""Unit tests for what the store keeps off the hot path and out of clear text: checkpoints on
the upkeep thread (never inside a commit), ER details and audit outcomes encrypted in every
profile file, a full disk's clear error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.storage import AuditNote, DiskFull, Store, keeper
from console.storage.database import storage_error
from tests.helpers.storage import SECRET, WHERE
from tests.helpers.waiting import wait_until

ER_TEXT = "FIELD ERROR .24. SER/ZX-448812-Q NOT A VALID SERIAL FOR KOWALSKA"
OUTCOMES = ("YR 2014/02477 confirmed", "IPR 1 candidates")


def size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def every_file(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file())


async def test_er_details_and_audit_outcomes_leave_no_plaintext(db_path: Path) -> None:
    store = await Store.create(db_path, "OP1", SECRET, **WHERE)
    try:
        await store.enqueue("C1", "IGQ", b"<q/>", note=AuditNote("query", "queued", "SER/x"))
        await store.mark_failed("C1", ER_TEXT, note=AuditNote("answer", "failed ER .24."))
        for outcome in OUTCOMES:
            await store.audit("answer", outcome, "")
        entry = await store.outbox_entry("C1")
        assert entry is not None and entry.detail == ER_TEXT  # read back in clear
        shown = [(r.event, r.outcome) for r in await store.audit_records()]
        assert [("answer", outcome) for outcome in OUTCOMES] == shown[-2:]
        await wait_until(
            lambda: b'"seq": 4' in (db_path.parent / "console.db.witness").read_bytes()
        )
        raw = every_file(db_path.parent)  # the database, its WAL, the witness, the reserve
        assert size(Path(f"{db_path}-wal")) > 0  # the WAL is scanned too
        for needle in (ER_TEXT, "ZX-448812-Q", "KOWALSKA", *OUTCOMES, "candidates", "confirmed"):
            assert needle.encode() not in raw, needle
        assert b"answer" in raw  # the event stays in clear, for the review's filters
    finally:
        await store.close()
    for needle in (ER_TEXT, *OUTCOMES):
        assert needle.encode() not in every_file(db_path.parent), needle


async def test_checkpoints_run_off_the_writers_connection(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keeper, "CHECKPOINT_BYTES", 64 * 1024)
    store = await Store.create(db_path, "OP1", SECRET, **WHERE)
    try:
        autocheckpoint = await store._worker.read(
            lambda c: c.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        )
        assert autocheckpoint == 0  # a commit never copies the WAL into the database
        before = size(db_path)
        for number in range(200):
            await store.cache_put(b"id%d" % number, "IPQ", bytes(2000))
        # the upkeep thread copied the WAL into the database file by itself
        await wait_until(lambda: size(db_path) > before + 200 * 2000)
    finally:
        await store.close()


def test_a_full_disk_is_an_expected_error_naming_the_file(tmp_path: Path) -> None:
    error = storage_error(
        tmp_path / "console.db", sqlite3.OperationalError("database or disk is full")
    )
    assert isinstance(error, DiskFull)
    assert str(error).startswith(f"the disk holding {tmp_path / 'console.db'} is full (")
    assert " free): nothing was half-written" in str(error)

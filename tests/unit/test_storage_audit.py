"""Unit tests for the MAC-chained audit trail: records chained and readable, the guards of the
file itself (append-only triggers, one writer at a time), and what only a file can hold."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import pytest_asyncio

from console.storage import AuditChainBroken, Store
from console.storage.audit import audit_time
from tests.helpers.storage import SECRET, WHERE

OBJECT = "NAM/KOWALSKA, ANNA.DOB/19850317"


@pytest_asyncio.fixture
async def trail(store: Store, db_path: Path) -> Path:
    """A closed database holding five audit records, ready for raw tampering."""
    await store.audit("logon", "success")
    for number in range(2, 5):
        await store.audit("query", "sent", f"{OBJECT} #{number}")
    await store.audit("audit-review", "success")
    await store.close()
    return db_path


def tamper(path: Path, *statements: str) -> None:
    # What someone with the file and the sqlite3 shell can do: drop the guards, then edit.
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        for statement in statements:
            conn.execute(statement)


async def verify(path: Path) -> int:
    opened = await Store.open(path, "OP1", SECRET, **WHERE)
    try:
        return await opened.verify_audit()
    finally:
        await opened.close()


@pytest.mark.asyncio
async def test_empty_trail_verifies(store: Store) -> None:
    assert await store.verify_audit() == 0
    assert await store.audit_records() == []


@pytest.mark.asyncio
async def test_records_are_chained_and_readable(store: Store, db_path: Path) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    assert await store.audit("logon", "success") == 1
    assert await store.audit("query", "sent", OBJECT) == 2
    assert await store.verify_audit() == 2

    first, second = await store.audit_records()
    assert (first.seq, first.event, first.outcome, first.obj) == (1, "logon", "success", "")
    assert (second.workstation, second.operator, second.ori) == ("DISPATCH-07", "OP1", "PLPOL0000")
    assert second.obj == OBJECT
    assert before <= first.at <= second.at <= datetime.now(UTC)
    assert second.at.microsecond % 10_000 == 0  # stored to 1/100 s

    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute("SELECT at, prev_mac, mac FROM audit ORDER BY seq").fetchall()
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ", at) for at, _, _ in rows)
    assert rows[0][1] == bytes(32)
    assert rows[1][1] == rows[0][2]


@pytest.mark.asyncio
async def test_chain_survives_reopen(trail: Path) -> None:
    opened = await Store.open(trail, "OP1", SECRET, **WHERE)
    try:
        assert await opened.audit("logoff", "success") == 6
        assert await opened.verify_audit() == 6
    finally:
        await opened.close()


def test_audit_time_is_utc_to_a_hundredth() -> None:
    moment = datetime(2025, 3, 17, 10, 41, 7, 259_999, tzinfo=UTC)
    assert audit_time(moment) == "2025-03-17T10:41:07.25Z"
    warsaw_winter = timezone(timedelta(hours=1))
    assert audit_time(moment.astimezone(warsaw_winter)) == "2025-03-17T10:41:07.25Z"


@pytest.mark.asyncio
async def test_the_trail_refuses_plain_edits(store: Store, db_path: Path) -> None:
    await store.audit("logon", "success")
    with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET outcome = 'failure'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit")
    assert await store.verify_audit() == 1


# What every backend's trail shows of a changed, deleted or reordered record is tested once
# for both in tests/integration/test_trail_backends.py; only the file's own forms are here.


@pytest.mark.asyncio
async def test_an_outcome_put_back_in_plain_text_is_named(trail: Path) -> None:
    # Plain text is how outcomes were stored before they were sealed (schema 7); a record
    # cannot pass from one form to the other, so unsealing one breaks its MAC.
    tamper(trail, "UPDATE audit SET outcome = 'failure' WHERE seq = 3")
    with pytest.raises(AuditChainBroken, match="contents changed") as broken:
        await verify(trail)
    assert broken.value.seq == 3
    assert str(broken.value) == "audit record 3: contents changed"


@pytest.mark.asyncio
async def test_concurrent_appends_are_serialized(store: Store) -> None:
    seqs = await asyncio.gather(*(store.audit("query", "sent", f"#{n}") for n in range(20)))
    assert sorted(seqs) == list(range(1, 21))
    assert await store.verify_audit() == 20

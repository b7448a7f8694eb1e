"""Unit tests for reading the store by period and state: cache retention, audit review periods,
the outbox listing (real SQLite files)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from console.storage import AuditRecord, OutboxState, Store

HOUR = timedelta(hours=1)


def set_stored_at(path: Path, ages: dict[str, str]) -> None:
    """Date cache rows by their key column (the test stores one row per key)."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for key, stored_at in ages.items():
            conn.execute("UPDATE cache SET stored_at = ? WHERE key = ?", (stored_at, key))


# -- cache retention ---------------------------------------------------------------------------


async def test_cache_purge_deletes_only_older_entries(store: Store, db_path: Path) -> None:
    for key in ("JAN", "FEB", "MAR"):
        await store.cache_put(f"IPQ|{key}".encode(), key, f"answer {key}".encode())
    set_stored_at(
        db_path,
        {
            "JAN": "2025-01-01T00:00:00.000000+00:00",
            "FEB": "2025-02-01T00:00:00.000000+00:00",
        },
    )
    # Strictly before: the entry stored exactly at the boundary stays. An aware time in another
    # zone means the same instant.
    boundary = datetime(2025, 2, 1, 1, 0, tzinfo=timezone(HOUR))
    assert await store.cache_purge(boundary) == 1
    assert await store.cache_get(b"IPQ|JAN") is None
    assert await store.cache_get(b"IPQ|FEB") is not None
    assert await store.cache_purge(boundary) == 0
    assert await store.cache_purge(datetime.now(UTC) - timedelta(days=30)) == 1
    kept = await store.cache_get(b"IPQ|MAR")
    assert kept is not None
    assert kept.payload == b"answer MAR"
    with pytest.raises(ValueError, match="time zone"):
        await store.cache_purge(datetime(2025, 1, 1))


# -- audit review periods ----------------------------------------------------------------------


def in_period(
    records: Sequence[AuditRecord], start: datetime | None, end: datetime | None
) -> list[int]:
    return [
        r.seq for r in records if (start is None or r.at >= start) and (end is None or r.at < end)
    ]


async def test_audit_records_by_period(store: Store) -> None:
    # Append until the records span three hundredths of a second (no sleeping: each append
    # takes real time), so the bounds below fall between records as well as on them.
    records: list[AuditRecord] = []
    for number in range(100_000):
        await store.audit("query", "sent", f"#{number}")
        if number % 20 == 0:
            records = await store.audit_records()
            if len({r.at for r in records}) >= 3:
                break
    times = sorted({r.at for r in records})
    middle = times[1]
    tick = timedelta(microseconds=1)
    warsaw = timezone(HOUR)
    periods: list[tuple[datetime | None, datetime | None]] = [
        (None, None),
        (middle, None),  # start is inclusive
        (None, middle),  # end is exclusive
        (middle + tick, None),  # stored to 1/100 s: just after a record's time excludes it
        (None, middle + tick),
        (middle - tick, middle + tick),
        (middle, middle),
        (times[-1], times[0]),
        (middle.astimezone(warsaw), None),
    ]
    for start, end in periods:
        found = [r.seq for r in await store.audit_records(start, end)]
        assert found == in_period(records, start, end), (start, end)
    assert [r.seq for r in await store.audit_records(middle, middle)] == []
    assert await store.audit_records(start=middle) == [r for r in records if r.at >= middle]
    with pytest.raises(ValueError, match="time zone"):
        await store.audit_records(datetime.now())


async def test_audit_count(store: Store) -> None:
    assert await store.audit_count() == 0
    for number in range(5):
        await store.audit("query", "sent", f"#{number}")
    assert await store.audit_count() == 5 == await store.verify_audit()


# -- outbox listing ----------------------------------------------------------------------------


async def test_outbox_entries_by_state_priority_and_age(store: Store) -> None:
    await store.enqueue("C1", "IPQ", b"req 1")
    await store.enqueue("C2", "IPQ", b"req 2", priority=1)
    await store.enqueue("C3", "IVQ", b"req 3", priority=3)
    await store.enqueue("C4", "IPQ", b"req 4", priority=1)
    await store.enqueue("C5", "FPQ", b"req 5", priority=0)
    await store.mark_sent("C1")
    await store.mark_answered("C3", b"answer 3")
    await store.mark_failed("C4", "link down")
    await store.mark_cancelled("C5")

    every = await store.outbox_entries()
    assert [e.control for e in every] == ["C5", "C2", "C4", "C1", "C3"]
    assert [e.state for e in every] == ["cancelled", "queued", "failed", "sent", "answered"]
    assert every[4].answer == b"answer 3"

    final = {OutboxState.ANSWERED, OutboxState.FAILED, OutboxState.CANCELLED}
    assert [e.control for e in await store.outbox_entries(final)] == ["C5", "C4", "C3"]
    assert [e.control for e in await store.outbox_entries([OutboxState.SENT])] == ["C1"]
    assert await store.outbox_entries(()) == []
    open_states = [OutboxState.QUEUED, OutboxState.SENT]
    assert await store.outbox_entries(open_states) == await store.pending()

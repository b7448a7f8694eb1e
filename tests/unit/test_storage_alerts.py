"""Unit tests for the alert tray's store and the watch list (real SQLite files)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.storage import (
    AlertStateError,
    AuditNote,
    CorruptData,
    Store,
    WatchExists,
    WatchMissing,
)
from tests.helpers.storage import SECRET, WHERE, raw

IDENTITY = b"IPQ|NAM/KOWALSKA, ANNA|DOB/19850317"
REQUEST = b"<n2:NLETS>IPQ NAM/KOWALSKA, ANNA.DOB/19850317</n2:NLETS>"


# -- alerts ------------------------------------------------------------------------------------


async def test_alerts_listed_by_priority_then_age(store: Store) -> None:
    before = datetime.now(UTC)
    first = await store.add_alert("AM", 3, b"admin message")
    second = await store.add_alert("YR", 0, b"hit confirmation")
    third = await store.add_alert("SM", 3, b"gateway out of service")
    fourth = await store.add_alert("WATCH", 1, b"record changed")
    assert first < second < third < fourth

    listed = await store.alerts()
    assert [a.id for a in listed] == [second, fourth, first, third]
    assert [(a.kind, a.priority, a.payload) for a in listed][:2] == [
        ("YR", 0, b"hit confirmation"),
        ("WATCH", 1, b"record changed"),
    ]
    for alert in listed:
        assert before <= alert.created_at <= datetime.now(UTC)
        assert (alert.acknowledged_at, alert.acknowledged_by) == (None, None)


async def test_acknowledge_records_operator_time_and_audit(store: Store) -> None:
    kept = await store.add_alert("AM", 2, b"kept open")
    done = await store.add_alert(
        "YR", 0, b"hit", note=AuditNote("alert", "raised YR", "NAM/KOWALSKA")
    )
    before = datetime.now(UTC)
    await store.acknowledge_alert(done, note=AuditNote("alert", "acknowledged", str(done)))

    assert [a.id for a in await store.alerts()] == [kept]
    every = await store.alerts(include_acknowledged=True)
    assert [a.id for a in every] == [done, kept]
    acknowledged = every[0]
    assert acknowledged.acknowledged_by == "OP1"
    assert acknowledged.acknowledged_at is not None
    assert before <= acknowledged.acknowledged_at <= datetime.now(UTC)
    assert acknowledged.payload == b"hit"
    events = [(r.event, r.outcome, r.obj) for r in await store.audit_records()]
    assert events == [
        ("alert", "raised YR", "NAM/KOWALSKA"),
        ("alert", "acknowledged", str(done)),
    ]


async def test_acknowledging_twice_or_unknown_fails_without_audit(store: Store) -> None:
    alert = await store.add_alert("SM", 1, b"status")
    note = AuditNote("alert", "acknowledged", str(alert))
    await store.acknowledge_alert(alert, note=note)
    assert await store.audit_count() == 1

    with pytest.raises(AlertStateError, match="already acknowledged by OP1") as twice:
        await store.acknowledge_alert(alert, note=note)
    assert twice.value.alert_id == alert
    with pytest.raises(AlertStateError, match="does not exist"):
        await store.acknowledge_alert(alert + 100, note=note)
    assert await store.audit_count() == 1
    assert await store.verify_audit() == 1


async def test_alerts_survive_reopen(store: Store, db_path: Path) -> None:
    alert = await store.add_alert("ER", 2, b"malformed frame")
    await store.close()
    opened = await Store.open(db_path, "OP1", SECRET, **WHERE)
    try:
        (entry,) = await opened.alerts()
        assert (entry.id, entry.kind, entry.payload) == (alert, "ER", b"malformed frame")
    finally:
        await opened.close()


async def test_alert_payload_is_bound_to_its_row(store: Store, db_path: Path) -> None:
    await store.add_alert("AM", 1, b"one")
    await store.add_alert("AM", 1, b"two")
    with raw(db_path) as conn:
        conn.execute("UPDATE alert SET payload = (SELECT payload FROM alert WHERE id = 1)")
    with pytest.raises(CorruptData):
        await store.alerts()


# -- watch list --------------------------------------------------------------------------------


async def test_watch_add_lists_entry_due_now(store: Store) -> None:
    before = datetime.now(UTC)
    watch_id = await store.watch_add(
        IDENTITY, "IPQ", REQUEST, 900, note=AuditNote("watch", "added", "NAM/KOWALSKA")
    )
    after = datetime.now(UTC)
    (entry,) = await store.watch_entries()
    assert (entry.id, entry.key, entry.request, entry.interval_s) == (
        watch_id,
        "IPQ",
        REQUEST,
        900,
    )
    assert (entry.last_digest, entry.operator) == (None, "OP1")
    assert before <= entry.created_at == entry.next_due <= after
    assert [e.id for e in await store.watch_due(after)] == [watch_id]
    assert [(r.event, r.outcome) for r in await store.audit_records()] == [("watch", "added")]


async def test_duplicate_watch_is_refused_without_audit(store: Store) -> None:
    watch_id = await store.watch_add(IDENTITY, "IPQ", REQUEST, 900)
    with pytest.raises(WatchExists) as refused:
        await store.watch_add(
            IDENTITY, "IPQ", b"other", 60, note=AuditNote("watch", "added", "again")
        )
    assert refused.value.watch_id == watch_id
    assert "KOWALSKA" not in str(refused.value)  # the message names the entry, not the subject
    assert len(await store.watch_entries()) == 1
    assert await store.audit_count() == 0


async def test_due_and_checked(store: Store) -> None:
    first = await store.watch_add(IDENTITY, "IPQ", REQUEST, 600)
    second = await store.watch_add(b"IPQ|NAM/NOWAK, JAN", "IPQ", b"req 2", 600)
    now = datetime.now(UTC)
    assert [e.id for e in await store.watch_due(now)] == [first, second]

    later = now + timedelta(minutes=10)
    assert await store.watch_checked(first, b"digest one", later) is None
    assert [e.id for e in await store.watch_due(now)] == [second]
    # Longest overdue first: second is now due earlier than first.
    assert [e.id for e in await store.watch_due(later)] == [second, first]
    assert await store.watch_checked(first, b"digest two", later) == b"digest one"
    assert await store.watch_checked(first, b"digest three", later) == b"digest two"

    entry = next(e for e in await store.watch_entries() if e.id == first)
    assert (entry.last_digest, entry.next_due) == (b"digest three", later)
    with pytest.raises(ValueError, match="time zone"):
        await store.watch_due(datetime.now())  # naive: refused, not guessed


async def test_watch_remove(store: Store) -> None:
    watch_id = await store.watch_add(IDENTITY, "IPQ", REQUEST, 600)
    note = AuditNote("watch", "removed", str(watch_id))
    await store.watch_remove(watch_id, note=note)
    assert await store.watch_entries() == []
    with pytest.raises(WatchMissing):
        await store.watch_remove(watch_id, note=note)
    with pytest.raises(WatchMissing):
        await store.watch_checked(watch_id, b"late answer", datetime.now(UTC))
    assert [(r.event, r.outcome) for r in await store.audit_records()] == [("watch", "removed")]
    # Watched again, it gets a new id: a late check for the old entry cannot land on it.
    assert await store.watch_add(IDENTITY, "IPQ", REQUEST, 600) > watch_id


async def test_watch_lookup_is_keyed_and_apart_from_the_cache(store: Store, db_path: Path) -> None:
    await store.watch_add(IDENTITY, "IPQ", REQUEST, 600)
    await store.cache_put(IDENTITY, "IPQ", b"answer")
    with raw(db_path) as conn:
        (watch_lookup,) = conn.execute("SELECT lookup FROM watch").fetchone()
        (cache_lookup,) = conn.execute("SELECT lookup FROM cache").fetchone()
    assert len(watch_lookup) == 32
    assert watch_lookup != cache_lookup


# -- content digest ----------------------------------------------------------------------------


async def test_digest_is_keyed_per_database_and_stable(store: Store, tmp_path: Path) -> None:
    answer = b"<n2:NLETS>RECORD KOWALSKA, ANNA</n2:NLETS>"
    first = store.digest(answer)
    assert store.digest(answer) == first
    assert store.digest(answer + b" ") != first
    assert len(first) == 32

    other = await Store.create(tmp_path / "other.db", "OP1", SECRET, **WHERE)
    try:
        assert other.digest(answer) != first
    finally:
        await other.close()

    # The same database after a restart gives the same digest: changes are still noticed.
    await store.close()
    reopened = await Store.open(store.path, "OP1", SECRET, **WHERE)
    try:
        assert reopened.digest(answer) == first
    finally:
        await reopened.close()

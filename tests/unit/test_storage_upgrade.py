"""Unit tests for schema upgrades: a version-1 file upgrades in place, whole or not at all, a
version-2 trail gets a sealed head and keeps verifying, and the version-2 tables keep criminal
justice information out of the file's plain bytes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from console.storage import (
    AuditChainBroken,
    AuditNote,
    OutboxState,
    Store,
    WrongSecret,
    cache,
    outbox,
)
from console.storage import audit as audit_trail
from console.storage.crypto import FieldCipher
from console.storage.database import create_file, open_engine
from console.storage.keyslots import new_data_key, wrap_key
from console.storage.prepared import write_transaction
from console.storage.schema import MIGRATIONS, SCHEMA_VERSION, MetaRow, iso_now
from console.storage.unlock import slot_row
from tests.helpers.storage import SECRET, WHERE, raw

NAME = "KOWALSKA, ANNA"
DOB = "19850317"
EID = "2019/48213"
PERSON = f"NAM/{NAME}.DOB/{DOB}"
HEAD = "SELECT value FROM meta WHERE key = 'audit_head'"
# Versions 1 and 2 kept the trail's head unsealed, as ``seq:mac``.
LEGACY_HEAD = (
    "UPDATE meta SET value = (SELECT seq || ':' || lower(hex(mac)) FROM audit "
    "ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head'"
)


def user_version(path: Path) -> int:
    with raw(path) as conn:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
    assert isinstance(version, int)
    return version


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    with raw(path) as conn:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    return [(kind, name, sql) for kind, name, sql in rows]


def make_old(path: Path, version: int, *, extra_ddl: str = "") -> None:
    """A database as the console of schema ``version`` (1 or 2) left it: its migrations only, one
    key slot, and an outbox entry, a cache entry and two audit records written by that version's
    write path (the records as they are today, the head in its old unsealed form)."""
    create_file(path)
    engine = open_engine(path)
    try:
        data_key = new_data_key()
        cipher = FieldCipher(data_key)
        with Session(engine) as session, session.begin():
            conn = session.connection()
            for step in MIGRATIONS[:version]:
                step(conn, cipher)
            conn.exec_driver_sql(f"PRAGMA user_version = {version}")
            if extra_ddl:
                conn.exec_driver_sql(extra_ddl)
            now = iso_now()
            session.add(MetaRow(key="created_at", value=now))
            session.add(slot_row(wrap_key(data_key, "OP1", SECRET), now))
        with write_transaction(engine) as cursor:
            outbox.enqueue(cursor, cipher, "C1", "IPQ", PERSON.encode(), 2)
            outbox.move(cursor, cipher, "C1", OutboxState.ANSWERED, answer=b"HIT " + EID.encode())
            cache.put(cursor, cipher, PERSON.encode(), "IPQ", b"HIT " + EID.encode())
            for event in ("logon", "query"):
                audit_trail.append(
                    cursor, cipher, operator="OP1", event=event, outcome="ok", obj=PERSON, **WHERE
                )
            cursor.execute(LEGACY_HEAD)
    finally:
        engine.dispose()


def stored_head(path: Path) -> str:
    with raw(path) as conn:
        (value,) = conn.execute(HEAD).fetchone()
    assert isinstance(value, str)
    return value


@pytest.fixture
def version_1(tmp_path: Path) -> Path:
    path = tmp_path / "v1.db"
    make_old(path, 1)
    return path


@pytest.fixture
def version_2(tmp_path: Path) -> Path:
    path = tmp_path / "v2.db"
    make_old(path, 2)
    return path


async def test_version_1_upgrades_in_place(version_1: Path, tmp_path: Path) -> None:
    assert user_version(version_1) == 1
    store = await Store.open(version_1, "OP1", SECRET, **WHERE)
    try:
        assert user_version(version_1) == SCHEMA_VERSION == 7
        entry = await store.outbox_entry("C1")
        assert entry is not None
        assert (entry.request, entry.answer) == (PERSON.encode(), b"HIT " + EID.encode())
        cached = await store.cache_get(PERSON.encode())
        assert cached is not None
        assert cached.payload == b"HIT " + EID.encode()
        records = await store.audit_records()
        assert [r.obj for r in records[:2]] == [PERSON, PERSON]
        # the upgrade itself is audited, by whoever unlocked the file for it
        assert [(r.event, r.outcome, r.operator) for r in records[2:]] == [
            ("schema", f"upgraded from version {n} to {n + 1}", "OP1") for n in range(1, 7)
        ]
        assert await store.verify_audit() == 8

        # The new tables work, and the chain goes on from the version-1 records.
        await store.add_alert("AM", 1, b"admin", note=AuditNote("alert", "raised AM"))
        await store.watch_add(PERSON.encode(), "IPQ", b"req", 600)
        assert await store.verify_audit() == 9
    finally:
        await store.close()

    fresh = await Store.create(tmp_path / "fresh.db", "OP1", SECRET, **WHERE)
    await fresh.close()
    assert schema_of(version_1) == schema_of(tmp_path / "fresh.db")


async def test_failed_upgrade_leaves_version_1_untouched(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    # A table in the way of the version-2 step makes it fail halfway through.
    make_old(path, 1, extra_ddl="CREATE TABLE watch (x)")
    with pytest.raises(OperationalError, match="already exists"):
        await Store.open(path, "OP1", SECRET, **WHERE)
    assert user_version(path) == 1
    assert "alert" not in {name for _, name, _ in schema_of(path)}


async def test_version_2_trail_gets_a_sealed_head(version_2: Path) -> None:
    old_head = stored_head(version_2)
    assert old_head.count(":") == 1
    store = await Store.open(version_2, "OP1", SECRET, **WHERE)
    try:
        assert user_version(version_2) == SCHEMA_VERSION
        seq, broken, _, seal = stored_head(version_2).split(":")
        assert seq == "7"  # the five migrations' records follow the two under the old head
        assert (broken, len(bytes.fromhex(seal))) == ("0", 32)
        assert await store.verify_audit() == 7
        assert await store.audit("logon", "success") == 8
        assert await store.verify_audit() == 8
    finally:
        await store.close()


async def test_tail_cut_before_the_upgrade_stays_visible(version_2: Path) -> None:
    # The upgrade seals what the old head says, not where the trail now ends.
    with raw(version_2) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE seq = 2")
    store = await Store.open(version_2, "OP1", SECRET, **WHERE)
    try:
        with pytest.raises(AuditChainBroken, match="missing") as broken:
            await store.verify_audit()
        assert broken.value.seq == 2
        await store.audit("logon", "success")
        with pytest.raises(AuditChainBroken, match="cut short") as broken:
            await store.verify_audit()
        assert broken.value.seq == 2
    finally:
        await store.close()


async def test_wrong_secret_leaves_the_file_as_it_was(version_2: Path) -> None:
    # The upgrade needs the data key, so it waits for an operator who can unlock it.
    old_head = stored_head(version_2)
    with pytest.raises(WrongSecret):
        await Store.open(version_2, "OP1", "wrong secret", **WHERE)
    assert (user_version(version_2), stored_head(version_2)) == (2, old_head)


def file_bytes(path: Path, *suffixes: str) -> bytes:
    # Sync helpers keep blocking file access out of the async tests' own bodies.
    files = [Path(f"{path}{suffix}") for suffix in suffixes or ("", "-wal")]
    return b"".join(file.read_bytes() for file in files if file.exists())


async def test_alerts_and_watch_list_leave_no_plaintext(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    store = await Store.create(path, "OP1", SECRET, **WHERE)
    try:
        message = f"YR HIT CONFIRMED {PERSON} EID/{EID}".encode()
        await store.add_alert("YR", 0, message, note=AuditNote("alert", "raised YR", PERSON))
        watch_id = await store.watch_add(
            f"IPQ|{PERSON}".encode(),
            "IPQ",
            f"<query>{PERSON} EID/{EID}</query>".encode(),
            600,
            note=AuditNote("watch", "added", f"{PERSON} {EID}"),
        )
        (entry,) = await store.watch_entries()
        next_due = entry.next_due + timedelta(minutes=10)
        await store.watch_checked(watch_id, store.digest(message), next_due)
        alert_id = (await store.alerts())[0].id
        await store.acknowledge_alert(alert_id, note=AuditNote("alert", "acknowledged", EID))
        contents = file_bytes(path)
        assert file_bytes(path, "-wal")  # the data is (also) in the WAL: it is scanned too
        for needle in (NAME, DOB, EID, "KOWALSKA"):
            assert needle.encode() not in contents, needle
            assert needle.encode("utf-16-le") not in contents, needle
    finally:
        await store.close()
    for needle in (NAME, DOB, EID):
        assert needle.encode() not in file_bytes(path), needle

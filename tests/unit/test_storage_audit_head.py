"""Unit tests for the sealed head of the audit trail: a cut tail shows, even when whoever cut it
rewrote the head without the key, and the next append does not hide it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_asyncio

from console.storage import AuditChainBroken, Store
from tests.helpers.storage import SECRET, WHERE, raw

HEAD = "SELECT value FROM meta WHERE key = 'audit_head'"
Cut = Callable[[Path], None]


@pytest_asyncio.fixture
async def trail(store: Store, db_path: Path) -> Path:
    """A closed database holding five audit records, ready for raw tampering."""
    for number in range(1, 6):
        await store.audit("query", "sent", f"NAM/KOWALSKA, ANNA #{number}")
    await store.close()
    return db_path


def tamper(path: Path, *statements: str) -> None:
    # What someone with the file and the sqlite3 shell can do: drop the guards, then edit.
    with raw(path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        for statement in statements:
            conn.execute(statement)


def stored_head(path: Path) -> str:
    with raw(path) as conn:
        (value,) = conn.execute(HEAD).fetchone()
    assert isinstance(value, str)
    return value


def set_head(path: Path, value: str) -> None:
    with raw(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (value,))


def mac_of(path: Path, seq: int) -> str:
    with raw(path) as conn:
        (mac,) = conn.execute("SELECT mac FROM audit WHERE seq = ?", (seq,)).fetchone()
    assert isinstance(mac, bytes)
    return mac.hex()


def cut_and_forge(path: Path, seal: str) -> None:
    """Delete records 4 and 5 and point the head at record 3, as one without the key can: its
    seq and MAC copied in, the seal kept, zeroed, or taken from record 3's MAC."""
    old_seal = stored_head(path).rsplit(":", 1)[1]
    tamper(path, "DELETE FROM audit WHERE seq > 3")
    seals = {"kept": old_seal, "zeroed": "00" * 32, "record mac": mac_of(path, 3)}
    set_head(path, f"3:0:{mac_of(path, 3)}:{seals[seal]}")


async def verify(path: Path) -> int:
    opened = await Store.open(path, "OP1", SECRET, **WHERE)
    try:
        return await opened.verify_audit()
    finally:
        await opened.close()


async def log_on(path: Path) -> None:
    # What the console does at every logon, before it checks the trail.
    opened = await Store.open(path, "OP1", SECRET, **WHERE)
    try:
        await opened.audit("logon", "success")
    finally:
        await opened.close()


@pytest.mark.asyncio
async def test_untouched_trail_verifies(trail: Path) -> None:
    assert await verify(trail) == 5
    seq, broken, mac, seal = stored_head(trail).split(":")
    assert (seq, broken, mac) == ("5", "0", mac_of(trail, 5))
    assert len(bytes.fromhex(seal)) == 32


@pytest.mark.asyncio
async def test_empty_trail_has_a_sealed_head(store: Store, db_path: Path) -> None:
    assert await store.verify_audit() == 0
    assert stored_head(db_path).startswith(f"0:0:{'00' * 32}:")


@pytest.mark.parametrize("seal", ["kept", "zeroed", "record mac"])
@pytest.mark.asyncio
async def test_cut_tail_with_rewritten_head_is_named(trail: Path, seal: str) -> None:
    cut_and_forge(trail, seal)
    # The logon finds the trail shorter than its witness saw and records it: that append
    # marks the place where the forged head stopped matching, which verify then names.
    with pytest.raises(AuditChainBroken, match="recorded end altered here") as broken:
        await verify(trail)
    assert broken.value.seq == 4
    assert str(broken.value).startswith("audit record 4: ")


@pytest.mark.asyncio
async def test_cut_tail_under_an_untouched_head_is_named(trail: Path) -> None:
    tamper(trail, "DELETE FROM audit WHERE seq = 5")
    with pytest.raises(AuditChainBroken, match="cut short") as broken:
        await verify(trail)
    assert broken.value.seq == 5


@pytest.mark.parametrize(
    ("cut", "seq"),
    [
        (lambda path: tamper(path, "DELETE FROM audit WHERE seq = 5"), 5),
        (lambda path: cut_and_forge(path, "kept"), 4),
    ],
    ids=["head-untouched", "head-rewritten"],
)
@pytest.mark.asyncio
async def test_cut_tail_stays_visible_after_later_appends(trail: Path, cut: Cut, seq: int) -> None:
    cut(trail)
    await log_on(trail)  # takes the place of a removed record
    await log_on(trail)
    with pytest.raises(AuditChainBroken, match="cut short or its recorded end altered") as broken:
        await verify(trail)
    assert broken.value.seq == seq


@pytest.mark.asyncio
async def test_removed_head_is_named(trail: Path) -> None:
    tamper(trail, "DELETE FROM meta WHERE key = 'audit_head'")
    with pytest.raises(AuditChainBroken, match="altered or removed") as broken:
        await verify(trail)
    assert broken.value.seq == 6


@pytest.mark.asyncio
async def test_older_head_put_back_is_named(store: Store, db_path: Path) -> None:
    for event in ("logon", "query", "query"):
        await store.audit(event, "success")
    older = stored_head(db_path)
    await store.audit("query", "success")
    await store.close()
    set_head(db_path, older)
    with pytest.raises(AuditChainBroken, match="past the recorded end") as broken:
        await verify(db_path)
    assert broken.value.seq == 4


@pytest.mark.asyncio
async def test_mark_names_the_first_bad_record(trail: Path) -> None:
    # The cut at 5 is marked by the next append; a later edit of record 6 does not hide it,
    # and an earlier edit of record 2 is named before it.
    tamper(trail, "DELETE FROM audit WHERE seq = 5")
    await log_on(trail)
    await log_on(trail)
    with raw(trail) as conn:  # the guards are gone already
        conn.execute("UPDATE audit SET outcome = 'failure' WHERE seq = 6")
    with pytest.raises(AuditChainBroken, match="cut short") as broken:
        await verify(trail)
    assert broken.value.seq == 5
    with raw(trail) as conn:
        conn.execute("UPDATE audit SET outcome = 'failure' WHERE seq = 2")
    with pytest.raises(AuditChainBroken, match="contents changed") as broken:
        await verify(trail)
    assert broken.value.seq == 2

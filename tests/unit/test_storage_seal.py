"""Unit tests for the profile seal: a file set back to an older schema version, or whose
accounts were edited with the sqlite3 shell, refuses to open and says why; a newer file refuses
clearly; the console's own account changes keep the seal in step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from console.domain.access import Role
from console.storage import Store, UnsupportedSchema, keyslots
from console.storage.errors import ProfileAltered
from console.storage.keyslots import KdfParams
from console.storage.schema import SCHEMA_VERSION
from console.storage.witness import path_for
from tests.helpers.kdf import CHEAP_KDF
from tests.helpers.storage import SECRET, WHERE, raw
from tests.unit.test_storage_upgrade import make_old

OTHER = "another long passphrase"
LEGACY_HEAD = "UPDATE meta SET value = ? WHERE key = 'audit_head'"


async def office(path: Path) -> None:
    """A closed profile: supervisor OP1, operator OP2, and twelve more audit records."""
    store = await Store.create(path, "OP1", SECRET, **WHERE)
    try:
        await store.add_operator("OP2", OTHER, Role.OPERATOR)
        for number in range(12):
            await store.audit("query", "queued", f"NAM/KOWALSKA, ANNA #{number}")
    finally:
        await store.close()


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


async def opens(path: Path, operator: str = "OP1", secret: str = SECRET) -> Store:
    return await Store.open(path, operator, secret, **WHERE)


def downgrade(path: Path, keep: int) -> None:
    """The attack as an intruder with the file (no password, no key) makes it: drop the audit
    triggers, cut the audit tail, drop the account tables, copy an older record's MAC into
    meta.audit_head in the unsealed form of versions 1 and 2, and set user_version to 2."""
    with raw(path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE seq > ?", (keep,))
        conn.execute("DROP TABLE account")
        conn.execute("DROP TABLE logon_attempt")
        (mac,) = conn.execute("SELECT mac FROM audit WHERE seq = ?", (keep,)).fetchone()
        conn.execute(LEGACY_HEAD, (f"{keep}:{mac.hex()}",))
        conn.execute("PRAGMA user_version = 2")


async def test_the_downgrade_attack_is_refused_and_named(db_path: Path) -> None:
    await office(db_path)
    downgrade(db_path, keep=4)
    with pytest.raises(ProfileAltered) as refused:
        await opens(db_path, "OP2", OTHER)  # the operator who hoped to become a supervisor
    message = str(refused.value)
    assert "altered outside the console and will not open" in message
    assert "schema version is 2 in the file but 7 in its seal" in message
    assert "operator OP2's account was removed" in message
    with raw(db_path) as conn:  # nothing was "upgraded": the file is as the intruder left it
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)
        assert conn.execute("SELECT COUNT(*) FROM audit").fetchone() == (4,)


async def test_the_downgrade_with_its_seal_removed_is_refused_too(db_path: Path) -> None:
    await office(db_path)
    downgrade(db_path, keep=4)
    with raw(db_path) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'profile_seal'")
    with pytest.raises(ProfileAltered, match="left its audit witness"):
        await opens(db_path)


async def test_upgraded_profile_downgraded_without_seal_or_witness_is_refused(
    tmp_path: Path,
) -> None:
    # A profile this console upgraded has the upgrade in its (MAC-chained) trail.
    path = tmp_path / "v2.db"
    make_old(path, 2)
    await (await opens(path)).close()
    with raw(path) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'profile_seal'")
        conn.execute("PRAGMA user_version = 2")
    path_for(path).unlink()
    with pytest.raises(ProfileAltered, match="records upgrades made with one"):
        await opens(path)


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        ("UPDATE account SET role = 'supervisor' WHERE operator_id = 'OP2'", "OP2: role changed"),
        ("UPDATE account SET state = 'disabled' WHERE operator_id = 'OP2'", "OP2: state changed"),
        ("UPDATE account SET totp = x'00' WHERE operator_id = 'OP2'", "OP2: one-time codes"),
        ("DELETE FROM account WHERE operator_id = 'OP2'", "OP2's account was removed"),
        ("DELETE FROM key_slot WHERE operator_id = 'OP2'", "OP2: password changed"),
        ("UPDATE key_slot SET salt = x'00' WHERE operator_id = 'OP2'", "OP2: password changed"),
        (
            "UPDATE meta SET value = replace(value, '\"operator\"', '\"supervisor\"') "
            "WHERE key = 'profile_seal'",
            "seal .* altered",
        ),
        ("PRAGMA user_version = 5", "schema version is 5"),
    ],
)
async def test_an_edited_account_or_version_is_named(db_path: Path, edit: str, named: str) -> None:
    await office(db_path)
    with raw(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(edit)
    with pytest.raises(ProfileAltered, match=named):
        await opens(db_path)


async def test_a_sealed_lock_cannot_be_edited_away(db_path: Path) -> None:
    await office(db_path)
    with raw(db_path) as conn:  # as five failures leave it; the next logon seals it
        conn.execute(
            "UPDATE account SET locked_at = '2026-12-01T08:00:00.000000+00:00' "
            "WHERE operator_id = 'OP2'"
        )
    store = await opens(db_path)  # a lock the seal has not seen yet is fine, and sealed now
    await store.close()
    with raw(db_path) as conn:
        conn.execute("UPDATE account SET locked_at = NULL WHERE operator_id = 'OP2'")
    with pytest.raises(ProfileAltered, match="OP2: lock removed outside the console"):
        await opens(db_path)


async def test_accounts_put_back_from_an_older_copy_are_named(
    db_path: Path, tmp_path: Path
) -> None:
    await office(db_path)
    older = tmp_path / "older.db"
    shutil.copy(db_path, older)  # closed: the whole database is in the main file
    store = await opens(db_path)
    await store.accounts.set_active("OP2", active=False)  # a supervisor disables OP2
    await store.close()
    with raw(db_path) as conn:  # OP2 (or a friend) copies the older account rows and seal in
        conn.execute("ATTACH DATABASE ? AS older", (str(older),))
        conn.execute("DELETE FROM account")
        conn.execute("INSERT INTO account SELECT * FROM older.account")
        conn.execute(
            "UPDATE meta SET value = (SELECT value FROM older.meta WHERE key = 'profile_seal') "
            "WHERE key = 'profile_seal'"
        )
    with pytest.raises(ProfileAltered, match="seal is older than audit record"):
        await opens(db_path, "OP2", OTHER)


async def test_the_consoles_own_account_changes_keep_the_seal(db_path: Path) -> None:
    await office(db_path)
    store = await opens(db_path)
    try:
        await store.accounts.set_role("OP2", Role.SUPERVISOR)
        await store.accounts.set_active("OP2", active=False)
        await store.accounts.set_active("OP2", active=True)
        await store.accounts.reset("OP2", "a fresh long passphrase")
        await store.add_operator("OP3", OTHER)
    finally:
        await store.close()
    again = await opens(db_path, "OP2", "a fresh long passphrase")
    assert again.role is Role.SUPERVISOR
    await again.close()


async def test_a_newer_file_refuses_clearly(db_path: Path) -> None:
    await office(db_path)
    with raw(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(UnsupportedSchema, match="newer than this program knows"):
        await opens(db_path)


async def test_a_refused_file_is_not_touched(db_path: Path) -> None:
    await office(db_path)
    downgrade(db_path, keep=4)
    before = file_bytes(db_path)
    for _ in range(2):
        with pytest.raises(ProfileAltered):
            await opens(db_path)
    assert file_bytes(db_path) == before


async def test_a_disabled_operator_cannot_enable_themselves(db_path: Path) -> None:
    await office(db_path)
    store = await opens(db_path)
    await store.accounts.set_active("OP2", active=False)
    await store.close()
    with raw(db_path) as conn:
        conn.execute("UPDATE account SET state = 'active' WHERE operator_id = 'OP2'")
    with pytest.raises(ProfileAltered, match="OP2: state changed"):
        await opens(db_path, "OP2", OTHER)


async def test_a_slot_made_at_an_older_cost_is_rewrapped_at_todays(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await office(db_path)  # at the suite's cheap cost, as an older console's default was
    stronger = KdfParams(memory_cost=9 * 1024, iterations=1, lanes=1)
    monkeypatch.setattr(keyslots, "DEFAULT_KDF", stronger)
    await (await opens(db_path, "OP2", OTHER)).close()
    with raw(db_path) as conn:
        costs = dict(conn.execute("SELECT operator_id, kdf_memory_cost FROM key_slot"))
    assert costs == {"OP1": CHEAP_KDF.memory_cost, "OP2": 9 * 1024}  # only the one who logged on
    again = await opens(db_path, "OP2", OTHER)  # the same password, and the seal followed
    await again.close()

"""Storage layer: opening a position's database with the agency key its centre gave, after
the centre judged the logon, and mirroring the centre's account into it (storage thread).

The centre is where a position's operators, their lockout and their key slots live; the
local file keeps a copy so the store works as on a lone PC (and so the operator can still log
on at this position while the centre is unreachable). The copy is written with the key in
hand, so the profile seal follows it in the same transaction: the file stays one the console
itself made, and a copy edited outside the console is still refused.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from console.domain.access import Role
from console.storage import accounts, audit, profile_seal
from console.storage.crypto import FieldCipher
from console.storage.database import open_engine, translated_errors
from console.storage.errors import StoreMissing
from console.storage.keyslots import KeySlot
from console.storage.logon import Attempt
from console.storage.prepared import write_transaction
from console.storage.schema import SCHEMA_VERSION, iso_now
from console.storage.unlock import Unlocked, upgrade_at_logon


@dataclass(frozen=True)
class MirroredAccount:
    """An operator's account as the centre holds it, to copy into the local file."""

    slot: KeySlot
    role: Role
    active: bool
    created_at: str
    password_set_at: str
    totp: bytes | None  # sealed under the agency key exactly as this file seals it
    last_step: int
    # logon attempts the centre recorded (at, operator, workstation, outcome), for the trail
    attempts: tuple[tuple[str, str, str, str], ...] = ()


def open_mirrored(
    path: Path, data_key: bytes, attempt: Attempt, mirrored: MirroredAccount
) -> Unlocked:
    """Open ``path`` with the agency ``data_key`` (the centre checked the password, the
    lockout and the code), upgrade its schema, copy the centre's account and attempts in."""
    if not path.is_file():
        raise StoreMissing(str(path))
    engine = open_engine(path)
    cipher = FieldCipher(data_key)
    try:
        found = upgrade_at_logon(engine, path, cipher, attempt)
        with translated_errors(path), write_transaction(engine) as cursor:
            changed = _copy(cursor, mirrored)
            for at, operator, workstation, outcome in mirrored.attempts:
                cursor.execute(
                    "INSERT INTO logon_attempt (at, operator_id, workstation, outcome) "
                    "VALUES (?, ?, ?, ?)",
                    (at, operator, workstation, outcome),
                )
            if changed:
                audit.append(
                    cursor,
                    cipher,
                    workstation=attempt.workstation,
                    operator=attempt.operator,
                    ori=attempt.ori,
                    event="account",
                    outcome=f"copied from the centre: {', '.join(changed)}",
                    obj=attempt.operator,
                )
            profile_seal.reseal(cursor, cipher)
            account = accounts.get(cursor, attempt.operator)
        return Unlocked(engine, data_key, cipher, account, fresh=found < SCHEMA_VERSION)
    except BaseException:
        engine.dispose()
        raise


def _copy(cursor: sqlite3.Cursor, mirrored: MirroredAccount) -> list[str]:
    """Write the centre's account and slot over the local ones; what changed, in words."""
    operator = mirrored.slot.operator
    before = profile_seal.live_accounts(cursor).get(operator)
    set_at = cursor.execute(
        "SELECT password_set_at FROM account WHERE operator_id = ?", (operator,)
    ).fetchone()
    slot = mirrored.slot
    cursor.execute(
        "INSERT INTO key_slot (operator_id, salt, kdf, kdf_memory_cost, kdf_iterations, "
        "kdf_lanes, wrapped, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (operator_id) DO UPDATE SET salt = excluded.salt, kdf = excluded.kdf, "
        "kdf_memory_cost = excluded.kdf_memory_cost, kdf_iterations = excluded.kdf_iterations, "
        "kdf_lanes = excluded.kdf_lanes, wrapped = excluded.wrapped",
        (
            operator,
            slot.salt,
            slot.kdf.name,
            slot.kdf.memory_cost,
            slot.kdf.iterations,
            slot.kdf.lanes,
            slot.wrapped,
            iso_now(),
        ),
    )
    # The centre judged the lockout: the local counters start again from its verdict.
    cursor.execute(
        "INSERT INTO account (operator_id, role, state, created_at, password_set_at, totp, "
        "totp_last_step) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (operator_id) DO UPDATE SET role = excluded.role, state = excluded.state, "
        "password_set_at = excluded.password_set_at, totp = excluded.totp, "
        "totp_last_step = CASE WHEN account.totp IS excluded.totp "
        "THEN MAX(account.totp_last_step, excluded.totp_last_step) "
        "ELSE excluded.totp_last_step END, "
        "failed_count = 0, failed_since = NULL, recent_failures = '', locked_at = NULL",
        (
            operator,
            mirrored.role.value,
            "active" if mirrored.active else "disabled",
            mirrored.created_at,
            mirrored.password_set_at,
            mirrored.totp,
            mirrored.last_step,
        ),
    )
    after = profile_seal.live_accounts(cursor)[operator]
    if before is None:
        return ["new at this position"]
    changed = [
        words
        for words, old, new in (
            ("role", before.role, after.role),
            ("state", before.state, after.state),
            (_slot_words(set_at, mirrored), before.slot, after.slot),
            ("one-time codes", before.totp, after.totp),
            ("lock released", before.locked_at or "", after.locked_at or ""),
        )
        if old != new
    ]
    return changed


def _slot_words(set_at: tuple[object, ...] | None, mirrored: MirroredAccount) -> str:
    # A slot changed with the password set when it was before: the same password wrapped
    # again (at today's KDF cost, at the centre's logon), not a new one.
    if set_at is not None and str(set_at[0]) == mirrored.password_set_at:
        return "key slot rewrapped at today's cost"
    return "password"

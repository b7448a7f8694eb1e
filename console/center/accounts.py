"""Centre layer: the centre's operator accounts, key slots and logon attempts (blocking calls).

An account at the centre is kept as a position keeps it (console.storage.accounts): role,
state and lockout counters in plain columns, the one-time-code secret sealed under the agency
key exactly as a position seals it (table ``account``, row = operator id, column ``totp``), so
it mirrors into a position's database byte for byte. Every read that decides a lockout locks
the account's row (``SELECT ... FOR UPDATE``) in the transaction that writes the verdict:
logons racing at several positions each add their failure to what the others left, so five
failures at any mix of positions lock the account everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from console.domain.access import FAILURE_WINDOW, LONE_SUPERVISOR_LOCK, MAX_FAILURES, Role
from console.storage.accounts import Account
from console.storage.keyslots import KdfParams, KeySlot
from console.storage.schema import parse_time, utc_text

_ACCOUNT = (
    "SELECT a.operator_id, a.role, a.state, a.created_at, a.password_set_at, a.totp, "
    "a.totp_last_step, a.failed_count, a.failed_since, a.locked_at, a.recent_failures, "
    "s.salt, s.kdf, s.kdf_memory_cost, s.kdf_iterations, s.kdf_lanes, s.wrapped "
    "FROM center_account a JOIN center_key_slot s ON s.operator_id = a.operator_id "
)


@dataclass(frozen=True)
class CenterRecord:
    """One operator at the centre: the account, its key slot and the sealed code secret."""

    account: Account
    slot: KeySlot
    totp: bytes | None  # sealed under the agency key as a position seals it
    recent_failures: tuple[datetime, ...]

    @property
    def created_at(self) -> str:
        return utc_text(self.account.created_at)

    @property
    def password_set_at(self) -> str:
        return utc_text(self.account.password_set_at)


def _record(row: tuple[Any, ...]) -> CenterRecord:
    (operator, role, state, created, password_set, totp, step, failed, since, locked) = row[:10]
    recent, salt, kdf, memory, iterations, lanes, wrapped = row[10:]
    account = Account(
        operator=str(operator),
        role=Role(str(role)),
        active=state == "active",
        created_at=parse_time(str(created)),
        password_set_at=parse_time(str(password_set)),
        enrolled=totp is not None,
        last_step=int(str(step)),
        failed_count=int(str(failed)),
        failed_since=parse_time(str(since)) if since else None,
        locked_at=parse_time(str(locked)) if locked else None,
    )
    params = KdfParams(int(str(memory)), int(str(iterations)), int(str(lanes)), str(kdf))
    slot = KeySlot(str(operator), bytes(salt), params, bytes(wrapped))
    moments = tuple(parse_time(part) for part in str(recent).split())
    sealed = bytes(totp) if totp is not None else None
    return CenterRecord(account, slot, sealed, moments)


def get(conn: Connection, operator: str, *, for_update: bool = False) -> CenterRecord | None:
    """The operator's record; ``for_update`` locks the account's row until the transaction
    ends (every lockout verdict is read this way)."""
    lock = " FOR UPDATE OF a" if for_update else ""
    row = conn.execute(text(_ACCOUNT + "WHERE a.operator_id = :op" + lock), {"op": operator})
    found = row.fetchone()
    return _record(tuple(found)) if found is not None else None


def every(conn: Connection) -> list[CenterRecord]:
    rows = conn.execute(text(_ACCOUNT + "ORDER BY a.operator_id")).fetchall()
    return [_record(tuple(row)) for row in rows]


def insert(conn: Connection, slot: KeySlot, role: Role, now: datetime) -> None:
    """A new operator: their key slot and an active account (``OperatorExists`` is the
    caller's to raise first)."""
    at = utc_text(now)
    conn.execute(
        text(
            "INSERT INTO center_key_slot (operator_id, salt, kdf, kdf_memory_cost, "
            "kdf_iterations, kdf_lanes, wrapped, created_at) VALUES (:op, :salt, :kdf, :mem, "
            ":its, :lanes, :wrapped, :at)"
        ),
        {**_slot_values(slot), "at": at},
    )
    conn.execute(
        text(
            "INSERT INTO center_account (operator_id, role, state, created_at, password_set_at) "
            "VALUES (:op, :role, 'active', :at, :at)"
        ),
        {"op": slot.operator, "role": role.value, "at": at},
    )


def write_slot(conn: Connection, slot: KeySlot, now: datetime) -> None:
    """A new wrapping of the agency key for ``slot.operator`` (a reset or a changed password)."""
    conn.execute(
        text(
            "UPDATE center_key_slot SET salt = :salt, kdf = :kdf, kdf_memory_cost = :mem, "
            "kdf_iterations = :its, kdf_lanes = :lanes, wrapped = :wrapped "
            "WHERE operator_id = :op"
        ),
        _slot_values(slot),
    )
    conn.execute(
        text("UPDATE center_account SET password_set_at = :at WHERE operator_id = :op"),
        {"op": slot.operator, "at": utc_text(now)},
    )


def rewrap_slot(conn: Connection, old: KeySlot, new: KeySlot) -> bool:
    """The same password's wrapping at today's KDF cost in place of ``old`` (the password
    is unchanged, so ``password_set_at`` stays); False when the slot is no longer ``old``
    (a reset or a changed password won the race: theirs stays)."""
    done = conn.execute(
        text(
            "UPDATE center_key_slot SET salt = :salt, kdf = :kdf, kdf_memory_cost = :mem, "
            "kdf_iterations = :its, kdf_lanes = :lanes, wrapped = :wrapped "
            "WHERE operator_id = :op AND wrapped = :old"
        ),
        {**_slot_values(new), "old": old.wrapped},
    )
    return done.rowcount == 1


def _slot_values(slot: KeySlot) -> dict[str, object]:
    return {
        "op": slot.operator,
        "salt": slot.salt,
        "kdf": slot.kdf.name,
        "mem": slot.kdf.memory_cost,
        "its": slot.kdf.iterations,
        "lanes": slot.kdf.lanes,
        "wrapped": slot.wrapped,
    }


def failed(conn: Connection, record: CenterRecord, now: datetime) -> bool:
    """Count one failure of an account read ``for_update``; True when it locks the account:
    MAX_FAILURES within any FAILURE_WINDOW, wherever they were made."""
    recent = [moment for moment in record.recent_failures if now - moment < FAILURE_WINDOW]
    recent.append(now)
    lock = len(recent) >= MAX_FAILURES
    conn.execute(
        text(
            "UPDATE center_account SET recent_failures = :recent, failed_count = :count, "
            "failed_since = :since, locked_at = COALESCE(locked_at, :locked) "
            "WHERE operator_id = :op"
        ),
        {
            "recent": " ".join(utc_text(moment) for moment in recent[-MAX_FAILURES:]),
            "count": len(recent),
            "since": utc_text(recent[0]),
            "locked": utc_text(now) if lock else None,
            "op": record.account.operator,
        },
    )
    return lock


def succeeded(conn: Connection, operator: str, step: int | None = None) -> None:
    conn.execute(
        text(
            "UPDATE center_account SET failed_count = 0, failed_since = NULL, "
            "recent_failures = '', totp_last_step = GREATEST(totp_last_step, :step) "
            "WHERE operator_id = :op"
        ),
        {"op": operator, "step": step or 0},
    )


def lock_expired(conn: Connection, account: Account, now: datetime) -> bool:
    """The centre's only supervisor is released after LONE_SUPERVISOR_LOCK: nobody else can."""
    if account.locked_at is None or account.role is not Role.SUPERVISOR:
        return False
    others = conn.execute(
        text(
            "SELECT count(*) FROM center_account WHERE role = 'supervisor' AND state = 'active' "
            "AND locked_at IS NULL AND operator_id != :op"
        ),
        {"op": account.operator},
    ).scalar_one()
    return not others and now - account.locked_at >= LONE_SUPERVISOR_LOCK


def release(conn: Connection, operator: str) -> None:
    conn.execute(
        text(
            "UPDATE center_account SET locked_at = NULL, failed_count = 0, failed_since = NULL, "
            "recent_failures = '' WHERE operator_id = :op"
        ),
        {"op": operator},
    )


def set_state(conn: Connection, operator: str, *, active: bool) -> None:
    conn.execute(
        text("UPDATE center_account SET state = :state WHERE operator_id = :op"),
        {"op": operator, "state": "active" if active else "disabled"},
    )


def set_role(conn: Connection, operator: str, role: Role) -> None:
    conn.execute(
        text("UPDATE center_account SET role = :role WHERE operator_id = :op"),
        {"op": operator, "role": role.value},
    )


def set_otp(conn: Connection, operator: str, sealed: bytes | None, step: int = 0) -> None:
    """Enroll (a sealed secret) or withdraw (None) the operator's one-time codes."""
    conn.execute(
        text(
            "UPDATE center_account SET totp = :totp, totp_last_step = :step WHERE operator_id = :op"
        ),
        {"op": operator, "totp": sealed, "step": step},
    )


def record_attempt(
    conn: Connection, operator: str, workstation: str, outcome: str, now: datetime
) -> None:
    """As a position records it: an unknown id is kept only as its length (it may be a
    password typed into the wrong box)."""
    known = conn.execute(
        text("SELECT 1 FROM center_account WHERE operator_id = :op"), {"op": operator}
    ).scalar_one_or_none()
    who = operator if known else f"(unknown id, {len(operator)} characters)"
    conn.execute(
        text(
            "INSERT INTO center_logon_attempt (at, operator_id, workstation, outcome) "
            "VALUES (:at, :op, :ws, :outcome)"
        ),
        {"at": utc_text(now), "op": who, "ws": workstation, "outcome": outcome},
    )


def waiting_attempts(conn: Connection) -> list[tuple[int, str, str, str, str]]:
    """Attempts recorded at the centre and not yet in any position's audit trail, oldest first
    (id, at, operator, workstation, outcome). Two logons at once may both copy one (a record
    twice, never none: each deletes only after its own trail holds them)."""
    rows = conn.execute(
        text(
            "SELECT id, at, operator_id, workstation, outcome FROM center_logon_attempt ORDER BY id"
        )
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]


def forget_attempts(conn: Connection, ids: Sequence[int]) -> None:
    if ids:
        conn.execute(
            text("DELETE FROM center_logon_attempt WHERE id = ANY(:ids)"), {"ids": list(ids)}
        )

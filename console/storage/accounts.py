"""Storage layer: operator accounts and logon attempts (storage thread).

An account's role, state, lockout counters and attempt log are plain columns: they must be
read and written before anyone has unlocked the data key (a wrong password never gets it),
and none of them is criminal justice information. The one-time-code secret is encrypted with
the data key. Attempts wait in ``logon_attempt`` until the next successful logon moves them
into the MAC-chained audit trail, in one transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from console.domain.access import FAILURE_WINDOW, LONE_SUPERVISOR_LOCK, MAX_FAILURES, Role
from console.storage import audit
from console.storage.crypto import FieldCipher
from console.storage.schema import parse_time, utc_text

TABLE = "account"
_COLUMNS = (
    "operator_id, role, state, created_at, password_set_at, totp IS NOT NULL, "
    "totp_last_step, failed_count, failed_since, locked_at"
)


@dataclass(frozen=True, slots=True)
class Account:
    operator: str
    role: Role
    active: bool
    created_at: datetime
    password_set_at: datetime
    enrolled: bool  # has a one-time-code secret: logon needs a code
    last_step: int  # the last one-time code's time step (never accepted again)
    failed_count: int
    failed_since: datetime | None
    locked_at: datetime | None

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    at: datetime
    operator: str
    workstation: str
    outcome: str


def _account(row: tuple[object, ...]) -> Account:
    operator, role, state, created, password_set, enrolled, step, failed, since, locked = row
    return Account(
        operator=str(operator),
        role=Role(str(role)),
        active=state == "active",
        created_at=parse_time(str(created)),
        password_set_at=parse_time(str(password_set)),
        enrolled=bool(enrolled),
        last_step=int(str(step)),
        failed_count=int(str(failed)),
        failed_since=parse_time(str(since)) if since else None,
        locked_at=parse_time(str(locked)) if locked else None,
    )


def exists(cursor: sqlite3.Cursor) -> bool:
    """Whether the file has accounts yet (schema 4 on); older files get them when upgraded."""
    found = cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    )
    return found.fetchone() is not None


def get(cursor: sqlite3.Cursor, operator: str) -> Account | None:
    row = cursor.execute(f"SELECT {_COLUMNS} FROM account WHERE operator_id = ?", (operator,))
    found = row.fetchone()
    return _account(found) if found else None


def every(cursor: sqlite3.Cursor) -> list[Account]:
    rows = cursor.execute(f"SELECT {_COLUMNS} FROM account ORDER BY operator_id")
    return [_account(row) for row in rows.fetchall()]


def insert(cursor: sqlite3.Cursor, operator: str, role: Role, now: datetime) -> None:
    at = utc_text(now)
    cursor.execute(
        "INSERT INTO account (operator_id, role, state, created_at, password_set_at) "
        "VALUES (?, ?, 'active', ?, ?)",
        (operator, role.value, at, at),
    )


def record_attempt(
    cursor: sqlite3.Cursor, operator: str, workstation: str, outcome: str, now: datetime
) -> None:
    """``operator`` is an account's id, or what was typed for an unknown one: that is kept
    only as its length, since it may be a password typed into the wrong box."""
    known = cursor.execute("SELECT 1 FROM account WHERE operator_id = ?", (operator,)).fetchone()
    who = operator if known else f"(unknown id, {len(operator)} characters)"
    cursor.execute(
        "INSERT INTO logon_attempt (at, operator_id, workstation, outcome) VALUES (?, ?, ?, ?)",
        (utc_text(now), who, workstation, outcome),
    )


def failed(cursor: sqlite3.Cursor, operator: str, now: datetime) -> bool:
    """Count one failed attempt; True when it locks the account: MAX_FAILURES within any
    FAILURE_WINDOW (a sliding window: the failures are kept with their times).

    Read and written in the caller's write transaction, so logons racing in parallel (other
    processes, other threads) each add their failure to what the others left.
    """
    found = cursor.execute(
        "SELECT recent_failures FROM account WHERE operator_id = ?", (operator,)
    ).fetchone()
    if found is None:
        return False
    kept = [parse_time(text) for text in str(found[0]).split()]
    recent = [moment for moment in kept if now - moment < FAILURE_WINDOW] + [now]
    lock = len(recent) >= MAX_FAILURES
    cursor.execute(
        "UPDATE account SET recent_failures = ?, failed_count = ?, failed_since = ?, "
        "locked_at = COALESCE(locked_at, ?) WHERE operator_id = ?",
        (
            " ".join(utc_text(moment) for moment in recent[-MAX_FAILURES:]),
            len(recent),
            utc_text(recent[0]),
            utc_text(now) if lock else None,
            operator,
        ),
    )
    return lock


def succeeded(cursor: sqlite3.Cursor, operator: str, step: int | None = None) -> None:
    cursor.execute(
        "UPDATE account SET failed_count = 0, failed_since = NULL, recent_failures = '', "
        "totp_last_step = MAX(totp_last_step, COALESCE(?, 0)) WHERE operator_id = ?",
        (step, operator),
    )


def lock_expired(cursor: sqlite3.Cursor, account: Account, now: datetime) -> bool:
    """An office's only supervisor is released after LONE_SUPERVISOR_LOCK: nobody else can."""
    if account.locked_at is None or account.role is not Role.SUPERVISOR:
        return False
    others = cursor.execute(
        "SELECT COUNT(*) FROM account WHERE role = 'supervisor' AND state = 'active' "
        "AND locked_at IS NULL AND operator_id != ?",
        (account.operator,),
    ).fetchone()[0]
    return not others and now - account.locked_at >= LONE_SUPERVISOR_LOCK


def release(cursor: sqlite3.Cursor, operator: str) -> None:
    cursor.execute(
        "UPDATE account SET locked_at = NULL, failed_count = 0, failed_since = NULL, "
        "recent_failures = '' WHERE operator_id = ?",
        (operator,),
    )


def set_state(cursor: sqlite3.Cursor, operator: str, *, active: bool) -> None:
    state = "active" if active else "disabled"
    cursor.execute("UPDATE account SET state = ? WHERE operator_id = ?", (state, operator))


def set_role(cursor: sqlite3.Cursor, operator: str, role: Role) -> None:
    cursor.execute("UPDATE account SET role = ? WHERE operator_id = ?", (role.value, operator))


def password_changed(cursor: sqlite3.Cursor, operator: str, now: datetime) -> None:
    cursor.execute(
        "UPDATE account SET password_set_at = ? WHERE operator_id = ?", (utc_text(now), operator)
    )


def set_otp(
    cursor: sqlite3.Cursor, cipher: FieldCipher, operator: str, secret: bytes | None
) -> None:
    """Enroll (a secret) or withdraw (None) the operator's one-time codes."""
    sealed = None
    if secret is not None:
        sealed = cipher.encrypt(secret, table=TABLE, row=operator, column="totp")
    cursor.execute(
        "UPDATE account SET totp = ?, totp_last_step = 0 WHERE operator_id = ?",
        (sealed, operator),
    )


def otp_secret(cursor: sqlite3.Cursor, cipher: FieldCipher, operator: str) -> bytes | None:
    found = cursor.execute("SELECT totp FROM account WHERE operator_id = ?", (operator,))
    row = found.fetchone()
    if row is None or row[0] is None:
        return None
    return cipher.decrypt(bytes(row[0]), table=TABLE, row=operator, column="totp")


def move_attempts_to_audit(cursor: sqlite3.Cursor, cipher: FieldCipher, ori: str) -> int:
    """Append every waiting attempt to the audit trail (as the operator and workstation that
    made it) and forget it, in the caller's transaction; returns how many moved."""
    rows = cursor.execute(
        "SELECT id, at, operator_id, workstation, outcome FROM logon_attempt ORDER BY id"
    ).fetchall()
    for _, at, operator, workstation, outcome in rows:
        audit.append(
            cursor,
            cipher,
            workstation=str(workstation),
            operator=str(operator),
            ori=ori,
            event="logon",
            outcome=str(outcome),
            obj=f"attempted {audit.audit_time(parse_time(str(at)))}",
        )
    cursor.execute("DELETE FROM logon_attempt")
    return len(rows)

"""Centre layer: a logon judged at the centre (blocking; run off the event loop).

The same order as a lone PC's logon (console.storage.logon): the key derivation runs for every
attempt, known operator or not; then the account is judged as the centre holds it at that
moment, its row locked (``FOR UPDATE``) in the transaction that writes the verdict, so five
failures at any mix of positions lock the account everywhere. A wrong password never says
whether the operator exists; only once it is right is the one-time code asked for. Every
refusal is committed at the centre before it is raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from console.center import accounts
from console.center.accounts import CenterRecord
from console.center.connection import CenterAddress, plain_errors
from console.storage import otp
from console.storage.crypto import FieldCipher
from console.storage.errors import (
    AccountDisabled,
    AccountLocked,
    CodeRequired,
    StorageError,
    WrongCode,
    WrongSecret,
)
from console.storage.keyslots import reject_unknown, unwrap_key
from console.storage.schema import utc_text

TOTP_TABLE = "account"  # the code secret is sealed as a position's account table seals it


@dataclass(frozen=True)
class CenterAttempt:
    operator: str
    workstation: str
    code: str | None
    now: Callable[[], datetime]


@dataclass(frozen=True)
class Verified:
    """What a successful centre logon hands the position: the agency key, the account as the
    centre holds it, and the attempts waiting for an audit trail (id, at, who, where, what)."""

    data_key: bytes
    record: CenterRecord
    attempts: list[tuple[int, str, str, str, str]]


def otp_secret(cipher: FieldCipher, record: CenterRecord) -> bytes | None:
    if record.totp is None:
        return None
    operator = record.account.operator
    return cipher.decrypt(record.totp, table=TOTP_TABLE, row=operator, column="totp")


def seal_otp(cipher: FieldCipher, operator: str, secret: bytes) -> bytes:
    return cipher.encrypt(secret, table=TOTP_TABLE, row=operator, column="totp")


def authenticate(
    engine: Engine, address: CenterAddress, attempt: CenterAttempt, secret: str
) -> Verified:
    """Judge the logon at the centre; the agency key on success, else the refusal (a
    ``StorageError``: the same ones a lone PC raises), ``CenterUnreachable`` or
    ``CenterRefused``."""
    with plain_errors(address):
        with engine.connect() as conn:
            found = accounts.get(conn, attempt.operator)
        data_key: bytes | None = None
        try:
            if found is None:
                reject_unknown(secret)
            else:
                data_key = unwrap_key(found.slot, secret)
        except WrongSecret:
            data_key = None
        with engine.begin() as conn:
            refusal = judge_password(conn, attempt, right=data_key is not None)
        if refusal is not None:
            raise refusal
        assert data_key is not None
        cipher = FieldCipher(data_key)
        with engine.begin() as conn:
            record, refusal = second_factor(conn, cipher, attempt)
        if refusal is not None:
            raise refusal
        assert record is not None
        with engine.begin() as conn:
            waiting = accounts.waiting_attempts(conn)
            seen(conn, attempt.workstation, attempt.operator, attempt.now())
    return Verified(data_key, record, waiting)


def judge_password(conn: Connection, attempt: CenterAttempt, right: bool) -> StorageError | None:
    """After the KDF: refuse a locked account (the centre's only supervisor's lock may have
    run out), count a wrong password, refuse a disabled account once the password is right."""
    now = attempt.now()
    record = accounts.get(conn, attempt.operator, for_update=True)
    if record is None:
        _note(conn, attempt, "failure: unknown operator", now)
        return WrongSecret()
    account = record.account
    if account.locked and accounts.lock_expired(conn, account, now):
        accounts.release(conn, account.operator)
        _note(conn, attempt, "lock expired", now)
        record = accounts.get(conn, attempt.operator, for_update=True)
        assert record is not None
    return _verdict(conn, record, attempt, right, now)


def _verdict(
    conn: Connection, record: CenterRecord, attempt: CenterAttempt, right: bool, now: datetime
) -> StorageError | None:
    account = record.account
    if account.locked:
        _note(conn, attempt, "refused: account locked", now)
        return AccountLocked(account.operator, at_logon=True)
    if not right:
        return count_failure(conn, record, attempt, "password")
    if not account.active:
        _note(conn, attempt, "refused: account disabled", now)
        return AccountDisabled(account.operator)
    return None


def second_factor(
    conn: Connection, cipher: FieldCipher, attempt: CenterAttempt
) -> tuple[CenterRecord | None, StorageError | None]:
    """After the key unwrapped: the account as it is now (locked or disabled meanwhile:
    refused), an enrolled account's one-time code; success resets the failures."""
    record = accounts.get(conn, attempt.operator, for_update=True)
    if record is None:
        return None, WrongSecret()
    account = record.account
    now = attempt.now()
    step = None
    if account.locked or not account.active:
        return None, _verdict(conn, record, attempt, True, now)
    if account.enrolled:
        typed = (attempt.code or "").strip()
        if not typed:  # the password was right: now, and only now, ask for the code
            raise CodeRequired(account.operator)
        stored = otp_secret(cipher, record)
        assert stored is not None
        step = otp.matching_step(stored, typed, after=account.last_step, now=now.timestamp())
        if step is None:
            return None, count_failure(conn, record, attempt, "code")
    accounts.succeeded(conn, account.operator, step)
    return accounts.get(conn, attempt.operator), None


def count_failure(
    conn: Connection,
    record: CenterRecord,
    attempt: CenterAttempt,
    what: str,
    *,
    at_logon: bool = True,
) -> StorageError:
    now = attempt.now()
    locked = accounts.failed(conn, record, now)
    _note(conn, attempt, f"failure: wrong {what}", now)
    if locked:
        _note(conn, attempt, "account locked", now)
        return AccountLocked(record.account.operator, just_now=True, at_logon=at_logon)
    return WrongCode() if what == "code" else WrongSecret()


def _note(conn: Connection, attempt: CenterAttempt, outcome: str, now: datetime) -> None:
    accounts.record_attempt(conn, attempt.operator, attempt.workstation, outcome, now)


def seen(conn: Connection, workstation: str, operator: str | None, now: datetime) -> None:
    """Who is logged on at ``workstation`` now (None: nobody), for ``center status``."""
    conn.execute(
        text(
            "UPDATE center_position SET operator_id = :op, last_seen = :at WHERE workstation = :ws"
        ),
        {"op": operator, "at": utc_text(now), "ws": workstation},
    )

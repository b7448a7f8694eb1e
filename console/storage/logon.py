"""Storage layer: the logon checks around unwrapping the data key (storage thread).

Before any key-derivation work: a locked or disabled account is refused, and an account
enrolled for one-time codes must bring one. A wrong password or code counts towards the
lockout (AC-7). Every refusal is recorded in ``logon_attempt`` and committed before the error
is raised; the next successful logon moves those records into the audit trail.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from console.storage import accounts, otp
from console.storage.accounts import Account
from console.storage.crypto import FieldCipher
from console.storage.database import translated_errors
from console.storage.errors import (
    AccountDisabled,
    AccountLocked,
    CodeRequired,
    StorageError,
    WrongSecret,
)
from console.storage.prepared import write_transaction

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who is logging on, where, with what second factor, and the clock to judge it by."""

    operator: str
    workstation: str
    code: str | None
    now: Clock


@contextlib.contextmanager
def _transaction(engine: Engine, path: Path) -> Iterator[sqlite3.Cursor]:
    with translated_errors(path), write_transaction(engine) as cursor:
        yield cursor


def admit(engine: Engine, path: Path, attempt: Attempt) -> Account | None:
    """The account if it may try to log on. None for an older file (accounts come with its
    upgrade) or an unknown operator (refused after the KDF, like a wrong password).
    Refusals are recorded and committed, then raised."""
    refusal: StorageError | None = None
    with _transaction(engine, path) as cursor:
        if not accounts.exists(cursor):
            return None
        account = accounts.get(cursor, attempt.operator)
        if account is None:
            _record(cursor, attempt, "failure: unknown operator", attempt.now())
            return None
        now = attempt.now()
        if account.locked and accounts.lock_expired(cursor, account, now):
            accounts.release(cursor, account.operator)
            _record(cursor, attempt, "lock expired", now)
            account = accounts.get(cursor, attempt.operator)
            assert account is not None
        if account.locked:
            refusal, outcome = AccountLocked(account.operator), "refused: account locked"
        elif not account.active:
            refusal, outcome = AccountDisabled(account.operator), "refused: account disabled"
        elif account.enrolled and not (attempt.code or "").strip():
            raise CodeRequired(account.operator)  # not an attempt: nothing was tried
        if refusal is not None:
            _record(cursor, attempt, outcome, now)
    if refusal is not None:
        raise refusal
    return account


def wrong_password(
    engine: Engine, path: Path, account: Account | None, attempt: Attempt
) -> StorageError:
    """Count a wrong password; the error to raise (AccountLocked when it was one too many)."""
    if account is None:
        return WrongSecret()
    with _transaction(engine, path) as cursor:
        return count_failure(cursor, account, attempt, "password")


def second_factor(
    engine: Engine, path: Path, cipher: FieldCipher, attempt: Attempt
) -> Account | None:
    """After the key unwrapped: check an enrolled account's one-time code, and on success reset
    its failure count; returns the account as it now is."""
    error: StorageError | None = None
    with _transaction(engine, path) as cursor:
        account = accounts.get(cursor, attempt.operator)
        if account is None:
            return None
        step = None
        if account.enrolled:
            secret = accounts.otp_secret(cursor, cipher, account.operator)
            assert secret is not None
            moment = attempt.now().timestamp()
            step = otp.matching_step(
                secret, attempt.code or "", after=account.last_step, now=moment
            )
            if step is None:
                error = count_failure(cursor, account, attempt, "code")
        if error is None:
            accounts.succeeded(cursor, account.operator, step)
            account = accounts.get(cursor, attempt.operator)
    if error is not None:
        raise error
    return account


def count_failure(
    cursor: sqlite3.Cursor, account: Account, attempt: Attempt, what: str
) -> StorageError:
    now = attempt.now()
    locked = accounts.failed(cursor, account, now)
    _record(cursor, attempt, f"failure: wrong {what}", now)
    if locked:
        _record(cursor, attempt, "account locked", now)
        return AccountLocked(account.operator, just_now=True)
    return WrongSecret(with_code=account.enrolled)


def _record(cursor: sqlite3.Cursor, attempt: Attempt, outcome: str, now: datetime) -> None:
    accounts.record_attempt(cursor, attempt.operator, attempt.workstation, outcome, now)

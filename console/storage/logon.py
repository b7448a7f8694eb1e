"""Storage layer: the logon checks around unwrapping the data key (storage thread).

The order keeps what a stranger learns to a minimum: the key-derivation work runs for every
attempt (known operator or not, locked or not), then the account is judged as it is in the
file at that moment, inside one write transaction (logons racing in other processes wait
their turn). A wrong password never says whether the operator exists or uses one-time codes;
only once the password is right does the console ask for the code. Every refusal is recorded
in ``logon_attempt`` and committed before the error is raised; the next successful logon
moves those records into the audit trail.
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
    WrongCode,
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
    ori: str = ""  # for the audit record of a schema upgrade made at this logon


@contextlib.contextmanager
def _transaction(engine: Engine, path: Path) -> Iterator[sqlite3.Cursor]:
    with translated_errors(path), write_transaction(engine) as cursor:
        yield cursor


def judge_password(engine: Engine, path: Path, attempt: Attempt, right: bool) -> None:
    """After the KDF: refuse a locked account (its lock may have run out), count a wrong
    password, refuse a disabled account once the password is right. An older file without
    accounts only checks the password (its accounts come with the upgrade)."""
    refusal: StorageError | None = None
    with _transaction(engine, path) as cursor:
        if not accounts.exists(cursor):
            if not right:
                raise WrongSecret()
            return
        now = attempt.now()
        account = accounts.get(cursor, attempt.operator)
        if account is None:
            _record(cursor, attempt, "failure: unknown operator", now)
            refusal = WrongSecret()
        else:
            if account.locked and accounts.lock_expired(cursor, account, now):
                accounts.release(cursor, account.operator)
                _record(cursor, attempt, "lock expired", now)
                account = accounts.get(cursor, attempt.operator)
                assert account is not None
            refusal = _verdict(cursor, account, attempt, right, now)
    if refusal is not None:
        raise refusal


def _verdict(
    cursor: sqlite3.Cursor, account: Account, attempt: Attempt, right: bool, now: datetime
) -> StorageError | None:
    if account.locked:
        _record(cursor, attempt, "refused: account locked", now)
        return AccountLocked(account.operator, at_logon=True)
    if not right:
        return count_failure(cursor, account, attempt, "password")
    if not account.active:
        _record(cursor, attempt, "refused: account disabled", now)
        return AccountDisabled(account.operator)
    return None


def second_factor(
    engine: Engine, path: Path, cipher: FieldCipher, attempt: Attempt
) -> Account | None:
    """After the key unwrapped and the schema is current: the account as it is now (locked or
    disabled meanwhile by a racing attempt or a supervisor: refused), and an enrolled
    account's one-time code; success resets the failures."""
    error: StorageError | None = None
    with _transaction(engine, path) as cursor:
        account = accounts.get(cursor, attempt.operator)
        if account is None:
            return None
        now = attempt.now()
        step = None
        if account.locked or not account.active:
            error = _verdict(cursor, account, attempt, True, now)
        elif account.enrolled:
            typed = (attempt.code or "").strip()
            if not typed:  # the password was right: now, and only now, ask for the code
                raise CodeRequired(account.operator)
            secret = accounts.otp_secret(cursor, cipher, account.operator)
            assert secret is not None
            step = otp.matching_step(secret, typed, after=account.last_step, now=now.timestamp())
            if step is None:
                error = count_failure(cursor, account, attempt, "code")
        if error is None:
            accounts.succeeded(cursor, account.operator, step)
            account = accounts.get(cursor, attempt.operator)
    if error is not None:
        raise error
    return account


def count_failure(
    cursor: sqlite3.Cursor, account: Account, attempt: Attempt, what: str, *, at_logon: bool = True
) -> StorageError:
    """Count a wrong password or code of ``account``; the error to raise (at logon, the one
    refusal that never tells a locked account from an unknown id)."""
    now = attempt.now()
    locked = accounts.failed(cursor, account.operator, now)
    _record(cursor, attempt, f"failure: wrong {what}", now)
    if locked:
        _record(cursor, attempt, "account locked", now)
        return AccountLocked(account.operator, just_now=True, at_logon=at_logon)
    return WrongCode() if what == "code" else WrongSecret()


def _record(cursor: sqlite3.Cursor, attempt: Attempt, outcome: str, now: datetime) -> None:
    accounts.record_attempt(cursor, attempt.operator, attempt.workstation, outcome, now)


def read_only(engine: Engine, path: Path, cipher: FieldCipher, attempt: Attempt) -> Account:
    """The checks of a logon that may write nothing (the disk is full, to verify the audit
    trail): a locked or disabled account and a wrong code are refused as ever, but neither
    the refusal nor the code's use can be recorded."""
    with _transaction(engine, path) as cursor:
        account = accounts.get(cursor, attempt.operator)
        if account is None:
            raise WrongSecret()
        if account.locked:
            raise AccountLocked(account.operator, at_logon=True)
        if not account.active:
            raise AccountDisabled(account.operator)
        if account.enrolled:
            typed = (attempt.code or "").strip()
            if not typed:
                raise CodeRequired(account.operator)
            secret = accounts.otp_secret(cursor, cipher, account.operator)
            assert secret is not None
            moment = attempt.now().timestamp()
            if otp.matching_step(secret, typed, after=account.last_step, now=moment) is None:
                raise WrongCode()
    return account

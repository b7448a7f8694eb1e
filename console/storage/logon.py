"""Storage layer: the one logon verdict, over either backend's accounts (blocking calls).

The order keeps what a stranger learns to a minimum: the key-derivation work runs for every
attempt (known operator or not, locked or not; the caller's to do first), then the account is
judged as it is held at that moment, inside the one transaction that writes the verdict. A
wrong password never says whether the operator exists or uses one-time codes; only once the
password is right does the console ask for the code. Every refusal is recorded and returned,
so the caller commits it before raising; the next successful logon moves those records into
an audit trail.

The verdict is written once, against an ``AccountBook``: a lone PC's file (``FileBook`` here,
over ``console.storage.accounts``) and a dispatch centre (``console.center.logon.CenterBook``,
over PostgreSQL with the account's row locked) each supply one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

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


class AccountBook(Protocol):
    """The accounts a verdict reads and writes, all inside the caller's one transaction."""

    def exists(self) -> bool:
        """Whether there are accounts at all (an older file gets them with its upgrade)."""

    def get(self, operator: str) -> Account | None:
        """The account as held now, its row locked until the transaction ends where the
        backend can (a file's write transaction already holds the whole file)."""

    def lock_expired(self, account: Account, now: datetime) -> bool:
        """An only supervisor's lock has run out: nobody else could release it."""

    def release(self, operator: str) -> None: ...

    def failed(self, account: Account, now: datetime) -> bool:
        """Count one failure of an account read with ``get``; True when it locks it."""

    def succeeded(self, operator: str, step: int | None) -> None:
        """The failures start again; ``step``: the one-time code just used (never again)."""

    def record_attempt(self, operator: str, workstation: str, outcome: str, now: datetime) -> None:
        """Keep an attempt for the next audit trail (an unknown id only by its length)."""

    def otp_secret(self, operator: str, cipher: FieldCipher) -> bytes | None: ...


def judge_password(book: AccountBook, attempt: Attempt, right: bool) -> StorageError | None:
    """After the KDF: refuse a locked account (its lock may have run out), count a wrong
    password, refuse a disabled account once the password is right; the refusal, if any,
    is recorded in ``book``. Without accounts (an older file) only the password counts."""
    if not book.exists():
        return None if right else WrongSecret()
    now = attempt.now()
    account = book.get(attempt.operator)
    if account is None:
        _record(book, attempt, "failure: unknown operator", now)
        return WrongSecret()
    if account.locked and book.lock_expired(account, now):
        book.release(account.operator)
        _record(book, attempt, "lock expired", now)
        account = book.get(attempt.operator)
        assert account is not None
    return _verdict(book, account, attempt, right, now)


def _verdict(
    book: AccountBook, account: Account, attempt: Attempt, right: bool, now: datetime
) -> StorageError | None:
    if account.locked:
        _record(book, attempt, "refused: account locked", now)
        return AccountLocked(account.operator, at_logon=True)
    if not right:
        return count_failure(book, account, attempt, "password")
    if not account.active:
        _record(book, attempt, "refused: account disabled", now)
        return AccountDisabled(account.operator)
    return None


def second_factor(
    book: AccountBook, cipher: FieldCipher, attempt: Attempt
) -> tuple[Account | None, StorageError | None]:
    """After the key unwrapped: the account as it is now (locked or disabled meanwhile by a
    racing attempt or a supervisor: refused), and an enrolled account's one-time code;
    success resets the failures. ``(None, None)``: no such account (the caller's to name).
    ``CodeRequired`` is raised, not returned: it records nothing."""
    account = book.get(attempt.operator)
    if account is None:
        return None, None
    now = attempt.now()
    step = None
    if account.locked or not account.active:
        return None, _verdict(book, account, attempt, True, now)
    if account.enrolled:
        typed = (attempt.code or "").strip()
        if not typed:  # the password was right: now, and only now, ask for the code
            raise CodeRequired(account.operator)
        secret = book.otp_secret(account.operator, cipher)
        assert secret is not None
        step = otp.matching_step(secret, typed, after=account.last_step, now=now.timestamp())
        if step is None:
            return None, count_failure(book, account, attempt, "code")
    book.succeeded(account.operator, step)
    return book.get(attempt.operator), None


def count_failure(
    book: AccountBook, account: Account, attempt: Attempt, what: str, *, at_logon: bool = True
) -> StorageError:
    """Count a wrong password or code of ``account``; the error to raise (at logon, the one
    refusal that never tells a locked account from an unknown id)."""
    now = attempt.now()
    locked = book.failed(account, now)
    _record(book, attempt, f"failure: wrong {what}", now)
    if locked:
        _record(book, attempt, "account locked", now)
        return AccountLocked(account.operator, just_now=True, at_logon=at_logon)
    return WrongCode() if what == "code" else WrongSecret()


def _record(book: AccountBook, attempt: Attempt, outcome: str, now: datetime) -> None:
    book.record_attempt(attempt.operator, attempt.workstation, outcome, now)


class FileBook:
    """A lone PC's accounts: the profile file's, on a cursor in its write transaction."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def exists(self) -> bool:
        return accounts.exists(self._cursor)

    def get(self, operator: str) -> Account | None:
        return accounts.get(self._cursor, operator)

    def lock_expired(self, account: Account, now: datetime) -> bool:
        return accounts.lock_expired(self._cursor, account, now)

    def release(self, operator: str) -> None:
        accounts.release(self._cursor, operator)

    def failed(self, account: Account, now: datetime) -> bool:
        return accounts.failed(self._cursor, account.operator, now)

    def succeeded(self, operator: str, step: int | None) -> None:
        accounts.succeeded(self._cursor, operator, step)

    def record_attempt(self, operator: str, workstation: str, outcome: str, now: datetime) -> None:
        accounts.record_attempt(self._cursor, operator, workstation, outcome, now)

    def otp_secret(self, operator: str, cipher: FieldCipher) -> bytes | None:
        return accounts.otp_secret(self._cursor, cipher, operator)


@contextlib.contextmanager
def _transaction(engine: Engine, path: Path) -> Iterator[FileBook]:
    with translated_errors(path), write_transaction(engine) as cursor:
        yield FileBook(cursor)


def judge_file_password(engine: Engine, path: Path, attempt: Attempt, right: bool) -> None:
    """``judge_password`` on the file, in one write transaction (logons racing in other
    processes wait their turn); a refusal is raised once it is committed."""
    with _transaction(engine, path) as book:
        refusal = judge_password(book, attempt, right)
    if refusal is not None:
        raise refusal


def file_second_factor(
    engine: Engine, path: Path, cipher: FieldCipher, attempt: Attempt
) -> Account | None:
    """``second_factor`` on the file (the schema is current by now); None: no account."""
    with _transaction(engine, path) as book:
        account, refusal = second_factor(book, cipher, attempt)
    if refusal is not None:
        raise refusal
    return account


def read_only(engine: Engine, path: Path, cipher: FieldCipher, attempt: Attempt) -> Account:
    """The checks of a logon that may write nothing (the disk is full, to verify the audit
    trail): a locked or disabled account and a wrong code are refused as ever, but neither
    the refusal nor the code's use can be recorded."""
    with _transaction(engine, path) as book:
        account = book.get(attempt.operator)
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
            secret = book.otp_secret(account.operator, cipher)
            assert secret is not None
            moment = attempt.now().timestamp()
            if otp.matching_step(secret, typed, after=account.last_step, now=moment) is None:
                raise WrongCode()
    return account

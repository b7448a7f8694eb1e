"""Storage layer: what a logged-on store does with accounts: add, reset, release, disable,
enroll one-time codes, check its own operator again (device unlock, re-authentication).

Each change commits with its audit record in one transaction. Who may ask for which change
is the broker's to check (broker/accounts.py): this layer keeps the data consistent.
"""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from console.domain.access import Role
from console.storage import accounts, otp, profile_seal
from console.storage.accounts import Account
from console.storage.audit import AuditNote
from console.storage.crypto import FieldCipher
from console.storage.errors import (
    AccountDisabled,
    AccountLocked,
    CorruptData,
    OperatorExists,
    StorageError,
    WrongCode,
    WrongSecret,
)
from console.storage.keyslots import KdfParams, KeySlot, unwrap_key, wrap_key
from console.storage.logon import Attempt, FileBook, count_failure
from console.storage.worker import Worker

Note = Callable[[sqlite3.Cursor, AuditNote], int]
_SLOT = "SELECT salt, kdf, kdf_memory_cost, kdf_iterations, kdf_lanes, wrapped FROM key_slot "


class UnknownOperator(StorageError):
    def __init__(self, operator: str) -> None:
        self.operator = operator
        super().__init__(f"no operator {operator} on this profile")


class AccountAdmin:
    """Account work of one unlocked store; ``note`` appends an audit record as that store."""

    def __init__(
        self,
        worker: Worker,
        data_key: bytes,
        cipher: FieldCipher,
        note: Note,
        *,
        operator: str,
        workstation: str,
        ori: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._worker = worker
        self._data_key = data_key
        self._cipher = cipher
        self._note = note
        self._operator = operator
        self._workstation = workstation
        self._ori = ori
        self._clock = clock

    async def list(self) -> list[Account]:
        return await self._worker.read(accounts.every)

    async def get(self, operator: str) -> Account | None:
        return await self._worker.read(lambda c: accounts.get(c, operator))

    async def add(self, operator: str, secret: str, role: Role) -> None:
        """Give ``operator`` access: the data key wrapped under their secret, an account."""

        def work(cursor: sqlite3.Cursor) -> None:
            if cursor.execute(_SLOT + "WHERE operator_id = ?", (operator,)).fetchone():
                raise OperatorExists(operator)
            _write_slot(cursor, wrap_key(self._data_key, operator, secret), insert=True)
            accounts.insert(cursor, operator, role, self._clock())
            self._record(cursor, AuditNote("account", f"added {role.value}", operator))

        await self._worker.write(work)

    async def reset(self, operator: str, secret: str) -> None:
        """A supervisor sets a new password for ``operator`` (forgotten, or suspected known);
        the lock is released and the one-time codes stay as they were."""

        def work(cursor: sqlite3.Cursor) -> None:
            self._existing(cursor, operator)
            _write_slot(cursor, wrap_key(self._data_key, operator, secret), insert=False)
            accounts.password_changed(cursor, operator, self._clock())
            accounts.release(cursor, operator)
            self._record(cursor, AuditNote("account", "password reset", operator))

        await self._worker.write(work)

    async def change_own(self, old: str, new: str) -> None:
        """The operator changes their own password, proving the old one."""

        def work(cursor: sqlite3.Cursor) -> None:
            self._check_own_secret(cursor, old)
            _write_slot(cursor, wrap_key(self._data_key, self._operator, new), insert=False)
            accounts.password_changed(cursor, self._operator, self._clock())
            self._record(cursor, AuditNote("account", "password changed", self._operator))

        await self._worker.write(work)

    async def release(self, operator: str) -> None:
        def work(cursor: sqlite3.Cursor) -> None:
            if not self._existing(cursor, operator).locked:
                raise StorageError(f"operator {operator} is not locked")
            accounts.release(cursor, operator)
            self._record(cursor, AuditNote("account", "released from lock", operator))

        await self._worker.write(work)

    async def set_active(self, operator: str, *, active: bool) -> None:
        def work(cursor: sqlite3.Cursor) -> None:
            self._existing(cursor, operator)
            accounts.set_state(cursor, operator, active=active)
            outcome = "enabled" if active else "disabled"
            self._record(cursor, AuditNote("account", outcome, operator))

        await self._worker.write(work)

    async def set_role(self, operator: str, role: Role) -> None:
        def work(cursor: sqlite3.Cursor) -> None:
            before = self._existing(cursor, operator).role
            accounts.set_role(cursor, operator, role)
            change = f"role {before.value} to {role.value}"
            self._record(cursor, AuditNote("account", change, operator))

        await self._worker.write(work)

    async def enroll(self, secret: bytes, code: str) -> None:
        """Enroll this store's operator for one-time codes: ``code`` proves their app has
        ``secret`` (an enrollment nobody can answer would lock them out)."""
        step = otp.matching_step(secret, code, after=0, now=self._clock().timestamp())
        if step is None:
            raise WrongCode()

        def work(cursor: sqlite3.Cursor) -> None:
            accounts.set_otp(cursor, self._cipher, self._operator, secret)
            accounts.succeeded(cursor, self._operator, step)
            self._record(cursor, AuditNote("account", "one-time codes enrolled", self._operator))

        await self._worker.write(work)

    async def withdraw_codes(self, operator: str) -> None:
        """A supervisor withdraws a lost authenticator; the operator enrolls again at logon."""

        def work(cursor: sqlite3.Cursor) -> None:
            self._existing(cursor, operator)
            accounts.set_otp(cursor, self._cipher, operator, None)
            self._record(cursor, AuditNote("account", "one-time codes withdrawn", operator))

        await self._worker.write(work)

    async def recorded(self, outcome: str, operator: str) -> None:
        """An account change made elsewhere (at the centre), in this store's trail."""
        note = AuditNote("account", outcome, operator)
        await self._worker.write(lambda cursor: self._record(cursor, note))

    async def verify(self, secret: str, code: str | None = None) -> None:
        """This store's operator proves who they are again (device unlock, every 12 hours);
        a failure counts towards the lockout like a failed logon, and is audited."""

        def work(cursor: sqlite3.Cursor) -> StorageError | None:
            account = self._existing(cursor, self._operator)
            attempt = Attempt(self._operator, self._workstation, code, self._clock)
            if account.locked:  # by failures elsewhere, or a supervisor meanwhile
                return AccountLocked(self._operator)
            if not account.active:
                return AccountDisabled(self._operator)
            try:
                self._check_own_secret(cursor, secret)
            except WrongSecret:
                return self._failed(cursor, account, attempt, "password")
            if account.enrolled:
                stored = accounts.otp_secret(cursor, self._cipher, self._operator)
                assert stored is not None
                moment = self._clock().timestamp()
                step = otp.matching_step(stored, code or "", after=account.last_step, now=moment)
                if step is None:
                    return self._failed(cursor, account, attempt, "code")
                accounts.succeeded(cursor, self._operator, step)
            else:
                accounts.succeeded(cursor, self._operator)
            self._record(cursor, AuditNote("authentication", "success", self._operator))
            return None

        error = await self._worker.write(work)
        if error is not None:
            raise error

    def _record(self, cursor: sqlite3.Cursor, note: AuditNote) -> None:
        # Every keyed account change is audited and resealed in its own transaction, so the
        # seal always covers the accounts as the console last left them (profile_seal).
        self._note(cursor, note)
        profile_seal.reseal(cursor, self._cipher)

    def _failed(
        self, cursor: sqlite3.Cursor, account: Account, attempt: Attempt, what: str
    ) -> StorageError:
        # the operator is known here (logged on): their lock may be named
        error = count_failure(FileBook(cursor), account, attempt, what, at_logon=False)
        accounts.move_attempts_to_audit(cursor, self._cipher, self._ori)  # we hold the key
        profile_seal.reseal(cursor, self._cipher)
        return error

    def _existing(self, cursor: sqlite3.Cursor, operator: str) -> Account:
        account = accounts.get(cursor, operator)
        if account is None:
            raise UnknownOperator(operator)
        return account

    def _check_own_secret(self, cursor: sqlite3.Cursor, secret: str) -> None:
        row = cursor.execute(_SLOT + "WHERE operator_id = ?", (self._operator,)).fetchone()
        if row is None:
            raise UnknownOperator(self._operator)
        slot = _slot(self._operator, row)
        if not hmac.compare_digest(unwrap_key(slot, secret), self._data_key):
            raise CorruptData(f"key slot of {self._operator!r} holds a different database's key")


def _slot(operator: str, row: tuple[bytes, str, int, int, int, bytes]) -> KeySlot:
    salt, kdf, memory, iterations, lanes, wrapped = row
    params = KdfParams(memory, iterations, lanes, kdf)
    return KeySlot(operator=operator, salt=bytes(salt), kdf=params, wrapped=bytes(wrapped))


def _write_slot(cursor: sqlite3.Cursor, slot: KeySlot, *, insert: bool) -> None:
    values = (
        slot.salt,
        slot.kdf.name,
        slot.kdf.memory_cost,
        slot.kdf.iterations,
        slot.kdf.lanes,
        slot.wrapped,
        slot.operator,
    )
    if insert:
        cursor.execute(
            "INSERT INTO key_slot (salt, kdf, kdf_memory_cost, kdf_iterations, kdf_lanes, "
            "wrapped, operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, datetime.now(UTC).isoformat(timespec="microseconds")),
        )
    else:
        cursor.execute(
            "UPDATE key_slot SET salt = ?, kdf = ?, kdf_memory_cost = ?, kdf_iterations = ?, "
            "kdf_lanes = ?, wrapped = ? WHERE operator_id = ?",
            values,
        )

"""Centre layer: the account work a supervisor at a position does on the centre's accounts
(add, reset, release, disable, roles, codes) and an operator's own (enrollment, password).

Who may ask is the broker's to check (broker/accounts.py), as on a lone PC; this layer keeps
the centre's data consistent, each change in one transaction. The position's audit trail
records each change (the broker writes it), and the trail reaches the centre with the rest.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine

from console.center import accounts
from console.center.accounts import CenterRecord
from console.center.connection import CenterAddress, plain_errors
from console.center.logon import CenterAttempt, CenterBook, otp_secret, seal_otp, seen
from console.domain.access import Role
from console.storage import otp
from console.storage.account_admin import UnknownOperator
from console.storage.accounts import Account
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
from console.storage.keyslots import unwrap_key, wrap_key
from console.storage.logon import count_failure

T = TypeVar("T")


class UnknownAtCenter(UnknownOperator):
    """No such operator among the centre's accounts."""

    def __init__(self, operator: str) -> None:
        super().__init__(operator)
        self.args = (f"no operator {operator} at the centre",)


class CenterAccounts:
    """The centre's accounts as one logged-on position's operator reaches them."""

    def __init__(
        self,
        engine: Engine,
        address: CenterAddress,
        data_key: bytes,
        *,
        operator: str,
        workstation: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._engine = engine
        self._address = address
        self._data_key = data_key
        self._cipher = FieldCipher(data_key)
        self._operator = operator
        self._workstation = workstation
        self._clock = clock

    @property
    def where(self) -> str:
        return self._address.where

    async def _run(self, work: Callable[[Connection], T]) -> T:
        def job() -> T:
            with plain_errors(self._address), self._engine.begin() as conn:
                return work(conn)

        return await asyncio.to_thread(job)

    async def list(self) -> list[Account]:
        return [r.account for r in await self._run(accounts.every)]

    async def get(self, operator: str) -> Account | None:
        found = await self._run(lambda c: accounts.get(c, operator))
        return None if found is None else found.account

    async def add(self, operator: str, secret: str, role: Role) -> None:
        slot = await asyncio.to_thread(wrap_key, self._data_key, operator, secret)

        def work(conn: Connection) -> None:
            if accounts.get(conn, operator, for_update=True) is not None:
                raise OperatorExists(operator)
            accounts.insert(conn, slot, role, self._clock())

        await self._run(work)

    async def reset(self, operator: str, secret: str) -> None:
        slot = await asyncio.to_thread(wrap_key, self._data_key, operator, secret)

        def work(conn: Connection) -> None:
            self._existing(conn, operator)
            accounts.write_slot(conn, slot, self._clock())
            accounts.release(conn, operator)

        await self._run(work)

    async def release(self, operator: str) -> None:
        def work(conn: Connection) -> None:
            if not self._existing(conn, operator).account.locked:
                raise StorageError(f"operator {operator} is not locked")
            accounts.release(conn, operator)

        await self._run(work)

    async def set_active(self, operator: str, *, active: bool) -> None:
        def work(conn: Connection) -> None:
            self._existing(conn, operator)
            accounts.set_state(conn, operator, active=active)

        await self._run(work)

    async def set_role(self, operator: str, role: Role) -> Role:
        """The new role; returns the one it replaced."""

        def work(conn: Connection) -> Role:
            before = self._existing(conn, operator).account.role
            accounts.set_role(conn, operator, role)
            return before

        return await self._run(work)

    async def withdraw_codes(self, operator: str) -> None:
        def work(conn: Connection) -> None:
            self._existing(conn, operator)
            accounts.set_otp(conn, operator, None)

        await self._run(work)

    async def enroll(self, secret: bytes, code: str) -> None:
        """Enroll this operator at the centre: ``code`` proves their app has ``secret``."""
        step = otp.matching_step(secret, code, after=0, now=self._clock().timestamp())
        if step is None:
            raise WrongCode()
        sealed = seal_otp(self._cipher, self._operator, secret)

        def work(conn: Connection) -> None:
            self._existing(conn, self._operator)
            accounts.set_otp(conn, self._operator, sealed, step)

        await self._run(work)

    async def change_own(self, old: str, new: str) -> None:
        """This operator's new password at the centre, proving the old one there."""
        record = await self._run(lambda c: self._existing(c, self._operator))
        await asyncio.to_thread(self._check_secret, record, old)
        slot = await asyncio.to_thread(wrap_key, self._data_key, self._operator, new)
        await self._run(lambda c: accounts.write_slot(c, slot, self._clock()))

    async def verify(self, secret: str, code: str | None) -> Account:
        """This operator proves who they are again (device unlock): judged and counted at the
        centre, as a logon is; the account as it is now."""
        record = await self._run(lambda c: self._existing(c, self._operator))
        try:
            await asyncio.to_thread(self._check_secret, record, secret)
            right = True
        except WrongSecret:
            right = False
        attempt = CenterAttempt(self._operator, self._workstation, code, self._clock)

        def work(conn: Connection) -> tuple[Account | None, StorageError | None]:
            found = self._existing(conn, self._operator, for_update=True)
            account = found.account
            if account.locked:
                return None, AccountLocked(self._operator)
            if not account.active:
                return None, AccountDisabled(self._operator)
            book = CenterBook(conn, found)
            if not right:
                return None, count_failure(book, account, attempt, "password", at_logon=False)
            step = None
            if account.enrolled:
                stored = otp_secret(self._cipher, found)
                assert stored is not None
                moment = self._clock().timestamp()
                step = otp.matching_step(stored, code or "", after=account.last_step, now=moment)
                if step is None:
                    return None, count_failure(book, account, attempt, "code", at_logon=False)
            accounts.succeeded(conn, self._operator, step)
            return account, None

        account, error = await self._run(work)
        if error is not None:
            raise error
        assert account is not None
        return account

    async def forget_attempts(self, ids: Sequence[int]) -> None:
        """Attempts now in a position's audit trail leave the centre's waiting list."""
        await self._run(lambda c: accounts.forget_attempts(c, ids))

    async def logged_off(self) -> None:
        """Nobody is logged on at this position any more (``center status`` reads it)."""
        await self._run(lambda c: seen(c, self._workstation, None, self._clock()))

    def _check_secret(self, record: CenterRecord, secret: str) -> None:
        if not hmac.compare_digest(unwrap_key(record.slot, secret), self._data_key):
            raise CorruptData(f"the centre's key slot of {self._operator!r} holds another key")

    def _existing(
        self, conn: Connection, operator: str, *, for_update: bool = False
    ) -> CenterRecord:
        found = accounts.get(conn, operator, for_update=for_update)
        if found is None:
            raise UnknownAtCenter(operator)
        return found

"""What a supervisor does, checked here whatever asks (GUI or command line): operator
accounts, the profile's settings, the audit review. Every action is audited by the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from console.broker.access import Access
from console.domain.access import Permission, Role, check_password, operator_id
from console.domain.errors import ConsoleError
from console.storage import AuditChainBroken, Store
from console.storage import AuditRecord as AuditRecord
from console.storage import otp as otp  # the GUI's enrollment reads it here
from console.storage.accounts import Account as Account
from console.storage.audit import audit_time as audit_time
from console.storage.errors import AccountDisabled as AccountDisabled
from console.storage.errors import AccountLocked as AccountLocked
from console.storage.settings import Profile, Settings


async def standing(store: Store, access: Access, permission: Permission | None) -> None:
    """Check ``permission`` against the account as it is now, not as it was at logon: a
    supervisor demoted or disabled meanwhile loses the right at once."""
    account = await store.accounts.get(access.operator)
    if account is None or not account.active or account.locked:
        raise ConsoleError(f"operator {access.operator} is no longer active: log on again")
    access.role = account.role
    if permission is not None:
        access.require(permission)


class AccountDesk:
    """Operator accounts, for supervisors (AC-2): add, reset, release, disable, roles."""

    def __init__(self, store: Store, access: Access, ori: str) -> None:
        self._store = store
        self._access = access
        self._ori = ori

    async def list(self) -> list[Account]:
        await standing(self._store, self._access, Permission.ACCOUNTS)
        return await self._store.accounts.list()

    async def add(self, operator: str, password: str, role: Role = Role.OPERATOR) -> None:
        await standing(self._store, self._access, Permission.ACCOUNTS)
        operator = operator_id(operator)
        check_password(password, context=(operator, self._ori))
        await self._store.accounts.add(operator, password, role)

    async def reset(self, operator: str, password: str) -> None:
        """A new password for ``operator``; releases a lock too (the reset is the release)."""
        await standing(self._store, self._access, Permission.ACCOUNTS)
        check_password(password, context=(operator, self._ori))
        await self._store.accounts.reset(operator, password)

    async def release(self, operator: str) -> None:
        await standing(self._store, self._access, Permission.ACCOUNTS)
        await self._store.accounts.release(operator)

    async def disable(self, operator: str) -> None:
        await standing(self._store, self._access, Permission.ACCOUNTS)
        await self._keep_a_supervisor(operator)
        await self._store.accounts.set_active(operator, active=False)

    async def enable(self, operator: str) -> None:
        await standing(self._store, self._access, Permission.ACCOUNTS)
        await self._store.accounts.set_active(operator, active=True)

    async def set_role(self, operator: str, role: Role) -> None:
        await standing(self._store, self._access, Permission.ACCOUNTS)
        if role is not Role.SUPERVISOR:
            await self._keep_a_supervisor(operator)
        await self._store.accounts.set_role(operator, role)

    async def withdraw_codes(self, operator: str) -> None:
        """A lost or replaced authenticator: the operator enrolls again at their next logon."""
        await standing(self._store, self._access, Permission.ACCOUNTS)
        await self._store.accounts.withdraw_codes(operator)

    async def change_own_password(self, old: str, new: str) -> None:
        """Any active operator may change their own password (proving the old one)."""
        await standing(self._store, self._access, None)
        check_password(new, context=(self._access.operator, self._ori))
        await self._store.accounts.change_own(old, new)

    async def _keep_a_supervisor(self, operator: str) -> None:
        """A profile never loses its last active supervisor: no one could add or release."""
        others = [
            a
            for a in await self._store.accounts.list()
            if a.role is Role.SUPERVISOR and a.active and a.operator != operator
        ]
        target = await self._store.accounts.get(operator)
        if target is not None and target.role is Role.SUPERVISOR and not others:
            raise ConsoleError(f"{operator} is the last active supervisor: add another first")


@dataclass(frozen=True)
class ChainStatus:
    verified: bool
    records: int  # verified records, or the first bad one's number
    error: AuditChainBroken | None = None


class AuditDesk:
    """The audit review (AU-6), for supervisors: records by period, the chain's state, the
    sign-off that a review was done. Reading the trail is itself audited (AU-9)."""

    def __init__(self, store: Store, access: Access) -> None:
        self._store = store
        self._access = access

    async def records(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[AuditRecord]:
        await standing(self._store, self._access, Permission.AUDIT)
        await self._store.import_attempts()  # failed logons since this session began too
        found = await self._store.audit_records(start, end)
        period = f"{start:%Y-%m-%d}" if start else "start"
        if end is not None:  # the period ends before ``end``: name the last day it holds
            last = end - timedelta(microseconds=1)
            period += f"..{last:%Y-%m-%d}"
        else:
            period += "..now"
        await self._store.audit("audit", "reviewed", f"{len(found)} records {period}")
        return found

    async def chain(self) -> ChainStatus:
        await standing(self._store, self._access, Permission.AUDIT)
        try:
            count = await self._store.verify_audit()
        except AuditChainBroken as exc:
            await self._store.audit("audit", "chain broken", str(exc))
            return ChainStatus(False, exc.seq, exc)
        await self._store.audit("audit", "verified", f"{count} records")
        return ChainStatus(True, count)

    async def sign_off(self, first: date, last: date, note: str = "") -> None:
        """Record that the review of ``first``..``last`` was done, by whom, with a note."""
        await standing(self._store, self._access, Permission.AUDIT)
        if last < first:
            raise ConsoleError("the review period ends before it starts")
        text = f"{first:%Y-%m-%d}..{last:%Y-%m-%d}" + (f": {note.strip()}" if note.strip() else "")
        await self._store.audit("audit", "review completed", text)

    async def allowed(self) -> None:
        """Raise unless the operator may review the trail now (before an export is written)."""
        await standing(self._store, self._access, Permission.AUDIT)

    async def exported(self, count: int, where: str) -> None:
        await standing(self._store, self._access, Permission.AUDIT)
        await self._store.audit("audit", "exported", f"{count} records to {where}")


class GuardedSettings:
    """The profile's settings file: anyone reads, a supervisor saves (audited)."""

    def __init__(self, profile: Profile, store: Store, access: Access) -> None:
        self._profile = profile
        self._store = store
        self._access = access

    @property
    def pki_dir(self) -> Path:
        return self._profile.pki_dir

    def load(self) -> Settings:
        return self._profile.load()

    def save(self, settings: Settings) -> None:
        self._access.require(Permission.SETTINGS)
        self._profile.save(settings)

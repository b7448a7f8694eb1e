"""What a supervisor does, checked here whatever asks (GUI or command line): operator
accounts, the profile's settings, the audit review. Every action is audited by the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from console.broker.access import Access
from console.broker.agency_settings import saved_at_centre
from console.center.agency import AGENCY_SETTINGS
from console.center.desk import CenterAccounts
from console.center.errors import CenterError, CenterUnreachable
from console.center.position import CenterLink
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


def center_of(access: Access) -> CenterAccounts | None:
    """The centre's accounts when the operator logged on at a position (None: a lone PC, or
    the centre unreachable at logon)."""
    return access.center.accounts if access.center is not None else None


def _offline(access: Access) -> None:
    if access.center is not None and access.center.offline is not None:
        raise CenterUnreachable(
            access.center.offline.where,
            "accounts are kept there: log on again once it is back to change one",
        )


async def standing(store: Store, access: Access, permission: Permission | None) -> None:
    """Check ``permission`` against the account as it is now, not as it was at logon: a
    supervisor demoted or disabled meanwhile loses the right at once (at a position, as the
    centre holds it)."""
    center = center_of(access)
    account = None
    try:
        if center is not None:
            account = await center.get(access.operator)
    except CenterError:  # the centre gone meanwhile: reviewing goes on with the copy here
        center = None
    if center is None:
        account = await store.accounts.get(access.operator)
    if account is None or not account.active or account.locked:
        raise ConsoleError(f"operator {access.operator} is no longer active: log on again")
    access.role = account.role
    if permission is not None:
        access.require(permission)


class AccountDesk:
    """Operator accounts, for supervisors (AC-2): add, reset, release, disable, roles. At a
    position of a centre they are the centre's; each change is recorded in the position's
    audit trail as on a lone PC (and made to the position's own copy, if it holds one)."""

    def __init__(self, store: Store, access: Access, ori: str) -> None:
        self._store = store
        self._access = access
        self._ori = ori

    async def _center(self, permission: Permission | None) -> CenterAccounts | None:
        await standing(self._store, self._access, permission)
        _offline(self._access)
        return center_of(self._access)

    async def _here(self, operator: str) -> bool:
        return await self._store.accounts.get(operator) is not None

    async def list(self) -> list[Account]:
        center = await self._center(Permission.ACCOUNTS)
        return await (center or self._store.accounts).list()

    async def add(self, operator: str, password: str, role: Role = Role.OPERATOR) -> None:
        center = await self._center(Permission.ACCOUNTS)
        operator = operator_id(operator)
        check_password(password, context=(operator, self._ori))
        if center is None:
            await self._store.accounts.add(operator, password, role)
            return
        await center.add(operator, password, role)
        await self._store.accounts.recorded(f"added {role.value}", operator)

    async def reset(self, operator: str, password: str) -> None:
        """A new password for ``operator``; releases a lock too (the reset is the release)."""
        center = await self._center(Permission.ACCOUNTS)
        check_password(password, context=(operator, self._ori))
        if center is not None:
            await center.reset(operator, password)
            if not await self._here(operator):
                await self._store.accounts.recorded("password reset", operator)
                return
        await self._store.accounts.reset(operator, password)

    async def release(self, operator: str) -> None:
        center = await self._center(Permission.ACCOUNTS)
        if center is None:
            await self._store.accounts.release(operator)
            return
        await center.release(operator)
        here = await self._store.accounts.get(operator)
        if here is not None and here.locked:
            await self._store.accounts.release(operator)
        else:
            await self._store.accounts.recorded("released from lock", operator)

    async def disable(self, operator: str) -> None:
        center = await self._center(Permission.ACCOUNTS)
        await self._keep_a_supervisor(operator, center)
        await self._set_active(center, operator, active=False)

    async def enable(self, operator: str) -> None:
        center = await self._center(Permission.ACCOUNTS)
        await self._set_active(center, operator, active=True)

    async def _set_active(
        self, center: CenterAccounts | None, operator: str, *, active: bool
    ) -> None:
        if center is not None:
            await center.set_active(operator, active=active)
            if not await self._here(operator):
                outcome = "enabled" if active else "disabled"
                await self._store.accounts.recorded(outcome, operator)
                return
        await self._store.accounts.set_active(operator, active=active)

    async def set_role(self, operator: str, role: Role) -> None:
        center = await self._center(Permission.ACCOUNTS)
        if role is not Role.SUPERVISOR:
            await self._keep_a_supervisor(operator, center)
        if center is not None:
            before = await center.set_role(operator, role)
            if not await self._here(operator):
                change = f"role {before.value} to {role.value}"
                await self._store.accounts.recorded(change, operator)
                return
        await self._store.accounts.set_role(operator, role)

    async def withdraw_codes(self, operator: str) -> None:
        """A lost or replaced authenticator: the operator enrolls again at their next logon."""
        center = await self._center(Permission.ACCOUNTS)
        if center is not None:
            await center.withdraw_codes(operator)
            if not await self._here(operator):
                await self._store.accounts.recorded("one-time codes withdrawn", operator)
                return
        await self._store.accounts.withdraw_codes(operator)

    async def change_own_password(self, old: str, new: str) -> None:
        """Any active operator may change their own password (proving the old one)."""
        center = await self._center(None)
        check_password(new, context=(self._access.operator, self._ori))
        if center is not None:  # at the centre first: the copy here follows it
            await center.change_own(old, new)
        await self._store.accounts.change_own(old, new)

    async def _keep_a_supervisor(self, operator: str, center: CenterAccounts | None) -> None:
        """A profile (or a centre) never loses its last active supervisor: no one could add
        or release."""
        every = await (center or self._store.accounts).list()
        others = [
            a for a in every if a.role is Role.SUPERVISOR and a.active and a.operator != operator
        ]
        target = next((a for a in every if a.operator == operator), None)
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

    async def sign_off(self, first: date, last: date, note: str = "", *, scope: str = "") -> None:
        """Record that the review of ``first``..``last`` was done, by whom, with a note; a
        ``scope`` says what it covered (at a position: the centre and the filter)."""
        await standing(self._store, self._access, Permission.AUDIT)
        if last < first:
            raise ConsoleError("the review period ends before it starts")
        text = f"{first:%Y-%m-%d}..{last:%Y-%m-%d}" + (f" ({scope})" if scope else "")
        text += f": {note.strip()}" if note.strip() else ""
        await self._store.audit("audit", "review completed", text)

    async def allowed(self) -> None:
        """Raise unless the operator may review the trail now (before an export is written)."""
        await standing(self._store, self._access, Permission.AUDIT)

    async def exported(self, count: int, where: str) -> None:
        await standing(self._store, self._access, Permission.AUDIT)
        await self._store.audit("audit", "exported", f"{count} records to {where}")


class GuardedSettings:
    """The profile's settings file: anyone reads, a supervisor saves (audited); at a position
    of a centre the agency's settings are saved at the centre first, over what it holds, and
    the file keeps the centre's values of the ones this save did not change."""

    def __init__(
        self, profile: Profile, store: Store, access: Access, center: CenterLink | None = None
    ) -> None:
        self._profile = profile
        self._store = store
        self._access = access
        self.center = center

    @property
    def pki_dir(self) -> Path:
        return self._profile.pki_dir

    @property
    def agency(self) -> tuple[str, ...]:
        return AGENCY_SETTINGS if self.center is not None else ()

    def load(self) -> Settings:
        return self._profile.load()

    async def save(self, settings: Settings) -> None:
        self._access.require(Permission.SETTINGS)
        if self.center is not None:
            settings = await saved_at_centre(
                self._store, self.center, self._profile.load(), settings
            )
        self._profile.save(settings)

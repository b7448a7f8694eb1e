"""Opening and closing a working session on a profile: settings, store, link, broker."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import shutil
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.broker.access import Access
from console.broker.accounts import AccountDesk, GuardedSettings
from console.broker.agency_settings import copied_from_centre
from console.broker.broker import Broker
from console.broker.center_cache import SharedCache
from console.broker.center_forward import AuditForwarder
from console.broker.center_watch import SharedWatch
from console.broker.policy import cache_ttls
from console.broker.position import CenterJoin, forget_secret, log_on_position, register, unlock_for
from console.broker.review_desk import ReviewDesk
from console.broker.watch import WatchList
from console.center.desk import CenterAccounts
from console.center.errors import CenterError, CenterUnreachable
from console.center.position import CenterLink, position_center
from console.domain.access import MAX_FAILURES, Role, operator_id
from console.domain.errors import ConsoleError, FieldError
from console.storage import AuditChainBroken, Store
from console.storage.accounts import Account
from console.storage.errors import AccountDisabled, AccountLocked, WrongCode, WrongSecret
from console.storage.layout import LayoutFile
from console.storage.settings import Profile, Settings
from console.transport.link import SwitchLink
from console.transport.pki import check_bundle, client_context, terminal_files


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) into its parts; FieldError when malformed."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise FieldError("address", "must be HOST:PORT with a port of 0-65535", text)
    return host.strip("[]"), int(port)


async def init_profile(
    profile: Profile,
    settings: Settings,
    *,
    pki_source: Path,
    operator: str,
    secret: str,
    center: CenterJoin | None = None,
) -> None:
    """Create a profile: settings, the terminal's PKI material and the encrypted database,
    whose first operator is a supervisor (who then adds the others). With ``center``, a
    position joining it: ``operator`` is one of the centre's supervisors, whose password
    unwraps the agency's key for the database; no account is made. Nothing is left behind
    when it fails, so it can simply be tried again."""
    operator = operator_id(operator)
    if profile.exists() or profile.database_path.exists():
        raise ConsoleError(f"a profile already exists at {profile.root}")
    source = check_bundle(pki_source, settings.ori, settings.terminal, load=False)
    if center is not None:
        settings = dataclasses.replace(
            settings, center_url=center.address().text(), workstation=workstation(settings)
        )
    joining = None if center is None else await unlock_for(center, settings, operator, secret)
    existed = profile.root.exists()
    profile.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        target = terminal_files(profile.pki_dir, settings.ori, settings.terminal)
        profile.pki_dir.mkdir(mode=0o700, exist_ok=True)
        for src, dst in (
            (source.ca, target.ca),
            (source.cert, target.cert),
            (source.key, target.key),
        ):
            shutil.copyfile(src, dst)
            dst.chmod(0o600)
        profile.save(settings)
        store = await Store.create(
            profile.database_path,
            operator,
            secret,
            workstation=workstation(settings),
            ori=settings.ori,
            role=Role.SUPERVISOR,
            data_key=None if joining is None else joining.data_key,
        )
    except BaseException:
        _undo(profile, remove_root=not existed)
        raise
    if center is not None:
        try:
            await register(profile, center, settings)
            await store.audit("profile", "joined the centre", f"by supervisor {operator}")
        except BaseException:
            await store.close()
            _undo(profile, remove_root=not existed)
            raise
        await store.close()
        return
    try:
        await store.audit("profile", "created", f"first supervisor {operator}")
    finally:
        await store.close()


def _undo(profile: Profile, *, remove_root: bool) -> None:
    """What a failed ``init_profile`` wrote goes again (never anything that was there)."""
    for path in (profile.settings_path, profile.database_path):
        path.unlink(missing_ok=True)
    forget_secret(profile)
    shutil.rmtree(profile.pki_dir, ignore_errors=True)
    if remove_root:
        with contextlib.suppress(OSError):
            profile.root.rmdir()


class UnlockRefused(ConsoleError):
    """A wrong password or code when the operator proves who they are again, with the number
    of attempts left before the account locks (AC-7)."""

    def __init__(self, reason: str, left: int) -> None:
        self.left = left
        plural = "attempt" if left == 1 else "attempts"
        super().__init__(f"{reason}: {left} {plural} left before the account locks")


class Session:
    """One operator logged on to one profile; ``close`` logs off and releases everything."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        broker: Broker,
        watch_list: WatchList,
        profile: Profile | None = None,
        center: CenterLink | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.broker = broker
        self.watch_list = watch_list
        self.access = broker.access
        self.accounts = AccountDesk(store, broker.access, settings.ori)
        self.audit_review = ReviewDesk(store, broker.access, center)  # a position: the centre's
        self.settings_file = (
            GuardedSettings(profile, store, broker.access, center) if profile else None
        )
        self.layouts = LayoutFile(profile.root) if profile else None  # each operator's own
        self.resumed = 0  # queries left pending by an earlier run, taken up again
        self._checking: asyncio.Task[bool] | None = None
        self.forwarder: AuditForwarder | None = None  # a position of a centre only

    @classmethod
    async def open(
        cls,
        profile: Profile,
        operator: str,
        secret: str,
        *,
        code: str | None = None,
        watch_tick: float = 30.0,
        watch: bool = True,
    ) -> Session:
        """Log on with the password and, once enrolled, a one-time ``code``; ``watch=False``
        for one-off headless work (the watch list runs in the GUI).

        Lockout, disabled accounts and wrong codes are refused by the store (and recorded);
        a trainer may log on to demo and training profiles only.
        """
        settings = profile.load()
        files = terminal_files(profile.pki_dir, settings.ori, settings.terminal)
        context = client_context(files)
        center = position_center(profile, settings)  # before the logon: a bad one fails first
        store, access = await log_on(profile, operator, secret, code=code, settings=settings)
        if center is not None and access.center is not None and access.center.offline is None:
            logon = access.center.engine  # its connection to the centre, just made
            settings = await copied_from_centre(profile, settings, store, center, logon)
        retention = timedelta(days=settings.cache_retention_days)
        await store.cache_purge(datetime.now(UTC) - retention)
        link = SwitchLink(
            settings.switch_host,
            settings.switch_port,
            context,
            server_hostname=settings.switch_name,
        )
        broker = Broker(
            store,
            link,
            access=access,
            ori=settings.ori,
            terminal=settings.terminal,
            window=settings.window,
            send_rate=settings.send_rate,
            still_waiting_after=settings.answer_timeout,
            cache_ttl=cache_ttls(settings.person_cache_minutes),
            training=settings.demo,
        )
        watch_list = WatchList(
            broker, interval=timedelta(minutes=settings.watch_minutes), tick=watch_tick
        )
        if center is not None:  # the agency's list, at the centre
            watch_list.shared = SharedWatch(store, center, center.workstation)
        session = cls(settings, store, broker, watch_list, profile, center)
        if center is not None:
            await session.forward_audit_to(center)
            await session.share_cache_with(center, datetime.now(UTC) - retention)
        # A rolled-back profile's outbox may hold as pending queries answered long ago: none is
        # sent again by itself (the check at logon raises the alert; the queue view resends).
        session.resumed = await broker.start(resume=store.rollback is None)
        if watch:
            watch_list.start()
        session._checking = asyncio.create_task(session.check_audit(), name="audit-check")
        return session

    async def forward_audit_to(self, link: CenterLink) -> AuditForwarder:
        """Forward this position's audit trail to its centre for as long as the session runs
        (and once more at logoff); a record the centre holds differently raises an alert."""

        async def alarm(text: str) -> None:
            shown = f"CENTRE AUDIT ALARM: {text}. Tell your supervisor."
            await self.broker.raise_alert("AUDIT", None, shown.encode(), shown)

        self.forwarder = AuditForwarder(self.store, link, self.broker.events, on_alarm=alarm)
        await self.forwarder.start()
        return self.forwarder

    async def share_cache_with(self, link: CenterLink, older_than: datetime) -> SharedCache:
        """Offer this position's answers to the agency's cache at the centre, and ask it for
        the other positions' (answers stored before ``older_than`` are dropped there)."""
        shared = SharedCache(self.store, link)
        await shared.start(older_than)
        self.broker.shared = shared
        return shared

    async def audit_checked(self) -> bool:
        """Wait for the logon's audit check; True when the chain verified."""
        assert self._checking is not None
        return await asyncio.shield(self._checking)

    async def check_audit(self) -> bool:
        """Verify the audit chain (AU-9); a broken one is recorded and raised as an alert."""
        try:
            await self.store.verify_audit()
        except AuditChainBroken as exc:
            text = f"AUDIT TRAIL TAMPERED WITH: {exc}. Tell your supervisor."
            await self.store.audit("audit", "chain broken", str(exc))
            await self.broker.raise_alert("AUDIT", None, text.encode(), text)
            return False
        return True

    @property
    def operator(self) -> str:
        return self.store.operator

    @property
    def center_unreachable(self) -> str | None:
        """At a position that logged on from its copy of the account: why the centre was
        not asked (for the operator's eyes); None when it was, or for a lone PC."""
        center = self.access.center
        return None if center is None or center.offline is None else str(center.offline)

    @property
    def role(self) -> Role:
        return self.access.role

    async def enroll(self, secret: bytes, code: str) -> None:
        """Enroll this operator for one-time codes; ``code`` shows their app has ``secret``
        (at a position: at the centre first, then in the position's copy)."""
        if self.access.center is not None:
            center = self.access.center
            if center.accounts is None:
                assert center.offline is not None
                raise CenterUnreachable(center.offline.where, "enroll once it is back")
            await center.accounts.enroll(secret, code)
        await self.store.accounts.enroll(secret, code)
        self.store.account = await self.store.accounts.get(self.operator)
        self.access.enrolled()

    @property
    def uses_codes(self) -> bool:
        """Whether proving who one is takes a one-time code (the lock screen asks for one)."""
        account = self.store.account
        return account is not None and account.enrolled

    async def check_standing(self) -> None:
        """The account as it is now: disabled or locked meanwhile (by a supervisor, or by
        failures at another terminal) ends the right to work; a new role applies at once."""
        account = await self._account_now()
        if account is None or not account.active:
            raise AccountDisabled(self.operator)
        if account.locked:
            raise AccountLocked(self.operator)
        self.store.account = account
        self.access.role = account.role

    async def authenticate(self, secret: str, code: str | None = None) -> None:
        """Prove again who is at the console (device unlock, re-authentication every 12
        hours). A wrong secret counts towards the lockout; AccountLocked ends the session's
        right to work, and the caller must log off."""
        center = self.access.center.accounts if self.access.center is not None else None
        try:
            try:
                if center is None:
                    await self.store.accounts.verify(secret, code)
                else:  # judged and counted at the centre, as a logon
                    await center.verify(secret, code)
            except CenterError:  # unreachable (or refusing) meanwhile: the position's copy
                center = None
                await self.store.accounts.verify(secret, code)
        except (WrongSecret, WrongCode) as exc:
            # the operator is known here (no enumeration to fear): say how close the lock is
            account = await self._account_now(center)
            failures = account.failed_count if account is not None else 0
            raise UnlockRefused(str(exc), max(MAX_FAILURES - failures, 1)) from None
        self.access.authenticated()

    async def _account_now(self, center: CenterAccounts | None = None) -> Account | None:
        """The account as the centre holds it (a position) or as this profile does."""
        if center is None and self.access.center is not None:
            center = self.access.center.accounts
        if center is not None:
            try:
                return await center.get(self.operator)
            except CenterError:
                pass  # unreachable (or refusing) meanwhile: the position's copy
        return await self.store.accounts.get(self.operator)

    async def close(self) -> None:
        if self._checking is not None:
            await asyncio.gather(self._checking, return_exceptions=True)
        await self.watch_list.close()
        await self.broker.close()
        if self.broker.shared is not None:
            await self.broker.shared.close()
        try:  # critical: on a full disk the reserve file makes room for it
            await self.store.audit("logoff", "success", "", critical=True)
        finally:
            try:
                if self.forwarder is not None:  # the logoff record goes too, if it can
                    await self.forwarder.close()
            finally:
                await self.store.close()
                if self.access.center is not None:
                    await self.access.center.log_off()


async def log_on(
    profile: Profile,
    operator: str,
    secret: str,
    *,
    code: str | None = None,
    settings: Settings | None = None,
) -> tuple[Store, Access]:
    """The profile's store unlocked by ``operator``, and their standing (no network): what
    every session and every headless command starts from. The logon is audited."""
    settings = settings or profile.load()
    # A position of a centre: judged at the centre, or from its local copy while offline.
    position = await log_on_position(profile, settings, operator, secret, code)
    if position is not None:
        store = position.store
    else:
        store = await Store.open(
            profile.database_path,
            operator,
            secret,
            workstation=workstation(settings),
            ori=settings.ori,
            code=code,
        )
    try:
        access = await _admitted(store, settings)
    except BaseException:
        await store.close()
        if position is not None:
            await position.log_off()
        raise
    access.center = position
    return store, access


async def _admitted(store: Store, settings: Settings) -> Access:
    """The logged-on operator's standing, and the logon's audit record."""
    role = store.role
    account = store.account
    assert account is not None
    if role is Role.TRAINER and not settings.demo:
        await store.audit("logon", "refused: trainer on a live profile", "")
        raise ConsoleError(
            f"operator {store.operator} is a trainer: trainers log on to demo and training "
            "profiles only"
        )
    codes_optional = settings.secure_location or settings.demo
    factor = "password and one-time code" if account.enrolled else "password"
    await store.audit("logon", "success", f"{role.value}, {factor}")
    return Access(
        store.operator, role, needs_enrollment=not account.enrolled and not codes_optional
    )


def workstation(settings: Settings | None = None) -> str:
    """This position's name: the profile's ``workstation`` setting, else the host name."""
    if settings is not None and settings.workstation.strip():
        return settings.workstation.strip()
    return socket.gethostname() or "workstation"

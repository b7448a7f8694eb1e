"""Opening and closing a working session on a profile: settings, store, link, broker."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.broker.access import Access
from console.broker.accounts import AccountDesk, AuditDesk, GuardedSettings
from console.broker.broker import Broker
from console.broker.policy import cache_ttls
from console.broker.watch import WatchList
from console.domain.access import MAX_FAILURES, Role, operator_id
from console.domain.errors import ConsoleError, FieldError
from console.storage import AuditChainBroken, Store
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
    profile: Profile, settings: Settings, *, pki_source: Path, operator: str, secret: str
) -> None:
    """Create a profile: settings, the terminal's PKI material and the encrypted database,
    whose first operator is a supervisor (who then adds the others). Nothing is left behind
    when it fails, so it can simply be tried again."""
    operator = operator_id(operator)
    if profile.exists() or profile.database_path.exists():
        raise ConsoleError(f"a profile already exists at {profile.root}")
    source = check_bundle(pki_source, settings.ori, settings.terminal, load=False)
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
            workstation=workstation(),
            ori=settings.ori,
            role=Role.SUPERVISOR,
        )
    except BaseException:
        _undo(profile, remove_root=not existed)
        raise
    try:
        await store.audit("profile", "created", f"first supervisor {operator}")
    finally:
        await store.close()


def _undo(profile: Profile, *, remove_root: bool) -> None:
    """What a failed ``init_profile`` wrote goes again (never anything that was there)."""
    for path in (profile.settings_path, profile.database_path):
        path.unlink(missing_ok=True)
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
    ) -> None:
        self.settings = settings
        self.store = store
        self.broker = broker
        self.watch_list = watch_list
        self.access = broker.access
        self.accounts = AccountDesk(store, broker.access, settings.ori)
        self.audit_review = AuditDesk(store, broker.access)
        self.settings_file = GuardedSettings(profile, store, broker.access) if profile else None
        self.layouts = LayoutFile(profile.root) if profile else None  # each operator's own
        self.resumed = 0  # queries left pending by an earlier run, taken up again
        self._checking: asyncio.Task[bool] | None = None

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
        store, access = await log_on(profile, operator, secret, code=code, settings=settings)
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
        session = cls(settings, store, broker, watch_list, profile)
        # A rolled-back profile's outbox may hold as pending queries answered long ago: none is
        # sent again by itself (the check at logon raises the alert; the queue view resends).
        session.resumed = await broker.start(resume=store.rollback is None)
        if watch:
            watch_list.start()
        session._checking = asyncio.create_task(session.check_audit(), name="audit-check")
        return session

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
    def role(self) -> Role:
        return self.access.role

    async def enroll(self, secret: bytes, code: str) -> None:
        """Enroll this operator for one-time codes; ``code`` shows their app has ``secret``."""
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
        account = await self.store.accounts.get(self.operator)
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
        try:
            await self.store.accounts.verify(secret, code)
        except (WrongSecret, WrongCode) as exc:
            # the operator is known here (no enumeration to fear): say how close the lock is
            account = await self.store.accounts.get(self.operator)
            failures = account.failed_count if account is not None else 0
            raise UnlockRefused(str(exc), max(MAX_FAILURES - failures, 1)) from None
        self.access.authenticated()

    async def close(self) -> None:
        if self._checking is not None:
            await asyncio.gather(self._checking, return_exceptions=True)
        await self.watch_list.close()
        await self.broker.close()
        try:  # critical: on a full disk the reserve file makes room for it
            await self.store.audit("logoff", "success", "", critical=True)
        finally:
            await self.store.close()


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
    store = await Store.open(
        profile.database_path,
        operator,
        secret,
        workstation=workstation(),
        ori=settings.ori,
        code=code,
    )
    try:
        return store, await _admitted(store, settings)
    except BaseException:
        await store.close()
        raise


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


def workstation() -> str:
    return socket.gethostname() or "workstation"

"""Opening and closing a working session on a profile: settings, store, link, broker."""

from __future__ import annotations

import asyncio
import shutil
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.broker.broker import Broker
from console.broker.policy import cache_ttls
from console.broker.watch import WatchList
from console.domain.errors import ConsoleError, FieldError
from console.storage import AuditChainBroken, Store
from console.storage.settings import Profile, Settings
from console.transport.link import SwitchLink
from console.transport.pki import PkiError, client_context, terminal_files


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) into its parts; FieldError when malformed."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise FieldError("address", "must be HOST:PORT with a port of 0-65535", text)
    return host.strip("[]"), int(port)


async def init_profile(
    profile: Profile, settings: Settings, *, pki_source: Path, operator: str, secret: str
) -> None:
    """Create a profile: settings, the terminal's PKI material and the encrypted database."""
    if profile.exists() or profile.database_path.exists():
        raise ConsoleError(f"a profile already exists at {profile.root}")
    source = terminal_files(pki_source, settings.ori, settings.terminal)
    missing = [p.name for p in (source.ca, source.cert, source.key) if not p.exists()]
    if missing:
        raise PkiError(
            f"{pki_source} has no {', '.join(missing)}: run 'pki init {pki_source} "
            f"--ori {settings.ori} --terminal {settings.terminal}' first"
        )
    profile.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = terminal_files(profile.pki_dir, settings.ori, settings.terminal)
    profile.pki_dir.mkdir(mode=0o700, exist_ok=True)
    for src, dst in ((source.ca, target.ca), (source.cert, target.cert), (source.key, target.key)):
        shutil.copyfile(src, dst)
        dst.chmod(0o600)
    profile.save(settings)
    store = await Store.create(
        profile.database_path, operator, secret, workstation=workstation(), ori=settings.ori
    )
    try:
        await store.audit("profile", "created", "")
    finally:
        await store.close()


class Session:
    """One operator logged on to one profile; ``close`` logs off and releases everything."""

    def __init__(
        self, settings: Settings, store: Store, broker: Broker, watch_list: WatchList
    ) -> None:
        self.settings = settings
        self.store = store
        self.broker = broker
        self.watch_list = watch_list
        self.resumed = 0  # queries left pending by an earlier run, taken up again
        self._checking: asyncio.Task[bool] | None = None

    @classmethod
    async def open(
        cls,
        profile: Profile,
        operator: str,
        secret: str,
        *,
        watch_tick: float = 30.0,
        watch: bool = True,
    ) -> Session:
        """Log on; ``watch=False`` for one-off headless work (the watch list runs in the GUI)."""
        settings = profile.load()
        files = terminal_files(profile.pki_dir, settings.ori, settings.terminal)
        context = client_context(files)
        store = await Store.open(
            profile.database_path, operator, secret, workstation=workstation(), ori=settings.ori
        )
        await store.audit("logon", "success", "")
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
            ori=settings.ori,
            terminal=settings.terminal,
            window=settings.window,
            send_rate=settings.send_rate,
            still_waiting_after=settings.answer_timeout,
            cache_ttl=cache_ttls(settings.person_cache_minutes),
        )
        watch_list = WatchList(
            broker, interval=timedelta(minutes=settings.watch_minutes), tick=watch_tick
        )
        session = cls(settings, store, broker, watch_list)
        session.resumed = await broker.start()
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

    async def close(self) -> None:
        if self._checking is not None:
            await asyncio.gather(self._checking, return_exceptions=True)
        await self.watch_list.close()
        await self.broker.close()
        try:
            await self.store.audit("logoff", "success", "")
        finally:
            await self.store.close()


def workstation() -> str:
    return socket.gethostname() or "workstation"

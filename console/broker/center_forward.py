"""The forwarder: a position's audit records go to its centre while its broker runs.

Records are written locally first, as on any PC (the local trail is the spool); the
forwarder sends them on shortly after they are appended, a batch at a time, off the loop
(the centre's driver blocks), so no query ever waits for the centre. While the centre cannot
be reached it tries again with a growing pause (backoff with jitter, at most a minute) and
says how many records wait; at the end it makes one last attempt and reports what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

from console.broker.events import CenterState, CenterStateChanged, EventHub
from console.center.audit import CenterAuditMismatch, forward_pending
from console.center.errors import CenterError
from console.center.position import CenterLink
from console.storage import StorageError, Store

log = logging.getLogger(__name__)

DEBOUNCE = 0.25  # seconds after an append before sending: a query's records go together
FIRST_RETRY, LAST_RETRY = 1.0, 60.0


class AuditForwarder:
    """Sends one position's trail to its centre, in seq order, idempotently."""

    def __init__(
        self,
        store: Store,
        link: CenterLink,
        events: EventHub,
        *,
        workstation: str | None = None,
        on_alarm: Callable[[str], Awaitable[object]] | None = None,
        debounce: float = DEBOUNCE,
        retry: tuple[float, float] = (FIRST_RETRY, LAST_RETRY),
    ) -> None:
        self._store = store
        self._spool = store.spool
        self._link = link
        self._engine = link.engine()
        self._events = events
        self.workstation = workstation or store.workstation
        self._on_alarm = on_alarm
        self._debounce = debounce
        self._retry = retry
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.local_last = 0  # the trail's last seq, as far as this forwarder knows
        self.at_center = 0  # how far the centre was last seen to hold it
        self.state: CenterState | None = None
        self.alarm: str = ""

    @property
    def waiting(self) -> int:
        """Records on the local spool not yet known to be at the centre."""
        return max(0, self.local_last - self.at_center)

    async def start(self) -> None:
        """Begin: what earlier sessions left waiting goes first."""
        self.at_center = await self._spool.forwarded()
        self.local_last = await self._spool.last_seq()
        self._store.watch_audit(self._appended)
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name="audit-forwarder")

    def _appended(self, seq: int) -> None:
        self.local_last = max(self.local_last, seq)
        self._wake.set()

    async def _run(self) -> None:
        pause = self._retry[0]
        while True:
            await self._wake.wait()
            await asyncio.sleep(self._debounce)  # let the records of one step gather
            self._wake.clear()
            if await self.forward_once():
                pause = self._retry[0]
                continue
            if self.state is CenterState.ALARM:
                return  # never overwrite, never go on past a record the centre disputes
            await asyncio.sleep(pause * random.uniform(0.8, 1.2))
            pause = min(pause * 2, self._retry[1])
            self._wake.set()

    async def forward_once(self) -> bool:
        """One pass: send what waits; True when the centre holds the whole trail read."""
        if self.state is CenterState.ALARM:
            return False
        try:
            done = await forward_pending(
                self._spool, self._engine, self._link.address, self.workstation
            )
        except CenterAuditMismatch as exc:
            self.alarm = str(exc)
            self._publish(CenterState.ALARM, self.alarm)
            if self._on_alarm is not None:
                await self._on_alarm(self.alarm)
            return False
        except CenterError as exc:  # unreachable or refused: the spool keeps everything
            self._publish(CenterState.UNREACHABLE, str(exc))
            return False
        self.local_last = max(self.local_last, done.at_center)
        if done.at_center != self.at_center:
            self.at_center = done.at_center
            # Only a hint for the next session's count: a full disk must not stop forwarding.
            with contextlib.suppress(StorageError):
                await self._spool.set_forwarded(done.at_center)
        self._publish(CenterState.UP)
        return True

    def _publish(self, state: CenterState, detail: str = "") -> None:
        self.state = state
        self._events.publish(CenterStateChanged(state, self.waiting, detail))

    async def close(self) -> int:
        """Stop, after one last attempt to send what is left; returns how many records still
        wait (sent at the next session of this position)."""
        self._store.watch_audit(None)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        try:
            self.local_last = max(self.local_last, await self._spool.last_seq())
            await self.forward_once()
        finally:
            await asyncio.to_thread(self._engine.dispose)
        return self.waiting


async def forward_now(store: Store, link: CenterLink) -> AuditForwarder:
    """One pass for a command that runs no broker (operator, audit): the forwarder, closed,
    telling its state and how many records still wait."""
    forwarder = AuditForwarder(store, link, EventHub())
    forwarder.at_center = await store.spool.forwarded()
    await forwarder.close()
    return forwarder

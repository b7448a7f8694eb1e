"""The watch list: flagged subjects asked again on a schedule; a changed answer raises an alert."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from console.broker.broker import Broker
from console.broker.dispatch import BACKGROUND
from console.broker.policy import answer_content, cache_identity
from console.domain.errors import ConsoleError
from console.domain.messages import Header, Message
from console.protocol import legacy, xmlcodec
from console.storage import AuditNote, WatchEntry

log = logging.getLogger(__name__)


class WatchList:
    """Re-queries due subjects in the background, at the lowest priority, one at a time."""

    def __init__(
        self,
        broker: Broker,
        *,
        interval: timedelta,
        tick: float = 30.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._broker = broker
        self._store = broker.store
        self.interval = interval
        self._tick = tick
        self._clock = clock
        self._task: asyncio.Task[None] | None = None

    async def add(self, query: Message) -> int:
        """Flag the subject of a query; its first re-query runs on the next tick."""
        if not query.key.is_query:
            raise ConsoleError(f"only INTERPOL inquiries can be watched, not {query.key}")
        line = legacy.format_query(query)
        return await self._store.watch_add(
            cache_identity(query),
            query.key.value,
            xmlcodec.encode(query),
            int(self.interval.total_seconds()),
            note=AuditNote("watch", "added", line),
        )

    async def remove(self, watch_id: int) -> None:
        await self._store.watch_remove(watch_id, note=AuditNote("watch", "removed", str(watch_id)))

    async def entries(self) -> list[WatchEntry]:
        return await self._store.watch_entries()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="watch-list")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def check_due(self, now: datetime | None = None) -> int:
        """Re-query every subject due by ``now``; returns how many changed."""
        changed = 0
        for entry in await self._store.watch_due(now or self._clock()):
            if await self._check(entry):
                changed += 1
        return changed

    async def _run(self) -> None:
        while True:
            try:
                await self.check_due()
            except ConsoleError as exc:  # offline or a store hiccup: try again next tick
                log.warning("watch list check failed: %s", exc)
            except Exception:  # a bug: logged, and the watch list keeps its schedule
                log.exception("watch list check failed")
            await asyncio.sleep(self._tick)

    async def _check(self, entry: WatchEntry) -> bool:
        stored = xmlcodec.decode(entry.request)
        head = stored.header  # asked anew: a fresh control field each time
        query = Message(Header(head.key, head.origin, head.destination), stored.body)
        if self._broker.asking(cache_identity(query)):  # asked already (offline, or slow)
            return False
        answer = await self._broker.submit(
            query, priority=BACKGROUND, use_cache=False, timeout=max(self._tick, 60.0)
        )
        digest = self._store.digest(answer_content(answer))
        next_due = self._clock() + timedelta(seconds=entry.interval_s)
        previous = await self._store.watch_checked(entry.id, digest, next_due)
        if previous is None or previous == digest:
            return False
        await self._broker.raise_alert("WATCH", answer, xmlcodec.encode(answer))
        return True

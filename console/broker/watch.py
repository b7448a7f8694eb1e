"""The watch list: flagged subjects asked again on a schedule; a changed answer raises an alert.

On a lone PC the list is the profile's. At a position of a centre it is the agency's, kept at
the centre (``SharedWatch``): a subject is asked by the one position that claims it when due,
and a change found anywhere is raised everywhere. While the centre cannot be reached the
position falls back to its own list (what it flagged meanwhile), moved to the centre later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from console.broker.broker import Broker
from console.broker.center_watch import SharedWatch
from console.broker.dispatch import BACKGROUND
from console.broker.policy import answer_content, cache_identity
from console.center.errors import CenterError
from console.domain.codes import LinkState
from console.domain.errors import ConsoleError
from console.domain.messages import Header, Message
from console.protocol import legacy, xmlcodec
from console.storage import AuditNote, WatchEntry, WatchExists

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
        self.shared: SharedWatch | None = None  # a position of a centre: the agency's list

    async def add(self, query: Message) -> int:
        """Flag the subject of a query; its first re-query runs on the next tick."""
        if not query.key.is_query:
            raise ConsoleError(f"only INTERPOL inquiries can be watched, not {query.key}")
        line = legacy.format_query(query)
        identity, request = cache_identity(query), xmlcodec.encode(query)
        interval_s = int(self.interval.total_seconds())
        if self.shared is not None:
            try:
                watch_id, new = await self.shared.add(
                    identity, query.key.value, request, interval_s, self._clock()
                )
            except CenterError as exc:  # watched here meanwhile, moved once the centre answers
                log.info("watch list: the centre did not answer (%s)", exc)
            else:
                if not new:
                    raise WatchExists(watch_id)
                await self._store.audit("watch", "added at the centre", line)
                return watch_id
        return await self._store.watch_add(
            identity,
            query.key.value,
            request,
            interval_s,
            note=AuditNote("watch", "added", line),
        )

    async def remove(self, entry: WatchEntry) -> None:
        """Stop watching ``entry`` (one ``entries`` gave): at the centre when it is the
        agency's (refused while the centre cannot be reached), else this position's."""
        note = AuditNote("watch", "removed", str(entry.id))
        if entry.shared:
            assert self.shared is not None
            await self.shared.remove(entry.id)
            await self._store.audit(note.event, "removed at the centre", note.obj)
            return
        await self._store.watch_remove(entry.id, note=note)

    async def entries(self) -> list[WatchEntry]:
        """The subjects watched: at a position, the agency's while the centre answers (what
        was flagged here meanwhile joins them at the next tick), else this position's own."""
        if self.shared is not None:
            try:
                return await self.shared.entries()
            except CenterError:
                pass
        return await self._store.watch_entries()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="watch-list")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.shared is not None:
            await self.shared.close()

    async def check_due(self, now: datetime | None = None) -> int:
        """Re-query every subject due by ``now`` (at a position: those it claims at the
        centre, then raise what other positions found changed); returns how many changed."""
        now = now or self._clock()
        if self.shared is not None:
            try:
                return await self._check_at_centre(self.shared, now)
            except CenterError as exc:  # the position's own list, as on a lone PC
                log.info("watch list: the centre did not answer (%s)", exc)
        changed = 0
        for entry in await self._store.watch_due(now):
            if await self._check(entry, None):
                changed += 1
        return changed

    async def _check_at_centre(self, shared: SharedWatch, now: datetime) -> int:
        for change in await shared.changed_elsewhere():  # news first, whatever the link does
            line = legacy.format_query(xmlcodec.decode(change.entry.request))
            text = (
                f"WATCHED SUBJECT CHANGED: {line} (found by {change.workstation} at "
                f"{change.at:%H:%M:%S} UTC). Ask again to see the new answer."
            )
            await self._broker.raise_alert("WATCH", None, text.encode(), text)
        await self._move_to_centre(shared, now)
        if self._broker.link_state is not LinkState.UP:
            return 0  # claimed now, they would wait out their lease: others may ask them
        claimed = await shared.claim(now)
        changed = 0
        for done, entry in enumerate(claimed):
            try:
                changed += await self._check(entry, shared)
            except BaseException:
                with contextlib.suppress(CenterError):
                    await shared.release(claimed[done:], now)
                raise
        return changed

    async def _move_to_centre(self, shared: SharedWatch, now: datetime) -> None:
        """Subjects flagged here while the centre did not answer become the agency's."""
        for entry in await self._store.watch_entries():
            query = xmlcodec.decode(entry.request)
            await shared.add(
                cache_identity(query), entry.key, entry.request, entry.interval_s, now, moved=entry
            )
            note = AuditNote("watch", "moved to the centre", legacy.format_query(query))
            await self._store.watch_remove(entry.id, note=note)

    async def _run(self) -> None:
        while True:
            try:
                await self.check_due()
            except ConsoleError as exc:  # offline or a store hiccup: try again next tick
                log.warning("watch list check failed: %s", exc)
            except Exception:  # a bug: logged, and the watch list keeps its schedule
                log.exception("watch list check failed")
            await asyncio.sleep(self._tick)

    async def _check(self, entry: WatchEntry, shared: SharedWatch | None) -> bool:
        stored = xmlcodec.decode(entry.request)
        head = stored.header  # asked anew: a fresh control field each time
        query = Message(Header(head.key, head.origin, head.destination), stored.body)
        if self._broker.asking(cache_identity(query)):  # asked already (offline, or slow)
            return False
        answer = await self._broker.submit(
            query, priority=BACKGROUND, use_cache=False, timeout=max(self._tick, 60.0)
        )
        content = answer_content(answer)
        if shared is not None:
            changed = await shared.checked(entry, content, self._clock())
        else:
            digest = self._store.digest(content)
            next_due = self._clock() + timedelta(seconds=entry.interval_s)
            previous = await self._store.watch_checked(entry.id, digest, next_due)
            changed = previous is not None and previous != digest
        if not changed:
            return False
        await self._broker.raise_alert("WATCH", answer, xmlcodec.encode(answer))
        return True

"""The agency's watch list at the centre, as one position keeps it.

At a position of a centre a subject flagged at any position is the agency's: it is kept at
the centre (console/center/watch.py) and asked again by whichever position claims it when
due, so fifty positions do not ask the switch fifty times. A change one position finds raises
the alert there and, at their next tick, at every other position logged on. A subject flagged
while the centre cannot be reached is watched here (the local list, as on a lone PC) and
moved to the centre once it answers again; while it does not, this position asks its own
subjects as a lone PC does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from console.center import watch as center_watch
from console.center.position import CenterLink
from console.storage import CorruptData, Store, WatchEntry, WatchMissing
from console.storage.schema import parse_time, utc_text

T = TypeVar("T")
LEASE = timedelta(minutes=5)  # a claimed subject goes to another position if not checked by then
CLAIM_LIMIT = 20  # subjects claimed per tick: a position asks them one at a time


class SharedWatch:
    """One position's view of the agency's watch list at the centre."""

    def __init__(self, store: Store, link: CenterLink, workstation: str, since: datetime) -> None:
        self._store = store
        self._shelf = store.shelf
        self._link = link
        self._engine = link.engine()
        self._workstation = workstation
        self._seen_change = since  # changes found elsewhere after this are raised here

    async def add(
        self,
        identity: bytes,
        key: str,
        request: bytes,
        interval_s: int,
        now: datetime,
        *,
        moved: WatchEntry | None = None,
    ) -> tuple[int, bool]:
        """Watch a subject for the agency, due at once (``moved``: the local entry it was,
        whose schedule and last answer it keeps); its id at the centre, and False when
        watched there already."""
        lookup = self._shelf.watch_lookup(identity)
        row = center_watch.WatchRow(
            id=0,
            lookup=lookup,
            key=key,
            request=self._shelf.seal_watch(lookup, request),
            interval_s=interval_s,
            next_due=utc_text(moved.next_due) if moved else "",
            last_digest=moved.last_digest if moved else None,
            created_at="",
            operator=self._store.operator,
        )
        return await self._call(center_watch.add, row, self._workstation, now)

    async def claim(self, now: datetime) -> list[WatchEntry]:
        """The subjects due that this position asks now (others take the rest)."""
        rows = await self._call(center_watch.claim, now, now + LEASE, CLAIM_LIMIT)
        return [entry for row in rows if (entry := await self._opened(row)) is not None]

    async def checked(
        self, watch_id: int, digest: bytes, next_due: datetime, now: datetime
    ) -> bytes | None:
        return await self._call(
            center_watch.checked,
            watch_id,
            digest,
            next_due,
            workstation=self._workstation,
            now=now,
        )

    async def changed_elsewhere(self) -> list[tuple[WatchEntry, str, datetime]]:
        """Subjects another position found changed since the last look: each with the
        position and when."""
        rows = await self._call(center_watch.changed_since, self._seen_change, self._workstation)
        found = []
        for row in rows:
            assert row.changed_at is not None and row.changed_by is not None
            when = parse_time(row.changed_at)
            self._seen_change = max(self._seen_change, when)
            entry = await self._opened(row)
            if entry is not None:
                found.append((entry, row.changed_by, when))
        return found

    async def remove(self, watch_id: int) -> None:
        """Stop watching for the agency; ``WatchMissing`` for an id the centre does not hold."""
        if not await self._call(center_watch.remove, watch_id):
            raise WatchMissing(watch_id)

    async def entries(self) -> list[WatchEntry]:
        rows = await self._call(center_watch.entries)
        return [entry for row in rows if (entry := await self._opened(row)) is not None]

    async def close(self) -> None:
        await asyncio.to_thread(self._engine.dispose)

    async def _opened(self, row: center_watch.WatchRow) -> WatchEntry | None:
        """The entry with its request opened; None (and recorded) when it fails its check."""
        try:
            request = self._shelf.open_watch(row.lookup, row.request)
        except CorruptData:
            await self._store.audit(
                "watch", "refused from the centre", f"entry {row.id}: fails its check"
            )
            return None
        return WatchEntry(
            id=row.id,
            key=row.key,
            request=request,
            interval_s=row.interval_s,
            next_due=parse_time(row.next_due),
            last_digest=row.last_digest,
            created_at=parse_time(row.created_at),
            operator=row.operator,
        )

    async def _call(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(work, self._engine, self._link.address, *args, **kwargs)

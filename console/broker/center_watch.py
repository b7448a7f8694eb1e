"""The agency's watch list at the centre, as one position keeps it.

At a position of a centre a subject flagged at any position is the agency's: it is kept at
the centre (console/center/watch.py) and asked again by whichever position claims it when
due, so fifty positions do not ask the switch fifty times. A change one position finds raises
the alert there and, at their next tick, at every other position logged on. A subject flagged
while the centre cannot be reached is watched here (the local list, as on a lone PC) and
moved to the centre once it answers again; while it does not, this position asks its own
subjects as a lone PC does.

What the centre holds of a subject is sealed (the request, and its state: interval, last
digest, last change); a state that does not open, or a change whose number in clear is not the
one sealed with it (a database administrator replaying or forging one), is recorded and never
raised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta

from console.broker.center_calls import CenterCalls
from console.center import watch as center_watch
from console.center.position import CenterLink
from console.storage import CorruptData, Store, WatchEntry, WatchMissing
from console.storage.center_shelf import WatchState
from console.storage.schema import parse_time, utc_text

LEASE = timedelta(minutes=5)  # a claimed subject goes to another position if not checked by then
CLAIM_LIMIT = 4  # subjects claimed a tick: each may wait up to a minute for its answer


@dataclasses.dataclass(frozen=True)
class Change:
    """A change another position found: the subject, where and when."""

    entry: WatchEntry
    workstation: str
    at: datetime


class SharedWatch:
    """One position's view of the agency's watch list at the centre."""

    def __init__(self, store: Store, link: CenterLink, workstation: str) -> None:
        self._store = store
        self._shelf = store.shelf
        self._call = CenterCalls(link)
        self._workstation = workstation
        self._seen: int | None = None  # the last change raised here (None: not looked yet)
        self._lookups: dict[int, bytes] = {}  # centre id: the row's lookup, as read

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
        whose schedule it keeps); its id at the centre, and False when watched there already."""
        lookup = self._shelf.watch_lookup(identity)
        row = center_watch.WatchRow(
            id=0,
            lookup=lookup,
            key=key,
            request=self._shelf.seal_watch(lookup, request),
            state=self._shelf.seal_watch_state(lookup, WatchState(interval_s)),
            next_due=utc_text(moved.next_due) if moved else "",
            change_seq=0,
            created_at="",
            operator=self._store.operator,
        )
        return await self._call(center_watch.add, row, self._workstation, now)

    async def claim(self, now: datetime) -> list[WatchEntry]:
        """The subjects due that this position asks now (others take the rest)."""
        rows = await self._call(center_watch.claim, now, now + LEASE, CLAIM_LIMIT)
        return [entry for row in rows if (entry := await self._opened(row)) is not None]

    async def release(self, entries: list[WatchEntry], now: datetime) -> None:
        """Give back claimed subjects this position could not ask."""
        await self._call(center_watch.release, [e.id for e in entries], now)

    async def checked(self, entry: WatchEntry, content: bytes, now: datetime) -> bool:
        """Record a re-query's answer (its content); whether it changed since the last check
        (never at the first). A state that does not open is recorded and the check undone."""
        lookup = self._lookups[entry.id]
        digest = self._shelf.watch_digest(lookup, content)
        changed = [False]

        def judge(sealed: bytes, number: Callable[[], int]) -> tuple[bytes, datetime, int | None]:
            old = self._shelf.open_watch_state(lookup, sealed)  # CorruptData: refused
            new = dataclasses.replace(old, last_digest=digest)
            change = None
            if old.last_digest is not None and old.last_digest != digest:
                change = number()
                new = dataclasses.replace(
                    new, change_seq=change, changed_at=utc_text(now), changed_by=self._workstation
                )
            changed[0] = change is not None
            next_due = now + timedelta(seconds=old.interval_s)
            return self._shelf.seal_watch_state(lookup, new), next_due, change

        try:
            await self._call(center_watch.checked, entry.id, judge)
        except CorruptData:
            await self._refused(entry.id)
            return False
        return changed[0]

    async def changed_elsewhere(self) -> list[Change]:
        """Subjects another position found changed since the last look (the first look only
        marks where the news starts)."""
        if self._seen is None:
            self._seen = await self._call(center_watch.last_change)
            return []
        rows = await self._call(center_watch.changed_since, self._seen)
        found = []
        for row in rows:
            self._seen = max(self._seen, row.change_seq)
            entry = await self._opened(row)
            if entry is None:
                continue
            try:
                state = self._shelf.open_watch_state(row.lookup, row.state)
            except CorruptData:
                await self._refused(row.id)
                continue
            if state.change_seq != row.change_seq:  # a number in clear that is not the sealed one
                await self._refused(row.id)
            elif state.changed_by != self._workstation:
                found.append(Change(entry, state.changed_by, parse_time(state.changed_at)))
        return found

    async def remove(self, watch_id: int) -> None:
        """Stop watching for the agency; ``WatchMissing`` for an id the centre does not hold."""
        if not await self._call(center_watch.remove, watch_id):
            raise WatchMissing(watch_id)

    async def entries(self) -> list[WatchEntry]:
        rows = await self._call(center_watch.entries)
        return [entry for row in rows if (entry := await self._opened(row)) is not None]

    async def close(self) -> None:
        await self._call.close()

    async def _refused(self, watch_id: int) -> None:
        await self._store.audit(
            "watch", "refused from the centre", f"entry {watch_id}: fails its check"
        )

    async def _opened(self, row: center_watch.WatchRow) -> WatchEntry | None:
        """The entry with its request and state opened; None (and recorded) when either fails
        its check."""
        try:
            request = self._shelf.open_watch(row.lookup, row.request)
            state = self._shelf.open_watch_state(row.lookup, row.state)
        except CorruptData:
            await self._refused(row.id)
            return None
        self._lookups[row.id] = row.lookup
        return WatchEntry(
            id=row.id,
            key=row.key,
            request=request,
            interval_s=state.interval_s,
            next_due=parse_time(row.next_due),
            last_digest=state.last_digest,
            created_at=parse_time(row.created_at),
            operator=row.operator,
            shared=True,
        )

"""The sending side of the outbox: priority order, an in-flight window, resends after a drop."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from console.broker.events import EventHub, QuerySent, QueryStillWaiting, QueueChanged
from console.domain.codes import LinkState, SendPriority
from console.domain.errors import ConsoleError
from console.storage import Store
from console.transport.link import LinkDown, SwitchLink

log = logging.getLogger(__name__)

# Priorities, most urgent first: hit confirmations, then urgent, then routine, then the watch list.
HIT_CONFIRMATION = SendPriority.HIT_CONFIRMATION
URGENT = SendPriority.URGENT
ROUTINE = SendPriority.ROUTINE
BACKGROUND = SendPriority.BACKGROUND
# Sending pace: under the 50 a second (bursts of 100) a switch allows one terminal.
SEND_RATE, SEND_BURST = 40.0, 80.0


class Pace:
    """A token bucket for sending: ``wait`` says how long until the next send may go."""

    def __init__(self, rate: float, burst: float) -> None:
        self._rate, self._burst = rate, burst
        self._tokens = burst
        self._at = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now

    def wait(self) -> float:
        self._refill()
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self._rate

    def spend(self) -> None:
        self._tokens -= 1


@dataclass(order=True)
class _Item:
    priority: int
    seq: int
    control: str = field(compare=False)
    payload: bytes = field(compare=False)  # the query's XML, encoded once
    marked_sent: bool = field(default=False, compare=False)


class Dispatcher:
    """Sends what the outbox holds, most urgent first, at most ``window`` unanswered at once.

    When the link drops, everything in flight goes back to the head of the queue and is sent
    again, with the same control field, once the link is up: the switch answers a control
    field once, and the broker keeps only the first answer.
    """

    def __init__(
        self,
        link: SwitchLink,
        store: Store,
        events: EventHub,
        *,
        window: int,
        still_waiting_after: float,
        rate: float = SEND_RATE,
        burst: float = SEND_BURST,
    ) -> None:
        self._link = link
        self._store = store
        self._events = events
        self._window = window
        self._still_waiting_after = still_waiting_after
        self._ready: list[_Item] = []
        self._in_flight: dict[str, _Item] = {}
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._marks: set[asyncio.Task[None]] = set()
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._pace = Pace(rate, burst)
        self._deferred: dict[str, _Item] = {}  # refused for now, to be sent again shortly

    @property
    def queued(self) -> int:
        return len(self._ready) + len(self._deferred)

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    def holds(self, control: str) -> bool:
        return (
            control in self._in_flight
            or control in self._deferred
            or any(i.control == control for i in self._ready)
        )

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-dispatch")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for timer in self._timers.values():
            timer.cancel()
        await asyncio.gather(*self._marks, return_exceptions=True)

    def add(self, control: str, payload: bytes, priority: int, *, sent: bool = False) -> None:
        """Queue a query already committed to the outbox (``sent``: it was sent before)."""
        heapq.heappush(self._ready, _Item(priority, next(self._seq), control, payload, sent))
        self._changed()

    def settle(self, control: str) -> None:
        """The query is answered or cancelled: stop sending or waiting for it."""
        if timer := self._timers.pop(control, None):  # still waiting, or a retry to come
            timer.cancel()
        if self._deferred.pop(control, None) is not None:
            self._changed()
            return
        if self._in_flight.pop(control, None) is None:
            before = len(self._ready)
            self._ready = [item for item in self._ready if item.control != control]
            if len(self._ready) == before:
                return
            heapq.heapify(self._ready)
        self._changed()

    def retry(self, control: str, delay: float) -> None:
        """The switch said "not now": send the same query again after ``delay`` seconds."""
        item = self._in_flight.pop(control, None)
        if item is None:
            return
        if timer := self._timers.pop(control, None):
            timer.cancel()

        def again() -> None:
            self._timers.pop(control, None)
            if self._deferred.pop(control, None) is item:
                heapq.heappush(self._ready, item)
            self._changed()

        self._deferred[control] = item  # still queued work: drain must wait for it
        self._timers[control] = asyncio.get_running_loop().call_later(delay, again)
        self._changed()

    def link_changed(self, state: LinkState) -> None:
        if state is not LinkState.UP:  # answers in flight may be lost: send them again later
            for control, item in self._in_flight.items():
                heapq.heappush(self._ready, item)
                if timer := self._timers.pop(control, None):
                    timer.cancel()
            self._in_flight.clear()
        self._changed()

    def _changed(self) -> None:
        self._wake.set()
        self._events.publish(QueueChanged(self.queued, len(self._in_flight)))

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while (
                self._ready
                and len(self._in_flight) < self._window
                and self._link.state is LinkState.UP
            ):
                if (wait := self._pace.wait()) > 0:  # keep under the switch's rate limit
                    await asyncio.sleep(wait)
                    continue
                item = heapq.heappop(self._ready)
                self._in_flight[item.control] = item
                try:
                    await self._link.send_payload(item.payload)
                except LinkDown:
                    # back in the queue only if still ours: a link drop or a cancel during
                    # the send may already have moved or settled it
                    if self._in_flight.get(item.control) is item:
                        del self._in_flight[item.control]
                        heapq.heappush(self._ready, item)
                    break
                self._pace.spend()
                self._sent(item)

    def _sent(self, item: _Item) -> None:
        if not item.marked_sent:
            # Not awaited: the store applies writes in order, so this lands before the answer.
            item.marked_sent = True
            mark = asyncio.create_task(self._mark_sent(item.control))
            self._marks.add(mark)
            mark.add_done_callback(self._marks.discard)
        loop = asyncio.get_running_loop()
        self._timers[item.control] = loop.call_later(
            self._still_waiting_after, self._still_waiting, item.control
        )
        self._events.publish(QuerySent(item.control))
        self._changed()

    async def _mark_sent(self, control: str) -> None:
        try:
            await self._store.mark_sent(control)
        except ConsoleError as exc:  # answered or cancelled meanwhile: nothing to mark
            log.debug("sent mark for %s skipped: %s", control, exc)

    def _still_waiting(self, control: str) -> None:
        self._timers.pop(control, None)
        if control in self._in_flight:
            waited = timedelta(seconds=self._still_waiting_after)
            self._events.publish(QueryStillWaiting(control, waited))

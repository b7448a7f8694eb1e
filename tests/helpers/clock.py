"""Hand-turned clocks: for the switch's scheduled work (nothing waits until the test
advances) and for the logon's judgement of locks and codes."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta


class Clock:
    """A logon's clock (aware UTC), turned by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def step(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class ManualClock:
    """``sleep`` parks the caller until ``advance`` moves time past its deadline."""

    def __init__(self) -> None:
        self.now = 0.0
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @property
    def pending(self) -> int:
        """Sleepers waiting for time to move."""
        return sum(1 for *_, future in self._waiting if not future.done())

    async def sleep(self, delay: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (self.now + max(delay, 0.0), next(self._order), future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move time on, waking each sleeper in deadline order and letting it run."""
        target = self.now + seconds
        await _settle()
        while self._waiting and self._waiting[0][0] <= target:
            deadline, _, future = heapq.heappop(self._waiting)
            self.now = deadline
            if not future.done():
                future.set_result(None)
            await _settle()
        self.now = target


async def _settle() -> None:
    """Let woken tasks run their next steps (several hops: task, then what it awaits)."""
    for _ in range(20):
        await asyncio.sleep(0)

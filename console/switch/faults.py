"""Fault injection for the simulated switch: latency, slow, dropped and cut answers, outages.

A ``FaultPlan`` is the settings of one switch run (no faults by default). Each run draws its
decisions from ``random.Random(plan.seed)``, one ``Decision`` per query frame in arrival order, so
the same seed and the same traffic give the same faults. The ``FaultInjector`` carries them out
on the server's links without blocking other terminals: delayed answers are owned tasks, answers
held during a gateway outage are delivered when it ends, within bounds (past one the oldest held
answer is dropped and logged; its terminal resends, and gets it from the switch's memory).
Time is injected (``sleep``) so tests can run minutes of schedule in milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import ssl
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field

from console.domain.codes import ErrorCode
from console.switch.directory import REPORT_EVERY

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Send = Callable[[asyncio.StreamWriter, bytes], Awaitable[None]]
Compose = Callable[[str, str], bytes]  # (receiving ORI, status text) -> an encoded SM message

# SM texts (ours): Nlets' status wording of domain.md section 2, naming the INTERPOL gateway.
GATEWAY_DOWN_TEXT = f"IP INTERPOL GATEWAY .{ErrorCode.OUT_OF_SERVICE.value}. " + (
    ErrorCode.OUT_OF_SERVICE.text
)
GATEWAY_UP_TEXT = "IP INTERPOL GATEWAY BACK IN SERVICE, HELD TRAFFIC WILL BE DELIVERED"
DEFAULT_SLOW_SECONDS = 75.0  # slower than a minute: past a terminal's usual answer timeout
HELD_ANSWERS = 5_000  # INTERPOL answers held during an outage, for all links; oldest dropped
HELD_ANSWER_BYTES = 32 * 1024 * 1024  # their bytes (answers may carry photos); oldest dropped


@dataclass(frozen=True, slots=True)
class Outage:
    """The INTERPOL gateway out of service from ``start`` for ``length`` seconds (after start)."""

    start: float
    length: float

    def __post_init__(self) -> None:
        if self.start < 0 or self.length <= 0:
            raise ValueError(f"an outage needs START >= 0 and LENGTH > 0, not {self}")

    @classmethod
    def parse(cls, text: str) -> Outage:
        """``START:LENGTH`` in seconds, e.g. ``30:120``."""
        start, sep, length = text.partition(":")
        if not sep:
            raise ValueError(f"an outage is START:LENGTH in seconds, not {text!r}")
        return cls(float(start), float(length))

    @property
    def end(self) -> float:
        return self.start + self.length


@dataclass(frozen=True, slots=True)
class Decision:
    """What happens to one query: answer after ``delay`` s, never answer, or cut the link."""

    delay: float = 0.0
    drop: bool = False  # processed (and remembered for resends) but not answered
    disconnect: bool = False  # link closed after reading the query, before processing it


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Fault settings of one switch run; times in seconds, shares between 0 and 1."""

    seed: int = 0
    latency: float = 0.0  # mean delay of every answer
    jitter: float = 0.0  # the delay is spread uniformly over latency +- jitter (never below 0)
    slow: float = 0.0  # share of answers delayed by a further ``slow_seconds``
    slow_seconds: float = DEFAULT_SLOW_SECONDS
    drop: float = 0.0
    disconnect: float = 0.0
    outages: tuple[Outage, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("slow", "drop", "disconnect"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} is a share between 0 and 1, not {getattr(self, name)}")
        for name in ("latency", "jitter", "slow_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative: {getattr(self, name)}")
        ordered = tuple(sorted(self.outages, key=lambda o: o.start))
        for before, after in itertools.pairwise(ordered):
            if after.start < before.end:
                raise ValueError(f"outages overlap: {before} and {after}")
        object.__setattr__(self, "outages", ordered)

    def decisions(self) -> Decisions:
        """A fresh stream of decisions from this plan's seed (one per switch run)."""
        return Decisions(self)


class Decisions:
    """Draws one ``Decision`` per query; always four draws, so one share does not shift others."""

    def __init__(self, plan: FaultPlan) -> None:
        self._plan = plan
        self._rng = random.Random(plan.seed)

    def next(self) -> Decision:
        plan = self._plan
        cut, lost, slow, spread = (self._rng.random() for _ in range(4))
        delay = max(0.0, plan.latency + plan.jitter * (2 * spread - 1))
        if slow < plan.slow:
            delay += plan.slow_seconds
        return Decision(delay, drop=lost < plan.drop, disconnect=cut < plan.disconnect)


class FaultInjector:
    """Applies a plan's decisions and outages to the switch's links; owns every task it starts."""

    def __init__(
        self,
        plan: FaultPlan,
        compose: Compose,
        send: Send,
        *,
        sleep: Sleep = asyncio.sleep,
        held_answers: int = HELD_ANSWERS,
        held_bytes: int = HELD_ANSWER_BYTES,
    ) -> None:
        self.plan = plan
        self._decisions = plan.decisions()
        self._compose = compose
        self._send = send
        self._sleep = sleep
        self._links: dict[asyncio.StreamWriter, str] = {}  # open links and their ORI
        self._held: deque[tuple[asyncio.StreamWriter, bytes]] = deque()  # oldest first
        self.max_held = held_answers
        self.max_held_bytes = held_bytes
        self.held_bytes = 0
        self.dropped = 0  # held answers dropped past a bound since the switch started
        self._tasks: set[asyncio.Task[None]] = set()
        self._gateway = asyncio.Lock()  # one change of service state at a time
        self.gateway_up = True

    @property
    def linked(self) -> int:
        """Open terminal links (each gets the status messages)."""
        return len(self._links)

    @property
    def held(self) -> int:
        """Answers waiting for the gateway to come back into service."""
        return len(self._held)

    def decide(self) -> Decision:
        return self._decisions.next()

    def start(self) -> None:
        """Begin the outage schedule (its times count from now)."""
        if self.plan.outages:
            self._own(self._run_outages(), "switch-outages")

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._held.clear()
        self.held_bytes = 0
        self._links.clear()

    def attach(self, writer: asyncio.StreamWriter, ori: str) -> None:
        self._links[writer] = ori

    def detach(self, writer: asyncio.StreamWriter) -> None:
        """A link closed: forget it and whatever was held for it (the terminal will resend)."""
        self._links.pop(writer, None)
        self._held = deque((w, reply) for w, reply in self._held if w is not writer)
        self.held_bytes = sum(len(reply) for _, reply in self._held)

    async def deliver(
        self,
        writer: asyncio.StreamWriter,
        reply: bytes,
        decision: Decision,
        *,
        from_gateway: bool,
    ) -> None:
        """Send ``reply`` as decided; a delay runs in its own task so the link keeps reading.

        ``from_gateway`` says the reply is INTERPOL's (the sender knows; held in an outage).
        """
        if decision.drop:
            log.info("fault: answer dropped")
            return
        if decision.delay > 0:
            later = self._later(writer, reply, decision.delay, from_gateway)
            self._own(later, "switch-delayed-answer")
            return
        await self._emit(writer, reply, from_gateway)

    async def set_gateway(self, up: bool) -> None:
        """Take the INTERPOL gateway out of or back into service, telling every terminal (SM)."""
        async with self._gateway:
            if up == self.gateway_up:
                return
            self.gateway_up = up
            text = GATEWAY_UP_TEXT if up else GATEWAY_DOWN_TEXT
            log.info("fault: %s", text)
            for writer, ori in list(self._links.items()):
                await self._quietly(writer, self._compose(ori, text))
            if up:
                held, self._held = self._held, deque()
                self.held_bytes = 0
                for writer, reply in held:
                    await self._quietly(writer, reply)

    async def _emit(self, writer: asyncio.StreamWriter, reply: bytes, from_gateway: bool) -> None:
        if not self.gateway_up and from_gateway:
            self._hold(writer, reply)
            return
        await self._send(writer, reply)

    def _hold(self, writer: asyncio.StreamWriter, reply: bytes) -> None:
        """Keep an answer until the gateway is back, dropping (and logging) the oldest past a
        bound: however long the outage, the held answers cannot fill the switch's memory."""
        self._held.append((writer, reply))
        self.held_bytes += len(reply)
        while len(self._held) > self.max_held or self.held_bytes > self.max_held_bytes:
            link, oldest = self._held.popleft()
            self.held_bytes -= len(oldest)
            self.dropped += 1
            if self.dropped == 1 or self.dropped % REPORT_EVERY == 0:
                log.warning(
                    "gateway outage: dropped the oldest answer held for %s (more than %d answers"
                    " or %d bytes held); %d dropped so far",
                    self._links.get(link, "a closed link"),
                    self.max_held,
                    self.max_held_bytes,
                    self.dropped,
                )

    async def _later(
        self, writer: asyncio.StreamWriter, reply: bytes, delay: float, from_gateway: bool
    ) -> None:
        await self._sleep(delay)
        if writer in self._links:  # the link may have closed meanwhile: the terminal resends
            with _link_errors_ignored():
                await self._emit(writer, reply, from_gateway)

    async def _quietly(self, writer: asyncio.StreamWriter, payload: bytes) -> None:
        """Send on a link that may be dying; its own serving task notices and closes it."""
        if writer.is_closing():
            return
        with _link_errors_ignored():
            await self._send(writer, payload)

    async def _run_outages(self) -> None:
        elapsed = 0.0
        for outage in self.plan.outages:
            await self._sleep(outage.start - elapsed)
            await self.set_gateway(False)
            await self._sleep(outage.length)
            await self.set_gateway(True)
            elapsed = outage.end

    def _own(self, work: Coroutine[None, None, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _link_errors_ignored() -> contextlib.suppress:
    return contextlib.suppress(OSError, ConnectionError, ssl.SSLError)

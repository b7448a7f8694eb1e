"""A training scenario on the simulated switch: its cast in the records, its timeline played.

The timeline counts from the moment the run starts (the switch's start in a classroom, the
trainer's pick in demo mode); every console linked at an event's time gets it. Each terminal
is told once that the exercise started (scenario/exercise.py): at the start, or when it links.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine

from console.domain.codes import INTERPOL_WASHINGTON_ORI
from console.scenario.exercise import EXERCISE_ORI, start_notice
from console.scenario.model import Desk, Event, EventKind, Scenario
from console.switch.confirmations import ConfirmationPolicy
from console.switch.dataset import Dataset
from console.switch.faults import Sleep
from console.switch.server import SwitchServer
from console.transport.pki import TerminalIdentity

log = logging.getLogger(__name__)


def cast_into(dataset: Dataset, scenario: Scenario) -> None:
    """Add the scenario's records to what the gateway answers from (photos for its persons)."""
    dataset.add_records(
        persons=scenario.persons,
        vehicles=scenario.vehicles,
        documents=scenario.documents,
        guns=scenario.guns,
        with_photo=scenario.photos,
    )


def policy_of(desk: Desk) -> ConfirmationPolicy:
    return ConfirmationPolicy(
        urgent_delay=desk.urgent_delay,
        routine_delay=desk.routine_delay,
        answer_from_request=desk.answer_from_request,
        pending_for=desk.pending_for,
        outcome=desk.outcome,
    )


class ScenarioRun:
    """Plays a scenario's events on a running switch; ``close`` stops what is still to come."""

    def __init__(self, server: SwitchServer, scenario: Scenario, sleep: Sleep = asyncio.sleep):
        self.server = server
        self.scenario = scenario
        self._sleep = sleep
        self._tasks: set[asyncio.Task[None]] = set()
        self._greeted: set[tuple[str, str]] = set()  # (ORI, terminal) told of the start
        self.played: list[Event] = []  # events carried out so far, in order

    def start(self) -> None:
        server = self.server
        server.desk.policy = policy_of(self.scenario.desk)
        server.extra_latency = self.scenario.latency
        server.link_hooks.append(self._greet)
        self._own(self._timeline(), "scenario-timeline")

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._greet in self.server.link_hooks:
            self.server.link_hooks.remove(self._greet)
        self.server.extra_latency = 0.0

    async def _greet(self, link: asyncio.StreamWriter, peer: TerminalIdentity) -> None:
        """Tell a terminal the exercise started, once per run (a reconnect is no new start)."""
        who = (peer.ori, peer.terminal)
        if who in self._greeted:
            return
        self._greeted.add(who)
        await self.server.tell(link, EXERCISE_ORI, peer.ori, start_notice(self.scenario))

    async def _timeline(self) -> None:
        for link, ori, terminal in self.server.directory.links():
            await self._greet(link, TerminalIdentity(ori, terminal))
        elapsed = 0.0
        for event in self.scenario.events:
            await self._sleep(event.at - elapsed)
            elapsed = event.at
            await self._play(event)
            self.played.append(event)

    async def _play(self, event: Event) -> None:
        log.info("scenario %s: %s at %gs", self.scenario.id, event.kind.value, event.at)
        server = self.server
        if event.kind is EventKind.AM:
            await server.announce(event.origin or INTERPOL_WASHINGTON_ORI, event.text)
        elif event.kind is EventKind.OUTAGE:
            self._own(self._outage(event.length), "scenario-outage")
        elif event.kind is EventKind.SLOW:
            server.slow_answers(event.delay, event.length)
        elif event.kind is EventKind.CANCEL:
            server.dataset.cancel(event.eid)
        elif event.kind is EventKind.CONFIRMATIONS and event.desk is not None:
            server.desk.policy = policy_of(event.desk)

    async def _outage(self, length: float) -> None:
        await self.server.set_gateway(False)
        await self._sleep(length)
        await self.server.set_gateway(True)

    def _own(self, work: Coroutine[None, None, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

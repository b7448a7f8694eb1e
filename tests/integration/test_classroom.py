"""A classroom: one switch runs a scenario for several consoles, each trainee told of the start
and scored on their own audit trail; late joiners, reconnects, live profiles, the network's
delay, and the headless commands a trainer uses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from console.broker.debrief import TRAINING_EVENT, debrief
from console.broker.events import AlertRaised
from console.broker.policy import TRAINING_ALERT
from console.broker.session import Session, init_profile
from console.scenario.loader import shipped_scenarios
from console.scenario.model import Scenario
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.scenario_run import ScenarioRun, cast_into, policy_of
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.helpers.cli import run as run_command
from tests.helpers.clock import ManualClock
from tests.helpers.network import OPERATOR, ORI, SECRET
from tests.helpers.waiting import wait_until
from tests.integration.test_training import Trainee, red_careless, red_good

SCENARIO: Scenario = next(s for s in shipped_scenarios() if s.id == "red-notice-traffic-stop")


@dataclass
class Classroom:
    server: SwitchServer
    run: ScenarioRun
    clock: ManualClock
    host: str
    port: int
    tmp: Path
    pki: Path

    async def console(self, ori: str, terminal: str, *, demo: bool = True) -> Session:
        """A trainee's console: its own profile, linked to the classroom switch."""
        profile = Profile(self.tmp / f"{ori}-{terminal}")
        if not profile.settings_path.exists():
            settings = Settings(
                ori=ori, terminal=terminal, switch_host=self.host, switch_port=self.port, demo=demo
            )
            await init_profile(
                profile, settings, pki_source=self.pki, operator=OPERATOR, secret=SECRET
            )
        session = await Session.open(profile, OPERATOR, SECRET, watch=False)
        await session.broker.link.wait_up(10)
        return session


@pytest.fixture
async def classroom(tmp_path: Path, pki_dir: Path) -> AsyncIterator[Classroom]:
    dataset = Dataset.synthetic(150, seed=3)
    cast_into(dataset, SCENARIO)
    clock = ManualClock()
    server = SwitchServer(
        dataset, server_context(pki_dir), sleep=clock.sleep, confirmations=policy_of(SCENARIO.desk)
    )
    host, port = await server.start("127.0.0.1", 0)
    run = ScenarioRun(server, SCENARIO, sleep=clock.sleep)
    try:
        yield Classroom(server, run, clock, host, port, tmp_path, pki_dir)
    finally:
        await run.close()
        await server.close()


def alerts_of(session: Session) -> list[AlertRaised]:
    raised: list[AlertRaised] = []
    session.broker.events.subscribe(
        lambda e: raised.append(e) if isinstance(e, AlertRaised) else None
    )
    return raised


def told(raised: list[AlertRaised]) -> bool:
    return any(alert.kind == TRAINING_ALERT for alert in raised)


async def starts_in(session: Session) -> int:
    records = await session.store.audit_records()
    return sum(
        1
        for r in records
        if (r.event, r.outcome, r.obj) == (TRAINING_EVENT, "started", SCENARIO.id)
    )


async def test_each_trainee_is_told_of_the_start_and_scored_on_their_own(
    classroom: Classroom,
) -> None:
    # two terminals of one agency: each is told, and each trainee's trail is their own
    good, careless = await classroom.console(ORI, "T01"), await classroom.console(ORI, "T03")
    try:
        seen = {id(good): alerts_of(good), id(careless): alerts_of(careless)}
        classroom.run.start()
        classroom.server.extra_latency = 0.0  # scripted trainees need no network delay
        await wait_until(lambda: all(told(raised) for raised in seen.values()))
        notice = next(a for a in seen[id(good)] if a.kind == TRAINING_ALERT)
        assert SCENARIO.title in notice.text and "STARTS NOW" in notice.text  # the briefing
        await red_good(Trainee(SCENARIO, good, classroom.server, classroom.clock, seen[id(good)]))
        careless_trainee = Trainee(
            SCENARIO, careless, classroom.server, classroom.clock, seen[id(careless)]
        )
        await red_careless(careless_trainee)
        scores = [debrief(SCENARIO, await s.store.audit_records()).score for s in (good, careless)]
    finally:
        await good.close()
        await careless.close()
    assert scores == [100, 10]  # as each scored alone (test_training.py)
    printed = await run_command(
        "debrief",
        "--profile",
        str(classroom.tmp / f"{ORI}-T01"),
        "--operator",
        OPERATOR,
        "--scenario",
        SCENARIO.id,
        password=SECRET,
    )
    assert printed.code == 0, printed.err
    assert "Score 100 of 100" in printed.out and "[MET   ] urgent-confirmation" in printed.out


async def test_a_late_joiner_is_told_when_it_links_and_a_reconnect_is_no_new_start(
    classroom: Classroom,
) -> None:
    classroom.run.start()
    classroom.server.extra_latency = 0.0
    await classroom.clock.advance(30)  # the exercise runs; nobody linked yet
    late = await classroom.console(ORI, "T01")
    try:
        await wait_until_async(lambda: starts_in(late), 1)
    finally:
        await late.close()
    again = await classroom.console(ORI, "T01")  # the same terminal links again
    try:
        line = again.broker.compose.line(f"FPQ.{ORI}.IP.TXT EID/2026/99001")
        await again.broker.submit(line, timeout=10)  # linked and served: no new start came
        assert await starts_in(again) == 1
    finally:
        await again.close()


async def test_a_live_profile_never_starts_an_exercise(classroom: Classroom) -> None:
    live = await classroom.console(ORI, "T01", demo=False)
    try:
        raised = alerts_of(live)
        classroom.run.start()
        await wait_until(lambda: any(a.kind == "AM" for a in raised))  # an AM like any other
        assert await starts_in(live) == 0
        assert not any(a.kind == TRAINING_ALERT for a in raised)
    finally:
        await live.close()


async def test_the_scenario_network_delay_holds_every_answer(classroom: Classroom) -> None:
    assert SCENARIO.latency > 0
    trainee = await classroom.console(ORI, "T01")
    try:
        classroom.run.start()
        broker = trainee.broker
        asked = asyncio.ensure_future(
            broker.submit(broker.compose.line(f"FPQ.{ORI}.IP.TXT EID/2026/99001"), timeout=20)
        )
        await wait_until(lambda: classroom.clock.pending >= 2)  # the timeline and the answer
        assert not asked.done()
        await classroom.clock.advance(SCENARIO.latency)
        answer = await asyncio.wait_for(asked, 10)
        assert answer.key.value == "FPR"
    finally:
        await trainee.close()


async def wait_until_async(count: object, expected: int) -> None:
    """Poll an async count (an audit read) until it reaches ``expected``."""
    assert callable(count)
    for _ in range(1500):
        if await count() >= expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"count never reached {expected}")


async def test_trainer_and_trainee_commands(tmp_path: Path) -> None:
    """scenario list, scenario check with a line-numbered error, profile init --training."""
    listed = await run_command("scenario", "list")
    assert listed.code == 0 and SCENARIO.id in listed.out
    broken = tmp_path / "broken.toml"
    broken.write_text('[scenario]\nid = "x"\ntitle = "t"\n\n[[expect]]\nid = "a"\ndo = "dance"\n')
    checked = await run_command("scenario", "check", str(broken))
    assert checked.code != 0 and "broken.toml:" in checked.err

"""Every shipped scenario end to end, headless: a good trainee scores full marks, a careless
one loses exactly the points the scenario says it should."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from console.broker.debrief import Debrief, debrief, render_text
from console.broker.events import AlertRaised
from console.broker.policy import TRAINING_ALERT
from console.broker.session import Session, init_profile
from console.domain.messages import Message
from console.scenario.loader import shipped_scenarios
from console.scenario.model import Scenario
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.scenario_run import ScenarioRun, cast_into, policy_of
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.helpers.clock import ManualClock
from tests.helpers.network import OPERATOR, ORI, SECRET
from tests.helpers.waiting import wait_until

SCENARIOS = {s.id: s for s in shipped_scenarios()}


@dataclass
class Trainee:
    """A scripted trainee at a console, with the switch's clock in the trainer's hand."""

    scenario: Scenario
    session: Session
    server: SwitchServer
    clock: ManualClock
    alerts: list[AlertRaised]

    async def ask(self, line: str) -> Message:
        broker = self.session.broker
        return await broker.submit(broker.compose.line(self.fill(line)), timeout=20)

    async def queue(self, line: str) -> Message:
        broker = self.session.broker
        return await broker.queue(broker.compose.line(self.fill(line)))

    async def view(self, answer: Message) -> None:
        await self.session.broker.record_viewed(answer)

    async def acknowledge(self, kind: str) -> None:
        await wait_until(lambda: any(a.kind == kind for a in self.alerts))
        alert = next(a for a in self.alerts if a.kind == kind)
        await self.session.broker.acknowledge_alert(alert.alert_id)

    async def export(self) -> None:
        await self.session.store.audit("export", "pdf", "record printed")

    async def wait(self, seconds: float) -> None:
        """Let the scenario's time pass (its scheduled events and answers happen)."""
        await self.clock.advance(seconds)

    async def switch_scheduled(self) -> None:
        """Wait until the switch has scheduled what the last message asked for."""
        await wait_until(lambda: self.clock.pending >= 2)  # the timeline + the new answer

    @staticmethod
    def fill(line: str) -> str:
        return line.replace("{ORI}", ORI)


@pytest.fixture
async def trainee(
    request: pytest.FixtureRequest, tmp_path: Path, pki_dir: Path
) -> AsyncIterator[Trainee]:
    scenario: Scenario = SCENARIOS[request.param]
    dataset = Dataset.synthetic(150, seed=3)
    cast_into(dataset, scenario)
    clock = ManualClock()
    server = SwitchServer(
        dataset,
        server_context(pki_dir),
        sleep=clock.sleep,
        confirmations=policy_of(scenario.desk),
    )
    host, port = await server.start("127.0.0.1", 0)
    profile = Profile(tmp_path / "trainee")
    settings = Settings(ori=ORI, terminal="T01", switch_host=host, switch_port=port, demo=True)
    await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    session = await Session.open(profile, OPERATOR, SECRET, watch=False)
    alerts: list[AlertRaised] = []
    session.broker.events.subscribe(
        lambda e: alerts.append(e) if isinstance(e, AlertRaised) else None
    )
    run = ScenarioRun(server, scenario, sleep=clock.sleep)
    try:
        await session.broker.link.wait_up(10)
        run.start()
        server.extra_latency = 0.0  # scripted trainees need no network delay; tested below
        await wait_until(lambda: any(a.kind == TRAINING_ALERT for a in alerts))  # clock starts
        yield Trainee(scenario, session, server, clock, alerts)
    finally:
        await run.close()
        await session.close()
        await server.close()


async def result_of(trainee: Trainee) -> Debrief:
    records = await trainee.session.store.audit_records()
    return debrief(trainee.scenario, records)


Script = Callable[[Trainee], Awaitable[None]]


async def red_good(t: Trainee) -> None:
    await t.ask("IPQ.{ORI}.IP.TXT NAM/VESTRANOV, ILYAS KARIMOVICH.DOB/19860411")
    await t.view(await t.ask("FPQ.{ORI}.IP.TXT EID/2026/99001"))
    await t.queue(
        "YQ.{ORI}.DCINTER00.TXT RTY/WP.NIC/2026/99001.PRI/U.RNO/1"
        ".NAM/VESTRANOV, ILYAS KARIMOVICH.DOB/19860411"
    )


async def red_careless(t: Trainee) -> None:
    """Runs the name, skips the full record, asks a routine confirmation, prints."""
    await t.ask("IPQ.{ORI}.IP.TXT NAM/VESTRANOV, ILYAS.DOB/19860411")
    await t.queue("YQ.{ORI}.DCINTER00.TXT RTY/WP.NIC/2026/99001.PRI/R.NAM/VESTRANOV, ILYAS")
    await t.export()


async def vehicle_good(t: Trainee) -> None:
    await t.ask("IVQ.{ORI}.IP.TXT VIN/1FTFW1E53NFA41827")
    await t.view(await t.ask("FVQ.{ORI}.IP.TXT EID/2026/99101"))
    await t.queue(
        "YQ.{ORI}.DCINTER00.TXT RTY/SV.NIC/2026/99101.PRI/U.VIN/1FTFW1E53NFA41827.OCA/26-4471"
    )
    await t.wait(180)  # the BOLO arrives at 3 minutes
    await t.acknowledge("AM")


async def vehicle_careless(t: Trainee) -> None:
    """Confirms as routine and leaves the BOLO unacknowledged."""
    await t.ask("IVQ.{ORI}.IP.TXT VIN/1FTFW1E53NFA41827")
    await t.ask("FVQ.{ORI}.IP.TXT EID/2026/99101")
    await t.queue("YQ.{ORI}.DCINTER00.TXT RTY/SV.NIC/2026/99101.PRI/R.VIN/1FTFW1E53NFA41827")
    await t.wait(180)


async def passport_good(t: Trainee) -> None:
    await t.ask("ITQ.{ORI}.IP.TXT DID/18FK42637.TYP/P.CNT/FRA")
    await t.view(await t.ask("FTQ.{ORI}.IP.TXT EID/2026/99201"))
    await t.queue("YQ.{ORI}.DCINTER00.TXT RTY/SD.NIC/2026/99201.PRI/R.DID/18FK42637")


async def passport_careless(t: Trainee) -> None:
    """Never reads the record, asks an urgent confirmation for nobody held, exports."""
    await t.ask("ITQ.{ORI}.IP.TXT DID/18FK42637")
    await t.ask("FTQ.{ORI}.IP.TXT EID/2026/99201")
    await t.queue("YQ.{ORI}.DCINTER00.TXT RTY/SD.NIC/2026/99201.PRI/U.DID/18FK42637")
    await t.export()


async def child_good(t: Trainee) -> None:
    await t.ask("IPQ.{ORI}.IP.TXT NAM/NAVARRETE SOLIS, ANA LUCIA.DOB/20120219.SEX/F")
    await t.view(await t.ask("FPQ.{ORI}.IP.TXT EID/2026/99301"))
    await t.queue(
        "YQ.{ORI}.DCINTER00.TXT RTY/MP.NIC/2026/99301.PRI/U.NAM/NAVARRETE SOLIS, ANA LUCIA"
    )
    await t.switch_scheduled()
    await t.wait(60)  # the desk answers PENDING after a minute
    await t.acknowledge("YR")


async def child_careless(t: Trainee) -> None:
    """Routine instead of urgent for a missing child."""
    await t.ask("IPQ.{ORI}.IP.TXT NAM/NAVARRETE SOLIS, ANA LUCIA.DOB/20120219")
    await t.ask("FPQ.{ORI}.IP.TXT EID/2026/99301")
    await t.queue("YQ.{ORI}.DCINTER00.TXT RTY/MP.NIC/2026/99301.PRI/R.NAM/NAVARRETE SOLIS, ANA")
    await t.switch_scheduled()
    await t.wait(600)  # routine answers come after ten minutes here
    await t.acknowledge("YR")


async def outage_good(t: Trainee) -> None:
    await t.wait(30)  # the gateway goes out of service
    await t.acknowledge("SM")
    held = await t.queue("IPQ.{ORI}.IP.TXT NAM/OKONKWO-BELL, TERRENCE.DOB/19910723")
    await wait_until(lambda: t.server.faults.held >= 1)
    await t.wait(180)  # back in service: the held answer comes
    await t.session.broker.wait_answer(held.control, timeout=20)
    await t.ask("FPQ.{ORI}.IP.TXT EID/2026/99401")


async def outage_careless(t: Trainee) -> None:
    """Ignores the status message, never pulls the record, prints the late answer."""
    await t.wait(30)
    held = await t.queue("IPQ.{ORI}.IP.TXT NAM/OKONKWO-BELL, TERRENCE.DOB/19910723")
    await wait_until(lambda: t.server.faults.held >= 1)
    await t.wait(180)
    await t.session.broker.wait_answer(held.control, timeout=20)
    await t.export()


CASES = [
    # scenario, script, score, expectations missed
    ("red-notice-traffic-stop", red_good, 100, set()),
    (
        "red-notice-traffic-stop",
        red_careless,
        10,
        {"full-record", "record-read", "urgent-confirmation", "no-export"},
    ),
    ("stolen-vehicle-border", vehicle_good, 100, set()),
    ("stolen-vehicle-border", vehicle_careless, 40, {"urgent-confirmation", "acknowledge-bolo"}),
    ("lost-passport-counter", passport_good, 100, set()),
    (
        "lost-passport-counter",
        passport_careless,
        40,
        {"record-read", "routine-confirmation", "no-export"},
    ),
    ("missing-child-yellow", child_good, 100, set()),
    ("missing-child-yellow", child_careless, 60, {"urgent-confirmation"}),
    ("network-outage", outage_good, 100, set()),
    ("network-outage", outage_careless, 30, {"acknowledge-outage", "full-record", "no-export"}),
]


def test_every_shipped_scenario_has_a_good_and_a_careless_trainee() -> None:
    assert {case[0] for case in CASES} == set(SCENARIOS)
    assert len(SCENARIOS) >= 5


@pytest.mark.parametrize(
    ("trainee", "script", "score", "missed"),
    CASES,
    indirect=["trainee"],
    ids=[f"{case[0]}-{case[1].__name__.rsplit('_', 1)[1]}" for case in CASES],
)
async def test_scenario_scoring(
    trainee: Trainee, script: Script, score: int, missed: set[str]
) -> None:
    await script(trainee)
    result = await result_of(trainee)
    report = render_text(result)
    assert {o.expectation.id for o in result.outcomes if not o.met} == missed, report
    assert result.score == score, report
    assert f"Score {score} of 100" in report

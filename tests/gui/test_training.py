"""Training in demo mode: the trainer picks a scenario, the trainee works it in the real window
against the clock, the debrief comes from the audit trail and saves as a marked PDF."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.app import DEMO_OPERATOR, DemoNetwork
from console.broker.session import Session
from console.gui.shell.composition import Console, open_console
from console.gui.training.debrief_view import DEMO_MARK, debrief_html
from console.gui.training.exercise import TrainingController
from console.scenario.loader import shipped_scenarios
from console.scenario.model import Scenario
from tests.gui.windows import ended
from tests.helpers.waiting import wait_until

SCENARIOS = {scenario.id: scenario for scenario in shipped_scenarios()}
RED = SCENARIOS["red-notice-traffic-stop"]


@dataclass
class Demo:
    network: DemoNetwork
    session: Session
    console: Console


@pytest.fixture
async def demo(tmp_path: Path, qtbot: QtBot) -> AsyncIterator[Demo]:
    """The demo world as --demo builds it (smaller data), its window opened in the test."""
    network = DemoNetwork(tmp_path)
    await network.start(notices=300)
    session = await Session.open(network.profile, DEMO_OPERATOR, network.secret, watch=False)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    console = open_console(
        app,
        session,
        demo=True,
        scenarios=list(SCENARIOS.values()),
        start_scenario=network.start_scenario,
    )
    qtbot.addWidget(console.window, before_close_func=ended)
    try:
        await wait_until(lambda: "Link up" in console.window.status.link_label.text())
        yield Demo(network, session, console)
    finally:
        console.close()
        await session.close()
        await network.close()


async def test_the_trainer_picks_a_scenario_and_the_trainee_is_debriefed(
    demo: Demo, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    window = demo.console.window
    training = window.training
    assert training is not None and training.can_start
    dialog = window.pick_scenario()
    assert dialog.choices.count() == len(SCENARIOS)
    dialog.choices.setCurrentRow(list(SCENARIOS.values()).index(RED))
    assert RED.title in dialog.briefing.toPlainText()
    start = dialog.findChild(QPushButton, "startScenario")
    assert start is not None
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    await wait_until(lambda: training.current is RED)
    assert "left" in training.clock_label.text() and training.clock_label.isVisible()
    assert any(item.kind == "TRAINING" for item in window.alert_model.items())  # the briefing

    # the trainee runs the wanted person and reads the full record, by keyboard and line
    window.focus_command_line()
    line = "IPQ.WA0340000.IP.TXT NAM/VESTRANOV, ILYAS KARIMOVICH.DOB/19860411"
    qtbot.keyClicks(window.command_line.edit, line)
    qtbot.keyClick(window.command_line.edit, Qt.Key.Key_Return)
    await wait_until(lambda: window.candidates.rowCount() > 0)
    assert window.candidates.candidate(0).eid == "2026/99001"

    result = await training.finish()
    assert result is not None and training.view is not None and training.view.isVisible()
    qtmodeltester.check(training.view.outcomes)
    qtmodeltester.check(training.view.steps)
    assert training.view.outcomes.rowCount() == len(RED.expectations)
    met = {o.expectation.id for o in result.outcomes if o.met}
    assert met == {"person-inquiry", "no-export"}  # it asked, never pulled or confirmed the hit
    assert 0 < result.score < result.total
    pdf = tmp_path / "debrief.pdf"
    await training.view.save_pdf(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    records = await demo.session.store.audit_records()
    assert ("training", "debrief exported") in [(r.event, r.outcome) for r in records]


class SteppedClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_time_up_shows_the_debrief_by_itself(demo: Demo) -> None:
    clock = SteppedClock()
    scenarios: list[Scenario] = list(SCENARIOS.values())
    training = TrainingController(
        demo.session.store, scenarios, demo.network.start_scenario, clock=clock
    )
    demo.console.bridge.alert_raised.connect(training.alert_raised)
    await training.start(RED)
    await wait_until(lambda: training.current is RED)
    clock.now += timedelta(seconds=RED.duration - 61)
    training.tick()
    assert training.clock_label.text().endswith("01:01 left")
    clock.now += timedelta(seconds=61)
    training.tick()
    await wait_until(lambda: training.view is not None)
    assert "time is up" in training.clock_label.text()
    assert training.view is not None and DEMO_MARK in debrief_html(training.view.result)


async def test_a_console_without_an_exercise_says_so(demo: Demo) -> None:
    training = demo.console.window.training
    assert training is not None
    said: list[str] = []
    training.failed.connect(said.append)
    assert await training.finish() is None
    assert said == ["No exercise has started at this console"]

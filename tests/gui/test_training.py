"""Training in demo mode: the trainer picks a scenario, the trainee works it in the real window
against the clock, the debrief comes from the audit trail and saves as a marked PDF."""

from __future__ import annotations

import html
import re
import stat
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QStyle, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.app import DEMO_OPERATOR, DemoNetwork
from console.broker.session import Session
from console.gui.shell.composition import Console, open_console
from console.gui.training.debrief_view import DEMO_MARK, OutcomeModel, StepModel, debrief_html
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
        sample_names=network.hints,
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
    assert pdf.read_bytes().startswith(b"%PDF") and b"%%EOF" in pdf.read_bytes()[-32:]
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600  # as record PDFs
    again = tmp_path / "shared.pdf"
    again.write_bytes(b"")
    again.chmod(0o644)
    await training.view.save_pdf(str(again))  # an existing, readable file is replaced
    assert stat.S_IMODE(again.stat().st_mode) == 0o600
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
    assert training.clock_label.text() == "" and not training.clock_label.isVisible()
    assert training.view is not None and DEMO_MARK in debrief_html(training.view.result)


async def test_a_console_without_an_exercise_says_so(demo: Demo) -> None:
    training = demo.console.window.training
    assert training is not None
    said: list[str] = []
    training.failed.connect(said.append)
    assert await training.finish() is None
    assert said == ["No exercise has started at this console"]


async def test_after_the_debrief_no_clock_is_left_and_the_window_closes(
    demo: Demo, qtbot: QtBot
) -> None:
    training = demo.console.window.training
    assert training is not None
    await training.start(RED)
    await wait_until(lambda: training.current is RED)
    assert training.clock_label.text().endswith("left") and training.clock_label.isVisible()
    assert await training.finish() is not None
    assert training.clock_label.text() == "" and not training.clock_label.isVisible()
    training.tick()  # a tick after the debrief brings no clock back
    assert training.clock_label.text() == ""
    view = training.view
    assert view is not None and view.isVisible()
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert not view.isVisible()

    assert await training.finish() is not None  # the debrief opens again, Esc closes it
    view = training.view
    assert view is not None and view.isVisible()
    view.activateWindow()
    await wait_until(view.isActiveWindow)
    qtbot.keyClick(view.outcome_table, Qt.Key.Key_Escape)
    await wait_until(lambda: not view.isVisible())


async def test_why_it_matters_wraps_whole_in_the_debrief(demo: Demo) -> None:
    training = demo.console.window.training
    assert training is not None
    await training.start(RED)
    await wait_until(lambda: training.current is RED)
    assert await training.finish() is not None
    view = training.view
    assert view is not None
    table = view.outcome_table
    column = OutcomeModel.COLUMNS.index("Why it matters")

    def whole(row: int) -> bool:
        index = view.outcomes.index(row, column)
        rect = table.visualRect(index)
        text = view.outcomes.data(index)
        # the cell less the text margins its style keeps on either side
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        needed = table.fontMetrics().boundingRect(
            QRect(0, 0, rect.width() - 2 * margin, 100_000), Qt.TextFlag.TextWordWrap, text
        )
        return rect.right() <= table.viewport().width() and needed.height() <= rect.height()

    await wait_until(lambda: all(whole(row) for row in range(view.outcomes.rowCount())))
    assert table.horizontalScrollBar().maximum() == 0


async def test_the_scenario_picker_shows_whole_titles_and_briefings(demo: Demo) -> None:
    dialog = demo.console.window.pick_scenario()
    await wait_until(dialog.isVisible)
    choices = dialog.choices
    metrics = choices.fontMetrics()
    for row, scenario in enumerate(SCENARIOS.values()):
        item = choices.item(row)
        assert item is not None and item.text() == scenario.title
        width = metrics.horizontalAdvance(scenario.title)
        assert choices.visualItemRect(item).width() >= width
        assert choices.viewport().width() >= width
    for row, scenario in enumerate(SCENARIOS.values()):
        choices.setCurrentRow(row)
        first_line = scenario.briefing.strip().splitlines()[0]

        def shown(line: str = first_line) -> bool:
            return line in dialog.briefing.toPlainText()

        await wait_until(shown)
        # wrapped, never wider than the pane: nothing of it hides beyond a scrollbar
        await wait_until(lambda: dialog.briefing.horizontalScrollBar().maximum() == 0)
    dialog.reject()


async def test_demo_hints_name_a_hit_in_every_family(demo: Demo, qtbot: QtBot) -> None:
    window = demo.console.window
    hint = window.results.summary.text()
    network = demo.network
    assert network.sample_names and len(network.sample_objects) == 3
    for sample in (*network.sample_names, *network.sample_objects):
        assert sample in hint
    vin = re.search(r"VIN (\S+)", hint)
    document = re.search(r"(\S+) \(type (\w), (\w\w)\)", hint)
    serial = re.search(r"gun serial (\S+)", hint)
    assert vin and document and serial, hint
    lines = [
        f"IVQ.WA0340000.IP.TXT VIN/{vin[1]}",
        f"ITQ.WA0340000.IP.TXT DID/{document[1]}.TYP/{document[2]}.CNT/{document[3]}",
        f"IGQ.WA0340000.IP.TXT SER/{serial[1]}",
    ]
    objects = window.results.objects
    for line, value in zip(lines, (vin[1], document[1], serial[1]), strict=True):
        window.focus_command_line()
        window.command_line.edit.clear()
        qtbot.keyClicks(window.command_line.edit, line)
        qtbot.keyClick(window.command_line.edit, Qt.Key.Key_Return)

        def hit(value: str = value) -> bool:
            # the number in the first row's cells, exactly as issued
            cells = [
                str(objects.data(objects.index(0, column)))
                for column in range(objects.columnCount())
            ]
            return objects.rowCount() > 0 and value in cells

        await wait_until(hit)


RUNNING = "a training exercise running (not yet debriefed)"


async def test_a_second_exercise_after_a_debrief_runs_and_ends_like_the_first(
    demo: Demo,
) -> None:
    window = demo.console.window
    training = window.training
    assert training is not None
    await training.start(RED)
    await wait_until(lambda: training.current is RED and training.running)
    assert RUNNING in window.pending()
    assert await training.finish() is not None
    assert not training.running and RUNNING not in window.pending()
    first_view = training.view
    assert first_view is not None
    first_view.close()

    second = SCENARIOS["stolen-vehicle-border"]
    await training.start(second)
    await wait_until(lambda: training.current is second)
    assert training.running
    assert training.clock_label.isVisible() and training.clock_label.text().endswith("left")
    window.quit()  # the quit asks: the second exercise is running, though one was debriefed
    question = window.quit_question
    assert question is not None and question.isVisible()
    assert RUNNING in question.informativeText()
    question.reject()  # keep working

    assert await training.finish() is not None
    assert training.view is not None and training.view is not first_view
    assert not training.running and RUNNING not in window.pending()
    # the status bar's clock is gone, and no later tick brings the last second back
    assert training.clock_label.text() == "" and not training.clock_label.isVisible()
    training.tick()
    assert training.clock_label.text() == "" and not training.clock_label.isVisible()


async def test_a_long_training_alert_is_kept_whole_in_the_debrief_timeline(demo: Demo) -> None:
    training = demo.console.window.training
    assert training is not None
    briefing = " ".join(RED.briefing.split())
    assert len(briefing) > 200  # longer than the line an alert shows in the dock
    await training.start(RED)
    await wait_until(lambda: training.current is RED)
    assert await training.finish() is not None
    view = training.view
    assert view is not None
    steps = view.steps
    column = StepModel.COLUMNS.index("Detail")
    details = [str(steps.data(steps.index(row, column))) for row in range(steps.rowCount())]
    actions = [str(steps.data(steps.index(row, 1))) for row in range(steps.rowCount())]
    row = actions.index("alert raised TRAINING")
    # stored whole in the audit trail, as the exercise control sent it
    assert f"TRAINING EXERCISE {RED.id} STARTS NOW" in details[row]
    assert briefing in " ".join(details[row].split())
    on_paper = " ".join(debrief_html(view.result).split())
    assert html.escape(briefing) in on_paper  # and on paper

    table = view.findChild(QTableView, "debriefSteps")
    assert table is not None
    index = steps.index(row, column)

    def wrapped_whole() -> bool:
        rect = table.visualRect(index)
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        needed = table.fontMetrics().boundingRect(
            QRect(0, 0, rect.width() - 2 * margin, 100_000),
            Qt.TextFlag.TextWordWrap,
            details[row],
        )
        return rect.right() <= table.viewport().width() and needed.height() <= rect.height()

    await wait_until(wrapped_whole)  # wrapped at the column's width, never cut
    assert table.horizontalScrollBar().maximum() == 0

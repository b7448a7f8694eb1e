"""Training in the console: pick a scenario, read its briefing, run it against the clock, see
the debrief (debrief_view.py)."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.debrief import Debrief, NoExercise, Scenario, debrief, started_exercise
from console.broker.events import AlertRaised
from console.broker.policy import TRAINING_ALERT
from console.domain.messages import FreeText
from console.gui.base.ports import AuditTrail
from console.gui.base.widgets import label, named
from console.gui.training.debrief_view import DEMO_MARK, DebriefView

LIST_ITEM = re.compile(r"(\d+[.)]|[-*•]) ")  # a briefing's numbered or bulleted line


class ScenarioDialog(QDialog):
    """The trainer's pick: each scenario with its summary and the briefing the trainee gets."""

    chosen = Signal(object)  # Scenario

    def __init__(self, scenarios: Sequence[Scenario], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Training scenario - DEMO")
        self._scenarios = list(scenarios)
        self.choices = named(QListWidget(), "scenarioList", "Training scenarios")
        for scenario in self._scenarios:
            item = QListWidgetItem(scenario.title)
            item.setToolTip(scenario.summary)
            self.choices.addItem(item)
        # a list item does not wrap: the list is as wide as its longest title
        self.choices.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.choices.setMinimumWidth(self._widest_title() + 40)
        self.briefing = named(QTextBrowser(), "scenarioBriefing", "Scenario briefing")
        self.briefing.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        start = buttons.button(QDialogButtonBox.StandardButton.Ok)
        start.setText("Start exercise")
        named(start, "startScenario", "Start the exercise")
        buttons.accepted.connect(self._start)
        buttons.rejected.connect(self.reject)
        split = QSplitter()
        split.addWidget(self.choices)
        split.addWidget(self.briefing)
        split.setChildrenCollapsible(False)
        split.setSizes([self.choices.minimumWidth(), 520])
        layout = QVBoxLayout(self)
        layout.addWidget(label(DEMO_MARK, "demoMark"))
        layout.addWidget(split, 1)  # the mark and the buttons keep their own height
        layout.addWidget(buttons)
        self.choices.currentRowChanged.connect(self._preview)
        if self._scenarios:
            self.choices.setCurrentRow(0)
        self.resize(max(820, self.choices.minimumWidth() + 540), 520)

    def _widest_title(self) -> int:
        metrics = self.choices.fontMetrics()
        return max((metrics.horizontalAdvance(s.title) for s in self._scenarios), default=200)

    def _preview(self, row: int) -> None:
        if 0 <= row < len(self._scenarios):
            self.briefing.setHtml(briefing_html(self._scenarios[row]))

    def _start(self) -> None:
        row = self.choices.currentRow()
        if 0 <= row < len(self._scenarios):
            self.chosen.emit(self._scenarios[row])
            self.accept()


def briefing_html(scenario: Scenario) -> str:
    minutes = int(scenario.duration // 60)
    return (
        f"<h2>{html.escape(scenario.title)}</h2><p><i>{html.escape(scenario.summary)}</i></p>"
        # pre-wrap keeps the paragraphs and list items, and wraps them at the pane's width
        f"<p style='white-space: pre-wrap'>{html.escape(reflowed(scenario.briefing))}</p>"
        f"<p>Time: {minutes} minutes. Points: {scenario.total_points}.</p>"
    )


def reflowed(text: str) -> str:
    """The briefing as paragraphs and list items: the line breaks a scenario file wraps its
    lines with are joined, so the pane wraps them at its own width."""
    lines: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        item = bool(LIST_ITEM.match(stripped))
        if stripped and lines and lines[-1] and not item:
            lines[-1] += " " + stripped
        else:
            lines.append(stripped)
    return "\n".join(lines)


class TrainingController(QObject):
    """An exercise at this console: started by the trainer's pick in demo mode (on the embedded
    switch) or by a classroom switch; either way the switch's start notice starts the clock
    (broker/debrief.py records it). Time up, or the trainee's Finish, shows the debrief."""

    started = Signal(object)  # Scenario: the exercise began for this trainee
    debriefed = Signal(object)  # Debrief
    failed = Signal(str)  # what could not be done, for the status bar

    def __init__(
        self,
        trail: AuditTrail,
        scenarios: Sequence[Scenario],
        start_run: Callable[[Scenario], Awaitable[None]] | None = None,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._trail = trail
        self.scenarios = list(scenarios)
        self._start_run = start_run
        self._clock = clock
        self.current: Scenario | None = None
        self.ends: datetime | None = None
        self.view: DebriefView | None = None
        self.clock_label = label("", "exerciseClock", accessible="Exercise time left")
        self.clock_label.setVisible(False)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._finishing: asyncio.Future[Debrief | None] | None = None

    @property
    def running(self) -> bool:
        """An exercise started and not yet debriefed (the quit question and the clock use it):
        each start begins a new one, whatever earlier debrief is still open."""
        return self.current is not None and self.ends is not None

    @property
    def can_start(self) -> bool:
        """Demo mode: this console runs its own switch and may start a scenario on it."""
        return self._start_run is not None and bool(self.scenarios)

    def pick(self, parent: QWidget | None = None) -> ScenarioDialog:
        dialog = ScenarioDialog(self.scenarios, parent)
        dialog.chosen.connect(self._chosen)
        dialog.open()  # never exec() inside the loop
        return dialog

    @asyncSlot(object)
    async def _chosen(self, scenario: Scenario) -> None:
        await self.start(scenario)

    async def start(self, scenario: Scenario) -> None:
        """Start ``scenario`` on the embedded switch; its start notice follows as an alert."""
        if self._start_run is None:
            raise RuntimeError("only demo mode starts scenarios: a classroom switch runs its own")
        await self._start_run(scenario)

    def alert_raised(self, event: AlertRaised) -> None:
        """A start notice from the switch: the exercise (and its clock) begins now."""
        if event.kind != TRAINING_ALERT or event.message is None:
            return
        body = event.message.body
        scenario_id = started_exercise(body.text) if isinstance(body, FreeText) else None
        scenario = next((s for s in self.scenarios if s.id == scenario_id), None)
        if scenario is None:
            self.failed.emit(f"Exercise {scenario_id} started, but its scenario file is not here")
            return
        self.current = scenario
        self.ends = self._clock() + timedelta(seconds=scenario.duration)
        self.clock_label.setVisible(True)
        self.tick()
        self._ticker.start()
        self.started.emit(scenario)

    def tick(self) -> None:
        """Show the time left; when it is up, the debrief."""
        if self.current is None or self.ends is None:
            return
        left = int((self.ends - self._clock()).total_seconds())
        if left <= 0:
            self._ticker.stop()
            self.clock_label.setText(f"Exercise {self.current.title}: time is up")
            self._finishing = asyncio.ensure_future(self.finish())  # kept: the task is owned
            return
        self.clock_label.setText(
            f"Exercise {self.current.title}: {left // 60:02d}:{left % 60:02d} left"
        )

    async def finish(self) -> Debrief | None:
        """The debrief of the current exercise, shown in its own window."""
        if self.current is None:
            self.failed.emit("No exercise has started at this console")
            return None
        try:
            result = debrief(self.current, await self._trail.audit_records())
        except NoExercise as exc:
            self.failed.emit(str(exc))
            return None
        self._ticker.stop()
        # the exercise is over: no clock left standing at the last second it showed
        self.ends = None
        self.clock_label.clear()
        self.clock_label.setVisible(False)
        await self._trail.audit("training", "debriefed", self.current.id)
        self.view = DebriefView(result, self._trail)
        self.view.resize(980, 640)
        self.view.show()
        self.debriefed.emit(result)
        return result

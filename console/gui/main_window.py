"""The main window: Person panel, candidate list, full-record viewer, status bar, DEMO banner."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMainWindow,
    QSplitter,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.broker import Broker
from console.broker.events import (
    AnswerReceived,
    LinkStateChanged,
    QueryFailed,
    QueryStillWaiting,
    QueueChanged,
)
from console.domain.codes import LinkState
from console.domain.errors import ConsoleError
from console.domain.messages import CandidateList, ErrorReply, Message, RecordResponse
from console.gui.bridge import BrokerBridge
from console.gui.models import CandidateModel
from console.gui.person_panel import PersonPanel
from console.gui.record_view import RecordView
from console.gui.theme import LINK_COLOURS
from console.gui.widgets import label, named

DEMO_TEXT = "DEMO — TRAINING DATA ONLY — SYNTHETIC PEOPLE — NOT FOR OPERATIONAL USE"


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        broker: Broker,
        bridge: BrokerBridge,
        *,
        operator: str,
        demo: bool,
        sample_names: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.broker = broker
        self._opening: asyncio.Task[Message] | None = None
        self._record_ages: dict[str, timedelta] = {}  # EID -> age of a cached record served
        self.setWindowTitle(("DEMO — " if demo else "") + "INTERPOL Dispatch Console")
        self.resize(1400, 860)

        self.person_panel = PersonPanel(broker)
        self.candidates = CandidateModel(self)
        self.results = named(QTableView(), "candidates")
        self.results.setAccessibleName("Possible matches")
        self.results.setModel(self.candidates)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        hint = "No search yet: type a name as LAST, FIRST and press Enter."
        if sample_names:  # demo data is synthetic: tell the trainee who is in it
            hint += "\nIn the demo data, try: " + "; ".join(sample_names)
        self.results_label = label(hint, "resultsSummary", wrap=True)
        self.record_view = RecordView()

        results_box = QWidget()
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.results_label)
        results_layout.addWidget(self.results, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.person_panel)
        splitter.addWidget(results_box)
        splitter.addWidget(self.record_view)
        splitter.setSizes([300, 560, 540])

        central = QWidget()
        layout = QVBoxLayout(central)
        self.demo_banner = label(DEMO_TEXT, "demoBanner")
        self.demo_banner.setAccessibleName("Demo mode")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setVisible(demo)
        layout.addWidget(self.demo_banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.link_label = label("", "linkState")
        self.link_label.setAccessibleName("Link state")
        status = QStatusBar()
        self.queue_label = label("Queue empty", "queueDepth", accessible="Queue depth")
        self.alerts_label = label("", "alertCount", accessible="Unacknowledged alerts")
        status.addPermanentWidget(self.alerts_label)
        status.addPermanentWidget(self.queue_label)
        status.addPermanentWidget(self.link_label)
        status.addPermanentWidget(label(f"Operator {operator}", "operator"))
        status.addPermanentWidget(label(f"ORI {broker.ori}", "ori"))
        if demo:
            status.addPermanentWidget(label("DEMO", "demoTag"))
        self.setStatusBar(status)
        self.show_link_state(LinkStateChanged(broker.link_state, ""))

        bridge.link_state_changed.connect(self.show_link_state)
        bridge.query_failed.connect(self._show_failure)
        bridge.answer_received.connect(self._on_answer)
        bridge.queue_changed.connect(self.show_queue)
        bridge.query_still_waiting.connect(self._show_still_waiting)
        bridge.alert_raised.connect(self.refresh_alerts)
        bridge.alert_acknowledged.connect(self.refresh_alerts)
        self.person_panel.answered.connect(self.show_answer)
        self.results.activated.connect(self.open_record)
        QShortcut(QKeySequence("Ctrl+P"), self, self.person_panel.name_edit.setFocus)
        QShortcut(QKeySequence("Ctrl+R"), self, self.results.setFocus)
        self.person_panel.name_edit.setFocus()
        QTimer.singleShot(0, self.refresh_alerts)  # alerts kept from an earlier shift

    def show_link_state(self, event: LinkStateChanged) -> None:
        state = event.state.value
        colour = LINK_COLOURS.get(state, "#777")
        self.link_label.setText(f"<span style='color:{colour}'>●</span> Link {state}")
        self.link_label.setToolTip(event.detail or f"link to the switch is {state}")

    def show_answer(self, answer: Message, cached_age: timedelta | None = None) -> None:
        """Show an IPR; ``cached_age`` marks a cached one shown while a fresh query runs."""
        body = answer.body
        if isinstance(body, CandidateList):
            self.candidates.set_candidates(body.candidates, body.total)
            shown = len(body.candidates)
            if not shown:
                text = "No record: no INTERPOL notice matches."
            else:
                extra = f" (first {shown} of {body.total})" if body.total > shown else ""
                text = (
                    f"{shown} possible match{'es' if shown != 1 else ''}{extra} — "
                    "Enter opens the full record"
                )
                self.results.setCurrentIndex(self.candidates.index(0, 0))
                self.results.setFocus()  # Enter now opens the best match; Ctrl+P goes back
            if cached_age is not None:
                text = f"CACHED {age_text(cached_age)} old, asking INTERPOL again… {text}"
            self.results_label.setText(text)
        elif isinstance(body, ErrorReply):
            self.statusBar().showMessage(body.text, 15000)

    def _on_answer(self, event: AnswerReceived) -> None:
        """A stale cached answer is shown at once, marked, while the panel's query runs."""
        if event.from_cache and event.age is not None:
            if isinstance(event.answer.body, CandidateList) and event.stale:
                self.show_answer(event.answer, cached_age=event.age)
            elif isinstance(event.answer.body, RecordResponse):
                self._record_ages[event.answer.body.eid] = event.age

    @asyncSlot(QModelIndex)
    async def open_record(self, index: QModelIndex) -> None:
        eid = self.candidates.candidate(index.row()).eid
        if self._opening is not None and not self._opening.done():
            self._opening.cancel()
        self.record_view.show_placeholder(f"Requesting full record {eid} (FPQ)…")
        opening = self._opening = asyncio.ensure_future(self.broker.open_record(eid))
        try:
            answer = await opening
        except asyncio.CancelledError:
            return
        except ConsoleError as exc:
            if opening is not self._opening:
                return
            self.record_view.show_placeholder(f"Full record {eid} not received: {exc}")
            return
        if opening is not self._opening:  # the operator opened another record meanwhile
            return
        body = answer.body
        if isinstance(body, RecordResponse) and body.notice is not None:
            await self.broker.record_viewed(answer)  # audited before it is shown
            age = self._record_ages.pop(eid, None)
            note = f"CACHED RECORD, {age_text(age)} old: the link is down" if age else ""
            self.record_view.show_notice(body.notice, note=note)
        elif isinstance(body, ErrorReply):
            self.record_view.show_placeholder(body.text)
        else:
            self.record_view.show_placeholder(f"No record for EID {eid}.")

    def show_queue(self, event: QueueChanged) -> None:
        if not event.queued and not event.in_flight:
            self.queue_label.setText("Queue empty")
            return
        text = f"Queue {event.queued} · in flight {event.in_flight}"
        if event.queued and self.broker.link_state is not LinkState.UP:
            text += " — held until the link returns"
        self.queue_label.setText(text)

    @asyncSlot()
    async def refresh_alerts(self) -> None:
        count = len(await self.broker.alerts())
        self.alerts_label.setText(f"⚠ {count} alert{'s' if count != 1 else ''}" if count else "")

    def _show_still_waiting(self, event: QueryStillWaiting) -> None:
        seconds = int(event.waited.total_seconds())
        self.statusBar().showMessage(
            f"Query {event.control} still waiting after {seconds} s; its answer will be kept",
            30000,
        )

    def _show_failure(self, event: QueryFailed) -> None:
        self.statusBar().showMessage(f"Query {event.control}: {event.reason}", 15000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


def age_text(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h"

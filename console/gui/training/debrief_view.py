"""The debrief on screen and on paper: the score, each expectation, the trainee's timeline."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QBuffer, QIODevice, Qt
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.debrief import Debrief, Outcome, Step
from console.domain.files import write_private
from console.gui.base.ports import Auditor
from console.gui.base.table_model import ColumnsModel, Index
from console.gui.base.widgets import label, named

DEMO_MARK = "DEMO - TRAINING DATA - NOT A REAL RECORD"
MET, MISSED = "#2e7d32", "#c62828"


class OutcomeModel(ColumnsModel):
    """The scenario's expectations and how each went."""

    COLUMNS = ("Expectation", "Result", "Points", "Note", "Why it matters")

    def __init__(self, outcomes: Sequence[Outcome] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(outcomes)

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        outcome = self._rows[index.row()]
        exp = outcome.expectation
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                exp.id,
                "met" if outcome.met else "missed",
                f"{outcome.points}/{exp.points}",
                outcome.note,
                exp.explain,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor(MET if outcome.met else MISSED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return exp.explain
        return None


class StepModel(ColumnsModel):
    """What the trainee did, from the audit trail, with the expectations each step met."""

    COLUMNS = ("Time", "Action", "Detail", "Counts for")

    def __init__(self, steps: Sequence[Step] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(steps)

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        step = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                offset_text(step),
                f"{step.record.event} {step.record.outcome}",
                step.record.obj,
                "; ".join(step.marks),
            )[index.column()]
        return None


def offset_text(step: Step) -> str:
    seconds = int(step.offset.total_seconds())
    return f"+{seconds // 60:02d}:{seconds % 60:02d}"


class DebriefView(QWidget):
    """The debrief on screen: the score, each expectation, the trainee's timeline."""

    def __init__(self, result: Debrief, audit: Auditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self._audit = audit
        self.setWindowTitle(f"Debrief - {result.scenario.title} - DEMO")
        self.heading = label(heading_text(result), "debriefScore", accessible="Score")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.outcomes = OutcomeModel(result.outcomes, self)
        self.steps = StepModel(result.steps, self)
        layout = QVBoxLayout(self)
        layout.addWidget(label(DEMO_MARK, "demoMark"))
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("Expectations"))
        self.outcome_table = _table(
            self.outcomes, "debriefOutcomes", "Expectations and results", wrapped=(3, 4)
        )
        layout.addWidget(self.outcome_table)
        layout.addWidget(QLabel("What you did"))
        layout.addWidget(_table(self.steps, "debriefSteps", "Timeline of the exercise", (2, 3)))
        save = named(QPushButton("Save as PDF..."), "saveDebrief", "Save the debrief as PDF")
        save.clicked.connect(self._choose_pdf)
        self.close_button = named(QPushButton("Close"), "closeDebrief", "Close the debrief")
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _choose_pdf(self) -> None:
        dialog = QFileDialog(self, "Save debrief", f"debrief-{self.result.scenario.id}.pdf")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF (*.pdf)")
        dialog.fileSelected.connect(self.save_pdf)
        dialog.open()

    @asyncSlot(str)
    async def save_pdf(self, path: str) -> None:
        """Write the debrief; a deliberate export, so it is audited (as training, not CJI)."""
        write_debrief_pdf(self.result, Path(path))
        await self._audit.audit("training", "debrief exported", self.result.scenario.id)


def heading_text(result: Debrief) -> str:
    colour = MET if result.score == result.total else MISSED
    return (
        f"<h2>{html.escape(result.scenario.title)}</h2>"
        f"<p>Trainee <b>{html.escape(result.operator)}</b>, started "
        f"{result.started:%Y-%m-%d %H:%M:%S} UTC. "
        f"Score <b style='color:{colour}'>{result.score} of {result.total}</b></p>"
    )


def _table(
    model: QAbstractTableModel, name: str, accessible: str, wrapped: tuple[int, ...] = ()
) -> QTableView:
    """Short columns as wide as their contents; the ``wrapped`` ones share the rest of the
    width and wrap, each row as tall as its text (never cut with an ellipsis)."""
    view = named(QTableView(), name, accessible)
    view.setModel(model)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in wrapped:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(not wrapped)
    return view


def debrief_html(result: Debrief) -> str:
    """The printable debrief: marked DEMO on every page's content, as all training output."""
    rows = "".join(
        f"<tr><td>{html.escape(o.expectation.id)}</td>"
        f"<td style='color:{MET if o.met else MISSED}'>{'met' if o.met else 'missed'}</td>"
        f"<td>{o.points}/{o.expectation.points}</td><td>{html.escape(o.note)}</td>"
        f"<td>{html.escape(o.expectation.explain)}</td></tr>"
        for o in result.outcomes
    )
    steps = "".join(
        f"<tr><td>{offset_text(s)}</td><td>{html.escape(s.record.event)} "
        f"{html.escape(s.record.outcome)}</td><td>{html.escape(s.record.obj)}</td>"
        f"<td>{html.escape('; '.join(s.marks))}</td></tr>"
        for s in result.steps
    )
    cell = "border='1' cellspacing='0' cellpadding='3' width='100%'"
    return (
        f"<p align='center'><b>{DEMO_MARK}</b></p>{heading_text(result)}"
        f"<h3>Expectations</h3><table {cell}><tr><th>Expectation</th><th>Result</th>"
        f"<th>Points</th><th>Note</th><th>Why it matters</th></tr>{rows}</table>"
        f"<h3>What the trainee did</h3><table {cell}><tr><th>Time</th><th>Action</th>"
        f"<th>Detail</th><th>Counts for</th></tr>{steps}</table>"
        f"<p align='center'><b>{DEMO_MARK}</b></p>"
    )


def write_debrief_pdf(result: Debrief, path: Path) -> None:
    """Lay the debrief out on Letter pages and write the PDF, owner-only (0600) as every file
    the console writes: laid out in memory, then replaced atomically."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setTitle(f"Debrief - {result.scenario.title} - DEMO")
    document = QTextDocument()
    document.setHtml(debrief_html(result))
    document.print_(writer)
    del writer  # the PDF is complete only once its writer is gone
    write_private(path, bytes(buffer.data().data()))

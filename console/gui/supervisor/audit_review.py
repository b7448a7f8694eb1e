"""The audit review for supervisors (AU-6): a period of the trail, narrowed and searched, the
chain's state, a CSV export of what is shown and the recorded sign-off, on one screen. At a
position of a centre it is the centre's trail: every position's records, narrowed by
workstation, each position's chain (``center_scope.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.accounts import ChainStatus
from console.domain.audit_export import audit_csv, period_bounds
from console.domain.errors import ConsoleError
from console.domain.files import write_private
from console.gui.base.ports import AuditReview
from console.gui.base.presenter import present
from console.gui.base.widgets import caption_for, label, named, read_only_table, refill
from console.gui.supervisor.audit_model import ALARM, AuditModel, last_days, last_quarter
from console.gui.supervisor.center_scope import CenterScope

VERIFIED = "#2e7d32"
ALL = "(all)"


def utc_today() -> date:
    return datetime.now(UTC).date()


class AuditReviewWindow(QWidget):
    """Its own top-level window; ``refresh`` reads the period and verifies the chain."""

    def __init__(
        self,
        desk: AuditReview,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = utc_today,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Audit review")
        self.setObjectName("auditReview")
        self._desk = desk
        self._today = today
        self._reading = 0  # the latest read wins: an older one's records are dropped
        self.period: tuple[date, date] | None = None  # the period the table shows
        self.model = AuditModel(self)
        self.center_scope = CenterScope(ALARM, VERIFIED)  # hidden on a lone PC

        self.from_edit = self._date_edit("reviewFrom", "Review period from (UTC)")
        self.to_edit = self._date_edit("reviewTo", "Review period to (UTC), included")
        self.show_button = named(QPushButton("Show"), "showPeriod", "Show the review period")
        self.week_button = named(QPushButton("Last 7 days"), "lastWeek", "Show the last 7 days")
        self.quarter_button = named(
            QPushButton("Last quarter"), "lastQuarter", "Show the previous calendar quarter"
        )
        self.operator_combo = named(QComboBox(), "auditOperator", "Operator filter")
        self.event_combo = named(QComboBox(), "auditEvent", "Event filter")
        self.search_edit = named(QLineEdit(), "auditSearch", "Search the shown records")
        self.search_edit.setPlaceholderText("Search any column")
        self.search_edit.setClearButtonEnabled(True)
        for part in self.search_edit.findChildren(QToolButton):  # the clear button Qt adds
            part.setAccessibleName("Clear the search")
        self.chain_label = label(
            "Audit chain not checked yet", "chainStatus", accessible="Audit chain status"
        )
        self.verify_button = named(QPushButton("Verify chain"), "verifyChain", "Verify the chain")
        self.table = self._table()
        self.count_label = label("", "auditCount", accessible="Records shown")
        self.export_button = named(
            QPushButton("Export shown to CSV…"), "exportAudit", "Export the shown records as CSV"
        )
        self.note_edit = named(QLineEdit(), "reviewNote", "Review note (optional)")
        self.note_edit.setPlaceholderText("Note for the sign-off (optional)")
        self.sign_button = named(
            QPushButton("Review completed"), "signOff", "Record the review of the period"
        )
        self.status = label("", "reviewStatus", wrap=True, accessible="Audit review status")
        self._lay_out()
        refill(self.operator_combo, ALL, [])
        refill(self.event_combo, ALL, [])
        self.show_button.clicked.connect(self.load)
        self.week_button.clicked.connect(lambda: self.pick(last_days(self._today())))
        self.quarter_button.clicked.connect(lambda: self.pick(last_quarter(self._today())))
        self.center_scope.workstation_combo.currentIndexChanged.connect(self.narrow)
        self.operator_combo.currentIndexChanged.connect(self.narrow)
        self.event_combo.currentIndexChanged.connect(self.narrow)
        self.search_edit.textChanged.connect(self.narrow)
        self.verify_button.clicked.connect(self.check_chain)
        self.export_button.clicked.connect(self._choose_csv)
        self.sign_button.clicked.connect(self.sign_off)
        self.set_period(*last_days(self._today()))  # the weekly review the policy asks for
        self._enable()
        self.resize(1200, 720)

    def _date_edit(self, name: str, accessible: str) -> QDateEdit:
        edit = named(QDateEdit(), name, accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _table(self) -> QTableView:
        table = read_only_table(
            self.model, "auditTable", "Audit records", single=False, striped=True
        )
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 60), (1, 190), (2, 120), (3, 110), (4, 100), (5, 110), (6, 200)):
            table.setColumnWidth(column, width)
        # a whole timestamp at the operator's font size, never cut with "…"
        stamp = table.fontMetrics().horizontalAdvance("2026-12-31T23:59:59.99Z")
        table.setColumnWidth(1, stamp + 16)
        return table

    def _lay_out(self) -> None:
        period = QHBoxLayout()
        for caption, widget in (("&From", self.from_edit), ("&to", self.to_edit)):
            period.addWidget(caption_for(caption, widget))
            period.addWidget(widget)
        for button in (self.show_button, self.week_button, self.quarter_button):
            period.addWidget(button)
        period.addStretch(1)
        period.addWidget(self.chain_label)
        period.addWidget(self.verify_button)
        scope = self.center_scope
        filters = QHBoxLayout()
        filters.addWidget(scope.workstation_caption)
        filters.addWidget(scope.workstation_combo)
        filters.addWidget(caption_for("&Operator", self.operator_combo))
        filters.addWidget(self.operator_combo)
        filters.addWidget(caption_for("&Event", self.event_combo))
        filters.addWidget(self.event_combo)
        filters.addWidget(caption_for("&Search", self.search_edit))
        filters.addWidget(self.search_edit, 1)
        closing = QHBoxLayout()
        closing.addWidget(self.count_label, 1)
        closing.addWidget(self.export_button)
        closing.addWidget(self.note_edit, 1)
        closing.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scope.banner)
        layout.addLayout(period)
        layout.addWidget(scope.chains_label)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(closing)
        layout.addWidget(self.status)

    def set_period(self, first: date, last: date) -> None:
        self.from_edit.setDate(QDate(first.year, first.month, first.day))
        self.to_edit.setDate(QDate(last.year, last.month, last.day))

    def edited_period(self) -> tuple[date, date]:
        first, last = self.from_edit.date(), self.to_edit.date()
        return date(first.year(), first.month(), first.day()), date(
            last.year(), last.month(), last.day()
        )

    def pick(self, period: tuple[date, date]) -> None:
        """A quick pick: the period is set and read at once."""
        self.set_period(*period)
        self.load()

    @asyncSlot()
    async def refresh(self) -> None:
        """The period as edited, then the chain: what the window does when it opens."""
        await self.load()
        await self.check_chain()

    @asyncSlot()
    async def load(self) -> None:
        """Read the edited period (the read is audited as a review)."""
        first, last = self.edited_period()
        if last < first:
            self.status.setText("The review period ends before it starts.")
            return
        self._reading += 1
        reading = self._reading
        try:  # at a position the centre's; when it cannot be read, this trail and why
            read = await self._desk.trail(*period_bounds(first, last))
        except ConsoleError as exc:
            present(self.status, "The audit trail could not be read", exc)
            return
        if reading != self._reading:
            return
        self.period = (first, last)
        self.center_scope.shown(read)
        self.setWindowTitle(self.center_scope.title())
        self.model.set_records(read.records)
        refill(self.operator_combo, ALL, self.model.operators())
        refill(self.event_combo, ALL, self.model.events())
        self.status.setText("")
        self.narrow()

    def narrow(self) -> None:
        """Apply the workstation, operator, event and search filters to the records read."""
        self.model.set_filter(
            self.operator_combo.currentData(),
            self.event_combo.currentData(),
            self.search_edit.text(),
            self.center_scope.workstation,
        )
        period = f"{self.period[0]}..{self.period[1]}" if self.period else "no period"
        shown = f"{self.model.rowCount()} of {self.model.total} records shown"
        whose = (
            f"; {len(self.center_scope.positions)} positions" if self.center_scope.center else ""
        )
        self.count_label.setText(f"{shown} ({period}, UTC days{whose})")
        self._enable()

    def _enable(self) -> None:
        self.export_button.setEnabled(self.period is not None and self.model.rowCount() > 0)
        self.sign_button.setEnabled(self.period is not None)
        if self.period is not None:
            first, last = self.period
            self.sign_button.setToolTip(f"Record that the review of {first}..{last} is done")

    @asyncSlot()
    async def check_chain(self) -> None:
        try:  # at a position every position's chain at the centre, else this one's
            read = await self._desk.chains()
        except ConsoleError as exc:
            present(self.status, "The audit chain could not be checked", exc)
            return
        self.center_scope.show_chains(read.center)
        if read.altered:  # an alarm, never "unreachable": the centre's chains still shown
            self.center_scope.show_altered(read.altered)
            self.setWindowTitle(self.center_scope.title())
        if read.center is not None:
            self._chain_text(*self.center_scope.chain_verdict(read.center, read.altered))
            return
        if read.unreachable:
            self.center_scope.chain_unreachable(read.unreachable)
        if read.local is not None:
            self.show_chain(read.local)

    def show_chain(self, status: ChainStatus) -> None:
        if status.verified:
            text, colour = f"Audit chain verified: {status.records} records", VERIFIED
        else:
            reason = status.error.reason if status.error is not None else "check failed"
            text, colour = f"Audit chain BROKEN at record {status.records}: {reason}", ALARM
        self._chain_text(text, colour)

    def _chain_text(self, text: str, colour: str) -> None:
        self.chain_label.setText(text)
        self.chain_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def filter_text(self) -> str:
        """The filters in force, as the export's audit record names them."""
        parts = [
            f"{name} {value}"
            for name, value in (
                ("operator", self.operator_combo.currentData()),
                ("event", self.event_combo.currentData()),
                ("search", self.search_edit.text().strip() or None),
            )
            if value is not None
        ]
        return ", ".join(parts)

    def _choose_csv(self) -> None:
        dialog = QFileDialog(self, "Export audit records", "audit-review.csv")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("CSV (*.csv)")
        dialog.fileSelected.connect(self.export_csv)
        dialog.open()  # never exec() inside the loop

    @asyncSlot(str)
    async def export_csv(self, path: str) -> None:
        """Write the shown records, owner-only; a deliberate export, so it is audited."""
        if self.period is None:
            return
        rows = self.model.shown()
        first, last = self.period
        scope = self.center_scope.scope(self.model.workstations())  # "" on a lone PC
        narrowed = "; ".join(part for part in (scope, self.filter_text()) if part)
        where = f"{path} ({first}..{last}" + (f"; {narrowed})" if narrowed else ")")
        try:  # the right to export first: nothing is written for someone without it
            await self._desk.allowed()
            write_private(Path(path), audit_csv(rows))
        except (ConsoleError, OSError) as exc:
            present(self.status, "Not exported", exc)
            return
        try:
            await self._desk.exported(len(rows), where)
        except ConsoleError as exc:  # an export the trail does not record must not exist
            await asyncio.to_thread(Path(path).unlink, missing_ok=True)
            present(self.status, "Not exported", exc)
            return
        covered = f" ({scope})" if scope else ""
        self.status.setText(
            f"Wrote {len(rows)} records{covered} to {path}, readable by you only; "
            "the export is recorded in the audit trail."
        )

    @asyncSlot()
    async def sign_off(self) -> None:
        """Record that the shown period was reviewed, by whom, with the note."""
        if self.period is None:
            return
        first, last = self.period
        scope = self.center_scope.scope(self.center_scope.positions)  # "" on a lone PC
        try:
            await self._desk.sign_off(first, last, self.note_edit.text(), scope=scope)
        except ConsoleError as exc:
            present(self.status, "Sign-off not recorded", exc)
            return
        self.note_edit.clear()
        covered = f" ({scope})" if scope else ""
        self.status.setText(f"Review of {first}..{last}{covered} recorded as completed.")

"""The Person panel (IPQ): name, date of birth and sex, validated as typed, Enter to search."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.broker import Broker
from console.domain import fields
from console.domain.errors import ConsoleError, FieldError
from console.domain.messages import Message
from console.gui.widgets import label


class PersonPanel(QGroupBox):
    """Emits ``answered`` with the IPR; the newest search replaces one still running."""

    answered = Signal(object)  # Message

    def __init__(self, broker: Broker, parent: QWidget | None = None) -> None:
        super().__init__("Person — INTERPOL wanted / missing (IPQ)", parent)
        self._broker = broker
        self._running: asyncio.Task[Message] | None = None
        self.name_edit = QLineEdit(placeholderText="LAST, FIRST MIDDLE")
        self.name_edit.setAccessibleName("Name (NAM)")
        self.name_edit.setMaxLength(fields.NAME_MAX)
        self.dob_edit = QLineEdit(placeholderText="CCYYMMDD")
        self.dob_edit.setAccessibleName("Date of birth (DOB)")
        self.dob_edit.setMaxLength(8)
        self.sex_combo = QComboBox()
        self.sex_combo.setAccessibleName("Sex (SEX)")
        for text, code in (("—", ""), ("M male", "M"), ("F female", "F"), ("U unknown", "U")):
            self.sex_combo.addItem(text, code)
        self.search_button = QPushButton("Search INTERPOL")
        self.search_button.setAccessibleName("Search INTERPOL notices")
        self.search_button.setDefault(True)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName("Clear the person form")
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.setAccessibleName("Field error")
        self.state_label = label("", "queryState")

        form = QFormLayout()
        form.addRow("&NAM", self.name_edit)
        form.addRow("&DOB", self.dob_edit)
        form.addRow("&SEX", self.sex_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.state_label)
        layout.addStretch(1)
        self.setTabOrder(self.name_edit, self.dob_edit)
        self.setTabOrder(self.dob_edit, self.sex_combo)
        self.setTabOrder(self.sex_combo, self.search_button)

        self.name_edit.textEdited.connect(self._check_as_typed)
        self.dob_edit.textEdited.connect(self._check_as_typed)
        self.name_edit.returnPressed.connect(self.search_button.click)
        self.dob_edit.returnPressed.connect(self.search_button.click)
        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Esc clears the form
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            return
        super().keyPressEvent(event)

    def clear(self) -> None:
        self.name_edit.clear()
        self.dob_edit.clear()
        self.sex_combo.setCurrentIndex(0)
        self._show_error("")
        self.name_edit.setFocus()

    def _check_as_typed(self) -> None:
        """Show the first broken rule while typing, without blocking further input."""
        try:
            self._build_query(partial=True)
        except FieldError as exc:
            self._show_error(str(exc))
        else:
            self._show_error("")

    def _build_query(self, *, partial: bool = False) -> Message | None:
        name = self.name_edit.text()
        dob = self.dob_edit.text()
        if partial:  # while typing, judge only what is complete enough to judge
            if name.strip() and "," in name:
                fields.name(name)
            if len(dob.strip()) == 8:
                fields.dob(dob)
            return None
        return self._broker.person_query(name, dob, self.sex_combo.currentData() or "")

    @asyncSlot()
    async def search(self) -> None:
        try:
            query = self._build_query()
        except FieldError as exc:
            self._show_error(str(exc))
            return
        assert query is not None
        self._show_error("")
        if self._running is not None and not self._running.done():
            self._running.cancel()  # the newest search wins
        self.state_label.setText("Searching INTERPOL…")
        running = self._running = asyncio.ensure_future(self._broker.submit(query))
        try:
            answer = await running
        except asyncio.CancelledError:
            return
        except ConsoleError as exc:
            if running is self._running:
                self.state_label.setText("")
                self._show_error(str(exc))
            return
        if running is not self._running:  # a newer search replaced this one: drop its answer
            return
        self.state_label.setText("")
        self.answered.emit(answer)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

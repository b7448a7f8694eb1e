"""What every query panel shares: fields checked as typed with the rule shown, F1 field help,
Enter sends, Esc clears, and the newest query of a panel replacing one still running."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.domain.codes import LinkState, SendPriority
from console.domain.errors import ConsoleError, FieldError
from console.domain.messages import Message
from console.gui.base.newest import NewestRequest, Superseded
from console.gui.base.ports import QueryDesk
from console.gui.base.presenter import present
from console.gui.base.widgets import VerticalScroll, label, named

Editor = QLineEdit | QComboBox | QPlainTextEdit


@dataclass(frozen=True)
class FieldSpec:
    """One field of a panel: its prefix, the rule it is checked by while typing, its help."""

    prefix: str
    editor: Editor
    help: str
    rule: Callable[[str], object] | None = None
    ready: Callable[[str], bool] = bool  # whether the text is complete enough to judge


def text_of(editor: Editor) -> str:
    if isinstance(editor, QLineEdit):
        return editor.text()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    return str(editor.currentData() or "")


class QueryForm(QGroupBox):
    """A query panel. Subclasses add fields and say how their message is composed."""

    answered = Signal(object, object)  # the query Message, its answer Message
    query_sent = Signal(object)  # the query Message, as it leaves (the results mark the old)
    SEND_TEXT = "Send"

    def __init__(self, title: str, desk: QueryDesk, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.desk = desk
        self.priority: int = SendPriority.ROUTINE
        self.fields: list[FieldSpec] = []
        self.last_query: Message | None = None
        self.waiting: Message | None = None  # sent from here, its answer not yet come
        self._running = NewestRequest[Message]()
        self.form = QFormLayout()
        self.send_button = named(QPushButton(self.SEND_TEXT), "sendButton", f"Send: {title}")
        self.send_button.setDefault(True)
        self.clear_button = named(QPushButton("Clear"), "clearButton", f"Clear the form: {title}")
        self.error_label = label("", "fieldError", wrap=True, accessible="Field error")
        self.warning_label = label("", "fieldWarning", wrap=True, accessible="Field warning")
        self.help_label = label("", "fieldHelp", wrap=True, accessible="Field help")
        self.state_label = label("", "queryState", wrap=True, accessible="Query state")
        for shown in (self.error_label, self.warning_label, self.help_label):
            shown.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.clear_button)
        # what became of the query, beside the button that sent it
        buttons.addWidget(self.state_label, 1)
        # the fields scroll up and down inside the panel when the window is short (a YQ has
        # ten rows): the tallest panel never sets the window's height, nor hides the list;
        # the buttons and what the operator must read (an error, a warning, the help) stay
        # in sight under them
        content = QWidget()
        self.scroll_area = named(VerticalScroll(content), "panelScroll")
        self.pinned = QVBoxLayout(self)
        self.pinned.setContentsMargins(8, 0, 8, 4)
        self.pinned.addWidget(self.scroll_area)
        self.pinned.addLayout(buttons)
        for shown in (self.error_label, self.warning_label, self.help_label):
            self.pinned.addWidget(shown)
        self.pinned.addStretch(1)  # room to spare goes under the buttons, not between
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 4, 0, 0)
        self.body.addLayout(self.form)
        self.send_button.clicked.connect(self.submit)
        self.clear_button.clicked.connect(self.clear)
        help_key = QShortcut(QKeySequence(Qt.Key.Key_F1), self, self.show_field_help)
        help_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # building

    def add_field(
        self,
        prefix: str,
        caption: str,
        editor: Editor,
        help_text: str,
        *,
        rule: Callable[[str], object] | None = None,
        ready: Callable[[str], bool] = bool,
    ) -> FieldSpec:
        """Add a row; ``rule`` judges the text once ``ready`` says it is complete enough."""
        spec = FieldSpec(prefix, editor, help_text, rule, ready)
        editor.setAccessibleName(f"{caption} ({prefix})")
        editor.setAccessibleDescription(help_text)
        editor.setToolTip(f"{prefix}: {help_text}\nF1 shows this help.")
        editor.setWhatsThis(help_text)
        self.form.addRow(f"{prefix}", editor)
        row_label = self.form.labelForField(editor)
        if isinstance(row_label, QLabel):
            row_label.setBuddy(editor)
            row_label.setToolTip(caption)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(self.check_as_typed)
            editor.returnPressed.connect(self.send_button.click)
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(self.check_as_typed)
        else:
            editor.textChanged.connect(self.check_as_typed)
        self.fields.append(spec)
        return spec

    def order_tabs(self) -> None:
        """Tab goes through the fields in order, then Send, then Clear (call once placed)."""
        chain: list[QWidget] = [spec.editor for spec in self.fields]
        chain += [self.send_button, self.clear_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def field(self, prefix: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.prefix == prefix)

    # what subclasses say

    def compose(self) -> Message:
        """The message from the fields, every rule checked; FieldError names the bad field."""
        raise NotImplementedError

    def fill(self, message: Message) -> None:
        """Show a message's fields in the form (a typed line, a prefilled request)."""
        raise NotImplementedError

    def warn(self) -> str:
        """A warning about valid input (shown, never blocking); empty when there is none."""
        return ""

    # behaviour

    def check_as_typed(self) -> None:
        """Show the first broken rule while typing, without blocking further input."""
        for spec in self.fields:
            text = text_of(spec.editor)
            if spec.rule is None or not text.strip() or not spec.ready(text):
                continue
            if not spec.editor.isEnabled():
                continue
            try:
                spec.rule(text)
            except FieldError as exc:
                self.show_error(str(exc))
                self.show_warning("")
                return
        self.show_error("")
        self.show_warning(self.warn())

    def show_field_help(self) -> None:
        focused = self.focusWidget()
        spec = next((s for s in self.fields if s.editor is focused), None)
        spec = spec or (self.fields[0] if self.fields else None)
        if spec is not None:
            self.help_label.setText(f"{spec.prefix}: {spec.help}")
            self.help_label.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Esc clears, Enter sends
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            return
        typing_text = isinstance(self.focusWidget(), QPlainTextEdit | QPushButton)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not typing_text:
            self.send_button.click()
            return
        super().keyPressEvent(event)

    def clear(self) -> None:
        for spec in self.fields:
            editor = spec.editor
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(0)
            else:
                editor.clear()
        self.show_error("")
        self.show_warning("")
        self.help_label.hide()
        self.focus_first()

    def focus_first(self) -> None:
        if self.fields:
            self.fields[0].editor.setFocus()

    @asyncSlot()
    async def submit(self) -> None:
        try:
            query = self.compose()
        except FieldError as exc:
            self.show_error(str(exc))
            return
        await self.send(query)

    async def send(self, query: Message) -> Message | None:
        """Send ``query``; a newer send replaces it (its answer, if any, is dropped here)."""
        self.show_error("")
        self.last_query = self.waiting = query
        self.state_label.setText(pending_text(query, self.desk.link_state))
        self.query_sent.emit(query)
        try:
            answer = await self._running.run(self.desk.submit(query, priority=self.priority))
        except Superseded:  # the newest query of the panel wins (and waits in its place)
            return None
        except ConsoleError as exc:
            self.waiting = None
            self.state_label.setText("")
            present(self.show_error, "", exc)
            return None
        self.waiting = None
        self.state_label.setText(self.answered_text(answer))
        self.answered.emit(query, answer)
        return answer

    def link_changed(self, link: LinkState) -> None:
        """The link came or went while the panel's query waits: its wording follows, as the
        status bar's does (held until the link returns, then sent and waiting)."""
        if self.waiting is not None:
            self.state_label.setText(pending_text(self.waiting, link))

    def answered_text(self, answer: Message) -> str:
        return ""

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def show_warning(self, text: str) -> None:
        self.warning_label.setText(f"Warning — {text}" if text else "")
        self.warning_label.setVisible(bool(text))


def pending_text(query: Message, link: LinkState) -> str:
    """What became of a query just sent: on its way, or kept in the outbox (as the status bar
    says) while there is no link to send it on."""
    if link is LinkState.UP:
        return f"{query.key.value} sent, waiting for the answer…"
    return f"{query.key.value} queued: held until the link returns"


def combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    """A picker of codes: each item shows the code and its meaning, and carries the code."""
    box = named(QComboBox(), name)
    # long meanings must not widen the panel: the list pops up at full width anyway
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    for text, code in items:
        box.addItem(text, code)
    return box


def line(name: str, placeholder: str = "", maximum: int = 0) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setPlaceholderText(placeholder)
    if maximum:
        edit.setMaxLength(maximum)
    return edit

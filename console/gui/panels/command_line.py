"""The command line: legacy Nlets lines as operators type them, with message keys and field
prefixes completed, errors shown inline, and the parsed line handed to its panel."""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QVBoxLayout, QWidget

from console.broker.compose import QUERY_FIELDS, SENDABLE, Composer
from console.domain.codes import INTERPOL_DESTINATION, INTERPOL_WASHINGTON_ORI, MessageKey
from console.domain.errors import ConsoleError
from console.gui.base.presenter import present
from console.gui.base.widgets import label, named

USED_PREFIX = re.compile(r"(?:^|[.\s])([A-Za-z]{3})/")


def templates(ori: str) -> list[str]:
    """The start of a line for each key an operator may send."""
    lines = []
    for key in SENDABLE:
        destination = INTERPOL_DESTINATION if key.is_query else INTERPOL_WASHINGTON_ORI
        lines.append(f"{key.value}.{ori}.{destination}.TXT ")
    return lines


def completions(text: str, ori: str) -> list[str]:
    """Whole lines completing ``text``: a key's header first, then the key's unused prefixes
    after ``TXT `` or a field's closing period."""
    upper = text.upper()
    head, txt, body = upper.partition(".TXT")
    if not txt:
        return [line for line in templates(ori) if line.startswith(upper)]
    key = MessageKey.__members__.get(head.split(".")[0])
    if key is None or key not in QUERY_FIELDS:
        return []
    required, optional = QUERY_FIELDS[key]
    used = {prefix.upper() for prefix in USED_PREFIX.findall(body)}
    if body in ("", " ") or body.endswith("."):
        typed = ""
    else:
        typed = re.split(r"[.\s]", body)[-1]
        if "/" in typed or len(typed) >= 3:
            return []  # a value is being typed
    if body == "":
        text += " "
    base = text[: len(text) - len(typed)]
    order = sorted(required) + sorted(optional - required)
    return [f"{base}{p}/" for p in order if p not in used and p.startswith(typed)]


class CommandLine(QWidget):
    """Emits ``entered`` with the parsed message; the window gives it to the matching panel."""

    entered = Signal(object)  # Message

    def __init__(self, composer: Composer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._composer = composer
        self.history: list[str] = []
        self._recall = 0
        self.edit = HistoryLine(self)
        named(self.edit, "commandLine", "Command line: type a legacy Nlets line")
        self.edit.setPlaceholderText(
            f"Legacy line, e.g. IPQ.{composer.ori}.IP.TXT NAM/SMITH, JOHN.DOB/19800101 "
            "— Ctrl+K to come here, Enter to send"
        )
        self.edit.setToolTip(
            "MKE.ORI.DEST[.CONTROL].TXT then PFX/value fields separated by periods. Keys and "
            "prefixes complete as you type; Up and Down recall earlier lines."
        )
        self.error_label = label("", "commandError", wrap=True, accessible="Command line error")
        self.error_label.hide()
        self._choices = QStringListModel(self)
        completer = QCompleter(self._choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.edit.setCompleter(completer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label)
        self.edit.textEdited.connect(self._complete)
        self.edit.returnPressed.connect(self.submit)

    def _complete(self, text: str) -> None:
        self.show_error("")
        choices = completions(text, self._composer.ori)
        self._choices.setStringList(choices)
        completer = self.edit.completer()
        if choices and self.edit.hasFocus():
            completer.setCompletionPrefix(text)
            completer.complete()

    def submit(self) -> None:
        text = self.edit.text()
        if not text.strip():
            return
        try:
            message = self._composer.line(text)
        except ConsoleError as exc:
            present(self.show_error, "", exc)
            return
        self.show_error("")
        self.history.append(text)
        self._recall = len(self.history)
        self.edit.clear()
        self.entered.emit(message)

    def recall(self, step: int) -> None:
        """Up (-1) and Down (+1) walk through the lines entered before."""
        if not self.history:
            return
        self._recall = max(0, min(len(self.history), self._recall + step))
        line = self.history[self._recall] if self._recall < len(self.history) else ""
        self.edit.setText(line)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))


class HistoryLine(QLineEdit):
    def __init__(self, owner: CommandLine) -> None:
        super().__init__(owner)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer().popup() if self.completer() else None
        if popup is None or not popup.isVisible():
            if event.key() == Qt.Key.Key_Up:
                self._owner.recall(-1)
                return
            if event.key() == Qt.Key.Key_Down:
                self._owner.recall(+1)
                return
            if event.key() == Qt.Key.Key_Escape:
                self.clear()
                self._owner.show_error("")
                return
        super().keyPressEvent(event)

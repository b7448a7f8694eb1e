"""A line of the setup wizard: its editor, its rule always in view, and what breaks the rule as
it is typed; a page is complete when all its lines are."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from console.domain.errors import ConsoleError
from console.gui.base.presenter import error_text
from console.gui.base.widgets import label, named

Check = Callable[[str], object]  # raises ConsoleError (a FieldError names the rule) when wrong


class CheckedLine:
    """One editor with its rule; ``problem`` is None once the typed text keeps the rule."""

    def __init__(
        self,
        form: QFormLayout,
        caption: str,
        name: str,
        rule: str,
        check: Check,
        *,
        text: str = "",
        secret: bool = False,
    ) -> None:
        plain = caption.replace("&", "")
        self.check = check
        self.edit = named(QLineEdit(text), name, plain)
        self.edit.setAccessibleDescription(rule)
        if secret:  # hidden as typed, no copy or drag, and no input method learns it
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.edit.setInputMethodHints(
                Qt.InputMethodHint.ImhHiddenText
                | Qt.InputMethodHint.ImhSensitiveData
                | Qt.InputMethodHint.ImhNoPredictiveText
            )
        self.rule = label(rule, "fieldHelp", wrap=True, accessible=f"{plain}: rule")
        self.error = label("", "fieldError", wrap=True, accessible=f"{plain}: problem")
        self.error.hide()
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.edit, self.rule, self.error):
            layout.addWidget(widget)
        caption_label = QLabel(caption)
        caption_label.setBuddy(self.edit)  # Alt and the underlined letter go to the editor
        form.addRow(caption_label, column)
        self.caption, self.column = caption_label, column  # shown or hidden as one row
        self._problem: str | None = ""
        self.edit.textChanged.connect(self.refresh)
        self.refresh()

    @property
    def text(self) -> str:
        return self.edit.text()

    def problem(self) -> str | None:
        """What is wrong with the text; "" while nothing is typed (incomplete, not wrong)."""
        if not self.edit.text():
            return ""
        try:
            self.check(self.edit.text())
        except ConsoleError as exc:
            return error_text("", exc)  # in the presenter's words, as every field error
        return None

    @property
    def valid(self) -> bool:
        return self._problem is None

    def refresh(self) -> None:
        """Check again (on every change, and when a value the rule depends on changes)."""
        self._problem = problem = self.problem()
        self.error.setText(problem or "")
        self.error.setVisible(bool(problem))

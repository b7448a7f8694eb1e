"""The administrative message panel (AM): free text to up to five ORIs, INTERPOL Washington
one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QWidget

from console.domain import fields
from console.domain.codes import INTERPOL_WASHINGTON_ORI, MAX_DESTINATIONS, MessageKey
from console.domain.messages import FreeText, Message
from console.gui.base.ports import QueryDesk
from console.gui.base.widgets import named
from console.gui.panels.form import QueryForm, line

MOST = MAX_DESTINATIONS[MessageKey.AM]


class AdminPanel(QueryForm):
    """AM: the switch answers with a delivery note (SM) per destination."""

    SEND_TEXT = "Send message"

    def __init__(self, desk: QueryDesk, parent: QWidget | None = None) -> None:
        super().__init__("Administrative message (AM)", desk, parent)
        self.dest_edit = line("adminDestinations", "ORI, ORI, …")
        self.dest_edit.setText(INTERPOL_WASHINGTON_ORI)
        self.text_edit = named(QPlainTextEdit(), "adminText")
        self.text_edit.setPlaceholderText("message text (Ctrl+Enter sends)")
        self.text_edit.setTabChangesFocus(True)
        self.add_field(
            "DEST",
            "Destination ORIs",
            self.dest_edit,
            f"Up to {MOST} ORIs separated by commas, 9 characters each starting with a state "
            f"code. INTERPOL Washington (the US National Central Bureau) is "
            f"{INTERPOL_WASHINGTON_ORI}.",
            rule=lambda text: fields.destinations(text, MOST),
            ready=lambda text: all(len(part.strip()) >= 9 for part in text.split(",")),
        )
        self.add_field(
            "TXT",
            "Message text",
            self.text_edit,
            f"Free text, up to {fields.MESSAGE_MAX} characters; line breaks are kept. "
            "Ctrl+Enter sends.",
            rule=fields.free_text,
        )
        self.preset = named(
            QPushButton(f"INTERPOL Washington ({INTERPOL_WASHINGTON_ORI})"),
            "interpolPreset",
            "Address the message to INTERPOL Washington",
        )
        self.preset.clicked.connect(self.address_interpol)
        self.form.insertRow(1, "", self.preset)
        sending = QShortcut(QKeySequence("Ctrl+Return"), self.text_edit, self.send_button.click)
        sending.setContext(Qt.ShortcutContext.WidgetShortcut)

    def order_tabs(self) -> None:
        super().order_tabs()
        QWidget.setTabOrder(self.dest_edit, self.preset)
        QWidget.setTabOrder(self.preset, self.text_edit)

    def address_interpol(self) -> None:
        self.dest_edit.setText(INTERPOL_WASHINGTON_ORI)
        self.check_as_typed()
        self.text_edit.setFocus()

    def compose(self) -> Message:
        return self.desk.compose.admin_message(self.dest_edit.text(), self.text_edit.toPlainText())

    def fill(self, message: Message) -> None:
        if message.key is MessageKey.AM and isinstance(message.body, FreeText):
            self.dest_edit.setText(", ".join(message.header.destinations))
            self.text_edit.setPlainText(message.body.text)
            self.check_as_typed()

    def clear(self) -> None:
        super().clear()
        self.dest_edit.setText(INTERPOL_WASHINGTON_ORI)

    def answered_text(self, answer: Message) -> str:
        body = answer.body
        return body.text if isinstance(body, FreeText) else ""

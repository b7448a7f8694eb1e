"""Enrollment for one-time codes (IA-2): the secret as a QR code and as text for the
operator's authenticator app, and the first code it shows to prove it took the secret."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import segno
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget
from qasync import asyncSlot

from console.broker.accounts import otp
from console.domain.errors import ConsoleError, FieldError
from console.gui.base.presenter import present
from console.gui.base.widgets import label, named

Enroll = Callable[[bytes, str], Awaitable[None]]  # secret, the code the app shows

EXPLAIN = (
    "Every logon asks for a one-time code as well as your password. Scan this code with an "
    "authenticator app on a phone or token the agency gave you (or type the key below), "
    "then enter the 6 digits it shows. A code refused? Check that the app shows this "
    "console's entry and that the phone's clock is right, then enter the current code."
)
CODE = "one-time code"
CODE_RULE = "must be the 6 digits your authenticator app shows now"


def qr_pixmap(uri: str, scale: int = 6) -> QPixmap:
    """The provisioning address as a QR code image (PNG made in memory, never on disk)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="png", scale=scale, border=2)
    image = QPixmap()
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


class EnrollmentWindow(QWidget):
    """Shown after the first logon of an operator who has no one-time codes yet."""

    enrolled = Signal()
    logoff_requested = Signal()

    def __init__(
        self, enroll: Enroll, *, operator: str, ori: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._enroll = enroll
        self.secret = otp.new_secret()
        uri = otp.provisioning_uri(self.secret, operator, ori)
        self.setWindowTitle(f"One-time codes for {operator} - INTERPOL Dispatch Console")
        self.qr = named(label("", "enrollQr"), "enrollQr", "QR code for the authenticator app")
        self.qr.setPixmap(qr_pixmap(uri))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key = label(otp.secret_text(self.secret), "enrollKey", accessible="Key to type in")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_edit = named(QLineEdit(), "enrollCode", "Code shown by the app")
        self.code_edit.setPlaceholderText("6 digits")
        self.code_edit.setMaxLength(8)
        self.code_edit.returnPressed.connect(self.submit)
        self.error_label = label("", "enrollError", wrap=True, accessible="Enrollment error")
        self.error_label.setVisible(False)
        self.enroll_button = named(QPushButton("Enroll"), "enrollButton", "Enroll")
        self.enroll_button.setDefault(True)
        self.enroll_button.clicked.connect(self.submit)
        leave = named(QPushButton("Log off"), "enrollLogoff", "Log off without enrolling")
        leave.clicked.connect(self.logoff_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(leave)
        buttons.addWidget(self.enroll_button)
        layout = QVBoxLayout(self)
        layout.addWidget(label("Set up one-time codes", "enrollTitle"))
        layout.addWidget(label(EXPLAIN, "enrollExplain", wrap=True))
        layout.addWidget(self.qr)
        layout.addWidget(self.key, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.code_edit)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.code_edit.setFocus()

    @asyncSlot()
    async def submit(self) -> None:
        code = self.code_edit.text().strip()
        if not code:  # said as every field error is: the field, then its rule
            present(self._refused, "", FieldError(CODE, CODE_RULE))
            return
        self.enroll_button.setEnabled(False)
        try:
            await self._enroll(self.secret, code)
        except ConsoleError as exc:  # a wrong code, or the profile could not be written
            present(self._refused, "Not enrolled", exc)
            return
        finally:
            self.enroll_button.setEnabled(True)
            self.code_edit.clear()
        self.enrolled.emit()

    def _refused(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        self.code_edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed without enrolling: that is logging off (the session must not stay open)."""
        self.logoff_requested.emit()
        super().closeEvent(event)

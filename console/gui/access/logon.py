"""Logon: the system use notification first (AC-8), acknowledged; then operator id, password
and one-time code. The window opens the session itself and hands it on; every refusal
(wrong secret, lockout, disabled account) is shown as the store words it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.domain.access import USE_NOTICE
from console.domain.errors import ConsoleError, FieldError
from console.gui.base.presenter import present
from console.gui.base.widgets import label, named

Opener = Callable[[str, str, str | None], Awaitable[object]]  # operator, password, code


class LogonWindow(QWidget):
    """The one window shown before anyone is logged on."""

    logged_on = Signal(object)  # what the opener returned (a Session)
    quit_requested = Signal()

    def __init__(
        self, opener: Opener, *, agency: str, operator: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._opener = opener
        self._quitting = False
        self.setWindowTitle(f"Log on - INTERPOL Dispatch Console - {agency}")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._notice_page())
        self.pages.addWidget(self._logon_page(agency, operator))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(720, 460)

    def _notice_page(self) -> QWidget:
        page = named(QWidget(), "useNoticePage")
        title = label("Authorized use only", "noticeTitle", accessible="System use notification")
        self.notice = label(USE_NOTICE, "useNotice", wrap=True, accessible="Use notification")
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.accept_button = named(
            QPushButton("I understand and agree"), "acceptNotice", "Acknowledge the notice"
        )
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self.acknowledge)
        leave = named(QPushButton("Quit"), "declineNotice", "Decline and quit")
        leave.clicked.connect(self.quit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(leave)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(self.notice, 1)
        layout.addLayout(buttons)
        return page

    def _logon_page(self, agency: str, operator: str) -> QWidget:
        page = named(QWidget(), "logonPage")
        self.operator_edit = named(QLineEdit(operator), "logonOperator", "Operator id")
        self.password_edit = named(QLineEdit(), "logonPassword", "Password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.code_edit = named(QLineEdit(), "logonCode", "One-time code")
        self.code_edit.setPlaceholderText("6 digits from your authenticator, once enrolled")
        self.code_edit.setMaxLength(8)
        self.error_label = label("", "logonError", wrap=True, accessible="Logon error")
        self.error_label.setVisible(False)
        self.logon_button = named(QPushButton("Log on"), "logonButton", "Log on")
        self.logon_button.setDefault(True)
        self.logon_button.clicked.connect(self.submit)
        for edit in (self.operator_edit, self.password_edit, self.code_edit):
            edit.returnPressed.connect(self.submit)
        form = QFormLayout()
        form.addRow("Agency", label(agency, "logonAgency", accessible="Agency"))
        form.addRow("Operator", self.operator_edit)
        form.addRow("Password", self.password_edit)
        form.addRow("One-time code", self.code_edit)
        quit_button = named(QPushButton("Quit"), "logonQuit", "Quit")
        quit_button.clicked.connect(self.quit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        buttons.addWidget(self.logon_button)
        layout = QVBoxLayout(page)
        layout.addWidget(label("Log on", "logonTitle"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def acknowledge(self) -> None:
        """The notice was read and accepted: the logon form follows."""
        self.pages.setCurrentIndex(1)
        (self.password_edit if self.operator_edit.text() else self.operator_edit).setFocus()

    @asyncSlot()
    async def submit(self) -> None:
        if self.pages.currentIndex() != 1 or not self.logon_button.isEnabled():
            return
        operator = self.operator_edit.text().strip()
        password = self.password_edit.text()
        code = self.code_edit.text().strip() or None
        if not operator or not password:  # the empty field named, as every field error
            field = "operator id" if not operator else "password"
            present(self._refused, "", FieldError(field, "must be given to log on"))
            return
        self.logon_button.setEnabled(False)
        self.error_label.setVisible(False)
        try:
            session = await self._opener(operator, password, code)
        except ConsoleError as exc:
            present(self._refused, "", exc)
            return
        finally:
            self.logon_button.setEnabled(True)
            self.password_edit.clear()  # never left lying in the window
            self.code_edit.clear()
        self.logged_on.emit(session)

    def _refused(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        self.password_edit.setFocus()

    def restart(self) -> None:
        """After a logoff: the notice again, for whoever sits down next."""
        self.error_label.setVisible(False)
        self.password_edit.clear()
        self.code_edit.clear()
        self.pages.setCurrentIndex(0)
        self.accept_button.setFocus()

    def quit(self) -> None:
        self._quitting = True
        self.quit_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting:
            self.quit()
        super().closeEvent(event)

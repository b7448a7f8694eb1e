"""Device lock (AC-11): after idle time, on Ctrl+L, and when the 12 hours since the operator
last proved who they are run out. While locked no window with criminal justice information
is shown (all are hidden, not covered), the tray shows only how many alerts wait, and only
the operator's secret opens the console again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from console.broker.accounts import AccountDisabled, AccountLocked
from console.domain.errors import ConsoleError, FieldError
from console.gui.base.presenter import present
from console.gui.base.widgets import label, named

Authenticate = Callable[[str, str | None], Awaitable[None]]  # password, one-time code
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
REAUTH_CHECK_MS = 60_000  # also how often the account's standing is read again


class LockScreen(QWidget):
    """What shows while the console is locked: who is logged on, how many alerts wait."""

    unlock_requested = Signal(str, str)  # password, code
    logoff_requested = Signal()

    def __init__(
        self,
        operator: str,
        *,
        codes: bool,
        demo: bool = False,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            ("DEMO - " if demo else "") + "Console locked - INTERPOL Dispatch Console"
        )
        self.setObjectName("lockScreen")
        self.title = label("Console locked", "lockTitle", accessible="Console locked")
        self.reason = label("", "lockReason", wrap=True, accessible="Why the console locked")
        self.operator = label(f"Logged on: {operator}", "lockOperator", accessible="Operator")
        self.alerts = label("", "lockAlerts", accessible="Alerts waiting")
        self.password_edit = named(QLineEdit(), "unlockPassword", "Password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.code_edit = named(QLineEdit(), "unlockCode", "One-time code")
        self.code_edit.setMaxLength(8)
        self.hint = label(hint, "lockHint", wrap=True, accessible="Hint")
        self.hint.setVisible(bool(hint))
        self.error_label = label("", "unlockError", wrap=True, accessible="Unlock error")
        self.error_label.setVisible(False)
        self.unlock_button = named(QPushButton("Unlock"), "unlockButton", "Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        self.password_edit.returnPressed.connect(self._submit)
        self.code_edit.returnPressed.connect(self._submit)
        logoff = named(QPushButton("Log off"), "lockLogoff", "Log off")
        logoff.clicked.connect(self.logoff_requested)
        box = QWidget()  # the way back in, a column in the middle of the screen
        box.setMinimumWidth(420)
        box.setMaximumWidth(520)
        self.form = QFormLayout()
        self.form.addRow("Password", self.password_edit)
        self.form.addRow("One-time code", self.code_edit)
        self.ask_code(codes)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(logoff)
        buttons.addWidget(self.unlock_button)
        column = QVBoxLayout(box)
        if demo:
            column.addWidget(label("DEMO", "demoTag", accessible="Demo mode"))
        for widget in (self.title, self.reason, self.operator, self.alerts):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
        column.addLayout(self.form)
        column.addWidget(self.hint)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        # Centred by stretches, not by an alignment: a widget placed with an alignment gets its
        # size hint's height, which cuts a wrapped refusal after its first lines.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.show_alert_count(0)

    def ask_code(self, codes: bool) -> None:
        """Whether the operator must give a one-time code too (decided at each lock: they may
        have enrolled since logon)."""
        self.form.setRowVisible(self.code_edit, codes)

    def show_alert_count(self, count: int) -> None:
        """The number only: an alert's sender, kind or text would be CJI on a locked screen."""
        self.alerts.setText(
            f"{count} alert{'s' if count != 1 else ''} waiting: unlock to read"
            if count
            else "No alerts waiting"
        )

    def _submit(self) -> None:
        password = self.password_edit.text()
        code = self.code_edit.text().strip()
        self.password_edit.clear()
        self.code_edit.clear()
        # an empty field is said as every field error is (field, rule), and spends no attempt
        if not password:
            present(self.refused, "", FieldError("password", "must be given to unlock"))
            return
        if not code and self.form.isRowVisible(self.code_edit):
            rule = "must be given to unlock: the 6 digits your authenticator app shows"
            present(self.refused, "", FieldError("one-time code", rule))
            return
        self.unlock_requested.emit(password, code)

    def refused(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
        self.password_edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # a locked console is not closed by its window: Log off or Unlock


# Qt's own windows that carry no record: the tray icon's (it shows the count while locked),
# menus and tooltips.
KEPT_SHOWING = ("QSystemTrayIconSys", "QMenu", "QTipLabel")


def _keeps_showing(widget: QWidget) -> bool:
    return any(widget.inherits(name) for name in KEPT_SHOWING)


class DeviceLock(QObject):
    """Locks and unlocks; watches for idle time and the 12-hour re-authentication."""

    locked = Signal(str)  # the reason
    unlocked = Signal()
    logoff_forced = Signal(str)  # the account locked itself by wrong secrets: log off

    def __init__(
        self,
        authenticate: Authenticate,
        *,
        operator: str,
        codes: Callable[[], bool],
        idle_minutes: float,
        expired: Callable[[], bool],
        audit: Callable[[str, str], Awaitable[object]],
        standing: Callable[[], Awaitable[None]] | None = None,
        demo: bool = False,
        hint: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._authenticate = authenticate
        self._codes = codes
        self._expired = expired
        self._audit = audit
        self._standing = standing
        self.screen = LockScreen(operator, codes=codes(), demo=demo, hint=hint)
        self.screen.unlock_requested.connect(self._unlock)
        self.is_locked = False
        self.stopped = False
        self._hidden: list[QWidget] = []
        # where the keyboard was at the lock: it goes back there at unlock, without a click
        self._active: QWidget | None = None
        self._focus: QWidget | None = None
        self._tasks: set[asyncio.Future[object]] = set()
        self.idle_minutes = idle_minutes
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(lambda: self.lock(f"idle for {self.idle_minutes:g} minutes"))
        self._reauth = QTimer(self)
        self._reauth.setInterval(REAUTH_CHECK_MS)
        self._reauth.timeout.connect(self.check_reauthentication)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.restart_idle()
        self._reauth.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._idle.stop()
        self._reauth.stop()
        self.stopped = True
        self.screen.hide()
        self.screen.deleteLater()

    def alerts_waiting(self, count: int) -> None:
        if not self.stopped:
            self.screen.show_alert_count(count)

    def restart_idle(self) -> None:
        if self.idle_minutes > 0 and not self.is_locked:
            self._idle.start(int(self.idle_minutes * 60_000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in ACTIVITY:
            self.restart_idle()  # the operator is at the console: the idle time starts again
        elif kind == QEvent.Type.Show and self.is_locked and isinstance(watched, QWidget):
            self._keep_hidden(watched)
        return False

    def _keep_hidden(self, widget: QWidget) -> None:
        """A window opened while locked (a late debrief, a floating dock, the tray asking for
        the console) is hidden at once, and comes back with the others on unlock."""
        if widget.isWindow() and widget is not self.screen and not _keeps_showing(widget):
            widget.hide()
            if widget not in self._hidden:
                self._hidden.append(widget)

    def check_reauthentication(self) -> None:
        if self._expired():
            self.lock("12 hours since you last proved who you are: authenticate again")
        if self._standing is not None and not self.stopped:
            self._own(self._check_standing())

    async def _check_standing(self) -> None:
        assert self._standing is not None
        try:
            await self._standing()
        except (AccountLocked, AccountDisabled) as exc:
            present(self.logoff_forced.emit, "", exc)

    def lock(self, reason: str) -> None:
        """Hide every window (records, dialogs, debriefs) and show the lock screen."""
        if self.is_locked:
            return
        self.is_locked = True
        self._idle.stop()
        self._active, self._focus = QApplication.activeWindow(), QApplication.focusWidget()
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and w is not self.screen and not _keeps_showing(w)
        ]
        for widget in self._hidden:
            widget.hide()
        self.screen.reason.setText(f"Locked: {reason}.")
        self.screen.error_label.setVisible(False)
        self.screen.ask_code(self._codes())
        covered = next((w for w in self._hidden if w.inherits("QMainWindow")), None)
        if covered is not None:  # where the console was, as large: no one misses it
            self.screen.setGeometry(covered.geometry())
        else:
            self.screen.resize(720, 480)
        self.screen.show()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.password_edit.setFocus()
        self.locked.emit(reason)
        self._own(self._audit("locked", reason))

    @asyncSlot(str, str)
    async def _unlock(self, password: str, code: str) -> None:
        try:
            await self._authenticate(password, code or None)
        except (AccountLocked, AccountDisabled) as exc:
            present(self.logoff_forced.emit, "", exc)
            return
        except ConsoleError as exc:
            present(self.screen.refused, "", exc)
            return
        self.unlock()

    def unlock(self) -> None:
        """The operator proved who they are: the windows come back as they were."""
        if not self.is_locked:
            return
        self.is_locked = False
        self.screen.hide()
        for widget in self._hidden:
            widget.show()
        self._give_keyboard_back(self._hidden)
        self._hidden = []
        self.restart_idle()
        self.unlocked.emit()
        self._own(self._audit("unlocked", ""))

    def _give_keyboard_back(self, shown: list[QWidget]) -> None:
        """The window that was active is activated again and its focused field focused: a
        window only shown would leave the keyboard dead until the operator clicks it."""
        window, focus = self._active, self._focus
        self._active = self._focus = None
        if window is None or not isValid(window) or window not in shown:
            window = next((w for w in shown if w.inherits("QMainWindow")), None)
        if window is None:
            return
        window.raise_()
        window.activateWindow()
        if focus is not None and isValid(focus) and focus.window() is window:
            focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _own(self, work: Awaitable[object]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

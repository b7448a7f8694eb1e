"""The alert popup: a small window in the screen's corner that never takes the keyboard from
a form being typed (it is shown without activation, does not accept focus, and hands the
keyboard back where a platform activates it anyway)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.gui.base.widgets import label, named
from console.gui.traffic.alert_model import AlertItem

MARGIN = 16
WIDTH = 380


class AlertPopup(QFrame):
    """Shows the newest open alert (or, while locked, only how many there are)."""

    acknowledge_requested = Signal(int)  # alert id
    open_requested = Signal(int)  # alert id

    def __init__(self, parent: QWidget | None = None, *, beside: QWidget | None = None) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus,
        )
        self.setObjectName("alertPopup")
        self.setAccessibleName("New alert")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_X11DoNotAcceptFocus)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.beside = beside  # the console's window: the popup keeps clear of its status bar
        self.title = label("", "alertPopupTitle", wrap=True, accessible="Alert title")
        self.text = label("", "alertPopupText", wrap=True, accessible="Alert text")
        self.more = label("", "alertPopupMore", accessible="More alerts")
        self.acknowledge_button = named(
            QPushButton("Acknowledge"), "popupAcknowledge", "Acknowledge this alert"
        )
        self.open_button = named(QPushButton("Open"), "popupOpen", "Open this alert")
        self.hide_button = named(QPushButton("Later"), "popupHide", "Hide this popup")
        for button in (self.acknowledge_button, self.open_button, self.hide_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not move the keyboard
        buttons = QHBoxLayout()
        buttons.addWidget(self.acknowledge_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.hide_button)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.more)
        layout.addLayout(buttons)
        self.setFixedWidth(WIDTH)
        self.alert_id: int | None = None
        self._typing_in: QWidget | None = None  # the window that had the keyboard at show
        self.acknowledge_button.clicked.connect(self._acknowledge)
        self.open_button.clicked.connect(self._open)
        self.hide_button.clicked.connect(self.hide)

    def show_alert(self, item: AlertItem | None, count: int, *, locked: bool) -> None:
        """Show ``item`` (the newest open alert) and how many are open; hide when none are."""
        if count == 0 or item is None:
            self.alert_id = None
            self.hide()
            return
        self.setProperty("urgent", item.urgent and not locked)
        self.style().unpolish(self)
        self.style().polish(self)
        if locked:  # the device is locked: a count, never content
            self.alert_id = None
            self.title.setText(f"{count} alert{'s' if count != 1 else ''} waiting")
            self.text.setText("Unlock the console to read them.")
            self.more.hide()
        else:
            self.alert_id = item.id
            self.title.setText(item.title)
            self.text.setText(item.text[:400])
            others = count - 1
            self.more.setText(f"and {others} more open alert{'s' if others != 1 else ''}")
            self.more.setVisible(others > 0)
        self.acknowledge_button.setVisible(not locked)
        self.open_button.setVisible(not locked and item.message is not None)
        self._fit()
        self._place()
        if not self.isVisible():
            active = QApplication.activeWindow()
            self._typing_in = active if active is not self else None
        self.show()  # shown without activation: the form being typed keeps the keyboard

    def event(self, event: QEvent) -> bool:
        # Some platforms (offscreen, some window managers) activate every new window whatever
        # its flags: give the window being typed in its keyboard back, focused field and all.
        if event.type() == QEvent.Type.WindowActivate and self._typing_in is not None:
            typing_in, self._typing_in = self._typing_in, None
            if typing_in.isVisible():
                typing_in.activateWindow()
        return super().event(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._typing_in = None  # the next showing asks again who is typing
        super().hideEvent(event)

    def _fit(self) -> None:
        """As tall as its wrapped lines need at its fixed width: adjustSize() alone measures
        a wrapped label before it knows its width, and cuts the first line."""
        layout = self._layout
        layout.activate()
        height = max(layout.totalHeightForWidth(WIDTH), layout.totalMinimumSize().height())
        self.resize(WIDTH, height)

    def keep_clear(self) -> QRect | None:
        """The status bar of the console's window, on the screen (its link state, alert count
        and exercise clock must stay readable), or None when the window is not shown."""
        window = self.beside
        if not isinstance(window, QMainWindow) or not window.isVisible():
            return None
        bar = window.statusBar()
        if not bar.isVisible():
            return None
        return QRect(bar.mapToGlobal(QPoint(0, 0)), bar.size())

    def _place(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        right, bottom = area.right(), area.bottom()
        bar = self.keep_clear()
        if bar is not None and bar.intersects(area):  # above it, at the window's right edge
            right = min(right, bar.right())
            bottom = min(bottom, bar.top() - 1)
        x = max(area.left(), right - self.width() - MARGIN)
        y = max(area.top(), bottom - self.height() - MARGIN)
        self.move(x, y)

    def _acknowledge(self) -> None:
        if self.alert_id is not None:
            self.acknowledge_requested.emit(self.alert_id)

    def _open(self) -> None:
        if self.alert_id is not None:
            self.open_requested.emit(self.alert_id)

"""The tray: an icon counting open alerts, a menu, the alert popup and a sound for urgent
alerts. While the device is locked it shows only how many alerts wait, never their content."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from console.broker.events import AlertRaised
from console.gui.traffic.alert_model import AlertModel
from console.gui.traffic.popup import AlertPopup

ICON_SIZE = 64
MENU_ALERTS = 5  # alerts listed in the tray menu


def app_icon() -> QIcon:
    icon = resources.files("console.resources") / "dispatch-console.svg"
    with resources.as_file(icon) as path:
        return QIcon(str(path))


def badge_icon(base: QIcon, count: int) -> QIcon:
    """The console's icon with the number of open alerts on a red disc."""
    pixmap = base.pixmap(ICON_SIZE, ICON_SIZE)
    if pixmap.isNull():
        pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
        pixmap.fill(QColor("#1e3a5f"))
    if count:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        disc = QRectF(ICON_SIZE * 0.42, 0, ICON_SIZE * 0.58, ICON_SIZE * 0.58)
        painter.setBrush(QColor("#c62828"))
        painter.setPen(QColor("#ffffff"))
        painter.drawEllipse(disc)
        font = QFont("DejaVu Sans")
        font.setBold(True)
        font.setPixelSize(int(ICON_SIZE * 0.34))
        painter.setFont(font)
        painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
        painter.end()
    return QIcon(pixmap)


class AlertTray(QObject):
    """Owns the tray icon, its menu and the popup; the window connects to its signals."""

    show_requested = Signal()
    quit_requested = Signal()
    alert_chosen = Signal(int)  # alert id: show the console with this alert selected
    acknowledge_requested = Signal(int)  # alert id, from the popup

    def __init__(self, model: AlertModel, *, sounds: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.sounds = sounds
        self.locked = False
        # where the sound of an urgent alert goes: QtMultimedia is not in PySide6-Essentials,
        # so the system bell
        self.bell: Callable[[], None] = QApplication.beep
        self._base = app_icon()
        self.popup = AlertPopup(beside=parent if isinstance(parent, QWidget) else None)
        self.menu = QMenu()
        self.menu.setAccessibleName("Alert tray menu")
        self.icon = QSystemTrayIcon(self._base, self)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.popup.acknowledge_requested.connect(self.acknowledge_requested)
        self.popup.open_requested.connect(self.alert_chosen)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.refresh)
        self.refresh()
        if self.available:
            self.icon.show()

    @property
    def count(self) -> int:
        return self.model.rowCount()

    def set_locked(self, locked: bool) -> None:
        """While locked, the popup, tooltip and menu show only the number of open alerts."""
        self.locked = locked
        self.refresh()  # the popup too, when it is up

    def set_sounds(self, on: bool) -> None:
        self.sounds = on

    def alert_raised(self, event: AlertRaised) -> None:
        """A new alert (already in the model): pop it up; sound it when urgent."""
        item = next((i for i in self.model.items() if i.id == event.alert_id), None)
        if item is None:
            return
        self.popup.show_alert(item, self.count, locked=self.locked)
        if item.urgent and self.sounds:
            self.bell()

    def refresh(self) -> None:
        count = self.count
        self.icon.setIcon(badge_icon(self._base, count))
        waiting = f"{count} open alert{'s' if count != 1 else ''}" if count else "no open alerts"
        self.icon.setToolTip(f"INTERPOL Dispatch Console — {waiting}")
        self.menu.clear()
        header = self.menu.addAction(waiting)
        header.setEnabled(False)
        if self.popup.isVisible():  # it follows what is still open (acknowledged elsewhere)
            shown = next((i for i in self.model.items() if i.id == self.popup.alert_id), None)
            self.popup.show_alert(shown or self.model.newest(), count, locked=self.locked)
        if self.locked:
            return  # no content, no actions while the device is locked
        for item in self.model.items()[:MENU_ALERTS]:
            text = " ".join(item.text.split())[:60]
            action = QAction(f"{item.title}: {text}", self.menu)
            action.triggered.connect(
                lambda _=False, alert_id=item.id: self.alert_chosen.emit(alert_id)
            )
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction("Show console", self.show_requested.emit)
        self.menu.addAction("Quit", self.quit_requested.emit)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if self.locked:
            return  # the lock screen is the only way back in
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_requested.emit()

    def notify(self, title: str, text: str) -> None:
        """A desktop notification (when the console went to the tray); content-free if locked."""
        if self.available:
            if self.locked:
                text = "Unlock the console to read it."
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 5000)

    def close(self) -> None:
        """Gone from the screen and the tray (the objects go with their owner)."""
        self.popup.hide()
        self.icon.hide()

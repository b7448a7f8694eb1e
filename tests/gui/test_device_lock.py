"""The device lock on the real window: nothing of a record is visible or reachable while
locked, alerts still arrive as a count, the secret unlocks, idle time and the 12 hours lock."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QSystemTrayIcon,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.domain.codes import INTERPOL_WASHINGTON_ORI, Family
from console.gui.access.device_lock import DeviceLock
from console.gui.shell.composition import guard
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.windows import Opened, audit_events, opened_window
from tests.helpers.network import SECRET, RunningSwitch
from tests.helpers.waiting import wait_until


def shown_texts() -> list[str]:
    """Every piece of text a visible window shows, however deep in its widget tree."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                texts.append(widget.text())
            elif isinstance(widget, QTextBrowser):
                texts.append(widget.toPlainText())
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                texts += cells(widget.model())
            texts.append(widget.toolTip())
    return texts


def cells(model: QAbstractItemModel) -> list[str]:
    """Every cell of a table or list, as shown."""
    return [
        str(model.data(model.index(row, column)) or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]


async def open_a_record(opened: Opened, dataset: Dataset) -> str:
    target = next(n for n in dataset if n.warrants and n.forename)
    await opened.window.results.open_eid(target.eid, Family.PERSON)
    await wait_until(lambda: opened.window.record_view.notice is not None)
    assert target.nam in opened.window.record_view.browser.toPlainText()
    return target.nam


async def test_locked_shows_nothing_of_the_record_counts_alerts_and_unlocks(
    qtbot: QtBot, profile: Profile, dataset: Dataset, switch: RunningSwitch
) -> None:
    async with opened_window(qtbot, profile) as opened:
        device_lock = guard(opened.window, opened.session)
        try:
            name = await open_a_record(opened, dataset)
            # a shortcut reaches only the active window: another test's may still be in front
            opened.window.activateWindow()
            await wait_until(opened.window.isActiveWindow)
            qtbot.keyClick(opened.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
            assert device_lock.is_locked and not opened.window.isVisible()
            screen = device_lock.screen
            assert screen.isVisible()
            await wait_until(screen.password_edit.hasFocus)  # typing goes to the password
            assert not screen.grab().isNull()
            texts = " ".join(shown_texts())
            assert name not in texts and name.split(",")[0] not in texts
            assert "locked by the operator" in screen.reason.text()

            await switch.server.announce(INTERPOL_WASHINGTON_ORI, f"BOLO FOR {name}")
            await wait_until(lambda: "1 alert waiting" in screen.alerts.text())
            texts = " ".join(shown_texts())  # the popup and tray show the count, not the AM
            assert "BOLO" not in texts and name not in texts

            screen.password_edit.setText("not the password")
            screen.unlock_button.click()
            await wait_until(screen.error_label.isVisible)
            assert (
                device_lock.is_locked
                and "wrong operator id or password" in screen.error_label.text()
            )
            screen.password_edit.setText(SECRET)
            screen.unlock_button.click()
            await wait_until(lambda: not device_lock.is_locked)
            assert opened.window.isVisible() and not screen.isVisible()
            assert name in opened.window.record_view.browser.toPlainText()
            events = await audit_events(opened)
            assert ("device", "locked") in events and ("device", "unlocked") in events
            assert ("authentication", "success") in events
            assert ("logon", "failure: wrong password") in events
        finally:
            device_lock.stop()


async def test_idle_time_locks_and_activity_keeps_it_open(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        session = opened.session
        device_lock = DeviceLock(
            session.authenticate,
            operator=session.operator,
            codes=lambda: False,
            idle_minutes=0.005,  # 300 ms
            expired=lambda: session.access.expired,
            audit=lambda outcome, reason: session.store.audit("device", outcome, reason),
        )
        device_lock.start()
        try:
            for _ in range(3):  # typing keeps it open: each key starts the idle time again
                qtbot.keyClicks(opened.window.person_panel.name_edit, "S")
                assert not device_lock.is_locked
            await wait_until(lambda: device_lock.is_locked, timeout=5)
            assert "idle for 0.005 minutes" in device_lock.screen.reason.text()
            assert not opened.window.isVisible()
        finally:
            device_lock.stop()


async def test_twelve_hours_after_logon_the_operator_authenticates_again(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        device_lock = guard(opened.window, opened.session)
        access = opened.session.access
        try:
            device_lock.check_reauthentication()
            assert not device_lock.is_locked
            access.authenticated_at -= timedelta(hours=12)
            device_lock.check_reauthentication()
            assert device_lock.is_locked and "12 hours" in device_lock.screen.reason.text()
            device_lock.screen.password_edit.setText(SECRET)
            device_lock.screen.unlock_button.click()
            await wait_until(lambda: not device_lock.is_locked)
            assert not access.expired
        finally:
            device_lock.stop()


async def test_five_wrong_secrets_at_the_lock_screen_force_a_logoff(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        device_lock = guard(opened.window, opened.session)
        forced: list[str] = []
        device_lock.logoff_forced.connect(forced.append)
        try:
            device_lock.lock("a test")
            for attempt in range(5):
                device_lock.screen.password_edit.setText(f"guess {attempt}")
                device_lock.screen.unlock_button.click()
                await wait_until(lambda: bool(forced) or device_lock.screen.error_label.isVisible())
                device_lock.screen.error_label.setVisible(False)
            await wait_until(lambda: bool(forced))
            assert "now locked" in forced[0] and device_lock.is_locked
        finally:
            device_lock.stop()


async def test_nothing_brings_a_window_back_while_locked(
    qtbot: QtBot, profile: Profile, dataset: Dataset, switch: RunningSwitch
) -> None:
    """The tray icon clicked, the console asked for, a floating alert dock or a late window
    opening: all stay hidden until the lock screen opens the console again."""
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        device_lock = guard(window, opened.session)
        try:
            name = await open_a_record(opened, dataset)
            window.alert_dock.setFloating(True)  # a dock the operator pulled out of the window
            device_lock.lock("a test")
            window.tray._activated(QSystemTrayIcon.ActivationReason.Trigger)
            window.show_console()
            await switch.server.announce(INTERPOL_WASHINGTON_ORI, f"BOLO FOR {name}")
            await wait_until(lambda: "1 alert waiting" in device_lock.screen.alerts.text())
            late = QWidget()  # a window some awaited work opens while locked
            late.setWindowTitle(name)
            late.show()
            assert not window.isVisible() and not window.alert_dock.isVisible()
            assert not late.isVisible()
            texts = " ".join(shown_texts())
            assert name not in texts and "BOLO" not in texts
            device_lock.screen.password_edit.setText(SECRET)
            device_lock.screen.unlock_button.click()
            await wait_until(lambda: not device_lock.is_locked)
            assert window.isVisible() and late.isVisible()  # back as they were
            late.close()
        finally:
            device_lock.stop()

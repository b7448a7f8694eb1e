"""Each operator's splitter and dock sizes: kept when they log off, given back at their next
logon (the application's own loop, app.shifts), never to another operator; a layout left on
a large screen is clamped to a smaller one."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.app import shifts
from console.broker.session import Session
from console.gui.shell.main_window import MainWindow
from console.storage.layout import LAYOUT_FILE
from console.storage.settings import Profile
from tests.gui.test_shifts import SECOND, SECOND_SECRET, logon_as, shown
from tests.gui.windows import in_front as chosen
from tests.gui.windows import opened_window
from tests.helpers.network import OPERATOR, SECRET
from tests.helpers.waiting import wait_until


async def window_of(qtbot: QtBot, operator: str, secret: str) -> MainWindow:
    await logon_as(qtbot, operator, secret)
    await wait_until(lambda: shown(MainWindow) is not None)
    window = shown(MainWindow)
    assert isinstance(window, MainWindow) and window.services.operator == operator
    await wait_until(lambda: window.asking.height() > 0 and window.splitter.width() > 0)
    return window


async def log_off(window: MainWindow) -> None:
    window.logoff_requested.emit()  # File > Log off
    await wait_until(lambda: shown(MainWindow) is None)


def in_front(window: MainWindow) -> str:
    """The dock whose tab is chosen among the three at the bottom."""
    docks = (window.alert_dock, window.queue_dock, window.mail_dock)
    return next(dock.objectName() for dock in docks if chosen(dock))


def drag(qtbot: QtBot, window: MainWindow, by: int) -> None:
    """The operator drags the handle between the panels and the list down by ``by`` px."""
    handle = window.asking.handle(1)
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(handle, middle + QPoint(0, by))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle + QPoint(0, by))


async def test_splitter_sizes_come_back_for_their_operator_only(
    qtbot: QtBot, profile: Profile
) -> None:
    supervisor = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        await supervisor.accounts.add(SECOND, SECOND_SECRET)
    finally:
        await supervisor.close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    running = asyncio.ensure_future(shifts(app, profile))
    try:
        first = await window_of(qtbot, OPERATOR, SECRET)
        defaults = first.asking.sizes(), first.splitter.sizes()
        drag(qtbot, first, -60)  # a taller list
        await wait_until(lambda: first.asking.sizes() != defaults[0])
        first.mail_dock.raise_()  # and the mailbox in front of the alerts
        await wait_until(lambda: in_front(first) == "mailDock")
        chosen = first.asking.sizes(), first.splitter.sizes()
        await log_off(first)
        assert (profile.root / LAYOUT_FILE).stat().st_mode & 0o777 == 0o600

        second = await window_of(qtbot, SECOND, SECOND_SECRET)
        assert (second.asking.sizes(), second.splitter.sizes()) == defaults
        assert in_front(second) == "alertDock"
        await log_off(second)

        again = await window_of(qtbot, OPERATOR, SECRET)
        await wait_until(lambda: (again.asking.sizes(), again.splitter.sizes()) == chosen)
        assert in_front(again) == "mailDock"
        again.quit()
        assert await asyncio.wait_for(running, 20) == 0
    finally:
        if not running.done():
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)


async def test_a_layout_from_a_large_screen_is_clamped_to_a_small_one(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        window.resize(1900, 1050)
        await wait_until(lambda: window.height() == 1050)
        window.queue_dock.raise_()
        window.resizeDocks([window.queue_dock], [420], Qt.Orientation.Vertical)  # tall docks
        await wait_until(lambda: window.queue_dock.height() >= 380)
        window.splitter.setSizes([1200, 700])
        await wait_until(lambda: window.splitter.sizes()[0] > 1000)
        window.remember_layout()

    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        small = QRect(0, 0, 1280, 800)
        window.restore_layout(small)
        await wait_until(lambda: window.width() <= 1280 and window.height() <= 800)
        assert small.contains(window.frameGeometry())
        assert in_front(window) == "queueDock"  # the docks as left, within today's room
        status = window.status
        await wait_until(lambda: window.rect().contains(status.geometry()))
        table = window.results.table
        row = table.verticalHeader().defaultSectionSize()
        await wait_until(lambda: table.viewport().height() >= 6 * row)
        left, right = window.splitter.sizes()
        assert left > right  # the proportions kept, scaled to the narrower window
        assert left + right <= 1280

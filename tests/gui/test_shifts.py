"""A live profile from the first window to the last: notice, logon, console, log off, the
next operator logs on, quit. The application's own loop drives it (app.shifts)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from console.app import shifts
from console.broker.session import Session
from console.gui.access.logon import LogonWindow
from console.gui.setup.setup_wizard import SetupWizard
from console.gui.shell.main_window import MainWindow
from console.storage.errors import LOGON_REFUSED
from console.storage.settings import Profile
from tests.helpers.network import OPERATOR, SECRET
from tests.helpers.waiting import wait_until

SECOND, SECOND_SECRET = "OPR2", "the night shift starts at six"


def shown(kind: type[QWidget]) -> QWidget | None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return next((w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


async def logon_as(qtbot: QtBot, operator: str, password: str) -> LogonWindow:
    await wait_until(lambda: shown(LogonWindow) is not None)
    window = shown(LogonWindow)
    assert isinstance(window, LogonWindow)
    assert window.pages.currentIndex() == 0  # the notice first, every time
    qtbot.keyClick(window.accept_button, Qt.Key.Key_Space)
    window.operator_edit.setText(operator)
    window.password_edit.setText(password)
    qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
    return window


async def test_log_off_and_the_next_operator_logs_on(qtbot: QtBot, profile: Profile) -> None:
    supervisor = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        await supervisor.accounts.add(SECOND, SECOND_SECRET)
    finally:
        await supervisor.close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    running = asyncio.ensure_future(shifts(app, profile))
    try:
        await logon_as(qtbot, OPERATOR, SECRET)
        await wait_until(lambda: shown(MainWindow) is not None)
        first = shown(MainWindow)
        assert isinstance(first, MainWindow) and first.services.operator == OPERATOR
        first.logoff_requested.emit()  # File > Log off
        await wait_until(lambda: shown(MainWindow) is None and shown(LogonWindow) is not None)
        assert not running.done()

        window = await logon_as(qtbot, SECOND, "not the password at all")
        await wait_until(window.error_label.isVisible)
        assert window.error_label.text() == LOGON_REFUSED
        window.password_edit.setText(SECOND_SECRET)
        qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
        await wait_until(lambda: shown(MainWindow) is not None)
        second = shown(MainWindow)
        assert isinstance(second, MainWindow) and second.services.operator == SECOND
        assert second.services.settings_file is None  # an operator sees settings, cannot save
        second.quit()  # File > Quit ends the application, not just the session
        assert await asyncio.wait_for(running, 20) == 0
        assert shown(MainWindow) is None and shown(LogonWindow) is None
    finally:
        if not running.done():
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)


async def test_a_folder_without_a_profile_starts_the_setup(tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    running = asyncio.ensure_future(shifts(app, Profile(tmp_path / "new")))
    try:
        await wait_until(lambda: shown(SetupWizard) is not None)
        wizard = shown(SetupWizard)
        assert isinstance(wizard, SetupWizard) and wizard.profile_dir == tmp_path / "new"
        wizard.reject()  # the sheriff closes it: nothing made, the program ends
        assert await asyncio.wait_for(running, 20) == 0
        assert not (tmp_path / "new" / "settings.toml").exists()
    finally:
        if not running.done():
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)

"""A sheriff alone runs the console on an empty folder: a welcome page first, field errors in
the theme's error colour with the rule kept whole, and a training PKI's switch started by the
console itself, so the first logon links without a shell."""

from __future__ import annotations

import asyncio
import gc
import socket
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from console.app import shifts
from console.domain.codes import LinkState
from console.gui.access.logon import LogonWindow
from console.gui.setup.setup_wizard import SetupWizard
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import PALETTES
from console.storage.settings import Profile
from tests.helpers.network import ORI
from tests.helpers.waiting import wait_until

PASSWORD = "violet anchor drizzle"


def shown(kind: type[QWidget]) -> QWidget | None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return next((w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def ink(widget: QLabel) -> str:
    return widget.palette().color(QPalette.ColorRole.WindowText).name()


def whole(widget: QLabel) -> bool:
    """A wrapped label given the height its text needs at its width."""
    return widget.height() >= widget.heightForWidth(widget.width())


async def the_wizard() -> SetupWizard:
    await wait_until(lambda: shown(SetupWizard) is not None)
    wizard = shown(SetupWizard)
    assert isinstance(wizard, SetupWizard)
    return wizard


async def stopped(running: asyncio.Future[int]) -> None:
    if not running.done():
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_welcome_first_then_errors_in_the_error_colour_and_rules_whole(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    running = asyncio.ensure_future(shifts(app, Profile(tmp_path / "new")))
    try:
        wizard = await the_wizard()
        assert wizard.currentPage() is wizard.welcome
        text = wizard.welcome.text.text()
        for said in ("Nlets", "four steps", "PKI bundle", "training PKI", "Finish"):
            assert said in text, said
        wizard.next()
        assert wizard.currentPage() is wizard.agency
        ori = wizard.agency.ori
        colours = PALETTES["light"]
        assert ink(ori.rule) == QColor(colours["muted"]).name()
        qtbot.keyClicks(ori.edit, "wa03")
        await wait_until(ori.error.isVisible)
        assert ori.error.text().startswith("ORI: must be 9 letters")
        assert ink(ori.error) == QColor(colours["error"]).name()  # not the help's ink
        await wait_until(lambda: whole(ori.rule) and whole(ori.error))
        ori.edit.clear()
        qtbot.keyClicks(ori.edit, ORI)
        await wait_until(lambda: not ori.error.isVisible())
        await wait_until(lambda: whole(ori.rule))  # the rule is not cut once the error goes
        wizard.reject()
        assert await asyncio.wait_for(running, 20) == 0
    finally:
        await stopped(running)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_training_switch_the_wizard_made_runs_in_the_console(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    port = free_port()
    running = asyncio.ensure_future(shifts(app, Profile(tmp_path / "alone")))
    try:
        wizard = await the_wizard()
        wizard.next()
        wizard.agency.ori.edit.setText(ORI)
        wizard.next()
        wizard.switch.address.edit.setText(f"127.0.0.1:{port}")
        wizard.next()
        wizard.pki.training_choice.setChecked(True)
        wizard.next()
        wizard.operator.operator.edit.setText("SHERIFF")
        wizard.operator.password.edit.setText(PASSWORD)
        wizard.operator.repeat.edit.setText(PASSWORD)
        wizard.operator.secure.setChecked(True)  # a sheriff's office: codes optional
        wizard.next()
        summary = wizard.summary
        assert wizard.currentPage() is summary
        assert summary.start_switch.isVisible() and summary.start_switch.isChecked()
        assert "run its switch with" not in summary.summary.text().lower()
        assert "--training --training-switch" in summary.twin.toPlainText()  # the same choice
        qtbot.keyClick(wizard.button(wizard.WizardButton.FinishButton), Qt.Key.Key_Space)

        await wait_until(lambda: shown(LogonWindow) is not None, timeout=60)
        assert wizard.switch_address == f"127.0.0.1:{port}"
        assert Profile(tmp_path / "alone").load().training_switch  # the choice is kept
        await linked_then_quit(qtbot, running)
        with socket.socket() as probe:  # the switch stopped with the console
            assert probe.connect_ex(("127.0.0.1", port)) != 0

        # the next day: the console starts the switch of its own training PKI again; the
        # first run's windows die here, on the Qt thread, not in the switch's data thread
        await asyncio.sleep(0.1)
        gc.collect()
        running = asyncio.ensure_future(shifts(app, Profile(tmp_path / "alone")))
        await linked_then_quit(qtbot, running)
    finally:
        await stopped(running)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def quit_at_logon(running: asyncio.Future[int]) -> None:
    await wait_until(lambda: shown(LogonWindow) is not None, timeout=60)
    logon = shown(LogonWindow)
    assert isinstance(logon, LogonWindow)
    logon.quit()
    assert await asyncio.wait_for(running, 30) == 0


async def test_a_training_switch_left_to_a_shell_is_not_started_at_the_next_start(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    port = free_port()
    folder = tmp_path / "classroom"
    running = asyncio.ensure_future(shifts(app, Profile(folder)))
    try:
        wizard = await the_wizard()
        wizard.next()
        wizard.agency.ori.edit.setText(ORI)
        wizard.next()
        wizard.switch.address.edit.setText(f"127.0.0.1:{port}")
        wizard.next()
        wizard.pki.training_choice.setChecked(True)
        wizard.next()
        wizard.operator.operator.edit.setText("SHERIFF")
        wizard.operator.password.edit.setText(PASSWORD)
        wizard.operator.repeat.edit.setText(PASSWORD)
        wizard.next()
        summary = wizard.summary
        assert summary.start_switch.isVisible()
        qtbot.keyClick(summary.start_switch, Qt.Key.Key_Space)  # the trainer runs it elsewhere
        assert not summary.start_switch.isChecked()
        assert "dispatch-console switch --pki" in summary.summary.text()
        assert "--training-switch" not in summary.twin.toPlainText()
        qtbot.keyClick(wizard.button(wizard.WizardButton.FinishButton), Qt.Key.Key_Space)
        await quit_at_logon(running)
        assert wizard.switch_address == "" and not listening(port)
        assert Profile(folder).load().training_switch is False  # the choice is kept

        await asyncio.sleep(0.1)  # the first run's windows die on the Qt thread
        gc.collect()
        running = asyncio.ensure_future(shifts(app, Profile(folder)))
        await wait_until(lambda: shown(LogonWindow) is not None, timeout=60)
        assert not listening(port)  # the next start keeps the choice: no switch of its own
        await quit_at_logon(running)
    finally:
        await stopped(running)


async def linked_then_quit(qtbot: QtBot, running: asyncio.Future[int]) -> None:
    """Log on as the sheriff, see the link come up, quit."""
    await wait_until(lambda: shown(LogonWindow) is not None, timeout=60)
    logon = shown(LogonWindow)
    assert isinstance(logon, LogonWindow)
    qtbot.keyClick(logon.accept_button, Qt.Key.Key_Space)
    logon.operator_edit.setText("SHERIFF")
    logon.password_edit.setText(PASSWORD)
    qtbot.keyClick(logon.password_edit, Qt.Key.Key_Return)
    await wait_until(lambda: shown(MainWindow) is not None, timeout=30)
    window = shown(MainWindow)
    assert isinstance(window, MainWindow)
    await wait_until(lambda: window.services.records.link_state is LinkState.UP)
    assert "Link up" in window.status.link_label.text()
    window.quit()
    assert await asyncio.wait_for(running, 30) == 0

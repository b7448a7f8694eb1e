"""Quitting with work pending asks first (and defaults to staying); a disabled control looks
disabled in both themes, and a Save that cannot save says why."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from console.gui.shell.main_window import MainWindow
from console.gui.shell.quitting import pending_work
from console.gui.shell.theme import PALETTES, apply_theme
from console.storage.settings import THEMES, Profile
from console.switch.dataset import Dataset
from tests.gui.actions import ask
from tests.gui.alerting import admin_message, gateway_down
from tests.gui.looks import restored_look
from tests.gui.windows import opened_window
from tests.helpers.network import RunningSwitch
from tests.helpers.waiting import wait_until

__all__ = ["restored_look"]  # the fixture, used by name


def inked(button: QAbstractButton, ink: str) -> int:
    """How many pixels of the button are painted in exactly ``ink`` (its label's glyphs)."""
    image = button.grab().toImage()
    colour = QColor(ink)
    return sum(
        image.pixelColor(x, y) == colour
        for x in range(image.width())
        for y in range(image.height())
    )


def question_of(window: MainWindow) -> QMessageBox:
    question = window.quit_question
    assert question is not None and question.isVisible()
    return question


def test_pending_work_is_said_in_words() -> None:
    assert pending_work(0, 0, False) == []
    assert pending_work(2, 1, True) == [
        "2 unacknowledged alerts",
        "1 query queued or waiting for an answer",
        "a training exercise running (not yet debriefed)",
    ]


async def test_quitting_with_an_open_alert_asks_and_defaults_to_staying(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        quits: list[None] = []
        window.quit_requested.connect(lambda: quits.append(None))
        await admin_message(opened, switch, pki_dir)
        window.activateWindow()
        await wait_until(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        question = question_of(window)
        assert quits == [] and window.isVisible()
        assert "1 unacknowledged alert" in question.informativeText()
        stay = question.defaultButton()
        assert stay is not None and stay.objectName() == "keepWorking"
        stay.click()  # Enter or Escape: the console keeps running
        assert quits == [] and window.isVisible() and not question.isVisible()

        window.close()  # no tray offscreen: closing is quitting, so it asks too
        question = question_of(window)
        assert quits == [] and window.isVisible()
        quit_anyway = question.findChild(QPushButton, "quitAnyway")
        assert isinstance(quit_anyway, QPushButton)
        quit_anyway.click()
        assert quits == [None]


async def test_quitting_from_the_tray_asks_with_the_console_shown(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        window.tray.available = True  # what a desktop with a tray host reports
        window.close()
        assert window.isHidden()  # in the tray, still at work
        await admin_message(opened, switch, pki_dir)
        window.tray.menu.actions()[-1].trigger()  # the tray's Quit
        question = question_of(window)
        assert window.isVisible() and "1 unacknowledged alert" in question.informativeText()


async def test_a_query_waiting_for_its_answer_is_named_when_quitting(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, dataset: Dataset
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        quits: list[None] = []
        window.quit_requested.connect(lambda: quits.append(None))
        await gateway_down(opened, switch)  # INTERPOL out of service: answers are held
        window.alert_dock.focus_table()
        await window.alert_dock.acknowledge_selected()
        await wait_until(lambda: window.alert_model.rowCount() == 0)
        person = next(n for n in dataset if n.forename and n.nam.isascii())
        ask(qtbot, window, person.nam)
        await wait_until(lambda: window.queue_view.model.rowCount() == 1)
        window.quit()
        question = question_of(window)
        assert question.informativeText().startswith("• 1 query queued or waiting for an answer\n")
        assert quits == []
        question.reject()  # Escape: the console keeps running
        assert quits == [] and window.isVisible()


@pytest.mark.parametrize("theme", THEMES)
async def test_disabled_controls_look_disabled_and_save_says_why(
    qtbot: QtBot, profile: Profile, restored_look: QApplication, theme: str
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        apply_theme(restored_look, theme, 10.5)
        palette = restored_look.palette()
        for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
            assert palette.color(QPalette.ColorGroup.Disabled, role) != palette.color(
                QPalette.ColorGroup.Active, role
            )
        text = PALETTES[theme]["text"]
        greyed = PALETTES[theme]["disabled_text"]

        # as in demo mode: shown, never saved
        window.services = dataclasses.replace(window.services, settings_file=None)
        dialog = window.open_settings()
        qtbot.addWidget(dialog)
        await wait_until(dialog.isVisible)
        save = dialog.save_button
        cancel = dialog.findChild(QPushButton, "cancelSettings")
        assert isinstance(cancel, QPushButton)
        assert not save.isEnabled() and cancel.isEnabled()
        assert inked(cancel, text) > 0 and inked(save, text) == 0 and inked(save, greyed) > 0
        assert dialog.unsaved.isVisible()
        assert dialog.unsaved.text() == "Not saved: this demo's profile is removed at exit."
        assert save.toolTip().startswith("Not saved:")
        dialog.reject()

        accounts = window.supervisor.open_accounts()
        await wait_until(lambda: accounts.model.rowCount() > 0)
        assert accounts.selected() is None
        for button in (accounts.release_button, accounts.disable_button, accounts.reset_button):
            assert not button.isEnabled()
            assert inked(button, text) == 0 and inked(button, greyed) > 0

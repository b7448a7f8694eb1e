"""The tray: a badge counting open alerts, its menu, the sound of urgent alerts, the console
kept running in the tray when its window closes, and quitting only when asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from console.gui.shell.main_window import MainWindow
from console.gui.shell.tray import app_icon, badge_icon
from console.storage.settings import Profile
from tests.gui.alerting import Bell, admin_message, gateway_down, newest, selected
from tests.gui.windows import opened_window
from tests.helpers.network import OTHER_ORI, RunningSwitch
from tests.helpers.waiting import wait_until


@pytest.fixture(autouse=True)
def stays_without_windows(qapp: QApplication) -> Iterator[None]:
    """As the console sets it up: the last window closing must not end the loop."""
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(True)


def menu_texts(window: MainWindow) -> list[str]:
    return [action.text() for action in window.tray.menu.actions()]


def icon_image(window: MainWindow) -> object:
    return window.tray.icon.icon().pixmap(64, 64).toImage()


async def test_the_tray_counts_open_alerts_and_its_menu_acts_on_them(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        tray = window.tray
        assert menu_texts(window) == ["no open alerts", "", "Show console", "Quit"]
        assert tray.icon.toolTip().endswith("no open alerts")
        plain = icon_image(window)
        await admin_message(opened, switch, pki_dir, "SHIFT CHANGE AT 1800")
        await gateway_down(opened, switch)
        assert tray.count == 2
        assert tray.icon.toolTip().endswith("2 open alerts")
        assert icon_image(window) != plain  # the badge is drawn
        assert icon_image(window) == badge_icon(app_icon(), 2).pixmap(64, 64).toImage()
        texts = menu_texts(window)
        assert texts[0] == "2 open alerts"
        assert texts[1].startswith("Status from NL0000000: IP INTERPOL GATEWAY")
        assert texts[2] == f"Admin message from {OTHER_ORI}: SHIFT CHANGE AT 1800"
        assert texts[3:] == ["", "Show console", "Quit"]
        assert not window.tray.menu.actions()[0].isEnabled()

        window.alert_dock.select(window.alert_model.item(0).id)
        assert selected(window.alert_dock).kind == "SM"
        window.tray.menu.actions()[2].trigger()  # the admin message, chosen in the menu
        assert selected(window.alert_dock).kind == "AM"
        assert window.alert_dock.isVisible()

        tray.set_locked(True)  # a locked device shows how many, never what
        assert menu_texts(window) == ["2 open alerts"]
        assert tray.popup.title.text() == "2 alerts waiting"
        assert "GATEWAY" not in tray.popup.text.text() and not tray.popup.open_button.isVisible()
        tray.set_locked(False)
        assert len(menu_texts(window)) == 6
        assert tray.popup.title.text() == "Status from NL0000000"


async def test_an_urgent_alert_sounds_a_normal_one_does_not(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        bell = opened.window.tray.bell = Bell()
        await admin_message(opened, switch, pki_dir)
        assert bell.rings == 0
        await gateway_down(opened, switch)
        assert bell.rings == 1
        assert opened.window.tray.popup.property("urgent") is True
        opened.window.tray.set_sounds(False)  # the operator's setting
        before = opened.window.alert_model.rowCount()
        await switch.server.set_gateway(True)  # back in service: status again, urgent again
        await wait_until(lambda: opened.window.alert_model.rowCount() == before + 1)
        assert newest(opened.window.alert_model).urgent
        assert bell.rings == 1


async def test_closing_the_window_leaves_the_console_in_the_tray_until_quit(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        window.tray.available = True  # what a desktop with a tray host reports
        quits: list[None] = []
        window.quit_requested.connect(lambda: quits.append(None))
        window.close()
        assert window.isHidden() and quits == []
        await admin_message(opened, switch, pki_dir)  # still at work: alerts keep coming
        assert window.tray.count == 1 and window.tray.popup.isVisible()

        window.tray.menu.actions()[-2].trigger()  # Show console
        assert window.isVisible()
        window.tray.menu.actions()[-1].trigger()  # Quit: the alert is still open, it asks
        question = window.quit_question
        assert question is not None and question.isVisible() and quits == []
        quit_anyway = question.findChild(QPushButton, "quitAnyway")
        assert isinstance(quit_anyway, QPushButton)
        quit_anyway.click()
        assert quits == [None]
        assert not window.tray.popup.isVisible() and not window.tray.icon.isVisible()
        window.close()  # now it really closes
        assert window.isHidden() and quits == [None]


async def test_without_a_tray_closing_the_window_quits(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        assert not window.tray.available  # offscreen has no tray host
        quits: list[None] = []
        window.quit_requested.connect(lambda: quits.append(None))
        window.close()  # no tray to go to: closing is quitting, never a console out of reach
        assert window.isHidden() and quits == [None]


async def test_file_quit_asks_the_application_to_end(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        quits: list[None] = []
        window.quit_requested.connect(lambda: quits.append(None))
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert quits == [None]
        assert not window.tray.icon.isVisible() and not window.tray.popup.isVisible()

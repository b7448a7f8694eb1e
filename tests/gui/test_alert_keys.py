"""Alerts handled from the keyboard on the real window: keys listed in the Alerts menu, Tab
leaving the table, priority colours seen whole-row and through the selection (a candidate's
notice colour too), and a popup that keeps clear of the status bar and opens the message
itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QTableView, QWidget
from pytestqt.qtbot import QtBot

from console.domain.codes import NLETS_ORI, NoticeColour
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import ALERT_COLOURS, NOTICE_COLOURS
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.actions import search_for
from tests.gui.alerting import ROLL_CALL, admin_message, gateway_down, selected
from tests.gui.windows import audit_events, opened_window
from tests.helpers.network import OTHER_ORI, RunningSwitch
from tests.helpers.waiting import wait_until

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def alerts_menu(window: MainWindow) -> dict[str, str]:
    """The Alerts menu: each entry's text and its key, as the operator reads them."""
    action = next(a for a in window.menuBar().actions() if a.text() == "&Alerts")
    menu = action.menu()
    assert isinstance(menu, QMenu)
    return {
        a.text(): a.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for a in menu.actions()
        if not a.isSeparator()
    }


def row_colour(table: QTableView, row: int) -> QColor:
    """The colour painted in a row, away from its text (the right end of the last column)
    and from the selection frame."""
    model = table.model()
    rect = table.visualRect(model.index(row, model.columnCount() - 1))
    image = table.viewport().grab().toImage()
    return image.pixelColor(rect.right() - 12, rect.center().y())


def frame_colour(table: QTableView, row: int) -> QColor:
    rect = table.visualRect(table.model().index(row, 2))
    return table.viewport().grab().toImage().pixelColor(rect.center().x(), rect.top() + 1)


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


async def focus_the_window(window: MainWindow) -> None:
    """A shortcut reaches only the active window: another test's may still be in front."""
    window.activateWindow()
    await wait_until(window.isActiveWindow)


async def test_alerts_are_focused_acknowledged_and_opened_by_listed_keys(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        assert alerts_menu(window) == {
            "&Go to alerts": "Ctrl+Shift+A",
            "&Acknowledge selected": "Ctrl+Shift+K",
            "&Open selected": "Ctrl+Shift+O",
        }
        await admin_message(opened, switch, pki_dir)
        await gateway_down(opened, switch)
        dock, table = window.alert_dock, window.alert_dock.table
        # a new row is not selected for the operator: its colour shows, whole-row
        assert dock.selected() is None and not dock.acknowledge_button.isEnabled()
        assert row_colour(table, 0) == QColor(ALERT_COLOURS[0])
        assert row_colour(table, 1) == QColor(ALERT_COLOURS[2])

        await focus_the_window(window)
        qtbot.keyClick(window, Qt.Key.Key_A, CTRL_SHIFT)
        assert table.hasFocus() and selected(dock).kind == "SM"
        # selected, the row keeps its priority colour; a frame in its ink marks the selection
        assert row_colour(table, 0) == QColor(ALERT_COLOURS[0])
        assert frame_colour(table, 0) == QColor("#ffffff")
        assert frame_colour(table, 1) == QColor(ALERT_COLOURS[2])

        qtbot.keyClick(table, Qt.Key.Key_Down)
        assert selected(dock).kind == "AM"
        qtbot.keyClick(table, Qt.Key.Key_O, CTRL_SHIFT)
        assert ROLL_CALL in window.record_view.browser.toPlainText()
        assert window.alert_model.rowCount() == 2  # read, not acknowledged

        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_K, CTRL_SHIFT)
        await wait_until(lambda: window.alert_model.rowCount() == 1)
        assert window.alert_model.item(0).title == f"Status from {NLETS_ORI}"
        assert ("alert", "acknowledged") in await audit_events(opened)
        # the keyboard stays on the alerts: the next one is picked, ready for the same key
        assert table.hasFocus() and selected(dock).kind == "SM"

        qtbot.keyClick(table, Qt.Key.Key_Tab)  # Tab leaves the table for the buttons
        now = QApplication.focusWidget()
        assert now is not None and now is not table and not table.isAncestorOf(now)


async def test_the_popup_keeps_clear_of_the_status_bar_and_opens_the_message(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        screen = window.screen() or QGuiApplication.primaryScreen()
        window.setGeometry(screen.availableGeometry())  # as a maximised console on its desk
        area = screen.availableGeometry()
        # its status bar on the screen, along the bottom, where a corner popup would sit
        await wait_until(lambda: area.contains(on_screen(window.statusBar()).topLeft()))
        await admin_message(opened, switch, pki_dir)
        popup = window.tray.popup
        assert popup.isVisible()
        assert not popup.frameGeometry().intersects(on_screen(window.statusBar()))
        for text in popup.findChildren(QLabel):  # no line of it cut, the first included
            if text.isVisible():
                assert text.geometry().top() >= 0
                assert text.height() >= max(
                    text.heightForWidth(text.width()), text.minimumSizeHint().height()
                )
                assert popup.rect().contains(text.geometry())

        qtbot.mouseClick(popup.open_button, Qt.MouseButton.LeftButton)
        shown = window.record_view.browser.toPlainText()
        assert ROLL_CALL in shown and f"from {OTHER_ORI}" in shown
        assert window.alert_model.rowCount() == 1


async def test_a_selected_candidate_keeps_its_notice_colour(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    red = next(n for n in dataset if n.colour is NoticeColour.RED and n.forename)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await search_for(qtbot, window, red.nam)
        table = window.results.table
        await wait_until(lambda: window.candidates.rowCount() > 0)
        row = next(
            r
            for r in range(window.candidates.rowCount())
            if window.candidates.candidate(r).eid == red.eid
        )
        rect = table.visualRect(window.candidates.index(row, 0))
        spot = QPoint(rect.right() - 5, rect.center().y())  # beside the text, inside the frame
        table.clearSelection()
        before = table.viewport().grab().toImage().pixelColor(spot)
        red_ink = QColor(NOTICE_COLOURS["RED"])
        assert abs(before.red() - red_ink.red()) < 40 and before.blue() < 80  # the notice's red
        table.selectRow(row)
        assert table.selectionModel().isRowSelected(row)
        # selected, the cell keeps the notice colour: the selection fill does not cover it
        # (the list may refit its rows as the selection moves: look where the cell is now)
        rect = table.visualRect(window.candidates.index(row, 0))
        after = (
            table.viewport()
            .grab()
            .toImage()
            .pixelColor(QPoint(rect.right() - 5, rect.center().y()))
        )
        shift = max(abs(after.red() - before.red()), abs(after.green() - before.green()))
        assert max(shift, abs(after.blue() - before.blue())) < 40, (before.getRgb(), after.getRgb())

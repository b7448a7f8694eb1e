"""The main window on a 1280x800 and a 1920x1080 screen: it fits the screen's free area with
its status bar, whichever panel is shown; the results list keeps six rows, the queue and
mailbox docks five; the demo hints are shown whole (real session, real switch, the theme)."""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QSplitter, QTableView
from pytestqt.qtbot import QtBot

from console.app import sample_names, sample_objects
from console.gui.shell import window_layout
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import apply_theme
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.looks import restored_look
from tests.gui.windows import in_front, opened_window
from tests.helpers.waiting import wait_until

__all__ = ["restored_look"]  # the fixture, used by name
SCREENS = [(1280, 800), (1920, 1080)]
DESKTOP = 60  # px a desktop's panel and the window's title bar take from the screen's height


def rows_shown(table: QTableView) -> float:
    """How many rows of the table's own row height its viewport has room for."""
    return table.viewport().height() / table.verticalHeader().defaultSectionSize()


def room_for(table: QTableView, rows: int) -> bool:
    return rows_shown(table) >= rows


def status_bar_inside(window: MainWindow) -> bool:
    status = window.status
    return status.isVisible() and window.rect().contains(status.geometry())


@pytest.mark.parametrize("size", SCREENS)
async def test_the_window_fits_the_screen_with_its_status_bar_and_six_rows_of_results(
    qtbot: QtBot, profile: Profile, restored_look: QApplication, size: tuple[int, int]
) -> None:
    apply_theme(restored_look, "light", 10.5)
    width, height = size
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        for at in range(len(window.panels)):  # the YQ panel has ten rows, the AM a text box
            window.show_panel(at)
            least = window.minimumSizeHint()
            assert least.height() <= height - DESKTOP, window.panels[at].title()
            assert least.width() <= width

        screen = QRect(0, 0, width, height)
        window_layout.fit_to(window, screen)
        await wait_until(lambda: window.width() <= width)
        assert screen.contains(window.geometry())

        # a desktop's panel and title bar take their share: the window still gets that height
        window.resize(width, height - DESKTOP)
        await wait_until(lambda: window.height() == height - DESKTOP)
        await wait_until(lambda: status_bar_inside(window))
        table = window.results.table
        await wait_until(lambda: rows_shown(table) >= 6)
        assert table.verticalHeader().defaultSectionSize() > table.fontMetrics().height()


@pytest.mark.parametrize("size", SCREENS)
async def test_the_queue_and_mailbox_docks_show_five_rows(
    qtbot: QtBot, profile: Profile, restored_look: QApplication, size: tuple[int, int]
) -> None:
    apply_theme(restored_look, "light", 10.5)
    width, height = size
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        broker = opened.session.broker
        for name in ("ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT"):
            await broker.queue(broker.compose.line(f"IPQ.{broker.ori}.IP.TXT NAM/DOE, {name}"))
        window.resize(width, height - DESKTOP)
        await wait_until(lambda: window.height() == height - DESKTOP)
        await wait_until(lambda: window.queue_view.model.rowCount() == 6)
        for dock, table in (
            (window.queue_dock, window.queue_view.table),
            (window.mail_dock, window.mailbox.table),
            (window.alert_dock, window.alert_dock.table),
        ):
            dock.show()
            dock.raise_()
            await wait_until(partial(in_front, dock))
            await wait_until(partial(room_for, table, 5))
            assert not table.horizontalScrollBar().isVisible(), dock.objectName()
            assert status_bar_inside(window)
        queue = window.queue_view.table  # the fifth query of the queue whole on screen
        window.queue_dock.raise_()
        await wait_until(partial(in_front, window.queue_dock))
        await wait_until(lambda: queue.rowViewportPosition(4) >= 0)
        assert queue.rowViewportPosition(4) + queue.rowHeight(4) <= queue.viewport().height()


async def test_the_demo_hints_are_shown_whole_even_under_a_panel_dragged_down(
    qtbot: QtBot, profile: Profile, dataset: Dataset, restored_look: QApplication
) -> None:
    apply_theme(restored_look, "light", 10.5)
    hints = [*sample_names(dataset), *sample_objects(dataset)]
    async with opened_window(qtbot, profile, sample_names=hints) as opened:
        window = opened.window
        window.resize(1280, 800 - DESKTOP)
        await wait_until(lambda: window.height() == 800 - DESKTOP)
        summary = window.results.summary
        assert all(hint in summary.text() for hint in hints)

        def whole() -> bool:
            return summary.height() >= summary.heightForWidth(summary.width())

        await wait_until(whole)
        # several lines at this width: the case that was cut after two
        assert summary.height() > 3 * summary.fontMetrics().height()
        column = window.findChild(QSplitter, "askingColumn")
        assert column is not None
        column.setSizes([10_000, 0])  # the panels dragged down as far as they go
        squeezed = window.results.list_box
        await wait_until(lambda: column.sizes()[1] <= squeezed.minimumSizeHint().height())
        await wait_until(whole)
        assert rows_shown(window.results.table) >= 6  # and the list keeps its rows
        assert status_bar_inside(window)

"""The results at 1280x800 and 1920x1080: no horizontal scrollbar in an empty or a normal
list, the record wider than the list, the hit caution once on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.actions import search_for
from tests.gui.windows import opened_window
from tests.helpers.waiting import wait_until


def fits(window: MainWindow) -> bool:
    """Every column of the list inside its view, no horizontal scrollbar shown."""
    table = window.results.table
    header = table.horizontalHeader()
    inside = sum(header.sectionSize(c) for c in range(header.count() - 1))
    last = header.sectionSize(header.count() - 1)
    return not table.horizontalScrollBar().isVisible() and inside + min(last, 90) <= (
        table.viewport().width()
    )


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
async def test_no_horizontal_scrollbar_and_one_caution(
    qtbot: QtBot, profile: Profile, dataset: Dataset, size: tuple[int, int]
) -> None:
    notice = next(n for n in dataset if n.warrants and n.forename and n.nam.isascii())
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        window.resize(*size)
        await wait_until(lambda: window.width() == size[0])
        await wait_until(lambda: fits(window))  # empty: the headers alone
        await search_for(qtbot, window, notice.nam)
        await wait_until(lambda: window.candidates.rowCount() > 0)
        await wait_until(lambda: fits(window))
        assert window.results.list_caution.isVisible()  # a list of hits carries it

        row = next(
            r
            for r in range(window.candidates.rowCount())
            if window.candidates.candidate(r).eid == notice.eid
        )
        window.results.table.setCurrentIndex(window.candidates.index(row, 0))
        qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
        viewer = window.record_view
        await wait_until(lambda: viewer.notice is not None)
        assert fits(window)
        assert viewer.caution.isVisible() and not window.results.list_caution.isVisible()
        assert viewer.width() > window.results.list_box.width()  # the record gets the room
        assert viewer.width() > window.panel_tabs.width()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
async def test_a_vehicle_list_fits_without_a_horizontal_scrollbar(
    qtbot: QtBot, profile: Profile, dataset: Dataset, size: tuple[int, int]
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        window.resize(*size)
        await wait_until(lambda: window.width() == size[0])
        qtbot.keyClick(window, Qt.Key.Key_F3)
        qtbot.keyClicks(window.vehicle_panel.vin_edit, car.vin)
        qtbot.keyClick(window.vehicle_panel.vin_edit, Qt.Key.Key_Return)
        await wait_until(lambda: window.results.objects.rowCount() > 0)
        await wait_until(lambda: fits(window))
        assert window.results.table.isColumnHidden(0)  # the database is named in the summary

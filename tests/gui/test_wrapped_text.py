"""Nothing read sideways at 1280x800 and 1920x1080: an administrative message and the legacy
text wrap at the viewer's width; the result tables have no horizontal scrollbar, empty or
full; a match cell of four lines and more is shown whole (real session, real switch)."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from console.domain.codes import INTERPOL_WASHINGTON_ORI, Family, MessageKey, NoticeColour, Sex
from console.domain.messages import CandidateList, FreeText, Header, Message, PersonInquiry
from console.domain.records import Candidate
from console.gui.results.models import MATCH
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import apply_theme
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.actions import search_for
from tests.gui.looks import restored_look
from tests.gui.windows import in_front, opened_window
from tests.helpers.network import RunningSwitch
from tests.helpers.waiting import wait_until

__all__ = ["restored_look"]  # the fixture, used by name
SCREENS = [(1280, 740), (1920, 1020)]  # the screens less a desktop's panel and title bar
BOLO = (
    "INTERPOL WASHINGTON. BOLO: A WHITE FORD F-150 STOLEN IN CANADA MAY CROSS THE NORTHERN "
    "BORDER THIS WEEK; THE DRIVER IS BELIEVED TO CARRY A FIREARM AND FORGED DOCUMENTS. "
    "ACKNOWLEDGE RECEIPT AND REPORT ANY SIGHTING TO THE DUTY DESK AT ONCE, QUOTING THIS "
    "MESSAGE. NO FURTHER ACTION IS REQUESTED AT THIS TIME."
)


def sideways(table: QTableView) -> bool:
    return table.horizontalScrollBar().isVisible()


def straight(table: QTableView) -> bool:
    return not sideways(table)


async def sized(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    await wait_until(lambda: (window.width(), window.height()) == size)


@pytest.mark.parametrize("size", SCREENS)
async def test_an_admin_message_and_the_legacy_text_wrap_at_the_viewer_width(
    qtbot: QtBot,
    profile: Profile,
    dataset: Dataset,
    restored_look: QApplication,
    size: tuple[int, int],
) -> None:
    apply_theme(restored_look, "light", 10.5)
    notice = next(n for n in dataset if len(n.warrants) > 1 and n.forename and n.nam.isascii())
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await sized(window, size)
        viewer = window.record_view
        scroll = viewer.browser.horizontalScrollBar()
        message = Message(
            Header(MessageKey.AM, INTERPOL_WASHINGTON_ORI, profile.load().ori), FreeText(BOLO)
        )
        window.results.show_answer(message)
        await wait_until(lambda: "NORTHERN" in viewer.browser.toPlainText())
        assert scroll.maximum() == 0 and not scroll.isVisible()

        await window.results.open_eid(notice.eid, Family.PERSON)  # a full record with warrants
        await wait_until(lambda: viewer.notice is not None)
        viewer.legacy_action.trigger()  # Ctrl+T: the message in legacy layout
        await wait_until(lambda: notice.eid in viewer.browser.toPlainText())
        assert scroll.maximum() == 0 and not scroll.isVisible()


@pytest.mark.parametrize("size", SCREENS)
async def test_no_result_table_scrolls_sideways_empty_or_full(
    qtbot: QtBot,
    profile: Profile,
    dataset: Dataset,
    restored_look: QApplication,
    size: tuple[int, int],
) -> None:
    apply_theme(restored_look, "light", 10.5)
    notice = next(n for n in dataset if n.forename and n.nam.isascii())
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await sized(window, size)
        tables = {
            "queue": (window.queue_dock, window.queue_view.table),
            "mailbox": (window.mail_dock, window.mailbox.table),
            "alerts": (window.alert_dock, window.alert_dock.table),
        }
        for _ in range(2):  # empty, then with the rows of a search
            await wait_until(lambda: not sideways(window.results.table))
            for name, (dock, table) in tables.items():
                dock.raise_()
                await wait_until(partial(in_front, dock))
                await wait_until(partial(straight, table))  # once laid out
                assert table.horizontalHeader().length() <= table.viewport().width(), name
            await search_for(qtbot, window, notice.nam)
            await wait_until(lambda: window.candidates.rowCount() > 0)
        assert window.mailbox.model.rowCount() > 0 and window.queue_view.model.rowCount() > 0


@pytest.mark.parametrize("size", SCREENS)
async def test_a_match_cell_of_four_lines_is_shown_whole(
    qtbot: QtBot, profile: Profile, restored_look: QApplication, size: tuple[int, int]
) -> None:
    apply_theme(restored_look, "light", 10.5)
    ori = profile.load().ori
    query = Message(
        Header(MessageKey.IPQ, ori, "IP"), PersonInquiry("SMITH, JON", date(1980, 1, 1), Sex.MALE)
    )
    found = (
        Candidate(
            "2019/00001",
            NoticeColour.RED,
            "SMITH-BLAKE, JOHNATHAN",
            date(1981, 1, 1),
            Sex.FEMALE,
            ("GB",),
            61,
        ),
        Candidate(
            "2019/00002", NoticeColour.BLUE, "SMITH, JON", date(1980, 1, 1), Sex.MALE, ("US",), 99
        ),
    )
    answer = Message(
        Header(MessageKey.IPR, "IP", ori), CandidateList(found, 2, ("NAM", "DOB", "SEX"))
    )
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await sized(window, size)
        window.results.show_answer(answer, query=query)
        table = window.results.table
        await wait_until(lambda: window.candidates.rowCount() == 2)
        cell = window.candidates.index(0, MATCH)
        assert cell.data().endswith("date of birth differs, sex differs")
        lines = table.fontMetrics().height()
        await wait_until(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))
        # the column gives way (the list fits its view); the row grows with the lines
        assert table.columnWidth(MATCH) < table.fontMetrics().horizontalAdvance(cell.data())
        if size[0] == 1280:
            assert table.visualRect(cell).height() >= 4 * lines
        assert not sideways(table)


@pytest.mark.parametrize("size", SCREENS)
async def test_a_long_alert_is_wrapped_whole_in_its_row(
    qtbot: QtBot,
    profile: Profile,
    switch: RunningSwitch,
    restored_look: QApplication,
    size: tuple[int, int],
) -> None:
    apply_theme(restored_look, "light", 10.5)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await sized(window, size)
        await switch.server.announce(INTERPOL_WASHINGTON_ORI, BOLO)
        table = window.alert_dock.table
        await wait_until(lambda: window.alert_model.rowCount() == 1)
        await wait_until(partial(in_front, window.alert_dock))
        text = window.alert_model.index(0, 3)
        assert "ACKNOWLEDGE RECEIPT" in text.data()  # past where the column used to cut it
        width = table.columnWidth(3)
        lines = -(-table.fontMetrics().horizontalAdvance(text.data()) // width)  # at least
        await wait_until(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))
        assert table.rowHeight(0) >= lines * table.fontMetrics().height()
        assert not sideways(table)

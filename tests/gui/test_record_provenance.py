"""The record pane names the query it answers, and a newer query from any panel or the command
line marks it as an earlier query's answer: list and record never disagree without saying so."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.codes import Family, NoticeColour
from console.domain.records import PersonNotice
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.actions import search_for
from tests.gui.windows import opened_window
from tests.helpers.desk import RecordedSleep
from tests.helpers.network import ORI
from tests.helpers.waiting import wait_until


def two_notices(dataset: Dataset) -> tuple[PersonNotice, PersonNotice]:
    """Two people whose names share no word, so B's search never lists A."""
    people = [n for n in dataset if n.forename and n.nam.isascii() and n.date_of_birth]
    first = next(n for n in people if n.colour is NoticeColour.RED)
    words = set(first.nam.replace(",", " ").split())
    second = next(n for n in people if not words & set(n.nam.replace(",", " ").split()))
    return first, second


async def open_first_match(qtbot: QtBot, window: MainWindow, notice: PersonNotice) -> None:
    """Search ``notice`` by name from the Person panel and open the first match by Enter."""
    await search_for(qtbot, window, notice.nam)
    await wait_until(lambda: window.candidates.rowCount() > 0)
    window.results.table.setFocus()
    row = next(
        r
        for r in range(window.candidates.rowCount())
        if window.candidates.candidate(r).eid == notice.eid
    )
    window.results.table.setCurrentIndex(window.candidates.index(row, 0))
    qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
    await wait_until(lambda: window.record_view.notice is not None)


async def assert_not_current(window: MainWindow, old: str, new: str) -> None:
    """The record pane no longer presents the record as the answer to the current search."""
    viewer = window.record_view
    await wait_until(lambda: viewer.earlier)
    header = viewer.context.text()
    assert viewer.context.isVisible()
    assert header.startswith("EARLIER QUERY:") and "not the answer to the current search" in header
    assert old in header and new in header
    assert "EARLIER QUERY" in viewer.printable_html()
    assert "#7a7a7a" in viewer.browser.toHtml()  # greyed, still readable


async def test_the_record_names_its_query_and_a_new_person_search_marks_it_earlier(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    first, second = two_notices(dataset)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await open_first_match(qtbot, window, first)
        viewer = window.record_view
        header = viewer.context.text()
        assert viewer.context.isVisible() and not viewer.earlier
        assert header.startswith(f"ANSWERS FPQ EID/{first.eid}")
        assert f"opened from IPQ NAM/{first.nam}" in header
        assert viewer.message is not None and f"control {viewer.message.control}" in header
        assert " UTC" in header
        assert window.results.summary.text().startswith(f"IPQ NAM/{first.nam}")

        answer = await search_for(qtbot, window, second.nam)
        assert answer.body is not None
        await assert_not_current(window, f"EID/{first.eid}", f"IPQ NAM/{second.nam}")
        assert viewer.notice is not None and viewer.notice.eid == first.eid  # kept, marked
        assert window.results.summary.text().startswith(f"IPQ NAM/{second.nam}")


async def test_a_line_typed_on_the_command_line_marks_the_record_earlier(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    first, second = two_notices(dataset)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await open_first_match(qtbot, window, first)
        qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        line = window.command_line
        sent = f"IPQ.{ORI}.IP.TXT NAM/{second.nam}"
        qtbot.keyClicks(line.edit, sent)
        qtbot.keyClick(line.edit, Qt.Key.Key_Return)
        await assert_not_current(window, f"EID/{first.eid}", f"IPQ NAM/{second.nam}")
        await wait_until(lambda: window.results.summary.text().startswith(f"IPQ NAM/{second.nam}"))
        assert window.record_view.earlier


async def test_a_vehicle_search_beside_a_yellow_notice_marks_it_earlier(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    yellow = next(n for n in dataset if n.colour is NoticeColour.YELLOW)
    car = next(v for v in dataset.vehicles if len(v.vin) == 17)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await window.results.open_eid(yellow.eid, Family.PERSON)
        await wait_until(lambda: window.record_view.notice is not None)
        assert window.record_view.context.text().startswith(f"ANSWERS FPQ EID/{yellow.eid}")
        qtbot.keyClick(window, Qt.Key.Key_F3)
        qtbot.keyClicks(window.vehicle_panel.vin_edit, car.vin)
        qtbot.keyClick(window.vehicle_panel.vin_edit, Qt.Key.Key_Return)
        await assert_not_current(window, f"EID/{yellow.eid}", f"IVQ VIN/{car.vin}")
        await wait_until(lambda: window.results.objects.rowCount() > 0)
        assert window.record_view.earlier
        assert window.record_view.banner.text().startswith("YELLOW NOTICE")
        assert "#9e9e9e" in window.record_view.banner.styleSheet()  # no longer in its colour


async def test_a_record_still_coming_when_a_new_search_leaves_is_not_shown(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    first, second = two_notices(dataset)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClicks(window.person_panel.name_edit, second.nam)
        task = asyncio.ensure_future(window.results.open_eid(first.eid, Family.PERSON))
        await asyncio.sleep(0)  # the request leaves; its answer is a round trip away
        assert window.results.requesting == first.eid
        qtbot.keyClick(window.person_panel.name_edit, Qt.Key.Key_Return)
        await task
        await wait_until(lambda: window.results.summary.text().startswith(f"IPQ NAM/{second.nam}"))
        assert window.record_view.notice is None  # A's record never came up as B's answer
        assert f"Full record {first.eid} not shown" in window.record_view.browser.toPlainText()


class HeldSleep(RecordedSleep):
    """The switch's confirmation desk waits until the test is done: no YR replaces the
    record while the test looks at it."""

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.Event().wait()


@pytest.fixture
def sleep() -> HeldSleep:
    return HeldSleep()


async def test_a_hit_confirmation_about_the_record_shown_is_no_earlier_query(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset
) -> None:
    first, second = two_notices(dataset)
    async with opened_window(qtbot, desk_profile) as opened:
        window = opened.window
        viewer = window.record_view
        await window.results.open_eid(first.eid, Family.PERSON)
        await wait_until(lambda: viewer.notice is not None)
        banner_style = viewer.banner.styleSheet()
        viewer.confirm_action.trigger()  # the record's own Confirm hit (YQ)
        panel = window.confirmation_panel
        assert panel.lines["NIC"].text() == first.eid
        qtbot.keyClicks(panel.lines["OCA"], "24-000777")
        panel.send_button.click()
        # the broker gives the YQ its control field: the record says it is being confirmed
        await wait_until(lambda: bool(viewer.confirming))
        header = viewer.context.text()
        assert header.startswith(f"CONFIRMING: YQ {viewer.confirming} sent ")
        assert " UTC about this record" in header and f"FPQ EID/{first.eid}" in header
        assert not viewer.earlier and "EARLIER QUERY" not in header
        assert viewer.notice is not None and viewer.notice.eid == first.eid
        assert viewer.banner.styleSheet() == banner_style  # still in its notice colour
        assert "#7a7a7a" not in viewer.browser.toHtml()  # not greyed as stale
        assert viewer.caution.isVisible()  # a hit still being confirmed keeps its caution

        # any other query still leaves the record as an earlier query's answer
        window.show_panel(0)
        answer = await search_for(qtbot, window, second.nam)
        assert answer.body is not None
        await assert_not_current(window, f"EID/{first.eid}", f"IPQ NAM/{second.nam}")
        assert viewer.confirming is None

"""Match quality in the lists' first columns and in the record: the score, which field differs
and by how much, the typed value beside the found one (through the real broker and switch)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.codes import MessageKey, NoticeColour, Sex
from console.domain.messages import Header, Message, PersonInquiry
from console.domain.records import Candidate
from console.gui.results.models import MATCH, CandidateModel
from console.gui.results.quality import distance
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.windows import opened_window
from tests.helpers.waiting import wait_until


def one_off(text: str) -> str:
    """``text`` with its last letter or digit changed."""
    last = text[-1]
    swap = "7" if last.isdigit() and last != "7" else "8" if last.isdigit() else "X"
    if last.isalpha() and last.upper() == "X":
        swap = "Y"
    return text[:-1] + swap


async def test_a_near_serial_says_what_differs_first_and_in_the_record(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    gun = next(g for g in dataset.guns if g.serial[-1].isalnum() and len(g.serial) >= 6)
    typed = one_off(gun.serial)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        window.resize(1280, 800)
        panel = window.gun_panel
        window.show_panel(window.panels.index(panel))
        qtbot.keyClicks(panel.serial_edit, typed)
        qtbot.keyClick(panel.serial_edit, Qt.Key.Key_Return)
        results = window.results
        await wait_until(lambda: results.objects.rowCount() > 0)
        row = next(
            r for r in range(results.objects.rowCount()) if results.objects.found(r).eid == gun.eid
        )
        cell = results.objects.data(results.objects.index(row, MATCH))
        assert cell.endswith("· serial number 1 character different")
        assert cell.startswith(str(results.objects.found(row).score))
        tip = results.objects.data(
            results.objects.index(row, MATCH), Qt.ItemDataRole.ToolTipRole.value
        )
        assert tip == f"typed SER/{typed}, found {gun.serial} (serial number 1 character different)"
        assert results.objects.headerData(MATCH, Qt.Orientation.Horizontal) == "Match"

        # the match and the number found are on screen, not behind a scroll to the right
        table = results.table
        await wait_until(lambda: table.viewport().width() > 0)
        for column in (MATCH, MATCH + 1):
            right = table.columnViewportPosition(column) + table.columnWidth(column)
            assert table.columnViewportPosition(column) >= 0 and right <= table.viewport().width()

        table.setFocus()
        table.setCurrentIndex(results.objects.index(row, 0))
        qtbot.keyClick(table, Qt.Key.Key_Return)
        viewer = window.record_view
        await wait_until(lambda: viewer.record is not None)
        assert viewer.match_note.isVisible()
        assert viewer.match_note.text().startswith("NEAR MATCH, score ")
        assert f"typed SER/{typed}, found {gun.serial}" in viewer.match_note.text()
        assert f"typed SER/{typed}" in viewer.printable_html()


async def test_an_exact_match_says_so_and_shows_no_near_line(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_F3)
        qtbot.keyClicks(window.vehicle_panel.vin_edit, car.vin)
        qtbot.keyClick(window.vehicle_panel.vin_edit, Qt.Key.Key_Return)
        objects = window.results.objects
        await wait_until(lambda: objects.rowCount() > 0)
        assert objects.data(objects.index(0, MATCH)) == f"{objects.found(0).score} · VIN exact"
        qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
        await wait_until(lambda: window.record_view.record is not None)
        assert not window.record_view.match_note.isVisible()


def test_a_candidate_names_the_fields_that_differ_from_what_was_typed() -> None:
    query = Message(
        Header(MessageKey.IPQ, "WA0340000", "IP"),
        PersonInquiry("SMITH, JON", None, Sex.MALE),
    )
    found = Candidate("2019/00001", NoticeColour.RED, "SMITH, JOHN", None, Sex.FEMALE, (), 85)
    model = CandidateModel()
    model.set_candidates((found,), 1, query)
    assert model.data(model.index(0, MATCH)) == "85 · name 1 character different, sex differs"
    quality = model.quality(0)
    assert quality.record_line(85) == (
        "NEAR MATCH, score 85: typed NAM/SMITH, JON, found SMITH, JOHN (name 1 character "
        "different); typed SEX/M, found F"
    )
    assert distance("KITTEN", "SITTING") == 3

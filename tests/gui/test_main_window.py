"""The main window wired to the real broker and switch: person query to full record by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.codes import NoticeColour, Sex
from console.domain.records import Candidate
from console.gui.results.models import CandidateModel
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.windows import audit_events, opened_window
from tests.helpers.waiting import wait_until


async def test_person_query_then_full_record(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    async with opened_window(qtbot, profile) as opened:
        await query_then_record(qtbot, opened.window, dataset)
        assert ("view", "shown") in await audit_events(opened)


async def query_then_record(qtbot: QtBot, window: MainWindow, dataset: Dataset) -> None:
    target = next(n for n in dataset if n.warrants and n.date_of_birth and n.forename)
    assert "Link up" in window.status.link_label.text()
    panel = window.person_panel
    qtbot.keyClicks(panel.name_edit, target.nam)
    qtbot.keyClicks(panel.dob_edit, target.dob_text)
    assert not panel.error_label.isVisible()
    qtbot.keyClick(panel.dob_edit, Qt.Key.Key_Return)

    await wait_until(lambda: window.candidates.rowCount() > 0)
    assert window.candidates.candidate(0).eid == target.eid
    assert "possible match" in window.results.summary.text()
    assert window.results.list_caution.isVisible()  # a list of hits carries the caution too

    window.results.table.setFocus()
    qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
    await wait_until(lambda: window.record_view.notice is not None)
    text = window.record_view.browser.toPlainText()
    assert target.nam in text
    assert " ".join(target.warrants[0].charge.split()) in " ".join(text.split())
    assert window.record_view.banner.text().startswith(f"{target.colour.value} NOTICE")
    assert window.record_view.caution.isVisible()
    assert window.demo_banner.isVisible()


async def test_invalid_field_is_shown_with_its_rule(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        panel = opened.window.person_panel
        qtbot.keyClicks(panel.name_edit, "SMITH, J0HN")
        assert panel.error_label.isVisible()
        assert panel.error_label.text().startswith("NAM: ")
        panel.name_edit.clear()
        qtbot.keyClicks(panel.name_edit, "SMITH, JOHN")
        qtbot.keyClicks(panel.dob_edit, "19801340")
        assert panel.error_label.text().startswith("DOB: must be a real calendar date")
        qtbot.keyClick(panel, Qt.Key.Key_Escape)
        assert panel.name_edit.text() == "" and not panel.error_label.isVisible()


def test_candidate_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = CandidateModel()
    model.set_candidates(
        (
            Candidate(
                "2019/00001",
                NoticeColour.RED,
                "SMITH, JOHN",
                None,
                Sex.MALE,
                ("GB",),
                91,
                birth_year=1980,
                has_photo=True,
            ),
            Candidate("2019/00002", NoticeColour.YELLOW, "SMITH, JANE", None, Sex.FEMALE, (), 80),
        ),
        total=2,
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "1980"
    assert model.data(model.index(1, 5)) == "unknown"
    assert model.data(model.index(0, 1)) == "91"  # no query given: the score alone


async def test_a_record_reopens_from_the_cache_while_offline_and_says_so(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await query_then_record(qtbot, window, dataset)
        shown = window.record_view.notice
        assert shown is not None and not window.record_view.note.isVisible()
        await opened.session.broker.link.close()  # the network goes away
        window.record_view.show_placeholder("")
        window.results.table.setFocus()
        qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
        await wait_until(lambda: window.record_view.notice is not None)
        reopened = window.record_view.notice
        assert reopened is not None and reopened.eid == shown.eid
        assert window.record_view.note.isVisible()
        assert window.record_view.note.text().startswith("CACHED RECORD")

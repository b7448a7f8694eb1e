"""Records imported from INTERPOL's public JSON shape (synthetic people) in the console, through
the real broker and switch: ids as issued in the candidate list, the record viewer, the YQ and
the JSON export; one-name subjects searched and confirmed; text in any script laid out."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from console.domain.codes import Family
from console.domain.messages import CandidateList
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from console.switch.catalog import build_dataset
from console.switch.dataset import Dataset
from tests.gui.actions import search_for
from tests.gui.windows import opened_window
from tests.helpers.interpol_json import write_fixtures
from tests.helpers.waiting import wait_until


@pytest.fixture
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The switch serves the imported notices alone (this overrides the synthetic set)."""
    files = write_fixtures(tmp_path_factory.mktemp("interpol"))
    return build_dataset(0, 0, [files.lists, files.details])


def shown_text(window: MainWindow) -> str:
    return window.record_view.browser.toPlainText()


async def open_record(window: MainWindow, eid: str) -> str:
    await window.results.open_eid(eid, Family.PERSON)
    await wait_until(lambda: window.record_view.shown_record is not None)
    return shown_text(window)


async def test_record_viewer_shows_text_as_issued_with_transliteration_and_found_as_issued(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        text = await open_record(window, "2013/07678")  # typed with a leading zero
        assert "INTERPOL record 2013/7678" in text
        assert (
            "Asked for 2013/07678: found as 2013/7678, the id as issued. Quote 2013/7678." in text
        )
        lines = text.splitlines()
        # the viewer's own number before the charge, which carries none as issued
        first = lines.index("1. Мошенничество в особо крупном размере")
        assert lines[first + 1] == "ч. 4 ст. 159 УК"  # the blank line between left out
        assert lines[first + 2].startswith("Transliteration: Moshennichestvo v osobo")
        assert "2. Fraud on a large scale" in lines  # NBSP laid out as a space
        assert "Place of birth\nМосква (Moskva), Russian Federation (RU)" in text
        QGuiApplication.clipboard().clear()
        window.record_view.json_action.trigger()
        await wait_until(lambda: QGuiApplication.clipboard().text())
        document = json.loads(QGuiApplication.clipboard().text())
        assert document["body"]["eid"] == "2013/07678"  # what was asked
        assert document["body"]["notice"]["eid"] == "2013/7678"  # the record, as issued
        perez = await open_record(window, "2021/123")
        assert "Date of birth\n1985-06 (day not known)" in perez
        assert "Name as issued\nPÉREZ-MUESTRA, José María" in perez and "Asked for" not in perez


async def test_a_one_name_subject_is_searched_shown_and_confirmed(
    qtbot: QtBot, desk_profile: Profile
) -> None:
    async with opened_window(qtbot, desk_profile) as opened:
        window = opened.window
        answer = await search_for(qtbot, window, "Devraj")  # one name, no comma typed
        assert isinstance(answer.body, CandidateList)
        model = window.results.candidates
        assert model.rowCount() >= 1
        cells = [model.data(model.index(0, column)) for column in range(model.columnCount())]
        assert cells[2:4] == ["DEVRAJ,", "1979"] and cells[7] == "2017/153597"
        text = await open_record(window, "2017/153597")
        assert "DEVRAJ," in text and "Date of birth\n1979 (year only)" in text
        window.record_view.confirm_action.trigger()
        panel = window.confirmation_panel
        assert panel.lines["NIC"].text() == "2017/153597"
        assert panel.lines["NAM"].text() == "DEVRAJ,"
        assert panel.lines["DOB"].text() == ""  # a year is no date of birth to confirm
        panel.send_button.click()
        await wait_until(lambda: panel.countdown.property("state") == "answered")
        assert panel.countdown.text().startswith("NIC/2017/153597: CONFIRMED.")


async def test_no_record_names_what_was_searched(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await search_for(qtbot, window, "QWERTYZ, XAVER")
        assert window.results.summary.text() == (
            "IPQ NAM/QWERTYZ, XAVER: No record: no INTERPOL notice matches the name given."
        )

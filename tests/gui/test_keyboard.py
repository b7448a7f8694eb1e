"""Keyboard work: a key per panel, F1 field help, Esc, tab order, accessible names, and the
command line that completes keys and prefixes and hands a typed line to its panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.domain.codes import MessageKey
from console.gui.panels.command_line import completions
from console.gui.panels.form import QueryForm
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.windows import opened_window
from tests.helpers.network import ORI
from tests.helpers.waiting import wait_until

CONTROLS = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QAbstractItemView, QTextBrowser)


async def test_each_panel_has_its_key_and_f1_explains_the_focused_field(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        keys = [Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5]
        keys += [Qt.Key.Key_F6, Qt.Key.Key_F7]
        for key, panel in zip(keys, window.panels, strict=True):
            qtbot.keyClick(window, key)
            assert window.panel_tabs.currentWidget() is panel
            assert panel.fields[0].editor.hasFocus()
        qtbot.keyClick(window, Qt.Key.Key_F2)
        person = window.person_panel
        qtbot.keyClick(person.name_edit, Qt.Key.Key_Tab)
        assert person.dob_edit.hasFocus()
        qtbot.keyClick(person.dob_edit, Qt.Key.Key_F1)
        assert person.help_label.isVisible()
        assert person.help_label.text().startswith("DOB: CCYYMMDD")
        qtbot.keyClick(person.dob_edit, Qt.Key.Key_Tab)
        assert person.sex_combo.hasFocus()
        qtbot.keyClick(person.sex_combo, Qt.Key.Key_Tab)
        assert person.send_button.hasFocus()


async def test_every_control_has_an_accessible_name(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        unnamed = [
            f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}"
            for w in window.findChildren(QWidget)
            if isinstance(w, CONTROLS)
            and w.window() is window  # not the pop-up lists of combo boxes and completers
            and not isinstance(w.parent(), QComboBox | QAbstractItemView)  # their own parts
            and type(w).__name__ not in ("QToolButton", "QTabBar")  # labelled by their text
            and not w.objectName().startswith("qt_")
            and not w.accessibleName()
            and not (isinstance(w, QAbstractButton) and w.text())
        ]
        assert unnamed == []
        for panel in window.panels:
            assert isinstance(panel, QueryForm)
            for spec in panel.fields:
                assert spec.editor.accessibleName().endswith(f"({spec.prefix})")
                assert spec.editor.accessibleDescription() == spec.help


def test_completions_offer_keys_then_unused_prefixes() -> None:
    assert completions("IP", ORI) == [f"IPQ.{ORI}.IP.TXT "]
    assert f"YQ.{ORI}.DCINTER00.TXT " in completions("Y", ORI)
    assert completions(f"IPQ.{ORI}.IP.TXT", ORI) == [
        f"IPQ.{ORI}.IP.TXT NAM/",
        f"IPQ.{ORI}.IP.TXT DOB/",
        f"IPQ.{ORI}.IP.TXT SEX/",
    ]
    typed = f"IPQ.{ORI}.IP.TXT NAM/SMITH, JOHN.D"
    assert completions(typed, ORI) == [f"IPQ.{ORI}.IP.TXT NAM/SMITH, JOHN.DOB/"]
    assert completions(f"IPQ.{ORI}.IP.TXT NAM/SMI", ORI) == []  # a value is being typed
    assert completions(f"AM.{ORI}.DCINTER00.TXT ", ORI) == []  # free text


async def test_a_typed_line_fills_its_panel_and_is_sent(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    target = next(n for n in dataset if n.date_of_birth and n.forename)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        line = window.command_line
        assert line.edit.hasFocus()
        line.edit.setText(f"IPQ.{ORI}.IP.TXT NAM/{target.nam}.DOB/{target.dob_text}.")
        qtbot.keyClick(line.edit, Qt.Key.Key_Return)
        assert line.error_label.isVisible()
        assert "must not end with a period" in line.error_label.text()
        line.edit.setText(f"IPQ.{ORI}.IP.TXT NAM/{target.nam}.DOB/{target.dob_text}")
        qtbot.keyClick(line.edit, Qt.Key.Key_Return)
        assert not line.error_label.isVisible() and line.edit.text() == ""
        assert window.panel_tabs.currentWidget() is window.person_panel
        assert window.person_panel.name_edit.text() == target.nam
        await wait_until(lambda: window.candidates.rowCount() > 0)
        assert window.candidates.candidate(0).eid == target.eid

        line.edit.setText(f"FPQ.{ORI}.IP.TXT EID/{target.eid}")
        qtbot.keyClick(line.edit, Qt.Key.Key_Return)
        await wait_until(lambda: window.record_view.notice is not None)
        notice = window.record_view.notice
        assert notice is not None and notice.eid == target.eid
        qtbot.keyClick(line.edit, Qt.Key.Key_Up)
        assert line.edit.text().startswith("FPQ.")


async def test_a_line_for_another_ori_is_refused_inline(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        line = opened.window.command_line
        line.edit.setFocus()
        qtbot.keyClicks(line.edit, "IPQ.OR0120000.IP.TXT NAM/SMITH, JOHN")
        qtbot.keyClick(line.edit, Qt.Key.Key_Return)
        assert line.error_label.text().startswith(f"ORI: must be this terminal's ORI {ORI}")
        assert opened.window.panel_for(MessageKey.YQ) is opened.window.confirmation_panel
        assert QApplication.focusWidget() is line.edit

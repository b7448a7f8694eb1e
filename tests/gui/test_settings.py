"""The settings dialog on a real profile: a change saved to settings.toml and audited, a wrong
value named with its rule, PKI taken in, dark and light themes and text size applied at once."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.gui.shell.settings_dialog import SettingsDialog
from console.storage.settings import Profile
from console.transport.pki import init_pki, terminal_files
from tests.gui.looks import restored_look
from tests.gui.windows import Opened, opened_window
from tests.helpers.network import ORI, OTHER_ORI

__all__ = ["restored_look"]  # the fixture, used by name
CONTROLS = (QLineEdit, QComboBox, QDoubleSpinBox, QAbstractButton)


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


async def settings_audits(opened: Opened) -> list[str]:
    records = await opened.session.store.audit_records()
    return [r.obj for r in records if (r.event, r.outcome) == ("settings", "changed")]


def lightness(colour: QColor) -> float:
    return colour.lightnessF()


def edit(dialog: SettingsDialog, name: str, value: object) -> None:
    editor = dialog.edits[name]
    if isinstance(editor, QLineEdit):
        editor.setText(str(value))
    elif isinstance(editor, QDoubleSpinBox):
        editor.setValue(float(str(value)))
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(value))
    else:
        assert isinstance(editor, QAbstractButton)
        editor.setChecked(bool(value))


async def test_a_change_is_saved_audited_and_the_look_applies_at_once(
    qtbot: QtBot, profile: Profile, restored_look: object
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        before = profile.settings_path.read_text("utf-8")
        dialog = window.open_settings()
        assert dialog.isVisible() and isinstance(dialog, QDialog)
        edit(dialog, "person_cache_minutes", 5)
        edit(dialog, "theme", "dark")
        edit(dialog, "sounds", False)
        edit(dialog, "font_size", 14)
        await dialog.save()

        saved = tomllib.loads(profile.settings_path.read_text("utf-8"))
        assert saved != tomllib.loads(before)
        assert saved["person_cache_minutes"] == 5 and saved["theme"] == "dark"
        assert saved["sounds"] is False and saved["font_size"] == 14
        assert saved["ori"] == ORI  # what was not touched stays
        assert stat.S_IMODE(profile.settings_path.stat().st_mode) == 0o600
        assert profile.load() == window.settings
        audits = await settings_audits(opened)
        assert audits == ["person_cache_minutes, theme, sounds, font_size"]
        assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

        # applied: dark colours, larger text, no sound
        palette = window.palette()
        assert lightness(palette.color(QPalette.ColorRole.Window)) < 0.2
        assert lightness(palette.color(QPalette.ColorRole.WindowText)) > 0.8
        assert window.record_view.browser.font().pointSizeF() == 14
        assert window.person_panel.name_edit.font().pointSizeF() == 14
        assert window.tray.sounds is False


async def test_agency_terminal_switch_and_cache_lifetimes_are_saved_with_their_certificate(
    qtbot: QtBot, profile: Profile, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        dialog = opened.window.open_settings()
        edit(dialog, "ori", OTHER_ORI.lower())  # typed in lower case: stored as the ORI is
        edit(dialog, "terminal", "t02")
        edit(dialog, "switch", "[::1]:5400")
        edit(dialog, "pki", pki_dir)  # where 'pki init' issued that terminal's certificate
        edit(dialog, "cache_retention_days", 90)
        edit(dialog, "watch_minutes", 15)
        await dialog.save()
        assert not dialog.error_label.isVisible(), dialog.error_label.text()
        saved = tomllib.loads(profile.settings_path.read_text("utf-8"))
        assert (saved["ori"], saved["terminal"]) == (OTHER_ORI, "T02")
        assert (saved["switch_host"], saved["switch_port"]) == ("::1", 5400)
        assert (saved["cache_retention_days"], saved["watch_minutes"]) == (90, 15)
        taken = terminal_files(profile.pki_dir, OTHER_ORI, "T02")
        issued = terminal_files(pki_dir, OTHER_ORI, "T02")
        assert taken.cert.read_bytes() == issued.cert.read_bytes()
        assert await settings_audits(opened) == [
            "ori, terminal, switch_host, switch_port, cache_retention_days, watch_minutes, pki"
        ]


async def test_saving_nothing_changed_is_still_recorded(
    qtbot: QtBot, profile: Profile, restored_look: object
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        dialog = opened.window.open_settings()
        await dialog.save()
        assert await settings_audits(opened) == ["nothing"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ori", "WA03", "ORI: must be 9 letters or digits, starting with a 2-letter state code"),
        ("terminal", "T 01!", "terminal: must be 1-8 letters or digits (got 'T 01!')"),
        ("switch", "localhost", "switch address: must be HOST:PORT with a port of 0-65535"),
        ("switch", "localhost:99999", "switch address: must be HOST:PORT"),
        ("switch_name", " ", "switch_name: must name the switch's certificate"),
        ("pki", "EMPTY", "PKI folder: "),
    ],
)
async def test_a_wrong_value_names_the_field_and_rule_and_nothing_is_saved(
    qtbot: QtBot, profile: Profile, empty_folder: Path, name: str, value: str, message: str
) -> None:
    if value == "EMPTY":  # a folder without the terminal's certificate
        value = str(empty_folder)
    async with opened_window(qtbot, profile, linked=False) as opened:
        before = profile.settings_path.read_bytes()
        dialog = opened.window.open_settings()
        edit(dialog, "theme", "dark")  # a valid change beside the wrong one is not saved either
        edit(dialog, name, value)
        await dialog.save()
        assert dialog.error_label.isVisible()
        assert dialog.error_label.text().startswith(message)
        assert dialog.edits[name].hasFocus()  # the operator is taken to the field
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert profile.settings_path.read_bytes() == before
        assert await settings_audits(opened) == []
        assert opened.window.settings.theme == "light"


async def test_pki_from_another_folder_is_checked_and_copied_owner_only(
    qtbot: QtBot, profile: Profile, tmp_path: Path, restored_look: object
) -> None:
    other = tmp_path / "issued"
    issued = init_pki(other, ORI, "T01")
    async with opened_window(qtbot, profile, linked=False) as opened:
        dialog = opened.window.open_settings()
        assert dialog.pki_edit.text() == str(profile.pki_dir)
        edit(dialog, "pki", other)
        await dialog.save()
        assert not dialog.error_label.isVisible()
        taken = terminal_files(profile.pki_dir, ORI, "T01")
        for mine, theirs in ((taken.cert, issued.cert), (taken.key, issued.key)):
            assert mine.read_bytes() == theirs.read_bytes()
            assert stat.S_IMODE(mine.stat().st_mode) == 0o600
        assert taken.ca.read_bytes() == issued.ca.read_bytes()
        assert await settings_audits(opened) == ["pki"]


async def test_every_settings_control_is_named_and_explained(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        dialog = opened.window.open_settings()
        unnamed = [
            f"{type(w).__name__} {w.objectName()!r}"
            for w in dialog.findChildren(QWidget)
            if isinstance(w, CONTROLS)
            and not w.objectName().startswith("qt_")  # a spin box's own line edit
            and not isinstance(w.parent(), QComboBox)
            and not w.accessibleName()
        ]
        assert unnamed == []
        for name, editor in dialog.edits.items():  # the schema's help, read out and hovered
            assert editor.accessibleDescription() and editor.toolTip(), name
        spin = dialog.edits["font_size"]
        assert isinstance(spin, QDoubleSpinBox)
        assert (spin.minimum(), spin.maximum()) == (8.0, 24.0)
        dialog.reject()


async def test_never_locking_needs_a_secure_location(qtbot: QtBot, profile: Profile) -> None:
    """The fixture's terminal is in a secure location: 0 is allowed; outside one it is not."""
    async with opened_window(qtbot, profile, linked=False) as opened:
        dialog = opened.window.open_settings()
        edit(dialog, "lock_minutes", "0")
        await dialog.save()
        assert not dialog.error_label.isVisible() and profile.load().lock_minutes == 0
        dialog = opened.window.open_settings()
        edit(dialog, "secure_location", False)
        await dialog.save()
        assert dialog.error_label.text().startswith(
            "lock_minutes: 0 (never lock) needs secure_location = true"
        )
        assert profile.load().secure_location

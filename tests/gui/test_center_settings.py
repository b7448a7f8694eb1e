"""The settings dialog at a position of a centre: the agency's settings marked and saved at
the centre; the idle lock turned off for the agency, or any change with the centre away,
refused in the dialog and nothing saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.center.connection import CenterAddress
from console.center.position import CenterLink
from tests.center.account_centre import SUPERVISOR, SUPERVISOR_SECRET, join, make_centre
from tests.gui.test_settings import edit
from tests.gui.windows import opened_window
from tests.helpers.center import as_superuser
from tests.helpers.postgres import CenterDatabase


async def test_the_agency_settings_are_marked_and_saved_at_the_centre(
    qtbot: QtBot, center_db: CenterDatabase, tmp_path: Path, pki_dir: Path
) -> None:
    centre = make_centre(center_db)
    profile = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    async with opened_window(
        qtbot, profile, linked=False, operator=SUPERVISOR, secret=SUPERVISOR_SECRET
    ) as opened:
        dialog = opened.window.open_settings()
        form_text = [w.text() for w in dialog.findChildren(QLabel)]
        assert any(t == "Lock minutes (agency)" for t in form_text)
        assert not any(t.startswith("Theme (") for t in form_text)
        assert "saved at the dispatch centre" in dialog.note.text()
        edit(dialog, "lock_minutes", 6)
        await dialog.save()
        assert not dialog.isVisible()
        keys = as_superuser(center_db, "SELECT key FROM center_setting")
        assert keys == [("agency",)] and profile.load().lock_minutes == 6

        dialog = opened.window.open_settings()  # this position is in a secure location
        edit(dialog, "lock_minutes", 0)
        await dialog.save()
        assert dialog.isVisible() and dialog.error_label.isVisible()
        said = dialog.error_label.text()
        assert said.startswith("lock_minutes: 0 (never lock) needs secure_location = true")
        assert "every position" in said and profile.load().lock_minutes == 6
        dialog.close()

        settings_file = opened.session.settings_file
        assert settings_file is not None
        away = CenterAddress.parse(f"postgresql://u@127.0.0.1:1/{center_db.name}")
        settings_file.center = CenterLink.of(away, "pw")  # nothing listens on port 1
        before = profile.load()
        dialog = opened.window.open_settings()
        edit(dialog, "lock_minutes", 9)
        await dialog.save()
        assert dialog.isVisible() and dialog.error_label.isVisible()
        said = dialog.error_label.text()
        assert "lock_minutes" in said and "centre" in said and "nothing was saved" in said
        assert profile.load() == before

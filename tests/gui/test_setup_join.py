"""The first-run wizard's other way: a position joining a dispatch centre on the real
PostgreSQL, with the centre's supervisor letting it in; a PC alone never sees the centre."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from console.broker.session import log_on
from console.gui.setup.setup_wizard import SetupWizard, open_setup_wizard
from console.storage.settings import Profile
from console.transport.pki import terminal_files
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    make_centre,
)
from tests.helpers.network import ORI
from tests.helpers.postgres import CenterDatabase


@pytest.fixture(autouse=True)
def stays_without_windows(qapp: QApplication) -> Iterator[None]:
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(True)


def _bundle(tmp_path: Path, pki_dir: Path) -> Path:
    folder = tmp_path / "from the agency"
    folder.mkdir()
    issued = terminal_files(pki_dir, ORI, "T01")
    for path in (issued.ca, issued.cert, issued.key):
        shutil.copyfile(path, folder / path.name)
    return folder


def _enter(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Return)


def test_a_pc_alone_never_sees_the_centre_fields(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = open_setup_wizard(tmp_path / "profile")
    qtbot.addWidget(wizard)
    choice = wizard.welcome.center
    assert choice.alone.isChecked() and not choice.url.edit.isVisible()
    assert wizard.welcome.isComplete()
    choice.join.click()
    assert choice.url.edit.isVisible() and choice.password.edit.isVisible()
    assert not wizard.welcome.isComplete()  # a centre needs its address and password
    qtbot.keyClicks(choice.url.edit, "mysql://somewhere/else")
    assert "must start with postgresql://" in choice.url.error.text()
    choice.alone.click()
    assert wizard.welcome.isComplete() and not choice.url.edit.isVisible()


async def test_the_wizard_joins_a_centre_whose_supervisor_lets_it_in(
    qtbot: QtBot, tmp_path: Path, pki_dir: Path, center_db: CenterDatabase
) -> None:
    centre = make_centre(center_db)
    profile_dir = tmp_path / "profile"
    wizard = open_setup_wizard(profile_dir)
    qtbot.addWidget(wizard)
    created: list[tuple[Profile, str]] = []
    wizard.created.connect(lambda profile, operator: created.append((profile, operator)))
    choice = wizard.welcome.center
    choice.join.click()
    qtbot.keyClicks(choice.url.edit, centre.url)
    choice.workstation.edit.clear()
    qtbot.keyClicks(choice.workstation.edit, "DESK-3")
    qtbot.keyClicks(choice.password.edit, ROLE_PASSWORD)
    assert wizard.welcome.isComplete(), [line.error.text() for line in choice.lines]
    wizard.next()
    qtbot.keyClicks(wizard.agency.ori.edit, ORI)
    _enter(qtbot, wizard)
    qtbot.keyClicks(wizard.switch.address.edit, "127.0.0.1:5400")
    _enter(qtbot, wizard)
    qtbot.keyClicks(wizard.pki.folder, str(_bundle(tmp_path, pki_dir)))
    _enter(qtbot, wizard)
    page = wizard.operator
    assert wizard.currentPage() is page and page.title() == "The centre's supervisor"
    assert not page.repeat.edit.isVisible()  # an existing password: no repeat
    qtbot.keyClicks(page.operator.edit, SUPERVISOR)
    qtbot.keyClicks(page.password.edit, SUPERVISOR_SECRET)
    _enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary
    summary = wizard.summary.summary.text()
    assert "this position DESK-3; let in by the centre's supervisor SUP1" in summary
    assert f"--center {centre.url} --workstation DESK-3" in wizard.summary.twin.toPlainText()
    _enter(qtbot, wizard)
    task = wizard.creating
    assert task is not None
    await task
    assert wizard.result() == QWizard.DialogCode.Accepted, wizard.summary.error.text()
    profile = Profile(profile_dir)
    assert created == [(profile, SUPERVISOR)]
    assert choice.password.text == "" and page.password.text == ""
    assert (profile_dir / "center.secret").read_text() == ROLE_PASSWORD
    assert profile.load().workstation == "DESK-3"
    joined = "SELECT count(*) FROM center_position WHERE workstation = 'DESK-3'"
    assert centre.scalar(joined) == 1
    store, access = await log_on(profile, SUPERVISOR, SUPERVISOR_SECRET)
    await store.close()
    assert access.center is not None and access.center.offline is None
    await access.center.log_off()


def test_joining_grows_the_wizard_so_no_rule_is_cut_on_a_small_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = open_setup_wizard(tmp_path / "position")
    qtbot.addWidget(wizard)
    wizard.setGeometry(wizard.screen().availableGeometry().x(), 0, 720, 560)
    qtbot.waitExposed(wizard)
    wizard.center.join.setChecked(True)
    screen = wizard.screen().availableGeometry()
    assert wizard.frameGeometry().height() <= screen.height()  # grown within the screen
    rules = [line.rule for line in wizard.center.lines]

    def whole() -> bool:
        # each rule has the height of all its wrapped lines, none squeezed under its field
        return all(rule.height() >= rule.heightForWidth(rule.width()) for rule in rules)

    qtbot.waitUntil(whole)

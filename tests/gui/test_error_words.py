"""Errors read the same everywhere: the field named, the rule said, in the error colour, through
the one presenter: the setup wizard's lines, enrollment, the lock screen and the logon."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from console.broker.session import Session, init_profile
from console.domain import fields
from console.domain.errors import ConsoleError, FieldError
from console.gui.access.device_lock import DeviceLock
from console.gui.access.enrollment import EnrollmentWindow
from console.gui.access.logon import LogonWindow
from console.gui.base.presenter import error_text
from console.gui.setup.setup_wizard import open_setup_wizard
from console.gui.shell.theme import PALETTES, apply_theme
from console.storage import otp
from console.storage.settings import Profile, Settings
from tests.gui.looks import restored_look
from tests.helpers.network import OPERATOR, ORI, SECRET, RunningSwitch

__all__ = ["restored_look"]  # the fixture, used by name
ERROR = QColor(PALETTES["light"]["error"])


def ink(widget: QLabel) -> QColor:
    return widget.palette().color(QPalette.ColorRole.WindowText)


@pytest.fixture
def themed(restored_look: QApplication) -> QApplication:
    apply_theme(restored_look, "light", 10.5)
    return restored_look


@pytest.fixture
async def enrolled(tmp_path: Path, pki_dir: Path, switch: RunningSwitch) -> AsyncIterator[Session]:
    """OPR1 on a profile outside a secure location, enrolled for one-time codes."""
    profile = Profile(tmp_path / "live")
    settings = Settings(ori=ORI, terminal="T01", switch_host=switch.host, switch_port=switch.port)
    await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    session = await Session.open(profile, OPERATOR, SECRET, watch=False)
    secret = otp.new_secret()
    await session.enroll(secret, otp.code_at(secret, time.time()))
    try:
        yield session
    finally:
        await session.close()


def test_a_setup_line_says_its_error_in_the_presenters_words(
    qtbot: QtBot, tmp_path: Path, themed: QApplication
) -> None:
    wizard = open_setup_wizard(tmp_path / "profile")
    qtbot.addWidget(wizard)
    wizard.next()
    ori = wizard.agency.ori
    qtbot.keyClicks(ori.edit, "WA03")
    with pytest.raises(FieldError) as refused:
        fields.ori("WA03")
    assert ori.error.text() == error_text("", refused.value)
    assert ori.error.text().startswith("ORI: must be 9 letters or digits")
    assert ori.error.isVisible() and ink(ori.error) == ERROR


async def test_enrollment_names_the_code_field_and_says_each_refusal_as_it_is(
    qtbot: QtBot, enrolled: Session, themed: QApplication
) -> None:
    window = EnrollmentWindow(enrolled.enroll, operator=OPERATOR, ori=ORI)
    qtbot.addWidget(window)
    window.show()
    await window.submit()  # nothing typed
    said = window.error_label
    assert said.text() == "one-time code: must be the 6 digits your authenticator app shows now"
    assert said.isVisible() and ink(said) == ERROR
    qtbot.keyClicks(window.code_edit, otp.code_at(window.secret, time.time() - 3600))
    await window.submit()  # an old code: the store's own refusal, in the presenter's words
    assert (
        said.text()
        == "Not enrolled: wrong one-time code (or one already used): enter the current one"
    )
    explain = window.findChild(QLabel, "enrollExplain")
    assert explain is not None and "phone's clock" in explain.text()  # the hint stays

    async def full_disk(secret: bytes, code: str) -> None:
        raise ConsoleError("no space left on the disk of console.db (12 KB free)")

    other = EnrollmentWindow(full_disk, operator=OPERATOR, ori=ORI)
    qtbot.addWidget(other)
    qtbot.keyClicks(other.code_edit, "123456")
    await other.submit()  # not a wrong code: never said to be one
    assert other.error_label.text() == (
        "Not enrolled: no space left on the disk of console.db (12 KB free)"
    )


async def test_the_lock_screen_names_an_empty_field_and_spends_no_attempt_on_it(
    qtbot: QtBot, enrolled: Session, themed: QApplication
) -> None:
    device_lock = DeviceLock(
        enrolled.authenticate,
        operator=OPERATOR,
        codes=lambda: enrolled.uses_codes,
        idle_minutes=0,
        expired=lambda: False,
        audit=lambda outcome, reason: enrolled.store.audit("device", outcome, reason),
    )
    screen = device_lock.screen
    try:
        device_lock.lock("a test")
        assert screen.form.isRowVisible(screen.code_edit)  # enrolled: a code is asked for
        screen.unlock_button.click()
        assert screen.error_label.text() == "password: must be given to unlock"
        assert screen.error_label.isVisible() and ink(screen.error_label) == ERROR
        screen.password_edit.setText(SECRET)
        screen.unlock_button.click()  # Enter before the code was typed
        assert screen.error_label.text() == (
            "one-time code: must be given to unlock: the 6 digits your authenticator app shows"
        )
        account = await enrolled.store.accounts.get(OPERATOR)
        assert account is not None and account.failed_count == 0  # no attempt spent
        assert device_lock.is_locked
    finally:
        device_lock.stop()


async def test_the_logon_names_the_empty_field(qtbot: QtBot, themed: QApplication) -> None:
    async def opener(operator: str, password: str, code: str | None) -> Session:
        raise AssertionError("nothing is opened without a password")

    window = LogonWindow(opener, agency=f"{ORI}, terminal T01", operator=OPERATOR)
    qtbot.addWidget(window)
    window.show()
    window.acknowledge()
    await window.submit()
    assert window.error_label.text() == "password: must be given to log on"
    assert window.error_label.isVisible() and ink(window.error_label) == ERROR

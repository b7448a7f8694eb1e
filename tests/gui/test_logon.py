"""The use notice and logon window on a real profile: refusals, lockout and release,
enrollment for one-time codes and logons with them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.broker.session import Session, init_profile
from console.domain.access import USE_NOTICE
from console.gui.access.enrollment import EnrollmentWindow
from console.gui.access.logon import LogonWindow
from console.storage import otp
from console.storage.errors import LOGON_REFUSED
from console.storage.settings import Profile, Settings
from tests.helpers.network import OPERATOR, ORI, SECRET, RunningSwitch
from tests.helpers.waiting import wait_until

SECOND = "OPR2"
SECOND_SECRET = "the night shift starts at six"


class Opened:
    """What the logon window opened, kept so the test can close it."""

    def __init__(self) -> None:
        self.sessions: list[Session] = []

    async def close(self) -> None:
        for session in self.sessions:
            await session.close()


@pytest.fixture
async def opened() -> AsyncIterator[Opened]:
    kept = Opened()
    try:
        yield kept
    finally:
        await kept.close()


def logon_window(qtbot: QtBot, profile: Profile, opened: Opened) -> LogonWindow:
    async def opener(operator: str, password: str, code: str | None) -> Session:
        session = await Session.open(profile, operator, password, code=code, watch=False)
        opened.sessions.append(session)
        return session

    window = LogonWindow(opener, agency=f"{ORI}, terminal T01")
    qtbot.addWidget(window)
    window.show()
    return window


async def log_on(
    qtbot: QtBot, window: LogonWindow, operator: str, password: str, code: str = ""
) -> None:
    for edit, text in (
        (window.operator_edit, operator),
        (window.password_edit, password),
        (window.code_edit, code),
    ):
        edit.clear()
        qtbot.keyClicks(edit, text)
    window.error_label.setVisible(False)  # the outcome shows anew; the test waits for it
    qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)


async def test_the_notice_comes_first_and_a_wrong_password_is_refused(
    qtbot: QtBot, profile: Profile, opened: Opened
) -> None:
    window = logon_window(qtbot, profile, opened)
    assert window.pages.currentIndex() == 0 and window.notice.text() == USE_NOTICE
    assert "monitored, recorded and audited" in window.notice.text()
    await window.submit()  # nothing is tried before the notice is acknowledged
    assert not opened.sessions and not window.error_label.isVisible()
    qtbot.mouseClick(window.accept_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == 1
    await log_on(qtbot, window, OPERATOR, "not the password")
    await wait_until(lambda: window.error_label.isVisible())
    assert window.error_label.text() == LOGON_REFUSED
    assert window.password_edit.text() == ""  # never left lying in the window
    logged: list[object] = []
    window.logged_on.connect(logged.append)
    await log_on(qtbot, window, OPERATOR, SECRET)
    await wait_until(lambda: bool(logged))
    assert isinstance(logged[0], Session) and logged[0].operator == OPERATOR
    records = await logged[0].store.audit_records()
    failed = [r for r in records if (r.event, r.outcome) == ("logon", "failure: wrong password")]
    assert len(failed) == 1 and failed[0].operator == OPERATOR


async def test_lockout_in_the_window_and_release_by_a_supervisor(
    qtbot: QtBot, profile: Profile, opened: Opened
) -> None:
    supervisor = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        await supervisor.accounts.add(SECOND, SECOND_SECRET)
    finally:
        await supervisor.close()
    window = logon_window(qtbot, profile, opened)
    window.acknowledge()
    for attempt in range(5):
        await log_on(qtbot, window, SECOND, f"guess number {attempt}")
        await wait_until(window.error_label.isVisible)
    # the same words as for an unknown id: the lock does not say the id is real
    assert window.error_label.text().endswith(LOGON_REFUSED)
    await log_on(qtbot, window, SECOND, SECOND_SECRET)
    await wait_until(lambda: LOGON_REFUSED in window.error_label.text())

    supervisor = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        locked = {a.operator: a.locked for a in await supervisor.accounts.list()}
        assert locked == {OPERATOR: False, SECOND: True}
        await supervisor.accounts.release(SECOND)
    finally:
        await supervisor.close()
    logged: list[object] = []
    window.logged_on.connect(logged.append)
    await log_on(qtbot, window, SECOND, SECOND_SECRET)
    await wait_until(lambda: bool(logged))


@pytest.fixture
async def live_profile(tmp_path: Path, pki_dir: Path, switch: RunningSwitch) -> Profile:
    """A profile outside a secure location: its operators must use one-time codes."""
    profile = Profile(tmp_path / "live")
    settings = Settings(ori=ORI, terminal="T01", switch_host=switch.host, switch_port=switch.port)
    await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    return profile


async def test_enrollment_then_every_logon_needs_a_code(
    qtbot: QtBot, live_profile: Profile, opened: Opened
) -> None:
    window = logon_window(qtbot, live_profile, opened)
    window.acknowledge()
    logged: list[Session] = []
    window.logged_on.connect(logged.append)
    await log_on(qtbot, window, OPERATOR, SECRET)
    await wait_until(lambda: bool(logged))
    session = logged.pop()
    assert session.access.needs_enrollment  # no query before the codes are set up

    enrollment = EnrollmentWindow(session.enroll, operator=OPERATOR, ori=ORI)
    qtbot.addWidget(enrollment)
    enrollment.show()
    assert not enrollment.qr.pixmap().isNull() and enrollment.qr.pixmap().width() > 100
    typed_key = "".join(enrollment.key.text().split())
    assert otp.secret_text(enrollment.secret).replace(" ", "") == typed_key
    done: list[bool] = []
    enrollment.enrolled.connect(lambda: done.append(True))
    qtbot.keyClicks(enrollment.code_edit, otp.code_at(enrollment.secret, time.time() - 3600))
    await enrollment.submit()
    assert enrollment.error_label.isVisible() and not done
    qtbot.keyClicks(enrollment.code_edit, otp.code_at(enrollment.secret, time.time()))
    await enrollment.submit()
    assert done and not session.access.needs_enrollment
    assert session.uses_codes  # the lock screen now asks for a code too

    await log_on(qtbot, window, OPERATOR, SECRET)  # no code
    await wait_until(lambda: "one-time code" in window.error_label.text())
    next_code = otp.code_at(enrollment.secret, time.time() + otp.PERIOD)
    await log_on(qtbot, window, OPERATOR, SECRET, next_code)
    await wait_until(lambda: bool(logged))
    assert logged[0].store.account is not None and logged[0].store.account.enrolled


async def test_closing_the_enrollment_window_is_logging_off(qtbot: QtBot) -> None:
    async def enroll(secret: bytes, code: str) -> None:
        raise AssertionError("nothing is enrolled by closing the window")

    window = EnrollmentWindow(enroll, operator=OPERATOR, ori=ORI)
    qtbot.addWidget(window)
    window.show()
    left: list[bool] = []
    window.logoff_requested.connect(lambda: left.append(True))
    window.close()
    assert left == [True]

"""The lock screen as an operator meets it at night: the keyboard back where it was after
unlocking, the attempts left before the account locks, a demo password one can read."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.app import DemoNetwork
from console.gui.access.device_lock import LockScreen
from console.gui.shell.composition import guard
from console.storage.errors import LOGON_REFUSED
from console.storage.settings import Profile
from tests.gui.windows import opened_window
from tests.helpers.network import SECRET
from tests.helpers.waiting import wait_until

AMBIGUOUS = set("O0QDIL1S5Z2B8G6")  # pairs a tired reader confuses (D and 0 too)


async def test_after_unlocking_the_keyboard_is_back_in_the_field_it_left(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        device_lock = guard(window, opened.session)
        try:
            # another window of the console open beside it (shown again at unlock too)
            review = window.supervisor.open_audit_review()
            await wait_until(review.isVisible)
            # its opening read and chain check done: none is left running when the session ends
            await wait_until(lambda: review.chain_label.text().startswith("Audit chain"))
            name = window.person_panel.name_edit
            window.activateWindow()
            await wait_until(window.isActiveWindow)
            name.setFocus()
            qtbot.keyClicks(name, "SMITH, JO")
            await wait_until(lambda: QApplication.focusWidget() is name)
            qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
            assert device_lock.is_locked
            screen = device_lock.screen
            await wait_until(screen.password_edit.hasFocus)
            screen.password_edit.setText(SECRET)
            screen.unlock_button.click()
            await wait_until(lambda: not device_lock.is_locked)
            # active and focused again without a click: the next key goes on with the name
            await wait_until(
                lambda: (
                    QApplication.activeWindow() is window and QApplication.focusWidget() is name
                ),
                timeout=3,
            )
            qtbot.keyClicks(QApplication.focusWidget(), "HN")
            assert name.text() == "SMITH, JOHN"
        finally:
            device_lock.stop()


async def test_a_wrong_entry_says_how_many_attempts_are_left(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        device_lock = guard(opened.window, opened.session)
        screen = device_lock.screen
        try:
            device_lock.lock("a test")
            said = []
            for attempt in range(3):
                screen.error_label.setVisible(False)
                screen.password_edit.setText(f"guess {attempt}")
                screen.unlock_button.click()
                await wait_until(screen.error_label.isVisible)
                said.append(screen.error_label.text())
            assert [re.sub(r".*: ", "", text) for text in said] == [
                "4 attempts left before the account locks",
                "3 attempts left before the account locks",
                "2 attempts left before the account locks",
            ]
            assert all("wrong operator id or password" in text for text in said)
            screen.error_label.setVisible(False)
            screen.password_edit.setText(SECRET)  # the right one starts the count afresh
            screen.unlock_button.click()
            await wait_until(lambda: not device_lock.is_locked)
            device_lock.lock("again")
            screen.password_edit.setText("one more guess")
            screen.unlock_button.click()
            await wait_until(screen.error_label.isVisible)
            assert screen.error_label.text().endswith("4 attempts left before the account locks")
        finally:
            device_lock.stop()


def test_the_demo_password_is_readable_and_shown_whole(qtbot: QtBot, tmp_path: Path) -> None:
    secrets = {DemoNetwork(tmp_path / str(n)).secret for n in range(20)}
    assert len(secrets) == 20  # random, each demo its own
    for secret in secrets:
        assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", secret), secret
        assert not AMBIGUOUS & set(secret.replace("-", ""))
    secret = next(iter(secrets))
    screen = LockScreen("DEMO", codes=False, demo=True, hint=f"Demo: the password is {secret}")
    qtbot.addWidget(screen)
    screen.resize(720, 480)
    screen.show()
    qtbot.waitExposed(screen)
    hint = screen.hint
    assert secret in hint.text() and hint.isVisible()
    # not clipped: the label has the height its wrapped lines need, descenders and all
    assert hint.height() >= hint.heightForWidth(hint.width())
    assert hint.height() >= hint.fontMetrics().height()


def test_a_long_refusal_is_shown_whole_on_a_small_screen(qtbot: QtBot) -> None:
    screen = LockScreen("DEMO", codes=True, demo=True, hint="Demo: the password is ABCD-EFGH")
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    refusal = LOGON_REFUSED + ": 4 attempts left before the account locks"
    screen.refused(refusal)
    error = screen.error_label
    # laid out again for the refusal's wrapped lines: every one of them has its height
    qtbot.waitUntil(lambda: error.height() >= error.heightForWidth(error.width()))
    assert error.heightForWidth(error.width()) > 3 * error.fontMetrics().lineSpacing()
    assert error.text() == refusal

"""Operator accounts on a real session: the Supervisor menu for a supervisor only (and the
desks refusing an operator whatever the GUI shows), a weak password named with its rule, a
lockout released in the window, disable/enable, roles, one-time codes, the last supervisor."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.broker.session import log_on
from console.domain.access import MAX_FAILURES, NotPermitted, Role
from console.gui.shell.main_window import MainWindow
from console.gui.supervisor.account_model import AccountModel
from console.gui.supervisor.accounts_window import AccountsWindow
from console.storage import Store, WrongSecret, otp
from console.storage.accounts import Account
from console.storage.errors import AccountDisabled, AccountLocked
from console.storage.settings import Profile
from tests.gui.windows import Opened, audit_events, opened_window
from tests.helpers.network import ORI, SECRET
from tests.helpers.waiting import wait_until

OTHER = "OPR2"
OTHER_SECRET = "amber kettle quietly forgets"
NEW_SECRET = "violet harbour ninety lanterns"
CONTROLS = (QLineEdit, QComboBox, QAbstractButton, QAbstractItemView)


async def open_store(profile: Profile, operator: str, secret: str) -> Store:
    return await Store.open(
        profile.database_path, operator, secret, workstation="DISPATCH-09", ori=ORI
    )


async def opens(profile: Profile, operator: str, secret: str) -> bool:
    store = await open_store(profile, operator, secret)
    await store.close()
    return True


async def opened_accounts(opened: Opened) -> AccountsWindow:
    window = opened.window.supervisor.open_accounts()
    await wait_until(lambda: window.model.rowCount() > 0)
    return window


def account(window: AccountsWindow, operator: str) -> Account:
    row = window.model.row_of(operator)
    assert row is not None, operator
    return window.model.account(row)


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


async def add_other(window: AccountsWindow, role: Role = Role.OPERATOR) -> None:
    window.new_id_edit.setText(OTHER)
    window.new_role_combo.setCurrentIndex(window.new_role_combo.findData(role.value))
    window.add_pair.first.setText(OTHER_SECRET)
    window.add_pair.second.setText(OTHER_SECRET)
    await window.add_account()


async def test_a_supervisor_gets_the_supervisor_menu(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        assert "&Supervisor" in menu_titles(opened.window)
        menu = next(
            a.menu() for a in opened.window.menuBar().actions() if a.text() == "&Supervisor"
        )
        assert isinstance(menu, QMenu)
        items = {action.text(): action for action in menu.actions()}
        assert set(items) == {"&Audit review…", "Operator &accounts…"}
        items["Operator &accounts…"].trigger()
        window = opened.window.supervisor.accounts_window
        assert window is not None and window.isWindow() and window.isVisible()
        await wait_until(lambda: window.model.rowCount() == 1)
        assert window.model.index(0, 0).data() == "OPR1"
        assert [window.model.index(0, c).data() for c in range(1, 5)] == [
            "supervisor",
            "active",
            "",
            "none",
        ]
        assert window.model.index(0, 5).data() == f"{datetime.now(UTC):%Y-%m-%d}"


async def test_an_operator_gets_no_supervisor_menu_and_the_desks_refuse(
    qtbot: QtBot, profile: Profile
) -> None:
    store, _ = await log_on(profile, "OPR1", SECRET)
    try:
        await store.accounts.add(OTHER, OTHER_SECRET, Role.OPERATOR)
    finally:
        await store.close()
    async with opened_window(
        qtbot, profile, linked=False, operator=OTHER, secret=OTHER_SECRET
    ) as opened:
        assert "&Supervisor" not in menu_titles(opened.window)
        session = opened.session
        with pytest.raises(NotPermitted, match="may not manage operator accounts"):
            await session.accounts.list()
        with pytest.raises(NotPermitted):
            await session.accounts.release("OPR1")
        with pytest.raises(NotPermitted, match="may not review and export the audit trail"):
            await session.audit_review.records()
        with pytest.raises(NotPermitted):
            await session.audit_review.chain()
        # the window opened anyway (a menu that forgot to hide) gets nothing from the desk
        window = opened.window.supervisor.open_accounts()
        await wait_until(lambda: "could not be read" in window.status.text())
        assert "may not manage operator accounts" in window.status.text()
        assert window.model.rowCount() == 0


async def test_adding_with_a_weak_password_names_the_rule(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = await opened_accounts(opened)
        window.new_id_edit.setText(OTHER)
        for first, second, shown in (
            ("abc", "abc", "password: must be at least 8 characters"),
            ("password1", "password1", "password: is on the list of common or leaked passwords"),
            (OTHER_SECRET, OTHER_SECRET + "x", "password: must be typed the same twice"),
        ):
            window.add_pair.first.setText(first)
            window.add_pair.second.setText(second)
            await window.add_account()
            assert window.add_error.isVisible() and window.add_error.text() == shown
            assert window.model.rowCount() == 1
        window.new_id_edit.setText("bad id!")
        window.add_pair.second.setText(OTHER_SECRET)
        await window.add_account()
        assert window.add_error.text().startswith("operator: must be 1-20 letters")

        await add_other(window)
        assert not window.add_error.isVisible()
        assert window.status.text() == f"Added {OTHER} as operator."
        assert account(window, OTHER).role is Role.OPERATOR and account(window, OTHER).active
        assert window.selected() == account(window, OTHER)
        assert window.new_id_edit.text() == window.add_pair.first.text() == ""
        assert ("account", "added operator") in await audit_events(opened)
        assert await opens(profile, OTHER, OTHER_SECRET)


async def test_a_lockout_is_released_in_the_window(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = await opened_accounts(opened)
        await add_other(window)
        for attempt in range(1, MAX_FAILURES + 1):
            expected = AccountLocked if attempt == MAX_FAILURES else WrongSecret
            with pytest.raises(expected):
                await open_store(profile, OTHER, f"wrong guess number {attempt}")
        with pytest.raises(AccountLocked):
            await open_store(profile, OTHER, OTHER_SECRET)

        await window.load()  # locked elsewhere: the window shows it when read again
        window.select(OTHER)
        assert window.model.index(window.model.row_of(OTHER) or 0, 3).data().startswith("LOCKED")
        assert window.release_button.isEnabled()
        await window.release_selected()
        assert window.status.text() == f"{OTHER} released from the lock."
        assert not account(window, OTHER).locked and not window.release_button.isEnabled()
        assert await opens(profile, OTHER, OTHER_SECRET)
        assert ("account", "released from lock") in await audit_events(opened)


async def test_disable_enable_role_codes_and_reset(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = await opened_accounts(opened)
        await add_other(window)
        await window.disable_selected()
        assert not account(window, OTHER).active and window.enable_button.isEnabled()
        with pytest.raises(AccountDisabled):
            await open_store(profile, OTHER, OTHER_SECRET)
        await window.enable_selected()
        assert account(window, OTHER).active and await opens(profile, OTHER, OTHER_SECRET)

        window.role_combo.setCurrentIndex(window.role_combo.findData(Role.SUPERVISOR.value))
        await window.change_role()
        assert account(window, OTHER).role is Role.SUPERVISOR
        assert window.status.text() == f"{OTHER} is now supervisor."

        store = await open_store(profile, OTHER, OTHER_SECRET)  # OPR2 enrolls an authenticator
        secret = otp.new_secret()
        try:
            await store.accounts.enroll(secret, otp.code_at(secret, time.time()))
        finally:
            await store.close()
        await window.load()
        assert account(window, OTHER).enrolled and window.withdraw_button.isEnabled()
        await window.withdraw_selected()
        assert not account(window, OTHER).enrolled and await opens(profile, OTHER, OTHER_SECRET)

        window.reset_pair.first.setText("short")
        window.reset_pair.second.setText("short")
        await window.reset_selected()
        assert window.error_label.text() == "password: must be at least 8 characters"
        window.reset_pair.first.setText(NEW_SECRET)
        window.reset_pair.second.setText(NEW_SECRET)
        await window.reset_selected()
        assert not window.error_label.isVisible() and window.reset_pair.first.text() == ""
        assert await opens(profile, OTHER, NEW_SECRET)
        events = await audit_events(opened)
        for outcome in ("disabled", "enabled", "one-time codes withdrawn", "password reset"):
            assert ("account", outcome) in events


async def test_the_last_supervisor_stays(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = await opened_accounts(opened)
        window.select("OPR1")
        await window.disable_selected()
        refusal = "OPR1 is the last active supervisor: add another first"
        assert window.error_label.isVisible() and window.error_label.text() == refusal
        window.role_combo.setCurrentIndex(window.role_combo.findData(Role.OPERATOR.value))
        await window.change_role()
        assert window.error_label.text() == refusal
        assert account(window, "OPR1").active and account(window, "OPR1").role is Role.SUPERVISOR


async def test_every_accounts_control_has_an_accessible_name(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = await opened_accounts(opened)
        unnamed = [
            f"{type(w).__name__} {w.objectName()!r}"
            for w in window.findChildren(QWidget)
            if isinstance(w, CONTROLS)
            and w.window() is window
            and not isinstance(w.parent(), QComboBox | QAbstractItemView)
            and not w.objectName().startswith("qt_")
            and not w.accessibleName()
        ]
        assert unnamed == []
        assert opened.window.supervisor.open_accounts() is window  # raised, not doubled


def test_account_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    at = datetime(2025, 3, 17, 9, 41, tzinfo=UTC)
    model = AccountModel()
    qtmodeltester.check(model)
    model.set_accounts(
        [
            Account("OPR2", Role.OPERATOR, False, at, at, True, 0, 5, at, at),
            Account("OPR1", Role.SUPERVISOR, True, at, at, False, 0, 0, None, None),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(1, c).data() for c in range(6)] == [
        "OPR2",
        "operator",
        "disabled",
        "LOCKED since 2025-03-17 09:41 UTC",
        "enrolled",
        "2025-03-17",
    ]

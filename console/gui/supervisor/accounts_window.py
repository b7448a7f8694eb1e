"""Operator accounts for supervisors (AC-2): the table of accounts and what a supervisor does
to one: add, reset the password, release a lock, disable or enable, change the role, withdraw
one-time codes. The desk checks the role and the password rules; this window shows the result."""

from __future__ import annotations

from collections.abc import Awaitable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.accounts import Account
from console.domain.access import Role
from console.domain.errors import ConsoleError, FieldError
from console.gui.base.ports import AccountManager
from console.gui.base.presenter import present
from console.gui.base.widgets import caption_for, label, named, read_only_table
from console.gui.supervisor.account_model import AccountModel


class PasswordPair:
    """A new password typed twice, so a slip of the finger never becomes the password."""

    def __init__(self, name: str, whose: str, captions: tuple[str, str]) -> None:
        self.captions = captions  # each with its own Alt key
        self.first = named(QLineEdit(), f"{name}Password", f"{whose} password")
        self.second = named(QLineEdit(), f"{name}Repeat", f"{whose} password again")
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)

    def value(self) -> str:
        if self.first.text() != self.second.text():
            raise FieldError("password", "must be typed the same twice")
        return self.first.text()

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(caption_for(self.captions[0], self.first), self.first)
        form.addRow(caption_for(self.captions[1], self.second), self.second)

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()


def role_combo(name: str, accessible: str) -> QComboBox:
    combo = named(QComboBox(), name, accessible)
    for role in Role:
        combo.addItem(role.value, role.value)  # Qt keeps a str enum as a plain str
    return combo


def chosen_role(combo: QComboBox) -> Role:
    return Role(combo.currentData())


def error_label(accessible: str) -> QLabel:
    shown = label("", "fieldError", wrap=True, accessible=accessible)
    shown.hide()
    return shown


class AccountsWindow(QWidget):
    """Its own top-level window; ``load`` reads the accounts."""

    def __init__(self, desk: AccountManager, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Operator accounts")
        self.setObjectName("operatorAccounts")
        self._desk = desk
        self.model = AccountModel(self)
        self.table = read_only_table(self.model, "accountTable", "Operator accounts")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.status = label("", "accountsStatus", wrap=True, accessible="Accounts status")
        self.error_label = error_label("Account action error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.error_label)
        layout.addWidget(self._selected_box())
        layout.addWidget(self._add_box())
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.role_combo.currentIndexChanged.connect(self._enable)
        self._enable()
        self.resize(820, 700)

    def _selected_box(self) -> QGroupBox:
        box = QGroupBox("Selected operator")
        self.selected_label = label("none", "selectedOperator", accessible="Selected operator")
        self.release_button = named(QPushButton("Release lock"), "releaseLock", "Release lock")
        self.disable_button = named(QPushButton("Disable"), "disableAccount", "Disable account")
        self.enable_button = named(QPushButton("Enable"), "enableAccount", "Enable account")
        self.withdraw_button = named(
            QPushButton("Withdraw one-time codes"), "withdrawCodes", "Withdraw one-time codes"
        )
        self.role_combo = role_combo("newRole", "New role")
        self.role_button = named(QPushButton("Change role"), "changeRole", "Change role")
        self.reset_pair = PasswordPair("reset", "New", ("New &password", "New password a&gain"))
        self.reset_button = named(QPushButton("Reset password"), "resetPassword", "Reset password")
        buttons = QHBoxLayout()
        for button in (
            self.release_button,
            self.disable_button,
            self.enable_button,
            self.withdraw_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        role_row = QHBoxLayout()
        role_row.addWidget(self.role_combo)
        role_row.addWidget(self.role_button)
        role_row.addStretch(1)
        form = QFormLayout(box)
        form.addRow("Operator", self.selected_label)
        form.addRow(buttons)
        form.addRow(caption_for("&Role", self.role_combo), role_row)
        self.reset_pair.add_rows(form)
        form.addRow(self.reset_button)
        self.release_button.clicked.connect(self.release_selected)
        self.disable_button.clicked.connect(self.disable_selected)
        self.enable_button.clicked.connect(self.enable_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_selected)
        return box

    def _add_box(self) -> QGroupBox:
        box = QGroupBox("Add an operator")
        self.new_id_edit = named(QLineEdit(), "newOperator", "New operator id")
        self.new_role_combo = role_combo("newOperatorRole", "New operator's role")
        self.add_pair = PasswordPair("new", "New operator's", ("Pass&word", "Password agai&n"))
        self.add_button = named(QPushButton("Add operator"), "addOperator", "Add operator")
        self.add_error = error_label("Add operator error")
        form = QFormLayout(box)
        form.addRow(caption_for("Operator &id", self.new_id_edit), self.new_id_edit)
        form.addRow(caption_for("Ro&le", self.new_role_combo), self.new_role_combo)
        self.add_pair.add_rows(form)
        form.addRow(self.add_error)
        form.addRow(self.add_button)
        self.add_button.clicked.connect(self.add_account)
        return box

    @asyncSlot()
    async def load(self) -> None:
        await self._reload(None)

    async def _reload(self, keep: str | None) -> None:
        """Read the accounts again, keeping ``keep`` (or the current one) selected."""
        current = self.selected()
        keep = keep or (current.operator if current else None)
        try:
            accounts = await self._desk.list()
        except ConsoleError as exc:
            present(self.status, "The accounts could not be read", exc)
            return
        self.model.set_accounts(accounts)
        if keep is not None:
            self.select(keep)
        self._enable()

    def select(self, operator: str) -> None:
        row = self.model.row_of(operator)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def selected(self) -> Account | None:
        index = self.table.currentIndex()
        return self.model.account(index.row()) if index.isValid() else None

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        account = self.model.account(current.row()) if current.isValid() else None
        if account is not None:
            self.role_combo.setCurrentIndex(self.role_combo.findData(account.role.value))
        self.error_label.hide()
        self._enable()

    def _enable(self) -> None:
        account = self.selected()
        self.selected_label.setText(
            f"{account.operator} ({account.role.value})" if account else "none"
        )
        chosen = account is not None
        self.release_button.setEnabled(account is not None and account.locked)
        self.disable_button.setEnabled(account is not None and account.active)
        self.enable_button.setEnabled(account is not None and not account.active)
        self.withdraw_button.setEnabled(account is not None and account.enrolled)
        self.role_combo.setEnabled(chosen)
        new_role = chosen_role(self.role_combo)
        self.role_button.setEnabled(account is not None and new_role is not account.role)
        self.reset_button.setEnabled(chosen)

    async def _act(self, action: Awaitable[None], done: str, operator: str) -> bool:
        """Await one desk action; its refusal is shown as it was said, success in the status."""
        try:
            await action
        except ConsoleError as exc:
            present(self.error_label, "", exc)
            self.error_label.show()
            return False
        self.error_label.hide()
        self.status.setText(done)
        await self._reload(operator)
        return True

    @asyncSlot()
    async def release_selected(self) -> None:
        if (account := self.selected()) is not None:
            name = account.operator
            await self._act(self._desk.release(name), f"{name} released from the lock.", name)

    @asyncSlot()
    async def disable_selected(self) -> None:
        if (account := self.selected()) is not None:
            name = account.operator
            await self._act(self._desk.disable(name), f"{name} disabled.", name)

    @asyncSlot()
    async def enable_selected(self) -> None:
        if (account := self.selected()) is not None:
            name = account.operator
            await self._act(self._desk.enable(name), f"{name} enabled.", name)

    @asyncSlot()
    async def withdraw_selected(self) -> None:
        if (account := self.selected()) is not None:
            name = account.operator
            done = f"One-time codes of {name} withdrawn; they enroll again at their next logon."
            await self._act(self._desk.withdraw_codes(name), done, name)

    @asyncSlot()
    async def change_role(self) -> None:
        account, role = self.selected(), chosen_role(self.role_combo)
        if account is not None:
            name = account.operator
            await self._act(self._desk.set_role(name, role), f"{name} is now {role.value}.", name)

    @asyncSlot()
    async def reset_selected(self) -> None:
        if (account := self.selected()) is None:
            return
        name = account.operator
        try:
            password = self.reset_pair.value()
        except FieldError as exc:
            present(self.error_label, "", exc)
            self.error_label.show()
            self.reset_pair.first.setFocus()
            return
        done = f"New password set for {name} (a lock is released with it)."
        if await self._act(self._desk.reset(name, password), done, name):
            self.reset_pair.clear()
        elif self.error_label.text().startswith("password:"):
            self.reset_pair.first.setFocus()

    @asyncSlot()
    async def add_account(self) -> None:
        operator = self.new_id_edit.text().strip()
        role = chosen_role(self.new_role_combo)
        try:
            await self._desk.add(operator, self.add_pair.value(), role)
        except ConsoleError as exc:
            present(self.add_error, "", exc)  # names the field and the rule it broke
            self.add_error.show()
            field = exc.field if isinstance(exc, FieldError) else ""
            (self.new_id_edit if field == "operator" else self.add_pair.first).setFocus()
            return
        self.add_error.hide()
        self.new_id_edit.clear()
        self.add_pair.clear()
        self.status.setText(f"Added {operator} as {role.value}.")
        await self._reload(operator)

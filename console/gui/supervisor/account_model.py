"""The profile's operator accounts as a table: role, state, lock, one-time codes, password age."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from console.broker.accounts import Account
from console.gui.base.table_model import ColumnsModel, Index
from console.gui.supervisor.audit_model import ALARM

MUTED = "#757575"


def cells(account: Account) -> tuple[str, ...]:
    locked = f"LOCKED since {account.locked_at:%Y-%m-%d %H:%M} UTC" if account.locked_at else ""
    return (
        account.operator,
        account.role.value,
        "active" if account.active else "disabled",
        locked,
        "enrolled" if account.enrolled else "none",
        f"{account.password_set_at:%Y-%m-%d}",
    )


class AccountModel(ColumnsModel):
    COLUMNS = ("Operator", "Role", "State", "Lock", "One-time codes", "Password set (UTC)")
    STATE, LOCK = 2, 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Account] = []

    def set_accounts(self, accounts: Sequence[Account]) -> None:
        self.beginResetModel()
        self._rows = sorted(accounts, key=lambda a: a.operator)
        self.endResetModel()

    def account(self, row: int) -> Account:
        return self._rows[row]

    def row_of(self, operator: str) -> int | None:
        return next((at for at, a in enumerate(self._rows) if a.operator == operator), None)

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        account = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cells(account)[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.LOCK and account.locked:
                return QColor(ALARM)
            if column == self.STATE and not account.active:
                return QColor(MUTED)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(text for text in cells(account) if text)
        return None

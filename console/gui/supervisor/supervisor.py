"""The supervisor's windows (audit review, operator accounts), each opened once and raised
when asked again; the menu offers them only to a role that may use them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from console.domain.access import Permission
from console.gui.base.ports import AccessCheck, AccountManager, AuditReview
from console.gui.supervisor.accounts_window import AccountsWindow
from console.gui.supervisor.audit_review import AuditReviewWindow


class SupervisorWindows:
    """Owned by the main window; the windows are its children, so they close with it."""

    def __init__(
        self,
        access: AccessCheck,
        accounts: AccountManager,
        audit_review: AuditReview,
        parent: QWidget,
    ) -> None:
        self._access = access
        self._accounts = accounts
        self._audit_review = audit_review
        self._parent = parent
        self.audit_window: AuditReviewWindow | None = None
        self.accounts_window: AccountsWindow | None = None

    @property
    def may_review(self) -> bool:
        return self._access.allows(Permission.AUDIT)

    @property
    def may_manage(self) -> bool:
        return self._access.allows(Permission.ACCOUNTS)

    def open_audit_review(self) -> AuditReviewWindow:
        if self.audit_window is None:
            self.audit_window = AuditReviewWindow(self._audit_review, self._parent)
            self.audit_window.refresh()
        _bring_up(self.audit_window)
        return self.audit_window

    def open_accounts(self) -> AccountsWindow:
        if self.accounts_window is None:
            self.accounts_window = AccountsWindow(self._accounts, self._parent)
        self.accounts_window.load()  # accounts change from elsewhere too (a lockout)
        _bring_up(self.accounts_window)
        return self.accounts_window


def _bring_up(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()

"""The logged-on operator's standing: their role, whether they still owe an enrollment for
one-time codes, and when they last proved who they are. The broker asks it before each
action, so a GUI that forgot to hide a button still cannot do what the role forbids."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from console.center.access import PositionLogon
from console.domain.access import REAUTHENTICATE_AFTER, Permission, Role, require
from console.domain.errors import ConsoleError


class EnrollmentRequired(ConsoleError):
    def __init__(self, operator: str) -> None:
        self.operator = operator
        super().__init__(
            f"operator {operator} must enroll for one-time codes before working "
            "(the console asks at logon; headless: dispatch-console operator enroll)"
        )


class ReauthenticationRequired(ConsoleError):
    def __init__(self, operator: str) -> None:
        self.operator = operator
        super().__init__(
            f"operator {operator} must authenticate again: "
            f"{int(REAUTHENTICATE_AFTER.total_seconds() // 3600)} hours have passed"
        )


class Access:
    def __init__(
        self,
        operator: str,
        role: Role,
        *,
        needs_enrollment: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.operator = operator
        self.role = role
        self.needs_enrollment = needs_enrollment
        self._clock = clock
        self.authenticated_at = clock()
        # At a position of a centre: the logon there, whose accounts are the centre's.
        self.center: PositionLogon | None = None

    def allows(self, permission: Permission) -> bool:
        try:
            self.require(permission)
        except ConsoleError:
            return False
        return True

    def require(self, permission: Permission) -> None:
        """Raise unless the operator may do ``permission`` now."""
        require(self.operator, self.role, permission)
        if self.needs_enrollment:
            raise EnrollmentRequired(self.operator)
        if self.expired:
            raise ReauthenticationRequired(self.operator)

    @property
    def expired(self) -> bool:
        return self._clock() - self.authenticated_at >= REAUTHENTICATE_AFTER

    def authenticated(self) -> None:
        """The operator just proved who they are (logon, device unlock, re-authentication)."""
        self.authenticated_at = self._clock()

    def enrolled(self) -> None:
        self.needs_enrollment = False

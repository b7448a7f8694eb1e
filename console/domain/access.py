"""Who may do what (CJIS roles) and the rules for passwords and logon attempts (domain.md
section 6). The broker checks a session's role before every action; the GUI only hides
what a role cannot do."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from functools import cache

from console.domain.errors import ConsoleError, FieldError

MAX_FAILURES = 5  # consecutive invalid logon attempts (AC-7) ...
FAILURE_WINDOW = timedelta(minutes=15)  # ... within this span lock the account
LONE_SUPERVISOR_LOCK = timedelta(minutes=10)  # [5.5.3]: an office's only supervisor is not
# locked out for good: the lock ends by itself after this long
REAUTHENTICATE_AFTER = timedelta(hours=12)  # IA-2: authenticate again at least this often
MAX_IDLE_MINUTES = 30  # AC-11: the device locks after at most this much idle time
MIN_PASSWORD, MAX_PASSWORD = 8, 256  # passphrases welcome
MIN_STRENGTH = 3  # zxcvbn score 0-4: 3 is "safely unguessable" against online attacks
OPERATOR_ID_LENGTH = 20


# AC-8: shown before logon and kept until the user acknowledges it.
USE_NOTICE = (
    "WARNING: This is a restricted criminal justice information system of a United States "
    "law enforcement agency, for authorized use only. Use of this system may be monitored, "
    "recorded and audited. Unauthorized use is prohibited and is subject to criminal and "
    "civil penalties. Use of this system indicates consent to monitoring and recording."
)


class Role(StrEnum):
    OPERATOR = "operator"  # queries, alerts
    SUPERVISOR = "supervisor"  # all an operator does, and accounts, settings, audit review
    TRAINER = "trainer"  # demo and training profiles only


class Permission(StrEnum):
    QUERY = "send queries and read answers"
    ALERTS = "read and acknowledge alerts"
    ACCOUNTS = "manage operator accounts"
    SETTINGS = "change the profile's settings"
    AUDIT = "review and export the audit trail"
    TRAINING = "run training scenarios"


GRANTS = {
    Role.OPERATOR: frozenset({Permission.QUERY, Permission.ALERTS}),
    Role.SUPERVISOR: frozenset(Permission),
    Role.TRAINER: frozenset({Permission.QUERY, Permission.ALERTS, Permission.TRAINING}),
}


class NotPermitted(ConsoleError):
    """The operator's role does not allow an action (the message names both)."""

    def __init__(self, operator: str, role: Role, permission: Permission) -> None:
        self.permission = permission
        super().__init__(f"operator {operator} ({role.value}) may not {permission.value}")


def require(operator: str, role: Role, permission: Permission) -> None:
    if permission not in GRANTS[role]:
        raise NotPermitted(operator, role, permission)


def role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise FieldError("role", "must be operator, supervisor or trainer", value) from None


def operator_id(value: str) -> str:
    """An operator id: 1-20 letters, digits, dots, hyphens or underscores, case kept."""
    text = value.strip()
    allowed = all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in text)
    if not text or len(text) > OPERATOR_ID_LENGTH or not allowed:
        raise FieldError(
            "operator", f"must be 1-{OPERATOR_ID_LENGTH} letters, digits, '.', '-' or '_'", value
        )
    return text


def check_password(password: str, *, context: tuple[str, ...] = ()) -> str:
    """A new password, or FieldError saying why not: long enough, not a common or easily
    guessed one (zxcvbn's lists of leaked passwords, words and names, and ``context``: the
    operator id, ORI and the like). No composition rules and no hints: length beats both."""
    if len(password) < MIN_PASSWORD:
        raise FieldError("password", f"must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise FieldError("password", f"must be at most {MAX_PASSWORD} characters")
    if password.strip().lower() in _common():
        raise FieldError("password", "is on the list of common or leaked passwords")
    from zxcvbn import zxcvbn  # its word lists take a moment to load: only when needed

    verdict = zxcvbn(password[:100], user_inputs=[c.lower() for c in context if c])
    if verdict["score"] < MIN_STRENGTH:
        warning = verdict["feedback"]["warning"].rstrip(".")
        advice = " ".join(verdict["feedback"]["suggestions"][:1])
        because = f": {warning}." if warning else "."
        raise FieldError("password", f"is too easy to guess{because} {advice}".strip())
    return password


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])

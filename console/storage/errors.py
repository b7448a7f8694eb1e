"""Storage layer: the expected errors of the encrypted store, all shown to the operator as-is."""

from __future__ import annotations

from console.domain.errors import ConsoleError


class StorageError(ConsoleError):
    """Base of every expected storage failure."""


class WrongSecret(StorageError):
    """Unlocking failed. One message for an unknown operator and a wrong password, whoever
    the account is and however it logs on: no enumeration."""

    def __init__(self) -> None:
        super().__init__("wrong operator id or password")


class WrongCode(StorageError):
    """The password was right, the one-time code not (or it was used already)."""

    def __init__(self) -> None:
        super().__init__("wrong one-time code (or one already used): enter the current one")


class AccountLocked(StorageError):
    """Too many failed logon attempts: a supervisor must release the account (AC-7)."""

    def __init__(self, operator: str, *, just_now: bool = False) -> None:
        self.operator = operator
        why = "is now locked" if just_now else "is locked"
        super().__init__(
            f"operator {operator} {why} after too many failed logon attempts: "
            "a supervisor must release it (dispatch-console operator unlock)"
        )


class AccountDisabled(StorageError):
    """A supervisor disabled the account."""

    def __init__(self, operator: str) -> None:
        self.operator = operator
        super().__init__(f"operator {operator} is disabled: ask a supervisor")


class CodeRequired(StorageError):
    """The operator is enrolled for one-time codes and gave none (asked before any KDF work,
    so it says nothing about the password)."""

    def __init__(self, operator: str) -> None:
        self.operator = operator
        super().__init__(
            f"operator {operator} logs on with a one-time code from their authenticator "
            "(headless: --otp CODE)"
        )


class OperatorExists(StorageError):
    """A key slot for this operator already exists."""

    def __init__(self, operator: str) -> None:
        self.operator = operator
        super().__init__(f"operator {operator!r} already has access to this database")


class CorruptData(StorageError):
    """A stored value or the database file fails its integrity check."""


class StoreExists(StorageError):
    """``create`` refuses to overwrite an existing database."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"a database already exists at {path}")


class StoreMissing(StorageError):
    """``open`` found no database file."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no database at {path}")


class StoreLocked(StorageError):
    """Another process holds the database lock for too long."""


class UnsupportedSchema(StorageError):
    """The file was written by a newer version of the console."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"database schema version {found} is newer than this program knows ({known}); "
            "update the console"
        )


class OutboxStateError(StorageError):
    """An outbox entry is missing, duplicated, or asked to make a move its state forbids."""


class AuditChainBroken(StorageError):
    """The audit trail was edited, truncated or reordered; ``seq`` is the first bad record."""

    def __init__(self, seq: int, reason: str) -> None:
        self.seq = seq
        self.reason = reason
        super().__init__(f"audit record {seq}: {reason}")


class AlertStateError(StorageError):
    """An alert to acknowledge does not exist or was acknowledged already."""

    def __init__(self, alert_id: int, reason: str) -> None:
        self.alert_id = alert_id
        super().__init__(f"alert {alert_id} {reason}")


class WatchExists(StorageError):
    """The subject is on the watch list already (the message names the entry, not the subject)."""

    def __init__(self, watch_id: int) -> None:
        self.watch_id = watch_id
        super().__init__(f"this subject is already on the watch list (entry {watch_id})")


class WatchMissing(StorageError):
    """No watch-list entry has this id (it may have been removed meanwhile)."""

    def __init__(self, watch_id: int) -> None:
        self.watch_id = watch_id
        super().__init__(f"watch-list entry {watch_id} does not exist")

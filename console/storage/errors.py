"""Storage layer: the expected errors of the encrypted store, all shown to the operator as-is."""

from __future__ import annotations

from console.domain.errors import ConsoleError


class StorageError(ConsoleError):
    """Base of every expected storage failure."""


# One refusal at logon for an unknown id, a wrong password and a locked account: a message
# that said "now locked" after five tries would tell a real operator id from an unknown one.
LOGON_REFUSED = (
    "wrong operator id or password, or the account is locked (five failed attempts within "
    "15 minutes lock it until a supervisor releases it: dispatch-console operator unlock)"
)


class WrongSecret(StorageError):
    """Unlocking failed. One message for an unknown operator, a wrong password and a locked
    account, whoever the account is and however it logs on: no enumeration."""

    def __init__(self) -> None:
        super().__init__(LOGON_REFUSED)


class WrongCode(StorageError):
    """The password was right, the one-time code not (or it was used already)."""

    def __init__(self) -> None:
        super().__init__("wrong one-time code (or one already used): enter the current one")


class AccountLocked(StorageError):
    """Too many failed logon attempts: a supervisor must release the account (AC-7)."""

    def __init__(self, operator: str, *, just_now: bool = False, at_logon: bool = False) -> None:
        self.operator = operator
        if at_logon:  # whoever is logging on may not be who they say: the one refusal
            super().__init__(LOGON_REFUSED)
            return
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


class ProfileAltered(CorruptData):
    """The file disagrees with what the console sealed in it: it does not open."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(
            f"the profile database {path} was altered outside the console and will not open: "
            f"{'; '.join(problems)}. Restore it from a backup and tell your supervisor"
        )


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


class DiskFull(StorageError):
    """The disk holding a profile file has no room left: the write was rolled back whole."""

    def __init__(self, path: str, free: int) -> None:
        self.path = path
        self.free = free
        super().__init__(
            f"the disk holding {path} is full ({_size(free)} free): nothing was half-written "
            "and what is queued stays queued; free some space, then carry on (drain sends "
            "what waits)"
        )


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"


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


class AuditRolledBack(AuditChainBroken):
    """The trail is shorter than, or not the one, its witness outside the database saw: the
    file was put back from an older copy (or its WAL cut). ``seq`` is the first record lost."""

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(seq, reason)
        self.args = (f"ROLLBACK: {reason}",)


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

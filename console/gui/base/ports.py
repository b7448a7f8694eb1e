"""The narrow views of the session each widget gets: small Protocols over broker, store and
watch list, so a panel can ask and a viewer can audit without holding the whole session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from console.broker.accounts import Account, AuditRecord, ChainStatus
from console.broker.compose import Composer
from console.broker.events import OpenedRecord
from console.broker.profile import Settings
from console.broker.read_side import Traffic
from console.broker.review_desk import ChainsRead, TrailRead
from console.domain.access import Permission, Role
from console.domain.codes import Family, LinkState
from console.domain.messages import Message


class QueryDesk(Protocol):
    """What a query panel needs: build a message from its fields, send it, wait for the answer."""

    @property
    def compose(self) -> Composer: ...

    @property
    def link_state(self) -> LinkState: ...

    async def submit(self, query: Message, *, priority: int = ...) -> Message: ...


class RecordDesk(Protocol):
    """What the results need: open a full record (from the cache while offline), audit a view."""

    @property
    def link_state(self) -> LinkState: ...

    async def fetch_record(self, eid: str, family: Family = ...) -> OpenedRecord: ...

    async def record_viewed(self, answer: Message) -> None: ...


class QueueControl(Protocol):
    """The queue view's actions on one query, by control field."""

    async def cancel(self, control: str) -> None: ...

    async def resend(self, control: str) -> Message: ...


class TrafficReader(Protocol):
    """Earlier traffic as the broker's read side decoded it (read once at logon, shared by
    the queue, the mailbox and the alerts), and which messages the operators saved."""

    async def traffic(self) -> Traffic: ...

    async def set_mail_saved(self, ref: str, saved: bool) -> None: ...


class AlertDesk(Protocol):
    """Alerts kept until acknowledged; acknowledging is audited by the broker."""

    async def acknowledge_alert(self, alert_id: int) -> None: ...


class Auditor(Protocol):
    """The audit trail: a deliberate export or a settings change is recorded here."""

    async def audit(self, event: str, outcome: str, obj: str = "") -> int: ...


class AuditTrail(Auditor, Protocol):
    """The audit trail, read too: a training debrief is built from it."""

    async def audit_records(self) -> list[AuditRecord]: ...


class Watcher(Protocol):
    """The watch list: flag a subject to be asked again on a schedule."""

    async def add(self, query: Message) -> int: ...


class SettingsFile(Protocol):
    """The profile's settings file (the broker's ``GuardedSettings``)."""

    @property
    def pki_dir(self) -> Path: ...

    @property
    def agency(self) -> tuple[str, ...]:
        """The settings that are the agency's (saved at its centre); none on a lone PC."""
        ...

    def load(self) -> Settings: ...

    async def save(self, settings: Settings) -> None: ...


class LayoutMemory(Protocol):
    """Each operator's window layout, kept in the profile (``LayoutFile`` is one): plain
    values (numbers, lists of them, text), never criminal justice information."""

    def load(self, operator: str) -> dict[str, Any]: ...

    def save(self, operator: str, layout: dict[str, Any]) -> None: ...


class AccessCheck(Protocol):
    """The logged-on operator's standing: the GUI hides what the role may not do (the desks
    refuse it anyway)."""

    def allows(self, permission: Permission) -> bool: ...


class AuditReview(Protocol):
    """The audit review (AU-6): reading, verifying, exporting and signing off are audited."""

    async def records(
        self, start: datetime | None = ..., end: datetime | None = ...
    ) -> list[AuditRecord]: ...

    async def chain(self) -> ChainStatus: ...

    async def trail(
        self, start: datetime | None = ..., end: datetime | None = ...
    ) -> TrailRead: ...  # at a position: the centre's records (or its own, saying why)

    async def chains(self) -> ChainsRead: ...  # at a position: each position's chain

    async def sign_off(
        self, first: date, last: date, note: str = ..., *, scope: str = ...
    ) -> None: ...

    async def allowed(self) -> None: ...

    async def exported(self, count: int, where: str) -> None: ...


class AccountManager(Protocol):
    """Operator accounts (AC-2); each change is checked against the role and audited."""

    async def add(self, operator: str, password: str, role: Role = ...) -> None: ...

    async def reset(self, operator: str, password: str) -> None: ...

    async def release(self, operator: str) -> None: ...

    async def disable(self, operator: str) -> None: ...

    async def enable(self, operator: str) -> None: ...

    async def set_role(self, operator: str, role: Role) -> None: ...

    async def withdraw_codes(self, operator: str) -> None: ...

    async def list(self) -> list[Account]: ...  # last: the name hides the builtin below it


@dataclass(frozen=True)
class Services:
    """The session's parts, each seen through the Protocol its widgets use.

    The main window hands each widget the one it needs; nothing keeps the session itself.
    """

    ori: str
    operator: str
    queries: QueryDesk
    records: RecordDesk
    queue: QueueControl
    traffic: TrafficReader
    alerts: AlertDesk
    audit: Auditor
    watch: Watcher
    settings: Settings
    access: AccessCheck
    accounts: AccountManager
    audit_review: AuditReview
    settings_file: SettingsFile | None = None  # None: settings are shown, not saved
    layouts: LayoutMemory | None = None  # None: the default layout at every logon

"""Training scenarios as data: the cast of records, the timeline, and what the trainee must do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from console.domain.codes import Confirmation
from console.domain.objects import Gun, StolenVehicle, TravelDocument
from console.domain.records import PersonNotice


class EventKind(StrEnum):
    """What the simulated network does at a point of the timeline."""

    AM = "am"  # INTERPOL Washington (or another ORI) sends an administrative message
    OUTAGE = "outage"  # the INTERPOL gateway goes out of service for ``length`` seconds
    SLOW = "slow"  # answers take ``delay`` seconds each for ``length`` seconds
    CANCEL = "cancel"  # a record is cancelled (located, withdrawn): a watch list sees it go
    CONFIRMATIONS = "confirmations"  # the hit confirmation desk changes how it answers


@dataclass(frozen=True, slots=True)
class Event:
    at: float  # seconds after the scenario starts
    kind: EventKind
    text: str = ""  # AM text
    origin: str = ""  # AM sender ORI (INTERPOL Washington when empty)
    length: float = 0.0  # OUTAGE and SLOW: how long, in seconds
    delay: float = 0.0  # SLOW: each answer's delay
    eid: str = ""  # CANCEL: the record
    desk: Desk | None = None  # CONFIRMATIONS: the new behaviour


@dataclass(frozen=True, slots=True)
class Desk:
    """How INTERPOL Washington answers hit confirmations in this scenario (seconds)."""

    urgent_delay: float = 120.0
    routine_delay: float = 600.0
    answer_from_request: int = 1
    pending_for: float = 0.0
    outcome: Confirmation | None = None


class Action(StrEnum):
    """What an expectation looks for in the trainee's audit trail."""

    QUERY = "query"  # a message sent (its legacy line contains every ``contains`` text)
    VIEW = "view"  # a full record opened on screen
    ACKNOWLEDGE = "acknowledge"  # an alert of ``alert`` kind acknowledged
    AVOID = "avoid"  # must never happen: an audit event (e.g. export, print)


@dataclass(frozen=True, slots=True)
class Expectation:
    """One thing the trainee should do (or avoid), and the points it is worth."""

    id: str
    action: Action
    points: int
    explain: str  # why it matters, shown in the debrief
    contains: tuple[str, ...] = ()  # QUERY/VIEW: texts the audited line must contain
    key: str = ""  # QUERY: the message key (IPQ, FPQ, YQ, AM, ...)
    alert: str = ""  # ACKNOWLEDGE: alert kind (AM, YR, SM, WATCH ...)
    event: str = ""  # AVOID: audit event name (export, print ...)
    within: float | None = None  # seconds allowed, counted from ``after`` or the start
    after: str = ""  # id of an expectation whose fulfilment starts the clock


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    summary: str
    briefing: str  # what the trainee is told at the start
    duration: float  # seconds the exercise runs
    desk: Desk = field(default_factory=Desk)
    latency: float = 0.0  # seconds every answer takes (a realistic network is not instant)
    persons: tuple[PersonNotice, ...] = ()
    vehicles: tuple[StolenVehicle, ...] = ()
    documents: tuple[TravelDocument, ...] = ()
    guns: tuple[Gun, ...] = ()
    photos: frozenset[str] = frozenset()  # EIDs of cast records that have a photo
    events: tuple[Event, ...] = ()
    expectations: tuple[Expectation, ...] = ()

    @property
    def total_points(self) -> int:
        return sum(e.points for e in self.expectations)

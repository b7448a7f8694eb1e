"""INTERPOL Washington's hit confirmation desk: how and when a YQ gets its YR answers.

The desk checks the request against the record it names (NIC = EID) and answers CONFIRMED,
NOT CONFIRMED, or first PENDING with the time a confirmation will come. A policy, set per
switch run or by a scenario, controls the delays and which request (first, second or third)
is answered, so a class can practise the 10-minute deadline and the second request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz

from console.domain.codes import Confirmation, Family, NoticeColour, Priority
from console.domain.messages import HitConfirmationRequest, HitConfirmationResponse
from console.domain.objects import Gun, ObjectRecord, StolenVehicle, TravelDocument
from console.domain.records import PersonNotice
from console.switch.dataset import Dataset
from console.switch.matching import normalize

NAME_AGREEMENT = 85  # rapidfuzz token-sort ratio under which the names do not agree


@dataclass(frozen=True, slots=True)
class ConfirmationPolicy:
    """How the desk answers. Delays in seconds from the request's arrival."""

    urgent_delay: float = 20.0
    routine_delay: float = 60.0
    answer_from_request: int = 1  # 2: the first request goes unanswered, the second is answered
    pending_for: float = 0.0  # > 0: answer PENDING first, the confirmation this much later
    outcome: Confirmation | None = None  # force an outcome (a scenario's twist)

    def __post_init__(self) -> None:
        if min(self.urgent_delay, self.routine_delay, self.pending_for) < 0:
            raise ValueError("confirmation delays must be 0 seconds or more")
        if not 1 <= self.answer_from_request <= 3:
            raise ValueError("the desk answers from request 1, 2 or 3")
        if self.outcome is Confirmation.PENDING:
            raise ValueError("a forced outcome is Y or N; use pending_for for a pending answer")

    def delay(self, priority: Priority) -> float:
        return self.urgent_delay if priority is Priority.URGENT else self.routine_delay


@dataclass(frozen=True, slots=True)
class Planned:
    """One YR to send ``delay`` seconds after the request; ``answers_request`` echoes its
    control field (the first answer), a follow-up travels unsolicited."""

    delay: float
    response: HitConfirmationResponse
    answers_request: bool


class ConfirmationDesk:
    def __init__(
        self,
        dataset: Dataset,
        policy: ConfirmationPolicy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.dataset = dataset
        self.policy = policy or ConfirmationPolicy()
        self._clock = clock

    def plan(self, request: HitConfirmationRequest) -> list[Planned]:
        """The answers to send, in order; empty when this request goes unanswered."""
        policy = self.policy
        if request.number < policy.answer_from_request:
            return []
        delay = policy.delay(request.priority)
        status, text = self._verdict(request)
        if policy.outcome is not None:
            status = policy.outcome
            if status is Confirmation.NOT_CONFIRMED:
                text = "RECORD NO LONGER VALID. DO NOT ACT ON THIS HIT."
        final = self._response(request, status, text)
        if policy.pending_for <= 0:
            return [Planned(delay, final, answers_request=True)]
        due = self._clock() + timedelta(seconds=delay + policy.pending_for)
        pending = self._response(
            request,
            Confirmation.PENDING,
            "CHECKING WITH THE ENTERING COUNTRY. CONFIRMATION WILL FOLLOW BY THE TIME GIVEN.",
            respond_by=due.replace(microsecond=0),
        )
        return [
            Planned(delay, pending, answers_request=True),
            Planned(delay + policy.pending_for, final, answers_request=False),
        ]

    def _response(
        self,
        request: HitConfirmationRequest,
        status: Confirmation,
        text: str,
        respond_by: datetime | None = None,
    ) -> HitConfirmationResponse:
        return HitConfirmationResponse(
            request_type=request.request_type,
            nic=request.nic,
            priority=request.priority,
            status=status,
            number=request.number,
            case=request.case,
            respond_by=respond_by,
            text=text,
        )

    def _verdict(self, request: HitConfirmationRequest) -> tuple[Confirmation, str]:
        family = request.request_type.family
        if family is Family.PERSON:
            notice = self.dataset.get(request.nic)
            if notice is None:
                return Confirmation.NOT_CONFIRMED, f"NO RECORD FOR NIC/{request.nic}."
            return _person_verdict(request, notice)
        record = self.dataset.get_object(family, request.nic)
        if record is None:
            return Confirmation.NOT_CONFIRMED, f"NO RECORD FOR NIC/{request.nic}."
        return _object_verdict(request, record)


def _person_verdict(
    request: HitConfirmationRequest, notice: PersonNotice
) -> tuple[Confirmation, str]:
    if request.name and not _names_agree(request.name, notice.nam):
        return Confirmation.NOT_CONFIRMED, (
            f"IDENTIFIERS DO NOT MATCH THE RECORD: NIC/{notice.eid} IS {notice.nam}. "
            "DO NOT ACT ON THIS HIT."
        )
    if request.dob and notice.date_of_birth and request.dob != notice.date_of_birth:
        return Confirmation.NOT_CONFIRMED, (
            f"DATE OF BIRTH DOES NOT MATCH THE RECORD (DOB/{notice.dob_text}). "
            "DO NOT ACT ON THIS HIT."
        )
    colour = notice.colour
    if colour is NoticeColour.RED or (colour is NoticeColour.DIFFUSION and notice.warrants):
        wanted_by = ",".join(sorted({w.issuing_country for w in notice.warrants})) or "UNK"
        return Confirmation.CONFIRMED, (
            f"RECORD CONFIRMED: ACTIVE {colour.value} NOTICE, WANTED BY {wanted_by}. "
            "A RED NOTICE IS NOT AN ARREST WARRANT IN THE UNITED STATES: DO NOT DETAIN ON "
            "THE NOTICE ALONE. HOLD ON LOCAL CHARGES IF ANY AND CALL INTERPOL WASHINGTON "
            "ABOUT PROVISIONAL ARREST."
        )
    if colour is NoticeColour.YELLOW:
        return Confirmation.CONFIRMED, (
            "RECORD CONFIRMED: ACTIVE YELLOW NOTICE (MISSING PERSON). ENSURE THE PERSON'S "
            "SAFETY AND WELL-BEING; INTERPOL WASHINGTON WILL INFORM THE REQUESTING COUNTRY."
        )
    return Confirmation.CONFIRMED, (
        f"RECORD CONFIRMED: ACTIVE {colour.value} NOTICE. {colour.meaning.upper()}. "
        "REPORT THE ENCOUNTER TO INTERPOL WASHINGTON; NO ACTION IS REQUESTED ON THE NOTICE ALONE."
    )


def _object_verdict(
    request: HitConfirmationRequest, record: ObjectRecord
) -> tuple[Confirmation, str]:
    given, held = {
        StolenVehicle: (request.vin, getattr(record, "vin", None)),
        TravelDocument: (request.document, getattr(record, "number", None)),
        Gun: (request.serial, getattr(record, "serial", None)),
    }[type(record)]
    if given and held and given != held:
        return Confirmation.NOT_CONFIRMED, (
            f"NUMBER DOES NOT MATCH THE RECORD: NIC/{record.eid} IS {held}. DO NOT ACT ON THIS HIT."
        )
    if isinstance(record, StolenVehicle):
        when = f" ON {record.date_stolen:%m/%d/%Y}" if record.date_stolen else ""
        return Confirmation.CONFIRMED, (
            f"RECORD CONFIRMED: {record.summary} REPORTED STOLEN BY {record.reported_by}{when}. "
            "SECURE THE VEHICLE; INTERPOL WASHINGTON WILL INFORM THE REPORTING COUNTRY."
        )
    if isinstance(record, TravelDocument):
        return Confirmation.CONFIRMED, (
            f"RECORD CONFIRMED: {record.summary.upper()} IS RECORDED AS {record.status}. "
            "RETAIN THE DOCUMENT IF YOUR AUTHORITY ALLOWS; IT IS NOT VALID FOR TRAVEL."
        )
    return Confirmation.CONFIRMED, (
        f"RECORD CONFIRMED: {record.summary} RECORDED AS {record.status} BY "
        f"{record.reported_by}. SECURE THE FIREARM AS EVIDENCE."
    )


def _names_agree(asked: str, held: str) -> bool:
    return fuzz.token_sort_ratio(normalize(asked), normalize(held)) >= NAME_AGREEMENT

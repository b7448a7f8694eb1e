"""Messages on the wire, independent of format: a header and one typed body."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from console.domain.codes import (
    Confirmation,
    DocumentType,
    ErrorCode,
    MessageKey,
    Priority,
    RequestType,
    Sex,
)
from console.domain.objects import ObjectMatch, ObjectRecord
from console.domain.records import Candidate, PersonNotice


@dataclass(frozen=True, slots=True)
class Header:
    """The Nlets header: who sends to whom, the terminal's control field, clocks and sequence."""

    key: MessageKey
    origin: str  # originating ORI
    destination: str  # destination ORI or code (IP = INTERPOL)
    control: str = ""  # DocumentControlFieldText chosen by the terminal, echoed in the reply
    sent_at: datetime | None = None
    received_at: datetime | None = None
    send_number: int | None = None
    receive_number: int | None = None

    @property
    def destinations(self) -> tuple[str, ...]:
        """AM and YQ may go to several ORIs, written comma-separated as in the legacy header."""
        return tuple(self.destination.split(","))


@dataclass(frozen=True, slots=True)
class PersonInquiry:
    """IPQ: name (NAM layout) with optional DOB and SEX."""

    name: str
    dob: date | None = None
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class RecordInquiry:
    """F query: the full record by INTERPOL id."""

    eid: str


@dataclass(frozen=True, slots=True)
class VehicleInquiry:
    """IVQ: a VIN, an engine number, or both."""

    vin: str | None = None
    engine: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentInquiry:
    """ITQ: the document number, optionally its type and issuing country (ISO-2)."""

    number: str
    doc_type: DocumentType | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class GunInquiry:
    """IGQ: the gun's serial number."""

    serial: str


@dataclass(frozen=True, slots=True)
class HitConfirmationRequest:
    """YQ: ask the record's holder to confirm a hit before acting (domain.md section 4).

    ``nic`` is the INTERPOL record id (EID). Person requests carry NAM/DOB/SEX; vehicle,
    document and gun requests carry VIN, DID or SER, never a person's identifiers.
    """

    request_type: RequestType
    nic: str
    priority: Priority
    number: int = 1  # RNO: 2 and 3 are the second and third requests after no answer
    case: str | None = None  # OCA
    name: str | None = None
    dob: date | None = None
    sex: Sex | None = None
    vin: str | None = None
    document: str | None = None
    serial: str | None = None
    remarks: str | None = None


@dataclass(frozen=True, slots=True)
class HitConfirmationResponse:
    """YR: the holder's answer; PENDING names the time by which the confirmation will come."""

    request_type: RequestType
    nic: str
    priority: Priority
    status: Confirmation
    number: int = 1
    case: str | None = None
    respond_by: datetime | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class CandidateList:
    """IPR: possible matches, best first; empty means no record."""

    candidates: tuple[Candidate, ...] = ()
    total: int = 0  # matches before INTERPOL's cap
    searched: tuple[str, ...] = ()  # the fields searched (NAM, DOB, SEX), so "no record" says so


@dataclass(frozen=True, slots=True)
class RecordResponse:
    """FPR: the full record, or ``None`` when the EID is unknown."""

    eid: str
    notice: PersonNotice | None = None


@dataclass(frozen=True, slots=True)
class ObjectList:
    """IVR / ITR / IGR: possible matches, best first; empty means no record."""

    matches: tuple[ObjectMatch, ...] = ()
    total: int = 0
    searched: tuple[str, ...] = ()  # the fields searched (VIN, ENG; DID, TYP, CNT; SER)


@dataclass(frozen=True, slots=True)
class ObjectResponse:
    """FVR / FTR / FGR: the full record, or ``None`` when the EID is unknown."""

    eid: str
    record: ObjectRecord | None = None


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """ER from NL0000000: an Nlets code, its text, and what was wrong."""

    code: ErrorCode
    detail: str = ""

    @property
    def text(self) -> str:
        return f".{self.code.value}. {self.code.text}" + (
            f" - {self.detail}" if self.detail else ""
        )


@dataclass(frozen=True, slots=True)
class FreeText:
    """AM / SM: administrative or status text."""

    text: str


Inquiry = PersonInquiry | VehicleInquiry | DocumentInquiry | GunInquiry | RecordInquiry
Body = (
    Inquiry
    | HitConfirmationRequest
    | CandidateList
    | RecordResponse
    | ObjectList
    | ObjectResponse
    | HitConfirmationResponse
    | ErrorReply
    | FreeText
)


@dataclass(frozen=True, slots=True)
class Message:
    header: Header
    body: Body
    response_text: str = field(default="", compare=False)  # legacy layout text, for display

    @property
    def key(self) -> MessageKey:
        return self.header.key

    @property
    def control(self) -> str:
        return self.header.control

"""Messages on the wire, independent of format: a header and one typed body."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from console.domain.codes import ErrorCode, MessageKey, Sex
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
class CandidateList:
    """IPR: possible matches, best first; empty means no record."""

    candidates: tuple[Candidate, ...] = ()
    total: int = 0  # matches before INTERPOL's cap


@dataclass(frozen=True, slots=True)
class RecordResponse:
    """FPR: the full record, or ``None`` when the EID is unknown."""

    eid: str
    notice: PersonNotice | None = None


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


Body = PersonInquiry | RecordInquiry | CandidateList | RecordResponse | ErrorReply | FreeText


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

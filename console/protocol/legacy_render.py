"""Legacy text of any message body, as the switch sends it in ResponseText and operators read it."""

from __future__ import annotations

from console.domain.codes import Confirmation, Family, MessageKey
from console.domain.messages import (
    Body,
    CandidateList,
    ErrorReply,
    FreeText,
    HitConfirmationRequest,
    HitConfirmationResponse,
    ObjectList,
    ObjectResponse,
    RecordResponse,
)
from console.protocol import legacy_objects, legacy_person
from console.protocol.legacy_query import field_items
from console.protocol.legacy_style import clock, line, ymd

OBJECT_FAMILIES = frozenset({Family.VEHICLE, Family.DOCUMENT, Family.GUN})
STATUS_WORDS = {
    Confirmation.CONFIRMED: "CONFIRMED",
    Confirmation.NOT_CONFIRMED: "NOT CONFIRMED",
    Confirmation.PENDING: "PENDING",
}


def render_body(body: Body, key: MessageKey | None = None) -> str:
    """The legacy text of a body. ``key`` names the database an object answer comes from;
    without it the family is read from the records, and an empty search cannot name it."""
    if isinstance(body, CandidateList):
        return legacy_person.render_candidates(body)
    if isinstance(body, RecordResponse):
        return legacy_person.render_record(body)
    family = key.family if key is not None and key.family in OBJECT_FAMILIES else None
    if isinstance(body, ObjectList):
        return legacy_objects.render_matches(body, family)
    if isinstance(body, ObjectResponse):
        return legacy_objects.render_record(body, family)
    if isinstance(body, HitConfirmationResponse):
        return _render_confirmation(body)
    if isinstance(body, HitConfirmationRequest):
        return _render_request(body)
    if isinstance(body, ErrorReply | FreeText):
        return body.text
    return ".".join(field_items(body))  # an inquiry reads as its fields


def _render_confirmation(body: HitConfirmationResponse) -> str:
    """YR: which request it answers, the answer (or when it will come), the holder's text."""
    status = f"CON/{body.status.value} {STATUS_WORDS[body.status]}"
    if body.status is Confirmation.PENDING:
        due = f"{clock(body.respond_by)} UTC" if body.respond_by else "TIME NOT GIVEN"
        status += f" - CONFIRMATION BY {due}"
    lines = ["HIT CONFIRMATION RESPONSE", _request_line(body), status]
    lines += [text for text in body.text.splitlines() if text.strip()]
    return "\n".join(lines)


def _render_request(body: HitConfirmationRequest) -> str:
    """YQ as the holder's terminal shows it: what to check, against which record, by when."""
    lines = ["HIT CONFIRMATION REQUEST", _request_line(body)]
    person = [
        f"NAM/{body.name}" if body.name else "",
        f"DOB/{ymd(body.dob)}" if body.dob else "",
        f"SEX/{body.sex.value}" if body.sex else "",
    ]
    if any(person):
        lines.append(" ".join(filter(None, person)))
    for prefix, value in (("VIN", body.vin), ("DID", body.document), ("SER", body.serial)):
        if value:
            lines.append(f"{prefix}/{value}")
    if body.remarks:
        lines.append(f"REM/{line(body.remarks)}")
    minutes = body.priority.deadline_minutes
    lines.append(f"ANSWER WITHIN {minutes} MINUTES" if minutes < 60 else "ANSWER WITHIN 1 HOUR")
    return "\n".join(lines)


def _request_line(body: HitConfirmationRequest | HitConfirmationResponse) -> str:
    case = f" OCA/{body.case}" if body.case else ""
    return (
        f"RTY/{body.request_type.value} NIC/{body.nic} RNO/{body.number}"
        f" PRI/{body.priority.value}{case}"
    )

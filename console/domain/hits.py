"""What a hit is and what follows from it: the hit confirmation request a record prefills, and
the record as JSON for a case system."""

from __future__ import annotations

import base64
import dataclasses
import enum
import json
from datetime import date, datetime
from typing import Any

from console.domain.codes import NoticeColour, RequestType
from console.domain.messages import (
    Body,
    CandidateList,
    Message,
    ObjectList,
    ObjectResponse,
    RecordResponse,
)
from console.domain.objects import Gun, ObjectRecord, StolenVehicle, TravelDocument
from console.domain.records import PersonNotice

MARKING = "LAW ENFORCEMENT SENSITIVE"
DEMO_MARKING = "DEMO — SYNTHETIC TRAINING DATA"
Record = PersonNotice | ObjectRecord


def marking(demo: bool) -> str:
    """The handling mark of a print or export; a demo's says it is training data too, so a
    demo printout is never mistaken for a real record."""
    return f"{DEMO_MARKING} — {MARKING}" if demo else MARKING


def is_hit(body: Body) -> bool:
    """A possible match or a record: never probable cause on its own."""
    if isinstance(body, CandidateList):
        return bool(body.candidates)
    if isinstance(body, ObjectList):
        return bool(body.matches)
    if isinstance(body, RecordResponse):
        return body.notice is not None
    if isinstance(body, ObjectResponse):
        return body.record is not None
    return False


def request_type_of(record: Record) -> RequestType:
    """RTY/ from what the hit is on: the notice colour for a person, the database otherwise."""
    if isinstance(record, StolenVehicle):
        return RequestType.STOLEN_VEHICLE
    if isinstance(record, TravelDocument):
        return RequestType.STOLEN_DOCUMENT
    if isinstance(record, Gun):
        return RequestType.STOLEN_GUN
    if record.colour is NoticeColour.RED:
        return RequestType.WANTED_PERSON
    if record.colour is NoticeColour.YELLOW:
        return RequestType.MISSING_PERSON
    return RequestType.OTHER_PERSON


def confirmation_values(record: Record) -> dict[str, str]:
    """The YQ fields a record fills: RTY, NIC (the EID) and the record's identifiers."""
    values = {"RTY": request_type_of(record).value, "NIC": record.eid}
    if isinstance(record, PersonNotice):
        values["NAM"] = record.nam  # one name alone reads NAME, as the NAM rule takes it
        if record.date_of_birth:
            values["DOB"] = f"{record.date_of_birth:%Y%m%d}"
        values["SEX"] = record.sex.value
    elif isinstance(record, StolenVehicle):
        values["VIN"] = record.vin
    elif isinstance(record, TravelDocument):
        values["DID"] = record.number
    else:
        values["SER"] = record.serial
    return values


def summary_of(record: Record) -> str:
    """One line naming a record, for the audit trail."""
    if isinstance(record, PersonNotice):
        return f"{record.eid} {record.colour.value} {record.nam}"
    return f"{record.eid} {record.summary}"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        family = getattr(type(value), "family", None)
        if family is not None:
            data["family"] = str(family.value)
        return data
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def message_json(message: Message, *, exported_by: str, ori: str, demo: bool = False) -> str:
    """The message for a case system: marked, with who exported it, photos in base64."""
    document = {
        "handling": marking(demo),
        "demo": demo,
        "exported_by": {"operator": exported_by, "ori": ori},
        "key": message.key.value,
        "header": _plain(message.header),
        "body_type": type(message.body).__name__,
        "body": _plain(message.body),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)

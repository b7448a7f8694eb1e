"""Our XML layout of hit confirmation: the YQ request (validated) and the YR answer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from console.domain import fields
from console.domain.confirmations import check_confirmation
from console.domain.errors import FieldError, MessageFormatError, echo
from console.domain.messages import HitConfirmationRequest, HitConfirmationResponse
from console.protocol.checks import nic, present, remarks
from console.protocol.inquiry_xml import (
    DOCUMENT,
    FIREARM,
    PERSON,
    VEHICLE,
    read_document,
    read_firearm,
    read_person,
    read_vehicle,
    write_document,
    write_firearm,
    write_person,
    write_vehicle,
)
from console.protocol.xmlbits import IP, need, need_text, optional, q, read_eid, sub, write_eid

REQUEST = q(IP, "HitConfirmationRequest")
RESPONSE = q(IP, "HitConfirmationResponse")


def encode_request(node: ET.Element, body: HitConfirmationRequest) -> None:
    item = ET.SubElement(node, REQUEST)
    _write_common(item, body.request_type.value, body.nic, body.priority.value, body.number)
    optional(item, IP, "CaseNumber", body.case)
    if body.name is not None or body.dob is not None or body.sex is not None:
        write_person(item, body.name, body.dob, body.sex)
    if body.vin is not None:
        write_vehicle(item, body.vin, None)
    if body.document is not None:
        write_document(item, body.document)
    if body.serial is not None:
        write_firearm(item, body.serial)
    optional(item, IP, "Remarks", body.remarks)


def decode_request(node: ET.Element) -> HitConfirmationRequest:
    """A YQ checked field by field, then by what the hit was on (a VIN on a WP is refused)."""
    item = need(node, IP, "HitConfirmationRequest")
    name = dob = sex = vin = document = serial = None
    if (person := item.find(PERSON)) is not None:
        name, dob, sex = read_person(person)
    if (vehicle := item.find(VEHICLE)) is not None:
        vin, engine = read_vehicle(vehicle)
        if engine is not None:
            raise FieldError("ENG", "does not belong in a hit confirmation")
    if (travel := item.find(DOCUMENT)) is not None:
        document, doc_type, country = read_document(travel)
        if doc_type is not None or country is not None:
            field = "TYP" if doc_type is not None else "CNT"
            raise FieldError(field, "does not belong in a hit confirmation")
    if (firearm := item.find(FIREARM)) is not None:
        serial = read_firearm(firearm)
    body = HitConfirmationRequest(
        request_type=fields.request_type(need_text(item, IP, "RequestType")),
        nic=nic(read_eid(item)),
        priority=fields.priority(need_text(item, IP, "Priority")),
        number=fields.request_number(item.findtext(q(IP, "RequestNumber")) or "1"),
        case=present("OCA", fields.case_number, item.findtext(q(IP, "CaseNumber"))),
        name=name,
        dob=dob,
        sex=sex,
        vin=vin,
        document=document,
        serial=serial,
        remarks=present("REM", remarks, item.findtext(q(IP, "Remarks"))),
    )
    check_confirmation(body)
    return body


def encode_response(node: ET.Element, body: HitConfirmationResponse) -> None:
    item = ET.SubElement(node, RESPONSE)
    _write_common(item, body.request_type.value, body.nic, body.priority.value, body.number)
    optional(item, IP, "CaseNumber", body.case)
    sub(item, IP, "Confirmation", body.status.value)
    if body.respond_by is not None:
        sub(item, IP, "ConfirmationDue", _iso_utc(body.respond_by))
    sub(item, IP, "Text", body.text)


def decode_response(node: ET.Element) -> HitConfirmationResponse:
    """A YR: its codes checked like typed ones, its text kept as the holder wrote it."""
    item = need(node, IP, "HitConfirmationResponse")
    due = item.findtext(q(IP, "ConfirmationDue"))
    return HitConfirmationResponse(
        request_type=fields.request_type(need_text(item, IP, "RequestType")),
        nic=fields.eid(read_eid(item)),
        priority=fields.priority(need_text(item, IP, "Priority")),
        status=fields.confirmation(need_text(item, IP, "Confirmation")),
        number=fields.request_number(item.findtext(q(IP, "RequestNumber")) or "1"),
        case=item.findtext(q(IP, "CaseNumber")),
        respond_by=_read_utc(due) if due else None,
        text=item.findtext(q(IP, "Text")) or "",
    )


def _write_common(item: ET.Element, kind: str, nic: str, priority: str, number: int) -> None:
    sub(item, IP, "RequestType", kind)
    write_eid(item, nic)  # the NIC is the record's INTERPOL id
    sub(item, IP, "Priority", priority)
    sub(item, IP, "RequestNumber", str(number))


def _iso_utc(when: datetime) -> str:
    """ISO 8601 in UTC marked Z; a time without a zone is taken as UTC already."""
    utc = when.astimezone(UTC) if when.tzinfo else when
    return utc.replace(tzinfo=None).isoformat() + "Z"


def _read_utc(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise MessageFormatError(
            f"ConfirmationDue is not an ISO date and time: {echo(text)}"
        ) from None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)

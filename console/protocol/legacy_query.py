"""Prefixed fields of what an operator sends: which fields each key takes, read and written."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from console.domain import fields
from console.domain.codes import MessageKey
from console.domain.confirmations import check_confirmation
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    DocumentInquiry,
    GunInquiry,
    HitConfirmationRequest,
    Inquiry,
    PersonInquiry,
    RecordInquiry,
    VehicleInquiry,
)
from console.protocol import checks

T = TypeVar("T")

FREE_TEXT_FIELD = "REM"  # free text runs to the end of the message: it may hold periods
_RECORD = (frozenset({"EID"}), frozenset[str]())
QUERY_FIELDS: dict[MessageKey, tuple[frozenset[str], frozenset[str]]] = {
    # key: (required prefixes, optional prefixes); an AM carries free text, not fields
    MessageKey.IPQ: (frozenset({"NAM"}), frozenset({"DOB", "SEX"})),
    MessageKey.FPQ: _RECORD,
    MessageKey.IVQ: (frozenset(), frozenset({"VIN", "ENG"})),  # at least one of the two
    MessageKey.FVQ: _RECORD,
    MessageKey.ITQ: (frozenset({"DID"}), frozenset({"TYP", "CNT"})),
    MessageKey.FTQ: _RECORD,
    MessageKey.IGQ: (frozenset({"SER"}), frozenset()),
    MessageKey.FGQ: _RECORD,
    MessageKey.YQ: (
        frozenset({"RTY", "NIC", "PRI"}),
        # which identifiers fit depends on RTY: check_confirmation decides
        frozenset({"RNO", "OCA", "NAM", "DOB", "SEX", "VIN", "DID", "SER", FREE_TEXT_FIELD}),
    ),
}


def build_body(key: MessageKey, values: dict[str, str]) -> Inquiry | HitConfirmationRequest:
    """The body of a key from its fields (prefix -> text as typed), each checked by its rule."""
    get = values.get
    if key.is_full_record:
        return RecordInquiry(fields.eid(values["EID"]))
    if key is MessageKey.IPQ:
        return PersonInquiry(
            name=fields.name(values["NAM"]),
            dob=_opt(fields.dob, get("DOB")),
            sex=_opt(fields.sex, get("SEX")),
        )
    if key is MessageKey.IVQ:
        if not values:
            raise FieldError("VIN", "or ENG is required (a VIN, an engine number or both)")
        return VehicleInquiry(
            vin=_opt(fields.vin, get("VIN")), engine=_opt(fields.engine_number, get("ENG"))
        )
    if key is MessageKey.ITQ:
        return DocumentInquiry(
            number=fields.document_number(values["DID"]),
            doc_type=_opt(fields.document_type, get("TYP")),
            country=_opt(fields.country, get("CNT")),
        )
    if key is MessageKey.IGQ:
        return GunInquiry(fields.serial_number(values["SER"]))
    if key is MessageKey.YQ:
        return _confirmation_request(values)
    raise MessageFormatError(f"{key} carries no prefixed fields")


def _confirmation_request(values: dict[str, str]) -> HitConfirmationRequest:
    get = values.get
    body = HitConfirmationRequest(
        request_type=fields.request_type(values["RTY"]),
        nic=checks.nic(values["NIC"]),
        priority=fields.priority(values["PRI"]),
        number=fields.request_number(get("RNO", "1")),
        case=_opt(fields.case_number, get("OCA")),
        name=_opt(fields.name, get("NAM")),
        dob=_opt(fields.dob, get("DOB")),
        sex=_opt(fields.sex, get("SEX")),
        vin=_opt(fields.vin, get("VIN")),
        document=_opt(fields.document_number, get("DID")),
        serial=_opt(fields.serial_number, get("SER")),
        remarks=_opt(checks.remarks, get(FREE_TEXT_FIELD)),
    )
    check_confirmation(body)
    return body


def field_items(body: Inquiry | HitConfirmationRequest) -> list[str]:
    """The body's fields as ``PFX/value`` in the usual order (free text last)."""
    if isinstance(body, PersonInquiry):
        return _items(NAM=body.name, DOB=_ymd(body), SEX=body.sex)
    if isinstance(body, RecordInquiry):
        return [f"EID/{body.eid}"]
    if isinstance(body, VehicleInquiry):
        return _items(VIN=body.vin, ENG=body.engine)
    if isinstance(body, DocumentInquiry):
        return _items(DID=body.number, TYP=body.doc_type, CNT=body.country)
    if isinstance(body, GunInquiry):
        return [f"SER/{body.serial}"]
    return _items(
        RTY=body.request_type,
        NIC=body.nic,
        PRI=body.priority,
        RNO=str(body.number),
        OCA=body.case,
        NAM=body.name,
        DOB=_ymd(body),
        SEX=body.sex,
        VIN=body.vin,
        DID=body.document,
        SER=body.serial,
        REM=body.remarks,
    )


def _items(**values: str | None) -> list[str]:
    # a StrEnum is its code; a field with no value is left out, prefix and all
    return [f"{prefix}/{value}" for prefix, value in values.items() if value is not None]


def _ymd(body: PersonInquiry | HitConfirmationRequest) -> str | None:
    return None if body.dob is None else f"{body.dob:%Y%m%d}"


def _opt(rule: Callable[[str], T], text: str | None) -> T | None:
    return None if text is None else rule(text)

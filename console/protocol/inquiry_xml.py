"""Our XML layout of INTERPOL inquiries inside NLETSInquiryData, validated like typed input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from console.domain import fields
from console.domain.codes import DocumentType, MessageKey, Sex
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    DocumentInquiry,
    GunInquiry,
    Inquiry,
    PersonInquiry,
    RecordInquiry,
    VehicleInquiry,
)
from console.protocol.checks import present
from console.protocol.xmlbits import (
    IP,
    NC,
    need,
    optional,
    q,
    read_eid,
    read_id,
    sub,
    write_eid,
    write_id,
)

# the element each inquiry's subject travels in: a person, a vehicle, a document, a gun
PERSON = q(NC, "Person")
VEHICLE = q(NC, "Vehicle")
DOCUMENT = q(IP, "TravelDocument")
FIREARM = q(IP, "Firearm")


def encode_inquiry(node: ET.Element, body: Inquiry) -> None:
    if isinstance(body, RecordInquiry):
        write_eid(node, body.eid)
    elif isinstance(body, PersonInquiry):
        write_person(node, body.name, body.dob, body.sex)
    elif isinstance(body, VehicleInquiry):
        write_vehicle(node, body.vin, body.engine)
    elif isinstance(body, DocumentInquiry):
        write_document(node, body.number, body.doc_type, body.country)
    else:
        write_firearm(node, body.serial)


def decode_inquiry(key: MessageKey, node: ET.Element) -> Inquiry:
    """The inquiry a query key carries; every field checked by the operator-input rules."""
    if key.is_full_record:
        return RecordInquiry(fields.eid(read_eid(node)))
    if key is MessageKey.IPQ:
        name, dob, sex = read_person(need(node, NC, "Person"))
        if name is None:
            raise FieldError("NAM", f"is required in {key}")
        return PersonInquiry(name, dob, sex)
    if key is MessageKey.IVQ:
        vin, engine = read_vehicle(need(node, NC, "Vehicle"))
        if vin is None and engine is None:
            raise FieldError("VIN", "or ENG is required (a VIN, an engine number or both)")
        return VehicleInquiry(vin, engine)
    if key is MessageKey.ITQ:
        number, doc_type, country = read_document(need(node, IP, "TravelDocument"))
        if number is None:
            raise FieldError("DID", f"is required in {key}")
        return DocumentInquiry(number, doc_type, country)
    if key is MessageKey.IGQ:
        serial = read_firearm(need(node, IP, "Firearm"))
        if serial is None:
            raise FieldError("SER", f"is required in {key}")
        return GunInquiry(serial)
    raise MessageFormatError(f"{key} is not an inquiry")


# each subject's identifiers, shared with the hit confirmation request


def write_person(node: ET.Element, name: str | None, dob: date | None, sex: Sex | None) -> None:
    person = ET.SubElement(node, PERSON)
    if name is not None:
        sub(ET.SubElement(person, q(NC, "PersonName")), NC, "PersonFullName", name)
    if dob is not None:
        sub(ET.SubElement(person, q(NC, "PersonBirthDate")), NC, "Date", dob.isoformat())
    if sex is not None:
        sub(person, NC, "PersonSexCode", sex.value)


def read_person(person: ET.Element) -> tuple[str | None, date | None, Sex | None]:
    name = person.findtext(f"{q(NC, 'PersonName')}/{q(NC, 'PersonFullName')}")
    born = person.findtext(f"{q(NC, 'PersonBirthDate')}/{q(NC, 'Date')}")
    sex = person.findtext(q(NC, "PersonSexCode"))
    return (
        present("NAM", fields.name, name),
        # xsd:date inside XML, checked by the DOB rules (a real date, not in the future)
        present("DOB", lambda text: fields.dob(_xsd_date(text).strftime("%Y%m%d")), born),
        present("SEX", fields.sex, sex),
    )


def write_vehicle(node: ET.Element, vin: str | None, engine: str | None) -> None:
    vehicle = ET.SubElement(node, VEHICLE)
    if vin is not None:
        write_id(vehicle, NC, "VehicleIdentification", vin)
    if engine is not None:
        write_id(vehicle, IP, "EngineIdentification", engine)


def read_vehicle(vehicle: ET.Element) -> tuple[str | None, str | None]:
    return (
        present("VIN", fields.vin, read_id(vehicle, NC, "VehicleIdentification")),
        present("ENG", fields.engine_number, read_id(vehicle, IP, "EngineIdentification")),
    )


def write_document(
    node: ET.Element, number: str, doc_type: DocumentType | None = None, country: str | None = None
) -> None:
    document = ET.SubElement(node, DOCUMENT)
    write_id(document, NC, "DocumentIdentification", number)
    optional(document, IP, "DocumentType", doc_type.value if doc_type is not None else None)
    optional(document, IP, "IssuingCountry", country)


def read_document(
    document: ET.Element,
) -> tuple[str | None, DocumentType | None, str | None]:
    return (
        present("DID", fields.document_number, read_id(document, NC, "DocumentIdentification")),
        present("TYP", fields.document_type, document.findtext(q(IP, "DocumentType"))),
        present("CNT", fields.country, document.findtext(q(IP, "IssuingCountry"))),
    )


def write_firearm(node: ET.Element, serial: str) -> None:
    write_id(ET.SubElement(node, FIREARM), NC, "ItemSerialIdentification", serial)


def read_firearm(firearm: ET.Element) -> str | None:
    return present("SER", fields.serial_number, read_id(firearm, NC, "ItemSerialIdentification"))


def _xsd_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FieldError("DOB", "must be an xsd:date (yyyy-mm-dd) inside XML", text) from None

"""Our XML layout of INTERPOL object records (vehicles, travel documents, guns) in responses.

Records come from INTERPOL's gateway, so they are read leniently: a status, colour or type
text we do not know is kept as it came, never refused.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from console.domain.codes import DocumentType, Family
from console.domain.errors import MessageFormatError
from console.domain.messages import ObjectList, ObjectResponse
from console.domain.objects import Gun, ObjectMatch, ObjectRecord, StolenVehicle, TravelDocument
from console.protocol.inquiry_xml import DOCUMENT, FIREARM, VEHICLE
from console.protocol.xmlbits import (
    IP,
    NC,
    optional,
    q,
    read_asked,
    read_date,
    read_eid,
    read_id,
    read_image,
    read_searched,
    searched_attrs,
    sub,
    write_asked,
    write_date,
    write_eid,
    write_id,
    write_image,
)


def encode_matches(node: ET.Element, body: ObjectList) -> None:
    group = ET.SubElement(node, q(IP, "MatchList"), searched_attrs(body.total, body.searched))
    for match in body.matches:
        attrs = {q(IP, "score"): str(match.score), q(IP, "reason"): match.reason}
        if match.has_photo:
            attrs[q(IP, "photo")] = "true"
        encode_object(ET.SubElement(group, q(IP, "Match"), attrs), match.record)


def decode_matches(family: Family, node: ET.Element) -> ObjectList:
    group = node.find(q(IP, "MatchList"))
    if group is None:
        raise MessageFormatError("an object search answer without a MatchList")
    matches = tuple(
        ObjectMatch(
            record=_decode_object(family, item),
            score=int(item.get(q(IP, "score"), "0")),
            reason=item.get(q(IP, "reason"), ""),
            has_photo=item.get(q(IP, "photo")) == "true",
        )
        for item in group.findall(q(IP, "Match"))
    )
    total, searched = read_searched(group)
    return ObjectList(matches, total, searched)


def encode_response(node: ET.Element, body: ObjectResponse) -> None:
    if body.record is None:
        write_eid(ET.SubElement(node, q(IP, "NoRecord")), body.eid)
    else:
        write_asked(node, body.eid, body.record.eid)
        encode_object(node, body.record)


def decode_response(family: Family, node: ET.Element) -> ObjectResponse:
    if (missing := node.find(q(IP, "NoRecord"))) is not None:
        return ObjectResponse(read_eid(missing))
    record = _decode_object(family, node)
    return ObjectResponse(read_asked(node, record.eid), record)


def encode_object(node: ET.Element, record: ObjectRecord) -> None:
    if isinstance(record, StolenVehicle):
        _encode_vehicle(ET.SubElement(node, VEHICLE), record)
    elif isinstance(record, TravelDocument):
        _encode_document(ET.SubElement(node, DOCUMENT), record)
    else:
        _encode_gun(ET.SubElement(node, FIREARM), record)


def _decode_object(family: Family, parent: ET.Element) -> ObjectRecord:
    """The record of the family the message key names; another family's record is refused."""
    tag, decode = _DECODERS[family]
    item = parent.find(tag)
    if item is None:
        raise MessageFormatError(f"a {family} answer without its {tag.split('}')[1]} record")
    return decode(item)


# stolen motor vehicles


def _encode_vehicle(item: ET.Element, car: StolenVehicle) -> None:
    write_eid(item, car.eid)
    write_id(item, NC, "VehicleIdentification", car.vin)
    if car.engine_number is not None:
        write_id(item, IP, "EngineIdentification", car.engine_number)
    sub(item, NC, "ItemMakeName", car.make)
    sub(item, NC, "ItemModelName", car.model)
    optional(item, NC, "ItemModelYearDate", None if car.year is None else str(car.year))
    optional(item, NC, "ConveyanceColorPrimaryText", car.colour)
    optional(item, NC, "ItemCategoryText", car.vehicle_type)
    if car.plate is not None:
        write_id(item, NC, "ConveyanceRegistrationPlateIdentification", car.plate)
    optional(item, IP, "PlateCountry", car.plate_country)
    sub(item, IP, "ReportingCountry", car.reported_by)
    write_date(item, IP, "TheftDate", car.date_stolen)
    optional(item, IP, "TheftPlace", car.place_stolen)
    for photo in car.photos:
        write_image(item, photo)


def _decode_vehicle(item: ET.Element) -> StolenVehicle:
    year = item.findtext(q(NC, "ItemModelYearDate"))
    return StolenVehicle(
        eid=read_eid(item),
        vin=read_id(item, NC, "VehicleIdentification") or "",
        make=_text(item, NC, "ItemMakeName"),
        model=_text(item, NC, "ItemModelName"),
        reported_by=_text(item, IP, "ReportingCountry"),
        engine_number=read_id(item, IP, "EngineIdentification"),
        year=int(year) if year is not None else None,
        colour=item.findtext(q(NC, "ConveyanceColorPrimaryText")),
        vehicle_type=item.findtext(q(NC, "ItemCategoryText")),
        plate=read_id(item, NC, "ConveyanceRegistrationPlateIdentification"),
        plate_country=item.findtext(q(IP, "PlateCountry")),
        date_stolen=read_date(item, IP, "TheftDate"),
        place_stolen=item.findtext(q(IP, "TheftPlace")),
        photos=tuple(read_image(image) for image in item.findall(q(NC, "Image"))),
    )


# stolen and lost travel documents


def _encode_document(item: ET.Element, doc: TravelDocument) -> None:
    write_eid(item, doc.eid)
    write_id(item, NC, "DocumentIdentification", doc.number)
    sub(item, IP, "DocumentType", doc.doc_type.value)
    sub(item, IP, "IssuingCountry", doc.issuing_country)
    sub(item, IP, "Status", doc.status)
    holder = (
        doc.holder_family_name,
        doc.holder_forename,
        doc.holder_date_of_birth,
        doc.holder_nationality,
    )
    if any(value is not None for value in holder):
        person = ET.SubElement(item, q(NC, "Person"))
        name = ET.SubElement(person, q(NC, "PersonName"))
        optional(name, NC, "PersonGivenName", doc.holder_forename)
        optional(name, NC, "PersonSurName", doc.holder_family_name)
        if doc.holder_date_of_birth is not None:
            write_date(
                ET.SubElement(person, q(NC, "PersonBirthDate")),
                NC,
                "Date",
                doc.holder_date_of_birth,
            )
        optional(person, NC, "PersonCitizenshipISO3166Alpha2Code", doc.holder_nationality)
    write_date(item, IP, "IssueDate", doc.date_of_issue)
    write_date(item, IP, "ExpiryDate", doc.date_of_expiry)
    write_date(item, IP, "ReportDate", doc.date_reported)
    optional(item, IP, "ReportPlace", doc.place_reported)


def _decode_document(item: ET.Element) -> TravelDocument:
    person = item.find(q(NC, "Person"))
    holder = person if person is not None else ET.Element("none")
    born = holder.find(q(NC, "PersonBirthDate"))
    return TravelDocument(
        eid=read_eid(item),
        number=read_id(item, NC, "DocumentIdentification") or "",
        doc_type=DocumentType(_text(item, IP, "DocumentType").strip()),
        issuing_country=_text(item, IP, "IssuingCountry"),
        status=_text(item, IP, "Status"),
        holder_family_name=holder.findtext(f"{q(NC, 'PersonName')}/{q(NC, 'PersonSurName')}"),
        holder_forename=holder.findtext(f"{q(NC, 'PersonName')}/{q(NC, 'PersonGivenName')}"),
        holder_date_of_birth=read_date(born, NC, "Date") if born is not None else None,
        holder_nationality=holder.findtext(q(NC, "PersonCitizenshipISO3166Alpha2Code")),
        date_of_issue=read_date(item, IP, "IssueDate"),
        date_of_expiry=read_date(item, IP, "ExpiryDate"),
        date_reported=read_date(item, IP, "ReportDate"),
        place_reported=item.findtext(q(IP, "ReportPlace")),
    )


# stolen, lost and trafficked guns


def _encode_gun(item: ET.Element, gun: Gun) -> None:
    write_eid(item, gun.eid)
    write_id(item, NC, "ItemSerialIdentification", gun.serial)
    sub(item, NC, "ItemMakeName", gun.make)
    sub(item, NC, "ItemModelName", gun.model)
    optional(item, NC, "ItemCategoryText", gun.gun_type)
    optional(item, IP, "Calibre", gun.calibre)
    sub(item, IP, "Status", gun.status)
    sub(item, IP, "ReportingCountry", gun.reported_by)
    write_date(item, IP, "ReportDate", gun.date_reported)
    optional(item, IP, "ReportPlace", gun.place_reported)


def _decode_gun(item: ET.Element) -> Gun:
    return Gun(
        eid=read_eid(item),
        serial=read_id(item, NC, "ItemSerialIdentification") or "",
        make=_text(item, NC, "ItemMakeName"),
        model=_text(item, NC, "ItemModelName"),
        reported_by=_text(item, IP, "ReportingCountry"),
        status=_text(item, IP, "Status"),
        gun_type=item.findtext(q(NC, "ItemCategoryText")),
        calibre=item.findtext(q(IP, "Calibre")),
        date_reported=read_date(item, IP, "ReportDate"),
        place_reported=item.findtext(q(IP, "ReportPlace")),
    )


def _text(item: ET.Element, ns: str, tag: str) -> str:
    """A text the record always has; a missing one reads as empty rather than failing."""
    return item.findtext(q(ns, tag)) or ""


_DECODERS: dict[Family, tuple[str, Callable[[ET.Element], ObjectRecord]]] = {
    Family.VEHICLE: (VEHICLE, _decode_vehicle),
    Family.DOCUMENT: (DOCUMENT, _decode_document),
    Family.GUN: (FIREARM, _decode_gun),
}

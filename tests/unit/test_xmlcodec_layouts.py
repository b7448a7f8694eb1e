"""The XML layouts of object, confirmation and admin traffic, and the field rules inside them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from console.domain.codes import Confirmation, MessageKey
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    Body,
    DocumentInquiry,
    FreeText,
    Header,
    HitConfirmationRequest,
    Message,
    ObjectList,
    ObjectResponse,
    PersonInquiry,
    VehicleInquiry,
)
from console.domain.objects import ObjectMatch
from console.protocol import xmlcodec
from tests.unit.test_xmlcodec import (
    BLANK,
    CAR,
    GUN,
    PASSPORT,
    STAMP,
    SV_REQUEST,
    WP_REQUEST,
    answer,
    header_for,
)


def document_of(key: MessageKey, body: Body, response_text: str = "") -> str:
    return xmlcodec.encode(Message(header_for(key), body, response_text)).decode()


def decode_text(document: str) -> Message:
    return xmlcodec.decode(document.encode())


def test_am_to_several_agencies_repeats_the_destination() -> None:
    text = "Please call our desk.\nREF 24/1"
    document = document_of(MessageKey.AM, FreeText(text))
    assert re.findall(r"<nh2:DestinationORIID>(\w+)</", document) == [
        "DCINTER00",
        "OR0340100",
        "CA0190000",
    ]
    assert '<n2:NLETSMailData n2:key="AM">' in document
    decoded = decode_text(document)
    assert decoded.header.destinations == ("DCINTER00", "OR0340100", "CA0190000")
    assert decoded.body == FreeText(text)


def test_inquiries_use_niem_names() -> None:
    vehicle = document_of(MessageKey.IVQ, VehicleInquiry(CAR.vin, "L36 1"))
    assert (
        f"<nc:Vehicle><nc:VehicleIdentification><nc:IdentificationID>{CAR.vin}"
        "</nc:IdentificationID></nc:VehicleIdentification>"
    ) in vehicle
    assert "<ip:EngineIdentification><nc:IdentificationID>L36 1<" in vehicle
    travel = document_of(MessageKey.ITQ, DocumentInquiry("X1", country="DE"))
    assert "<ip:TravelDocument><nc:DocumentIdentification><nc:IdentificationID>X1<" in travel
    assert "<ip:IssuingCountry>DE</ip:IssuingCountry>" in travel


def test_match_list_and_record_layouts() -> None:
    matches = ObjectList((ObjectMatch(CAR, 93, "VIN 1 CHARACTER DIFFERENT", True),), total=5)
    listing = document_of(MessageKey.IVR, matches, "TEXT")
    assert '<ip:MatchList ip:total="5">' in listing
    assert 'ip:score="93"' in listing and 'ip:reason="VIN 1 CHARACTER DIFFERENT"' in listing
    assert 'ip:photo="true"' in listing
    record = document_of(MessageKey.FVR, ObjectResponse(CAR.eid, CAR), "TEXT")
    assert "<nc:Image><nc:BinaryBase64Object>" in record
    assert "<nc:BinaryFormatID>image/jpeg</nc:BinaryFormatID>" in record
    assert "<ip:TheftDate>2024-03-02</ip:TheftDate>" in record  # xsd:date
    missing = document_of(MessageKey.FGR, ObjectResponse("2019/00001"), "NO RECORD")
    assert "<ip:NoRecord><j4:SubjectIdentification><nc:IdentificationID>2019/00001<" in missing


def test_confirmation_layouts() -> None:
    request = document_of(MessageKey.YQ, WP_REQUEST)
    assert "<n2:NLETSInquiryData><ip:HitConfirmationRequest><ip:RequestType>WP<" in request
    assert "<ip:Priority>U</ip:Priority>" in request
    assert "<nc:Date>1980-01-01</nc:Date>" in request
    pending = answer(SV_REQUEST, Confirmation.PENDING, "CHECKING.", respond_by=STAMP)
    document = document_of(MessageKey.YR, pending, "HIT CONFIRMATION RESPONSE")
    assert "<n2:NLETSResponseData><n2:ResponseText>HIT CONFIRMATION RESPONSE<" in document
    assert "<ip:HitConfirmationResponse><ip:RequestType>SV<" in document
    assert "<ip:Confirmation>P</ip:Confirmation>" in document
    assert "<ip:ConfirmationDue>2026-11-24T14:05:07Z</ip:ConfirmationDue>" in document


def test_unknown_record_texts_are_kept_raw() -> None:
    document = document_of(MessageKey.FTR, ObjectResponse(BLANK.eid, BLANK), "TEXT")
    decoded = decode_text(document.replace("PRINTER THEFT", "SEIZED AT BORDER"))
    assert isinstance(decoded.body, ObjectResponse)
    assert decoded.body.record == replace(BLANK, status="SEIZED AT BORDER")


@pytest.mark.parametrize(
    ("key", "body", "edit"),
    [
        # an answer of one database holding another's record
        (MessageKey.IVR, ObjectList((ObjectMatch(PASSPORT, 100, "DID"),)), ("", "")),
        (MessageKey.FGR, ObjectResponse(CAR.eid, CAR), ("", "")),
        # a document type no one defined: the record cannot be typed
        (MessageKey.FTR, ObjectResponse(PASSPORT.eid, PASSPORT), (">P<", ">Z<")),
        (MessageKey.IGR, ObjectList((ObjectMatch(GUN, 100, "SER"),)), ('score="100"', 'score="x"')),
        (MessageKey.YR, SV_REQUEST, ("", "")),  # a request where an answer belongs
        (MessageKey.AM, PersonInquiry("SMITH, JOHN"), ("", "")),
    ],
)
def test_misplaced_or_untypable_content_is_a_format_error(
    key: MessageKey, body: Body, edit: tuple[str, str]
) -> None:
    document = document_of(key, body, "TEXT").replace(*edit)
    with pytest.raises(MessageFormatError):
        decode_text(document)


BAD_VIN = "1G4AH59H55G118341"  # North American: position 9 must be 4
TRAVEL = "<ip:TravelDocument>"
TYPE_Z = "<ip:DocumentType>Z</ip:DocumentType>"


@pytest.mark.parametrize(
    ("key", "body", "edit", "field", "rule"),
    [
        (MessageKey.IVQ, VehicleInquiry(BAD_VIN), None, "VIN", "must be 4"),
        (MessageKey.IVQ, VehicleInquiry(), None, "VIN", "or ENG is required"),
        (MessageKey.ITQ, DocumentInquiry("X1", country="XX"), None, "CNT", "ISO 3166"),
        (MessageKey.ITQ, DocumentInquiry("X1"), (TRAVEL, TRAVEL + TYPE_Z), "TYP", "one of"),
        (MessageKey.YQ, replace(WP_REQUEST, vin=CAR.vin), None, "VIN", "does not belong"),
        (MessageKey.YQ, replace(WP_REQUEST, name=None), None, "NAM", "is required"),
        (MessageKey.YQ, replace(WP_REQUEST, number=4), None, "RNO", "1, 2 or 3"),
        (MessageKey.YQ, replace(WP_REQUEST, nic="12345"), None, "NIC", "one /"),
        (MessageKey.YQ, replace(WP_REQUEST, dob=date(2999, 1, 1)), None, "DOB", "future"),
        (MessageKey.YQ, WP_REQUEST, (">U<", ">X<"), "PRI", "U (urgent"),
        (MessageKey.YQ, SV_REQUEST, (">SV<", ">ZZ<"), "RTY", "one of"),
        (MessageKey.YQ, SV_REQUEST, ("DCINTER00", "IP"), "DEST", "9 letters"),
        (MessageKey.IPQ, PersonInquiry("SMITH, JOHN"), (">SMITH, JOHN<", "><"), "NAM", "blank"),
    ],
)
def test_field_rules_apply_inside_xml(
    key: MessageKey, body: Body, edit: tuple[str, str] | None, field: str, rule: str
) -> None:
    document = document_of(key, body)
    if edit:
        document = document.replace(*edit)
    with pytest.raises(FieldError) as caught:
        decode_text(document)
    assert caught.value.field == field
    assert rule in caught.value.rule


def test_agency_traffic_is_addressed_by_the_rules() -> None:
    too_many = ",".join(f"WA03400{n:02d}" for n in range(1, 7))
    six = Message(Header(MessageKey.AM, "WA0340000", too_many), FreeText("HELLO"))
    with pytest.raises(FieldError) as caught:
        xmlcodec.decode(xmlcodec.encode(six))
    assert (caught.value.field, caught.value.rule) == ("DEST", "may name at most 5 ORIs")
    elsewhere = Message(Header(MessageKey.IVQ, "WA0340000", "NL"), VehicleInquiry(CAR.vin))
    with pytest.raises(FieldError, match="destination IP"):
        xmlcodec.decode(xmlcodec.encode(elsewhere))


def test_yq_carries_the_remarks_line_breaks() -> None:
    decoded = decode_text(document_of(MessageKey.YQ, WP_REQUEST))
    assert isinstance(decoded.body, HitConfirmationRequest)
    assert decoded.body.remarks == "Driver held at the stop.\nCall 555/0100."

"""The XML envelope: every body round-trips; hostile or broken documents give one clear error."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from console.domain.codes import (
    Confirmation,
    DocumentType,
    ErrorCode,
    MessageKey,
    NoticeColour,
    Priority,
    RequestType,
    Sex,
)
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    Body,
    CandidateList,
    DocumentInquiry,
    ErrorReply,
    FreeText,
    GunInquiry,
    Header,
    HitConfirmationRequest,
    HitConfirmationResponse,
    Message,
    ObjectList,
    ObjectResponse,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
    VehicleInquiry,
)
from console.domain.objects import DocumentStatus, Gun, ObjectMatch, StolenVehicle, TravelDocument
from console.domain.records import Candidate, LinkedNotice, PersonNotice, Photo, Warrant
from console.protocol import xmlcodec

STAMP = datetime(2026, 11, 24, 14, 5, 7, tzinfo=UTC)

NOTICE = PersonNotice(
    eid="2020/00077",
    colour=NoticeColour.YELLOW,
    family_name="NOWAK-KOWALSKA",
    forename="ZOFIA",
    sex=Sex.FEMALE,
    birth_year=2009,
    place_of_birth="KRAKOW",
    country_of_birth="PL",
    nationalities=("PL", "XK"),
    native_name="Zofia Nowak-Kowalska",
    height_m=1.52,
    weight_kg=44.5,
    eye_colours=("BLU",),
    hair_colours=("BLN", "ZZZ"),
    distinguishing_marks="Scar on left wrist",
    languages=("pol", "eng"),
    warrants=(Warrant("Line one\nline two", "PL", None),),
    photos=(Photo(b"\x89PNG\r\n\x1a\nfake", "image/png"),),
    birth_name="ZOFIA NOWAK",
    date_of_event=date(2024, 5, 1),
    place_of_event="GDANSK",
    country_of_event="PL",
    linked=(
        LinkedNotice("2020/00078", "NOWAK, ADAM", NoticeColour.YELLOW),
        LinkedNotice("2020/00079", "NOWAK, EWA", "SILVER"),
    ),
    summary="Missing since leaving school\non 1 May 2024",
)
REAL = replace(
    NOTICE,
    eid="2013/7678",
    family_name="DEVRAJ",
    forename=None,
    native_name="Devraj",
    birth_year=1985,
    birth_month=6,
    father_name="Testov, Pavel",
    mother_name="Testova, Olga",
    countries_likely=("DE", "CZ"),
    linked=(),
)
REAL_CANDIDATE = Candidate(
    "2017/153597", NoticeColour.RED, "DEVRAJ,", None, Sex.MALE, (), 91, 1985, birth_month=6
)
CANDIDATE = Candidate(
    eid="2018/04321",
    colour=NoticeColour.RED,
    name="TANAKA, HIROSHI",
    date_of_birth=date(1971, 3, 9),
    sex=Sex.MALE,
    nationalities=("JP",),
    score=88,
    has_photo=True,
)

CAR = StolenVehicle(
    eid="2021/00042",
    vin="1G4AH59H45G118341",
    make="BUICK",
    model="LESABRE",
    reported_by="US",
    engine_number="L36 123456",
    year=2005,
    colour="Dark blue",  # free text from the entering country, kept as it came
    vehicle_type="PASSENGER CAR",
    plate="AB-123-CD",
    plate_country="FR",
    date_stolen=date(2024, 3, 2),
    place_stolen="LYON",
    photos=(Photo(b"\xff\xd8\xff\xe0fake", "image/jpeg"),),
)
OLD_CAR = StolenVehicle("2019/00007", "VF7", "CITROEN", "2CV", "FR")  # only what must be known
PASSPORT = TravelDocument(
    eid="2022/00311",
    number="X1234567",
    doc_type=DocumentType.PASSPORT,
    issuing_country="DE",
    status=DocumentStatus.STOLEN,
    holder_family_name="MULLER",
    holder_forename="ANNA",
    holder_date_of_birth=date(1990, 7, 14),
    holder_nationality="DE",
    date_of_issue=date(2019, 1, 10),
    date_of_expiry=date(2029, 1, 9),
    date_reported=date(2024, 2, 1),
    place_reported="BERLIN",
)
BLANK = TravelDocument("2022/00312", "B0000001", DocumentType.VISA, "XK", "PRINTER THEFT")
GUN = Gun(
    eid="2023/00099",
    serial="ABC 12345",
    make="GLOCK",
    model="17",
    reported_by="AT",
    status="TRAFFICKED",
    gun_type="PISTOL",
    calibre="9MM",
    date_reported=date(2023, 11, 30),
    place_reported="WIEN",
)
WP_REQUEST = HitConfirmationRequest(
    request_type=RequestType.WANTED_PERSON,
    nic="2019/01234",
    priority=Priority.URGENT,
    case="24-001234",
    name="SMITH, JOHN",
    dob=date(1980, 1, 1),
    sex=Sex.MALE,
    remarks="Driver held at the stop.\nCall 555/0100.",
)
SV_REQUEST = HitConfirmationRequest(
    request_type=RequestType.STOLEN_VEHICLE,
    nic=CAR.eid,
    priority=Priority.ROUTINE,
    number=2,
    vin=CAR.vin,
)
SD_REQUEST = HitConfirmationRequest(
    RequestType.STOLEN_DOCUMENT, PASSPORT.eid, Priority.URGENT, document=PASSPORT.number
)
SG_REQUEST = HitConfirmationRequest(
    RequestType.STOLEN_GUN, GUN.eid, Priority.ROUTINE, 3, case="A-1", serial=GUN.serial
)


def answer(
    request: HitConfirmationRequest,
    status: Confirmation,
    text: str = "",
    respond_by: datetime | None = None,
) -> HitConfirmationResponse:
    """The holder's YR to a request, as INTERPOL Washington's desk writes it."""
    return HitConfirmationResponse(
        request.request_type,
        request.nic,
        request.priority,
        status,
        request.number,
        request.case,
        respond_by,
        text,
    )


BODIES: list[tuple[MessageKey, Body]] = [
    (MessageKey.IPQ, PersonInquiry("SMITH, JOHN", date(1980, 1, 1), Sex.MALE)),
    (MessageKey.IPQ, PersonInquiry("SMITH, JOHN")),
    (MessageKey.FPQ, RecordInquiry("2019/01234")),
    (MessageKey.IPR, CandidateList((CANDIDATE,), total=3)),
    (MessageKey.IPR, CandidateList()),
    (MessageKey.FPR, RecordResponse(NOTICE.eid, NOTICE)),
    (MessageKey.FPR, RecordResponse("2019/00001")),
    # as real data comes: an id as issued asked with a leading zero, a one-name subject, a
    # year-and-month birth date, parents' names, the fields an empty search searched
    (MessageKey.FPR, RecordResponse("2013/07678", REAL)),
    (MessageKey.IPR, CandidateList((REAL_CANDIDATE,), 1, ("NAM", "DOB"))),
    (MessageKey.IPR, CandidateList((), 0, ("NAM", "DOB", "SEX"))),
    (MessageKey.IVR, ObjectList((), 0, ("VIN", "ENG"))),
    (MessageKey.ER, ErrorReply(ErrorCode.INVALID_FIELD, "NAM: is required")),
    (MessageKey.AM, FreeText("Shift change at 0600")),
    (MessageKey.AM, FreeText("Line one. With a period\nline two: 1/2\n\nafter a blank line")),
    (MessageKey.SM, FreeText(".02. USER OUT OF SERVICE FOR MSG TYPE, NLETS WILL FORWARD")),
    (MessageKey.IVQ, VehicleInquiry(vin=CAR.vin)),
    (MessageKey.IVQ, VehicleInquiry(engine="L36 123456")),
    (MessageKey.IVQ, VehicleInquiry(vin="VF7", engine="X-1")),
    (MessageKey.FVQ, RecordInquiry(CAR.eid)),
    (MessageKey.ITQ, DocumentInquiry("X1234567", DocumentType.PASSPORT, "DE")),
    (MessageKey.ITQ, DocumentInquiry("X1234567")),
    (MessageKey.FTQ, RecordInquiry(PASSPORT.eid)),
    (MessageKey.IGQ, GunInquiry("ABC 12345")),
    (MessageKey.FGQ, RecordInquiry(GUN.eid)),
    (MessageKey.IVR, ObjectList((ObjectMatch(OLD_CAR, 100, "VIN", True),), total=1)),
    (MessageKey.IVR, ObjectList((ObjectMatch(CAR, 93, "VIN 1 CHARACTER DIFFERENT"),), 40)),
    (MessageKey.IVR, ObjectList()),
    (MessageKey.ITR, ObjectList((ObjectMatch(PASSPORT, 100, "DID"), ObjectMatch(BLANK, 70, "")))),
    (MessageKey.ITR, ObjectList()),
    (MessageKey.IGR, ObjectList((ObjectMatch(GUN, 100, "SER"),), total=1)),
    (MessageKey.IGR, ObjectList()),
    (MessageKey.FVR, ObjectResponse(CAR.eid, CAR)),
    (MessageKey.FVR, ObjectResponse(OLD_CAR.eid, OLD_CAR)),
    (MessageKey.FVR, ObjectResponse("2019/00001")),
    (MessageKey.FTR, ObjectResponse(PASSPORT.eid, PASSPORT)),
    (MessageKey.FTR, ObjectResponse(BLANK.eid, BLANK)),
    (MessageKey.FTR, ObjectResponse("2019/00001")),
    (MessageKey.FGR, ObjectResponse(GUN.eid, GUN)),
    (MessageKey.FGR, ObjectResponse("2019/00001")),
    (MessageKey.YQ, WP_REQUEST),
    (
        MessageKey.YQ,
        HitConfirmationRequest(
            RequestType.MISSING_PERSON, "2020/00077", Priority.ROUTINE, name="NOWAK, ZOFIA"
        ),
    ),
    (MessageKey.YQ, SV_REQUEST),
    (MessageKey.YQ, SD_REQUEST),
    (MessageKey.YQ, SG_REQUEST),
    (MessageKey.YR, answer(WP_REQUEST, Confirmation.CONFIRMED, "RED NOTICE VALID.\nHOLD.")),
    (MessageKey.YR, answer(SV_REQUEST, Confirmation.NOT_CONFIRMED, "RECOVERED 2024.")),
    (MessageKey.YR, answer(SG_REQUEST, Confirmation.PENDING, respond_by=STAMP)),
]
# who sends each key where: INTERPOL queries go to IP; agency traffic to one or more ORIs
DESTINATIONS = {
    MessageKey.AM: "DCINTER00,OR0340100,CA0190000",
    MessageKey.YQ: "DCINTER00,OR0340100",
    MessageKey.YR: "WA0340000",
}


def header_for(key: MessageKey) -> Header:
    destination = DESTINATIONS.get(key, "IP" if key.is_query else "WA0340000")
    return Header(key, "WA0340000", destination, "T01-ABC", STAMP, STAMP, 7, 8)


@pytest.mark.parametrize(("key", "body"), BODIES)
def test_round_trip(key: MessageKey, body: Body) -> None:
    header = header_for(key)
    message = Message(header, body, response_text="legacy text")
    decoded = xmlcodec.decode(xmlcodec.encode(message))
    assert decoded == message
    assert decoded.header == header


def test_envelope_uses_nlets_names() -> None:
    header = Header(MessageKey.IPQ, "WA0340000", "IP", "C1")
    document = xmlcodec.encode(Message(header, PersonInquiry("SMITH, JOHN"))).decode()
    assert 'xmlns:n2="http://www.nlets.org/niem/1.0"' in document
    assert 'n2:version="4.00"' in document
    assert "<nh2:MessageKeyCodeText>IPQ</nh2:MessageKeyCodeText>" in document
    assert "<nc:PersonFullName>SMITH, JOHN</nc:PersonFullName>" in document


ENVELOPE = (
    '<n2:NLETS xmlns:n2="http://www.nlets.org/niem/1.0" '
    'xmlns:nh2="http://www.nlets.org/niem/nlets-hdr/1.0" '
    'xmlns:nc="http://niem.gov/niem/niem-core/2.0" n2:version="4.00">'
    "<n2:NLETSMessageHeader><nh2:MessageKeyCodeText>IPQ</nh2:MessageKeyCodeText>"
    "<nh2:OriginatingORIID>WA0340000</nh2:OriginatingORIID>"
    "<nh2:DestinationORIID>IP</nh2:DestinationORIID></n2:NLETSMessageHeader>"
    "<n2:NLETSInquiryData><nc:Person><nc:PersonName><nc:PersonFullName>{name}"
    "</nc:PersonFullName></nc:PersonName></nc:Person></n2:NLETSInquiryData></n2:NLETS>"
)


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"not xml",
        b"<n2:NLETS",
        b"<other/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        + ENVELOPE.format(name="&b;").encode(),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + ENVELOPE.format(name="&e;").encode(),
        b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>',
        ENVELOPE.replace("IPQ", "ZZZ").format(name="SMITH, JOHN").encode(),
        ENVELOPE.replace("<nc:Person>", "<nc:Thing>")
        .replace("</nc:Person>", "</nc:Thing>")
        .format(name="X")
        .encode(),
        b"\xff\xfe<\x00",
        b"<?xml version='1.0' encoding='ttf-8'?><x/>",  # an encoding no codec knows
    ],
)
def test_hostile_or_broken_documents_are_refused(document: bytes) -> None:
    with pytest.raises(MessageFormatError):
        xmlcodec.decode(document)


def test_invalid_field_inside_xml_names_the_field() -> None:
    with pytest.raises(FieldError) as caught:
        xmlcodec.decode(ENVELOPE.format(name="SMITH JOHN").encode())
    assert caught.value.field == "NAM"

"""The XML envelope: every body round-trips; hostile or broken documents give one clear error."""

from datetime import UTC, date, datetime

import pytest

from console.domain.codes import ErrorCode, MessageKey, NoticeColour, Sex
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    Body,
    CandidateList,
    ErrorReply,
    FreeText,
    Header,
    Message,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
)
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


BODIES: list[tuple[MessageKey, Body]] = [
    (MessageKey.IPQ, PersonInquiry("SMITH, JOHN", date(1980, 1, 1), Sex.MALE)),
    (MessageKey.IPQ, PersonInquiry("SMITH, JOHN")),
    (MessageKey.FPQ, RecordInquiry("2019/01234")),
    (MessageKey.IPR, CandidateList((CANDIDATE,), total=3)),
    (MessageKey.IPR, CandidateList()),
    (MessageKey.FPR, RecordResponse(NOTICE.eid, NOTICE)),
    (MessageKey.FPR, RecordResponse("2019/00001")),
    (MessageKey.ER, ErrorReply(ErrorCode.INVALID_FIELD, "NAM: is required")),
    (MessageKey.AM, FreeText("Shift change at 0600")),
    (MessageKey.SM, FreeText(".02. USER OUT OF SERVICE FOR MSG TYPE, NLETS WILL FORWARD")),
]


@pytest.mark.parametrize(("key", "body"), BODIES)
def test_round_trip(key: MessageKey, body: Body) -> None:
    header = Header(key, "WA0340000", "IP", "T01-ABC", STAMP, STAMP, 7, 8)
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

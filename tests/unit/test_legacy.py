"""Legacy Nlets text: operator lines parse to domain messages and lay out back the same."""

from datetime import UTC, date, datetime

import pytest

from console.domain.codes import ErrorCode, MessageKey, NoticeColour, Sex
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    Header,
    Message,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
)
from console.domain.records import Candidate, PersonNotice, Warrant
from console.protocol import legacy


def test_parse_person_query() -> None:
    message = legacy.parse_line("IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101.SEX/M")
    assert message.header == Header(MessageKey.IPQ, "WA0340000", "IP")
    assert message.body == PersonInquiry("SMITH, JOHN", date(1980, 1, 1), Sex.MALE)


def test_parse_record_query_with_control_field() -> None:
    message = legacy.parse_line("fpq.wa0340000.ip.ctl42.txt eid/2019/1234")
    assert message.header.control == "CTL42"
    assert message.body == RecordInquiry("2019/1234")  # as typed: never padded


@pytest.mark.parametrize(
    "line",
    [
        "IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN",
        "IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101",
        "IPQ.WA0340000.IP.C1.TXT NAM/DE LA CRUZ, MARIA.DOB/19751231.SEX/F",
        "FPQ.WA0340000.IP.TXT EID/2021/00042",
    ],
)
def test_query_round_trip(line: str) -> None:
    assert legacy.format_query(legacy.parse_line(line)) == line
    assert legacy.parse_line(legacy.format_query(legacy.parse_line(line))) == legacy.parse_line(
        line
    )


@pytest.mark.parametrize(
    ("line", "field", "rule"),
    [
        ("IVR.WA0340000.IP.TXT VIN/1G4AH59H45G118341", "MKE", "one of IPQ, FPQ, IVQ"),
        ("YR.WA0340000.DCINTER00.TXT RTY/WP", "MKE", "YQ, AM"),
        ("ZZZZ.WA0340000.IP.TXT NAM/SMITH, JOHN", "MKE", "one of"),
        ("IPQ.WA034.IP.TXT NAM/SMITH, JOHN", "ORI", "9 letters"),
        ("IPQ.WA0340000.NL.TXT NAM/SMITH, JOHN", "DEST", "destination IP"),
        ("IPQ.WA0340000.IP.TXT DOB/19800101", "NAM", "required"),
        ("IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.VIN/123", "VIN", "not a field of IPQ"),
        ("IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19801301", "DOB", "real calendar date"),
        ("IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.NAM/DOE, JANE", "NAM", "more than once"),
        ("FPQ.WA0340000.IP.TXT EID/12345", "EID", "one /"),
    ],
)
def test_field_errors_name_field_and_rule(line: str, field: str, rule: str) -> None:
    with pytest.raises(FieldError) as caught:
        legacy.parse_line(line)
    assert caught.value.field == field
    assert rule in caught.value.rule


@pytest.mark.parametrize(
    "line",
    ["", "HELLO", "IPQ WA0340000 IP TXT NAM/SMITH, JOHN", "IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN."],
)
def test_layout_errors(line: str) -> None:
    with pytest.raises(MessageFormatError):
        legacy.parse_line(line)


def _response(key: MessageKey, body: object) -> Message:
    stamp = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
    header = Header(key, "DCINTER00", "WA0340000", "C1", stamp, stamp, 12, 345)
    return Message(header, body)  # type: ignore[arg-type]


def test_candidate_list_layout() -> None:
    candidate = Candidate(
        eid="2019/01234",
        colour=NoticeColour.RED,
        name="SMITH, JOHN",
        date_of_birth=date(1980, 1, 1),
        sex=Sex.MALE,
        nationalities=("GB", "IE"),
        score=97,
        has_photo=True,
    )
    text = legacy.format_message(_response(MessageKey.IPR, CandidateList((candidate,), 1)))
    lines = text.splitlines()
    assert lines[0] == "IPR.DCINTER00"
    assert lines[1] == "14:05 11/24/2026 00012"
    assert lines[2] == "14:05 11/24/2026 00345 WA0340000"
    assert lines[3] == "TXT"
    assert "EID/2019/01234 RED" in text and "NAT/GB,IE" in text and "SCORE/97 PHOTO" in text
    assert "NOT PROBABLE CAUSE" in text


def test_no_record_and_error_layouts() -> None:
    empty = legacy.format_message(_response(MessageKey.IPR, CandidateList()))
    assert "NO RECORD" in empty
    error = legacy.render_body(ErrorReply(ErrorCode.INVALID_FORMAT, "bad"))
    assert error == ".22. INVALID MESSAGE FORMAT - bad"
    assert legacy.render_body(RecordResponse("2019/00001")) == "NO RECORD FOR EID/2019/00001"


def test_full_record_layout_shows_warrants_and_caution() -> None:
    notice = PersonNotice(
        eid="2019/01234",
        colour=NoticeColour.RED,
        family_name="SMITH",
        forename="JOHN",
        sex=Sex.MALE,
        date_of_birth=date(1980, 1, 1),
        nationalities=("GB",),
        warrants=(Warrant("Fraud\nand forgery", "FR", "Escroquerie"),),
    )
    text = legacy.render_body(RecordResponse(notice.eid, notice))
    assert "NAM/SMITH, JOHN" in text
    # each line of the charge on a line of its own, as issued
    assert "WARRANT 1. ISSUED BY FR: Fraud\n    and forgery\n" in text
    assert text.endswith(legacy.CAUTION)

"""Operator lines of every key an operator sends: parsed, checked, written back the same."""

from __future__ import annotations

from datetime import date

import pytest

from console.broker.compose import Composer
from console.domain.codes import DocumentType, Family, MessageKey, Priority, RequestType, Sex
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import (
    DocumentInquiry,
    FreeText,
    GunInquiry,
    Header,
    HitConfirmationRequest,
    Message,
    RecordInquiry,
    VehicleInquiry,
)
from console.protocol import legacy

ORI = "WA0340000"
VIN = "1G4AH59H45G118341"  # North American, check digit 4 (domain.md's worked example)
YQ_LINE = (
    "YQ.WA0340000.DCINTER00.TXT RTY/WP.NIC/2019/01234.PRI/U.RNO/1.OCA/24-001234"
    ".NAM/SMITH, JOHN.DOB/19800101.SEX/M"
)


def test_object_inquiries_parse() -> None:
    assert legacy.parse_line(f"IVQ.{ORI}.IP.TXT VIN/{VIN.lower()}").body == VehicleInquiry(VIN)
    assert legacy.parse_line(f"IVQ.{ORI}.IP.TXT ENG/l36 1").body == VehicleInquiry(None, "L36 1")
    itq = legacy.parse_line(f"ITQ.{ORI}.IP.D1.TXT DID/x-123 456.TYP/p.CNT/deu")
    assert itq.header == Header(MessageKey.ITQ, ORI, "IP", "D1")
    # the number as printed (separators kept: the search ignores them, a YQ quotes them)
    assert itq.body == DocumentInquiry("X-123 456", DocumentType.PASSPORT, "DE")
    assert legacy.parse_line(f"IGQ.{ORI}.IP.TXT SER/abc 123").body == GunInquiry("ABC 123")
    for key in ("FPQ", "FVQ", "FTQ", "FGQ"):
        message = legacy.parse_line(f"{key}.{ORI}.IP.TXT EID/2021/42")
        assert (message.key, message.body) == (MessageKey(key), RecordInquiry("2021/42"))


def test_hit_confirmation_parses() -> None:
    message = legacy.parse_line(YQ_LINE)
    assert message.header == Header(MessageKey.YQ, ORI, "DCINTER00")
    assert message.body == HitConfirmationRequest(
        RequestType.WANTED_PERSON,
        "2019/01234",
        Priority.URGENT,
        1,
        "24-001234",
        "SMITH, JOHN",
        date(1980, 1, 1),
        Sex.MALE,
    )


def test_remarks_keep_periods_slashes_and_line_breaks() -> None:
    line = f"YQ.{ORI}.DCINTER00,OR0340100.Y2.TXT RTY/SV.NIC/2021/42.PRI/R.VIN/{VIN}"
    message = legacy.parse_line(line + ".REM/Held  at I-5.\nCall 555/0100.")
    assert message.header.destinations == ("DCINTER00", "OR0340100")
    assert isinstance(message.body, HitConfirmationRequest)
    assert message.body.remarks == "Held at I-5.\nCall 555/0100."
    assert message.body.number == 1  # RNO/ left out: a first request


def test_admin_message_keeps_its_text() -> None:
    line = f"AM.{ORI}.DCINTER00,OR0340100.TXT\nShift change at 0600.  Call 555/0100.\nBye"
    message = legacy.parse_line(line)
    assert message.header == Header(MessageKey.AM, ORI, "DCINTER00,OR0340100")
    assert message.body == FreeText("Shift change at 0600. Call 555/0100.\nBye")


ROUND_TRIPS = [
    f"IVQ.{ORI}.IP.TXT VIN/{VIN}",
    f"IVQ.{ORI}.IP.V1.TXT VIN/VF7.ENG/L36 1",
    f"IVQ.{ORI}.IP.TXT ENG/L36 1",
    f"FVQ.{ORI}.IP.TXT EID/2021/00042",
    f"ITQ.{ORI}.IP.TXT DID/X123.TYP/I.CNT/FR",
    f"ITQ.{ORI}.IP.TXT DID/X123",
    f"FTQ.{ORI}.IP.TXT EID/2022/00311",
    f"IGQ.{ORI}.IP.TXT SER/ABC 123",
    f"FGQ.{ORI}.IP.TXT EID/2023/00099",
    YQ_LINE,
    f"YQ.{ORI}.DCINTER00,OR0340100,CA0190000.Y1.TXT RTY/SD.NIC/2022/00311.PRI/R.RNO/3"
    ".DID/X123.REM/Second request.\nNo answer in 1 hour.",
    f"YQ.{ORI}.DCINTER00.TXT RTY/SG.NIC/2023/00099.PRI/U.RNO/2.SER/ABC 123",
    f"YQ.{ORI}.DCINTER00.TXT RTY/SV.NIC/2021/00042.PRI/U.RNO/1.VIN/{VIN}.REM/Ends with.",
    f"AM.{ORI}.DCINTER00.TXT Shift change at 0600",
    f"AM.{ORI}.DCINTER00,OR0340100.A1.TXT Line one. With a period.\nLine two: a/b\n\nLast",
]


@pytest.mark.parametrize("line", ROUND_TRIPS)
def test_round_trip(line: str) -> None:
    message = legacy.parse_line(line)
    assert legacy.format_query(message) == line
    assert legacy.parse_line(legacy.format_query(message)) == message


def test_typed_lines_equal_composed_messages() -> None:
    compose = Composer(ORI)
    pairs = [
        (f"IVQ.{ORI}.IP.TXT VIN/{VIN}.ENG/l36 1", compose.vehicle(VIN, "l36 1")),
        (f"IVQ.{ORI}.IP.TXT ENG/L36 1", compose.vehicle(engine="L36 1")),
        (f"ITQ.{ORI}.IP.TXT DID/X-123.TYP/P.CNT/FRA", compose.document("X-123", "P", "FRA")),
        (f"IGQ.{ORI}.IP.TXT SER/ABC 123", compose.gun("ABC 123")),
        (f"FTQ.{ORI}.IP.TXT EID/2022/311", compose.record("2022/311", Family.DOCUMENT)),
        (
            YQ_LINE,
            compose.hit_confirmation(
                "WP",
                "2019/01234",
                "U",
                case="24-001234",
                name="SMITH, JOHN",
                dob="19800101",
                sex="M",
            ),
        ),
        (
            f"YQ.{ORI}.DCINTER00,OR0340100.TXT RTY/SV.NIC/2021/42.PRI/R.RNO/2"
            f".VIN/{VIN}.REM/Held at I-5.\nCall us.",
            compose.hit_confirmation(
                "SV",
                "2021/42",
                "R",
                number="2",
                destinations="DCINTER00,OR0340100",
                vin=VIN,
                remarks="Held at I-5.\nCall us.",
            ),
        ),
        (
            f"AM.{ORI}.DCINTER00,OR0340100.TXT Shift change.\n  Call 555/0100. ",
            compose.admin_message("DCINTER00,OR0340100", "Shift change.\nCall 555/0100."),
        ),
    ]
    for line, composed in pairs:
        assert legacy.parse_line(line) == composed, line
        assert Composer(ORI).line(line) == composed


WP = f"YQ.{ORI}.DCINTER00.TXT RTY/WP.NIC/2019/01234.PRI/U"


@pytest.mark.parametrize(
    ("line", "field", "rule"),
    [
        (f"IVQ.{ORI}.IP.TXT VIN/1G4AH59H55G118341", "VIN", "must be 4"),
        (f"IVQ.{ORI}.IP.TXT", "VIN", "or ENG is required"),
        (f"IVQ.{ORI}.IP.TXT NAM/SMITH, JOHN", "NAM", "not a field of IVQ"),
        (f"ITQ.{ORI}.IP.TXT DID/X1.CNT/XX", "CNT", "ISO 3166"),
        (f"ITQ.{ORI}.IP.TXT DID/X1.TYP/Z", "TYP", "must be one of P passport"),
        (f"ITQ.{ORI}.IP.TXT TYP/P", "DID", "required"),
        (f"IGQ.{ORI}.IP.TXT SER/A_B", "SER", "letters, digits"),
        (f"FVQ.{ORI}.IP.TXT EID/42", "EID", "one /"),
        (f"IVQ.{ORI}.DCINTER00.TXT VIN/{VIN}", "DEST", "destination IP"),
        (f"{WP}.NAM/SMITH, JOHN.VIN/{VIN}", "VIN", "does not belong in a person"),
        (WP, "NAM", "is required in a WP"),
        (f"{WP}.NAM/SMITH, JOHN.RNO/4", "RNO", "1, 2 or 3"),
        (WP.replace("PRI/U", "PRI/X") + ".NAM/SMITH, JOHN", "PRI", "U (urgent"),
        (WP.replace("RTY/WP", "RTY/XX") + ".NAM/SMITH, JOHN", "RTY", "one of WP"),
        (WP.replace("2019/01234", "2019-1234") + ".NAM/SMITH, JOHN", "NIC", "one /"),
        (f"{WP}.NAM/SMITH, JOHN.OCA/A.B", "OCA", "letters, digits"),
        (f"{WP}.REM/Call us.NAM/SMITH, JOHN", "NAM", "put it last"),
        (f"{WP}.NAM/SMITH, JOHN.REM/" + "x" * 201, "REM", "at most 200"),
        (f"YQ.{ORI}.IP.TXT RTY/SV.NIC/2021/42.PRI/R.VIN/{VIN}", "DEST", "9 letters"),
        (f"YQ.{ORI}.DCINTER00,OR0340100,CA0190000,NY0300000.TXT RTY/WP", "DEST", "at most 3"),
        (f"AM.{ORI}.{','.join(['DCINTER00'] * 2)}.TXT HELLO", "DEST", "same ORI twice"),
        (f"AM.{ORI}.DCINTER00.TXT", "TXT", "is required"),
        (f"AM.{ORI}.DCINTER00.TXT " + "x" * 2001, "TXT", "at most 2000"),
    ],
)
def test_field_errors_name_field_and_rule(line: str, field: str, rule: str) -> None:
    with pytest.raises(FieldError) as caught:
        legacy.parse_line(line)
    assert caught.value.field == field
    assert rule in caught.value.rule


@pytest.mark.parametrize(
    "line",
    [
        f"{WP}.NAM/SMITH, JOHN.",  # the last character must not be a period
        f"IVQ.{ORI}.IP.TXT VIN/{VIN}.",
        f"AM {ORI} DCINTER00 TXT HELLO",
        f"IGQ.{ORI}.IP.TXT SERIAL/123",
    ],
)
def test_layout_errors(line: str) -> None:
    with pytest.raises(MessageFormatError):
        legacy.parse_line(line)


def test_responses_are_not_queries() -> None:
    with pytest.raises(TypeError):
        legacy.format_query(Message(Header(MessageKey.SM, ORI, ORI), FreeText("X")))


def test_a_name_of_100_characters_reads_back() -> None:
    line = f"IPQ.{ORI}.IP.TXT NAM/{'A' * 50},{'B' * 49}"  # 100 characters as typed
    message = legacy.parse_line(line)
    assert legacy.parse_line(legacy.format_query(message)) == message
    with pytest.raises(FieldError, match="NAM: must be at most 100 characters"):
        legacy.parse_line(f"IPQ.{ORI}.IP.TXT NAM/{'A' * 50},{'B' * 50}")

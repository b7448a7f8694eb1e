"""Legacy layouts of object answers, hit confirmations and notice summaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from console.domain.codes import Confirmation, MessageKey
from console.domain.messages import ObjectList, ObjectResponse, RecordResponse
from console.domain.objects import ObjectMatch
from console.protocol import legacy
from tests.unit.test_xmlcodec import (
    BLANK,
    CAR,
    GUN,
    NOTICE,
    PASSPORT,
    SG_REQUEST,
    SV_REQUEST,
    WP_REQUEST,
    answer,
)


@pytest.mark.parametrize(
    ("key", "match", "heading", "line", "next_step"),
    [
        (
            MessageKey.IVR,
            ObjectMatch(CAR, 93, "vin 1 character different", True),
            "SEARCH OF STOLEN MOTOR VEHICLES",
            f"  1. EID/{CAR.eid} VIN/{CAR.vin} ENG/L36 123456 2005 BUICK LESABRE VCO/DARK BLUE"
            " RPT/US SCORE/93 (VIN 1 CHARACTER DIFFERENT) PHOTO",
            "USE FVQ WITH EID/",
        ),
        (
            MessageKey.ITR,
            ObjectMatch(PASSPORT, 100, "DID"),
            "SEARCH OF STOLEN AND LOST TRAVEL DOCUMENTS",
            f"  1. EID/{PASSPORT.eid} DID/X1234567 TYP/P CNT/DE STOLEN HOLDER/MULLER, ANNA"
            " SCORE/100 (DID)",
            "USE FTQ WITH EID/",
        ),
        (
            MessageKey.IGR,
            ObjectMatch(GUN, 100, "SER"),
            "SEARCH OF STOLEN, LOST AND TRAFFICKED FIREARMS",
            f"  1. EID/{GUN.eid} SER/ABC 12345 GLOCK 17 9MM TRAFFICKED RPT/AT SCORE/100 (SER)",
            "USE FGQ WITH EID/",
        ),
    ],
)
def test_match_lists(
    key: MessageKey, match: ObjectMatch, heading: str, line: str, next_step: str
) -> None:
    text = legacy.render_body(ObjectList((match,), total=12), key)
    lines = text.splitlines()
    assert lines[0] == f"INTERPOL WASHINGTON - {heading}"
    assert lines[1] == "1 POSSIBLE MATCH (FIRST 1 OF 12)"
    assert lines[2] == line
    assert lines[3].startswith(next_step)
    assert lines[4] == legacy.CAUTION
    # the key is optional: a non-empty list names its database from its records
    assert legacy.render_body(ObjectList((match,), total=12)) == text


@pytest.mark.parametrize(
    ("key", "database"),
    [
        (MessageKey.IVR, "STOLEN MOTOR VEHICLE"),
        (MessageKey.ITR, "TRAVEL DOCUMENT"),
        (MessageKey.IGR, "FIREARM"),
    ],
)
def test_empty_search_says_which_database(key: MessageKey, database: str) -> None:
    heading, no_record = legacy.render_body(ObjectList(), key).splitlines()
    assert database in heading
    assert no_record.startswith("NO RECORD. NO ") and database in no_record
    assert legacy.render_body(ObjectList()).splitlines()[1].startswith("NO RECORD.")


def test_full_records_per_family() -> None:
    car = legacy.render_body(ObjectResponse(CAR.eid, CAR), MessageKey.FVR).splitlines()
    assert car[0] == f"INTERPOL WASHINGTON - STOLEN MOTOR VEHICLE EID/{CAR.eid}"
    assert f"VIN/{CAR.vin} ENG/L36 123456" in car
    assert "VYR/2005 VMA/BUICK VMO/LESABRE" in car and "LIC/AB-123-CD LIS/FR" in car
    assert "STOLEN/20240302 PLACE/LYON" in car and "PHOTOS/1 (SEE IMAGE ATTACHMENT)" in car
    passport = legacy.render_body(ObjectResponse(PASSPORT.eid, PASSPORT)).splitlines()
    assert "*** STOLEN: PASSPORT ***" in passport
    assert "HOLDER/MULLER, ANNA DOB/19900714 NAT/DE" in passport
    assert "ISSUED/20190110 EXPIRES/20290109" in passport
    blank = replace(BLANK, status="STOLEN BLANK")
    assert "HOLDER/NONE" in legacy.render_body(ObjectResponse(blank.eid, blank))
    gun = legacy.render_body(ObjectResponse(GUN.eid, GUN)).splitlines()
    assert "MAKE/GLOCK MODEL/17 CAL/9MM TYPE/PISTOL" in gun
    assert gun[-1] == legacy.CAUTION


def test_no_record_names_the_database_when_the_key_is_known() -> None:
    assert legacy.render_body(ObjectResponse("2019/00001")) == "NO RECORD FOR EID/2019/00001"
    text = legacy.render_body(ObjectResponse("2019/00001"), MessageKey.FGR)
    assert text.splitlines() == [
        "INTERPOL WASHINGTON - STOLEN, LOST AND TRAFFICKED FIREARMS",
        "NO RECORD FOR EID/2019/00001",
    ]


def test_confirmation_answers() -> None:
    confirmed = legacy.render_body(answer(WP_REQUEST, Confirmation.CONFIRMED, "VALID.\nHOLD."))
    assert confirmed.splitlines() == [
        "HIT CONFIRMATION RESPONSE",
        "RTY/WP NIC/2019/01234 RNO/1 PRI/U OCA/24-001234",
        "CON/Y CONFIRMED",
        "VALID.",
        "HOLD.",
    ]
    refused = legacy.render_body(answer(SV_REQUEST, Confirmation.NOT_CONFIRMED, "RECOVERED."))
    assert "CON/N NOT CONFIRMED" in refused.splitlines()
    pacific = timezone(timedelta(hours=-8))
    due = datetime(2026, 11, 24, 6, 15, tzinfo=pacific)  # 14:15 UTC
    pending = legacy.render_body(answer(SG_REQUEST, Confirmation.PENDING, respond_by=due))
    assert "CON/P PENDING - CONFIRMATION BY 14:15 11/24/2026 UTC" in pending.splitlines()
    assert datetime(2026, 11, 24, 14, 15, tzinfo=UTC) == due


def test_forwarded_request_reads_as_its_fields() -> None:
    text = legacy.render_body(WP_REQUEST).splitlines()
    assert text[0] == "HIT CONFIRMATION REQUEST"
    assert "NAM/SMITH, JOHN DOB/19800101 SEX/M" in text
    assert "REM/Driver held at the stop. Call 555/0100." in text
    assert text[-1] == "ANSWER WITHIN 10 MINUTES"


def test_notice_summary_is_shown_on_one_line() -> None:
    text = legacy.render_body(RecordResponse(NOTICE.eid, NOTICE))
    assert "SUMMARY/Missing since leaving school on 1 May 2024" in text.splitlines()
    without = replace(NOTICE, summary=None)
    assert "SUMMARY/" not in legacy.render_body(RecordResponse(without.eid, without))

"""Real INTERPOL data kept exactly: imports in the public JSON shape (synthetic people) merged
without loss, ids as issued, one-name subjects, text in any script, partial dates."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from console.broker.compose import Composer
from console.broker.policy import cache_identity
from console.domain.codes import Family, MessageKey, NoticeColour
from console.domain.messages import (
    CandidateList,
    DocumentInquiry,
    ObjectResponse,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
    VehicleInquiry,
)
from console.domain.objects import Gun
from console.domain.records import PersonNotice
from console.protocol import legacy
from console.switch.dataset import Dataset
from console.switch.gateway import lookup
from console.switch.importer import import_notices, load_notices
from tests.helpers.interpol_json import Fixtures, write_fixtures


@pytest.fixture
def files(tmp_path: Path) -> Fixtures:
    return write_fixtures(tmp_path)


def by_eid(notices: list[PersonNotice]) -> dict[str, PersonNotice]:
    return {notice.eid: notice for notice in notices}


def test_ids_are_kept_as_issued(files: Fixtures) -> None:
    notices = by_eid(load_notices(files.details))
    assert sorted(notices) == sorted(files.eids)  # 2013/7678, 2021/123, 2022/5: never padded


def test_details_and_list_pages_in_any_order_give_the_details_alone(files: Fixtures) -> None:
    alone = by_eid(load_notices(files.details))
    assert all(notice.warrants for notice in alone.values() if notice.colour.value == "RED")
    sources = [files.details, files.red_first_page, files.lists / "yellow-pages.json"]
    for order in itertools.permutations(sources):
        merged = import_notices(list(order))
        assert by_eid(merged.records()) == alone, order
    # the list pages alone still give every notice, with what a list carries
    listed = by_eid(import_notices([files.lists]).records())
    assert set(listed) == set(alone) and not any(n.warrants for n in listed.values())
    # a re-import of the lists over the details changes nothing either
    again = import_notices([files.details, files.lists, files.details, files.lists])
    assert by_eid(again.records()) == alone


def test_a_list_copy_never_blanks_what_a_detail_gave(files: Fixtures) -> None:
    notices = by_eid(import_notices([files.details, files.lists]).records())
    devraj = notices["2017/153597"]
    assert devraj.sex.value == "M" and devraj.warrants and devraj.distinguishing_marks
    assert devraj.place_of_birth == "Lucknow" and devraj.weight_kg == 72


def test_report_counts_records_merged_and_skipped(files: Fixtures, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    entries = [{"entity_id": "2019-1-2", "name": "X"}, {"name": "Y"}]
    broken.write_text(json.dumps({"_embedded": {"notices": entries}}), "utf-8")
    imported = import_notices([files.details, files.lists, broken])
    details, lists, bad = imported.reports
    assert (len(details.records), details.entries, details.merged) == (7, 7, 0)
    assert (len(lists.records), lists.entries, lists.merged) == (7, 7, 7)
    assert [why for _, why in bad.skipped] == [
        "entity_id '2019-1-2' must be 1-30 letters and digits divided by one / (e.g. 2019/114539)",
        "no entity_id",
    ]
    first = next(details.lines())
    assert first.endswith(": 7 records from 7 entries, 0 merged, 0 skipped")
    assert "  skipped " in "\n".join(bad.lines())


def test_a_paginated_list_is_followed_through_next(files: Fixtures) -> None:
    imported = import_notices([files.red_first_page])  # page 2 is found by its self link
    assert sorted(n.eid for n in imported.records()) == sorted(files.eids[:5])
    (files.lists / "red-2.json").unlink()
    imported = import_notices([files.red_first_page])
    assert len(imported.records()) == 3
    ((where, why),) = imported.reports[0].skipped
    assert where == str(files.red_first_page) and why.startswith("next page not found: ")
    assert why.endswith("red?page=2&resultPerPage=3")


def test_list_pages_saved_as_an_array_of_pages(files: Fixtures) -> None:
    notices = by_eid(load_notices(files.lists / "yellow-pages.json"))
    assert set(notices) == {"2022/5", "2020/77"}
    assert all(n.colour is NoticeColour.YELLOW for n in notices.values())


def test_quirks_are_read_as_issued(files: Fixtures) -> None:
    notices = by_eid(load_notices(files.details))
    zelenkova, devraj = notices["2013/7678"], notices["2017/153597"]
    perez, suharti = notices["2021/123"], notices["2016/4521"]
    child, maharani = notices["2022/5"], notices["2020/77"]
    assert (devraj.nam, devraj.birth_year, devraj.date_of_birth) == ("DEVRAJ,", 1979, None)
    assert (suharti.nam, suharti.forename) == ("SUHARTI,", None)  # one name, put in NAM's place
    assert maharani.nam == "MAHARANI," and maharani.nationalities == ()
    assert (perez.birth_year, perez.birth_month, perez.dob_text) == (1985, 6, "1985-06")
    assert perez.nam == "PEREZ-MUESTRA, JOSE MARIA"
    assert perez.native_name == "PÉREZ-MUESTRA, José María"
    assert zelenkova.place_of_birth == "Москва" and zelenkova.native_name is None
    assert (
        zelenkova.warrants[0].charge == "Мошенничество в особо крупном размере\n\nч. 4 ст. 159 УК"
    )
    assert zelenkova.warrants[1].charge == "Fraud\u00a0on a large scale"  # as issued
    assert child.father_name == "Testov, Pavel" and child.mother_name == "Testova, Olga"
    assert child.countries_likely == ("DE", "CZ") and child.date_of_event == date(2021, 11, 30)
    assert child.linked[0].eid == "2013/7678" and child.linked[0].colour is NoticeColour.RED
    dataset = Dataset(*_with_photos(files))
    assert not dataset.has_photo("2017/153597") and dataset.has_photo("2013/7678")


def _with_photos(files: Fixtures) -> tuple[list[PersonNotice], set[str]]:
    imported = import_notices([files.details, files.lists])
    return imported.records(), imported.with_photo


def test_full_record_lays_out_text_in_any_script(files: Fixtures) -> None:
    dataset = Dataset(*_with_photos(files))
    text = legacy.render_body(lookup(dataset, MessageKey.FPQ, RecordInquiry("2013/7678")))
    lines = text.splitlines()
    assert lines[0] == "INTERPOL WASHINGTON - FULL RECORD EID/2013/7678"
    first = lines.index("WARRANT 1. ISSUED BY RU: Мошенничество в особо крупном размере")
    assert lines[first + 1] == "    ч. 4 ст. 159 УК"  # the blank line left out
    assert lines[first + 2].startswith("    TRANSLITERATION: MOSHENNICHESTVO V OSOBO")
    assert lines[first + 3] == "WARRANT 2. ISSUED BY KZ: Fraud on a large scale"  # NBSP
    assert "SEX/F DOB/19850314 POB/Москва (MOSKVA) RU" in lines
    perez = legacy.render_body(lookup(dataset, MessageKey.FPQ, RecordInquiry("2021/123")))
    assert "DOB/1985-06" in perez and "NAME AS ISSUED/PÉREZ-MUESTRA, José María" in perez
    assert "WARRANT 1. ISSUED BY CO: Homicidio agravado\n    (artículo 104)\nPHOTOS" in perez
    assert "TRANSLITERATION" not in perez  # accented Latin needs none
    child = legacy.render_body(lookup(dataset, MessageKey.FPQ, RecordInquiry("2022/5")))
    assert "FATHER/Testov, Pavel" in child and "MAY TRAVEL TO/DE,CZ" in child


def test_other_leading_zeros_find_the_record_answered_as_issued(files: Fixtures) -> None:
    dataset = Dataset(*_with_photos(files))
    answer = lookup(dataset, MessageKey.FPQ, RecordInquiry("2013/07678"))
    assert isinstance(answer, RecordResponse) and answer.notice is not None
    assert (answer.eid, answer.notice.eid) == ("2013/07678", "2013/7678")
    text = legacy.render_body(answer)
    assert "EID/2013/07678 ASKED: FOUND AS EID/2013/7678, THE ID AS ISSUED." in text
    assert "FULL RECORD EID/2013/7678" in text and "FULL RECORD EID/2013/07678" not in text
    exact = legacy.render_body(lookup(dataset, MessageKey.FPQ, RecordInquiry("2013/7678")))
    assert "ASKED" not in exact
    assert dataset.get("2013/76780") is None  # a zero that is not leading is another id


def test_two_ids_one_key_are_found_exactly_only() -> None:
    a = PersonNotice("2013/7678", NoticeColour.RED, "DOE", "JANE")
    b = PersonNotice("2013/07678", NoticeColour.RED, "ROE", "JOHN")
    dataset = Dataset([a, b], set())
    assert dataset.get("2013/7678") == a and dataset.get("2013/07678") == b
    assert dataset.get("2013/007678") is None  # which one is meant cannot be told


@pytest.mark.parametrize(
    ("name", "eid"),
    [("DEVRAJ,", "2017/153597"), ("Devraj", "2017/153597"), ("SUHARTI,", "2016/4521")],
)
def test_one_name_subjects_are_found_by_their_name(files: Fixtures, name: str, eid: str) -> None:
    dataset = Dataset(*_with_photos(files))
    inquiry = legacy.parse_line(f"IPQ.WA0340000.IP.TXT NAM/{name}").body
    assert isinstance(inquiry, PersonInquiry)
    found, _ = dataset.search(inquiry.name)
    assert found and found[0].eid == eid and found[0].score >= 90


def test_a_one_name_query_finds_the_name_in_either_place() -> None:
    dataset = Dataset([PersonNotice("2015/1", NoticeColour.RED, "SAMPLEWATI", "DEVRAJ")])
    found, _ = dataset.search("DEVRAJ,")
    assert [c.eid for c in found] == ["2015/1"]


def test_no_record_names_the_fields_searched(files: Fixtures) -> None:
    dataset = Dataset(*_with_photos(files))
    plain = lookup(dataset, MessageKey.IPQ, PersonInquiry("QWERTYZ, XAVER"))
    assert "NO INTERPOL NOTICE MATCHES THE NAME GIVEN." in legacy.render_body(plain)
    dated = lookup(dataset, MessageKey.IPQ, PersonInquiry("QWERTYZ, XAVER", date(1980, 1, 1)))
    assert "MATCHES THE NAME AND DATE OF BIRTH GIVEN." in legacy.render_body(dated)


def test_a_partial_birth_date_stays_partial_in_the_candidate_list(files: Fixtures) -> None:
    dataset = Dataset(*_with_photos(files))
    asked = PersonInquiry("PEREZ-MUESTRA, JOSE MARIA", date(1985, 6, 1))
    answer = lookup(dataset, MessageKey.IPQ, asked)
    assert isinstance(answer, CandidateList)
    (best, *_) = answer.candidates
    assert (best.eid, best.dob_text) == ("2021/123", "1985-06")
    assert " DOB/1985-06 SEX/M " in legacy.render_body(answer)
    other_month = lookup(dataset, MessageKey.IPQ, replace(asked, dob=date(1985, 9, 1)))
    assert isinstance(other_month, CandidateList)
    assert other_month.candidates[0].score < best.score  # the month known counts


def test_an_empty_object_search_names_the_fields_searched() -> None:
    dataset = Dataset([], vehicles=(), documents=(), guns=())
    by_vin = lookup(dataset, MessageKey.IVQ, VehicleInquiry(vin="ZZZ12345678901234"))
    assert "NO STOLEN MOTOR VEHICLE MATCHES THE VIN GIVEN." in legacy.render_body(
        by_vin, MessageKey.IVR
    )
    document = DocumentInquiry("X123456", None, "DE")
    text = legacy.render_body(lookup(dataset, MessageKey.ITQ, document), MessageKey.ITR)
    assert "MATCHES THE DOCUMENT NUMBER AND ISSUING COUNTRY GIVEN." in text


def test_the_cache_key_keeps_the_id_as_typed() -> None:
    compose = Composer("WA0340000")
    issued, padded = compose.record("2013/7678"), compose.record("2013/07678")
    assert b"EID/2013/7678" in cache_identity(issued)
    assert cache_identity(issued) != cache_identity(padded)


def test_an_object_record_is_found_under_other_zeros_and_answered_as_issued() -> None:
    gun = Gun("2023/99", "ABC 12345", "GLOCK", "17", "AT", "STOLEN")
    dataset = Dataset([], guns=[gun])
    answer = lookup(dataset, MessageKey.FGQ, RecordInquiry("2023/00099"))
    assert isinstance(answer, ObjectResponse) and answer.record == gun
    assert answer.eid == "2023/00099"
    text = legacy.render_body(answer, MessageKey.FGR)
    assert text.splitlines()[1] == (
        "EID/2023/00099 ASKED: FOUND AS EID/2023/99, THE ID AS ISSUED. QUOTE EID/2023/99."
    )
    assert dataset.cancel("2023/099") and dataset.get_object(Family.GUN, "2023/99") is None

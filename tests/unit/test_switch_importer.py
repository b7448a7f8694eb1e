"""Importing INTERPOL's public notice JSON (synthetic people only) into switch records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from console.domain import fields
from console.domain.codes import NoticeColour, Sex
from console.domain.errors import ConsoleError
from console.domain.records import LinkedNotice, PersonNotice, Warrant
from console.switch.importer import DatasetError, import_notices, load_dataset, load_notices

API = "https://example.invalid/notices/v1"


def write(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def entry(
    eid: str, name: str | None, forename: str | None, dob: str | None, **extra: object
) -> dict[str, object]:
    colour = extra.pop("colour", "red")
    links: dict[str, object] = {"self": {"href": f"{API}/{colour}/{eid.replace('/', '-')}"}}
    if extra.pop("thumbnail", True):
        links["thumbnail"] = {"href": f"{API}/{colour}/{eid.replace('/', '-')}/images/1"}
    return {
        "entity_id": eid,
        "name": name,
        "forename": forename,
        "date_of_birth": dob,
        "nationalities": extra.pop("nationalities", ["XX"]),
        "_links": links,
        **extra,
    }


def list_page(*entries: dict[str, object], colour: str = "red") -> dict[str, object]:
    return {
        "total": len(entries),
        "query": {"page": 1, "resultPerPage": 160},
        "_embedded": {"notices": list(entries)},
        "_links": {"self": {"href": f"{API}/{colour}?page=1"}},
    }


RED_DETAIL = {
    "entity_id": "2019/12345",
    "name": "MUSTERMANN",
    "forename": "Max Erika",
    "date_of_birth": "1981/04/05",
    "sex_id": "M",
    "place_of_birth": "Sampletown",
    "country_of_birth_id": "DE",
    "nationalities": ["DE", "AT"],
    "height": 1.83,
    "weight": 0,
    "eyes_colors_id": ["BRO", "ZZZ"],
    "hairs_id": None,
    "distinguishing_marks": "Scar on left hand",
    "languages_spoken_ids": ["GER", "ENG"],
    "arrest_warrants": [
        {
            "charge": "Count 1: fraud\r\nCount 2: forgery",
            "issuing_country_id": "DE",
            "charge_translation": None,
        },
        {"charge": "Escroquerie", "issuing_country_id": "FR", "charge_translation": "Fraud"},
    ],
    "_embedded": {"links": []},
    "_links": {"self": {"href": f"{API}/red/2019-12345"}},
}

YELLOW_DETAIL = {
    "entity_id": "2022/00777",
    "name": "Ñandú-O'Sample",
    "forename": "-",
    "date_of_birth": "2009",
    "sex_id": "F",
    "birth_name": "Placeholder",
    "father_name": "SAMPLE",
    "mother_forename": None,
    "date_of_event": "2021/11/30",
    "place": "Exampleville",
    "country": "ES",
    "countries_likely_to_be_visited": ["PT"],
    "height": 0,
    "weight": None,
    "_embedded": {
        "links": [
            {"entity_id": "2019/12345", "name": "MUSTERMANN", "forename": "MAX", "color": "red"},
            {"entity_id": "2020/00001", "name": "DOE", "forename": None, "color": "violet"},
        ]
    },
}


def by_eid(notices: list[PersonNotice]) -> dict[str, PersonNotice]:
    return {notice.eid: notice for notice in notices}


def test_list_page_tolerates_missing_and_partial_values(tmp_path: Path) -> None:
    page = list_page(
        entry("2018/00042", "Doe", None, "1975/12/31"),
        entry("2018/00043", "Doe", "-", "1975", nationalities=None, thumbnail=False),
        entry("2018/44", "Testerman", "Jane", None, colour="yellow"),
    )
    notices = by_eid(load_notices(write(tmp_path / "page.json", page)))
    assert set(notices) == {"2018/00042", "2018/00043", "2018/44"}  # ids as issued
    first, second, third = notices.values()
    assert (first.nam, first.forename, first.date_of_birth) == ("DOE,", None, date(1975, 12, 31))
    assert (second.forename, second.date_of_birth, second.birth_year) == (None, None, 1975)
    assert second.nationalities == () and first.nationalities == ("XX",)
    assert first.colour is NoticeColour.RED and third.colour is NoticeColour.YELLOW
    dataset = load_dataset(tmp_path / "page.json")
    assert dataset.has_photo("2018/00042") and not dataset.has_photo("2018/00043")


def test_red_detail(tmp_path: Path) -> None:
    (notice,) = load_notices(write(tmp_path / "red.json", RED_DETAIL))
    assert notice.colour is NoticeColour.RED and notice.eid == "2019/12345"
    assert notice.nam == "MUSTERMANN, MAX ERIKA" and notice.sex is Sex.MALE
    assert notice.date_of_birth == date(1981, 4, 5) and notice.nationalities == ("DE", "AT")
    assert (notice.height_m, notice.weight_kg) == (1.83, None)
    assert notice.eye_colours == ("BRO", "ZZZ") and notice.hair_colours == ()  # unknown kept raw
    assert notice.languages == ("GER", "ENG") and notice.place_of_birth == "Sampletown"
    assert notice.warrants == (
        Warrant("Count 1: fraud\nCount 2: forgery", "DE", None),  # CR LF: one line break
        Warrant("Escroquerie", "FR", "Fraud"),
    )


def test_yellow_detail(tmp_path: Path) -> None:
    (notice,) = load_notices(write(tmp_path / "yellow.json", YELLOW_DETAIL))
    assert notice.colour is NoticeColour.YELLOW  # no href: told by its yellow-only fields
    assert notice.family_name == "NANDU-O'SAMPLE" and notice.forename is None
    assert notice.native_name == "Ñandú-O'Sample"  # the name as issued, beside its NAM form
    assert notice.father_name == "SAMPLE" and notice.mother_name is None
    assert (notice.date_of_birth, notice.birth_year) == (None, 2009)
    assert notice.birth_name == "PLACEHOLDER" and notice.date_of_event == date(2021, 11, 30)
    assert (notice.place_of_event, notice.country_of_event) == ("Exampleville", "ES")
    assert notice.height_m is None and notice.weight_kg is None and notice.warrants == ()
    assert notice.linked == (
        LinkedNotice("2019/12345", "MUSTERMANN, MAX", NoticeColour.RED),
        LinkedNotice("2020/00001", "DOE,", "VIOLET"),
    )


def test_names_are_folded_into_what_nam_accepts(tmp_path: Path) -> None:
    page = list_page(
        entry("2017/00001", "Müller-Lüdenscheidt", "José María", None),
        entry("2017/00002", "Образцов (alias Sample)", "Пётр", None),
        entry("2017/00003", "ʻOkina 3rd.", "Ann-Marie", None),
    )
    notices = load_notices(write(tmp_path / "names.json", page))
    assert [notice.nam for notice in notices] == [
        "MULLER-LUDENSCHEIDT, JOSE MARIA",
        "OBRAZTSOV ALIAS SAMPLE, PETR",
        "OKINA RD, ANN-MARIE",
    ]
    assert all(fields.name(notice.nam) == notice.nam for notice in notices)


def test_a_folder_is_read_recursively_and_details_override_list_entries(tmp_path: Path) -> None:
    write(tmp_path / "a" / "page.json", list_page(entry("2019/12345", "Mustermann", "M", None)))
    write(tmp_path / "b" / "deeper" / "red.json", RED_DETAIL)
    write(tmp_path / "z.json", [YELLOW_DETAIL])  # a file may also hold a list of records
    (tmp_path / "notes.txt").write_text("not a notice", encoding="utf-8")
    notices = by_eid(load_notices(tmp_path))
    assert set(notices) == {"2019/12345", "2022/00777"}
    assert notices["2019/12345"].forename == "MAX ERIKA" and notices["2019/12345"].warrants


def test_colour_of_a_detail_without_href_or_kind_defaults_to_red(tmp_path: Path) -> None:
    bare = {"entity_id": "2016/00001", "name": "Doe", "forename": "John"}
    yellow_by_href = {**bare, "_links": {"self": {"href": f"{API}/yellow/2016-00001"}}}
    assert load_notices(write(tmp_path / "a.json", bare))[0].colour is NoticeColour.RED
    assert load_notices(write(tmp_path / "b.json", yellow_by_href))[0].colour is NoticeColour.YELLOW
    page = list_page({"entity_id": "2016/00002", "name": "Doe", "forename": None}, colour="yellow")
    assert load_notices(write(tmp_path / "c.json", page))[0].colour is NoticeColour.YELLOW


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("{ not json", "not valid JSON"),
        ('{"total": 3}', "neither a notice list page"),
        ('{"_embedded": {"notices": {"a": 1}}}', "_embedded.notices is not a list"),
    ],
)
def test_a_malformed_file_names_itself_and_the_fault(
    tmp_path: Path, content: str, complaint: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as raised:
        load_notices(path)
    assert str(path) in str(raised.value) and complaint in str(raised.value)
    assert isinstance(raised.value, ConsoleError)


def test_a_missing_path_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file or folder"):
        load_notices(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("content", "where", "complaint"),
    [
        ('{"entity_id": "12345", "name": "DOE"}', "bad.json", "entity_id '12345' must be 1-30"),
        ('{"_embedded": {"notices": [{"name": "DOE"}]}}', "bad.json notice 0", "no entity_id"),
        ('["a string", {"entity_id": "2020/1", "name": "DOE"}]', "(item 0)", "not a JSON object"),
    ],
)
def test_an_entry_that_cannot_be_a_record_is_skipped_with_its_reason(
    tmp_path: Path, content: str, where: str, complaint: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    imported = import_notices([path])
    (report,) = imported.reports
    ((at, why),) = report.skipped
    assert where in at and complaint in why
    assert len(imported.notices) == len(report.records) == (1 if "2020/1" in content else 0)

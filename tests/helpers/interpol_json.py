"""Notices in the exact shape of INTERPOL's public notice JSON (list pages and detail records),
of synthetic people only, with every quirk real data has: nulls, ``-`` for no forename, one-name
subjects, year-only and year-month dates, ids with 1 to 6 serial digits, two warrants, charges
in other scripts with CR LF, blank lines and NBSP, cross-colour links, missing thumbnails,
title-case parents' names, paginated lists (``_links.next``) and lists saved as arrays of pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

API = "https://ws-public.interpol.invalid/notices/v1"
Json = dict[str, Any]


def href(colour: str, eid: str, tail: str = "") -> dict[str, str]:
    return {"href": f"{API}/{colour}/{eid.replace('/', '-')}{tail}"}


def links(colour: str, eid: str, *, thumbnail: bool) -> Json:
    found: Json = {"self": href(colour, eid), "images": href(colour, eid, "/images")}
    if thumbnail:
        found["thumbnail"] = href(colour, eid, "/images/61234567")
    return found


RED: list[Json] = [
    {
        "entity_id": "2013/7678",  # four serial digits: never padded to 2013/07678
        "name": "ZELENKOVA",
        "forename": "IRINA PAVLOVNA",
        "date_of_birth": "1985/03/14",
        "sex_id": "F",
        "place_of_birth": "Москва",
        "country_of_birth_id": "RU",
        "nationalities": ["RU", "KZ"],
        "height": 1.68,
        "weight": 0,
        "eyes_colors_id": ["BLU"],
        "hairs_id": ["BRO"],
        "distinguishing_marks": None,
        "languages_spoken_ids": ["RUS", "ENG"],
        "arrest_warrants": [
            {
                "charge": "Мошенничество в особо крупном размере\r\n\r\nч. 4 ст. 159 УК",
                "issuing_country_id": "RU",
                "charge_translation": None,
            },
            {
                "charge": "Fraud\u00a0on a large scale",
                "issuing_country_id": "KZ",
                "charge_translation": "Fraud on a large scale",
            },
        ],
        "thumbnail": True,
    },
    {
        "entity_id": "2017/153597",  # six serial digits
        "name": "DEVRAJ",
        "forename": None,  # one name
        "date_of_birth": "1979",  # the year alone
        "sex_id": "M",
        "place_of_birth": "Lucknow",
        "country_of_birth_id": "IN",
        "nationalities": ["IN"],
        "height": 0,
        "weight": 72,
        "eyes_colors_id": ["BLA"],
        "hairs_id": ["BLA"],
        "distinguishing_marks": "Scar\u00a0on left cheek\r\nTattoo of a star on right hand",
        "languages_spoken_ids": ["HIN"],
        "arrest_warrants": [
            {"charge": "Murder", "issuing_country_id": "IN", "charge_translation": None}
        ],
        "thumbnail": False,  # no photo: no thumbnail link
    },
    {
        "entity_id": "2019/114539",
        "name": "AL-SAMPLI",
        "forename": "YUSUF",
        "date_of_birth": "1990/11/02",
        "sex_id": "M",
        "place_of_birth": "عمّان",
        "country_of_birth_id": "JO",
        "nationalities": ["JO"],
        "height": 1.8,
        "weight": 80,
        "eyes_colors_id": ["BRO"],
        "hairs_id": None,
        "distinguishing_marks": None,
        "languages_spoken_ids": ["ARA"],
        "arrest_warrants": [
            {
                "charge": "الاتجار بالمخدرات",
                "issuing_country_id": "JO",
                "charge_translation": "Drug trafficking",
            }
        ],
        "thumbnail": True,
    },
    {
        "entity_id": "2021/123",  # three serial digits
        "name": "PÉREZ-MUESTRA",
        "forename": "José María",
        "date_of_birth": "1985/06",  # year and month, no day
        "sex_id": "M",
        "place_of_birth": "Medellín",
        "country_of_birth_id": "CO",
        "nationalities": ["CO", "ES"],
        "height": 1.75,
        "weight": None,
        "eyes_colors_id": ["BRO"],
        "hairs_id": ["BLA"],
        "distinguishing_marks": "Tattoo of a rose on the neck",
        "languages_spoken_ids": ["SPA"],
        "arrest_warrants": [
            {
                "charge": "Homicidio agravado\n\n   (artículo 104)  ",
                "issuing_country_id": "CO",
                "charge_translation": None,
            }
        ],
        "thumbnail": True,
    },
    {
        "entity_id": "2016/4521",
        "name": None,  # one name, published in the forename place
        "forename": "SUHARTI",
        "date_of_birth": "1988/01/20",
        "sex_id": "F",
        "place_of_birth": None,
        "country_of_birth_id": None,
        "nationalities": ["ID"],
        "height": 0,
        "weight": 0,
        "eyes_colors_id": None,
        "hairs_id": None,
        "distinguishing_marks": None,
        "languages_spoken_ids": None,
        "arrest_warrants": [
            {
                "charge": "Penipuan\r\nPasal 378 KUHP",
                "issuing_country_id": "ID",
                "charge_translation": "Fraud",
            }
        ],
        "thumbnail": True,
    },
]

YELLOW: list[Json] = [
    {
        "entity_id": "2022/5",  # one serial digit
        "name": "TESTOVA",
        "forename": "ANYA",
        "date_of_birth": "2009",
        "sex_id": "F",
        "birth_name": None,
        "father_name": "Testov",  # parents' names in title case, as INTERPOL writes them
        "father_forename": "Pavel",
        "mother_name": "Testova",
        "mother_forename": "Olga",
        "place_of_birth": "Kraków",
        "country_of_birth_id": "PL",
        "nationalities": ["PL"],
        "height": 1.4,
        "weight": 0,
        "eyes_colors_id": ["BLU"],
        "hairs_id": ["BLN"],
        "distinguishing_marks": None,
        "languages_spoken_ids": ["POL"],
        "date_of_event": "2021/11/30",
        "place": "Kraków",
        "country": "PL",
        "countries_likely_to_be_visited": ["DE", "CZ"],
        "links": [  # a missing child linked to the red notice of the one who took her
            {"entity_id": "2013/7678", "name": "ZELENKOVA", "forename": "IRINA", "color": "red"}
        ],
        "thumbnail": True,
    },
    {
        "entity_id": "2020/77",
        "name": "MAHARANI",
        "forename": "-",  # no forename, written as a dash
        "date_of_birth": None,
        "sex_id": "F",
        "birth_name": None,
        "father_name": None,
        "father_forename": None,
        "mother_name": None,
        "mother_forename": None,
        "place_of_birth": None,
        "country_of_birth_id": None,
        "nationalities": None,
        "height": None,
        "weight": None,
        "eyes_colors_id": None,
        "hairs_id": None,
        "distinguishing_marks": None,
        "languages_spoken_ids": None,
        "date_of_event": "2023",
        "place": "Surabaya",
        "country": "ID",
        "countries_likely_to_be_visited": [],
        "links": [],
        "thumbnail": False,
    },
]


def detail(colour: str, source: Json) -> Json:
    """A detail record as ``/notices/v1/<colour>/<id>`` serves it."""
    record = {k: v for k, v in source.items() if k not in ("thumbnail", "links")}
    record["_embedded"] = {"links": source.get("links", [])}
    record["_links"] = links(colour, source["entity_id"], thumbnail=source["thumbnail"])
    return record


def list_entry(colour: str, source: Json) -> Json:
    """A list page's entry: name, forename, date of birth, nationalities and links only."""
    entry = {k: source[k] for k in ("entity_id", "name", "forename", "date_of_birth")}
    entry["nationalities"] = source["nationalities"]
    entry["_links"] = links(colour, source["entity_id"], thumbnail=source["thumbnail"])
    return entry


def list_page(colour: str, sources: list[Json], page: int, pages: int, total: int) -> Json:
    query = f"?page={page}&resultPerPage=3"
    page_links: Json = {
        "self": {"href": f"{API}/{colour}{query}"},
        "first": {"href": f"{API}/{colour}?page=1&resultPerPage=3"},
        "last": {"href": f"{API}/{colour}?page={pages}&resultPerPage=3"},
    }
    if page < pages:
        page_links["next"] = {"href": f"{API}/{colour}?page={page + 1}&resultPerPage=3"}
    return {
        "total": total,
        "query": {"page": page, "resultPerPage": 3},
        "_embedded": {"notices": [list_entry(colour, source) for source in sources]},
        "_links": page_links,
    }


@dataclass(frozen=True)
class Fixtures:
    """Where the files went: detail records, list pages, and every source together."""

    details: Path
    lists: Path
    red_first_page: Path
    sources: tuple[tuple[str, Json], ...]  # (colour, source) as given above

    @property
    def eids(self) -> list[str]:
        return [source["entity_id"] for _, source in self.sources]


def write(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_fixtures(folder: Path) -> Fixtures:
    """Detail records one per file in ``details/``; the red list as two pages chained by
    ``_links.next`` and the yellow list as one file holding an array of its pages, in
    ``lists/``."""
    details = folder / "details"
    for colour, records in (("red", RED), ("yellow", YELLOW)):
        for source in records:
            write(
                details / f"{colour}-{source['entity_id'].replace('/', '-')}.json",
                detail(colour, source),
            )
    lists = folder / "lists"
    first = write(lists / "red-1.json", list_page("red", RED[:3], 1, 2, len(RED)))
    write(lists / "red-2.json", list_page("red", RED[3:], 2, 2, len(RED)))
    pages = [list_page("yellow", YELLOW[:1], 1, 2, 2), list_page("yellow", YELLOW[1:], 2, 2, 2)]
    write(lists / "yellow-pages.json", pages)
    sources = tuple(("red", s) for s in RED) + tuple(("yellow", s) for s in YELLOW)
    return Fixtures(details, lists, first, sources)

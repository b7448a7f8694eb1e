"""Synthetic notices and the Dataset the simulated gateway serves them from."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from console.domain import fields
from console.domain.codes import NoticeColour, Sex
from console.domain.records import PersonNotice
from console.switch.dataset import Dataset, synthetic_notices

COUNT = 3000
NAME_PART = re.compile(r"^[A-Z][A-Z' -]*$")


@pytest.fixture(scope="module")
def notices() -> list[PersonNotice]:
    return synthetic_notices(COUNT, seed=1)


def share(notices: list[PersonNotice], test: object) -> float:
    assert callable(test)
    return sum(1 for notice in notices if test(notice)) / len(notices)


def test_same_seed_same_data_other_seed_other_data(notices: list[PersonNotice]) -> None:
    assert synthetic_notices(COUNT, seed=1) == notices
    other = synthetic_notices(200, seed=2)
    assert [n.nam for n in other] != [n.nam for n in notices[:200]]
    assert synthetic_notices(0) == [] and len(synthetic_notices(1)) == 1


def test_every_name_is_one_a_dispatcher_can_type(notices: list[PersonNotice]) -> None:
    for notice in [*notices, *synthetic_notices(1000, seed=99)]:
        if notice.colour is NoticeColour.BLACK:  # an unidentified body has no name yet
            known = (notice.nam, notice.date_of_birth, notice.nationalities)
            assert known == ("UNKNOWN,", None, ())
            continue
        assert notice.forename and NAME_PART.match(notice.family_name), notice
        assert NAME_PART.match(notice.forename), notice
        assert fields.name(f"{notice.family_name}, {notice.forename}") == notice.nam


def test_eids_are_unique_and_valid(notices: list[PersonNotice]) -> None:
    eids = [notice.eid for notice in notices]
    assert len(set(eids)) == len(eids)
    assert all(re.fullmatch(r"\d{4}/\d{5}", eid) and fields.eid(eid) == eid for eid in eids)


def test_names_come_from_many_countries_and_scripts(notices: list[PersonNotice]) -> None:
    scripts = Counter(
        unicodedata.name(next(ch for ch in notice.native_name if ch.isalpha())).split()[0]
        for notice in notices
        if notice.native_name
    )
    assert {"CYRILLIC", "CJK", "HANGUL", "ARABIC", "HEBREW", "GREEK", "DEVANAGARI", "THAI"} <= set(
        scripts
    )
    assert len({notice.nationalities[0] for notice in notices if notice.nationalities}) >= 40
    latin_only = [n for n in notices if n.nationalities[:1] in (("PL",), ("FR",), ("MX",))]
    assert latin_only and all(notice.native_name is None for notice in latin_only)
    assert 0.03 < share(notices, lambda n: len(n.nationalities) == 2) < 0.15


def test_colours_and_their_contents(notices: list[PersonNotice]) -> None:
    colours = Counter(notice.colour for notice in notices)
    assert set(colours) == set(NoticeColour)  # every notice colour, and diffusions
    assert 0.55 < colours[NoticeColour.RED] / COUNT < 0.7
    assert 0.15 < colours[NoticeColour.YELLOW] / COUNT < 0.25
    for notice in notices:
        if notice.colour in (NoticeColour.RED, NoticeColour.DIFFUSION):
            assert 1 <= len(notice.warrants) <= 3 and notice.date_of_event is None
            assert all(w.charge and len(w.issuing_country) == 2 for w in notice.warrants)
        elif notice.colour is NoticeColour.YELLOW:
            assert not notice.warrants and notice.date_of_event and notice.place_of_event
            assert notice.country_of_event
        else:
            assert not notice.warrants and notice.date_of_event is None
        # why the notice exists: every kind but red and yellow says it in a summary
        has_summary = notice.colour not in (NoticeColour.RED, NoticeColour.YELLOW)
        assert bool(notice.summary) == has_summary, notice
        assert "{" not in (notice.summary or "")
    warrants = [w for notice in notices for w in notice.warrants]
    assert any("\n" in w.charge for w in warrants)
    assert any(w.charge_translation for w in warrants)


def test_yellow_notices_link_to_records_in_the_set(notices: list[PersonNotice]) -> None:
    by_eid = {notice.eid: notice for notice in notices}
    linked = [notice for notice in notices if notice.linked]
    assert len(linked) > 50
    for notice in linked:
        for link in notice.linked:
            other = by_eid[link.eid]
            assert link.name == other.nam and link.colour == other.colour
            assert notice.eid in {back.eid for back in other.linked}
    assert any(notice.birth_name for notice in notices)


def test_descriptions_look_like_interpol_records(notices: list[PersonNotice]) -> None:
    assert 0.02 < share(notices, lambda n: n.date_of_birth is None and n.birth_year) < 0.08
    assert 0.1 < share(notices, lambda n: n.height_m is None) < 0.2
    assert 0.1 < share(notices, lambda n: n.distinguishing_marks) < 0.5
    eyes = {code for notice in notices for code in notice.eye_colours}
    hair = {code for notice in notices for code in notice.hair_colours}
    assert eyes == {"BLA", "BRO", "BLU", "GRE", "HAZ"}
    assert hair == {"BLA", "BRO", "BLN", "GRY", "RED"}
    assert all(len(code) == 3 for notice in notices for code in notice.languages)
    assert {notice.sex for notice in notices} == set(Sex)
    for notice in notices:
        assert not notice.photos
        if notice.date_of_birth:
            assert 1900 < notice.date_of_birth.year <= int(notice.eid[:4])
        assert notice.height_m is None or 0.5 < notice.height_m < 2.3


def test_dataset_attaches_photos_to_about_80_percent(notices: list[PersonNotice]) -> None:
    dataset = Dataset(notices)
    assert len(dataset) == COUNT
    with_photo = [notice.eid for notice in notices if dataset.has_photo(notice.eid)]
    assert 0.75 < len(with_photo) / COUNT < 0.85
    full = dataset.get(with_photo[0])
    assert full is not None and len(full.photos) == 1
    assert full.photos[0].data.startswith(b"\x89PNG") and full.photos[0].media_type == "image/png"
    assert dataclasses_equal_but_photos(full, notices, with_photo[0])
    without = next(notice for notice in notices if not dataset.has_photo(notice.eid))
    assert dataset.get(without.eid) == without


def dataclasses_equal_but_photos(full: PersonNotice, notices: list[PersonNotice], eid: str) -> bool:
    original = next(notice for notice in notices if notice.eid == eid)
    return full.nam == original.nam and full.warrants == original.warrants


def test_dataset_lookup_by_eid() -> None:
    dataset = Dataset(synthetic_notices(50, seed=4), with_photo=set())
    first = next(iter(dataset))
    year, number = first.eid.split("/")
    assert dataset.get(f"{year}/{int(number)}") == first  # leading zeros may be left out
    assert dataset.get("1999/99999") is None
    assert dataset.get("not an eid") is None
    assert Dataset.synthetic(50, seed=4).get(first.eid) is not None

"""Synthetic stolen vehicles, travel documents and guns, the number index, and their searches."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from console.domain import fields
from console.domain.codes import DocumentType, Family, NoticeColour
from console.domain.objects import DocumentStatus, StolenVehicle, TravelDocument
from console.domain.records import PersonNotice
from console.switch.dataset import Dataset
from console.switch.numbers import SHORTEST_NEAR, NumberIndex, fold
from console.switch.synthetic_objects import (
    synthetic_documents,
    synthetic_guns,
    synthetic_vehicles,
)

COUNT = 2000


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.synthetic(200, seed=5, objects=COUNT)


def test_same_seed_same_records_other_seed_other_records() -> None:
    assert synthetic_vehicles(50, 3) == synthetic_vehicles(50, 3)
    assert synthetic_documents(50, 3) == synthetic_documents(50, 3)
    assert synthetic_guns(50, 3) == synthetic_guns(50, 3)
    assert [v.vin for v in synthetic_vehicles(50, 3)] != [v.vin for v in synthetic_vehicles(50, 4)]


def test_eids_are_valid_and_never_shared_between_object_families(dataset: Dataset) -> None:
    eids = [r.eid for table in (dataset.vehicles, dataset.documents, dataset.guns) for r in table]
    assert len(eids) == 3 * COUNT == len(set(eids))
    assert all(fields.eid(eid) == eid for eid in eids)


def test_vins_follow_49_cfr_565_where_it_applies(dataset: Dataset) -> None:
    vins = [car.vin for car in dataset.vehicles]
    assert all(fields.vin(vin) == vin for vin in vins)  # the operator's own rule accepts them
    standard = [vin for vin in vins if len(vin) == 17]
    assert all(fields.vin_check_digit(v) == v[8] for v in standard if v[0] in "12345L")
    elsewhere = [v for v in standard if v[0] not in "12345L"]
    assert any(fields.vin_warning(v) for v in elsewhere)  # European makers' own position 9
    assert 0 < len(vins) - len(standard) < 0.05 * len(vins)  # pre-1981 numbers are rarer
    assert len({vin[:3] for vin in standard}) > 30  # many makers, many regions
    assert 0.6 < sum(1 for car in dataset.vehicles if car.engine_number) / COUNT < 0.8


def test_documents_and_guns_look_like_sltd_and_firearm_records(dataset: Dataset) -> None:
    docs = list(dataset.documents)
    assert {doc.doc_type for doc in docs} == set(DocumentType)
    assert all(fields.document_number(doc.number) == doc.number for doc in docs)
    assert len({doc.issuing_country for doc in docs}) > 15
    blanks = [doc for doc in docs if doc.status == DocumentStatus.STOLEN_BLANK]
    assert blanks and all(not doc.holder and doc.date_of_issue is None for doc in blanks)
    held = [doc for doc in docs if doc.holder]
    assert all(
        d.date_of_issue and d.date_of_expiry and d.date_of_issue < d.date_of_expiry for d in held
    )
    guns = list(dataset.guns)
    assert all(fields.serial_number(gun.serial) == gun.serial for gun in guns)
    assert Counter(gun.status for gun in guns).keys() == {"STOLEN", "LOST", "TRAFFICKED"}


def brute_force(numbers: list[str], query: str) -> set[tuple[int, int]]:
    key = fold(query)
    found = set()
    for place, number in enumerate(numbers):
        distance = OSA.distance(key, fold(number))
        if distance == 0 or (distance == 1 and len(key) >= SHORTEST_NEAR):
            found.add((place, distance))
    return found


NUMBER = st.text(alphabet="ABCDEFGH0123456789", min_size=1, max_size=18)


@given(numbers=st.lists(NUMBER, min_size=1, max_size=40), data=st.data())
@settings(max_examples=300, deadline=None)
def test_number_index_finds_exactly_what_a_full_scan_finds(
    numbers: list[str], data: st.DataObject
) -> None:
    """The anchors never miss a number one edit away, whatever the edit and its position."""
    index = NumberIndex()
    for place, number in enumerate(numbers):
        index.add(number, place)
    base = data.draw(st.sampled_from(numbers))
    at = data.draw(st.integers(0, len(base)))
    letter = data.draw(st.sampled_from("ABCDEFGH0123456789"))
    edits = [
        base,
        base[:at] + letter + base[at + 1 :],  # substitution
        base[:at] + base[at + 1 :],  # deletion
        base[:at] + letter + base[at:],  # insertion
        base[:at] + base[at + 1 : at + 2] + base[at : at + 1] + base[at + 2 :],  # swap
    ]
    for query in edits:
        if not query:
            continue
        found = {(hit.place, hit.distance) for hit in index.find(query)}
        assert found == brute_force(numbers, query), query


def test_look_alike_characters_are_no_edit() -> None:
    index = NumberIndex()
    index.add("18FK42637", 0)
    index.add("AB1O5520", 1)
    assert [(h.place, h.distance) for h in index.find("18FK4263")] == [(0, 1)]
    assert [(h.place, h.distance) for h in index.find("AB1055Z0")] == [(1, 1)]
    assert [(h.place, h.distance) for h in index.find("ABIO5520")] == [(1, 0)]
    assert index.find("18FK4", near=True) == []  # too short for near matches


def test_vehicle_search_by_vin_engine_and_a_swapped_vin_plate(dataset: Dataset) -> None:
    car = next(c for c in dataset.vehicles if len(c.vin) == 17 and c.engine_number)
    matches, total = dataset.search_vehicles(car.vin, None)
    assert (matches[0].eid, matches[0].score, matches[0].reason) == (car.eid, 100, "VIN")
    assert total == len(matches)
    both, _ = dataset.search_vehicles(car.vin, car.engine_number)
    assert both[0].eid == car.eid and both[0].reason == "VIN, ENG"
    other_vin = "1G4AH59H45G118341"
    revinned, _ = dataset.search_vehicles(other_vin, car.engine_number)
    hit = next(m for m in revinned if m.eid == car.eid)
    assert hit.score < 90 and "VIN DIFFERS" in hit.reason
    typo = car.vin[:5] + car.vin[6] + car.vin[5] + car.vin[7:]  # two neighbours swapped
    near, _ = dataset.search_vehicles(typo, None)
    if typo != car.vin:
        assert any(m.eid == car.eid and m.reason == "VIN 1 CHARACTER DIFFERENT" for m in near)


def test_document_of_another_country_ranks_below_the_one_asked() -> None:
    same = "X1234567"
    docs = [
        TravelDocument("2020/50001", same, DocumentType.PASSPORT, "FR", DocumentStatus.LOST),
        TravelDocument("2020/50002", same, DocumentType.IDENTITY_CARD, "BE", DocumentStatus.STOLEN),
    ]
    dataset = Dataset([], documents=docs)
    matches, total = dataset.search_documents(same, DocumentType.PASSPORT, "FR")
    assert [m.eid for m in matches] == ["2020/50001", "2020/50002"] and total == 2
    assert matches[0].score == 100
    assert "ISSUED BY BE NOT FR" in matches[1].reason and "TYP/I NOT P" in matches[1].reason
    assert dataset.search_documents("X1234568")[0][0].reason == "DID 1 CHARACTER DIFFERENT"


def test_full_records_by_family_photos_for_some_vehicles(dataset: Dataset) -> None:
    with_photo = [car for car in dataset.vehicles if dataset.objects.has_photo(car.eid)]
    assert 0.3 < len(with_photo) / COUNT < 0.5
    full = dataset.get_object(Family.VEHICLE, with_photo[0].eid)
    assert isinstance(full, StolenVehicle) and full.photos[0].data.startswith(b"\x89PNG")
    gun = next(iter(dataset.guns))
    assert dataset.get_object(Family.GUN, gun.eid) == gun
    assert dataset.get_object(Family.DOCUMENT, gun.eid) is None
    assert dataset.get_object(Family.GUN, "not an eid") is None


def test_a_cast_is_added_and_a_cancelled_record_is_no_longer_found() -> None:
    dataset = Dataset.synthetic(30, seed=2, objects=10)
    person = PersonNotice("2026/99001", NoticeColour.RED, "VESTRANOV", "ILYAS")
    car = StolenVehicle("2026/99101", "1FTFW1E53NFA41827", "FORD", "F-150", "CA")
    dataset.add_records(persons=[person], vehicles=[car], with_photo={"2026/99001"})
    assert len(dataset) == 31 and len(dataset.vehicles) == 11
    assert dataset.search("VESTRANOV, ILYAS")[0][0].eid == person.eid
    assert dataset.get(person.eid) is not None and dataset.get(person.eid).photos  # type: ignore[union-attr]
    assert not dataset.objects.has_photo(car.eid)
    assert dataset.cancel(person.eid) and dataset.cancel(car.eid)
    assert dataset.search("VESTRANOV, ILYAS") == ([], 0)
    assert dataset.get(person.eid) is None and dataset.search_vehicles(car.vin) == ([], 0)
    assert len(dataset) == 30 and len(dataset.vehicles) == 10
    assert not dataset.cancel(person.eid) and not dataset.cancel("2001/00001")

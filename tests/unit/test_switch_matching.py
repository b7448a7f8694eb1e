"""Name matching of the simulated INTERPOL gateway: what a dispatcher must be able to trust."""

from __future__ import annotations

from datetime import date

from console.domain import fields
from console.domain.codes import NoticeColour, Sex
from console.domain.records import Candidate, PersonNotice
from console.switch.dataset import Dataset
from console.switch.matching import MATCH_THRESHOLD, RESULT_CAP, normalize


def person(
    number: int,
    family: str,
    forename: str | None,
    *,
    born: date | None = None,
    birth_year: int | None = None,
    sex: Sex = Sex.MALE,
) -> PersonNotice:
    return PersonNotice(
        eid=f"2020/{number:05d}",
        colour=NoticeColour.RED,
        family_name=family,
        forename=forename,
        sex=sex,
        date_of_birth=born,
        birth_year=birth_year,
    )


def names(candidates: list[Candidate]) -> list[str]:
    return [candidate.name for candidate in candidates]


def search(
    dataset: Dataset, name: str, dob: date | None = None, sex: Sex | None = None
) -> list[Candidate]:
    candidates, total = dataset.search(fields.name(name), dob, sex)
    assert total == len(candidates)
    return candidates


KOWALSKI = Dataset(
    [
        person(1, "KOWALCZYK", "JAN"),
        person(2, "KOWALSKA", "JANINA", sex=Sex.FEMALE),
        person(3, "KOWALSKI", "JAN"),
        person(4, "NOWAK", "PIOTR"),
        person(5, "KOWALSKI", "JAN PIOTR"),
    ]
)


def test_normalize_folds_scripts_diacritics_and_punctuation() -> None:
    assert normalize("Müller-Lüdenscheidt") == "MULLER LUDENSCHEIDT"
    assert normalize("  o'Brien ,  Seán ") == "OBRIEN SEAN"
    assert normalize("Дмитрий") == "DMITRIY"


def test_exact_name_ranks_first_with_full_score() -> None:
    found = search(KOWALSKI, "KOWALSKI, JAN")
    assert found[0].name == "KOWALSKI, JAN" and found[0].score == 100
    assert found[1].name == "KOWALSKI, JAN PIOTR"
    assert "NOWAK, PIOTR" not in names(found)
    scores = [candidate.score for candidate in found]
    assert scores == sorted(scores, reverse=True) and min(scores) >= MATCH_THRESHOLD


def test_typing_errors_still_match() -> None:
    assert search(KOWALSKI, "KOWALSKY, JAN")[0].name == "KOWALSKI, JAN"
    assert "KOWALSKI, JAN" in names(search(KOWALSKI, "KOWOLSKY, JAN"))  # two letters wrong
    assert search(KOWALSKI, "KOWALSKI, JNA")[0].name == "KOWALSKI, JAN"  # transposed


def test_name_order_stored_the_other_way_round_is_found_but_ranks_lower() -> None:
    swapped = search(KOWALSKI, "JAN, KOWALSKI")
    assert swapped[0].name == "KOWALSKI, JAN"
    assert MATCH_THRESHOLD <= swapped[0].score < 100


def test_compound_surnames_match_either_part_and_either_spelling() -> None:
    dataset = Dataset(
        [
            person(1, "GARCIA LOPEZ", "MARIA", sex=Sex.FEMALE),
            person(2, "GARCIA", "MARIA", sex=Sex.FEMALE),
            person(3, "LOPEZ", "ANTONIO"),
            person(4, "VAN DER BERG", "PIETER"),
        ]
    )
    assert names(search(dataset, "GARCIA, MARIA"))[:2] == ["GARCIA, MARIA", "GARCIA LOPEZ, MARIA"]
    assert names(search(dataset, "GARCIA LOPEZ, MARIA"))[0] == "GARCIA LOPEZ, MARIA"
    assert names(search(dataset, "GARCIA-LOPEZ, MARIA"))[0] == "GARCIA LOPEZ, MARIA"
    assert "GARCIA LOPEZ, MARIA" in names(search(dataset, "LOPEZ, MARIA"))
    assert names(search(dataset, "VANDERBERG, PIETER")) == ["VAN DER BERG, PIETER"]


def test_diacritics_and_their_spellings_match() -> None:
    dataset = Dataset([person(1, "MÜLLER", "HANS"), person(2, "MUELLER", "GRETA", sex=Sex.FEMALE)])
    for query in ("MÜLLER, HANS", "MUELLER, HANS", "MULLER, HANS"):
        assert names(search(dataset, query))[:1] == ["MÜLLER, HANS"], query
    assert names(search(dataset, "MULLER, GRETA"))[:1] == ["MUELLER, GRETA"]


def test_transliterations_sound_alike() -> None:
    dataset = Dataset([person(1, "AL-ZAHRANI", "MOHAMMED"), person(2, "HADDAD", "YOUSSEF")])
    assert names(search(dataset, "AL ZAHRANI, MUHAMMAD")) == ["AL-ZAHRANI, MOHAMMED"]
    assert names(search(dataset, "HADDAD, YUSUF")) == ["HADDAD, YOUSSEF"]


def test_exact_dob_outranks_a_different_dob() -> None:
    dataset = Dataset(
        [
            person(1, "SMITH", "JOHN", born=date(1950, 3, 9)),
            person(2, "SMITH", "JOHN", born=date(1980, 1, 1)),
            person(3, "SMITH", "JOHN", birth_year=1980),
            person(4, "SMITH", "JOHN", born=date(1980, 7, 30)),
            person(5, "SMITH", "JOHN"),
        ]
    )
    found = search(dataset, "SMITH, JOHN", dob=date(1980, 1, 1))
    assert [c.eid for c in found] == [f"2020/0000{n}" for n in (2, 3, 4, 5, 1)]
    scores = [c.score for c in found]
    assert scores[0] == 100 and scores[1] < 100  # only an exact DOB makes a perfect match
    assert scores[-1] <= scores[-2] - 20  # a clearly different DOB
    assert [c.eid for c in search(dataset, "SMITH, JOHN")] == [f"2020/0000{n}" for n in range(1, 6)]


def test_a_dob_typing_slip_costs_little() -> None:
    dataset = Dataset([person(1, "SMITH", "JOHN", born=date(1980, 1, 2))])
    swapped = search(dataset, "SMITH, JOHN", dob=date(1980, 2, 1))  # day and month swapped
    one_digit = search(dataset, "SMITH, JOHN", dob=date(1981, 1, 2))
    other = search(dataset, "SMITH, JOHN", dob=date(1957, 6, 21))
    assert min(swapped[0].score, one_digit[0].score) >= max(90, other[0].score + 15)
    assert search(dataset, "SMYTHE, JON", dob=date(1957, 6, 21)) == []  # two doubts: not shown


def test_a_different_sex_lowers_the_score_strongly() -> None:
    dataset = Dataset([person(1, "DOE", "ALEX", sex=Sex.FEMALE), person(2, "DOE", "ALEX")])
    found = search(dataset, "DOE, ALEX", sex=Sex.MALE)
    assert [c.eid for c in found] == ["2020/00002", "2020/00001"]
    assert found[1].score <= found[0].score - 20
    assert len(search(dataset, "DOE, ALEX", sex=Sex.UNKNOWN)) == 2


def test_results_are_capped_at_160_with_the_total_reported() -> None:
    dataset = Dataset([person(n, "SMITH", "JOHN") for n in range(1, 201)], with_photo=set())
    candidates, total = dataset.search("SMITH, JOHN")
    assert (len(candidates), total) == (RESULT_CAP, 200) == (160, 200)
    assert [c.eid for c in candidates] == sorted(c.eid for c in candidates)  # ties: by EID
    assert not any(c.has_photo for c in candidates)
    candidates, total = dataset.search("SMITH, JOHN", limit=10)
    assert (len(candidates), total) == (10, 200)


def test_candidates_carry_the_record_summary() -> None:
    dataset = Dataset([person(7, "DOE", "JANE", birth_year=1990, sex=Sex.FEMALE)], {"2020/00007"})
    (candidate,) = search(dataset, "DOE, JANE")
    assert candidate.eid == "2020/00007" and candidate.colour is NoticeColour.RED
    assert candidate.has_photo and candidate.birth_year == 1990 and candidate.dob_text == "1990"


def test_a_record_without_forename_can_still_match() -> None:
    dataset = Dataset([person(1, "MUSTERMANN", None)])
    assert names(search(dataset, "MUSTERMANN, MAX")) == ["MUSTERMANN,"]


def test_an_unrelated_name_returns_nothing() -> None:
    dataset = Dataset.synthetic(2000, seed=3)
    assert dataset.search("ZZYZX, QWERTY") == ([], 0)
    assert search(KOWALSKI, "NAKAMURA, HIROSHI") == []
    assert search(KOWALSKI, "SMITH, JOHN") == []


def test_every_synthetic_record_is_found_by_its_own_name() -> None:
    dataset = Dataset.synthetic(2000, seed=11)
    named = [notice for notice in dataset if notice.colour is not NoticeColour.BLACK]
    for notice in named[::40]:
        candidates, _ = dataset.search(notice.nam, notice.date_of_birth, notice.sex)
        assert {c.eid: c.score for c in candidates}.get(notice.eid) == 100, notice.nam


def test_an_unidentified_body_is_never_a_name_candidate() -> None:
    dataset = Dataset.synthetic(2000, seed=11)
    body = next(notice for notice in dataset if notice.colour is NoticeColour.BLACK)
    assert dataset.get(body.eid) is not None  # fetched by EID, as INTERPOL sends it
    candidates, _ = dataset.search(f"{body.family_name}, JOHN")
    assert all(c.colour is not NoticeColour.BLACK for c in candidates)

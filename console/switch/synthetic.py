"""The synthetic notice generator: deterministic notices of every colour, and diffusions."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, timedelta

from console.domain.codes import NoticeColour, Sex
from console.domain.records import LinkedNotice, PersonNotice, Warrant
from console.switch.people import (
    ABROAD_ISSUERS,
    CHARGES,
    CITIES,
    COUNTRIES,
    EURO,
    LANGUAGE_OF,
    LOCAL_CHARGES,
    MARKS,
    MOTIFS,
    SECOND_NATIONALITIES,
    SUMMARIES,
    SUMMARY_CRIMES,
    Origin,
)
from console.switch.synthetic_names import ORIGIN, NameMaker, Weighted, pair

# Shares of the kinds among the notices, near those of INTERPOL's published notices.
COLOURS = (
    (NoticeColour.RED, 62),
    (NoticeColour.YELLOW, 20),
    (NoticeColour.DIFFUSION, 5),
    (NoticeColour.BLUE, 5),
    (NoticeColour.GREEN, 3),
    (NoticeColour.BLACK, 2),
    (NoticeColour.ORANGE, 1),
    (NoticeColour.PURPLE, 1),
    (NoticeColour.UN_SPECIAL, 1),
)
WANTED = frozenset((NoticeColour.RED, NoticeColour.DIFFUSION))  # these carry arrest warrants
UNKNOWN_NAME = "UNKNOWN"  # a black notice is about a body no one has named yet
FIRST_YEAR, LAST_YEAR = 2000, 2024  # notice years: fixed, so the data does not age with the clock
DENSE_FROM = 500_000  # from this many notices on, EID numbers climb in steps of one, not 1-3


def synthetic_notices(count: int, seed: int = 0) -> list[PersonNotice]:
    """``count`` synthetic notices of every colour (shares as in COLOURS) and diffusions;
    the same seed gives the same set."""
    maker = _NoticeMaker(seed, step=1 if count >= DENSE_FROM else 3)
    notices = [maker.notice(index) for index in range(count)]
    return _link_some(notices, random.Random(f"links:{seed}"))


_COLOUR = Weighted(tuple(c for c, _ in COLOURS), tuple(w for _, w in COLOURS))
_YELLOW_SEX = Weighted((Sex.FEMALE, Sex.MALE, Sex.UNKNOWN), (54, 45, 1))
_LIGHT_EYES = Weighted(("BLU", "GRE", "HAZ"), (5, 3, 2))
_DARK_EYES = Weighted(("BRO", "BLA"), (7, 3))
_LIGHT_HAIR = Weighted(("BLN", "BRO", "RED"), (4, 5, 1))
_DARK_HAIR = Weighted(("BLA", "BRO"), (6, 4))
_WARRANT_COUNT = Weighted((1, 2, 3), (70, 22, 8))
_CHARGE_COUNT = Weighted((1, 2), (85, 15))


@dataclass(frozen=True, slots=True)
class _YellowFields:
    birth_name: str | None = None
    date_of_event: date | None = None
    place_of_event: str | None = None
    country_of_event: str | None = None


class _NoticeMaker:
    """Makes one notice per index from its own Random, so a record does not depend on others."""

    def __init__(self, seed: int, step: int = 3) -> None:
        self._seed = seed
        self._step = step
        self._names = NameMaker(seed)
        self._next_number: dict[int, int] = {}

    def notice(self, index: int) -> PersonNotice:
        # A string seed is hashed with SHA-512 by random: stable across runs and machines.
        rng = random.Random(f"notice:{self._seed}:{index}")
        origin = ORIGIN.pick(rng)
        colour = _COLOUR.pick(rng)
        # Recent years are busier, as INTERPOL publishes more notices every year.
        year = FIRST_YEAR + int(rng.triangular(0, LAST_YEAR - FIRST_YEAR + 1, 22))
        if colour is NoticeColour.YELLOW:
            sex = _YELLOW_SEX.pick(rng)
            age = int(rng.triangular(0, 90, 15))
        else:
            sex = Sex.MALE if rng.random() < 0.87 else Sex.FEMALE
            age = int(rng.triangular(18, 72, 32))
        name = self._names.name(origin, rng, sex)
        nationalities = _nationalities(origin, rng)
        born = date(year - age, 1, 1) + timedelta(days=rng.randrange(365))
        roll = rng.random()  # ~5% only the year of birth known, ~1% nothing
        birth_country = nationalities[0] if nationalities and rng.random() < 0.9 else None
        birth_country = birth_country or rng.choice(COUNTRIES)
        eid = self._eid(year, rng)
        yellow = _YellowFields()
        warrants: tuple[Warrant, ...] = ()
        if colour in WANTED:
            warrants = _warrants(nationalities, rng)
        elif colour is NoticeColour.YELLOW:
            yellow = self._yellow(origin, nationalities, sex, age, born, year, rng)
        summary = None
        if colour is not NoticeColour.RED and colour is not NoticeColour.YELLOW:
            summary = _summary(colour, nationalities, age, year, rng)
        notice = PersonNotice(
            eid=eid,
            colour=colour,
            family_name=name.family,
            forename=name.forename,
            sex=sex,
            date_of_birth=born if roll >= 0.06 else None,
            birth_year=born.year if roll < 0.05 else None,
            place_of_birth=rng.choice(CITIES[birth_country]) if rng.random() < 0.9 else None,
            country_of_birth=birth_country,
            nationalities=nationalities,
            native_name=name.native,
            height_m=_height(sex, age, rng) if rng.random() < 0.85 else None,
            weight_kg=_weight(age, rng) if rng.random() < 0.8 else None,
            eye_colours=_eyes(origin, rng) if rng.random() < 0.9 else (),
            hair_colours=_hair(origin, age, rng) if rng.random() < 0.9 else (),
            distinguishing_marks=_mark(rng) if rng.random() < 0.3 else None,
            languages=_languages(origin, nationalities, rng),
            warrants=warrants,
            birth_name=yellow.birth_name,
            date_of_event=yellow.date_of_event,
            place_of_event=yellow.place_of_event,
            country_of_event=yellow.country_of_event,
            summary=summary,
        )
        return _unnamed(notice) if colour is NoticeColour.BLACK else notice

    def _yellow(
        self,
        origin: Origin,
        nationalities: tuple[str, ...],
        sex: Sex,
        age: int,
        born: date,
        year: int,
        rng: random.Random,
    ) -> _YellowFields:
        event = max(born, date(year, 1, 1) - timedelta(days=rng.randrange(400)))
        country = nationalities[0] if nationalities else rng.choice(COUNTRIES)
        if rng.random() < 0.2:
            country = rng.choice(COUNTRIES)  # went missing abroad
        maiden = sex is Sex.FEMALE and age > 22 and rng.random() < 0.25
        return _YellowFields(
            birth_name=self._names.name(origin, rng, sex).family if maiden else None,
            date_of_event=event,
            place_of_event=rng.choice(CITIES[country]),
            country_of_event=country,
        )

    def _eid(self, year: int, rng: random.Random) -> str:
        # Numbers climb within a year in uneven steps, like a registry's; never reused.
        start = self._next_number.get(year, 100 + rng.randrange(3000))
        number = start + 1 + rng.randrange(self._step)
        if number > 99_999:
            raise ValueError(f"too many synthetic notices for {year}: EID numbers ran out")
        self._next_number[year] = number
        return f"{year}/{number:05d}"


def _nationalities(origin: Origin, rng: random.Random) -> tuple[str, ...]:
    if rng.random() < 0.02:
        return ()
    first = rng.choice(origin.countries)
    if rng.random() < 0.08:
        second = rng.choice([c for c in SECOND_NATIONALITIES if c != first])
        return (first, second)
    return (first,)


def _height(sex: Sex, age: int, rng: random.Random) -> float:
    adult = rng.gauss(1.63, 0.065) if sex is Sex.FEMALE else rng.gauss(1.76, 0.075)
    child = 0.75 + 0.062 * age + rng.gauss(0, 0.04)
    return round(min(adult, child) if age < 18 else adult, 2)


def _weight(age: int, rng: random.Random) -> float:
    if age < 16:
        return float(round(4 + 3.2 * age + rng.gauss(0, 2)))
    return float(round(rng.gauss(74, 12)))


def _eyes(origin: Origin, rng: random.Random) -> tuple[str, ...]:
    if rng.random() < origin.light:
        return (_LIGHT_EYES.pick(rng),)
    return (_DARK_EYES.pick(rng),)


def _hair(origin: Origin, age: int, rng: random.Random) -> tuple[str, ...]:
    if age > 55 and rng.random() < 0.6:
        return ("GRY",)
    if rng.random() < origin.light:
        return (_LIGHT_HAIR.pick(rng),)
    return (_DARK_HAIR.pick(rng),)


def _mark(rng: random.Random) -> str:
    return rng.choice(MARKS).format(side=rng.choice(("left", "right")), motif=rng.choice(MOTIFS))


def _languages(
    origin: Origin, nationalities: tuple[str, ...], rng: random.Random
) -> tuple[str, ...]:
    spoken = [origin.language]
    for country in nationalities[1:]:
        spoken.append(LANGUAGE_OF.get(country, "ENG"))
    if rng.random() < 0.3:
        spoken.append("ENG")
    return tuple(dict.fromkeys(spoken))


def _warrants(nationalities: tuple[str, ...], rng: random.Random) -> tuple[Warrant, ...]:
    warrants = []
    for _ in range(_WARRANT_COUNT.pick(rng)):
        home = nationalities[0] if nationalities else None
        issuer = home if home and rng.random() < 0.65 else rng.choice(ABROAD_ISSUERS)
        local = LOCAL_CHARGES.get(LANGUAGE_OF.get(issuer, ""))
        if local and rng.random() < 0.4:
            charge, translation = pair(local, rng)
            kept = translation if rng.random() < 0.7 else None
            warrants.append(Warrant(charge, issuer, kept))
            continue
        counts = _CHARGE_COUNT.pick(rng)
        texts = [_charge(issuer, rng) for _ in range(counts)]
        # Multi-count warrants arrive as one free-text charge with line breaks.
        charge = texts[0] if counts == 1 else "\n".join(f"{n}. {t}" for n, t in enumerate(texts, 1))
        warrants.append(Warrant(charge, issuer))
    return tuple(warrants)


def _charge(issuer: str, rng: random.Random) -> str:
    return rng.choice(CHARGES).format(
        amount=f"{rng.randrange(5, 900) * 10_000:,}",
        currency="EUR" if issuer in EURO else "USD",
        victims=rng.randrange(3, 400),
        kg=rng.randrange(20, 2500),
    )


def _link_some(notices: list[PersonNotice], rng: random.Random) -> list[PersonNotice]:
    """Link about one yellow notice in ten to another record (a missing sibling, an abductor)."""
    if len(notices) < 2:
        return notices
    result = list(notices)
    for at, notice in enumerate(notices):
        if notice.colour is not NoticeColour.YELLOW or rng.random() >= 0.1:
            continue
        other = rng.randrange(len(notices) - 1)
        other += other >= at  # never link a record to itself
        result[at] = _with_link(result[at], notices[other])
        result[other] = _with_link(result[other], notice)
    return result


def _with_link(notice: PersonNotice, other: PersonNotice) -> PersonNotice:
    link = LinkedNotice(other.eid, other.nam, other.colour)
    if link in notice.linked:
        return notice
    return dataclasses.replace(notice, linked=(*notice.linked, link))


def _summary(
    colour: NoticeColour, nationalities: tuple[str, ...], age: int, year: int, rng: random.Random
) -> str:
    country = nationalities[0] if nationalities else rng.choice(COUNTRIES)
    place = rng.choice(CITIES.get(country) or CITIES[rng.choice(COUNTRIES)])
    return rng.choice(SUMMARIES[colour.value]).format(
        place=place.title(),
        country=country,
        year=year,
        crime=rng.choice(SUMMARY_CRIMES),
        age=f"{max(age - 5, 16)}-{age + 5}",
        mark=_mark(rng).lower(),
    )


def _unnamed(notice: PersonNotice) -> PersonNotice:
    """A black notice: a body, its description, no name, birth date or nationality known."""
    return dataclasses.replace(
        notice,
        family_name=UNKNOWN_NAME,
        forename=None,
        native_name=None,
        date_of_birth=None,
        birth_year=None,
        place_of_birth=None,
        country_of_birth=None,
        nationalities=(),
        languages=(),
    )

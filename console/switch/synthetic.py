"""The synthetic notice generator: deterministic red and yellow notices from a seed."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from typing import Generic, TypeVar

from anyascii import anyascii
from faker import Faker

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
    NAME_PAIRS,
    NOT_NAM,
    ORIGINS,
    SECOND_NATIONALITIES,
    Origin,
)

RED_SHARE = 0.7
FIRST_YEAR, LAST_YEAR = 2000, 2024  # notice years: fixed, so the data does not age with the clock
POOL = 300  # names Faker draws once per locale and kind; records then pick from these pools
DENSE_FROM = 500_000  # from this many notices on, EID numbers climb in steps of one, not 1-3


def synthetic_notices(count: int, seed: int = 0) -> list[PersonNotice]:
    """``count`` synthetic red (~70%) and yellow (~30%) notices; the same seed, the same set."""
    maker = _NoticeMaker(seed, step=1 if count >= DENSE_FROM else 3)
    notices = [maker.notice(index) for index in range(count)]
    return _link_some(notices, random.Random(f"links:{seed}"))


T = TypeVar("T")


class _Weighted(Generic[T]):
    """A weighted choice that does its sums once, not on every draw as ``Random.choices``."""

    def __init__(self, items: tuple[T, ...], weights: tuple[float, ...]) -> None:
        self._items = items
        self._bounds = tuple(accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect(self._bounds, rng.random() * self._bounds[-1])]


_ORIGIN = _Weighted(ORIGINS, tuple(origin.weight for origin in ORIGINS))
_YELLOW_SEX = _Weighted((Sex.FEMALE, Sex.MALE, Sex.UNKNOWN), (54, 45, 1))
_LIGHT_EYES = _Weighted(("BLU", "GRE", "HAZ"), (5, 3, 2))
_DARK_EYES = _Weighted(("BRO", "BLA"), (7, 3))
_LIGHT_HAIR = _Weighted(("BLN", "BRO", "RED"), (4, 5, 1))
_DARK_HAIR = _Weighted(("BLA", "BRO"), (6, 4))
_WARRANT_COUNT = _Weighted((1, 2, 3), (70, 22, 8))
_CHARGE_COUNT = _Weighted((1, 2), (85, 15))


@dataclass(frozen=True, slots=True)
class _YellowFields:
    birth_name: str | None = None
    date_of_event: date | None = None
    place_of_event: str | None = None
    country_of_event: str | None = None


@dataclass(frozen=True, slots=True)
class _Name:
    family: str
    forename: str
    native: str | None


class _NamePools:
    """Names Faker drew once per locale and kind, seeded by the set's seed.

    Asking Faker per record costs about 100 us, which makes a million notices take minutes;
    picking from a few hundred draws is a list index, and keeps Faker's name frequencies.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._fakers: dict[str, Faker] = {}
        self._pools: dict[tuple[str, str], tuple[object, ...]] = {}
        self._latin: dict[tuple[str, bool], str] = {}
        self._is_latin: dict[str, bool] = {}

    def pick(self, locale: str, kind: str, rng: random.Random) -> str:
        pool = self._pool(locale, kind)
        value = pool[rng.randrange(len(pool))]
        assert isinstance(value, str)
        return value

    def pick_pair(self, locale: str, kind: str, rng: random.Random) -> tuple[str, ...]:
        pool = self._pool(locale, kind)
        value = pool[rng.randrange(len(pool))]
        assert isinstance(value, tuple)
        return value

    def latin(self, text: str, devanagari: bool = False) -> str:
        key = (text, devanagari)
        found = self._latin.get(key)
        if found is None:
            found = self._latin[key] = _latin(text, devanagari)
        return found

    def is_latin(self, text: str) -> bool:
        found = self._is_latin.get(text)
        if found is None:
            found = self._is_latin[text] = _is_latin(text)
        return found

    def _pool(self, locale: str, kind: str) -> tuple[object, ...]:
        pool = self._pools.get((locale, kind))
        if pool is None:
            fake = self._fakers.get(locale)
            if fake is None:
                fake = self._fakers[locale] = Faker(locale)
            fake.seed_instance(random.Random(f"names:{self._seed}:{locale}:{kind}").getrandbits(64))
            draw = getattr(fake, kind)
            # A name that folds to nothing a dispatcher could type is left out of the pool.
            drawn = (draw() for _ in range(POOL))
            pool = self._pools[locale, kind] = tuple(
                value for value in drawn if self.latin(_latin_of(value), locale == "hi_IN")
            )
        return pool


def _latin_of(value: object) -> str:
    return value[2] if isinstance(value, tuple) else str(value)


class _NoticeMaker:
    """Makes one notice per index from its own Random, so a record does not depend on others."""

    def __init__(self, seed: int, step: int = 3) -> None:
        self._seed = seed
        self._step = step
        self._names = _NamePools(seed)
        self._next_number: dict[int, int] = {}

    def notice(self, index: int) -> PersonNotice:
        # A string seed is hashed with SHA-512 by random: stable across runs and machines.
        rng = random.Random(f"notice:{self._seed}:{index}")
        origin = _ORIGIN.pick(rng)
        red = rng.random() < RED_SHARE
        # Recent years are busier, as INTERPOL publishes more notices every year.
        year = FIRST_YEAR + int(rng.triangular(0, LAST_YEAR - FIRST_YEAR + 1, 22))
        if red:
            sex = Sex.MALE if rng.random() < 0.87 else Sex.FEMALE
            age = int(rng.triangular(18, 72, 32))
        else:
            sex = _YELLOW_SEX.pick(rng)
            age = int(rng.triangular(0, 90, 15))
        name = self._name(origin, rng, sex)
        nationalities = _nationalities(origin, rng)
        born = date(year - age, 1, 1) + timedelta(days=rng.randrange(365))
        roll = rng.random()  # ~5% only the year of birth known, ~1% nothing
        birth_country = nationalities[0] if nationalities and rng.random() < 0.9 else None
        birth_country = birth_country or rng.choice(COUNTRIES)
        eid = self._eid(year, rng)
        yellow = _YellowFields()
        warrants: tuple[Warrant, ...] = ()
        if red:
            warrants = _warrants(nationalities, rng)
        else:
            yellow = self._yellow(origin, nationalities, sex, age, born, year, rng)
        return PersonNotice(
            eid=eid,
            colour=NoticeColour.RED if red else NoticeColour.YELLOW,
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
        )

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
            birth_name=self._name(origin, rng, sex).family if maiden else None,
            date_of_event=event,
            place_of_event=rng.choice(CITIES[country]),
            country_of_event=country,
        )

    def _name(self, origin: Origin, rng: random.Random, sex: Sex) -> _Name:
        female = sex is Sex.FEMALE or (sex is Sex.UNKNOWN and rng.random() < 0.5)
        if origin.locale in NAME_PAIRS:
            return _paired_name(origin.locale, female, rng)
        locale, names = origin.locale, self._names
        if locale == "ja_JP":  # kanji, kana and romaji come as matching triples
            last = names.pick_pair(locale, "last_name_pair", rng)
            first_kind = "first_name_female_pair" if female else "first_name_male_pair"
            first = names.pick_pair(locale, first_kind, rng)
            return _Name(names.latin(last[2]), names.latin(first[2]), last[0] + first[0])
        first_name = "first_name_female" if female else "first_name_male"
        family = [names.pick(locale, "last_name_female" if female else "last_name_male", rng)]
        given = [names.pick(locale, first_name, rng)]
        if rng.random() < origin.compound:
            family.append(names.pick(locale, "last_name", rng))
        if rng.random() < origin.middle:
            if locale in ("ru_RU", "uk_UA"):
                given.append(names.pick(locale, f"middle_name_{'fe' if female else ''}male", rng))
            elif locale == "vi_VN":
                given.insert(0, names.pick(locale, "middle_name", rng))
            else:
                given.append(names.pick(locale, first_name, rng))
        native = None
        if not all(map(names.is_latin, family + given)):
            if locale in ("zh_CN", "ko_KR"):
                native = "".join(family + given)
            elif locale in ("ru_RU", "uk_UA"):
                native = " ".join(family + given)
            else:
                native = " ".join(given + family)
        devanagari = locale == "hi_IN"
        return _Name(
            " ".join(names.latin(piece, devanagari) for piece in family),
            " ".join(names.latin(piece, devanagari) for piece in given),
            native,
        )

    def _eid(self, year: int, rng: random.Random) -> str:
        # Numbers climb within a year in uneven steps, like a registry's; never reused.
        start = self._next_number.get(year, 100 + rng.randrange(3000))
        number = start + 1 + rng.randrange(self._step)
        if number > 99_999:
            raise ValueError(f"too many synthetic notices for {year}: EID numbers ran out")
        self._next_number[year] = number
        return f"{year}/{number:05d}"


def _paired_name(table: str, female: bool, rng: random.Random) -> _Name:
    males, females, families = NAME_PAIRS[table]
    given = [_pair(females if female else males, rng)]
    if table == "ar" and rng.random() < 0.4:
        given.append(_pair(males, rng))  # the father's name follows one's own
    family = _pair(families, rng)
    native = " ".join([*(native for native, _ in given), family[0]])
    return _Name(family[1], " ".join(latin for _, latin in given), native)


def _pair(table: str, rng: random.Random) -> tuple[str, str]:
    return rng.choice(_pairs(table))


@cache
def _pairs(table: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (native, latin) for native, latin in (item.split("=") for item in table.split(";"))
    )


def _is_latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _latin(text: str, devanagari: bool = False) -> str:
    """Uppercase Latin a dispatcher can type into NAM: letters, spaces, hyphens, apostrophes."""
    if devanagari:
        latin = " ".join(map(_devanagari, text.split()))
    else:  # Greek OY is OU in the ELOT/ICAO romanization INTERPOL's records use
        latin = anyascii(text.replace("ου", "ou").replace("Ου", "Ou").replace("ού", "ou"))
    if not _is_latin(text):
        latin = latin.replace("'", "")  # transliteration marks (soft sign, ejectives), not names
    return " ".join(NOT_NAM.sub(" ", latin.upper()).split()).strip("' -")


def _devanagari(word: str) -> str:
    # anyascii drops the vowel every Devanagari consonant carries; restore it unless a vowel
    # sign, a virama or the end of the word follows (राहुल -> RAHUL, भरत -> BHARAT).
    out = []
    for at, char in enumerate(word):
        out.append(anyascii(char))
        consonant = "\u0915" <= char <= "\u0939" or "\u0958" <= char <= "\u095f" or char == "\u093c"
        following = word[at + 1 : at + 2]
        if consonant and following and not "\u093c" <= following <= "\u094d":
            out.append("a")
    return "".join(out)


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
            charge, translation = _pair(local, rng)
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

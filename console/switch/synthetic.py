"""The synthetic notice generator: deterministic red and yellow notices from a seed."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

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


def synthetic_notices(count: int, seed: int = 0) -> list[PersonNotice]:
    """``count`` synthetic red (~70%) and yellow (~30%) notices; the same seed, the same set."""
    maker = _NoticeMaker(seed)
    notices = [maker.notice(index) for index in range(count)]
    return _link_some(notices, random.Random(f"links:{seed}"))


@dataclass(frozen=True, slots=True)
class _Name:
    family: str
    forename: str
    native: str | None


class _NoticeMaker:
    """Makes one notice per index; Faker instances are cached per locale, reseeded per record."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._fakers: dict[str, Faker] = {}
        self._weights = list(accumulate(origin.weight for origin in ORIGINS))
        self._next_number: dict[int, int] = {}

    def notice(self, index: int) -> PersonNotice:
        # A string seed is hashed with SHA-512 by random: stable across runs and machines.
        rng = random.Random(f"notice:{self._seed}:{index}")
        origin = rng.choices(ORIGINS, cum_weights=self._weights)[0]
        red = rng.random() < RED_SHARE
        # Recent years are busier, as INTERPOL publishes more notices every year.
        year = FIRST_YEAR + int(rng.triangular(0, LAST_YEAR - FIRST_YEAR + 1, 22))
        if red:
            sex = Sex.MALE if rng.random() < 0.87 else Sex.FEMALE
            age = int(rng.triangular(18, 72, 32))
        else:
            sex = rng.choices((Sex.FEMALE, Sex.MALE, Sex.UNKNOWN), (54, 45, 1))[0]
            age = int(rng.triangular(0, 90, 15))
        name = self._name(origin, rng, sex)
        nationalities = _nationalities(origin, rng)
        born = date(year - age, 1, 1) + timedelta(days=rng.randrange(365))
        roll = rng.random()  # ~5% only the year of birth known, ~1% nothing
        birth_country = nationalities[0] if nationalities and rng.random() < 0.9 else None
        birth_country = birth_country or rng.choice(COUNTRIES)
        notice = PersonNotice(
            eid=self._eid(year, rng),
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
        )
        if red:
            return dataclasses.replace(notice, warrants=_warrants(nationalities, rng))
        event = max(born, date(year, 1, 1) - timedelta(days=rng.randrange(400)))
        country = nationalities[0] if nationalities else rng.choice(COUNTRIES)
        if rng.random() < 0.2:
            country = rng.choice(COUNTRIES)  # went missing abroad
        maiden = sex is Sex.FEMALE and age > 22 and rng.random() < 0.25
        return dataclasses.replace(
            notice,
            birth_name=self._name(origin, rng, sex).family if maiden else None,
            date_of_event=event,
            place_of_event=rng.choice(CITIES[country]),
            country_of_event=country,
        )

    def _name(self, origin: Origin, rng: random.Random, sex: Sex) -> _Name:
        female = sex is Sex.FEMALE or (sex is Sex.UNKNOWN and rng.random() < 0.5)
        if origin.locale in NAME_PAIRS:
            return _paired_name(origin.locale, female, rng)
        fake = self._faker(origin.locale, rng)
        if origin.locale == "ja_JP":  # kanji, kana and romaji come as matching triples
            last = fake.last_name_pair()
            first = fake.first_name_female_pair() if female else fake.first_name_male_pair()
            return _Name(_latin(last[2]), _latin(first[2]), last[0] + first[0])
        family: str = fake.last_name_female() if female else fake.last_name_male()
        given: str = fake.first_name_female() if female else fake.first_name_male()
        if rng.random() < origin.compound:
            family = f"{family} {fake.last_name()}"
        if rng.random() < origin.middle:
            if origin.locale in ("ru_RU", "uk_UA"):
                given += " " + (fake.middle_name_female() if female else fake.middle_name_male())
            elif origin.locale == "vi_VN":
                given = f"{fake.middle_name()} {given}"
            else:
                given += " " + (fake.first_name_female() if female else fake.first_name_male())
        native = None
        if not _is_latin(family + given):
            if origin.locale in ("zh_CN", "ko_KR"):
                native = family + given
            elif origin.locale in ("ru_RU", "uk_UA"):
                native = f"{family} {given}"
            else:
                native = f"{given} {family}"
        devanagari = origin.locale == "hi_IN"
        return _Name(_latin(family, devanagari), _latin(given, devanagari), native)

    def _faker(self, locale: str, rng: random.Random) -> Faker:
        fake = self._fakers.get(locale)
        if fake is None:
            fake = self._fakers[locale] = Faker(locale)
        # Reseeding per record keeps each record independent of the ones before it, and
        # seed_instance gives the instance its own Random instead of Faker's shared one.
        fake.seed_instance(rng.getrandbits(64))
        return fake

    def _eid(self, year: int, rng: random.Random) -> str:
        # Numbers climb within a year in uneven steps, like a registry's; never reused.
        number = self._next_number.get(year, 100 + rng.randrange(3000)) + 1 + rng.randrange(3)
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
    native, latin = rng.choice(table.split(";")).split("=")
    return native, latin


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
        return (rng.choices(("BLU", "GRE", "HAZ"), (5, 3, 2))[0],)
    return (rng.choices(("BRO", "BLA"), (7, 3))[0],)


def _hair(origin: Origin, age: int, rng: random.Random) -> tuple[str, ...]:
    if age > 55 and rng.random() < 0.6:
        return ("GRY",)
    if rng.random() < origin.light:
        return (rng.choices(("BLN", "BRO", "RED"), (4, 5, 1))[0],)
    return (rng.choices(("BLA", "BRO"), (6, 4))[0],)


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
    for _ in range(rng.choices((1, 2, 3), (70, 22, 8))[0]):
        home = nationalities[0] if nationalities else None
        issuer = home if home and rng.random() < 0.65 else rng.choice(ABROAD_ISSUERS)
        local = LOCAL_CHARGES.get(LANGUAGE_OF.get(issuer, ""))
        if local and rng.random() < 0.4:
            charge, translation = _pair(local, rng)
            kept = translation if rng.random() < 0.7 else None
            warrants.append(Warrant(charge, issuer, kept))
            continue
        counts = rng.choices((1, 2), (85, 15))[0]
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

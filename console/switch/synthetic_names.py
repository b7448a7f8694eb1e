"""Synthetic names: Faker's names per locale, romanized as INTERPOL's records spell them."""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Generic, TypeVar

from anyascii import anyascii
from faker import Faker

from console.domain.codes import Sex
from console.switch.people import NAME_PAIRS, NOT_NAM, ORIGINS, Origin

POOL = 300  # names Faker draws once per locale and kind; records then pick from these pools


T = TypeVar("T")


class Weighted(Generic[T]):
    """A weighted choice that does its sums once, not on every draw as ``Random.choices``."""

    def __init__(self, items: tuple[T, ...], weights: tuple[float, ...]) -> None:
        self._items = items
        self._bounds = tuple(accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect(self._bounds, rng.random() * self._bounds[-1])]


ORIGIN = Weighted(ORIGINS, tuple(origin.weight for origin in ORIGINS))


@dataclass(frozen=True, slots=True)
class Name:
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

    def pickpair(self, locale: str, kind: str, rng: random.Random) -> tuple[str, ...]:
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


class NameMaker:
    """A person's name in NAM parts (and in its own script), drawn for an origin and sex."""

    def __init__(self, seed: int) -> None:
        self._pools = _NamePools(seed)

    def name(self, origin: Origin, rng: random.Random, sex: Sex) -> Name:
        female = sex is Sex.FEMALE or (sex is Sex.UNKNOWN and rng.random() < 0.5)
        if origin.locale in NAME_PAIRS:
            return _paired_name(origin.locale, female, rng)
        locale, names = origin.locale, self._pools
        if locale == "ja_JP":  # kanji, kana and romaji come as matching triples
            last = names.pickpair(locale, "last_name_pair", rng)
            first_kind = "first_name_female_pair" if female else "first_name_male_pair"
            first = names.pickpair(locale, first_kind, rng)
            return Name(names.latin(last[2]), names.latin(first[2]), last[0] + first[0])
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
        return Name(
            " ".join(names.latin(piece, devanagari) for piece in family),
            " ".join(names.latin(piece, devanagari) for piece in given),
            native,
        )


def _paired_name(table: str, female: bool, rng: random.Random) -> Name:
    males, females, families = NAME_PAIRS[table]
    given = [pair(females if female else males, rng)]
    if table == "ar" and rng.random() < 0.4:
        given.append(pair(males, rng))  # the father's name follows one's own
    family = pair(families, rng)
    native = " ".join([*(native for native, _ in given), family[0]])
    return Name(family[1], " ".join(latin for _, latin in given), native)


def pair(table: str, rng: random.Random) -> tuple[str, str]:
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


__all__ = ["ORIGIN", "Name", "NameMaker", "Weighted", "pair"]

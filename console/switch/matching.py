"""Name index of the simulated INTERPOL gateway: fuzzy, phonetic, order- and DOB-aware matching."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz, process

from console.domain.codes import NoticeColour, Sex
from console.domain.records import Candidate, PersonNotice

MATCH_THRESHOLD = 70  # a candidate scoring less is noise to a dispatcher, never shown
RESULT_CAP = 160  # INTERPOL returns at most 160 records to one query
WORD_CUTOFF = 70  # prefilter: how close a word of the index must be to a word of the query
FAMILY_WEIGHT = 0.55  # the family name says more than the forenames
NO_FORENAME = 60.0  # a record without forenames neither confirms nor refutes the query's
WEAK_PART = 60.0  # below this a part of the name is more likely wrong than misspelt
SWAP_PENALTY = 5.0  # records may store the name order differently: allowed, but second best
SEX_PENALTY = 25.0  # both sexes known and different: probably not the person, data entry aside
PHONETIC_FLOOR = 85.0  # YUSUF / YOUSSEF, MOHAMMED / MUHAMMAD: transliterations of one name
DOB_SHARE = 0.9  # with a DOB in the query, the name makes 90 points and the DOB the last 10
MONTH_POINTS = 2.0  # a record knowing the year and month of birth: the month agrees or not

_NOT_LETTER = re.compile(r"[^A-Z ]+")


def normalize(text: str) -> str:
    """Uppercase ASCII words: diacritics and scripts folded, hyphens split, apostrophes dropped."""
    folded = anyascii(text).upper().replace("'", "").replace("-", " ")
    return " ".join(_NOT_LETTER.sub(" ", folded).split())


@dataclass(frozen=True, slots=True)
class _Part:
    """A family name or the forenames, as words and as one word (VAN DER BERG = VANDERBERG)."""

    words: tuple[str, ...]
    joined: str

    @classmethod
    def of(cls, text: str | None) -> _Part | None:
        words = tuple(normalize(text or "").split())
        return cls(words, "".join(words)) if words else None

    def index_words(self) -> Iterable[str]:
        yield from self.words
        if len(self.words) > 1:
            yield self.joined


class NameIndex:
    """Answers I queries (IPQ): the possible matches of a NAM (and DOB, SEX), best first.

    Names are indexed once however many records carry them (a million notices hold far fewer
    distinct names): a query scores each distinct name, then only the DOB and sex of its records.
    """

    def __init__(self, notices: Sequence[PersonNotice], with_photo: Collection[str]) -> None:
        self._notices = tuple(notices)
        self._with_photo = with_photo
        self._names: list[tuple[_Part | None, _Part | None]] = []
        self._records: list[list[int]] = []  # per distinct name, its records' places
        self._without_forename: set[int] = set()
        postings: dict[str, list[int]] = {}
        single_words: set[str] = set()
        name_of: dict[tuple[str, str], int] = {}
        parts: dict[str, _Part | None] = {}  # the same family name or forenames parsed once
        for at, notice in enumerate(self._notices):
            if notice.colour is NoticeColour.BLACK:  # an unidentified body: no name to match
                continue
            family_text, forename_text = notice.family_name, notice.forename or ""
            family = parts.get(family_text) or parts.setdefault(family_text, _Part.of(family_text))
            forename = parts.get(forename_text) or parts.setdefault(
                forename_text, _Part.of(forename_text)
            )
            key = (family.joined if family else "", " ".join(forename.words) if forename else "")
            name = name_of.get(key)
            if name is not None:
                self._records[name].append(at)
                continue
            name = name_of[key] = len(self._names)
            self._names.append((family, forename))
            self._records.append([at])
            if forename is None:
                self._without_forename.add(name)
            for part in (family, forename):
                single_words.update(part.words if part else ())
                for word in dict.fromkeys(part.index_words()) if part else ():
                    postings.setdefault(word, []).append(name)
        self._vocabulary = list(postings)
        self._postings = list(postings.values())
        self._place_of = {word: at for at, word in enumerate(self._vocabulary)}
        # Words grouped by length: most lengths cannot reach WORD_CUTOFF against a query word,
        # and skipping them halves the scan. Joined compounds (GARCIALOPEZ) are left out of the
        # fuzzy scan, looked up only as they are and by sound: they are most of the vocabulary
        # in a large set and grow with it, while their single words are matched fuzzily anyway.
        self._by_length: dict[int, tuple[list[str], list[int]]] = {}
        for at, word in enumerate(self._vocabulary):
            if word not in single_words:
                continue
            words, places = self._by_length.setdefault(len(word), ([], []))
            words.append(word)
            places.append(at)
        # Sound keys of the indexed words only: query words are new every time, and caching
        # them would grow without bound in a long-running switch.
        self._sounds = {word: _sound_keys(word) for word in self._vocabulary}
        self._by_sound: dict[str, list[int]] = {}
        for at, word in enumerate(self._vocabulary):
            for sound in self._sounds[word]:
                self._by_sound.setdefault(sound, []).append(at)

    def __len__(self) -> int:
        return len(self._notices)

    def search(
        self, name: str, dob: date | None = None, sex: Sex | None = None, limit: int = RESULT_CAP
    ) -> tuple[list[Candidate], int]:
        """Candidates scoring at least MATCH_THRESHOLD, best first, at most ``limit``; and how many
        there were before the cap."""
        family_text, _, forename_text = name.partition(",")
        family, forename = _Part.of(family_text), _Part.of(forename_text)
        if family is None:
            return [], 0
        known = (Sex.MALE, Sex.FEMALE)
        sex_known = sex in known
        # The best a name can reach once its records' DOB is folded in: names below are skipped
        # before their records are looked at.
        floor = (MATCH_THRESHOLD - 10.0) / DOB_SHARE if dob else float(MATCH_THRESHOLD)
        scored: list[tuple[float, str, int]] = []
        for found in self._prefilter(family, forename):
            r_family, r_forename = self._names[found]
            best = self._name_score(family, forename, r_family, r_forename)
            if r_forename is not None:
                swapped = self._name_score(family, forename, r_forename, r_family)
                best = max(best, swapped - SWAP_PENALTY)
            if best < floor:
                continue
            for at in self._records[found]:
                notice = self._notices[at]
                score = _with_dob(best, dob, notice.date_of_birth, notice.birth_year)
                if dob and notice.birth_month and notice.birth_year == dob.year:
                    score += MONTH_POINTS if notice.birth_month == dob.month else -MONTH_POINTS
                if sex_known and notice.sex in known and sex is not notice.sex:
                    score -= SEX_PENALTY
                if score >= MATCH_THRESHOLD:
                    scored.append((score, notice.eid, at))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self._candidate(at, score) for score, _, at in scored[:limit]], len(scored)

    def _candidate(self, at: int, score: float) -> Candidate:
        notice = self._notices[at]
        return Candidate(
            eid=notice.eid,
            colour=notice.colour,
            name=notice.nam,
            date_of_birth=notice.date_of_birth,
            sex=notice.sex,
            nationalities=notice.nationalities,
            score=min(100, round(score)),
            birth_year=notice.birth_year,
            birth_month=notice.birth_month,
            has_photo=notice.eid in self._with_photo,
        )

    # -- prefilter: which records could possibly score, found in C, not in a Python loop

    def _prefilter(self, family: _Part, forename: _Part | None) -> set[int]:
        # Words are matched regardless of their place, so a record storing the name order the
        # other way round still has both words, and the intersection keeps it.
        found = self._records_near(family)
        wanted = self._records_near(forename) if forename else None
        if found is None:
            return wanted or set()
        if wanted is None:
            return found
        return found & (wanted | self._without_forename)

    def _records_near(self, part: _Part) -> set[int] | None:
        # Two-letter words (AL, DE, LI) are looked up only when there is nothing longer: they
        # sit in thousands of names and would only swell the set to score.
        words = [word for word in part.words if len(word) > 2]
        words = words or [word for word in part.words if len(word) > 1]
        if not words:
            return None  # initials only: no selective word to look up
        if len(part.words) > 1:
            words.append(part.joined)
        near: set[int] = set()
        for word in words:
            places = set(self._words_near(word))
            exact = self._place_of.get(word)
            if exact is not None:
                places.add(exact)
            if len(word) > 2:
                for key in self._sound_keys(word):
                    places.update(self._by_sound.get(key, ()))
            for at in places:
                near.update(self._postings[at])
        return near

    def _words_near(self, word: str) -> Iterator[int]:
        """Places in the vocabulary of the words within WORD_CUTOFF of ``word``."""
        for length, (words, places) in self._by_length.items():
            # ratio = 2 * common / (len a + len b), and common <= the shorter length
            if 200 * min(length, len(word)) < WORD_CUTOFF * (length + len(word)):
                continue
            hits = process.extract(
                word, words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=None
            )
            yield from (places[at] for _, _, at in hits)

    # -- scoring

    def _name_score(
        self,
        family: _Part,
        forename: _Part | None,
        r_family: _Part | None,
        r_forename: _Part | None,
    ) -> float:
        family_sim = self._part_sim(family, r_family) if r_family else 0.0
        if forename is None and r_forename is None:
            forename_sim = 100.0  # a person with one name asked as one: the names agree
        elif forename is None or r_forename is None:
            forename_sim = NO_FORENAME
        else:
            forename_sim = self._part_sim(forename, r_forename)
        return FAMILY_WEIGHT * _soften(family_sim) + (1 - FAMILY_WEIGHT) * _soften(forename_sim)

    def _part_sim(self, query: _Part, record: _Part) -> float:
        whole = self._word_sim(query.joined, record.joined)
        if len(query.words) == 1 and len(record.words) == 1:
            return whole
        # Compound names (GARCIA vs GARCIA LOPEZ, JOHN vs JOHN PAUL): how well the words of one
        # side are covered by the other's; the whole-string term ranks the exact form first.
        forward = _mean(max(self._word_sim(q, r) for r in record.words) for q in query.words)
        backward = _mean(max(self._word_sim(q, r) for q in query.words) for r in record.words)
        return max(whole, 0.85 * max(forward, backward) + 0.15 * whole)

    def _word_sim(self, a: str, b: str) -> float:
        if a == b:
            return 100.0
        if len(a) == 1 or len(b) == 1:
            return 80.0 if a[0] == b[0] else 0.0  # an initial against a full name
        score = fuzz.ratio(a, b)
        # Short metaphone keys collide a lot (JOHN and JAIN are both JN): the spelling must be
        # fairly close already before sounding alike may count.
        if score >= 60 and len(a) > 2 and len(b) > 2:
            keys_a, keys_b = self._sound_keys(a), self._sound_keys(b)
            if keys_a[0] == keys_b[0] or keys_a[1] == keys_b[1]:
                score = min(97.0, max(score + 6, PHONETIC_FLOOR))
        return score

    def _sound_keys(self, word: str) -> tuple[str, str]:
        return self._sounds.get(word) or _sound_keys(word)


def _sound_keys(word: str) -> tuple[str, str]:
    # Prefixed so a metaphone key never collides with a NYSIIS key in _by_sound.
    return "M" + jellyfish.metaphone(word), "N" + jellyfish.nysiis(word)


def _with_dob(name_score: float, query: date | None, known: date | None, year: int | None) -> float:
    """Fold the DOB in: only an exact DOB lets a perfect name reach 100, a clearly different
    one drops even a perfect name to the threshold."""
    if query is None:
        return name_score
    return DOB_SHARE * name_score + _dob_points(query, known, year)


def _dob_points(query: date, known: date | None, birth_year: int | None) -> float:
    if known is not None:
        if known == query:
            return 10.0
        if known.year == query.year:
            return 4.0
        swapped = (known.month, known.day) == (query.day, query.month)
        next_year = (known.month, known.day) == (query.month, query.day)
        next_year = next_year and abs(known.year - query.year) == 1
        if swapped or next_year or _one_digit_apart(known, query):
            return 0.0  # a typing slip in the DOB, not another person
        return -20.0
    if birth_year is not None:  # only the year is known: it can agree, but only partly
        if birth_year == query.year:
            return 6.0
        return -5.0 if abs(birth_year - query.year) == 1 else -20.0
    return 3.0  # nothing known: neither confirms nor refutes


def _one_digit_apart(a: date, b: date) -> bool:
    text_a, text_b = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(x != y for x, y in zip(text_a, text_b, strict=True)) == 1


def _soften(similarity: float) -> float:
    # A part far off is likely another name, not a typo: let it drag the total down harder.
    return similarity if similarity >= WEAK_PART else similarity / 2


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items)

"""Number index of the simulated gateway: VINs, engine numbers, document numbers and serials
found as typed, or one keystroke away (a wrong, missing, extra or swapped character)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Characters a reader mistakes for one another on a worn plate or a passport's data page are
# folded alike on both sides (O and Q as 0, I as 1): such a misreading is no edit at all.
LOOKALIKES = str.maketrans({"O": "0", "Q": "0", "I": "1"})
ANCHOR = 6  # most characters of the prefix and of the suffix that locate near numbers
SHORTEST_NEAR = 7  # shorter queries are matched exactly only: they have too many neighbours


def fold(number: str) -> str:
    """The comparable form: uppercase, no spaces or hyphens, look-alike characters folded."""
    return "".join(number.upper().split()).replace("-", "").translate(LOOKALIKES)


@dataclass(frozen=True, slots=True)
class NumberHit:
    place: int  # the record's place in the caller's sequence
    distance: int  # 0: as typed (after folding); 1: one keystroke away


class _Bucket:
    """Records sharing an anchor: their places, and their folded numbers for one C-level scan."""

    __slots__ = ("numbers", "places")

    def __init__(self) -> None:
        self.places: list[int] = []
        self.numbers: list[str] = []


class NumberIndex:
    """Exact and one-edit lookups of identification numbers over many records.

    One edit (optimal string alignment: substitution, insertion, deletion, or two neighbours
    swapped) touches at most two neighbouring characters, so it leaves intact either the first
    or the last ``anchor(n)`` characters of a number of length n, whichever string is the
    longer (head and tail are at least one character apart; shorter numbers have shorter
    anchors). Candidates come from two dictionaries keyed by those anchors and are checked in
    one rapidfuzz scan per bucket: a query never scans the whole index.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[int]] = {}
        self._heads: dict[tuple[str, int], _Bucket] = {}
        self._tails: dict[tuple[str, int], _Bucket] = {}

    def add(self, number: str | None, place: int) -> None:
        """Index ``number`` (None: the record has none) for the record at ``place``."""
        if not number:
            return
        key = fold(number)
        self._exact.setdefault(key, []).append(place)
        size = len(key)
        if size >= SHORTEST_NEAR - 1:  # a query of SHORTEST_NEAR may have one extra character
            length = anchor(size)
            for buckets, piece in ((self._heads, key[:length]), (self._tails, key[-length:])):
                bucket = buckets.get((piece, size))
                if bucket is None:
                    bucket = buckets[piece, size] = _Bucket()
                bucket.places.append(place)
                bucket.numbers.append(key)

    def find(self, number: str, *, near: bool = True) -> list[NumberHit]:
        """Records whose number is ``number``, then (with ``near``) those one edit away."""
        key = fold(number)
        exact = self._exact.get(key, [])
        hits = [NumberHit(place, 0) for place in exact]
        if not near or len(key) < SHORTEST_NEAR:
            return hits
        seen = set(exact)
        for bucket in self._buckets(key):
            found = process.extract(
                key, bucket.numbers, scorer=OSA.distance, score_cutoff=1, limit=None
            )
            for _, distance, at in found:
                place = bucket.places[at]
                if distance == 1 and place not in seen:
                    seen.add(place)
                    hits.append(NumberHit(place, 1))
        return hits

    def _buckets(self, key: str) -> Iterable[_Bucket]:
        for size in (len(key) - 1, len(key), len(key) + 1):  # record lengths one edit away
            if size < SHORTEST_NEAR - 1:
                continue
            length = anchor(size)
            for buckets, piece in ((self._heads, key[:length]), (self._tails, key[-length:])):
                bucket = buckets.get((piece, size))
                if bucket is not None:
                    yield bucket


def anchor(length: int) -> int:
    """Anchor size for a record number of ``length``: head and tail one character apart."""
    return min(ANCHOR, (length - 1) // 2)

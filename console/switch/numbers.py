"""Number index of the simulated gateway: VINs, engine numbers, document numbers and serials
found as typed, or one keystroke away (a wrong, missing, extra or swapped character)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


class NumberIndex:
    """Exact and one-edit lookups of identification numbers over many records.

    One edit (optimal string alignment: substitution, insertion, deletion, or two neighbours
    swapped) touches at most two neighbouring characters, so it leaves intact either the first
    or the last ``anchor(n - 1)`` characters of a number of length n (head and tail stay two
    characters apart in the shortest string one edit away). Candidates come from two
    dictionaries keyed by those anchors and are then checked one by one: a query never scans
    the whole index.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[int]] = {}
        self._heads: dict[tuple[str, int], list[int]] = {}
        self._tails: dict[tuple[str, int], list[int]] = {}
        self._folded: list[str] = []

    def add(self, number: str | None, place: int) -> None:
        """Index ``number`` (None: the record has none) for the record at ``place``."""
        while len(self._folded) <= place:
            self._folded.append("")
        if not number:
            return
        key = fold(number)
        self._folded[place] = key
        self._exact.setdefault(key, []).append(place)
        size = len(key)
        if size >= SHORTEST_NEAR - 1:  # a query of SHORTEST_NEAR may have one extra character
            head = anchor(size - 1)  # the shortest query one edit away needs the shortest
            self._heads.setdefault((key[:head], size), []).append(place)
            self._tails.setdefault((key[-head:], size), []).append(place)

    def find(self, number: str, *, near: bool = True) -> list[NumberHit]:
        """Records whose number is ``number``, then (with ``near``) those one edit away."""
        key = fold(number)
        exact = self._exact.get(key, [])
        hits = [NumberHit(place, 0) for place in exact]
        if not near or len(key) < SHORTEST_NEAR:
            return hits
        seen = set(exact)
        for place in self._candidates(key):
            if place in seen:
                continue
            seen.add(place)
            if OSA.distance(key, self._folded[place], score_cutoff=1) <= 1:
                hits.append(NumberHit(place, 1))
        return hits

    def _candidates(self, key: str) -> Iterable[int]:
        for size in (len(key) - 1, len(key), len(key) + 1):  # record lengths one edit away
            head = anchor(size - 1)
            if size >= SHORTEST_NEAR - 1 and head > 0:
                yield from self._heads.get((key[:head], size), ())
                yield from self._tails.get((key[-head:], size), ())


def anchor(length: int) -> int:
    """Anchor size for strings of ``length`` or more: head and tail stay two characters apart."""
    return min(ANCHOR, (length - 2) // 2)

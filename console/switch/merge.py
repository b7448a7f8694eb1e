"""Folding the copies of one notice (detail records, list entries, re-imports) into one record
that keeps, field by field, the richest value: a list copy never blanks or replaces what a
detail record gave, whatever the order the files are read in."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from console.domain.codes import Sex
from console.domain.records import PersonNotice

UNKNOWN_NAME = "UNKNOWN"  # a record without a name is still reachable by its EID

# Fields that only make sense together: taken from one copy, never mixed.
_GROUPS = (
    ("family_name", "forename", "native_name"),
    ("date_of_birth", "birth_month", "birth_year"),
)
_GROUPED = frozenset(name for group in _GROUPS for name in group)


@dataclass(frozen=True, slots=True)
class Piece:
    """One copy of a notice as a file gave it."""

    notice: PersonNotice
    detail: bool  # a detail record, not a list entry
    photo: bool  # INTERPOL lists a thumbnail for it
    colour_known: bool  # told by a link or by fields only one colour has, not guessed


@dataclass
class ImportReport:
    """What one ``--dataset`` source gave: records, copies merged, entries skipped and why."""

    source: str
    records: set[str] = field(default_factory=set)
    entries: int = 0
    merged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)

    def lines(self) -> Iterator[str]:
        yield (
            f"dataset {self.source}: {len(self.records)} records from {self.entries} entries,"
            f" {self.merged} merged, {len(self.skipped)} skipped"
        )
        for where, why in self.skipped:
            yield f"  skipped {where}: {why}"


def merge(old: Piece, new: Piece) -> Piece:
    """The richer of two copies of one notice, field by field."""
    values: dict[str, object] = {}
    for group, size in zip(_GROUPS, (_name_size, _birth_size), strict=True):
        source = new if _rank(new, size(new.notice)) >= _rank(old, size(old.notice)) else old
        values |= {name: getattr(source.notice, name) for name in group}
    for spec in dataclasses.fields(PersonNotice):
        if spec.name in _GROUPED or spec.name == "colour":
            continue
        a, b = getattr(old.notice, spec.name), getattr(new.notice, spec.name)
        values[spec.name] = b if _rank(new, _size(b)) >= _rank(old, _size(a)) else a
    colour = new if (new.colour_known, new.detail) > (old.colour_known, old.detail) else old
    values["colour"] = colour.notice.colour
    return Piece(
        dataclasses.replace(old.notice, **values),  # type: ignore[arg-type]
        detail=old.detail or new.detail,
        photo=old.photo or new.photo,
        colour_known=old.colour_known or new.colour_known,
    )


def _rank(piece: Piece, size: int) -> tuple[bool, bool, int]:
    # Known beats unknown, then a detail record beats a list entry, then more beats less;
    # on a tie the copy read later wins (a re-import brings the record up to date).
    return size > 0, piece.detail, size


def _name_size(notice: PersonNotice) -> int:
    if notice.family_name == UNKNOWN_NAME and not notice.forename:
        return 0
    return 1 + bool(notice.forename) + bool(notice.native_name)


def _birth_size(notice: PersonNotice) -> int:
    if notice.date_of_birth:
        return 3
    return (1 + bool(notice.birth_month)) if notice.birth_year else 0


def _size(value: object) -> int:
    if value is None or value is Sex.UNKNOWN:
        return 0
    if isinstance(value, str | tuple):
        return len(value)
    return 1

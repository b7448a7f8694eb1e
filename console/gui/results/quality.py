"""How well a possible match matches what was typed, in words (no Qt): the score, which field
differs and by how much, and the typed value beside the found one."""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.messages import (
    DocumentInquiry,
    GunInquiry,
    Message,
    PersonInquiry,
    VehicleInquiry,
)
from console.domain.objects import Gun, ObjectMatch, StolenVehicle, TravelDocument
from console.domain.records import Candidate

FIELD_WORDS = {"NAM": "name", "DOB": "date of birth", "SEX": "sex", "VIN": "VIN"}
FIELD_WORDS |= {"ENG": "engine number", "DID": "document number", "TYP": "document type"}
FIELD_WORDS |= {"CNT": "issuing country", "SER": "serial number"}


@dataclass(frozen=True, slots=True)
class Quality:
    """``cell`` for the list's Match column; ``typed_found`` lines for the record pane, one per
    field that differs (empty on an exact match)."""

    cell: str
    typed_found: tuple[str, ...] = ()

    @property
    def near(self) -> bool:
        return bool(self.typed_found)

    def record_line(self, score: int) -> str:
        """The record pane's line for a near match, "" for an exact one."""
        if not self.typed_found:
            return ""
        return f"NEAR MATCH, score {score}: " + "; ".join(self.typed_found)


def distance(first: str, second: str) -> int:
    """Characters to change, add or remove to turn one into the other (Levenshtein)."""
    before = list(range(len(second) + 1))
    for row, mine in enumerate(first, 1):
        now = [row]
        for column, theirs in enumerate(second, 1):
            now.append(min(before[column] + 1, now[-1] + 1, before[column - 1] + (mine != theirs)))
        before = now
    return before[-1]


def how_different(typed: str, found: str) -> str:
    apart = distance(" ".join(typed.upper().split()), " ".join(found.upper().split()))
    return f"{apart} character{'s' if apart != 1 else ''} different"


def person_quality(query: Message | None, cand: Candidate) -> Quality:
    inquiry = query.body if query is not None else None
    if not isinstance(inquiry, PersonInquiry):
        return Quality(str(cand.score))
    differ: list[str] = []
    lines: list[str] = []
    if " ".join(inquiry.name.upper().split()) != " ".join(cand.name.upper().split()):
        words = f"name {how_different(inquiry.name, cand.name)}"
        differ.append(words)
        lines.append(f"typed NAM/{inquiry.name}, found {cand.name} ({words})")
    if inquiry.dob is not None:
        typed = f"{inquiry.dob:%Y%m%d}"
        found = cand.dob_text
        if found != typed:
            differ.append("date of birth differs" if found else "date of birth not known")
            lines.append(f"typed DOB/{typed}, found {found or 'none'}")
    if inquiry.sex is not None and cand.sex is not inquiry.sex:
        differ.append("sex differs")
        lines.append(f"typed SEX/{inquiry.sex.value}, found {cand.sex.value}")
    cell = f"{cand.score} · " + (", ".join(differ) if differ else "exact")
    return Quality(cell, tuple(lines))


def object_number(found: ObjectMatch) -> str:
    record = found.record
    if isinstance(record, StolenVehicle):
        return record.vin
    if isinstance(record, TravelDocument):
        return record.number
    return record.serial


def typed_value(query: Message | None, field: str) -> str:
    """The value typed in ``field`` of an object query ("" when not typed)."""
    body = query.body if query is not None else None
    if isinstance(body, VehicleInquiry):
        return (body.vin if field == "VIN" else body.engine if field == "ENG" else "") or ""
    if isinstance(body, DocumentInquiry) and field == "DID":
        return body.number
    if isinstance(body, GunInquiry) and field == "SER":
        return body.serial
    return ""


def found_value(found: ObjectMatch, field: str) -> str:
    record = found.record
    if isinstance(record, StolenVehicle) and field == "ENG":
        return record.engine_number or ""
    if isinstance(record, StolenVehicle | TravelDocument | Gun):
        return object_number(found)
    return ""


def object_quality(query: Message | None, found: ObjectMatch) -> Quality:
    """From the switch's reason (``VIN``, ``VIN 1 CHARACTER DIFFERENT``...) and the query."""
    field, _, rest = found.reason.partition(" ")
    name = FIELD_WORDS.get(field, field)
    words = f"{name} {rest.lower()}" if rest else f"{name} exact" if name else "exact"
    cell = f"{found.score} · {words}"
    typed = typed_value(query, field)
    shown = found_value(found, field)
    if (rest or found.score < 100) and typed and typed != shown:
        return Quality(cell, (f"typed {field}/{typed}, found {shown} ({words})",))
    return Quality(cell)

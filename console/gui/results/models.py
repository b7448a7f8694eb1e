"""Qt models over domain rows; formatting lives here, not in the views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from console.domain.codes import Family
from console.domain.messages import Message
from console.domain.objects import ObjectMatch, StolenVehicle, TravelDocument
from console.domain.records import Candidate
from console.gui.base.table_model import ColumnsModel, Index
from console.gui.results.quality import Quality, object_quality, person_quality
from console.gui.shell.theme import NOTICE_COLOURS

# Qt passes roles as plain ints; comparing with these is several times cheaper than with the
# enum members, and a view asks eight roles of every cell at each layout and paint.
DISPLAY = Qt.ItemDataRole.DisplayRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
EID_ROLE = Qt.ItemDataRole.UserRole.value + 1
MATCH = 1  # score and what differs, beside the first column: never behind a scroll
EID_COLUMN = 7
OBJECT_EID_COLUMN = 6


@dataclass(frozen=True, slots=True)
class ShownCandidate:
    """A candidate as the list shows it, formatted once when the list arrives."""

    cells: tuple[str, ...]
    eid: str
    notice: QColor  # the notice colour, behind the first cell
    ink: QColor  # legible on it
    meaning: str
    spoken: str
    quality: Quality


def shown_candidate(cand: Candidate, query: Message | None = None) -> ShownCandidate:
    dob = cand.dob_text
    colour = cand.colour.value
    quality = person_quality(query, cand)
    cells = (
        colour,
        quality.cell,
        cand.name,
        f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else dob or "unknown",
        cand.sex.value,
        ", ".join(cand.nationalities) or "unknown",
        "yes" if cand.has_photo else "",
        cand.eid,
    )
    return ShownCandidate(
        cells,
        cand.eid,
        QColor(NOTICE_COLOURS.get(colour, "#777777")),
        QColor("#000000" if colour in ("YELLOW", "ORANGE") else "#ffffff"),
        cand.colour.meaning,
        f"{colour} notice, {cand.name}, match {quality.cell}",
        quality,
    )


class CandidateModel(ColumnsModel):
    """Possible matches of an I query, best first."""

    COLUMNS = ("Notice", "Match", "Name", "DOB", "Sex", "Nationality", "Photo", "EID")
    EID_ROLE = EID_ROLE  # also on the class, where the views ask for it

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Candidate] = []
        self._shown: list[ShownCandidate] = []
        self.total = 0

    def set_candidates(
        self, candidates: tuple[Candidate, ...], total: int, query: Message | None = None
    ) -> None:
        """The list, each row judged against ``query`` (what was typed) when known."""
        self.beginResetModel()
        self._rows = list(candidates)
        self._shown = [shown_candidate(cand, query) for cand in candidates]
        self.total = total
        self.endResetModel()

    def candidate(self, row: int) -> Candidate:
        return self._rows[row]

    def quality(self, row: int) -> Quality:
        return self._shown[row].quality

    def column_texts(self, column: int) -> list[str]:
        """Every row's text in ``column`` (to size the column without asking cell by cell)."""
        return [shown.cells[column] for shown in self._shown]

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._shown) or not index.isValid():
            return None
        shown = self._shown[row]
        column = index.column()
        if role == DISPLAY:
            return shown.cells[column]
        if role == EID_ROLE:
            return shown.eid
        if column == 0:
            if role == BACKGROUND:
                return shown.notice
            if role == FOREGROUND:
                return shown.ink
            if role == TOOLTIP:
                return shown.meaning
        if role == TOOLTIP and column == MATCH and shown.quality.near:
            return "\n".join(shown.quality.typed_found)
        if role == ACCESSIBLE:
            return shown.spoken
        return None


class ObjectMatchModel(ColumnsModel):
    """Possible matches of a vehicle, document or gun search, best first."""

    COLUMNS = ("Database", "Match", "Number", "Description", "Reported by", "Status", "EID")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ObjectMatch] = []
        self._cells: list[tuple[str, ...]] = []  # formatted once when the list arrives
        self._quality: list[Quality] = []
        self.total = 0

    def set_matches(
        self, matches: tuple[ObjectMatch, ...], total: int, query: Message | None = None
    ) -> None:
        """The list, each row judged against ``query`` (what was typed) when known."""
        self.beginResetModel()
        self._rows = list(matches)
        self._quality = [object_quality(query, found) for found in matches]
        self._cells = [
            object_cells(found, quality)
            for found, quality in zip(matches, self._quality, strict=True)
        ]
        self.total = total
        self.endResetModel()

    def found(self, row: int) -> ObjectMatch:
        return self._rows[row]

    def quality(self, row: int) -> Quality:
        return self._quality[row]

    def column_texts(self, column: int) -> list[str]:
        """Every row's text in ``column`` (to size the column without asking cell by cell)."""
        return [cells[column] for cells in self._cells]

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._cells) or not index.isValid():
            return None
        cells = self._cells[row]
        if role == DISPLAY:
            return cells[index.column()]
        if role == EID_ROLE:
            return cells[OBJECT_EID_COLUMN]
        if role == TOOLTIP and index.column() == MATCH and self._quality[row].near:
            return "\n".join(self._quality[row].typed_found)
        if role == ACCESSIBLE:
            return f"{cells[0]} {cells[2]}, {cells[3]}, match {cells[MATCH]}"
        return None


DATABASE_NAMES = {Family.VEHICLE: "Vehicle", Family.DOCUMENT: "Document", Family.GUN: "Gun"}


def object_cells(found: ObjectMatch, quality: Quality | None = None) -> tuple[str, ...]:
    record = found.record
    if isinstance(record, StolenVehicle):
        number, by = record.vin, record.reported_by
    elif isinstance(record, TravelDocument):
        number, by = record.number, record.issuing_country
    else:
        number, by = record.serial, record.reported_by
    status = getattr(record, "status", "STOLEN")
    photo = " (photo)" if found.has_photo else ""
    return (
        DATABASE_NAMES.get(record.family, str(record.family)),
        (quality or object_quality(None, found)).cell,
        number,
        record.summary + photo,
        by,
        status,
        found.eid,
    )

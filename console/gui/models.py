"""Qt models over domain rows; formatting lives here, not in the views."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from console.domain.codes import Family
from console.domain.objects import ObjectMatch, StolenVehicle, TravelDocument
from console.domain.records import Candidate
from console.gui.theme import NOTICE_COLOURS

Index = QModelIndex | QPersistentModelIndex


class CandidateModel(QAbstractTableModel):
    """Possible matches of an I query, best first."""

    COLUMNS = ("Notice", "Name", "DOB", "Sex", "Nationality", "Score", "Photo", "EID")
    EID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Candidate] = []
        self.total = 0

    def set_candidates(self, candidates: tuple[Candidate, ...], total: int) -> None:
        self.beginResetModel()
        self._rows = list(candidates)
        self.total = total
        self.endResetModel()

    def candidate(self, row: int) -> Candidate:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        cand = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(cand, column)
        if role == self.EID_ROLE:
            return cand.eid
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            return QColor(NOTICE_COLOURS.get(cand.colour.value, "#777777"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor("#000000" if cand.colour.value in ("YELLOW", "ORANGE") else "#ffffff")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return cand.colour.meaning
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{cand.colour.value} notice, {cand.name}, score {cand.score}"
        return None

    @staticmethod
    def _display(cand: Candidate, column: int) -> str:
        dob = cand.dob_text
        values = (
            cand.colour.value,
            cand.name,
            f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else dob or "unknown",
            cand.sex.value,
            ", ".join(cand.nationalities) or "unknown",
            str(cand.score),
            "yes" if cand.has_photo else "",
            cand.eid,
        )
        return values[column]


class ObjectMatchModel(QAbstractTableModel):
    """Possible matches of a vehicle, document or gun search, best first."""

    COLUMNS = ("Database", "Number", "Description", "Reported by", "Status", "Score", "Why", "EID")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ObjectMatch] = []
        self.total = 0

    def set_matches(self, matches: tuple[ObjectMatch, ...], total: int) -> None:
        self.beginResetModel()
        self._rows = list(matches)
        self.total = total
        self.endResetModel()

    def found(self, row: int) -> ObjectMatch:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        found = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return object_cells(found)[index.column()]
        if role == CandidateModel.EID_ROLE:
            return found.eid
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            cells = object_cells(found)
            return f"{cells[0]} {cells[1]}, {cells[2]}, score {found.score}"
        return None


DATABASE_NAMES = {Family.VEHICLE: "Vehicle", Family.DOCUMENT: "Document", Family.GUN: "Gun"}


def object_cells(found: ObjectMatch) -> tuple[str, ...]:
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
        number,
        record.summary + photo,
        by,
        status,
        str(found.score),
        found.reason,
        found.eid,
    )

"""INTERPOL object records: stolen vehicles (SMV), travel documents (SLTD) and guns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from console.domain.codes import DocumentType, Family
from console.domain.records import Photo


@dataclass(frozen=True, slots=True)
class StolenVehicle:
    """A stolen motor vehicle record; ``reported_by`` is the ISO-2 country that entered it."""

    eid: str
    vin: str
    make: str
    model: str
    reported_by: str
    engine_number: str | None = None
    year: int | None = None
    colour: str | None = None
    vehicle_type: str | None = None  # passenger car, truck, motorcycle, ...
    plate: str | None = None
    plate_country: str | None = None
    date_stolen: date | None = None
    place_stolen: str | None = None
    photos: tuple[Photo, ...] = ()

    family = Family.VEHICLE

    @property
    def summary(self) -> str:
        year = f"{self.year} " if self.year else ""
        return f"{year}{self.make} {self.model}".strip()


class DocumentStatus:
    """Why a document is in SLTD (plain strings: an imported status we do not know stays raw)."""

    STOLEN = "STOLEN"
    LOST = "LOST"
    REVOKED = "REVOKED"
    STOLEN_BLANK = "STOLEN BLANK"  # never issued: stolen from the printer or issuing office


@dataclass(frozen=True, slots=True)
class TravelDocument:
    """A stolen, lost or revoked travel document; blank stolen documents have no holder."""

    eid: str
    number: str
    doc_type: DocumentType
    issuing_country: str  # ISO-2
    status: str
    holder_family_name: str | None = None
    holder_forename: str | None = None
    holder_date_of_birth: date | None = None
    holder_nationality: str | None = None
    date_of_issue: date | None = None
    date_of_expiry: date | None = None
    date_reported: date | None = None
    place_reported: str | None = None

    family = Family.DOCUMENT

    @property
    def holder(self) -> str:
        if not self.holder_family_name:
            return ""
        forename = f", {self.holder_forename}" if self.holder_forename else ""
        return f"{self.holder_family_name}{forename}"

    @property
    def summary(self) -> str:
        return f"{self.doc_type.meaning} {self.number} issued by {self.issuing_country}"


@dataclass(frozen=True, slots=True)
class Gun:
    """A stolen, lost or trafficked firearm."""

    eid: str
    serial: str
    make: str
    model: str
    reported_by: str
    status: str  # STOLEN, LOST, TRAFFICKED
    gun_type: str | None = None  # pistol, revolver, rifle, shotgun, ...
    calibre: str | None = None
    date_reported: date | None = None
    place_reported: str | None = None

    family = Family.GUN

    @property
    def summary(self) -> str:
        calibre = f" {self.calibre}" if self.calibre else ""
        return f"{self.make} {self.model}{calibre}".strip()


ObjectRecord = StolenVehicle | TravelDocument | Gun


@dataclass(frozen=True, slots=True)
class ObjectMatch:
    """One possible match of an object inquiry: the record (no photos) and how well it matches.

    ``reason`` says why it matched: ``VIN``, ``ENG``, ``VIN 1 CHARACTER DIFFERENT``, ``DID``...
    """

    record: ObjectRecord
    score: int
    reason: str
    has_photo: bool = False

    @property
    def eid(self) -> str:
        return self.record.eid

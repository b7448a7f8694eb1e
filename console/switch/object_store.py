"""The gateway's object databases (SMV, SLTD, firearms): records by EID and by number, and
the ranked possible matches of an IVQ, ITQ or IGQ."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from console.domain.codes import DocumentType
from console.domain.objects import Gun, ObjectMatch, StolenVehicle, TravelDocument
from console.domain.records import Photo
from console.switch.issued import IssuedIds
from console.switch.matching import RESULT_CAP
from console.switch.numbers import NumberIndex
from console.switch.photo import MEDIA_TYPE, placeholder_vehicle

VEHICLE_PHOTO_SHARE = 40  # percent of stolen vehicles entered with a photo
MATCH_FLOOR = 50  # a possible match scoring less is not shown
EXACT, LOOKALIKE, NEAR = 100, 95, 85  # as typed; O/0 or I/1 read for one another; one edit
SECONDARY = 10  # an engine number alone identifies less surely than a VIN
OTHER_TYPE, OTHER_COUNTRY = 15, 30  # a document of another type or issuing country than asked
REVINNED = 10  # the engine number matches but the VIN does not: re-VINned, or a coincidence

R = TypeVar("R", StolenVehicle, TravelDocument, Gun)


@dataclass(frozen=True, slots=True)
class _Found:
    score: int
    reason: str


class ObjectTable(Generic[R]):
    """One object database: its records, an EID lookup and a number index per searched field."""

    def __init__(self, numbers: dict[str, Callable[[R], str | None]]) -> None:
        self._fields: dict[str, Callable[[R], str | None]] = numbers
        self._records: list[R] = []
        self._by_eid: dict[str, int] = {}
        self._indexes = {prefix: NumberIndex() for prefix in numbers}
        self._cancelled: set[str] = set()
        self._issued = IssuedIds()

    def add(self, records: Iterable[R]) -> None:
        records = list(records)
        self._issued.add(record.eid for record in records)
        for record in records:
            if record.eid in self._by_eid:  # a second record with an EID replaces the first
                self.cancel(record.eid)
            place = len(self._records)
            self._records.append(record)
            self._by_eid[record.eid] = place
            self._cancelled.discard(record.eid)
            for prefix, number_of in self._fields.items():
                self._indexes[prefix].add(number_of(record), place)

    def __len__(self) -> int:
        return len(self._by_eid) - len(self._cancelled)

    def __iter__(self) -> Iterator[R]:
        for eid, place in self._by_eid.items():
            if eid not in self._cancelled:
                yield self._records[place]

    def issued(self, eid: str) -> str:
        """The EID as issued of a record asked for with other leading zeros."""
        return self._issued.issued(eid, self._by_eid)

    def get(self, eid: str) -> R | None:
        eid = self.issued(eid)
        place = self._by_eid.get(eid)
        if place is None or eid in self._cancelled:
            return None
        return self._records[place]

    def cancel(self, eid: str) -> bool:
        """Take a record out of service (located, withdrawn); False when there is none."""
        eid = self.issued(eid)
        if eid not in self._by_eid or eid in self._cancelled:
            return False
        self._cancelled.add(eid)
        return True

    def find(self, prefix: str, number: str) -> Iterator[tuple[R, int]]:
        """Live records whose ``prefix`` number is ``number`` or one edit away, with the edits."""
        for hit in self._indexes[prefix].find(number):
            record = self._records[hit.place]
            if self._by_eid.get(record.eid) == hit.place and record.eid not in self._cancelled:
                yield record, hit.distance


def number_match(prefix: str, asked: str, held: str | None, distance: int) -> _Found:
    """How well a typed number matches a record's, and the reason a dispatcher reads."""
    if distance:
        return _Found(NEAR, f"{prefix} 1 CHARACTER DIFFERENT")
    if held is not None and _plain(asked) != _plain(held):
        return _Found(LOOKALIKE, f"{prefix} WITH LOOK-ALIKE CHARACTERS (0/O, 1/I)")
    return _Found(EXACT, prefix)


def _plain(number: str) -> str:
    return "".join(number.upper().split()).replace("-", "")


def ranked(
    found: dict[str, tuple[R, _Found]], has_photo: Callable[[str], bool], limit: int
) -> tuple[list[ObjectMatch], int]:
    """Matches at MATCH_FLOOR or more, best first (then by EID), at most ``limit``; the total."""
    kept = [
        (f.score, record.eid, record, f) for record, f in found.values() if f.score >= MATCH_FLOOR
    ]
    kept.sort(key=lambda item: (-item[0], item[1]))
    matches = [
        ObjectMatch(record, f.score, f.reason, has_photo=has_photo(record.eid))
        for _, _, record, f in kept[:limit]
    ]
    return matches, len(kept)


class ObjectDatabases:
    """Stolen motor vehicles, travel documents and firearms, searched as INTERPOL's are."""

    def __init__(
        self,
        vehicles: Sequence[StolenVehicle] = (),
        documents: Sequence[TravelDocument] = (),
        guns: Sequence[Gun] = (),
        with_photo: set[str] | None = None,
    ) -> None:
        self.vehicles = ObjectTable[StolenVehicle](
            {"VIN": lambda car: car.vin, "ENG": lambda car: car.engine_number}
        )
        self.documents = ObjectTable[TravelDocument]({"DID": lambda doc: doc.number})
        self.guns = ObjectTable[Gun]({"SER": lambda gun: gun.serial})
        self._with_photo: set[str] = set()
        self.add(vehicles, documents, guns, with_photo)

    def add(
        self,
        vehicles: Sequence[StolenVehicle] = (),
        documents: Sequence[TravelDocument] = (),
        guns: Sequence[Gun] = (),
        with_photo: set[str] | frozenset[str] | None = None,
    ) -> None:
        """Add records; vehicles get photos from ``with_photo`` (default: a stable share)."""
        self.vehicles.add(vehicles)
        self.documents.add(documents)
        self.guns.add(guns)
        for car in vehicles:
            wanted = car.eid in with_photo if with_photo is not None else _default_photo(car.eid)
            if wanted:
                self._with_photo.add(car.eid)
            else:
                self._with_photo.discard(car.eid)

    def has_photo(self, eid: str) -> bool:
        return eid in self._with_photo

    def vehicle(self, eid: str) -> StolenVehicle | None:
        """The full record (FVR) with its photo when it has one."""
        car = self.vehicles.get(eid)
        if car is None or car.eid not in self._with_photo:
            return car
        photo = Photo(placeholder_vehicle(car.eid, car.colour), MEDIA_TYPE)
        return dataclasses.replace(car, photos=(photo,))

    def cancel(self, eid: str) -> bool:
        tables = (self.vehicles, self.documents, self.guns)
        return any([table.cancel(eid) for table in tables])  # every family, not the first

    def search_vehicles(
        self, vin: str | None, engine: str | None, limit: int = RESULT_CAP
    ) -> tuple[list[ObjectMatch], int]:
        found: dict[str, tuple[StolenVehicle, _Found]] = {}
        if vin:
            for car, distance in self.vehicles.find("VIN", vin):
                found[car.eid] = (car, number_match("VIN", vin, car.vin, distance))
        if engine:
            for car, distance in self.vehicles.find("ENG", engine):
                by_engine = number_match("ENG", engine, car.engine_number, distance)
                earlier = found.get(car.eid)
                if earlier is not None:  # both numbers agree: as sure as it gets
                    both = max(earlier[1].score, by_engine.score)
                    found[car.eid] = (car, _Found(both, f"{earlier[1].reason}, {by_engine.reason}"))
                elif vin:  # the VIN given is not this car's: a swapped VIN plate, or chance
                    score = by_engine.score - SECONDARY - REVINNED
                    found[car.eid] = (car, _Found(score, f"{by_engine.reason}; VIN DIFFERS"))
                else:
                    found[car.eid] = (car, _Found(by_engine.score - SECONDARY, by_engine.reason))
        return ranked(found, self.has_photo, limit)

    def search_documents(
        self,
        number: str,
        doc_type: DocumentType | None = None,
        country: str | None = None,
        limit: int = RESULT_CAP,
    ) -> tuple[list[ObjectMatch], int]:
        found: dict[str, tuple[TravelDocument, _Found]] = {}
        for doc, distance in self.documents.find("DID", number):
            match = number_match("DID", number, doc.number, distance)
            score, reasons = match.score, [match.reason]
            if doc_type is not None and doc.doc_type is not doc_type:
                score -= OTHER_TYPE
                reasons.append(f"TYP/{doc.doc_type.value} NOT {doc_type.value}")
            if country is not None and doc.issuing_country != country:
                score -= OTHER_COUNTRY
                reasons.append(f"ISSUED BY {doc.issuing_country} NOT {country}")
            found[doc.eid] = (doc, _Found(score, "; ".join(reasons)))
        return ranked(found, self.has_photo, limit)

    def search_guns(self, serial: str, limit: int = RESULT_CAP) -> tuple[list[ObjectMatch], int]:
        found = {
            gun.eid: (gun, number_match("SER", serial, gun.serial, distance))
            for gun, distance in self.guns.find("SER", serial)
        }
        return ranked(found, self.has_photo, limit)


def _default_photo(eid: str) -> bool:
    return zlib.crc32(f"vehicle:{eid}".encode()) % 100 < VEHICLE_PHOTO_SHARE

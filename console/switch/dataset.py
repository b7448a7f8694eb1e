"""The simulated gateway's records: person notices with their photos and name index, and the
object databases (stolen vehicles, travel documents, guns)."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from console.domain import fields
from console.domain.codes import DocumentType, Family, Sex
from console.domain.errors import FieldError
from console.domain.objects import Gun, ObjectMatch, ObjectRecord, StolenVehicle, TravelDocument
from console.domain.records import Candidate, PersonNotice, Photo
from console.switch.issued import IssuedIds
from console.switch.matching import RESULT_CAP, NameIndex
from console.switch.object_store import ObjectDatabases, ObjectTable
from console.switch.photo import MEDIA_TYPE, placeholder_photo
from console.switch.synthetic import synthetic_notices
from console.switch.synthetic_objects import (
    synthetic_documents,
    synthetic_guns,
    synthetic_vehicles,
)

PHOTO_SHARE = 80  # percent of records with a photo, as on INTERPOL's public notices


class Dataset:
    """The records the simulated INTERPOL gateway answers from, with their indexes.

    EIDs are unique within a family (a notice and a stolen gun may share one); a cancelled
    record (located, withdrawn) is no longer found or fetched.
    """

    def __init__(
        self,
        notices: Sequence[PersonNotice],
        with_photo: set[str] | None = None,
        *,
        vehicles: Sequence[StolenVehicle] = (),
        documents: Sequence[TravelDocument] = (),
        guns: Sequence[Gun] = (),
    ) -> None:
        self._by_eid = {notice.eid: notice for notice in notices}
        self._issued = IssuedIds()
        self._issued.add(self._by_eid)
        if with_photo is None:  # a stable hash, so a record keeps its photo across runs
            with_photo = {eid for eid in self._by_eid if has_default_photo(eid)}
        self._with_photo = set(with_photo & self._by_eid.keys())
        self._cancelled: set[str] = set()
        self._index = NameIndex(list(self._by_eid.values()), self._with_photo)
        self.objects = ObjectDatabases(vehicles, documents, guns)

    @classmethod
    def synthetic(cls, count: int, seed: int = 0, objects: int | None = None) -> Dataset:
        """``count`` notices and ``objects`` (default ``count // 2``) records of each object
        family, all from ``seed``."""
        each = count // 2 if objects is None else objects
        return cls(
            synthetic_notices(count, seed),
            vehicles=synthetic_vehicles(each, seed),
            documents=synthetic_documents(each, seed),
            guns=synthetic_guns(each, seed),
        )

    def __len__(self) -> int:
        """How many person notices are in service."""
        return len(self._by_eid) - len(self._cancelled)

    def __iter__(self) -> Iterator[PersonNotice]:
        return (n for eid, n in self._by_eid.items() if eid not in self._cancelled)

    @property
    def vehicles(self) -> ObjectTable[StolenVehicle]:
        return self.objects.vehicles

    @property
    def documents(self) -> ObjectTable[TravelDocument]:
        return self.objects.documents

    @property
    def guns(self) -> ObjectTable[Gun]:
        return self.objects.guns

    def has_photo(self, eid: str) -> bool:
        return eid in self._with_photo

    def get(self, eid: str) -> PersonNotice | None:
        """The full record (FPR), with its photo when it has one; None when there is no such EID.
        An EID typed with other leading zeros finds the record, which keeps its id as issued."""
        key = self._issued_eid(eid)
        notice = self._by_eid.get(key) if key and key not in self._cancelled else None
        if notice is None or key not in self._with_photo:
            return notice
        photo = Photo(placeholder_photo(notice.eid, notice.sex), MEDIA_TYPE)
        return dataclasses.replace(notice, photos=(photo,))

    def get_object(self, family: Family, eid: str) -> ObjectRecord | None:
        """The full record of a vehicle (with its photo), document or gun; None if not found."""
        key = _eid_or_none(eid)
        if key is None:
            return None
        if family is Family.VEHICLE:
            return self.objects.vehicle(key)
        if family is Family.DOCUMENT:
            return self.documents.get(key)
        if family is Family.GUN:
            return self.guns.get(key)
        return None

    def search(
        self, name: str, dob: date | None = None, sex: Sex | None = None, limit: int = RESULT_CAP
    ) -> tuple[list[Candidate], int]:
        """Possible matches (IPR), best first, at most ``limit``; plus the total before the cap."""
        if not self._cancelled:
            return self._index.search(name, dob, sex, limit)
        found, total = self._index.search(name, dob, sex, limit + len(self._cancelled))
        live = [c for c in found if c.eid not in self._cancelled]
        return live[:limit], total - (len(found) - len(live))

    def search_vehicles(
        self, vin: str | None, engine: str | None = None, limit: int = RESULT_CAP
    ) -> tuple[list[ObjectMatch], int]:
        """IVR: vehicles whose VIN or engine number is the one given, or one keystroke off."""
        return self.objects.search_vehicles(vin, engine, limit)

    def search_documents(
        self,
        number: str,
        doc_type: DocumentType | None = None,
        country: str | None = None,
        limit: int = RESULT_CAP,
    ) -> tuple[list[ObjectMatch], int]:
        """ITR: documents by number; another type or issuing country than asked ranks lower."""
        return self.objects.search_documents(number, doc_type, country, limit)

    def search_guns(self, serial: str, limit: int = RESULT_CAP) -> tuple[list[ObjectMatch], int]:
        """IGR: firearms by serial number."""
        return self.objects.search_guns(serial, limit)

    def add_records(
        self,
        *,
        persons: Iterable[PersonNotice] = (),
        vehicles: Sequence[StolenVehicle] = (),
        documents: Sequence[TravelDocument] = (),
        guns: Sequence[Gun] = (),
        with_photo: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Add records (a scenario's cast); ``with_photo`` names those that have a photo.

        New persons rebuild the name index: seconds at a million notices, so a switch adds
        its cast once, before it serves.
        """
        added = {notice.eid: notice for notice in persons}
        if added:
            self._by_eid.update(added)
            self._issued.add(added)
            self._cancelled -= added.keys()
            self._with_photo -= added.keys()
            self._with_photo |= added.keys() & with_photo
            self._index = NameIndex(list(self._by_eid.values()), self._with_photo)
        self.objects.add(vehicles, documents, guns, set(with_photo))

    def cancel(self, eid: str) -> bool:
        """Take a record of any family out of service; False when no record has that EID."""
        key = _eid_or_none(eid)
        if key is None:
            return False
        person = self._issued.issued(key, self._by_eid)
        live = person in self._by_eid and person not in self._cancelled
        if live:
            self._cancelled.add(person)
        return self.objects.cancel(key) or live

    def _issued_eid(self, eid: str) -> str | None:
        key = _eid_or_none(eid)
        return None if key is None else self._issued.issued(key, self._by_eid)


def _eid_or_none(eid: str) -> str | None:
    try:
        return fields.eid(eid)
    except FieldError:
        return None


def has_default_photo(eid: str) -> bool:
    """Whether a synthetic record has a photo: a stable share of records, chosen by EID."""
    return zlib.crc32(eid.encode()) % 100 < PHOTO_SHARE


__all__ = ["Dataset", "has_default_photo", "synthetic_notices"]

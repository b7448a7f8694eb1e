"""The simulated gateway's records: person notices with their photos and name index."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator, Sequence
from datetime import date

from console.domain import fields
from console.domain.codes import Sex
from console.domain.errors import FieldError
from console.domain.records import Candidate, PersonNotice, Photo
from console.switch.matching import RESULT_CAP, NameIndex
from console.switch.photo import MEDIA_TYPE, placeholder_photo
from console.switch.synthetic import synthetic_notices

PHOTO_SHARE = 80  # percent of records with a photo, as on INTERPOL's public notices


class Dataset:
    """The records the simulated INTERPOL gateway answers from, with their name index."""

    def __init__(self, notices: Sequence[PersonNotice], with_photo: set[str] | None = None) -> None:
        self._by_eid = {notice.eid: notice for notice in notices}
        if with_photo is None:  # a stable hash, so a record keeps its photo across runs
            with_photo = {eid for eid in self._by_eid if has_default_photo(eid)}
        self._with_photo = frozenset(with_photo & self._by_eid.keys())
        self._index = NameIndex(list(self._by_eid.values()), self._with_photo)

    @classmethod
    def synthetic(cls, count: int, seed: int = 0) -> Dataset:
        return cls(synthetic_notices(count, seed))

    def __len__(self) -> int:
        return len(self._by_eid)

    def __iter__(self) -> Iterator[PersonNotice]:
        return iter(self._by_eid.values())

    def has_photo(self, eid: str) -> bool:
        return eid in self._with_photo

    def get(self, eid: str) -> PersonNotice | None:
        """The full record (FPR), with its photo when it has one; None when there is no such EID."""
        try:
            key = fields.eid(eid)
        except FieldError:
            return None
        notice = self._by_eid.get(key)
        if notice is None or key not in self._with_photo:
            return notice
        photo = Photo(placeholder_photo(key, notice.sex), MEDIA_TYPE)
        return dataclasses.replace(notice, photos=(photo,))

    def search(
        self, name: str, dob: date | None = None, sex: Sex | None = None, limit: int = RESULT_CAP
    ) -> tuple[list[Candidate], int]:
        """Possible matches (IPR), best first, at most ``limit``; plus the total before the cap."""
        return self._index.search(name, dob, sex, limit)


def has_default_photo(eid: str) -> bool:
    """Whether a synthetic record has a photo: a stable share of records, chosen by EID."""
    return zlib.crc32(eid.encode()) % 100 < PHOTO_SHARE


__all__ = ["Dataset", "has_default_photo", "synthetic_notices"]

"""What a switch serves: synthetic notices and object records, imported public notice JSON,
or both."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.domain.records import PersonNotice
from console.switch.dataset import Dataset, has_default_photo, synthetic_notices
from console.switch.importer import load_dataset
from console.switch.synthetic_objects import (
    synthetic_documents,
    synthetic_guns,
    synthetic_vehicles,
)


def build_dataset(
    synthetic: int, seed: int, paths: Sequence[Path], objects: int | None = None
) -> Dataset:
    """Imported records first, with photos where INTERPOL lists one; synthetic ones never
    reuse an imported EID. ``objects`` synthetic records of each object family (stolen
    vehicles, travel documents, guns; default half of ``synthetic``): INTERPOL publishes no
    object records, so these are always synthetic."""
    notices: dict[str, PersonNotice] = {}
    with_photo: set[str] = set()
    for path in paths:
        imported = load_dataset(path)
        for notice in imported:
            notices[notice.eid] = notice
            if imported.has_photo(notice.eid):
                with_photo.add(notice.eid)
    if synthetic > 0:
        for notice in synthetic_notices(synthetic, seed):
            if notices.setdefault(notice.eid, notice) is notice and has_default_photo(notice.eid):
                with_photo.add(notice.eid)
    each = synthetic // 2 if objects is None else objects
    return Dataset(
        list(notices.values()),
        with_photo,
        vehicles=synthetic_vehicles(each, seed),
        documents=synthetic_documents(each, seed),
        guns=synthetic_guns(each, seed),
    )

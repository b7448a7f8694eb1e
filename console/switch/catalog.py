"""What a switch serves: synthetic notices and object records, imported public notice JSON,
or both."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from console.domain.records import PersonNotice
from console.switch.dataset import Dataset, has_default_photo, synthetic_notices
from console.switch.importer import import_notices
from console.switch.synthetic_objects import (
    synthetic_documents,
    synthetic_guns,
    synthetic_vehicles,
)


def build_dataset(
    synthetic: int,
    seed: int,
    paths: Sequence[Path],
    objects: int | None = None,
    report: Callable[[str], object] | None = None,
) -> Dataset:
    """Imported records first (the copies of a notice merged across every path), with photos
    where INTERPOL lists one; synthetic ones never reuse an imported EID. ``objects``
    synthetic records of each object family (stolen vehicles, travel documents, guns; default
    half of ``synthetic``): INTERPOL publishes no object records, so these are always
    synthetic. ``report`` is given each line of the import reports."""
    imported = import_notices(paths)
    for source in imported.reports:
        for line in source.lines():
            if report is not None:
                report(line)
    notices: dict[str, PersonNotice] = {n.eid: n for n in imported.records()}
    with_photo = imported.with_photo
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

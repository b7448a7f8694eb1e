"""What a switch serves: synthetic notices, imported public notice JSON, or both."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.domain.records import PersonNotice
from console.switch.dataset import Dataset, has_default_photo, synthetic_notices
from console.switch.importer import load_dataset


def build_dataset(synthetic: int, seed: int, paths: Sequence[Path]) -> Dataset:
    """Imported records first, with photos where INTERPOL lists one; synthetic ones never
    reuse an imported EID."""
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
    return Dataset(list(notices.values()), with_photo)

"""What a switch serves: synthetic notices, imported public notice JSON, or both."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.domain.records import PersonNotice
from console.switch.dataset import Dataset, synthetic_notices


def build_dataset(synthetic: int, seed: int, paths: Sequence[Path]) -> Dataset:
    """Imported records first; synthetic ones never reuse an imported EID."""
    from console.switch.importer import load_notices

    notices: dict[str, PersonNotice] = {}
    for path in paths:
        for notice in load_notices(path):
            notices[notice.eid] = notice
    if synthetic > 0:
        for notice in synthetic_notices(synthetic, seed):
            notices.setdefault(notice.eid, notice)
    return Dataset(list(notices.values()))

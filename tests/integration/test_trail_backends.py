"""The audit trail's tamper evidence against both storage backends: each test body runs on a
profile file's own trail ("sqlite") and on a position's copy at a dispatch centre on the real
PostgreSQL cluster ("postgresql"). Whatever was changed, removed or reordered, the first bad
record is named with the same reason on both (AU-9); the centre's message adds whose trail."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from tests.helpers.postgres import CenterDatabase
from tests.helpers.trail_backends import (
    RECORDS,
    WORKSTATION,
    BackendName,
    CentreBackend,
    CopyColumn,
    CutTail,
    Delete,
    DeleteRenumber,
    FileBackend,
    SetColumn,
    SwapContents,
    SwapSeq,
    Tamper,
    TrailBackend,
)

CHANGED = ("contents changed",)
MISSING = ("record missing",)
OUT_OF_ORDER = ("does not follow the record before it",)
# The last records gone: the centre names them against how far the position says it sent;
# the file's own logon finds it shorter than its witness saw, records that, and so marks
# where it was cut (tests/unit/test_storage_rollback.py has the rest of that).
CUT = ("missing",)
CUT_AT_END: dict[BackendName, str] = {
    "sqlite": "the trail was cut short or its recorded end altered here",
    "postgresql": f"record missing (the position sent up to {RECORDS})",
}


@dataclass(frozen=True)
class Case:
    name: str
    change: Tamper
    seq: int  # the first bad record
    words: tuple[str, ...]  # in the reason on both backends
    said: Mapping[BackendName, str] = field(default_factory=dict)  # and on one of them


CASES = [
    Case("outcome", SetColumn(3, "outcome", b"failure"), 3, CHANGED),
    Case("time", SetColumn(2, "at", "2020-01-01T00:00:00.00Z"), 2, CHANGED),
    Case("operator", SetColumn(1, "operator", "OP9"), 1, CHANGED),
    Case("event", SetColumn(6, "event", "logon"), 6, CHANGED),
    Case("mac", SetColumn(RECORDS, "mac", bytes(32)), RECORDS, CHANGED),
    Case("object of another record", CopyColumn(4, "object", source=2), 4, CHANGED),
    Case("outcome of another record", CopyColumn(5, "outcome", source=1), 5, CHANGED),
    Case("mac of another record", CopyColumn(3, "mac", source=4), 3, CHANGED),
    Case("first deleted", Delete(1), 1, MISSING),
    Case("middle deleted", Delete(4), 4, MISSING),
    Case("last deleted", Delete(RECORDS), RECORDS, CUT, CUT_AT_END),
    Case("first deleted, renumbered", DeleteRenumber(1), 1, OUT_OF_ORDER),
    Case("deleted, renumbered", DeleteRenumber(2), 2, OUT_OF_ORDER),
    Case("seqs swapped", SwapSeq(2, 3), 2, OUT_OF_ORDER),
    Case("contents swapped", SwapContents(3, 4), 3, OUT_OF_ORDER),
    Case("tail cut", CutTail(5), 6, CUT, CUT_AT_END),
]


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TrailBackend]:
    made: TrailBackend
    if request.param == "sqlite":
        made = await FileBackend.make(tmp_path)
    else:
        db: CenterDatabase = request.getfixturevalue("center_db")
        made = await CentreBackend.make(db, tmp_path)
    try:
        yield made
    finally:
        await made.close()


def shown(backend: TrailBackend, seq: int, reason: str) -> str:
    """The message as each shows it: the centre holds every position's trail, so it names whose."""
    if backend.name == "postgresql":
        return f"audit record {seq} of workstation {WORKSTATION}: {reason}"
    return f"audit record {seq}: {reason}"


async def test_an_untouched_trail_verifies_whole(backend: TrailBackend) -> None:
    assert await backend.verify() is None
    assert await backend.records() == RECORDS


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_the_first_bad_record_is_named(backend: TrailBackend, case: Case) -> None:
    await backend.tamper(case.change)
    fault = await backend.verify()
    assert fault is not None, f"{case.name}: not noticed"
    assert fault.seq == case.seq, fault.message
    words = case.words + ((case.said[backend.name],) if backend.name in case.said else ())
    for word in words:
        assert word in fault.reason, fault.message
    assert fault.message == shown(backend, case.seq, fault.reason)

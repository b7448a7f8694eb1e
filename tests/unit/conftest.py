"""Fixtures of the unit tests: a fresh encrypted store in a temporary folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from console.storage import Store
from tests.helpers.storage import SECRET, WHERE


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "console.db"


@pytest_asyncio.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    opened = await Store.create(db_path, "OP1", SECRET, **WHERE)
    yield opened
    await opened.close()

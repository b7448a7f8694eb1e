"""Shared pieces of the storage tests: the operator's secret, where they sit, raw file access."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import TypedDict

SECRET = "correct horse battery staple"


class Where(TypedDict):
    workstation: str
    ori: str


WHERE: Where = {"workstation": "DISPATCH-07", "ori": "PLPOL0000"}


def raw(path: Path) -> contextlib.closing[sqlite3.Connection]:
    """The database file as anyone with the sqlite3 shell sees it."""
    return contextlib.closing(sqlite3.connect(path, isolation_level=None))

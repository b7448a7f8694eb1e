"""Storage layer: the hot paths' statements, built in Core over the tables, compiled once.

Through a Session a statement costs some 200 µs of SQLAlchemy work (unit of work, identity map,
result wrapping), and even Core's ``Connection.execute`` adds 30-60 µs, against 2-20 µs in
SQLite itself. So the writes made for every query, and the reads of the cache, alerts, watch
list and audit trail, are Core statements over the SQLModel tables, compiled to SQLite SQL once
at import and run on the sqlite3 connection the engine owns, one transaction per call
(``BEGIN IMMEDIATE`` for writes): the connection, pragmas and locking of a Session.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from sqlalchemy import Engine, bindparam
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter

_DIALECT = sqlite.dialect(paramstyle="named")
T = TypeVar("T")


def bound(*names: str) -> dict[str, BindParameter[Any]]:
    """``{name: :name}``: values an INSERT takes from the parameters it is run with."""
    return {name: bindparam(name) for name in names}


class Prepared:
    """One statement as SQLite SQL with named parameters, plus the constants it was built with."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        # Literal values written into the statement (a LIMIT, a state name) travel as
        # parameters too; the ones left without a value must be given to run().
        self.constants: Mapping[str, object] = {
            name: bind.value for bind, name in compiled.bind_names.items() if not bind.required
        }

    def run(self, cursor: sqlite3.Cursor, **params: object) -> sqlite3.Cursor:
        """Execute with ``params``; sqlite3 refuses it if one is missing."""
        return cursor.execute(self.sql, {**self.constants, **params} if self.constants else params)


def transact(conn: sqlite3.Connection, begin: str, work: Callable[[sqlite3.Cursor], T]) -> T:
    """Run ``work`` in one transaction on ``conn``, opened by ``begin``: committed (to the WAL)
    when it returns, rolled back whole if anything raised. Storage thread only."""
    cursor = conn.cursor()
    try:
        cursor.execute(begin)
        try:
            result = work(cursor)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return result
    finally:
        cursor.close()


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[sqlite3.Cursor]:
    """One transaction on the engine's connection: committed (to the WAL) on exit, or rolled
    back whole if anything raised. For bulk work on a thread that owns the engine (migrations
    of data, benchmarks, tests); ``Store`` goes through its ``Worker``."""
    proxied = engine.raw_connection()
    try:
        conn = proxied.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cursor = conn.cursor()
        # IMMEDIATE, as for a Session (database._begin): the write lock is taken up front.
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            cursor.close()
    finally:
        proxied.close()

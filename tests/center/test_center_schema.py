"""The centre's schema on a real PostgreSQL: migrations, the console role and what it may not do."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from console.center import schema
from console.center.connection import CenterAddress, plain_errors
from console.center.errors import CenterRefused, CenterUnreachable
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase

CONSOLE_PASSWORD = "console-role-pw"


def _install(db: CenterDatabase) -> CenterAddress:
    engine = db.address.engine(OWNER_PASSWORD)
    try:
        with engine.begin() as conn:
            schema.create_console_role(conn, schema.console_role(db.name), CONSOLE_PASSWORD)
            assert schema.migrate(conn, schema.console_role(db.name)) == 0
        with engine.begin() as conn:
            assert schema.migrate(conn, schema.console_role(db.name)) == schema.SCHEMA_VERSION
    finally:
        engine.dispose()
    return db.address.as_user(schema.console_role(db.name))


_RECORD = (
    "INSERT INTO center_audit (workstation, seq, at, operator, ori, event, outcome, object, "
    "prev_mac, mac) VALUES ('WS1', 1, 'now', 'op', 'ORI', 'logon', '\\x00', '\\x00', "
    "'\\x00', '\\x00')"
)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE center_audit SET event = 'nothing'",
        "DELETE FROM center_audit",
        "TRUNCATE center_audit",
        "DROP TABLE center_audit",
        "UPDATE center_meta SET value = '0'",
    ],
)
def test_the_console_role_appends_to_the_trail_but_cannot_change_it(
    center_db: CenterDatabase, statement: str
) -> None:
    console = _install(center_db).engine(CONSOLE_PASSWORD)
    try:
        with console.begin() as conn:
            conn.execute(text(_RECORD))
        with (
            pytest.raises(ProgrammingError, match=r"permission denied|must be owner"),
            console.begin() as conn,
        ):
            conn.execute(text(statement))
        with console.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM center_audit")).scalar_one() == 1
    finally:
        console.dispose()


def test_a_wrong_role_password_is_refused_in_plain_words(center_db: CenterDatabase) -> None:
    address = _install(center_db)
    engine = address.engine("not-the-password")
    try:
        with pytest.raises(CenterRefused, match="refused the console"), plain_errors(address):
            engine.connect().close()
    finally:
        engine.dispose()


def test_a_centre_nobody_listens_on_is_unreachable(center_db: CenterDatabase) -> None:
    address = CenterAddress.parse(f"postgresql://someone@127.0.0.1:1/{center_db.name}")
    engine = address.engine("x")
    try:
        with (
            pytest.raises(CenterUnreachable, match=r"127\.0\.0\.1:1/.* cannot be reached"),
            plain_errors(address),
        ):
            engine.connect().close()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://a@h/d", "must start with postgresql://"),
        ("postgresql://a:secret@h/d", "holds a password"),
        ("postgresql://h/d", "needs a user"),
        ("postgresql://a@h/d?sslmode=maybe", "sslmode must be one of"),
        ("postgresql://a@h/d?options=-c", "unknown parameter 'options'"),
    ],
)
def test_a_bad_centre_url_names_what_is_wrong(url: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        CenterAddress.parse(url)

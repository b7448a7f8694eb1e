"""``center status``: the positions a centre has seen, who is logged on where, the chains."""

from __future__ import annotations

from pathlib import Path

from console.center.audit import forward_pending
from console.center.schema import SCHEMA_VERSION
from console.storage.keyslots import new_data_key
from tests.helpers.center import (
    CONSOLE_PASSWORD,
    add_position_row,
    as_superuser,
    install_center,
    new_position,
)
from tests.helpers.cli import run
from tests.helpers.postgres import CenterDatabase


async def test_status_shows_positions_operators_and_chains(
    center_db: CenterDatabase, tmp_path: Path
) -> None:
    link = install_center(center_db)
    key = new_data_key()
    for name, records in (("DISPATCH-01", 4), ("DISPATCH-02", 9)):
        store = await new_position(tmp_path / f"{name}.db", name, key)
        try:
            for n in range(records):
                await store.audit("query", "queued", f"IPQ NAM/SMITH, JOHN {n}")
            engine = link.engine()
            try:
                await forward_pending(store.spool, engine, link.address, name)
            finally:
                engine.dispose()
        finally:
            await store.close()
    add_position_row(center_db, "DISPATCH-01", operator="OPR7")
    add_position_row(center_db, "DISPATCH-03")  # joined, nothing sent yet
    url = center_db.address.text()

    shown = await run("center", "status", "--url", url, center_password=CONSOLE_PASSWORD)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == (
        f"centre {center_db.address.where}: schema version {SCHEMA_VERSION}, 3 positions"
    )
    one = next(line for line in lines if line.startswith("DISPATCH-01"))
    assert one.split()[1:5] == ["2026-12-01T08:00:00Z", "2026-12-01T09:30:00Z", "OPR7", "4"]
    assert one.endswith("1..4, no gap")
    two = next(line for line in lines if line.startswith("DISPATCH-02"))
    assert two.split()[1:4] == ["-", "-", "-"] and two.endswith("1..9, no gap")
    assert next(line for line in lines if line.startswith("DISPATCH-03")).endswith("no records yet")
    assert "audit verify" in lines[-1]
    assert "SMITH" not in shown.out
    assert (
        "shared by the positions: agency settings not set, 0 cached answers, 0 watched subjects"
        in (lines)
    )

    as_superuser(
        center_db, "DELETE FROM center_audit WHERE workstation = 'DISPATCH-02' AND seq = 3"
    )
    gap = await run("center", "status", "--url", url, center_password=CONSOLE_PASSWORD)
    assert gap.code == 1
    assert "GAP: 1 records missing in 1..9" in gap.out


async def test_status_needs_the_console_role_password_from_the_environment(
    center_db: CenterDatabase,
) -> None:
    install_center(center_db)
    url = center_db.address.text()
    missing = await run("center", "status", "--url", url)
    assert missing.code == 2
    assert "DISPATCH_CONSOLE_CENTER_PASSWORD" in missing.err
    wrong = await run("center", "status", "--url", url, center_password="not it")
    assert wrong.code == 3 and "refused the console" in wrong.err
    down = await run(
        "center", "status", "--url", "postgresql://x@127.0.0.1:1/nowhere", center_password="x"
    )
    assert down.code == 1 and "cannot be reached" in down.err
    with_secret = await run(
        "center", "status", "--url", "postgresql://x:pw@127.0.0.1/db", center_password="x"
    )
    assert with_secret.code == 2 and "holds a password" in with_secret.err

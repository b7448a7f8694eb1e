"""The centre through the real command, each step a process of its own, as an agency runs it:
``center init``, two positions joining with ``profile init --center``, accounts and lockout
shared between them, and plain messages (never a traceback) when the centre says no."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.center.account_centre import ROLE_PASSWORD, SUPERVISOR, SUPERVISOR_SECRET
from tests.helpers.cli import ORI, Result, run, run_with
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase

OPERATOR, OPERATOR_SECRET = "DISP7", "dispatcher seven long passphrase"
ENV = {
    "DISPATCH_CONSOLE_CENTER_OWNER_PASSWORD": OWNER_PASSWORD,
    "DISPATCH_CONSOLE_CENTER_PASSWORD": ROLE_PASSWORD,
}


def _plain(result: Result, code: int, says: str) -> None:
    assert result.code == code, (result.out, result.err)
    assert says in result.err, result.err
    assert "Traceback" not in result.err


async def _init(db: CenterDatabase, url: str | None = None, **env: str) -> Result:
    return await run_with(
        ENV | env,
        "center",
        "init",
        "--url",
        url or db.address.text(),
        "--ori",
        ORI,
        "--operator",
        SUPERVISOR,
        password=SUPERVISOR_SECRET,
    )


async def _join(
    db: CenterDatabase, pki: Path, folder: Path, name: str, url: str | None = None, **env: str
) -> Result:
    return await run_with(
        ENV | env,
        "profile",
        "init",
        "--profile",
        str(folder),
        "--ori",
        ORI,
        "--switch",
        "127.0.0.1:9",
        "--pki",
        str(pki),
        "--operator",
        SUPERVISOR,
        "--secure-location",
        "--center",
        url or f"postgresql://127.0.0.1:{db.cluster.port}/{db.name}",
        "--workstation",
        name,
        password=SUPERVISOR_SECRET,
    )


async def _list(profile: Path, operator: str, password: str) -> Result:
    return await run(
        "operator", "list", "--profile", str(profile), "--operator", operator, password=password
    )


@pytest.mark.timeout(300)
async def test_two_positions_share_accounts_and_lockout_through_the_command(
    center_db: CenterDatabase, tmp_path: Path
) -> None:
    pki, a, b = tmp_path / "pki", tmp_path / "a", tmp_path / "b"
    assert (await run("pki", "init", str(pki), "--ori", ORI, "--terminal", "T01")).code == 0
    made = await _init(center_db)
    assert made.code == 0, made.err
    assert f"centre initialised at 127.0.0.1:{center_db.cluster.port}/" in made.out
    _plain(await _init(center_db), 3, "already initialised")
    for folder, name in ((a, "POS-A"), (b, "POS-B")):
        joined = await _join(center_db, pki, folder, name)
        assert joined.code == 0, joined.err
        assert f"position {name} joined the centre" in joined.out
    _plain(await _join(center_db, pki, tmp_path / "c", "POS-A"), 2, "already a position")

    added = await run(
        "operator",
        "add",
        "--profile",
        str(a),
        "--operator",
        SUPERVISOR,
        OPERATOR,
        "--role",
        "supervisor",
        password=SUPERVISOR_SECRET,
        new_password=OPERATOR_SECRET,
    )
    assert added.code == 0, added.err
    listed = await _list(b, OPERATOR, OPERATOR_SECRET)  # added at A, logs on at B
    assert listed.code == 0, listed.err
    assert [line.split()[0] for line in listed.out.splitlines()] == [OPERATOR, SUPERVISOR]

    for profile in (a, b, a, b, a):  # five failures, split across the two positions
        _plain(await _list(profile, OPERATOR, "not the passphrase at all"), 3, "wrong operator")
    for profile in (a, b):  # locked everywhere: the right password opens neither
        _plain(await _list(profile, OPERATOR, OPERATOR_SECRET), 3, "wrong operator")
    released = await run(
        "operator",
        "unlock",
        "--profile",
        str(b),
        "--operator",
        SUPERVISOR,
        OPERATOR,
        password=SUPERVISOR_SECRET,
    )
    assert released.code == 0, released.err
    assert (await _list(a, OPERATOR, OPERATOR_SECRET)).code == 0


@pytest.mark.timeout(300)
async def test_a_centre_that_says_no_is_said_plainly_with_its_exit_code(
    center_db: CenterDatabase, tmp_path: Path
) -> None:
    pki = tmp_path / "pki"
    assert (await run("pki", "init", str(pki), "--ori", ORI, "--terminal", "T01")).code == 0
    nobody = f"postgresql://{center_db.owner}@127.0.0.1:1/{center_db.name}"
    _plain(await _init(center_db, nobody), 1, "cannot be reached")
    wrong_owner = {"DISPATCH_CONSOLE_CENTER_OWNER_PASSWORD": "not the owner's password"}
    _plain(await _init(center_db, **wrong_owner), 3, "refused the console")
    _plain(await _init(center_db, "mysql://a@h/d"), 2, "must start with postgresql://")
    assert (await _init(center_db)).code == 0
    folder = tmp_path / "pos"
    wrong_role = {"DISPATCH_CONSOLE_CENTER_PASSWORD": "not the role's password"}
    _plain(await _join(center_db, pki, folder, "P1", **wrong_role), 3, "refused the console")
    unreachable = f"postgresql://127.0.0.1:1/{center_db.name}"
    _plain(await _join(center_db, pki, folder, "P1", unreachable), 1, "cannot be reached")
    _plain(await _join(center_db, pki, folder, "P1", "postgresql://h"), 2, "center:")
    assert not folder.exists() or not any(folder.iterdir())  # nothing left behind
    # a position whose centre is away: an operator known here logs on, and is told so
    assert (await _join(center_db, pki, folder, "P1")).code == 0
    settings = folder / "settings.toml"
    text = settings.read_text()
    settings.write_text(text.replace(f":{center_db.cluster.port}/", ":1/"))
    away = await run(
        "audit",
        "verify",
        "--profile",
        str(folder),
        "--operator",
        SUPERVISOR,
        password=SUPERVISOR_SECRET,
    )
    # its own trail is checked; the centre's cannot be, which is said and is exit 1
    assert away.code == 1, away.err
    assert "OK 3 records at this position" in away.out
    assert "cannot be reached" in away.err and "Traceback" not in away.err
    assert "logged on from this position's copy of the account" in away.err
    newcomer = await _list(folder, OPERATOR, OPERATOR_SECRET)
    _plain(newcomer, 3, "only an operator who logged on at this position before")

"""Operator accounts from the shell, as a sheriff with no IT staff would run them: adding,
listing, lockout and release, roles, and one-time codes from enrollment to logon."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from pathlib import Path

import pytest

from console.storage import otp
from tests.helpers.cli import ORI, PASSWORD, Network, Result, run

pytestmark = pytest.mark.slow

LINE = f"IPQ.{ORI}.IP.TXT NAM/SMITH, JOHN"
OPERATOR_PASSWORD = "the radio room opens at six"


def as_(network: Network, operator: str, *args: str) -> list[str]:
    return ["--profile", str(network.profile), "--operator", operator, *args]


async def operator(network: Network, acting: str, *args: str, **secrets: str | None) -> Result:
    action, *rest = args
    return await run("operator", action, *as_(network, acting, *rest), **secrets)


async def test_a_supervisor_adds_an_operator_who_then_works(network: Network) -> None:
    weak = await operator(network, "OPR1", "add", "OPR2", new_password="password123")
    assert weak.code == 2 and "password: is on the list of common" in weak.err
    added = await operator(network, "OPR1", "add", "OPR2", new_password=OPERATOR_PASSWORD)
    assert added.code == 0, added.err
    listed = await operator(network, "OPR1", "list")
    assert re.search(r"^OPR2\s+operator\s+active", listed.out, re.M), listed.out
    assert re.search(r"^OPR1\s+supervisor\s+active", listed.out, re.M)

    works = await run("query", *as_(network, "OPR2", LINE), password=OPERATOR_PASSWORD)
    assert works.code == 0, works.err
    refused = await operator(network, "OPR2", "list", password=OPERATOR_PASSWORD)
    assert refused.code == 3 and "OPR2 (operator) may not manage operator accounts" in refused.err
    audit = await run(
        "audit", "export", *as_(network, "OPR2", "--csv", "x.csv"), password=OPERATOR_PASSWORD
    )
    assert audit.code == 3 and "may not review and export the audit trail" in audit.err


async def test_five_failed_logons_lock_until_the_supervisor_unlocks(
    network: Network, tmp_path: Path
) -> None:
    assert (
        await operator(network, "OPR1", "add", "OPR2", new_password=OPERATOR_PASSWORD)
    ).code == 0
    for number in range(5):
        failed = await run("query", *as_(network, "OPR2", LINE), password=f"wrong {number}")
        assert failed.code == 3
    unknown = await run("query", *as_(network, "NOBODY9", LINE), password="wrong 9")
    assert unknown.code == 3 and failed.err == unknown.err  # one refusal for both
    assert "operator unlock" in failed.err
    locked = await run("query", *as_(network, "OPR2", LINE), password=OPERATOR_PASSWORD)
    assert locked.code == 3 and locked.err == failed.err
    listed = await operator(network, "OPR1", "list")
    assert re.search(r"^OPR2 .*LOCKED", listed.out, re.M), listed.out

    released = await operator(network, "OPR1", "unlock", "OPR2")
    assert released.code == 0, released.err
    again = await run("query", *as_(network, "OPR2", LINE), password=OPERATOR_PASSWORD)
    assert again.code == 0, again.err

    csv = tmp_path / "audit.csv"
    exported = await run("audit", "export", *as_(network, "OPR1", "--csv", str(csv)))
    assert exported.code == 0, exported.err
    text = csv.read_text()
    assert text.count(f"OPR2,{ORI},logon,failure: wrong password") == 5
    assert f"OPR2,{ORI},logon,account locked" in text
    assert f"OPR2,{ORI},logon,refused: account locked" in text
    assert f"OPR1,{ORI},account,released from lock,OPR2" in text


async def test_disabled_accounts_and_trainers_on_a_live_profile_are_refused(
    network: Network,
) -> None:
    add = await operator(
        network, "OPR1", "add", "TRN1", "--role", "trainer", new_password=OPERATOR_PASSWORD
    )
    assert add.code == 0, add.err
    trainer = await run("query", *as_(network, "TRN1", LINE), password=OPERATOR_PASSWORD)
    assert trainer.code == 3 and "trainers log on to demo and training profiles only" in trainer.err
    assert (await operator(network, "OPR1", "disable", "TRN1")).code == 0
    disabled = await run("query", *as_(network, "TRN1", LINE), password=OPERATOR_PASSWORD)
    assert disabled.code == 3 and "TRN1 is disabled" in disabled.err
    last = await operator(network, "OPR1", "disable", "OPR1")
    assert last.code == 3 and "last active supervisor" in last.err


async def enroll(network: Network, profile: Path, operator_id: str) -> bytes:
    """``operator enroll`` as the operator does it: read the secret, type the app's code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPATCH_CONSOLE_")}
    env["DISPATCH_CONSOLE_PASSWORD"] = PASSWORD
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.helpers.console", "operator", "enroll",
        "--profile", str(profile), "--operator", operator_id,
        env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
    assert line.startswith("secret: "), line
    secret = otp_secret(line.removeprefix("secret: "))
    uri = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
    assert uri.startswith("uri: otpauth://totp/") and "issuer=" in uri
    proc.stdin.write(f"{otp.code_at(secret, time.time())}\n".encode())
    await proc.stdin.drain()
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    assert "enrolled" in err.decode()
    return secret


def otp_secret(text: str) -> bytes:
    import base64

    packed = "".join(text.split())
    return base64.b32decode(packed + "=" * (-len(packed) % 8))


async def test_one_time_codes_from_enrollment_to_every_logon(
    network: Network, tmp_path: Path
) -> None:
    profile = tmp_path / "live"
    created = await run(
        "profile", "init", "--profile", str(profile), "--ori", ORI, "--switch", network.address,
        "--pki", str(network.pki), "--operator", "OPR1",
    )  # fmt: skip
    assert created.code == 0, created.err
    owed = await run("query", "--profile", str(profile), "--operator", "OPR1", LINE)
    assert owed.code == 3 and "must enroll for one-time codes" in owed.err

    secret = await enroll(network, profile, "OPR1")
    args = ["--profile", str(profile), "--operator", "OPR1"]
    without = await run("query", *args, LINE)
    assert without.code == 3 and "--otp CODE" in without.err
    wrong = await run(
        "query",
        *args,
        "--otp",
        "000000" if otp.code_at(secret, time.time()) != "000000" else "111111",
        LINE,
    )
    assert wrong.code == 3 and "one-time code" in wrong.err
    # the enrollment used this 30 s code: the next one (within the tolerance) logs on
    code = otp.code_at(secret, time.time() + otp.PERIOD)
    works = await run("query", *args, "--otp", code, LINE)
    assert works.code == 0, works.err
    replay = await run("query", *args, "--otp", code, LINE)
    assert replay.code == 3  # a code is good once


async def test_enroll_without_a_terminal_says_so_and_exits_2(
    network: Network, tmp_path: Path
) -> None:
    profile = tmp_path / "owing"
    created = await run(
        "profile", "init", "--profile", str(profile), "--ori", ORI, "--switch", network.address,
        "--pki", str(network.pki), "--operator", "OPR1",
    )  # fmt: skip
    assert created.code == 0, created.err
    headless = await run("operator", "enroll", "--profile", str(profile), "--operator", "OPR1")
    assert headless.code == 2, headless.err
    assert "Traceback" not in headless.err
    assert "code: is required and there is no terminal" in headless.err
    still_owed = await run("query", "--profile", str(profile), "--operator", "OPR1", LINE)
    assert still_owed.code == 3 and "must enroll for one-time codes" in still_owed.err

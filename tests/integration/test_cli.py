"""The headless commands scripted from a shell: pki init, switch, profile init, query."""

from __future__ import annotations

import asyncio
import signal

import pytest

from console.switch.dataset import synthetic_notices
from tests.helpers.cli import COUNT, ORI, PASSWORD, SEED, Network, Result, run

pytestmark = pytest.mark.slow


async def query(network: Network, line: str, password: str = PASSWORD) -> Result:
    return await run(
        "query", "--profile", str(network.profile), "--operator", "OPR1", line, password=password
    )


async def test_person_query_and_full_record_from_the_shell(network: Network) -> None:
    target = next(n for n in synthetic_notices(COUNT, SEED) if n.warrants and n.date_of_birth)
    found = await query(network, f"IPQ.{ORI}.IP.TXT NAM/{target.nam}.DOB/{target.dob_text}")
    assert found.code == 0, found.err
    lines = found.out.splitlines()
    assert lines[0] == "IPR.DCINTER00"
    assert lines[2].endswith(f" {ORI}") and lines[3] == "TXT"
    assert f"EID/{target.eid}" in found.out

    record = await query(network, f"FPQ.{ORI}.IP.TXT EID/{target.eid}")
    assert record.code == 0, record.err
    assert record.out.startswith("FPR.DCINTER00\n")
    assert f"NAM/{target.nam}" in record.out
    assert "WARRANT 1. ISSUED BY" in record.out


async def test_invalid_input_exits_2_naming_the_field(network: Network) -> None:
    result = await query(network, f"IPQ.{ORI}.IP.TXT NAM/SMITH, JOHN.DOB/19801332")
    assert result.code == 2
    assert "DOB: must be a real calendar date" in result.err


async def test_wrong_password_exits_3(network: Network) -> None:
    result = await query(network, f"IPQ.{ORI}.IP.TXT NAM/SMITH, JOHN", password="not it at all")
    assert result.code == 3
    assert "wrong operator id or password" in result.err


async def test_unreachable_switch_exits_1(network: Network) -> None:
    network.switch.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(network.switch.wait(), 30) == 0
    result = await run(
        "query",
        "--profile",
        str(network.profile),
        "--operator",
        "OPR1",
        "--timeout",
        "5",
        f"IPQ.{ORI}.IP.TXT NAM/SMITH, JOHN",
    )
    assert result.code == 1
    assert "cannot reach the switch" in result.err


async def test_help_documents_every_command() -> None:
    result = await run("--help", password=None)
    assert result.code == 0
    for command in ("pki", "switch", "profile", "query", "--demo"):
        assert command in result.out
    switch_help = await run("switch", "--help", password=None)
    for flag in (
        "--listen",
        "--pki",
        "--synthetic",
        "--seed",
        "--dataset",
        "--latency",
        "--jitter",
        "--slow",
        "--drop",
        "--disconnect",
        "--outage",
    ):
        assert flag in switch_help.out

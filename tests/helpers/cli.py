"""Running the command as a user would: subprocesses, a switch process, a profile."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ORI = "WA0340000"
PASSWORD = "a long enough passphrase"
SEED, COUNT = 3, 300


@dataclass
class Result:
    code: int
    out: str
    err: str


async def run(
    *args: str,
    password: str | None = PASSWORD,
    new_password: str | None = None,
    center_password: str | None = None,
) -> Result:
    extra = {} if center_password is None else {"DISPATCH_CONSOLE_CENTER_PASSWORD": center_password}
    return await run_with(extra, *args, password=password, new_password=new_password)


async def run_with(
    extra_env: dict[str, str],
    *args: str,
    password: str | None = PASSWORD,
    new_password: str | None = None,
) -> Result:
    """``run`` with more of the environment (the centre's passwords, say)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPATCH_CONSOLE_")}
    env.update(extra_env)
    if password is not None:
        env["DISPATCH_CONSOLE_PASSWORD"] = password
    if new_password is not None:
        env["DISPATCH_CONSOLE_NEW_PASSWORD"] = new_password
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.helpers.console",
        *args,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


@dataclass
class Network:
    pki: Path
    profile: Path
    switch: asyncio.subprocess.Process
    address: str


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[Network]:
    pki, profile = tmp_path / "pki", tmp_path / "profile"
    made = await run("pki", "init", str(pki), "--ori", ORI, "--terminal", "T01")
    assert made.code == 0, made.err
    switch = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "console",
        "switch",
        "--listen",
        "127.0.0.1:0",
        "--pki",
        str(pki),
        "--synthetic",
        str(COUNT),
        "--seed",
        str(SEED),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert switch.stdout is not None
        line = (await asyncio.wait_for(switch.stdout.readline(), 90)).decode()
        match = re.fullmatch(r"listening on (127\.0\.0\.1:\d+)\n", line)
        assert match, line
        created = await run(
            "profile",
            "init",
            "--profile",
            str(profile),
            "--ori",
            ORI,
            "--switch",
            match[1],
            "--pki",
            str(pki),
            "--operator",
            "OPR1",
            "--secure-location",  # these tests use passwords alone; one-time codes: test_operators
        )
        assert created.code == 0, created.err
        yield Network(pki, profile, switch, match[1])
    finally:
        if switch.returncode is None:
            switch.send_signal(signal.SIGTERM)
            await asyncio.wait_for(switch.wait(), 30)

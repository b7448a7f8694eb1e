"""Fixtures for a real network on loopback: a training PKI, a switch, a profile, a session."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from console.broker.session import Session, init_profile
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import init_pki, server_context

ORI = "WA0340000"
OTHER_ORI = "OR0120000"
OPERATOR = "OPR1"
SECRET = "correct horse battery staple"
DATASET_SIZE = 400
DATASET_SEED = 11


@dataclass(frozen=True)
class RunningSwitch:
    server: SwitchServer
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@asynccontextmanager
async def terminal(switch: RunningSwitch, context: ssl.SSLContext) -> AsyncIterator[Streams]:
    """A raw TLS connection to the switch, as a terminal with ``context`` makes it."""
    reader, writer = await asyncio.open_connection(
        switch.host, switch.port, ssl=context, server_hostname="localhost"
    )
    try:
        yield reader, writer
    finally:
        writer.close()
        await writer.wait_closed()


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A training PKI made at test time (never committed): one CA, two agencies' terminals."""
    directory = tmp_path_factory.mktemp("pki")
    init_pki(directory, ORI, "T01")
    init_pki(directory, ORI, "T03")  # a second terminal of the same agency
    init_pki(directory, OTHER_ORI, "T02")
    return directory


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return Dataset.synthetic(DATASET_SIZE, DATASET_SEED)


@pytest.fixture
async def switch(pki_dir: Path, dataset: Dataset) -> AsyncIterator[RunningSwitch]:
    server = SwitchServer(dataset, server_context(pki_dir))
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield RunningSwitch(server, host, port)
    finally:
        await server.close()


async def make_profile(
    folder: Path, pki_dir: Path, switch: RunningSwitch, **settings: Any
) -> Profile:
    """A profile of OPR1 (a supervisor) at terminal T01 on ``switch``; the terminal sits in a
    secure location (no one-time codes) unless ``settings`` say otherwise."""
    profile = Profile(folder)
    values: dict[str, Any] = {"secure_location": True, "ori": ORI, "terminal": "T01"}
    values |= {"switch_host": switch.host, "switch_port": switch.port} | settings
    await init_profile(
        profile, Settings(**values), pki_source=pki_dir, operator=OPERATOR, secret=SECRET
    )
    return profile


@pytest.fixture
async def profile(tmp_path: Path, pki_dir: Path, switch: RunningSwitch) -> Profile:
    return await make_profile(tmp_path / "profile", pki_dir, switch, answer_timeout=20.0)


@pytest.fixture
async def session(profile: Profile) -> AsyncIterator[Session]:
    opened = await Session.open(profile, OPERATOR, SECRET)
    try:
        yield opened
    finally:
        await opened.close()

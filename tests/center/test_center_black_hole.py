"""A centre whose network silently drops packets is unreachable within seconds, not after the
kernel's quarter of an hour of TCP retries: the engine's sockets carry libpq's keepalives and
``tcp_user_timeout``, and a real black hole (a routing rule in a network namespace of the
test's own, ``tests/helpers/black_hole.py``) fails a pooled connection and an awaited answer
as ``CenterUnreachable``."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from console.center.connection import KEEPALIVE
from tests.helpers.black_hole import LIMIT_S, relay
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase

pytestmark = pytest.mark.slow


def test_the_engines_sockets_carry_the_keepalives(center_db: CenterDatabase) -> None:
    engine = center_db.address.engine(OWNER_PASSWORD)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
            raw = conn.connection.dbapi_connection
            assert raw is not None
            given = raw.info.get_parameters()
            assert {name: given.get(name) for name in KEEPALIVE} == {
                name: str(value) for name, value in KEEPALIVE.items()
            }
            fd = raw.pgconn.socket
            with socket.socket(fileno=os.dup(fd)) as sock:  # what the kernel was told
                assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                tcp = socket.IPPROTO_TCP
                assert sock.getsockopt(tcp, socket.TCP_KEEPIDLE) == KEEPALIVE["keepalives_idle"]
                assert (
                    sock.getsockopt(tcp, socket.TCP_KEEPINTVL) == KEEPALIVE["keepalives_interval"]
                )
                assert sock.getsockopt(tcp, socket.TCP_KEEPCNT) == KEEPALIVE["keepalives_count"]
                assert (
                    sock.getsockopt(tcp, socket.TCP_USER_TIMEOUT) == KEEPALIVE["tcp_user_timeout"]
                )
    finally:
        engine.dispose()


def own_namespaces() -> bool:
    """Whether this machine lets a process make its own user and network namespace."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = ["unshare", "-rn", "ip", "link", "set", "lo", "up"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.fixture
def socket_folder() -> Iterator[Path]:
    # A short path of its own: a Unix socket's path is limited to about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="centre-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not own_namespaces(), reason="no user and network namespaces here")
async def test_a_centre_behind_a_black_hole_is_unreachable_within_seconds(
    center_db: CenterDatabase, socket_folder: Path
) -> None:
    path = socket_folder / "centre.sock"
    cluster = center_db.cluster
    server = await asyncio.start_unix_server(
        relay(lambda: asyncio.open_connection("127.0.0.1", cluster.port)), path=str(path)
    )
    env = dict(os.environ, CENTRE_PASSWORD=OWNER_PASSWORD)
    argv = [sys.executable, "-m", "tests.helpers.black_hole", str(path)]
    proc = await asyncio.create_subprocess_exec(
        "unshare",
        "-rn",
        *argv,
        center_db.owner,
        center_db.name,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(2 * LIMIT_S + 15):  # both cases, each bounded inside
            out, err = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        server.close()
    assert proc.returncode == 0, err.decode()
    found = {line["case"]: line for line in map(json.loads, out.decode().splitlines())}
    for case in ("idle", "waiting"):
        assert found[case]["error"] == "CenterUnreachable", found[case]
        assert found[case]["seconds"] < LIMIT_S

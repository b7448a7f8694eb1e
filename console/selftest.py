"""``dispatch-console --self-test``: proves an installed copy works, with no display needed.

Offscreen, it starts the demo world exactly as ``--demo`` does (a throw-away profile, a fresh
PKI, the embedded switch on loopback over mutual TLS), drives the real main window through one
person query and one full record, and exits 0; any failure is named and exits 1. The Qt half
lives in ``console/gui/shell/selftest.py``; this module only composes it with the demo world.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path

TIMEOUT = 60.0


def run_self_test(timeout: float = TIMEOUT) -> int:
    """0 when a person query and its first full record went through the real window, else 1."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no display is needed
    from console import app
    from console.broker.session import Session
    from console.gui.shell import selftest

    async def check() -> str:
        async with AsyncExitStack() as stack:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dcselftest-")))
            network = app.DemoNetwork(root)
            stack.push_async_callback(network.close)
            await network.start()
            if not network.sample_names:
                raise selftest.SelfTestFailed("the demo data names no one to search for")
            session = await Session.open(network.profile, app.DEMO_OPERATOR, network.secret)
            stack.push_async_callback(session.close)
            return await selftest.query_then_record(session, network.sample_names[0])

    return selftest.run_offscreen(check, timeout)

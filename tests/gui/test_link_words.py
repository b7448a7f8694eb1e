"""With no switch to reach, the operator reads what is wrong where they look: the status bar
says it in plain words, and a query panel says its query is held, as the queue does."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.broker.session import init_profile
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.faults import FaultPlan
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.gui.actions import ask, two_people
from tests.gui.windows import opened_window
from tests.helpers.network import OPERATOR, ORI, SECRET
from tests.helpers.waiting import wait_until


@pytest.fixture
async def nobody_listening(tmp_path: Path, pki_dir: Path) -> Profile:
    """A profile whose switch address has no one listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    profile = Profile(tmp_path / "alone")
    settings = Settings(
        secure_location=True, ori=ORI, terminal="T01", switch_host="127.0.0.1", switch_port=port
    )
    await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    return profile


async def test_no_switch_is_said_plainly_and_a_query_is_said_to_be_held(
    qtbot: QtBot, nobody_listening: Profile, dataset: Dataset
) -> None:
    settings = nobody_listening.load()
    address = f"{settings.switch_host}:{settings.switch_port}"
    async with opened_window(qtbot, nobody_listening, linked=False) as opened:
        window, status = opened.window, opened.window.status
        plain = f"no switch answers at {address}: is it running?"
        await wait_until(lambda: f"Link down: {plain}" in status.link_label.text())
        assert "Errno" not in status.link_label.text()  # the raw text is for the tooltip
        assert "Connect call failed" in status.link_label.toolTip()

        first, _ = two_people(dataset)
        ask(qtbot, window, first)  # the person panel, by keyboard
        panel = window.person_panel
        await wait_until(lambda: "Queue 1" in status.queue_label.text())
        assert panel.state_label.text() == "IPQ queued: held until the link returns"
        assert "held until the link returns" in status.queue_label.text()


class GatedSleep:
    """The switch's answer delay: each answer waits until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.waiting = 0

    async def __call__(self, delay: float) -> None:
        self.waiting += 1
        await self.gate.wait()


async def test_a_held_query_is_said_sent_once_the_link_returns_before_its_answer(
    qtbot: QtBot, nobody_listening: Profile, dataset: Dataset, pki_dir: Path
) -> None:
    settings = nobody_listening.load()
    async with opened_window(qtbot, nobody_listening, linked=False) as opened:
        window, status = opened.window, opened.window.status
        first, _ = two_people(dataset)
        ask(qtbot, window, first)
        panel = window.person_panel
        await wait_until(lambda: "Queue 1" in status.queue_label.text())
        assert panel.state_label.text() == "IPQ queued: held until the link returns"

        # the switch comes up where the profile looks for it; its answer is held back
        sleep = GatedSleep()
        server = SwitchServer(
            dataset, server_context(pki_dir), faults=FaultPlan(latency=1.0), sleep=sleep
        )
        await server.start(settings.switch_host, settings.switch_port)
        try:
            await wait_until(lambda: "Link up" in status.link_label.text(), timeout=45)
            sent = "IPQ sent, waiting for the answer…"
            await wait_until(lambda: panel.state_label.text() == sent)
            await wait_until(lambda: sleep.waiting > 0)  # the switch has it: no answer yet
            assert window.candidates.rowCount() == 0 and panel.waiting is not None
            sleep.gate.set()
            await wait_until(lambda: panel.waiting is None, timeout=20)
            assert "held" not in panel.state_label.text()
        finally:
            await server.close()

"""The queue view on a switch that holds answers (latency on a hand-turned clock, a gateway
outage): still waiting, cancel, a late answer ignored, resend."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.gui.shell.main_window import MainWindow
from console.gui.traffic.queue_model import STATE_COLOURS, QueueModel
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from console.switch.faults import FaultPlan
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.gui.actions import ask, choose, state
from tests.gui.windows import audit_events, opened_window
from tests.helpers.clock import ManualClock
from tests.helpers.network import RunningSwitch, make_profile
from tests.helpers.waiting import wait_until

LATENCY = 30.0  # seconds on the hand-turned clock: an answer comes when the test says so
DURATION = re.compile(r"\d+ s")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
async def switch(
    pki_dir: Path, dataset: Dataset, plan: FaultPlan, clock: ManualClock
) -> AsyncIterator[RunningSwitch]:
    """The shared ``switch`` fixture with this test's faults, timed by the test's clock."""
    server = SwitchServer(dataset, server_context(pki_dir), faults=plan, sleep=clock.sleep)
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield RunningSwitch(server, host, port)
    finally:
        await server.close()


@pytest.fixture
async def profile(tmp_path: Path, pki_dir: Path, switch: RunningSwitch) -> Profile:
    """A profile that calls a query still waiting after one second."""
    return await make_profile(tmp_path / "profile", pki_dir, switch, answer_timeout=1.0)


def incoming_controls(window: MainWindow) -> list[str]:
    model = window.mailbox.model
    return [model.item(row).control for row in range(model.rowCount())]


@pytest.mark.parametrize("plan", [FaultPlan(latency=LATENCY)])
async def test_a_query_still_waiting_can_be_cancelled_and_its_late_answer_is_ignored(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    profile: Profile,
    clock: ManualClock,
    dataset: Dataset,
) -> None:
    target = next(n for n in dataset if n.forename and n.nam.isascii())
    async with opened_window(qtbot, profile) as opened:
        window, view = opened.window, opened.window.queue_view
        model = view.model
        qtmodeltester.check(model)
        ask(qtbot, window, target.nam)
        await wait_until(lambda: model.rowCount() == 1 and state(model, 0) == "sent")
        await wait_until(lambda: clock.pending == 1)  # the switch holds the answer
        assert DURATION.fullmatch(model.data(model.index(0, QueueModel.ELAPSED)))
        await wait_until(lambda: state(model, 0) == "still waiting", timeout=5)
        colour = model.data(model.index(0, 3), Qt.ItemDataRole.ForegroundRole)
        assert colour.name() == STATE_COLOURS["still waiting"]
        assert "still waiting after 1 s" in window.status.currentMessage()

        choose(qtbot, window, 0)
        assert view.cancel_button.isEnabled() and not view.resend_button.isEnabled()
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: state(model, 0) == "cancelled")
        first = model.row(0).control
        assert view.status.text() == f"{first} cancelled; a late answer will be ignored."
        # the panel hears of it from its own awaited query, on a later pass of the loop
        cancelled = f"query {first} was cancelled"
        await wait_until(lambda: window.person_panel.error_label.text() == cancelled)
        assert not view.cancel_button.isEnabled() and view.resend_button.isEnabled()

        qtbot.mouseClick(view.resend_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: model.rowCount() == 2 and state(model, 1) == "sent")
        again = model.row(1).control
        assert again != first and view.status.text().startswith(f"{first} sent again as {again}")
        await wait_until(lambda: clock.pending == 2)
        await clock.advance(LATENCY)  # both answers come: the cancelled one's first
        await wait_until(lambda: state(model, 1) == "answered")
        assert state(model, 0) == "cancelled"
        assert DURATION.fullmatch(model.data(model.index(1, QueueModel.ELAPSED)))
        window.mail_dock.raise_()
        assert again in incoming_controls(window) and first not in incoming_controls(window)
        assert ("query", "cancelled") in await audit_events(opened)
        entry = await opened.session.store.outbox_entry(first)
        assert entry is not None and entry.state.value == "cancelled"


async def test_an_outage_holds_an_answer_until_the_gateway_returns_and_it_can_be_asked_again(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    profile: Profile,
    switch: RunningSwitch,
    dataset: Dataset,
) -> None:
    target = next(n for n in dataset if n.forename and n.nam.isascii())
    async with opened_window(qtbot, profile) as opened:
        window, view = opened.window, opened.window.queue_view
        model = view.model
        qtmodeltester.check(model)
        await wait_until(lambda: switch.server.faults.linked == 1)
        await switch.server.set_gateway(False)
        await wait_until(lambda: window.alert_model.rowCount() == 1)  # Nlets says so (SM)
        ask(qtbot, window, target.nam)
        await wait_until(lambda: switch.server.faults.held == 1)
        await wait_until(lambda: state(model, 0) == "still waiting", timeout=5)
        assert window.status.queue_label.text() == "Queue 0 · in flight 1"
        choose(qtbot, window, 0)
        assert not view.resend_button.isEnabled()

        await switch.server.set_gateway(True)
        await wait_until(lambda: state(model, 0) == "answered")
        assert window.status.queue_label.text() == "Queue empty"
        assert view.resend_button.isEnabled() and not view.cancel_button.isEnabled()
        await wait_until(lambda: window.candidates.rowCount() > 0)  # the panel got its answer
        qtbot.mouseClick(view.resend_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: model.rowCount() == 2 and state(model, 1) == "answered")
        assert model.row(1).subject == model.row(0).subject
        assert model.data(model.index(1, 4)) == "routine"
        answers = [c for c in incoming_controls(window) if c]  # not the two SMs of the outage
        assert answers == [model.row(1).control, model.row(0).control]  # newest first

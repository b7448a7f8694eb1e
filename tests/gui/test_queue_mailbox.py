"""The queue, the mailbox and the status bar over time: queries held while the link is down,
cancelled, resent and sent when it returns; ages on a turned clock; earlier work (queries,
answers, alerts) listed once after the next logon."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.broker.compose import Composer
from console.broker.dispatch import URGENT
from console.broker.events import AnswerReceived, QueryQueued, QuerySent
from console.broker.session import init_profile
from console.domain.codes import INTERPOL_WASHINGTON_ORI
from console.gui.shell.theme import ALERT_COLOURS
from console.gui.traffic.queue_model import QueueModel
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.gui.actions import ask, cells, choose, listed, search_for, show, state, two_people
from tests.gui.alerting import Bell, admin_message
from tests.gui.windows import audit_events, opened_window
from tests.helpers.network import OPERATOR, ORI, OTHER_ORI, SECRET, RunningSwitch
from tests.helpers.waiting import wait_until

DURATION = re.compile(r"\d+ s")
RECONNECT = 40.0  # seconds: the link backs off while the switch is away


@pytest.fixture
def free_port() -> int:
    """A loopback port with no one listening (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def offline_profile(tmp_path: Path, pki_dir: Path, free_port: int) -> Profile:
    """A profile whose switch is not running when the console starts."""
    profile = Profile(tmp_path / "offline")
    settings = Settings(
        secure_location=True,
        ori=ORI,
        terminal="T01",
        switch_host="127.0.0.1",
        switch_port=free_port,
    )
    await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    return profile


def label_text(status: QWidget, name: str) -> str:
    found = status.findChild(QLabel, name)
    assert found is not None, f"no {name} label"
    return found.text()


async def test_queries_wait_while_the_link_is_down_and_go_when_it_returns(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    offline_profile: Profile,
    pki_dir: Path,
    dataset: Dataset,
    free_port: int,
) -> None:
    first, second = two_people(dataset)
    server = SwitchServer(dataset, server_context(pki_dir))
    try:
        async with opened_window(qtbot, offline_profile, linked=False) as opened:
            window, broker = opened.window, opened.session.broker
            model, view, status = window.queue_view.model, window.queue_view, window.status
            qtmodeltester.check(model)
            sent: list[str] = []
            opened.bridge.query_sent.connect(lambda event: sent.append(event.control))
            await wait_until(lambda: "Link down" in status.link_label.text())
            assert status.link_label.toolTip().startswith("cannot connect")
            assert label_text(status, "operator") == f"Operator {OPERATOR}"
            assert label_text(status, "ori") == f"ORI {ORI}"
            assert label_text(status, "demoTag") == "DEMO"

            ask(qtbot, window, first)  # routine, from the person panel
            await wait_until(lambda: model.rowCount() == 1)
            urgent = await broker.queue(broker.person_query(second), URGENT)  # as a line
            await wait_until(lambda: model.rowCount() == 2)
            routine = cells(model, 0)
            assert routine[1:5] == ["IPQ", f"NAM/{first}", "queued", "routine"]
            assert cells(model, 1)[1:5] == ["IPQ", f"NAM/{second}", "queued", "urgent"]
            assert cells(model, 1)[0] == urgent.control
            assert DURATION.fullmatch(routine[QueueModel.AGE])
            assert routine[QueueModel.ELAPSED] == "—"  # never sent
            held = "Queue 2 · in flight 0 — held until the link returns"
            await wait_until(lambda: status.queue_label.text() == held)
            await wait_until(lambda: cells(model, 0)[QueueModel.AGE] != routine[QueueModel.AGE])

            choose(qtbot, window, 0)
            qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
            await wait_until(lambda: state(model, 0) == "cancelled")
            assert ("query", "cancelled") in await audit_events(opened)
            await wait_until(lambda: status.queue_label.text().startswith("Queue 1 · in flight 0"))
            qtbot.mouseClick(view.resend_button, Qt.MouseButton.LeftButton)
            await wait_until(lambda: model.rowCount() == 3)
            resent = cells(model, 2)
            assert resent[1:5] == ["IPQ", f"NAM/{first}", "queued", "routine"]
            assert resent[0] not in (routine[0], urgent.control)

            await server.start("127.0.0.1", free_port)  # the switch comes back
            await wait_until(lambda: "Link up" in status.link_label.text(), timeout=RECONNECT)
            await wait_until(lambda: state(model, 1) == state(model, 2) == "answered")
            assert sent == [urgent.control, resent[0]]  # most urgent first
            assert state(model, 0) == "cancelled"  # never sent, never answered
            for row in (1, 2):
                assert DURATION.fullmatch(cells(model, row)[QueueModel.ELAPSED])
            await wait_until(lambda: status.queue_label.text() == "Queue empty")
    finally:
        await server.close()


async def test_the_queue_shows_earlier_work_once(
    qtbot: QtBot, qtmodeltester: ModelTester, profile: Profile, dataset: Dataset
) -> None:
    target, _ = two_people(dataset)
    async with opened_window(qtbot, profile) as opened:
        ask(qtbot, opened.window, target)
        await wait_until(lambda: opened.window.candidates.rowCount() > 0)
        earlier = opened.window.queue_view.model.row(0)
        assert earlier.state == "answered"

    async with opened_window(qtbot, profile) as opened:
        model = opened.window.queue_view.model
        qtmodeltester.check(model)
        await wait_until(lambda: model.rowCount() == 1)
        loaded = model.row(0)
        assert (loaded.control, loaded.state, loaded.subject) == (
            earlier.control,
            "answered",
            earlier.subject,
        )
        assert DURATION.fullmatch(cells(model, 0)[QueueModel.ELAPSED])
        ask(qtbot, opened.window, target)  # answered from the cache: nothing new is asked
        await wait_until(lambda: opened.window.candidates.rowCount() > 0)
        view = opened.window.queue_view
        choose(qtbot, opened.window, 0)
        assert view.resend_button.isEnabled()
        await view.load()  # loading again lists nothing twice
        assert [model.row(r).control for r in range(model.rowCount())] == [earlier.control]
        assert view.selected() is None  # the buttons follow: nothing is chosen after a reload
        assert not view.resend_button.isEnabled() and not view.cancel_button.isEnabled()


def test_age_and_elapsed_read_as_durations_on_a_turned_clock(
    qtmodeltester: ModelTester, qtbot: QtBot
) -> None:
    start = datetime(2025, 3, 17, 9, 0, tzinfo=UTC)
    now = [start]
    model = QueueModel(clock=lambda: now[0])
    qtmodeltester.check(model)
    query = Composer(ORI).person("SMITH, JOHN")
    model.on_event(QueryQueued("C1", query, URGENT))
    now[0] = start + timedelta(seconds=65)
    model.on_event(QuerySent("C1"))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, roles: changed.append((top.column(), bottom.column()))
    )
    now[0] = start + timedelta(hours=2, minutes=3, seconds=5)
    model.tick()
    assert changed == [(QueueModel.AGE, QueueModel.ELAPSED)]  # only the clock columns
    assert cells(model, 0)[3:] == ["sent", "urgent", "2 h 03 min", "2 h 02 min"]
    model.on_event(AnswerReceived("C1", query, query))
    now[0] += timedelta(hours=1)
    assert cells(model, 0)[3:] == ["answered", "urgent", "3 h 03 min", "2 h 02 min"]
    model.on_event(QuerySent("C1"))  # a late event changes nothing that is finished
    assert state(model, 0) == "answered"


async def test_the_mailbox_lists_earlier_work_once_after_the_next_logon(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    first, _ = two_people(dataset)
    async with opened_window(qtbot, profile) as opened:
        one = (await search_for(qtbot, opened.window, first)).control
        await admin_message(opened, switch, pki_dir)
        dock = opened.window.alert_dock
        dock.select(opened.window.alert_model.item(0).id)
        qtbot.mouseClick(dock.acknowledge_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: opened.window.alert_model.rowCount() == 0)

    async with opened_window(qtbot, profile) as opened:
        mailbox = opened.window.mailbox
        expected = [("AM", OTHER_ORI, ""), ("IPR", INTERPOL_WASHINGTON_ORI, one)]
        await wait_until(lambda: listed(mailbox) == expected)  # acknowledged, still mail
        assert mailbox.status.text() == "2 messages"
        await admin_message(opened, switch, pki_dir, "SECOND NOTICE")  # while the console runs
        await wait_until(lambda: len(listed(mailbox)) == 3)
        await mailbox.load()  # loading again lists nothing twice
        assert listed(mailbox) == [("AM", OTHER_ORI, ""), *expected]
        assert mailbox.model.data(mailbox.model.index(0, 3)) == "SECOND NOTICE"
        show(qtbot, mailbox, "sent")
        assert listed(mailbox) == [("IPQ", "IP", one)]


async def test_a_hit_confirmation_answer_is_mail_once_and_an_urgent_alert(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset
) -> None:
    target = next(n for n in dataset if n.warrants and n.forename and n.nam.isascii())
    async with opened_window(qtbot, desk_profile) as opened:
        window, broker = opened.window, opened.session.broker
        bell = window.tray.bell = Bell()
        query = broker.compose.hit_confirmation("WP", target.eid, "U", name=target.nam)
        answer = await broker.submit(query, timeout=20)
        await wait_until(lambda: window.alert_model.rowCount() == 1)
        alerts = window.alert_model
        assert alerts.item(0).title == f"Hit confirmation from {INTERPOL_WASHINGTON_ORI}"
        assert alerts.data(alerts.index(0, 0)) == "HIGH"
        background = alerts.data(alerts.index(0, 0), Qt.ItemDataRole.BackgroundRole)
        assert background == QColor(ALERT_COLOURS[1])
        assert bell.rings == 1  # a hit confirmation answer is urgent
        mail = [("YR", INTERPOL_WASHINGTON_ORI, answer.control)]
        assert listed(window.mailbox) == mail  # the answer, not again as unsolicited

    async with opened_window(qtbot, desk_profile) as opened:
        mailbox = opened.window.mailbox
        await wait_until(lambda: len(listed(mailbox)) > 0)
        assert listed(mailbox) == mail
        assert opened.window.alert_model.items()[0].kind == "YR"  # open until acknowledged

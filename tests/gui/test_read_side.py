"""The broker's read side under the real window: earlier traffic read and decrypted once at
logon, shared by the queue, the mailbox and the alerts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from console.broker.read_side import INCOMING, SENT
from console.broker.session import Session
from console.gui.base.bridge import BrokerBridge
from console.gui.shell.composition import services_of
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.actions import ask, two_people
from tests.gui.windows import opened_window
from tests.helpers.network import OPERATOR, SECRET
from tests.helpers.waiting import wait_until


def counted(
    reads: Counter[str], name: str, read: Callable[..., Awaitable[Any]]
) -> Callable[..., Awaitable[Any]]:
    async def counting(*args: Any, **kwargs: Any) -> Any:
        reads[name] += 1
        return await read(*args, **kwargs)

    return counting


async def test_logon_reads_and_decrypts_the_outbox_once(
    qtbot: QtBot, profile: Profile, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, _ = two_people(dataset)
    async with opened_window(qtbot, profile) as opened:  # earlier work: one query answered
        ask(qtbot, opened.window, target)
        await wait_until(lambda: opened.window.candidates.rowCount() > 0)

    session = await Session.open(profile, OPERATOR, SECRET, watch=False)
    reads: Counter[str] = Counter()
    store = session.store
    monkeypatch.setattr(store, "outbox_entries", counted(reads, "outbox", store.outbox_entries))
    monkeypatch.setattr(store, "alerts", counted(reads, "alerts", store.alerts))
    bridge = BrokerBridge(session.broker.events)
    window = MainWindow(services_of(session, session.settings_file), bridge, demo=True)
    qtbot.addWidget(window)
    try:
        window.show()
        await window.load()
        mailbox = window.mailbox.model
        await wait_until(lambda: window.queue_view.model.rowCount() == 1)
        await wait_until(lambda: mailbox.count(SENT) == 1 and mailbox.count(INCOMING) == 1)
        await window.queue_view.load()  # a view loading again reads nothing again
        await window.mailbox.load()
        assert reads == Counter(outbox=1, alerts=1)
    finally:
        bridge.detach()
        window.tray.close()
        await session.close()

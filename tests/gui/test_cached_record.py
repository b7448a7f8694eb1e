"""A cached record's note stays true while shown: its age ticks on a 30 s timer (a hand-set
clock here) and its reason follows the link, never "the link is down" while the link is up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.domain.codes import Family, LinkState
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.gui.windows import opened_window
from tests.helpers.network import RunningSwitch, make_profile
from tests.helpers.waiting import wait_until


class SetClock:
    """The pane's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def own_switch(pki_dir: Path, dataset: Dataset) -> AsyncIterator[RunningSwitch]:
    """A switch of this test alone, so it can go away and come back on the same port."""
    server = SwitchServer(dataset, server_context(pki_dir))
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield RunningSwitch(server, host, port)
    finally:
        await server.close()


@pytest.fixture
async def own_profile(tmp_path: Path, pki_dir: Path, own_switch: RunningSwitch) -> Profile:
    return await make_profile(tmp_path / "profile", pki_dir, own_switch)


async def test_the_cached_note_ticks_and_follows_the_link(
    qtbot: QtBot, own_profile: Profile, own_switch: RunningSwitch, dataset: Dataset
) -> None:
    notice = next(iter(dataset))
    async with opened_window(qtbot, own_profile) as opened:
        window, broker = opened.window, opened.session.broker
        results, viewer = window.results, window.record_view
        clock = SetClock()
        results.clock = clock
        await results.open_eid(notice.eid, Family.PERSON)  # fresh: kept in the cache
        assert viewer.notice is not None and not viewer.note.isVisible()
        assert not results.ticker.isActive()

        await own_switch.server.close()  # the switch goes away
        await wait_until(lambda: broker.link_state is not LinkState.UP)
        await results.open_eid(notice.eid, Family.PERSON)
        assert viewer.note.isVisible()
        assert viewer.note.text() == "CACHED RECORD, under a minute old: the link is down" or (
            viewer.note.text() == "CACHED RECORD, under a minute old: the link is connecting"
        )
        assert results.ticker.isActive() and results.ticker.interval() == 30_000

        clock.now += timedelta(minutes=5)
        results.ticker.timeout.emit()  # what the timer does each 30 s
        assert viewer.note.text().startswith("CACHED RECORD, 5 min old: ")
        clock.now += timedelta(minutes=3)
        results.ticker.timeout.emit()
        assert viewer.note.text().startswith("CACHED RECORD, 8 min old: ")

        await own_switch.server.start(own_switch.host, own_switch.port)  # back on its port
        await wait_until(lambda: broker.link_state is LinkState.UP, timeout=40)
        await wait_until(lambda: "the link is up now" in viewer.note.text())
        assert "the link is down" not in viewer.note.text()
        assert viewer.note.text().startswith("CACHED RECORD, 8 min old: ")

        # a new search stops the ticking: the record is an earlier query's now
        window.person_panel.name_edit.setText("SMITH, JOHN")
        window.person_panel.send_button.click()
        await wait_until(lambda: viewer.earlier)
        assert not results.ticker.isActive()

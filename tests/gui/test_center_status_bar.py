"""A position's status bar says where its audit trail stands with the centre; a PC alone
says nothing about a centre."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.broker.session import init_profile
from console.center.connection import CenterAddress
from console.center.position import CenterLink
from console.storage.settings import Profile, Settings
from tests.gui.windows import opened_window
from tests.helpers.center import install_center, join
from tests.helpers.network import OPERATOR, ORI, SECRET, RunningSwitch
from tests.helpers.postgres import CenterDatabase
from tests.helpers.waiting import wait_until


@pytest.fixture
async def profile(tmp_path: Path, pki_dir: Path, switch: RunningSwitch) -> Profile:
    made = Profile(tmp_path / "position")
    settings = Settings(
        secure_location=True, ori=ORI, switch_host=switch.host, switch_port=switch.port
    )
    await init_profile(made, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    return made


async def test_an_unreachable_centre_shows_how_many_records_wait(
    qtbot: QtBot, profile: Profile
) -> None:
    nowhere = CenterAddress.parse("postgresql://c@127.0.0.1:1/nowhere")
    join(profile.root, CenterLink.of(nowhere, "pw"))
    async with opened_window(qtbot, profile) as opened:
        label = opened.window.status.center_label
        await wait_until(lambda: label.text().startswith("Centre unreachable, "))
        waiting = await opened.session.store.audit_count()  # nothing has gone
        await wait_until(lambda: label.text() == f"Centre unreachable, {waiting} records waiting")
        assert "cannot be reached" in label.toolTip()


async def test_a_reachable_centre_shows_up_and_a_pc_alone_nothing(
    qtbot: QtBot, profile: Profile, center_db: CenterDatabase
) -> None:
    async with opened_window(qtbot, profile) as opened:
        assert opened.window.status.center_label.text() == ""
    join(profile.root, install_center(center_db))
    async with opened_window(qtbot, profile) as opened:
        label = opened.window.status.center_label
        await wait_until(lambda: label.text() == "Centre: up")

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
from tests.center.account_centre import make_centre
from tests.gui.windows import opened_window
from tests.helpers.center import as_superuser, joined_position, point_at
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


async def _position(
    db: CenterDatabase, folder: Path, pki_dir: Path, switch: RunningSwitch
) -> Profile:
    settings = Settings(
        secure_location=True, ori=ORI, switch_host=switch.host, switch_port=switch.port
    )
    centre = make_centre(db)
    return await joined_position(centre, folder, pki_dir, settings, "POS-GUI", {OPERATOR: SECRET})


async def test_an_unreachable_centre_shows_how_many_records_wait(
    qtbot: QtBot, center_db: CenterDatabase, tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> None:
    profile = await _position(center_db, tmp_path / "position", pki_dir, switch)
    nowhere = CenterAddress.parse("postgresql://c@127.0.0.1:1/nowhere")
    point_at(profile, CenterLink.of(nowhere, "pw"))
    (arrived,) = as_superuser(center_db, "SELECT count(*) FROM center_audit")[0]
    async with opened_window(qtbot, profile) as opened:
        label = opened.window.status.center_label
        await wait_until(lambda: label.text().startswith("Centre unreachable, "))
        # what the joining and the first logons sent went; nothing since
        waiting = await opened.session.store.audit_count() - int(str(arrived))
        await wait_until(lambda: label.text() == f"Centre unreachable, {waiting} records waiting")
        assert "cannot be reached" in label.toolTip()


async def test_a_reachable_centre_shows_up_and_a_pc_alone_nothing(
    qtbot: QtBot,
    profile: Profile,
    center_db: CenterDatabase,
    tmp_path: Path,
    pki_dir: Path,
    switch: RunningSwitch,
) -> None:
    async with opened_window(qtbot, profile) as opened:
        assert opened.window.status.center_label.text() == ""
    position = await _position(center_db, tmp_path / "joined", pki_dir, switch)
    async with opened_window(qtbot, position) as opened:
        label = opened.window.status.center_label
        await wait_until(lambda: label.text() == "Centre: up")

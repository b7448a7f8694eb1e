"""The audit review at a position of a real centre with two positions: every position's
records, narrowed by workstation, exported and signed off as the centre's; a chain broken at
the centre named by workstation and record; this position's record altered at the centre an
alarm with the centre's trail still shown, never "unreachable"; the centre stopped, the
position's own trail under a banner, and the centre's again on the next refresh. A lone PC
shows none of it."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from console.broker.session import Session
from console.gui.supervisor.audit_model import ALARM
from console.gui.supervisor.audit_review import VERIFIED, AuditReviewWindow
from console.gui.supervisor.center_scope import ALL_POSITIONS, ALTERED, UNREACHABLE
from console.storage.settings import Profile, Settings
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    Centre,
    make_centre,
)
from tests.gui.test_audit_review import audited, choose, shown
from tests.gui.windows import Opened, opened_window
from tests.helpers.center import as_superuser, joined_position
from tests.helpers.network import ORI, RunningSwitch
from tests.helpers.pg_server import Cluster, new_cluster, remove_cluster
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase, new_database
from tests.helpers.waiting import wait_until


async def two_positions(
    db: CenterDatabase, tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> tuple[Centre, Profile]:
    """POS-A and POS-B joined to one centre; POS-B worked once (its trail is at the centre).
    POS-A, where the review is opened, is returned."""
    centre = make_centre(db)
    settings = Settings(
        secure_location=True, ori=ORI, switch_host=switch.host, switch_port=switch.port
    )
    a = await joined_position(centre, tmp_path / "a", pki_dir, settings, "POS-A", {})
    b = await joined_position(centre, tmp_path / "b", pki_dir, settings, "POS-B", {})
    session = await Session.open(b, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    await session.close()  # its forwarder's last attempt sends POS-B's trail
    return centre, a


def at_the_centre(centre: Centre, workstation: str) -> int:
    found = centre.scalar(
        "SELECT count(*) FROM center_audit WHERE workstation = :ws", ws=workstation
    )
    return int(str(found))


def as_owner(db: CenterDatabase, sql: str) -> None:
    """What the centre database's owner can do behind the consoles' backs."""
    engine = db.address.engine(OWNER_PASSWORD)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


async def centre_review(opened: Opened) -> AuditReviewWindow:
    review = opened.window.supervisor.open_audit_review()
    await wait_until(lambda: "Centre chain" in review.chain_label.text(), timeout=20)
    return review


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A cluster of this test's own: it is stopped and started again mid-test."""
    cluster = new_cluster()
    try:
        yield cluster
    finally:
        remove_cluster(cluster)


@pytest.fixture
def own_db(own_cluster: Cluster) -> CenterDatabase:
    return new_database(own_cluster, f"c{uuid.uuid4().hex[:12]}")


async def test_the_review_shows_every_position_narrows_exports_and_signs_off_the_centre(
    qtbot: QtBot, center_db: CenterDatabase, tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> None:
    centre, profile = await two_positions(center_db, tmp_path, pki_dir, switch)
    async with opened_window(
        qtbot, profile, operator=SUPERVISOR, secret=SUPERVISOR_SECRET
    ) as opened:
        review = await centre_review(opened)
        scope = review.center_scope
        where = f"127.0.0.1:{center_db.cluster.port}/{center_db.name}"
        assert scope.center == where and not scope.banner.isVisible()
        assert scope.workstation_combo.isVisible() and scope.workstation_combo.isEnabled()
        choices = [
            scope.workstation_combo.itemText(i) for i in range(scope.workstation_combo.count())
        ]
        assert choices == [ALL_POSITIONS, "POS-A", "POS-B"]  # from the centre
        everything = shown(review)
        assert {r.workstation for r in everything} == {"POS-A", "POS-B"}
        assert len([r for r in everything if r.workstation == "POS-B"]) == at_the_centre(
            centre, "POS-B"
        )
        assert "UTC days; 2 positions)" in review.count_label.text()
        assert review.windowTitle() == f"Audit review: the centre at {where}"
        assert review.chain_label.text().startswith("Centre chain verified: ")
        assert VERIFIED in review.chain_label.styleSheet()
        lines = scope.chains_label.text().split("<br>")
        assert [line.split(">")[1].split(":")[0] for line in lines] == ["POS-A", "POS-B"]

        choose(scope.workstation_combo, "POS-B")
        only_b = shown(review)
        assert only_b and {r.workstation for r in only_b} == {"POS-B"}
        assert f"{len(only_b)} of {len(everything)} records shown" in review.count_label.text()
        path = tmp_path / "centre-review.csv"
        await review.export_csv(str(path))
        with path.open(newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        assert header[2] == "workstation"  # each row says which position it is from
        assert [(row[2], int(row[0])) for row in rows] == [(r.workstation, r.seq) for r in only_b]
        first, last = review.period or (None, None)
        assert await audited(opened, "audit", "exported") == [
            f"{len(only_b)} records to {path} ({first}..{last}; centre {where}, workstation POS-B)"
        ]
        assert f"(centre {where}, workstation POS-B)" in review.status.text()

        choose(scope.workstation_combo, None)
        assert len(shown(review)) == len(everything)
        review.note_edit.setText("both positions")
        await review.sign_off()
        assert await audited(opened, "audit", "review completed") == [
            f"{first}..{last} (centre {where}, all positions: POS-A, POS-B): both positions"
        ]
        assert "reviewed centre" in {r.outcome for r in await opened.session.store.audit_records()}


async def test_a_chain_broken_at_the_centre_names_the_workstation_and_record(
    qtbot: QtBot, center_db: CenterDatabase, tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> None:
    _, profile = await two_positions(center_db, tmp_path, pki_dir, switch)
    async with opened_window(
        qtbot, profile, operator=SUPERVISOR, secret=SUPERVISOR_SECRET
    ) as opened:
        review = await centre_review(opened)
        as_owner(
            center_db,
            "UPDATE center_audit SET operator = 'NOBODY' WHERE workstation = 'POS-B' AND seq = 2",
        )
        await review.check_chain()
        assert (
            review.chain_label.text() == "Centre chain BROKEN at POS-B record 2: contents changed"
        )
        assert ALARM in review.chain_label.styleSheet()
        a_line, b_line = review.center_scope.chains_label.text().split("<br>")
        assert "POS-A: verified" in a_line and VERIFIED in a_line
        assert "POS-B: BROKEN at record 2: contents changed" in b_line and ALARM in b_line
        assert await audited(opened, "audit", "centre chain broken") == [
            "audit record 2 of workstation POS-B: contents changed"
        ]


async def test_this_positions_record_altered_at_the_centre_is_an_alarm_not_an_outage(
    qtbot: QtBot, center_db: CenterDatabase, tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> None:
    centre, profile = await two_positions(center_db, tmp_path, pki_dir, switch)
    async with opened_window(
        qtbot, profile, operator=SUPERVISOR, secret=SUPERVISOR_SECRET
    ) as opened:
        review = await centre_review(opened)
        scope = review.center_scope
        last = await opened.session.store.spool.last_seq()
        await wait_until(
            lambda: (
                centre.scalar("SELECT max(seq) FROM center_audit WHERE workstation = 'POS-A'")
                == last
            ),
            timeout=20,
        )  # the forwarder has sent everything, and rests
        as_superuser(
            center_db,
            "UPDATE center_audit SET operator = 'NOBODY' "
            f"WHERE workstation = 'POS-A' AND seq = {last}",
        )
        await review.load()
        found = f"audit record {last} of workstation POS-A: the centre's copy differs"
        assert scope.banner.isVisible() and scope.banner.text().startswith(f"{ALTERED} ({found}")
        assert ALARM in scope.banner.styleSheet() and UNREACHABLE not in scope.banner.text()
        assert {r.workstation for r in shown(review)} == {"POS-A", "POS-B"}  # the centre's
        assert [r.operator for r in shown(review) if (r.workstation, r.seq) == ("POS-A", last)] == [
            "NOBODY"
        ]
        assert scope.workstation_combo.isEnabled() and review.status.text() == ""
        assert review.windowTitle().endswith("(CHAIN BROKEN)")
        await review.check_chain()
        assert review.chain_label.text() == (
            f"Centre chain BROKEN at POS-A record {last}: contents changed"
        )
        assert ALARM in review.chain_label.styleSheet()
        a_line, b_line = scope.chains_label.text().split("<br>")
        assert f"POS-A: BROKEN at record {last}" in a_line and ALARM in a_line
        assert "POS-B: verified" in b_line and VERIFIED in b_line
        assert scope.banner.text().startswith(f"{ALTERED} ({found}")
        await review.sign_off()
        signed = (await audited(opened, "audit", "review completed"))[-1]
        assert "this position only" not in signed
        assert f"all positions: POS-A, POS-B; the centre's trail found altered: {found}" in signed
        alarms = await audited(opened, "audit", "centre chain broken")
        assert alarms[0].startswith(f"trail altered: {found}")


async def test_the_centre_stopped_shows_the_own_trail_under_a_banner_then_comes_back(
    qtbot: QtBot,
    own_cluster: Cluster,
    own_db: CenterDatabase,
    tmp_path: Path,
    pki_dir: Path,
    switch: RunningSwitch,
) -> None:
    _, profile = await two_positions(own_db, tmp_path, pki_dir, switch)
    async with opened_window(
        qtbot, profile, operator=SUPERVISOR, secret=SUPERVISOR_SECRET
    ) as opened:
        review = await centre_review(opened)
        scope = review.center_scope
        own_cluster.stop()
        try:
            await review.load()
            assert scope.banner.isVisible()
            assert scope.banner.text().startswith(f"{UNREACHABLE} (the centre database at ")
            assert "cannot be reached" in scope.banner.text()
            assert review.model.total > 0
            assert {r.workstation for r in shown(review)} == {"POS-A"}  # this position's own
            assert not scope.workstation_combo.isEnabled() and not scope.chains_label.isVisible()
            assert review.status.text() == ""  # no error, no traceback: the banner says it
            assert review.windowTitle().endswith("this position only (the centre unreachable)")
            await review.check_chain()
            assert review.chain_label.text().startswith("Audit chain verified: ")
            assert scope.banner.text().startswith(
                "Centre unreachable: the chain shown is this position's own only"
            )
            await review.sign_off()
            assert (await audited(opened, "audit", "review completed"))[-1].endswith(
                "(this position only: the centre could not be read)"
            )
        finally:
            own_cluster.start()
        await review.refresh()  # tried again: the centre's trail, the banner gone
        await wait_until(lambda: "Centre chain verified" in review.chain_label.text())
        assert not scope.banner.isVisible() and scope.workstation_combo.isEnabled()
        assert {r.workstation for r in shown(review)} == {"POS-A", "POS-B"}


async def test_a_lone_pc_shows_no_centre_part(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        review = opened.window.supervisor.open_audit_review()
        await wait_until(lambda: "verified" in review.chain_label.text())
        assert review.chain_label.text().startswith("Audit chain verified: ")
        assert not any(w.isVisible() for w in review.center_scope.widgets())
        assert review.center_scope.scope(["X"]) == ""
        assert "positions" not in review.count_label.text()
        assert review.windowTitle() == "Audit review"


async def test_a_centre_refusing_the_console_is_said_and_the_own_trail_shown(
    qtbot: QtBot, center_db: CenterDatabase, tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> None:
    _, profile = await two_positions(center_db, tmp_path, pki_dir, switch)
    role = f"{center_db.name}_console"
    async with opened_window(
        qtbot, profile, operator=SUPERVISOR, secret=SUPERVISOR_SECRET
    ) as opened:
        review = await centre_review(opened)
        scope = review.center_scope
        as_superuser(center_db, f"ALTER ROLE {role} PASSWORD 'another password now'")
        try:
            await review.load()
            assert scope.banner.isVisible() and scope.banner.text().startswith(UNREACHABLE)
            assert "refused the console" in scope.banner.text()
            assert {r.workstation for r in shown(review)} == {"POS-A"}
            assert review.status.text() == ""
        finally:
            as_superuser(center_db, f"ALTER ROLE {role} PASSWORD '{ROLE_PASSWORD}'")

"""The audit review on a real session: a period read (and audited), narrowed by operator,
event and search; the chain verified, and named BROKEN once the file is edited behind the
console's back; the shown rows exported owner-only and audited; the sign-off recorded."""

from __future__ import annotations

import contextlib
import csv
import re
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.broker.session import log_on
from console.domain.access import Role
from console.domain.audit_export import CSV_FIELDS
from console.gui.supervisor.audit_model import ALARM, AuditModel, last_days, last_quarter
from console.gui.supervisor.audit_review import VERIFIED, AuditReviewWindow
from console.storage import AuditRecord
from console.storage.settings import Profile
from tests.gui.windows import Opened, opened_window
from tests.helpers.waiting import wait_until

OTHER = "OPR2"
OTHER_SECRET = "amber kettle quietly forgets"
CONTROLS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView)
AUDIT_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ")


def tamper(path: Path, statement: str) -> None:
    # What someone with the file and the sqlite3 shell can do: drop the guards, then edit.
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute(statement)


async def with_a_second_operator(opened: Opened, profile: Profile) -> None:
    """Records by two operators: OPR1 adds OPR2 (the object names OPR2), OPR2 logs on."""
    await opened.session.accounts.add(OTHER, OTHER_SECRET, Role.OPERATOR)
    store, _ = await log_on(profile, OTHER, OTHER_SECRET)
    await store.close()


async def opened_review(opened: Opened) -> AuditReviewWindow:
    review = opened.window.supervisor.open_audit_review()
    await wait_until(lambda: review.period is not None and "verified" in review.chain_label.text())
    return review


def choose(combo: QComboBox, value: str | None) -> None:
    at = combo.findData(value)
    assert at >= 0, value
    combo.setCurrentIndex(at)


async def audited(opened: Opened, event: str, outcome: str) -> list[str]:
    records = await opened.session.store.audit_records()
    return [r.obj for r in records if (r.event, r.outcome) == (event, outcome)]


def shown(review: AuditReviewWindow) -> list[AuditRecord]:
    return review.model.shown()


async def test_filters_and_search_narrow_the_rows(
    qtbot: QtBot, qtmodeltester: ModelTester, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        await with_a_second_operator(opened, profile)
        review = await opened_review(opened)
        qtmodeltester.check(review.model)
        everything = shown(review)
        assert review.model.rowCount() == len(everything) > 3
        assert {r.operator for r in everything} == {"OPR1", OTHER}
        assert AUDIT_TIME.fullmatch(review.model.index(0, 1).data())  # UTC, 1/100 s

        choose(review.operator_combo, OTHER)
        assert shown(review) and all(r.operator == OTHER for r in shown(review))
        assert review.model.rowCount() < len(everything)
        choose(review.operator_combo, None)
        choose(review.event_combo, "account")
        assert [(r.outcome, r.obj) for r in shown(review)] == [("added operator", OTHER)]
        choose(review.event_combo, None)
        review.search_edit.setText("opr2")  # any column, any case: OPR2's logon and its adding
        assert {(r.operator, r.event) for r in shown(review)} == {
            ("OPR1", "account"),
            (OTHER, "logon"),
        }
        assert f"{len(shown(review))} of {len(everything)} records shown" in (
            review.count_label.text()
        )
        review.search_edit.clear()
        assert len(shown(review)) == len(everything)

        review.pick(last_quarter(datetime.now(UTC).date()))  # before today: nothing in it
        await wait_until(lambda: review.model.total == 0)
        assert review.operator_combo.count() == 1 and not review.export_button.isEnabled()
        review.week_button.click()
        await wait_until(lambda: review.model.total >= len(everything))
        reviews = await audited(opened, "audit", "reviewed")
        first, last = last_quarter(datetime.now(UTC).date())
        assert f"0 records {first}..{last}" in reviews  # the last day the review held


async def test_a_period_ending_before_it_starts_is_not_read(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        review = await opened_review(opened)
        reads = len(await audited(opened, "audit", "reviewed"))
        review.set_period(date(2025, 3, 9), date(2025, 3, 2))
        await review.load()
        assert review.status.text() == "The review period ends before it starts."
        assert len(await audited(opened, "audit", "reviewed")) == reads


async def test_the_chain_is_verified_then_named_broken_after_tampering(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        review = await opened_review(opened)
        count = await opened.session.store.audit_count()
        assert re.fullmatch(r"Audit chain verified: \d+ records", review.chain_label.text())
        assert int(review.chain_label.text().split()[3]) < count  # its own record came after
        assert VERIFIED in review.chain_label.styleSheet()

        tamper(profile.database_path, "UPDATE audit SET outcome = 'failure' WHERE seq = 2")
        await review.check_chain()
        assert review.chain_label.text() == "Audit chain BROKEN at record 2: contents changed"
        assert ALARM in review.chain_label.styleSheet()
        assert await audited(opened, "audit", "chain broken") == [
            "audit record 2: contents changed"
        ]


async def test_csv_export_writes_the_shown_rows_owner_only_and_is_audited(
    qtbot: QtBot, profile: Profile, tmp_path: Path
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        await with_a_second_operator(opened, profile)
        review = await opened_review(opened)
        choose(review.event_combo, "logon")
        rows = shown(review)
        assert len(rows) == 2 and review.model.total > len(rows)
        path = tmp_path / "review.csv"
        await review.export_csv(str(path))

        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with path.open(newline="", encoding="utf-8") as handle:
            header, *lines = list(csv.reader(handle))
        assert tuple(header) == CSV_FIELDS
        assert [int(line[0]) for line in lines] == [r.seq for r in rows]
        assert {line[5] for line in lines} == {"logon"}
        assert lines[0][1] == rows[0].at.isoformat(timespec="milliseconds")
        first, last = review.period or (None, None)
        assert await audited(opened, "audit", "exported") == [
            f"2 records to {path} ({first}..{last}; event logon)"
        ]
        assert "readable by you only" in review.status.text()


async def test_sign_off_is_audited_with_its_period(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        review = await opened_review(opened)
        week = last_days(datetime.now(UTC).date())
        assert review.period == week
        review.note_edit.setText("  weekly review, nothing irregular ")
        await review.sign_off()
        quarter = last_quarter(datetime.now(UTC).date())
        review.pick(quarter)
        await wait_until(lambda: review.period == quarter)
        await review.sign_off()
        assert await audited(opened, "audit", "review completed") == [
            f"{week[0]}..{week[1]}: weekly review, nothing irregular",
            f"{quarter[0]}..{quarter[1]}",
        ]
        assert (
            review.status.text() == f"Review of {quarter[0]}..{quarter[1]} recorded as completed."
        )
        assert review.note_edit.text() == ""


async def test_every_review_control_has_an_accessible_name(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        review = await opened_review(opened)
        assert review.isWindow() and review.isVisible()
        unnamed = [
            f"{type(w).__name__} {w.objectName()!r}"
            for w in review.findChildren(QWidget)
            if isinstance(w, CONTROLS)
            and w.window() is review
            and not isinstance(w.parent(), QComboBox | QAbstractItemView | QAbstractSpinBox)
            and not w.objectName().startswith("qt_")
            and not w.accessibleName()
        ]
        assert unnamed == []
        assert opened.window.supervisor.open_audit_review() is review  # raised, not doubled


def test_quick_picks_are_the_last_week_and_the_previous_quarter() -> None:
    assert last_days(date(2025, 3, 9)) == (date(2025, 3, 3), date(2025, 3, 9))
    assert last_quarter(date(2025, 5, 20)) == (date(2025, 1, 1), date(2025, 3, 31))
    assert last_quarter(date(2025, 1, 1)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert last_quarter(date(2025, 12, 31)) == (date(2025, 7, 1), date(2025, 9, 30))


def test_audit_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    at = datetime(2025, 3, 17, 9, 41, 7, 250_000, tzinfo=UTC)
    model = AuditModel()
    qtmodeltester.check(model)
    model.set_records(
        [
            AuditRecord(1, at, "DISPATCH-07", "OPR1", "WA0340000", "logon", "success", ""),
            AuditRecord(2, at, "DISPATCH-07", "OPR9", "WA0340000", "logon", "failure: x", ""),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "2025-03-17T09:41:07.25Z"
    model.set_filter("OPR9", None, "")
    assert model.rowCount() == 1 and model.index(0, 6).data() == "failure: x"
    qtmodeltester.check(model)


async def test_a_supervisor_demoted_meanwhile_exports_nothing(
    qtbot: QtBot, profile: Profile, tmp_path: Path
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        review = await opened_review(opened)
        store = opened.session.store
        await store.accounts.add("SUP2", "another long passphrase here", Role.SUPERVISOR)
        await store.accounts.set_role(opened.session.operator, Role.OPERATOR)  # as SUP2 would
        path = tmp_path / "review.csv"
        await review.export_csv(str(path))
        assert not path.exists()
        assert review.status.text().startswith("Not exported:")
        assert await audited(opened, "audit", "exported") == []

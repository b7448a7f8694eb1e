"""Hit confirmation (YQ) from a shown record to the switch's INTERPOL Washington desk: the
request prefilled, the 10-minute or 1-hour countdown on a stopped clock, the second and third
requests when it runs out, and the desk's YR answers settling it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.codes import Family, NoticeColour
from console.domain.messages import HitConfirmationRequest
from console.domain.records import PersonNotice
from console.gui.panels.confirmation_panel import ConfirmationPanel
from console.gui.shell.main_window import MainWindow
from console.protocol import xmlcodec
from console.storage.settings import Profile
from console.switch.confirmations import ConfirmationPolicy
from console.switch.dataset import Dataset
from tests.gui.windows import Opened, opened_window
from tests.helpers.desk import RecordedSleep
from tests.helpers.waiting import wait_until

HOLD_OVER = 20.0  # the desk's urgent answers (7 s) come at once; routine (30 s) ones on cue


class StoppedClock:
    """The panel's clock: time moves only when the test says so."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **amount: float) -> None:
        self.now += timedelta(**amount)


class HeldSleep(RecordedSleep):
    """The switch's clock: a delay longer than ``HOLD_OVER`` waits until ``release``."""

    def __init__(self) -> None:
        super().__init__()
        self.released = asyncio.Event()

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if delay > HOLD_OVER:
            await self.released.wait()
        await asyncio.sleep(0)


@pytest.fixture
def sleep() -> HeldSleep:
    return HeldSleep()


def wanted(dataset: Dataset) -> PersonNotice:
    return next(
        n for n in dataset if n.colour is NoticeColour.RED and n.date_of_birth and n.forename
    )


async def prefilled(
    window: MainWindow, eid: str, family: Family = Family.PERSON
) -> ConfirmationPanel:
    """Open the record and press its Confirm hit action, as the operator does."""
    await window.results.open_eid(eid, family)
    await wait_until(lambda: window.record_view.shown_record is not None)
    window.record_view.confirm_action.trigger()
    assert window.panel_tabs.currentWidget() is window.confirmation_panel
    return window.confirmation_panel


def choose(panel: ConfirmationPanel, prefix: str, code: str) -> None:
    box = panel.combos[prefix]
    box.setCurrentIndex(box.findData(code))


def countdown(panel: ConfirmationPanel) -> tuple[str, str]:
    return panel.countdown.text(), str(panel.countdown.property("state"))


async def sent_numbers(opened: Opened) -> list[int]:
    entries = await opened.session.store.outbox_entries()
    bodies = [xmlcodec.decode(e.request).body for e in entries]
    return sorted(b.number for b in bodies if isinstance(b, HitConfirmationRequest))


async def test_a_person_hit_prefills_the_request_and_the_desk_confirms_it(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset
) -> None:
    notice = wanted(dataset)
    async with opened_window(qtbot, desk_profile) as opened:
        panel = await prefilled(opened.window, notice.eid)
        assert panel.lines["DEST"].text() == "DCINTER00"
        assert panel.combos["RTY"].currentData() == "WP"
        assert panel.lines["NIC"].text() == notice.eid
        assert panel.lines["NAM"].text() == notice.nam
        assert panel.lines["DOB"].text() == f"{notice.date_of_birth:%Y%m%d}"
        assert panel.combos["SEX"].currentData() == notice.sex.value
        assert panel.form.isRowVisible(panel.lines["NAM"])
        assert not panel.form.isRowVisible(panel.lines["VIN"])
        assert panel.combos["RNO"].currentData() == "1"
        qtbot.keyClicks(panel.lines["OCA"], "24-001234")
        panel.send_button.click()
        await wait_until(lambda: countdown(panel)[1] == "answered")
        text = countdown(panel)[0]
        assert text.startswith(f"NIC/{notice.eid}: CONFIRMED. RECORD CONFIRMED: ACTIVE RED")
        assert panel.outstanding is None
        # The YR reaches the countdown (as an alert) and the record pane (as the answer) on
        # separate passes of the loop: wait for the pane too, then check what it says.
        banner = opened.window.record_view.banner
        await wait_until(lambda: banner.text().startswith("HIT CONFIRMATION ANSWER"))
        assert banner.text() == f"HIT CONFIRMATION ANSWER (YR) — NIC/{notice.eid}"


async def test_a_vehicle_hit_carries_its_vin_and_a_wrong_one_is_not_confirmed(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17)
    async with opened_window(qtbot, desk_profile) as opened:
        panel = await prefilled(opened.window, car.eid, Family.VEHICLE)
        assert panel.combos["RTY"].currentData() == "SV"
        assert panel.lines["VIN"].text() == car.vin
        assert panel.form.isRowVisible(panel.lines["VIN"])
        assert not panel.form.isRowVisible(panel.lines["NAM"])
        other = next(v.vin for v in dataset.vehicles if len(v.vin) == 17 and v.vin != car.vin)
        panel.lines["VIN"].setText(other)  # the car in front of the officer is another one
        panel.send_button.click()
        await wait_until(lambda: countdown(panel)[1] == "answered")
        assert countdown(panel)[0].startswith(f"NIC/{car.eid}: NOT CONFIRMED. NUMBER DOES NOT")


@pytest.mark.parametrize("policy", [ConfirmationPolicy(answer_from_request=2)])
async def test_urgent_request_counts_ten_minutes_then_the_second_request_is_answered(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset
) -> None:
    notice = wanted(dataset)
    clock = StoppedClock()
    async with opened_window(qtbot, desk_profile) as opened:
        panel = await prefilled(opened.window, notice.eid)
        panel.clock = clock
        choose(panel, "PRI", "U")
        due = clock.now + timedelta(minutes=10)
        panel.send_button.click()
        await wait_until(lambda: "answer due" in countdown(panel)[0])
        assert countdown(panel) == (
            f"NIC/{notice.eid} RNO/1 PRI/U: answer due by {due:%H:%M:%S} UTC — 10:00 left",
            "waiting",
        )
        clock.advance(minutes=9, seconds=30)
        panel.tick()
        assert countdown(panel)[0].endswith("— 0:30 left")
        assert panel.combos["RNO"].currentData() == "1"

        clock.advance(seconds=31)
        panel.tick()
        text, state = countdown(panel)
        assert state == "overdue"
        assert text == (
            f"NIC/{notice.eid}: no answer in time (10 min). The second request (RNO/2) is "
            "ready: press Enter to send it."
        )
        assert panel.combos["RNO"].currentData() == "2"
        assert panel.combos["PRI"].currentData() == "U"
        assert panel.lines["NIC"].text() == notice.eid and panel.lines["NAM"].text() == notice.nam
        assert panel.send_button.hasFocus()

        qtbot.keyClick(panel.send_button, Qt.Key.Key_Return)
        await wait_until(lambda: countdown(panel)[1] == "answered")
        assert countdown(panel)[0].startswith(f"NIC/{notice.eid}: CONFIRMED.")
        assert await sent_numbers(opened) == [1, 2]


@pytest.mark.parametrize("policy", [ConfirmationPolicy(answer_from_request=3)])
async def test_routine_request_counts_an_hour_up_to_a_third_request_then_says_call(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset, sleep: HeldSleep
) -> None:
    notice = wanted(dataset)
    clock = StoppedClock()
    async with opened_window(qtbot, desk_profile) as opened:
        panel = await prefilled(opened.window, notice.eid)
        panel.clock = clock
        choose(panel, "PRI", "R")
        for number, word in ((1, "second"), (2, "third")):
            panel.send_button.click()
            asked = f"RNO/{number} PRI/R"
            await wait_until(lambda: asked in countdown(panel)[0])  # noqa: B023 (awaited here)
            assert countdown(panel)[0].endswith("— 60:00 left")
            clock.advance(minutes=59)
            panel.tick()
            assert countdown(panel)[0].endswith("— 1:00 left")
            clock.advance(minutes=1, seconds=1)
            panel.tick()
            ready = f"(60 min). The {word} request (RNO/{number + 1}) is ready"
            assert ready in countdown(panel)[0]
            assert panel.combos["RNO"].currentData() == str(number + 1)

        panel.send_button.click()  # the third: the desk's answer is held back
        await wait_until(lambda: "RNO/3 PRI/R" in countdown(panel)[0])
        await wait_until(lambda: max(sleep.delays, default=0) > HOLD_OVER)
        clock.advance(hours=1, seconds=1)
        panel.tick()
        assert countdown(panel) == (
            f"NIC/{notice.eid}: no answer to the third request. Call INTERPOL Washington; "
            "do not act on the hit alone.",
            "overdue",
        )
        assert panel.combos["RNO"].currentData() == "3"  # no fourth request exists
        assert await sent_numbers(opened) == [1, 2, 3]

        sleep.released.set()  # a late answer still reaches the panel and settles it
        await wait_until(lambda: countdown(panel)[1] == "answered")
        assert countdown(panel)[0].startswith(f"NIC/{notice.eid}: CONFIRMED.")


@pytest.mark.parametrize("policy", [ConfirmationPolicy(pending_for=120)])
async def test_a_pending_answer_moves_the_deadline_and_the_follow_up_settles_it(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset, sleep: HeldSleep
) -> None:
    notice = wanted(dataset)
    clock = StoppedClock()
    async with opened_window(qtbot, desk_profile) as opened:
        window = opened.window
        panel = await prefilled(window, notice.eid)
        panel.clock = clock
        panel.send_button.click()
        await wait_until(lambda: "confirmation promised" in countdown(panel)[0])
        waiting = panel.outstanding
        assert waiting is not None and waiting.pending
        assert waiting.due > clock.now + timedelta(minutes=2)
        assert f"promised by {waiting.due:%H:%M:%S} UTC" in countdown(panel)[0]
        browser = window.record_view.browser  # the PENDING YR, shown on a later pass
        await wait_until(lambda: "Confirmation by" in browser.toPlainText())
        clock.advance(minutes=1)
        panel.tick()
        assert countdown(panel)[1] == "waiting"

        sleep.released.set()  # the desk's confirmation follows, unsolicited
        await wait_until(lambda: countdown(panel)[1] == "answered")
        assert countdown(panel)[0].startswith(f"NIC/{notice.eid}: CONFIRMED.")
        kinds = [alert.kind for alert in await opened.session.broker.alerts()]
        assert kinds.count("YR") == 2  # the pending answer and the confirmation, kept as alerts


@pytest.mark.parametrize("policy", [ConfirmationPolicy(answer_from_request=2)])
async def test_an_overdue_confirmation_is_seen_from_another_panel_without_taking_the_keyboard(
    qtbot: QtBot, desk_profile: Profile, dataset: Dataset
) -> None:
    notice = wanted(dataset)
    clock = StoppedClock()
    async with opened_window(qtbot, desk_profile) as opened:
        window = opened.window
        panel = await prefilled(window, notice.eid)
        panel.clock = clock
        choose(panel, "PRI", "U")
        panel.send_button.click()
        await wait_until(lambda: "answer due" in countdown(panel)[0])
        qtbot.keyClick(window, Qt.Key.Key_F2)  # back to work on another subject
        name = window.person_panel.name_edit
        qtbot.keyClicks(name, "SMITH, JO")
        clock.advance(minutes=10, seconds=1)
        panel.tick()
        at = window.panel_tabs.indexOf(panel)
        assert window.panel_tabs.tabText(at) == "YQ F6 — due"
        assert window.panel_tabs.tabBar().tabTextColor(at).name() == "#c62828"
        assert "second request (RNO/2) is ready" in window.status.currentMessage()
        assert name.hasFocus() and name.text() == "SMITH, JO"  # the keyboard stayed
        qtbot.keyClick(window, Qt.Key.Key_F6)
        assert window.panel_tabs.tabText(at) == "YQ F6"
        assert panel.combos["RNO"].currentData() == "2"

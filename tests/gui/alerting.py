"""Alerts made to arrive from the real switch: an AM typed at another agency's terminal, a
gateway outage; and a bell to hear the urgent ones by."""

from __future__ import annotations

from pathlib import Path

from console.gui.traffic.alert_dock import AlertDock
from console.gui.traffic.alert_model import AlertItem, AlertModel
from tests.gui.windows import Opened
from tests.helpers.desk import context_of, receive, send_line
from tests.helpers.network import ORI, OTHER_ORI, RunningSwitch, terminal
from tests.helpers.waiting import wait_until

ROLL_CALL = "ROLL CALL OF ALL TERMINALS AT 0900 UTC"


class Bell:
    """Where the tray's sound goes in a test: offscreen there is no speaker to listen to."""

    def __init__(self) -> None:
        self.rings = 0

    def __call__(self) -> None:
        self.rings += 1


async def admin_message(
    opened: Opened, switch: RunningSwitch, pki_dir: Path, text: str = ROLL_CALL
) -> None:
    """Oregon's terminal sends this one an AM (a normal alert), and it has arrived."""
    before = opened.window.alert_model.rowCount()
    await wait_until(lambda: switch.server.faults.linked >= 1)
    async with terminal(switch, context_of(pki_dir, OTHER_ORI, "T02")) as oregon:
        await send_line(oregon, f"AM.{OTHER_ORI}.{ORI}.TXT {text}")
        delivered = await receive(oregon)  # the switch's delivery note to the sender
    assert f"{ORI} DELIVERED" in delivered.response_text
    await wait_until(lambda: opened.window.alert_model.rowCount() == before + 1)


async def gateway_down(opened: Opened, switch: RunningSwitch) -> None:
    """The INTERPOL gateway goes out of service: Nlets sends status (an urgent alert)."""
    before = opened.window.alert_model.rowCount()
    await wait_until(lambda: switch.server.faults.linked >= 1)
    await switch.server.set_gateway(False)
    await wait_until(lambda: opened.window.alert_model.rowCount() == before + 1)


def selected(dock: AlertDock) -> AlertItem:
    item = dock.selected()
    assert item is not None, "no alert is selected"
    return item


def newest(model: AlertModel) -> AlertItem:
    item = model.newest()
    assert item is not None, "no alert is open"
    return item

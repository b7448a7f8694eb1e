"""Alerts from the real switch: the dock coloured by priority, acknowledgement (audited), alerts
kept across sessions until acknowledged, and a popup that never takes the keyboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.codes import NLETS_ORI
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import ALERT_COLOURS
from console.storage.settings import Profile
from console.switch.faults import GATEWAY_DOWN_TEXT
from tests.gui.alerting import ROLL_CALL, admin_message, gateway_down, newest, selected
from tests.gui.windows import audit_events, opened_window
from tests.helpers.network import OPERATOR, OTHER_ORI, RunningSwitch
from tests.helpers.waiting import wait_until


def row_texts(window: MainWindow) -> list[tuple[str, str]]:
    model = window.alert_model
    return [(model.data(model.index(r, 0)), model.data(model.index(r, 1))) for r in range(2)]


async def test_alerts_are_most_urgent_first_in_their_priority_colours(
    qtbot: QtBot, qtmodeltester: ModelTester, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtmodeltester.check(window.alert_model)
        await admin_message(opened, switch, pki_dir)
        await gateway_down(opened, switch)  # arrives later, listed first
        model = window.alert_model
        assert row_texts(window) == [
            ("URGENT", f"Status from {NLETS_ORI}"),
            ("NORMAL", f"Admin message from {OTHER_ORI}"),
        ]
        assert GATEWAY_DOWN_TEXT in model.data(model.index(0, 3))
        assert model.data(model.index(1, 3)) == ROLL_CALL
        background = Qt.ItemDataRole.BackgroundRole
        assert model.data(model.index(0, 0), background) == QColor(ALERT_COLOURS[0])
        assert model.data(model.index(1, 0), background) == QColor(ALERT_COLOURS[2])
        ink = model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
        assert ink == QColor("#ffffff")
        assert window.alert_dock.windowTitle() == "Alerts (2)"
        assert window.alert_dock.isVisible()
        assert window.status.alerts_label.text() == "⚠ 2 alerts"

        dock = window.alert_dock
        dock.select(model.item(1).id)
        qtbot.mouseClick(dock.open_button, Qt.MouseButton.LeftButton)  # read, not acknowledged
        assert ROLL_CALL in window.record_view.browser.toPlainText()
        assert f"from {OTHER_ORI}" in window.record_view.browser.toPlainText()
        assert model.rowCount() == 2


async def test_an_alert_stays_until_acknowledged_and_the_acknowledgement_is_audited(
    qtbot: QtBot, qtmodeltester: ModelTester, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtmodeltester.check(window.alert_model)
        await admin_message(opened, switch, pki_dir)
        await gateway_down(opened, switch)
        qtbot.mouseClick(window.tray.popup.hide_button, Qt.MouseButton.LeftButton)
        assert not window.tray.popup.isVisible()
        assert window.alert_model.rowCount() == 2  # hiding the popup acknowledges nothing
        dock = window.alert_dock
        dock.select(window.alert_model.item(1).id)  # the admin message
        admin_id = selected(dock).id
        qtbot.mouseClick(dock.acknowledge_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.alert_model.rowCount() == 1)
        assert dock.status.text() == f"Alert {admin_id} acknowledged."
        assert window.alert_model.item(0).kind == "SM"
        records = await opened.session.store.audit_records()
        assert [r.obj for r in records if r.outcome == "acknowledged"] == [f"{admin_id} AM"]
        still_open = await opened.session.broker.alerts()
        assert [a.kind for a in still_open] == ["SM"]

    async with opened_window(qtbot, profile) as opened:  # the next logon
        window = opened.window
        assert [item.kind for item in window.alert_model.items()] == ["SM"]
        assert window.tray.count == 1
        # nothing is acknowledged by a click before the operator picked a row
        assert not window.alert_dock.acknowledge_button.isEnabled()
        window.alert_dock.select(window.alert_model.item(0).id)
        qtbot.mouseClick(window.alert_dock.acknowledge_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.alert_model.rowCount() == 0)
        assert window.tray.count == 0 and window.status.alerts_label.text() == ""
        assert await opened.session.broker.alerts() == []
        records = await opened.session.store.audit_records()
        acknowledged = [r for r in records if r.event == "alert" and r.outcome == "acknowledged"]
        assert [r.obj.split()[1] for r in acknowledged] == ["AM", "SM"]
        assert {r.operator for r in acknowledged} == {OPERATOR}


async def test_an_alert_popup_never_takes_the_keyboard_from_a_form(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        name = window.person_panel.name_edit
        qtbot.keyClicks(name, "SMITH, JO")
        assert QApplication.focusWidget() is name
        await admin_message(opened, switch, pki_dir)
        popup = window.tray.popup
        assert popup.isVisible()
        assert popup.title.text() == f"Admin message from {OTHER_ORI}"
        # the window system tells of the popup's exposure after any activation it gave it
        await wait_until(lambda: popup.windowHandle().isExposed())
        await wait_until(
            lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is name,
            timeout=3,
        )
        assert name.text() == "SMITH, JO"
        qtbot.keyClicks(QApplication.focusWidget(), "HN")  # typing goes on where it was
        assert name.text() == "SMITH, JOHN"

        qtbot.mouseClick(popup.acknowledge_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.alert_model.rowCount() == 0)
        assert not popup.isVisible()
        assert QApplication.focusWidget() is name
        assert ("alert", "acknowledged") in await audit_events(opened)


async def test_the_popup_follows_what_is_still_open(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        popup = window.tray.popup
        await gateway_down(opened, switch)
        await admin_message(opened, switch, pki_dir)
        admin_id = newest(window.alert_model).id
        assert popup.alert_id == admin_id  # the newest: the AM
        assert popup.more.text() == "and 1 more open alert"
        window.alert_dock.select(admin_id)
        qtbot.mouseClick(window.alert_dock.acknowledge_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.alert_model.rowCount() == 1)
        # acknowledged in the dock: the popup now shows the alert still open, not the old one
        assert popup.isVisible()
        assert popup.alert_id == window.alert_model.item(0).id
        assert popup.title.text() == f"Status from {NLETS_ORI}"
        assert not popup.more.isVisible()
        assert popup.property("urgent") is True

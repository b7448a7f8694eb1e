"""The administrative message panel (AM) through the real switch: to another agency's terminal
and to INTERPOL Washington, with the switch's delivery status (SM) shown to the operator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.codes import MessageKey
from console.domain.messages import FreeText
from console.gui.panels.admin_panel import AdminPanel
from console.storage.settings import Profile
from tests.gui.windows import audit_events, opened_window
from tests.helpers.desk import context_of, receive, wait_linked
from tests.helpers.network import ORI, OTHER_ORI, RunningSwitch, terminal
from tests.helpers.waiting import wait_until

TEXT = "REQUEST CALLBACK ON NIC/2019/01234\nDESK SGT ON DUTY UNTIL 2300"


def write(qtbot: QtBot, panel: AdminPanel, destinations: str, text: str) -> None:
    panel.dest_edit.clear()
    qtbot.keyClicks(panel.dest_edit, destinations)
    panel.text_edit.setFocus()
    panel.text_edit.setPlainText(text)


async def test_am_to_an_agency_and_interpol_washington_shows_delivery_status(
    qtbot: QtBot, desk_profile: Profile, desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    async with (
        opened_window(qtbot, desk_profile) as opened,
        terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as other,
    ):
        await wait_linked(desk_switch, 2)
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_F7)
        panel = window.admin_panel
        assert window.panel_tabs.currentWidget() is panel
        write(qtbot, panel, f"{OTHER_ORI}, DCINTER00", TEXT)
        qtbot.keyClick(panel.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

        status = (
            f"AM TO {OTHER_ORI} DELIVERED (1 TERMINAL); DCINTER00 DELIVERED (INTERPOL WASHINGTON)"
        )
        await wait_until(lambda: panel.state_label.text() == status)
        viewer = window.record_view
        assert viewer.message is not None and viewer.message.key is MessageKey.SM
        assert status in viewer.browser.toPlainText()
        assert "Status message from NL0000000" in viewer.browser.toPlainText()
        assert not viewer.caution.isVisible() and not viewer.banner.isVisible()

        delivered = await receive(other)  # what the other agency's terminal got
        assert delivered.key is MessageKey.AM and delivered.header.origin == ORI
        assert isinstance(delivered.body, FreeText) and delivered.body.text == TEXT

        # INTERPOL Washington's duty desk acknowledges: it arrives as an alert of its own
        await wait_until(lambda: window.alert_model.rowCount() > 0)
        alerts = await opened.session.broker.alerts()
        assert [a.kind for a in alerts] == ["AM"]
        assert "INTERPOL WASHINGTON ACKNOWLEDGES" in window.alert_model.index(0, 3).data()
        assert ("query", "queued") in await audit_events(opened)


async def test_am_to_an_agency_offline_is_held_and_says_so(
    qtbot: QtBot, desk_profile: Profile, desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    async with opened_window(qtbot, desk_profile) as opened:
        panel = opened.window.admin_panel
        write(qtbot, panel, OTHER_ORI, "ARE YOU RECEIVING")
        panel.send_button.click()
        held = f"AM TO {OTHER_ORI} .02. USER OUT OF SERVICE FOR MSG TYPE, NLETS WILL FORWARD"
        await wait_until(lambda: panel.state_label.text() == held)
        async with terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as other:
            forwarded = await receive(other)  # delivered once the agency connects
            assert isinstance(forwarded.body, FreeText)
            assert forwarded.body.text == "ARE YOU RECEIVING"


async def test_the_preset_addresses_interpol_washington_and_a_bad_ori_names_its_rule(
    qtbot: QtBot, desk_profile: Profile
) -> None:
    async with opened_window(qtbot, desk_profile, linked=False) as opened:
        qtbot.keyClick(opened.window, Qt.Key.Key_F7)
        panel = opened.window.admin_panel
        write(qtbot, panel, "WA03400!0", "TEXT")
        assert panel.error_label.isVisible()
        assert panel.error_label.text().startswith("DEST: ")
        panel.send_button.click()
        assert panel.state_label.text() == ""  # nothing went out
        panel.preset.click()
        assert panel.dest_edit.text() == "DCINTER00" and not panel.error_label.isVisible()
        assert panel.text_edit.hasFocus()

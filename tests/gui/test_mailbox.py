"""The mailbox on the real switch: incoming, sent and saved folders, search by any words, and
an item opened to its answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.codes import INTERPOL_WASHINGTON_ORI
from console.domain.messages import CandidateList, Message
from console.gui.shell.main_window import MainWindow
from console.gui.traffic.mailbox_view import MailboxView
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.actions import listed, search_for, show, two_people
from tests.gui.alerting import ROLL_CALL, admin_message
from tests.gui.windows import opened_window
from tests.helpers.network import OTHER_ORI, RunningSwitch
from tests.helpers.waiting import wait_until


def click_row(qtbot: QtBot, mailbox: MailboxView, row: int) -> None:
    rect = mailbox.table.visualRect(mailbox.model.index(row, 3))
    qtbot.mouseClick(mailbox.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def shown_eids(window: MainWindow) -> list[str]:
    return [window.candidates.candidate(r).eid for r in range(window.candidates.rowCount())]


def eids_of(answer: Message) -> list[str]:
    assert isinstance(answer.body, CandidateList)
    return [candidate.eid for candidate in answer.body.candidates]


async def test_the_mailbox_files_searches_saves_and_opens(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    profile: Profile,
    switch: RunningSwitch,
    pki_dir: Path,
    dataset: Dataset,
) -> None:
    first, second = two_people(dataset)
    async with opened_window(qtbot, profile) as opened:
        window, mailbox = opened.window, opened.window.mailbox
        qtmodeltester.check(mailbox.model)
        answer = await search_for(qtbot, window, first)
        one, first_eids = answer.control, eids_of(answer)
        assert shown_eids(window) == first_eids
        two = (await search_for(qtbot, window, second)).control
        assert shown_eids(window) != first_eids
        await admin_message(opened, switch, pki_dir)
        window.mail_dock.raise_()

        assert listed(mailbox) == [  # incoming, newest first
            ("AM", OTHER_ORI, ""),
            ("IPR", INTERPOL_WASHINGTON_ORI, two),
            ("IPR", INTERPOL_WASHINGTON_ORI, one),
        ]
        assert mailbox.status.text() == "3 messages"
        unsolicited = mailbox.model.data(mailbox.model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
        assert unsolicited.startswith("unsolicited")
        assert mailbox.model.data(mailbox.model.index(0, 3)) == ROLL_CALL
        subject = mailbox.model.data(mailbox.model.index(2, 3))
        assert subject.startswith(f"{len(first_eids)} possible matches: ")

        show(qtbot, mailbox, "sent")
        assert listed(mailbox) == [("IPQ", "IP", two), ("IPQ", "IP", one)]
        show(qtbot, mailbox, "sent", first.split(",")[0])  # by the name asked
        assert listed(mailbox) == [("IPQ", "IP", one)]
        show(qtbot, mailbox, "incoming", OTHER_ORI)  # by the sender
        assert [row[0] for row in listed(mailbox)] == ["AM"]
        show(qtbot, mailbox, "incoming", f"ipr {one}")  # every word, any case
        assert listed(mailbox) == [("IPR", INTERPOL_WASHINGTON_ORI, one)]
        assert mailbox.status.text() == "1 message"

        click_row(qtbot, mailbox, 0)
        assert mailbox.save_button.isEnabled() and not mailbox.save_button.isChecked()
        qtbot.mouseClick(mailbox.save_button, Qt.MouseButton.LeftButton)
        assert mailbox.save_button.text() == "Saved"
        assert mailbox.model.data(mailbox.model.index(0, 0)).startswith("★ ")
        show(qtbot, mailbox, "saved")
        assert listed(mailbox) == [("IPR", INTERPOL_WASHINGTON_ORI, one)]

        qtbot.keyClick(mailbox.table, Qt.Key.Key_Home)
        qtbot.keyClick(mailbox.table, Qt.Key.Key_Return)  # opened: the older answer again
        await wait_until(lambda: shown_eids(window) == first_eids)
        click_row(qtbot, mailbox, 0)
        qtbot.mouseClick(mailbox.save_button, Qt.MouseButton.LeftButton)  # unsaved
        assert listed(mailbox) == [] and mailbox.status.text() == "0 messages"

        show(qtbot, mailbox, "incoming")
        click_row(qtbot, mailbox, 0)
        qtbot.keyClick(mailbox.table, Qt.Key.Key_Return)
        await wait_until(lambda: ROLL_CALL in window.record_view.browser.toPlainText())


async def test_the_saved_folder_survives_the_next_logon(
    qtbot: QtBot, profile: Profile, switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    first, _ = two_people(dataset)
    async with opened_window(qtbot, profile) as opened:
        window, mailbox = opened.window, opened.window.mailbox
        control = (await search_for(qtbot, window, first)).control
        await admin_message(opened, switch, pki_dir)
        window.mail_dock.raise_()
        show(qtbot, mailbox, "incoming")
        await wait_until(lambda: len(listed(mailbox)) == 2)
        for row in range(2):  # the answer and the unsolicited AM
            click_row(qtbot, mailbox, row)
            qtbot.mouseClick(mailbox.save_button, Qt.MouseButton.LeftButton)
        store = opened.session.store
        saved: set[str] = set()

        async def stored() -> None:  # the store writes come from the button's slot
            for _ in range(500):
                saved.update(await store.saved_mail())
                if len(saved) == 2:
                    return
                await asyncio.sleep(0.01)

        await stored()
        assert len(saved) == 2
    async with opened_window(qtbot, profile) as opened:  # the next logon
        mailbox = opened.window.mailbox
        show(qtbot, mailbox, "saved")
        await wait_until(lambda: len(listed(mailbox)) == 2)
        assert {row[0] for row in listed(mailbox)} == {"IPR", "AM"}
        assert ("IPR", INTERPOL_WASHINGTON_ORI, control) in listed(mailbox)

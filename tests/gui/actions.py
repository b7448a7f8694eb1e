"""What an operator does and sees in a panel, the queue and the mailbox, for their tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.messages import Message
from console.gui.shell.main_window import MainWindow
from console.gui.traffic.mailbox_view import MailboxView
from console.gui.traffic.queue_model import QueueModel
from console.switch.dataset import Dataset
from tests.helpers.waiting import wait_until


def ask(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Type a name into the person panel and press Enter."""
    qtbot.keyClicks(window.person_panel.name_edit, name)
    qtbot.keyClick(window.person_panel.name_edit, Qt.Key.Key_Return)


def choose(qtbot: QtBot, window: MainWindow, row: int) -> None:
    """Pick a row in the queue: the Queue tab, then a click on the row."""
    window.queue_dock.raise_()
    table = window.queue_view.table
    rect = table.visualRect(window.queue_view.model.index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.queue_view.selected() == window.queue_view.model.row(row)


def cells(model: QueueModel, row: int) -> list[str]:
    return [model.data(model.index(row, column)) for column in range(model.columnCount())]


def state(model: QueueModel, row: int) -> str:
    return model.data(model.index(row, 3))


def listed(mailbox: MailboxView) -> list[tuple[str, str, str]]:
    """Key, counterpart and control of each row as shown, top to bottom."""
    model = mailbox.model
    return [
        (
            model.data(model.index(r, 1)),
            model.data(model.index(r, 2)),
            model.data(model.index(r, 4)),
        )
        for r in range(model.rowCount())
    ]


def show(qtbot: QtBot, mailbox: MailboxView, folder: str, search: str = "") -> None:
    mailbox.show_folder(folder)
    mailbox.search.clear()
    qtbot.keyClicks(mailbox.search, search)


async def search_for(qtbot: QtBot, window: MainWindow, name: str) -> Message:
    """Ask by name from the person panel; the answer, once the panel has shown it."""
    answers: list[Message] = []

    def answered(query: Message, answer: Message) -> None:
        answers.append(answer)

    window.person_panel.answered.connect(answered)
    qtbot.keyClick(window.person_panel, Qt.Key.Key_Escape)
    ask(qtbot, window, name)
    await wait_until(lambda: answers)
    window.person_panel.answered.disconnect(answered)
    return answers[0]


def two_people(dataset: Dataset) -> tuple[str, str]:
    people = [n for n in dataset if n.forename and n.nam.isascii()]
    first = people[0]
    second = next(n for n in people if first.family_name not in n.nam)
    return first.nam, second.nam

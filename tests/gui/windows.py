"""The main window wired to a real session on the real switch, opened inside a test body."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from PySide6.QtWidgets import QDockWidget, QWidget
from pytestqt.qtbot import QtBot

from console.broker.session import Session
from console.domain.codes import LinkState
from console.gui.base.bridge import BrokerBridge
from console.gui.shell.composition import services_of
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from tests.helpers.network import OPERATOR, SECRET
from tests.helpers.waiting import wait_until


def ended(window: QWidget) -> None:
    """The test is over: the window closes without asking about the work it left pending."""
    assert isinstance(window, MainWindow)
    window.quit_now()


@dataclass
class Opened:
    window: MainWindow
    session: Session
    bridge: BrokerBridge


@asynccontextmanager
async def opened_window(
    qtbot: QtBot,
    profile: Profile,
    *,
    linked: bool = True,
    operator: str = OPERATOR,
    secret: str = SECRET,
    sample_names: Sequence[str] = (),
) -> AsyncIterator[Opened]:
    """The session opens inside the test: its link task must start on the running qasync loop
    (a task started in fixture set-up would first run while Qt processes events outside it)."""
    session = await Session.open(profile, operator, secret, watch=False)
    bridge = BrokerBridge(session.broker.events)
    window = MainWindow(
        services_of(session, session.settings_file), bridge, demo=True, sample_names=sample_names
    )
    qtbot.addWidget(window, before_close_func=ended)
    window.show()
    await window.load()
    try:
        if linked:
            await wait_until(lambda: session.broker.link_state is LinkState.UP)
        yield Opened(window, session, bridge)
    finally:
        bridge.detach()
        window.tray.close()
        await session.close()


def in_front(dock: QDockWidget) -> bool:
    """A tabbed dock whose tab is chosen (Qt moves the others out of sight)."""
    return not dock.visibleRegion().isEmpty()


async def audit_events(opened: Opened) -> list[tuple[str, str]]:
    return [(r.event, r.outcome) for r in await opened.session.store.audit_records()]

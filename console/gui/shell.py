"""The GUI's half of the composition: a session's parts seen through the GUI's ports, the look
applied, the bridge and the main window built, shown and filled with earlier work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication

from console.broker.session import Session
from console.gui.bridge import BrokerBridge
from console.gui.main_window import MainWindow
from console.gui.ports import Services, SettingsFile
from console.gui.theme import apply_theme
from console.gui.training import TrainingController
from console.scenario.model import Scenario


def services_of(session: Session, settings_file: SettingsFile | None = None) -> Services:
    broker = session.broker
    return Services(
        ori=broker.ori,
        operator=session.operator,
        queries=broker,
        records=broker,
        queue=broker,
        outbox=session.store,
        alerts=broker,
        audit=session.store,
        watch=session.watch_list,
        settings=session.settings,
        settings_file=settings_file,
    )


@dataclass
class Console:
    """The open console: its window and the bridge feeding it; ``close`` lets go of both."""

    window: MainWindow
    bridge: BrokerBridge

    def close(self) -> None:
        self.bridge.detach()
        self.window.tray.close()
        self.window.hide()


def open_console(
    app: QApplication,
    session: Session,
    *,
    demo: bool,
    sample_names: Sequence[str] = (),
    settings_file: SettingsFile | None = None,
    scenarios: Sequence[Scenario] = (),
    start_scenario: Callable[[Scenario], Awaitable[None]] | None = None,
) -> Console:
    """Build and show the main window on ``session``; earlier alerts and mail load after.

    A training profile (a classroom's) is marked DEMO like demo mode; ``scenarios`` are the
    exercises this console can follow, ``start_scenario`` starts one (demo mode only).
    """
    settings = session.settings
    apply_theme(app, settings.theme, settings.font_size)
    bridge = BrokerBridge(session.broker.events)
    training = None
    if scenarios:
        training = TrainingController(session.store, scenarios, start_scenario)
        bridge.alert_raised.connect(training.alert_raised)
    window = MainWindow(
        services_of(session, settings_file),
        bridge,
        demo=demo or settings.demo,
        sample_names=sample_names,
        training=training,
    )
    window.show()
    window.load()
    return Console(window, bridge)

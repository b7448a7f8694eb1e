"""The GUI's half of the composition: a session's parts seen through the GUI's ports, the look
applied, the bridge and the main window built, shown and filled with earlier work."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from console.broker.debrief import Scenario
from console.broker.read_side import ReadSide
from console.broker.session import Session
from console.domain.errors import ConsoleError
from console.gui.access.device_lock import DeviceLock
from console.gui.base.bridge import BrokerBridge
from console.gui.base.ports import Services, SettingsFile
from console.gui.results.render import country_name, language_name
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import apply_theme
from console.gui.training.exercise import TrainingController

log = logging.getLogger(__name__)


def services_of(session: Session, settings_file: SettingsFile | None = None) -> Services:
    broker = session.broker
    return Services(
        ori=broker.ori,
        operator=session.operator,
        queries=broker,
        records=broker,
        queue=broker,
        traffic=ReadSide(broker),
        alerts=broker,
        audit=session.store,
        watch=session.watch_list,
        settings=session.settings,
        access=session.access,
        accounts=session.accounts,
        audit_review=session.audit_review,
        settings_file=settings_file,
        layouts=session.layouts,
    )


@dataclass
class Console:
    """The open console: its window, the bridge feeding it and the device lock guarding it;
    ``close`` lets go of all three."""

    window: MainWindow
    bridge: BrokerBridge
    device_lock: DeviceLock

    def close(self) -> None:
        try:  # first, while every part of the window is still in place
            self.window.remember_layout()
        except ConsoleError as exc:  # a convenience lost, never a logoff refused
            log.warning("%s", exc)
        self.device_lock.stop()
        self.bridge.detach()
        self.window.tray.close()
        self.window.hide()

    def dispose(self) -> None:
        """After the session closed (no read of it is left to land in a view): nothing of it
        stays behind, not even hidden."""
        self.window.deleteLater()


def guard(window: MainWindow, session: Session, *, hint: str = "") -> DeviceLock:
    """The device lock of ``window``: idle time from the settings (a demo never locks by
    itself), Ctrl+L, and the 12 hours since the operator last proved who they are."""
    settings = session.settings
    store = session.store
    device_lock = DeviceLock(
        session.authenticate,
        operator=session.operator,
        codes=lambda: session.uses_codes,
        idle_minutes=0 if settings.demo else settings.lock_minutes,
        expired=lambda: session.access.expired,
        audit=lambda outcome, reason: store.audit("device", outcome, reason),
        standing=session.check_standing,
        demo=settings.demo,
        hint=hint,
        parent=window,
    )
    window.lock_requested.connect(lambda: device_lock.lock("locked by the operator"))
    device_lock.locked.connect(lambda _: window.tray.set_locked(True))
    device_lock.unlocked.connect(lambda: window.tray.set_locked(False))
    model = window.alert_model

    def count() -> None:
        device_lock.alerts_waiting(model.rowCount())

    for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
        signal.connect(count)
    count()
    device_lock.start()
    return device_lock


def open_console(
    app: QApplication,
    session: Session,
    *,
    demo: bool,
    sample_names: Sequence[str] = (),
    settings_file: SettingsFile | None = None,
    scenarios: Sequence[Scenario] = (),
    start_scenario: Callable[[Scenario], Awaitable[None]] | None = None,
    lock_hint: str = "",
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
    window.restore_layout()  # this operator's sizes from their last logoff
    window.load()
    QTimer.singleShot(0, warm_code_tables)  # after the first paint, before the first record
    return Console(window, bridge, guard(window, session, hint=lock_hint))


def warm_code_tables() -> None:
    """pycountry reads its tables on first use, some 20 ms: not while a record is opening."""
    language_name("ENG")
    country_name("US")

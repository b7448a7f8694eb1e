"""The main window: query panels and command line, results and viewer, the queue, mailbox and
alert docks, the tray, menus and status bar. It wires the parts; each part does its own work."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.events import AlertRaised, AnswerReceived, LinkStateChanged
from console.broker.profile import Settings
from console.domain.access import Permission
from console.domain.codes import Family, MessageKey
from console.domain.errors import ConsoleError
from console.domain.hits import Record, confirmation_values
from console.domain.messages import CandidateList, Message, ObjectList, RecordInquiry
from console.gui.base.bridge import BrokerBridge
from console.gui.base.ports import Services
from console.gui.base.presenter import present
from console.gui.base.widgets import label
from console.gui.panels.admin_panel import AdminPanel
from console.gui.panels.command_line import CommandLine
from console.gui.panels.confirmation_panel import ConfirmationPanel
from console.gui.panels.form import QueryForm
from console.gui.panels.object_panels import DocumentPanel, GunPanel, VehiclePanel
from console.gui.panels.person_panel import PersonPanel
from console.gui.results.record_actions import RecordActions
from console.gui.results.results_pane import ResultsPane
from console.gui.shell import window_layout
from console.gui.shell.quitting import WAITING_STATES, confirm_quit, pending_work
from console.gui.shell.settings_dialog import SettingsDialog
from console.gui.shell.status import StatusBar
from console.gui.shell.theme import apply_theme
from console.gui.shell.tray import AlertTray
from console.gui.supervisor.supervisor import SupervisorWindows
from console.gui.traffic.alert_dock import AlertDock
from console.gui.traffic.alert_model import AlertItem, AlertModel
from console.gui.traffic.mailbox_view import MailboxView
from console.gui.traffic.queue_view import QueueView
from console.gui.training.exercise import ScenarioDialog, TrainingController

DEMO_TEXT = "DEMO — TRAINING DATA ONLY — SYNTHETIC PEOPLE — NOT FOR OPERATIONAL USE"
PANEL_KEYS = ("F2", "F3", "F4", "F5", "F6", "F7")
DEADLINE_INK = "#c62828"  # the YQ tab's text when a confirmation is overdue


class MainWindow(QMainWindow):
    quit_requested = Signal()  # File > Quit or the tray's Quit: the application ends
    logoff_requested = Signal()  # File > Log off: the session ends, the logon screen returns
    lock_requested = Signal()  # File > Lock (Ctrl+L): the device lock hides everything

    def __init__(
        self,
        services: Services,
        bridge: BrokerBridge,
        *,
        demo: bool,
        sample_names: Sequence[str] = (),
        training: TrainingController | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.training = training
        self.settings = services.settings
        self._quitting = False
        self.quit_question: QMessageBox | None = None  # asked when quitting with work pending
        self.setWindowTitle(("DEMO — " if demo else "") + "INTERPOL Dispatch Console")
        desk = services.queries
        self.person_panel = PersonPanel(desk)
        self.vehicle_panel = VehiclePanel(desk)
        self.document_panel = DocumentPanel(desk)
        self.gun_panel = GunPanel(desk)
        self.confirmation_panel = ConfirmationPanel(desk)
        self.admin_panel = AdminPanel(desk)
        self.panels: list[QueryForm] = [
            self.person_panel,
            self.vehicle_panel,
            self.document_panel,
            self.gun_panel,
            self.confirmation_panel,
            self.admin_panel,
        ]
        self.panel_tabs = QTabWidget()
        self.panel_tabs.setDocumentMode(True)  # flat tabs: all six fit beside the results
        self.panel_tabs.setObjectName("panelTabs")
        self.panel_tabs.setAccessibleName("Query panels")
        names = ("Person", "Vehicle", "Document", "Gun", "YQ", "AM")
        for panel, name, key in zip(self.panels, names, PANEL_KEYS, strict=True):
            at = self.panel_tabs.addTab(panel, f"{name} {key}")
            self.panel_tabs.setTabToolTip(at, f"{panel.title()} — {key}")
            panel.order_tabs()
            panel.answered.connect(self._answered)
            panel.query_sent.connect(self._query_sent)
        self.command_line = CommandLine(desk.compose)
        self.results = ResultsPane(services.records, sample_names)
        self.record_view = self.results.viewer
        self.candidates = self.results.candidates
        self.record_actions = RecordActions(
            self.record_view,
            audit=services.audit,
            watch=services.watch,
            composer=desk.compose,
            operator=services.operator,
            demo=demo,
            parent=self,
        )

        # the list under the panels that fill it, the record beside both: the record gets the
        # width its warrants and description need, the form column no empty space
        asking = QSplitter(Qt.Orientation.Vertical)
        asking.setObjectName("askingColumn")
        asking.addWidget(self.panel_tabs)
        asking.addWidget(self.results.list_box)
        asking.setChildrenCollapsible(False)  # neither the form nor the list can vanish
        asking.setStretchFactor(0, 0)  # a taller window lengthens the list, not the form
        asking.setStretchFactor(1, 1)
        self.asking = asking
        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(asking)
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([600, 660])  # room for the six panel tabs and the list's columns
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)  # on a 1280x800 screen every row counts
        layout.setSpacing(4)
        self.demo_banner = label(DEMO_TEXT, "demoBanner", accessible="Demo mode")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setVisible(demo)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.command_line)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.alert_model = AlertModel(self)
        self.alert_dock = AlertDock(services.alerts, self.alert_model, self)
        self.queue_view = QueueView(services.queue, services.traffic, bridge)
        self.mailbox = MailboxView(services.traffic, bridge)
        self.queue_dock = self._dock("Queue", "queueDock", self.queue_view)
        self.mail_dock = self._dock("Mailbox", "mailDock", self.mailbox)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alert_dock)
        self.tabifyDockWidget(self.alert_dock, self.queue_dock)
        self.tabifyDockWidget(self.queue_dock, self.mail_dock)
        self.alert_dock.raise_()
        for dock in (self.alert_dock, self.queue_dock, self.mail_dock):
            # the title runs down the side: the docks span the width, height is what is short
            dock.setFeatures(
                dock.features() | QDockWidget.DockWidgetFeature.DockWidgetVerticalTitleBar
            )
        self.tray = AlertTray(self.alert_model, sounds=self.settings.sounds, parent=self)
        self.status = StatusBar(services, bridge, self.alert_model, demo=demo)
        self.setStatusBar(self.status)
        if training is not None:
            training.setParent(self)
            self.status.addPermanentWidget(training.clock_label)
            training.failed.connect(lambda text: self.status.showMessage(text, 15000))
        self._menus()
        self._wire(bridge)
        self.person_panel.name_edit.setFocus()
        window_layout.fit_to(self, self.screen().availableGeometry())
        self._column_shared = False
        self._lent = 0  # px the list lent a tall form (a YQ), given back with another panel

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if not self._column_shared:  # once: later the operator's own sizes stand
            self._column_shared = True
            window_layout.first_layout(self, self.asking, self.panel_tabs)

    def _room_for_panel(self) -> None:
        if self._column_shared:  # not before the window is laid out
            self._lent = window_layout.lend(self.asking, self.panel_tabs, self._lent)

    def _split_by_hand(self) -> None:
        self._lent = 0  # the operator's own split from now on

    def remember_layout(self) -> None:
        """Keep this operator's splitter and dock sizes for their next logon."""
        if self.services.layouts is not None:
            self.services.layouts.save(self.services.operator, window_layout.capture(self))

    def restore_layout(self, available: QRect | None = None) -> None:
        """This operator's sizes from their last logoff, clamped to ``available`` (the free
        area of the window's screen unless given)."""
        if self.services.layouts is None:
            return
        saved = self.services.layouts.load(self.services.operator)
        if saved:
            self._column_shared = True  # the operator's sizes, not the defaults
            window_layout.restore(self, saved, available or self.screen().availableGeometry())

    def _dock(self, title: str, name: str, body: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(body)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Settings…", "Ctrl+,", self.open_settings)
        self._action(file_menu, "&Print record…", "Ctrl+Shift+P", self.record_view.print_requested)
        self._action(file_menu, "&Export record to PDF…", "Ctrl+E", self.record_view.pdf_requested)
        file_menu.addSeparator()
        self._action(file_menu, "&Lock", "Ctrl+L", self.lock_requested.emit)
        self._action(file_menu, "Log &off", "Ctrl+Shift+L", self.logoff_requested.emit)
        self._action(file_menu, "&Quit", "Ctrl+Q", self.quit)
        go = bar.addMenu("&Go")
        for at, key in enumerate(PANEL_KEYS):
            title = self.panel_tabs.tabText(at).rsplit(" ", 1)[0]
            self._action(go, f"{title} panel", key, lambda _=False, at=at: self.show_panel(at))
        self._action(go, "Command &line", "Ctrl+K", self.focus_command_line)
        self._action(go, "&Results", "Ctrl+R", self.results.table.setFocus)
        alerts = bar.addMenu("&Alerts")
        self._action(alerts, "&Go to alerts", "Ctrl+Shift+A", self.show_alerts)
        desk = self.alert_dock
        self._action(alerts, "&Acknowledge selected", "Ctrl+Shift+K", desk.acknowledge_selected)
        self._action(alerts, "&Open selected", "Ctrl+Shift+O", desk.open_selected)
        view = bar.addMenu("&View")
        for dock in (self.alert_dock, self.queue_dock, self.mail_dock):
            view.addAction(dock.toggleViewAction())
        self._action(view, "&Legacy text", "Ctrl+T", self.record_view.legacy_action.toggle)
        if self.training is not None:
            training = bar.addMenu("&Training")
            if self.training.can_start:
                self._action(training, "&Start a scenario…", "Ctrl+Shift+S", self.pick_scenario)
            self._action(training, "&Finish and debrief", "Ctrl+Shift+D", self.debrief)
        self.supervisor = SupervisorWindows(
            self.services.access, self.services.accounts, self.services.audit_review, self
        )
        if self.supervisor.may_review or self.supervisor.may_manage:  # the desks check too
            supervisor = bar.addMenu("&Supervisor")
            if self.supervisor.may_review:
                self._action(supervisor, "&Audit review…", "", self.supervisor.open_audit_review)
            if self.supervisor.may_manage:
                self._action(supervisor, "Operator &accounts…", "", self.supervisor.open_accounts)
        QShortcut(QKeySequence("Ctrl+P"), self, lambda: self.show_panel(0))

    def _action(self, menu: object, text: str, key: str, slot: object) -> QAction:
        action = menu.addAction(text)  # type: ignore[attr-defined]
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    def _wire(self, bridge: BrokerBridge) -> None:
        bridge.answer_received.connect(self._on_answer)
        bridge.query_queued.connect(self.results.query_queued)  # a YQ's control, once chosen
        bridge.link_state_changed.connect(self._link_changed)  # a method: gone with the window
        bridge.alert_raised.connect(self.alert_model.on_raised)  # the model first, then the tray
        bridge.alert_raised.connect(self.tray.alert_raised)
        bridge.alert_raised.connect(self._on_alert)
        bridge.alert_acknowledged.connect(self.alert_model.on_acknowledged)
        self.command_line.entered.connect(self.send_line)
        self.record_view.confirm_requested.connect(self.confirm_hit)
        self.confirmation_panel.deadline_passed.connect(self._deadline_passed)
        self.panel_tabs.currentChanged.connect(self._panel_shown)
        self.panel_tabs.currentChanged.connect(self._room_for_panel)
        self.asking.splitterMoved.connect(self._split_by_hand)
        self.record_actions.done.connect(lambda text: self.status.showMessage(text, 15000))
        self.mailbox.opened.connect(self.results.show_answer)
        self.alert_dock.opened.connect(self.open_alert)
        self.tray.show_requested.connect(self.show_console)
        self.tray.quit_requested.connect(self.quit)
        self.tray.alert_chosen.connect(self.show_alert)
        self.tray.acknowledge_requested.connect(self.acknowledge_alert)

    @asyncSlot()
    async def load(self) -> None:
        """What earlier work left: open alerts, the outbox, the mailbox (read once, shared)."""
        try:
            traffic = await self.services.traffic.traffic()
        except ConsoleError as exc:
            present(self.status, "Earlier alerts and messages could not be read", exc)
            return
        self.alert_model.load(traffic.open_alerts)
        # awaited: once load() ends everything is shown, and no read outlives the session
        await asyncio.gather(self.queue_view.load(), self.mailbox.load())

    # answers and lines

    def _answered(self, query: Message, answer: Message) -> None:
        self.results.show_answer(answer, query=query)

    def _query_sent(self, query: Message) -> None:
        self.results.query_started(query)

    def _link_changed(self, event: LinkStateChanged) -> None:
        self.results.refresh_note()  # a cached record's reason follows the link
        for panel in self.panels:  # so does a waiting query's wording in its panel
            panel.link_changed(event.state)

    def _on_answer(self, event: AnswerReceived) -> None:
        """A stale cached answer is shown at once, marked, while the panel's query runs."""
        stale = event.from_cache and event.age is not None and event.stale
        if stale and isinstance(event.answer.body, CandidateList | ObjectList):
            self.results.show_answer(event.answer, cached_age=event.age, query=event.query)

    def panel_for(self, key: MessageKey) -> QueryForm:
        if key is MessageKey.YQ:
            return self.confirmation_panel
        if key is MessageKey.AM:
            return self.admin_panel
        family = key.family or Family.PERSON
        return self.panels[list(Family).index(family)]

    def send_line(self, message: Message) -> None:
        """A typed line: shown in its panel and sent from there (a full record opens)."""
        panel = self.panel_for(message.key)
        self.panel_tabs.setCurrentWidget(panel)
        if not isinstance(message.body, RecordInquiry):
            panel.fill(message)
        self._send_line(message)

    @asyncSlot(object)
    async def _send_line(self, message: Message) -> None:
        if isinstance(message.body, RecordInquiry):
            await self.results.open_eid(message.body.eid, message.key.family or Family.PERSON)
        else:
            await self.panel_for(message.key).send(message)

    def _deadline_passed(self, what: str) -> None:
        """A hit confirmation ran out of time: seen wherever the operator is working, without
        taking the keyboard from the panel they type in."""
        at = self.panel_tabs.indexOf(self.confirmation_panel)
        if self.panel_tabs.currentIndex() != at:
            self.panel_tabs.tabBar().setTabTextColor(at, QColor(DEADLINE_INK))
            self.panel_tabs.setTabText(at, f"YQ {PANEL_KEYS[at]} — due")
        self.status.showMessage(what, 60_000)
        self.tray.notify("Hit confirmation overdue", what)

    def _panel_shown(self, at: int) -> None:
        if self.panel_tabs.widget(at) is self.confirmation_panel:
            self.panel_tabs.tabBar().setTabTextColor(at, QColor())
            self.panel_tabs.setTabText(at, f"YQ {PANEL_KEYS[at]}")

    def confirm_hit(self, record: Record) -> None:
        self.confirmation_panel.prefill(confirmation_values(record))
        self.panel_tabs.setCurrentWidget(self.confirmation_panel)

    # alerts

    def _on_alert(self, event: AlertRaised) -> None:
        message = event.message
        if message is not None and message.key is MessageKey.YR:
            self.confirmation_panel.confirmation_received(message)
        if self.tray.locked:
            return  # the lock screen counts it; nothing of it shows until unlocked
        if not self.alert_dock.isVisible():
            self.alert_dock.show()
        self.alert_dock.raise_()  # raised, not focused: typing goes on where it was
        if self.isHidden():
            self.tray.notify("New alert", "Open the console to read it.")

    def open_alert(self, item: AlertItem) -> None:
        if item.message is not None:
            self.results.show_answer(item.message)
        else:
            self.record_view.show_placeholder(item.text)

    def show_alert(self, alert_id: int) -> None:
        """Chosen in the popup or the tray: the console shows the alert's message itself."""
        self.show_console()
        self.show_alerts()
        self.alert_dock.select(alert_id)
        if (item := self.alert_dock.selected()) is not None and item.id == alert_id:
            self.open_alert(item)

    def show_alerts(self) -> None:
        self.alert_dock.focus_table()

    @asyncSlot(int)
    async def acknowledge_alert(self, alert_id: int) -> None:
        await self.alert_dock.acknowledge(alert_id)

    # training

    def pick_scenario(self) -> ScenarioDialog:
        assert self.training is not None
        return self.training.pick(self)

    @asyncSlot()
    async def debrief(self) -> None:
        if self.training is not None:
            await self.training.finish()

    # keys, settings, closing

    def show_panel(self, at: int) -> None:
        self.panel_tabs.setCurrentIndex(at)
        self.panels[at].focus_first()

    def focus_command_line(self) -> None:
        self.command_line.edit.setFocus()
        self.command_line.edit.selectAll()

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(
            self.settings,
            settings_file=self.services.settings_file,
            unsaved_because=(
                "only a supervisor saves the settings"
                if not self.services.access.allows(Permission.SETTINGS)
                else "this demo's profile is removed at exit"
            ),
            audit=self.services.audit,
            parent=self,
        )
        dialog.applied.connect(self.apply_settings)
        dialog.open()  # never exec() inside the loop
        return dialog

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, settings.theme, settings.font_size)
        self.tray.set_sounds(settings.sounds)
        self.status.showMessage("Settings saved (and recorded in the audit trail).", 10000)

    def show_console(self) -> None:
        """Asked for by the operator (tray): the window comes back to the front (not while
        the device is locked: then only the lock screen opens it)."""
        if self.tray.locked:
            return
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def quit(self) -> None:
        """Quit at once when nothing is pending; otherwise ask first (see ``pending``)."""
        pending = self.pending()
        if pending and not self._quitting:
            self.show_console()  # asked from the tray: the question comes with its console
            self.quit_question = confirm_quit(self, pending, self.quit_now)
            return
        self.quit_now()

    def pending(self) -> list[str]:
        """What quitting now would leave undone, in the operator's words."""
        queue = self.queue_view.model
        waiting = sum(queue.row(at).state in WAITING_STATES for at in range(queue.rowCount()))
        running = self.training is not None and self.training.running
        return pending_work(self.alert_model.rowCount(), waiting, running)

    def quit_now(self) -> None:
        self._quitting = True
        self.tray.close()
        self.quit_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window keeps the console running in the tray; quitting is explicit."""
        if not self._quitting and not self.tray.available:
            self.quit()  # nowhere to keep running: closing is quitting, confirmed if pending
            if not self._quitting:
                event.ignore()  # the window stays while the operator decides
                return
        if self._quitting:
            super().closeEvent(event)
            return
        event.ignore()
        self.hide()
        self.tray.notify(
            "The console is still running",
            "Alerts keep coming to the tray. Use Quit in its menu to end the session.",
        )

"""The status bar: link state, queue depth, open alerts, operator, ORI and the DEMO tag."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QStatusBar, QWidget

from console.broker.events import (
    CenterState,
    CenterStateChanged,
    LinkStateChanged,
    QueryFailed,
    QueryStillWaiting,
    QueueChanged,
    StorageFailed,
)
from console.broker.link_words import plain_link_problem
from console.domain.codes import LinkState
from console.gui.base.bridge import BrokerBridge
from console.gui.base.ports import Services
from console.gui.base.widgets import label
from console.gui.shell.theme import LINK_COLOURS
from console.gui.traffic.alert_model import AlertModel


class StatusBar(QStatusBar):
    def __init__(
        self,
        services: Services,
        bridge: BrokerBridge,
        alerts: AlertModel,
        *,
        demo: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._records = services.records
        self._switch = f"{services.settings.switch_host}:{services.settings.switch_port}"
        self._problem = ""  # the last reason the link went down, until it is up again
        self._alerts = alerts
        self.link_label = label("", "linkState", accessible="Link state")
        self.queue_label = label("Queue empty", "queueDepth", accessible="Queue depth")
        self.alerts_label = label("", "alertCount", accessible="Open alerts")
        # empty on a PC alone: only a position's forwarder publishes the centre's state
        self.center_label = label("", "centerState", accessible="Centre")
        self.addPermanentWidget(self.center_label)
        self.addPermanentWidget(self.alerts_label)
        self.addPermanentWidget(self.queue_label)
        self.addPermanentWidget(self.link_label)
        self.addPermanentWidget(label(f"Operator {services.operator}", "operator"))
        self.addPermanentWidget(label(f"ORI {services.ori}", "ori"))
        if demo:
            self.addPermanentWidget(label("DEMO", "demoTag"))
        self.show_link_state(LinkStateChanged(services.records.link_state, ""))
        bridge.link_state_changed.connect(self.show_link_state)
        bridge.queue_changed.connect(self.show_queue)
        bridge.query_failed.connect(self.show_failure)
        bridge.query_still_waiting.connect(self.show_still_waiting)
        bridge.storage_failed.connect(self.show_storage_failure)
        bridge.center_state_changed.connect(self.show_center)
        for signal in (alerts.rowsInserted, alerts.rowsRemoved, alerts.modelReset):
            signal.connect(self.show_alerts)
        self.show_alerts()

    def show_link_state(self, event: LinkStateChanged) -> None:
        state = event.state.value
        colour = LINK_COLOURS.get(state, "#777")
        text = f"<span style='color:{colour}'>●</span> Link {state}"
        # the trouble is said where the operator looks, not only on hover, and stays in view
        # while the link tries again
        if event.state is LinkState.DOWN:
            self._problem = plain_link_problem(event.detail, self._switch)
        elif event.state is LinkState.UP:
            self._problem = ""
        if self._problem:
            problem = html.escape(self._problem)
            text += f": {problem}" if event.state is LinkState.DOWN else f" (last try: {problem})"
        self.link_label.setText(text)
        self.link_label.setToolTip(event.detail or f"link to the switch is {state}")

    def show_queue(self, event: QueueChanged) -> None:
        if not event.queued and not event.in_flight:
            self.queue_label.setText("Queue empty")
            return
        text = f"Queue {event.queued} · in flight {event.in_flight}"
        if event.queued and self._records.link_state is not LinkState.UP:
            text += " — held until the link returns"
        self.queue_label.setText(text)

    def show_alerts(self) -> None:
        count = self._alerts.rowCount()
        self.alerts_label.setText(f"⚠ {count} alert{'s' if count != 1 else ''}" if count else "")

    def show_still_waiting(self, event: QueryStillWaiting) -> None:
        seconds = int(event.waited.total_seconds())
        self.showMessage(
            f"Query {event.control} still waiting after {seconds} s; its answer will be kept",
            30000,
        )

    def show_failure(self, event: QueryFailed) -> None:
        self.showMessage(f"Query {event.control}: {event.reason}", 15000)

    def show_storage_failure(self, event: StorageFailed) -> None:
        # Kept until the next message: a full disk does not fix itself.
        self.showMessage(f"Answer to {event.control} not stored: {event.reason}")

    def show_center(self, event: CenterStateChanged) -> None:
        if event.state is CenterState.ALARM:
            text = "Centre: AUDIT ALARM, forwarding stopped"
        elif event.state is CenterState.UNREACHABLE:
            text = f"Centre unreachable, {event.waiting} records waiting"
        else:
            text = "Centre: up" if not event.waiting else f"Centre: {event.waiting} records waiting"
        self.center_label.setText(text)
        self.center_label.setToolTip(event.detail or text)

"""The audit review's centre part, at a position of a centre: the workstation filter (the
centre's positions), each position's chain, and the banner when the centre cannot be read
or holds one of this position's records differently (its trail altered: an alarm, with the
centre's records still shown). On a lone PC every part stays hidden, so its review looks and
reads as it always did."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from console.broker.review_desk import CenterChains, PositionChain, TrailRead
from console.gui.base.widgets import caption_for, label, named, refill

ALL_POSITIONS = "(all positions)"
UNREACHABLE = "Centre unreachable: showing this position's own trail only."
ALTERED = "CHAIN BROKEN: the centre's audit trail was altered"


class CenterScope:
    """Owned by the review window, which lays its widgets out; ``shown`` after each read."""

    def __init__(self, alarm: str, verified: str) -> None:
        self._alarm, self._verified = alarm, verified
        self.center = ""  # where the centre is, while the records shown are its own
        self.unreachable = ""  # why the last read is this position's own trail
        self.altered = ""  # the record the centre holds differently, at the last read
        self.positions: list[str] = []  # the centre's positions, as it last listed them
        self.banner = label("", "centerBanner", wrap=True, accessible="Centre status")
        self.banner.setStyleSheet(f"color: {alarm}; font-weight: bold;")
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.workstation_combo = named(QComboBox(), "auditWorkstation", "Workstation filter")
        self.workstation_caption = caption_for("&Workstation", self.workstation_combo)
        self.chains_label = label(
            "", "positionChains", wrap=True, accessible="Each position's audit chain"
        )
        self.chains_label.setTextFormat(Qt.TextFormat.RichText)
        self._fill([])
        for widget in self.widgets():
            widget.hide()

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.banner, self.workstation_caption, self.workstation_combo, self.chains_label)

    @property
    def workstation(self) -> str | None:
        """The one position chosen, or None for all of them."""
        data = self.workstation_combo.currentData()
        return data if isinstance(data, str) else None

    def shown(self, read: TrailRead) -> None:
        """What the last read was: the centre's records, or this position's own and why."""
        self.center, self.unreachable = read.center, read.unreachable
        self.altered = read.altered
        self.positions = list(read.positions)
        position = read.at_center or bool(read.unreachable)
        self.workstation_caption.setVisible(position)
        self.workstation_combo.setVisible(position)
        self.chains_label.setVisible(read.at_center)
        self.workstation_combo.setEnabled(read.at_center)
        self._fill(self.positions)
        if read.altered:
            self.show_altered(read.altered)
            return
        self.banner.setVisible(bool(read.unreachable))
        self.banner.setText(f"{UNREACHABLE} ({read.unreachable})" if read.unreachable else "")

    def show_altered(self, altered: str) -> None:
        """The centre holds one of this position's records differently: the alarm, naming
        the workstation and the record (this position's newest records were not sent)."""
        self.altered = altered
        self.banner.setText(
            f"{ALTERED} ({altered}). The centre's records are shown as it holds them; "
            "this position's newest were not sent."
        )
        self.banner.show()

    def title(self) -> str:
        """The window's title: whose trail it shows."""
        if self.unreachable:
            return "Audit review: this position only (the centre unreachable)"
        if self.altered and self.center:
            return f"Audit review: the centre at {self.center} (CHAIN BROKEN)"
        return f"Audit review: the centre at {self.center}" if self.center else "Audit review"

    def _fill(self, positions: list[str]) -> None:
        refill(self.workstation_combo, ALL_POSITIONS, positions)

    def chain_unreachable(self, reason: str) -> None:
        """The centre's chains could not be walked: the chain shown is this position's."""
        self.banner.setText(
            f"Centre unreachable: the chain shown is this position's own only ({reason})"
        )
        self.banner.show()

    def scope(self, workstations: list[str]) -> str:
        """What a sign-off or an export covered ("" on a lone PC): the centre and the
        workstation filter, naming ``workstations`` when it is all of them."""
        if self.unreachable:
            return "this position only: the centre could not be read"
        if not self.center:
            return ""
        found = f"; the centre's trail found altered: {self.altered}" if self.altered else ""
        if self.workstation is not None:
            return f"centre {self.center}, workstation {self.workstation}{found}"
        listed = f": {', '.join(workstations)}" if workstations else ""
        return f"centre {self.center}, all positions{listed}{found}"

    def chain_verdict(self, chains: CenterChains, altered: str = "") -> tuple[str, str]:
        """The centre's chain as a whole (for the window's chain label), and its colour:
        broken too when the centre holds a record differently (``altered``) from this
        position, though each chain walks (a whole trail put back in place of another)."""
        count = len(chains.positions)
        fault = chains.first_fault()
        if fault is not None:
            text = f"Centre chain BROKEN at {fault.workstation} record {fault.seq}: {fault.reason}"
            return text, self._alarm
        if altered:
            return f"Centre chain BROKEN: {altered}", self._alarm
        text = f"Centre chain verified: {chains.records} records, {count} positions"
        return text, self._verified

    def show_chains(self, chains: CenterChains | None) -> None:
        """Each position's chain on one line of its own, a broken one in the alarm colour."""
        self.chains_label.setVisible(chains is not None)
        if chains is None:
            self.chains_label.setText("")
            return
        self.chains_label.setText("<br>".join(self._line(p) for p in chains.positions))

    def _line(self, chain: PositionChain) -> str:
        name = escape(chain.workstation)
        if chain.problem is None:
            text = f"{name}: verified, {chain.records} records"
            return f'<span style="color: {self._verified};">{text}</span>'
        reason = escape(chain.problem.reason)
        text = f"{name}: BROKEN at record {chain.problem.seq}: {reason}"
        return f'<span style="color: {self._alarm}; font-weight: bold;">{text}</span>'

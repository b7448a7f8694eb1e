"""The hit confirmation panel (YQ): the request, its answer deadline counted down, and the
second (then third) request prefilled when no answer comes in time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget

from console.domain import fields
from console.domain.codes import (
    INTERPOL_WASHINGTON_ORI,
    MAX_DESTINATIONS,
    Confirmation,
    Family,
    MessageKey,
    RequestType,
    SendPriority,
)
from console.domain.confirmations import MAX_REQUESTS, OBJECT_FIELD, answer_due
from console.domain.messages import HitConfirmationRequest, HitConfirmationResponse, Message
from console.gui.base.ports import QueryDesk
from console.gui.base.widgets import label
from console.gui.panels.form import QueryForm, combo, line
from console.gui.panels.person_panel import SEXES

RTY_MEANINGS = {
    RequestType.WANTED_PERSON: "wanted person (red notice)",
    RequestType.MISSING_PERSON: "missing person (yellow notice)",
    RequestType.OTHER_PERSON: "other person notice or diffusion",
    RequestType.STOLEN_VEHICLE: "stolen vehicle",
    RequestType.STOLEN_DOCUMENT: "stolen or lost travel document",
    RequestType.STOLEN_GUN: "stolen, lost or trafficked gun",
}
# Short enough to be read whole in the combo box at 1280 px: the reason, then the deadline.
PRIORITIES = [
    ("U — urgent: the only basis to detain (10 min)", "U"),
    ("R — routine: held on local charges (1 hour)", "R"),
]
PERSON_PREFIXES = ("NAM", "DOB", "SEX")
OBJECT_PREFIX = {kind: prefix for kind, (_, prefix) in OBJECT_FIELD.items()}
ORDINAL = {1: "first", 2: "second", 3: "third"}


@dataclass(frozen=True)
class Outstanding:
    """A request sent and not yet answered for good, with the time its answer is due."""

    request: HitConfirmationRequest
    due: datetime
    pending: bool = False  # the holder answered PENDING, promising a confirmation by ``due``


class ConfirmationPanel(QueryForm):
    """YQ to the record's holder (INTERPOL Washington by default), sent most urgent first."""

    SEND_TEXT = "Send hit confirmation request"
    deadline_passed = Signal(str)  # what to do now: the main window makes sure it is seen

    def __init__(
        self,
        desk: QueryDesk,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__("Hit confirmation request (YQ)", desk, parent)
        self.priority = SendPriority.HIT_CONFIRMATION
        self.clock = clock  # replaceable: a trainer's or a test's clock
        self.outstanding: Outstanding | None = None
        # the request whose time ran out: a late answer to it still settles the countdown
        self.overdue: HitConfirmationRequest | None = None
        self.lines = {
            "DEST": line("confirmDestinations", "ORI, ORI, ORI"),
            "NIC": line("confirmNic", "the record's EID, as issued", fields.EID_MAX),
            "OCA": line("confirmCase", "your case number", 20),
            "NAM": line("confirmName", "LAST, FIRST", fields.NAME_MAX),
            "DOB": line("confirmDob", "CCYYMMDD", 8),
            "VIN": line("confirmVin", "VIN", fields.VIN_MAX),
            "DID": line("confirmDocument", "document number", 24),
            "SER": line("confirmSerial", "serial number", 20),
            "REM": line("confirmRemarks", "remarks", fields.REMARKS_MAX),
        }
        numbers = [(f"{n} — {ORDINAL[n]} request", str(n)) for n in (1, 2, 3)]
        self.combos = {
            "RTY": combo(
                "confirmType", [(f"{k.value} — {RTY_MEANINGS[k]}", k.value) for k in RequestType]
            ),
            "PRI": combo("confirmPriority", PRIORITIES),
            "RNO": combo("confirmNumber", numbers),
            "SEX": combo("confirmSex", SEXES),
        }
        self.edits: dict[str, QLineEdit | QComboBox] = {**self.lines, **self.combos}
        self.lines["DEST"].setText(INTERPOL_WASHINGTON_ORI)
        for prefix, caption, help_text, rule, ready in _FIELDS:
            self.add_field(prefix, caption, self.edits[prefix], help_text, rule=rule, ready=ready)
        self.countdown = label("", "confirmCountdown", wrap=True, accessible="Answer deadline")
        self.countdown.hide()
        self.pinned.insertWidget(1, self.countdown)  # the deadline never scrolls out of sight
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self.combos["RTY"].currentIndexChanged.connect(self._show_rows)
        self._show_rows()

    @property
    def request_type(self) -> RequestType:
        return RequestType(self.combos["RTY"].currentData())

    def _show_rows(self) -> None:
        """Person identifiers on a person request, the object's number on an object request."""
        kind = self.request_type
        person = kind.family is Family.PERSON
        for prefix in PERSON_PREFIXES:
            self.form.setRowVisible(self.edits[prefix], person)
        for other_kind, prefix in OBJECT_PREFIX.items():
            self.form.setRowVisible(self.edits[prefix], other_kind is kind)
        self.check_as_typed()

    def _text(self, prefix: str) -> str:
        if prefix in self.combos:
            return str(self.combos[prefix].currentData() or "")
        return self.lines[prefix].text()

    def compose(self) -> Message:
        kind = self.request_type
        person = kind.family is Family.PERSON
        own = OBJECT_PREFIX.get(kind, "")
        text = self._text
        return self.desk.compose.hit_confirmation(
            kind.value,
            text("NIC"),
            text("PRI"),
            number=text("RNO"),
            destinations=text("DEST"),
            case=text("OCA"),
            name=text("NAM") if person else "",
            dob=text("DOB") if person else "",
            sex=text("SEX") if person else "",
            vin=text("VIN") if own == "VIN" else "",
            document=text("DID") if own == "DID" else "",
            serial=text("SER") if own == "SER" else "",
            remarks=text("REM"),
        )

    def prefill(self, values: dict[str, str]) -> None:
        """Fill from a record (RTY, NIC and its identifiers); the operator adds PRI and OCA."""
        self.clear()
        for prefix, value in values.items():
            if prefix in self.combos:
                box = self.combos[prefix]
                box.setCurrentIndex(max(0, box.findData(value)))
            else:
                self.lines[prefix].setText(value)
        self._show_rows()
        self.edits["PRI"].setFocus()

    def fill(self, message: Message) -> None:
        body = message.body
        if isinstance(body, HitConfirmationRequest):
            self.prefill(_values(body) | {"DEST": ", ".join(message.header.destinations)})

    def clear(self) -> None:
        super().clear()
        self.lines["DEST"].setText(INTERPOL_WASHINGTON_ORI)
        self._show_rows()

    async def send(self, query: Message) -> Message | None:
        body = query.body
        if isinstance(body, HitConfirmationRequest):
            self.outstanding = Outstanding(body, answer_due(self.clock(), body.priority))
            self.overdue = None
            self._timer.start()
            self.tick()
        answer = await super().send(query)
        if answer is not None:
            self.confirmation_received(answer)
        return answer

    def confirmation_received(self, message: Message) -> None:
        """A YR, as the answer to the request or later on its own: settle the countdown."""
        body = message.body
        waiting = self.outstanding
        asked = waiting.request if waiting is not None else self.overdue
        if not isinstance(body, HitConfirmationResponse) or asked is None:
            return
        if body.nic != asked.nic:
            return
        self.overdue = None
        if body.status is Confirmation.PENDING:
            due = body.respond_by or (waiting.due if waiting else self.clock())
            self.outstanding = Outstanding(asked, due, pending=True)
            self._timer.start()
            self.tick()
            return
        self.outstanding = None
        self._timer.stop()
        word = "CONFIRMED" if body.status is Confirmation.CONFIRMED else "NOT CONFIRMED"
        self.countdown.setText(f"NIC/{body.nic}: {word}. {body.text}")
        self._state("answered")
        self.countdown.show()

    def _state(self, state: str) -> None:
        """Set the countdown's state; the style sheet reads it only on a fresh polish."""
        self.countdown.setProperty("state", state)
        style = self.countdown.style()
        style.unpolish(self.countdown)
        style.polish(self.countdown)

    def tick(self) -> None:
        """Redraw the countdown; when it runs out, prefill the next request."""
        waiting = self.outstanding
        if waiting is None:
            self._timer.stop()
            return
        left = waiting.due - self.clock()
        request = waiting.request
        if left > timedelta(0):
            what = "confirmation promised" if waiting.pending else "answer due"
            self.countdown.setText(
                f"NIC/{request.nic} RNO/{request.number} PRI/{request.priority.value}: {what} "
                f"by {waiting.due:%H:%M:%S} UTC — {_minutes(left)} left"
            )
            self._state("waiting")
            self.countdown.show()
            return
        self.outstanding = None
        self.overdue = request
        self._timer.stop()
        self._state("overdue")
        if request.number >= MAX_REQUESTS:
            self.countdown.setText(
                f"NIC/{request.nic}: no answer to the third request. Call INTERPOL Washington; "
                "do not act on the hit alone."
            )
            self.deadline_passed.emit(self.countdown.text())
            return
        nxt = request.number + 1
        self.fill_request(request, nxt)
        self.countdown.setText(
            f"NIC/{request.nic}: no answer in time ({request.priority.deadline_minutes} min). "
            f"The {ORDINAL[nxt]} request (RNO/{nxt}) is ready: press Enter to send it."
        )
        self.countdown.show()
        self.deadline_passed.emit(self.countdown.text())

    def fill_request(self, request: HitConfirmationRequest, number: int) -> None:
        destinations = self.lines["DEST"].text()
        typing_in = None if self.isVisible() else QApplication.focusWidget()
        self.prefill(_values(replace(request, number=number)) | {"DEST": destinations})
        if typing_in is not None:  # never take the keyboard from another panel being typed in
            typing_in.setFocus()
        else:
            self.send_button.setFocus()


def _values(request: HitConfirmationRequest) -> dict[str, str]:
    return {
        "RTY": request.request_type.value,
        "NIC": request.nic,
        "PRI": request.priority.value,
        "RNO": str(request.number),
        "OCA": request.case or "",
        "NAM": request.name or "",
        "DOB": f"{request.dob:%Y%m%d}" if request.dob else "",
        "SEX": request.sex.value if request.sex else "",
        "VIN": request.vin or "",
        "DID": request.document or "",
        "SER": request.serial or "",
        "REM": request.remarks or "",
    }


def _minutes(left: timedelta) -> str:
    seconds = int(left.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def _complete(length: int) -> Callable[[str], bool]:
    return lambda text: len(text.strip()) >= length


Rule = Callable[[str], object] | None
_FIELDS: list[tuple[str, str, str, Rule, Callable[[str], bool]]] = [
    (
        "DEST",
        "Destination ORIs",
        f"Up to {MAX_DESTINATIONS[MessageKey.YQ]} ORIs separated by commas: the holder of the "
        "record. INTERPOL records are confirmed by INTERPOL Washington, "
        f"{INTERPOL_WASHINGTON_ORI}.",
        lambda text: fields.destinations(text, MAX_DESTINATIONS[MessageKey.YQ]),
        lambda text: all(len(part.strip()) >= 9 for part in text.split(",")),
    ),
    (
        "RTY",
        "Request type",
        "What the hit was on: WP wanted person (red notice), MP missing person (yellow), "
        "OP other person notices and diffusions, SV stolen vehicle, SD travel document, "
        "SG gun. Person requests carry NAM, DOB, SEX; object requests their number only.",
        None,
        bool,
    ),
    (
        "NIC",
        "Record number",
        "The record's INTERPOL id (EID) exactly as shown on the hit (e.g. 2013/7678): "
        "up to 30 letters and digits with one /.",
        fields.eid,
        lambda t: "/" in t,
    ),
    (
        "PRI",
        "Priority",
        "U urgent: the hit is the only reason to detain; the answer is due within 10 "
        "minutes. R routine: the subject is held on local charges; due within 1 hour.",
        None,
        bool,
    ),
    (
        "RNO",
        "Request number",
        "1 for the first request; 2, then 3, when no answer came in time.",
        None,
        bool,
    ),
    (
        "OCA",
        "Case number",
        "Your agency's case number (OCA), up to 20 letters, digits, spaces or hyphens.",
        fields.case_number,
        bool,
    ),
    (
        "NAM",
        "Name",
        "LAST, FIRST as you have it from the subject; one name: the name and a comma.",
        fields.name,
        lambda t: "," in t,
    ),
    ("DOB", "Date of birth", "CCYYMMDD as you have it from the subject.", fields.dob, _complete(8)),
    ("SEX", "Sex", "M, F or U.", None, bool),
    ("VIN", "VIN", "The VIN of the vehicle in front of you.", fields.vin, _complete(17)),
    ("DID", "Document number", "The number of the document in hand.", fields.document_number, bool),
    ("SER", "Serial number", "The serial number on the gun.", fields.serial_number, bool),
    (
        "REM",
        "Remarks",
        f"Anything the holder should know, up to {fields.REMARKS_MAX} characters.",
        None,
        bool,
    ),
]

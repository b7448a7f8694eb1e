"""The detail viewer: any answer or message, with the notice colour banner, photos, the hit
caution on every hit, the record's actions, and the legacy text a click away."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, QUrl, Signal, SignalInstance
from PySide6.QtGui import QAction, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QToolBar, QVBoxLayout, QWidget

from console.broker.compose import legacy
from console.domain.codes import NoticeColour
from console.domain.hits import Record, is_hit
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    FreeText,
    HitConfirmationResponse,
    Message,
    ObjectList,
    ObjectResponse,
    RecordResponse,
)
from console.domain.objects import ObjectRecord, StolenVehicle
from console.domain.records import PersonNotice, Photo
from console.gui.base.widgets import label, named
from console.gui.results.provenance import Asked
from console.gui.results.render import (
    CAUTION,
    FAMILY_TITLES,
    PRE_WRAP,
    render_confirmation,
    render_notice,
    render_object,
    render_plain,
)
from console.gui.shell.theme import NOTICE_COLOURS, ink_on

__all__ = ["CAUTION", "RecordView"]
PLAIN_TITLES = {"AM": "Administrative message", "SM": "Status message", "ER": "Error"}
# a diffusion is a bureau's own request, not a notice; the UN one is a special notice
KIND_TITLES = {
    NoticeColour.DIFFUSION: "DIFFUSION",
    NoticeColour.UN_SPECIAL: "INTERPOL-UN SPECIAL NOTICE",
}
CONTEXT_STYLE = "font-weight:bold; padding:2px;"
# an earlier query's record stays readable but can never pass for the current answer
EARLIER_STYLE = "font-weight:bold; padding:4px; background:#ffd54f; color:#000000;"
NEAR_STYLE = "font-weight:bold; padding:4px; background:#fff3e0; color:#8a3b00;"
EARLIER_BANNER = "background:#9e9e9e; color:#000000;"
# the record a hit confirmation was just asked about: still the record in question, not stale
CONFIRMING_STYLE = "font-weight:bold; padding:4px; background:#37474f; color:#ffffff;"
EARLIER_INK = "#7a7a7a"


def notice_title(notice: PersonNotice) -> str:
    return KIND_TITLES.get(notice.colour, f"{notice.colour.value} NOTICE")


class RecordView(QWidget):
    """Shows one message; ``show_message`` replaces what is shown. The buttons say what the
    operator wants; the window carries it out."""

    confirm_requested = Signal(object)  # Record: a hit confirmation prefilled from it
    watch_requested = Signal(object)  # Record
    print_requested = Signal()
    pdf_requested = Signal()
    json_requested = Signal()
    shown = Signal()  # what is shown changed (the pane keeps the hit caution once on screen)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = label("", "recordContext", wrap=True, accessible="Query answered")
        self.context.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.match_note = label("", "matchNote", wrap=True, accessible="Typed and found")
        self.match_note.setStyleSheet(NEAR_STYLE)
        self.banner = label("", "noticeBanner", wrap=True, accessible="Notice kind")
        self.note = label("", "recordNote", wrap=True, accessible="Record note")
        self.browser = named(QTextBrowser(), "recordText", "Full record")
        self.browser.setOpenLinks(False)
        self.caution = label(CAUTION, "hitCaution", wrap=True, accessible="Hit caution")
        self.toolbar = named(QToolBar(), "recordActions", "Record actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.confirm_action = self._action("Confirm hit (YQ)…", "Request hit confirmation")
        self.watch_action = self._action("Watch", "Add the record to the watch list")
        self.print_action = self._action("Print…", "Print the record, marked")
        self.pdf_action = self._action("PDF…", "Export the record to PDF, marked")
        self.json_action = self._action("Copy JSON", "Copy as JSON for a case system")
        self.legacy_action = self._action("Legacy text", "Show the message in legacy layout")
        self.legacy_action.setCheckable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.context)
        layout.addWidget(self.match_note)
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.caution)
        self.message: Message | None = None
        self.asked: Asked | None = None
        self.earlier = False  # the record answers a query older than the current search
        # a YQ sent about the record shown: its control field ("" until the broker gives one)
        self.confirming: str | None = None
        self.banner_style = ""  # the banner in its own colour, given back when confirming
        self.notice: PersonNotice | None = None
        self.record: ObjectRecord | None = None
        self.html = ""
        self.hit = False
        self.photos: tuple[Photo, ...] = ()
        self.confirm_action.triggered.connect(lambda: self._ask(self.confirm_requested))
        self.watch_action.triggered.connect(lambda: self._ask(self.watch_requested))
        self.print_action.triggered.connect(self.print_requested)
        self.pdf_action.triggered.connect(self.pdf_requested)
        self.json_action.triggered.connect(self.json_requested)
        self.legacy_action.toggled.connect(self._redraw)
        self.show_placeholder("Open a candidate (Enter or double-click) to see its full record.")

    def _action(self, text: str, description: str) -> QAction:
        action = self.toolbar.addAction(text)
        action.setToolTip(description)
        button = self.toolbar.widgetForAction(action)
        if button is not None:
            button.setAccessibleName(description)
        return action

    @property
    def shown_record(self) -> Record | None:
        return self.notice or self.record

    def _ask(self, signal: SignalInstance) -> None:
        if (shown := self.shown_record) is not None:
            signal.emit(shown)

    def show_placeholder(self, text: str) -> None:
        self.message = self.notice = self.record = None
        self.asked = None
        self.earlier = False
        self.confirming = None
        self.context.hide()
        self.match_note.hide()
        self.hit = False
        self.note.hide()
        self.banner.setText("")
        self.banner.hide()
        self.caution.hide()
        self._enable()
        self.html = f"<p style='color:#888'>{html.escape(text)}</p>"
        self.photos = ()
        self.browser.setHtml(self.html)
        self.shown.emit()

    def show_notice(
        self,
        notice: PersonNotice,
        note: str = "",
        message: Message | None = None,
        asked: Asked | None = None,
    ) -> None:
        """Show a full person record; ``note`` says where it came from when not fresh."""
        self._start(message, note, asked)
        self.notice = notice
        colour = notice.colour.value
        self._banner(
            f"{notice_title(notice)} — {notice.colour.meaning}", NOTICE_COLOURS.get(colour, "#555")
        )
        eid = message.body.eid if message and isinstance(message.body, RecordResponse) else None
        self._set(render_notice(notice, eid), notice.photos, hit=True)

    def show_object(
        self,
        record: ObjectRecord,
        note: str = "",
        message: Message | None = None,
        asked: Asked | None = None,
    ) -> None:
        self._start(message, note, asked)
        self.record = record
        self._banner(f"{FAMILY_TITLES[type(record)]} — {record.summary}", "#8e2424")
        photos = record.photos if isinstance(record, StolenVehicle) else ()
        eid = message.body.eid if message and isinstance(message.body, ObjectResponse) else None
        self._set(render_object(record, eid), photos, hit=True)

    def show_message(self, message: Message, note: str = "", asked: Asked | None = None) -> None:
        """Any message: records get their viewer, lists a summary, the rest plain text;
        ``asked`` names the query it answers, in the header."""
        body = message.body
        if isinstance(body, RecordResponse) and body.notice is not None:
            self.show_notice(body.notice, note, message, asked)
            return
        if isinstance(body, ObjectResponse) and body.record is not None:
            self.show_object(body.record, note, message, asked)
            return
        self._start(message, note, asked)
        if isinstance(body, HitConfirmationResponse):
            self._banner(f"HIT CONFIRMATION ANSWER (YR) — NIC/{body.nic}", "#37474f")
            self._set(render_confirmation(body), (), hit=False)
        elif isinstance(body, RecordResponse | ObjectResponse):
            self._set(render_plain("No record", f"NO RECORD FOR EID/{body.eid}"), (), hit=False)
        elif isinstance(body, CandidateList | ObjectList):
            self._set(
                render_plain("Search answer", legacy.format_message(message)), (), is_hit(body)
            )
        elif isinstance(body, ErrorReply | FreeText):
            title = PLAIN_TITLES.get(message.key.value, message.key.value)
            self._set(
                render_plain(f"{title} from {message.header.origin}", body.text), (), hit=False
            )
        else:
            self._set(render_plain(message.key.value, legacy.format_message(message)), (), False)

    def _start(self, message: Message | None, note: str, asked: Asked | None = None) -> None:
        self.message = message
        self.asked = asked
        self.earlier = False
        self.confirming = None
        self.context.setText(asked.header() if asked else "")
        self.context.setStyleSheet(CONTEXT_STYLE)
        self.context.setVisible(asked is not None)
        self.match_note.setText(asked.match if asked else "")
        self.match_note.setVisible(bool(asked and asked.match))
        self.notice = self.record = None
        self.banner.setText("")
        self.banner.hide()
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def mark_earlier(self, current: str) -> None:
        """A newer query was sent or answered elsewhere: what is shown is greyed and says it
        answers an earlier query, not ``current`` (nothing to do over a placeholder)."""
        if self.message is None and self.shown_record is None:
            return
        self.earlier = True
        self.confirming = None
        was = self.asked.search if self.asked else "an earlier query"
        self.context.setText(
            f"EARLIER QUERY: {was} — not the answer to the current search ({current})"
        )
        self.context.setStyleSheet(EARLIER_STYLE)
        self.context.show()
        if self.banner.isVisible():
            self.banner.setStyleSheet(EARLIER_BANNER)
        self._redraw()
        self.shown.emit()

    def mark_confirming(self, control: str, when: datetime | None) -> None:
        """A hit confirmation (YQ) about the record shown was sent: the record is the one being
        confirmed, so it keeps its colours and says so, instead of passing for stale."""
        if self.shown_record is None:
            return
        self.earlier = False
        self.confirming = control
        at = f"{when:%H:%M:%S} UTC" if when is not None else ""
        said = " ".join(filter(None, ["YQ", control, "sent", at]))
        about = f"CONFIRMING: {said} about this record"
        if self.asked is not None:
            about += f" · {self.asked.header()}"
        self.context.setText(about)
        self.context.setStyleSheet(CONFIRMING_STYLE)
        self.context.show()
        if self.banner.isVisible():
            self.banner.setStyleSheet(self.banner_style)
        self._redraw()
        self.shown.emit()

    def _banner(self, text: str, colour: str) -> None:
        self.banner.setText(text)
        self.banner_style = f"background:{colour}; color:{ink_on(colour)};"
        self.banner.setStyleSheet(self.banner_style)
        self.banner.show()

    def _set(self, body_html: str, photos: tuple[Photo, ...], hit: bool) -> None:
        self.html = body_html
        self.photos = photos
        self.hit = hit
        self.caution.setVisible(hit)
        self._enable()
        self._redraw()
        self.shown.emit()

    def _enable(self) -> None:
        has_record = self.shown_record is not None
        for action in (self.confirm_action, self.watch_action):
            action.setEnabled(has_record)
        for action in (self.print_action, self.pdf_action, self.json_action):
            action.setEnabled(self.message is not None or has_record)
        self.legacy_action.setEnabled(self.message is not None)

    def _redraw(self) -> None:
        if self.legacy_action.isChecked() and self.message is not None:
            text = html.escape(legacy.format_message(self.message))
            self.browser.setHtml(self._inked(f"{PRE_WRAP}{text}</pre>"))
            return
        document = self.browser.document()
        for number, photo in enumerate(self.photos):
            image = QImage.fromData(photo.data)
            document.addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(f"photo:{number}"), image
            )
        self.browser.setHtml(self._inked(self.html))

    def _inked(self, body_html: str) -> str:
        return f"<div style='color:{EARLIER_INK}'>{body_html}</div>" if self.earlier else body_html

    def printable_html(self) -> str:
        """What print and PDF carry: the banner, the record, the caution on a hit."""
        parts = []
        if self.context.text():  # the query it answers (or that it answers an earlier one)
            parts.append(f"<p><b>{html.escape(self.context.text())}</b></p>")
        if self.match_note.text():
            parts.append(f"<p><b>{html.escape(self.match_note.text())}</b></p>")
        if self.banner.text():
            parts.append(f"<h3>{html.escape(self.banner.text())}</h3>")
        if self.legacy_action.isChecked() and self.message is not None:
            parts.append(f"<pre>{html.escape(legacy.format_message(self.message))}</pre>")
        else:
            parts.append(self.html)
        if self.hit:
            parts.append(f"<p><b>{html.escape(CAUTION)}</b></p>")
        return "".join(parts)

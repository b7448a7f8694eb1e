"""Results: the possible matches of the latest search and the detail viewer beside it; Enter
on a match opens its full record (the newest request replacing one still running)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QHeaderView,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.events import OpenedRecord, QueryQueued
from console.domain.codes import Family
from console.domain.errors import ConsoleError
from console.domain.messages import (
    CandidateList,
    DocumentInquiry,
    ErrorReply,
    GunInquiry,
    HitConfirmationRequest,
    Message,
    ObjectList,
    ObjectResponse,
    PersonInquiry,
    RecordResponse,
    VehicleInquiry,
)
from console.gui.base.newest import NewestRequest, Superseded
from console.gui.base.ports import RecordDesk
from console.gui.base.presenter import error_text
from console.gui.base.widgets import full_label, read_only_table
from console.gui.results.models import CandidateModel, ObjectMatchModel
from console.gui.results.provenance import Asked, CachedCopy, age_text, asked_by, search_of
from console.gui.results.quality import FIELD_WORDS
from console.gui.results.record_view import CAUTION, RecordView

__all__ = ["ResultsPane", "age_text"]
LISTED = (PersonInquiry, VehicleInquiry, DocumentInquiry, GunInquiry)  # answered by a list
LIST_ROWS = 6  # the list under the panels never shrinks below this many rows
TICK_MS = 30_000  # a cached record's age is redrawn this often while it is shown
# the columns that give up width (wrapping their words) so the list fits without scrolling
WRAPPING = {Family.PERSON: (1, 2, 5), Family.VEHICLE: (1, 3, 4)}
BREAKS = re.compile(r"\s+|(?<=-)")  # where a wrapped cell may break: spaces, after a hyphen

DATABASE_WORDS = {
    Family.PERSON: "INTERPOL notice",
    Family.VEHICLE: "stolen vehicle",
    Family.DOCUMENT: "stolen or lost travel document",
    Family.GUN: "stolen, lost or trafficked firearm",
}


class ResultsPane(QSplitter):
    def __init__(
        self,
        records: RecordDesk,
        sample_names: Sequence[str] = (),
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._records = records
        self.clock = clock
        self._opening = NewestRequest[OpenedRecord]()
        self.list_search = ""  # the search the list answers ("" before the first)
        self.list_query: Message | None = None  # the query it answers, when known
        self.requesting = ""  # the EID of a full record asked for and not yet shown
        self.cached: CachedCopy | None = None  # the cached record shown, to keep its note true
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.refresh_note)
        self.family = Family.PERSON
        self.candidates = CandidateModel(self)
        self.objects = ObjectMatchModel(self)
        self.table = read_only_table(
            self.candidates, "candidates", "Possible matches", rows=LIST_ROWS
        )
        header = self.table.horizontalHeader()
        # sized once per list (fit_columns), not by the header's ResizeToContents: that asks
        # the model eight roles of every cell at each layout, 24 ms for 160 candidates
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrapped whole, never "…"
        self.table.viewport().installEventFilter(self)  # refit when the pane is resized
        hint = "No search yet: fill a panel (F2-F7) or type a line (Ctrl+K) and press Enter."
        if sample_names:  # demo data is synthetic: tell the trainee who is in it
            hint += "\nIn the demo data, try: " + "; ".join(sample_names)
        # every line of it, however narrow the column (the demo hints run to several)
        self.summary = full_label(hint, "resultsSummary", accessible="Results summary")
        self.list_caution = full_label(CAUTION, "listCaution", accessible="Hit caution")
        self.list_caution.hide()
        box = self.list_box = QWidget()  # the window may place it under the query panels
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.list_caution)
        self.viewer = RecordView()
        self.addWidget(box)
        self.addWidget(self.viewer)
        self.setStretchFactor(0, 4)
        self.setStretchFactor(1, 5)  # the record, where warrants and descriptions are read
        self.setSizes([520, 640])
        self.table.activated.connect(self.open_record)
        self.viewer.shown.connect(self._one_caution)

    @property
    def model(self) -> CandidateModel | ObjectMatchModel:
        return self.candidates if self.family is Family.PERSON else self.objects

    def query_started(self, query: Message) -> None:
        """A new query left a panel or the command line: the record shown no longer passes
        for its answer, and the list says it answers the earlier search until the new one's
        answer replaces it."""
        self._opening.cancel()  # a record still coming answers the earlier search
        if self.confirms_shown(query):  # a YQ about the record shown: it is the one in question
            self.viewer.mark_confirming(query.control, query.header.sent_at)
            return
        search = search_of(query)
        self._forget_cache()
        if self.requesting:
            self.viewer.show_placeholder(
                f"Full record {self.requesting} not shown: {search} was sent after it."
            )
            self.requesting = ""
        self.viewer.mark_earlier(search)
        if isinstance(query.body, LISTED) and self.list_search:
            self.summary.setText(
                f"Sent {search}, waiting for its answer. The list below answers the earlier "
                f"search {self.list_search}."
            )

    def confirms_shown(self, query: Message) -> bool:
        """Whether ``query`` is a hit confirmation about the record the viewer shows."""
        body = query.body
        shown = self.viewer.shown_record
        return (
            isinstance(body, HitConfirmationRequest)
            and shown is not None
            and not self.requesting
            and body.nic == shown.eid
        )

    def query_queued(self, event: QueryQueued) -> None:
        """The broker queued a query under its control field: a confirmation of the record
        shown names it (the control is chosen only once the panel's query leaves)."""
        if self.viewer.confirming is not None and self.confirms_shown(event.query):
            self.viewer.mark_confirming(event.control, event.query.header.sent_at)

    def show_answer(
        self, answer: Message, cached_age: timedelta | None = None, query: Message | None = None
    ) -> None:
        """Show an answer where it belongs: lists in the table, the rest in the viewer;
        ``query`` (when known) is named beside it."""
        body = answer.body
        if isinstance(body, CandidateList | ObjectList):
            self.list_search = search_of(query) if query is not None else answer.key.value
            self.list_query = query
            self._forget_cache()
            self.viewer.mark_earlier(self.list_search)
        if isinstance(body, CandidateList):
            self.family = Family.PERSON
            self.candidates.set_candidates(body.candidates, body.total, query)
            self._listed(len(body.candidates), body.total, cached_age, body.searched)
        elif isinstance(body, ObjectList):
            self.family = answer.key.family or Family.VEHICLE
            self.objects.set_matches(body.matches, body.total, query)
            self._listed(len(body.matches), body.total, cached_age, body.searched)
        else:
            self._forget_cache()
            asked = asked_by(query, answer) if query is not None else None
            self.viewer.show_message(answer, asked=asked)

    def _listed(
        self, shown: int, total: int, cached_age: timedelta | None, searched: tuple[str, ...]
    ) -> None:
        self.table.setModel(self.model)
        # an object list holds one database, which its summary names: no column repeats it
        self.table.setColumnHidden(0, self.family is not Family.PERSON)
        self.fit_columns()
        what = DATABASE_WORDS[self.family]
        if not shown:
            words = [FIELD_WORDS.get(prefix, prefix) for prefix in searched]
            given = " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""
            text = (
                f"No record: no {what} matches the {given} given."
                if given
                else (f"No record: no {what} matches.")
            )
        else:
            extra = f" (first {shown} of {total})" if total > shown else ""
            plural = "es" if shown != 1 else ""
            text = f"{shown} possible match{plural}{extra} ({what}) — Enter opens the full record"
            self.table.setCurrentIndex(self.model.index(0, 1))  # a shown column
            self.table.setFocus()  # Enter now opens the best match
        if cached_age is not None:
            text = f"CACHED {age_text(cached_age)} old, asking INTERPOL again… {text}"
        self.summary.setText(f"{self.list_search}: {text}")
        self._one_caution()

    def _one_caution(self) -> None:
        """The hit caution once on screen: under the record when it shows a hit, else under
        a list of hits."""
        viewer = self.viewer
        record_hit = viewer.hit and not viewer.earlier
        listed = self.model.shown_count() > 0
        self.list_caution.setVisible(listed and not record_hit)
        viewer.caution.setVisible(record_hit or (viewer.hit and not listed))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return False

    def fit_columns(self) -> None:
        """Each column as wide as its header or its widest text (the last one stretches);
        when that is wider than the view, the wordy columns wrap down to their longest word,
        so no horizontal scrollbar hides the EID or the match."""
        table = self.table
        metrics = table.fontMetrics()
        focus = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
        # the item's text margins, the grid line, and what a real display's hinting adds to the
        # measured advance (a cell measured to the pixel wrapped its last word under X11)
        margin = 2 * (focus + 1) + 2 + 4
        header = table.horizontalHeader()
        model = self.model
        widths: list[int] = []
        floors: list[int] = []
        for column in range(model.columnCount()):
            if table.isColumnHidden(column):
                widths.append(0)
                floors.append(0)
                continue
            texts = model.column_texts(column)
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            words = (word for text in texts for word in BREAKS.split(text))
            longest = max((metrics.horizontalAdvance(word) for word in words), default=0)
            hint = header.sectionSizeHint(column)
            widths.append(max(hint, widest + margin))
            floors.append(max(hint, longest + margin))
        chrome = 2 * table.frameWidth() + 2  # the grid
        spare = table.viewport().width() - sum(widths) - chrome
        wrapping = WRAPPING.get(self.family, WRAPPING[Family.VEHICLE])
        # the list is never narrower than its columns at their narrowest: the record beside
        # it gives way (a little) rather than the EID or the match hide behind a scroll
        least = sum(floors[c] if c in wrapping else widths[c] for c in range(len(widths)))
        bar = table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(least + chrome + 2 * table.frameWidth() + bar)
        for column in sorted(wrapping, key=lambda c: widths[c] - floors[c], reverse=True):
            if spare >= 0:
                break
            give = min(widths[column] - floors[column], -spare)
            widths[column] -= give
            spare += give
        for column in range(model.columnCount() - 1):
            if not table.isColumnHidden(column):
                table.setColumnWidth(column, widths[column])
        # no scrollbar while every column fits (the stretched last section can leave the
        # header a little longer than the view); one when they cannot, so nothing is hidden
        table.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if spare >= 0
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        if model.shown_count():
            table.resizeRowsToContents()  # the wrapped rows as tall as their lines

    @asyncSlot(QModelIndex)
    async def open_record(self, index: QModelIndex) -> None:
        row = index.row()
        eid = self.model.data(self.model.index(row, 0), CandidateModel.EID_ROLE)
        if eid:
            found = self.model.quality(row)
            score = (
                self.candidates.candidate(row).score
                if self.model is self.candidates
                else self.objects.found(row).score
            )
            match = found.record_line(score)
            await self.open_eid(str(eid), self.family, within=self.list_search, match=match)

    async def open_eid(self, eid: str, family: Family, within: str = "", match: str = "") -> None:
        """The full record (the F query of ``family``); the newest request wins. ``within``
        names the search whose list it was opened from, ``match`` how near it was."""
        query = {Family.PERSON: "FPQ", Family.VEHICLE: "FVQ"}.get(
            family, f"F{family.value[0].upper()}Q"
        )
        self._forget_cache()
        self.viewer.show_placeholder(f"Requesting full record {eid} ({query})…")
        self.requesting = eid
        try:
            opened = await self._opening.run(self._records.fetch_record(eid, family))
        except Superseded:  # the operator opened another record, or searched, meanwhile
            return
        except ConsoleError as exc:
            self.requesting = ""
            self.viewer.show_placeholder(error_text(f"Full record {eid} not received", exc))
            return
        self.requesting = ""
        answer = opened.answer
        body = answer.body
        header = answer.header
        when = header.received_at or header.sent_at or self.clock()
        asked = Asked(query, f"EID/{eid}", answer.control, when, within, match)
        if isinstance(body, RecordResponse | ObjectResponse) and (
            getattr(body, "notice", None) or getattr(body, "record", None)
        ):
            await self._records.record_viewed(answer)  # audited before it is shown
            if opened.age is not None:
                self.cached = CachedCopy(opened.age, self.clock(), opened.cached_because)
                self.ticker.start()
            self.viewer.show_message(answer, self.cache_note(), asked)
        elif isinstance(body, ErrorReply):
            self.viewer.show_placeholder(body.text)
        else:
            self.viewer.show_message(answer, asked=asked)

    def cache_note(self) -> str:
        """The cached record's note as true now (its age, the link as it is), or ""."""
        if self.cached is None:
            return ""
        return self.cached.note(self.clock(), self._records.link_state)

    def refresh_note(self) -> None:
        """Redraw the cached record's note: its age grows, the link may have changed."""
        if self.cached is not None:
            self.viewer.note.setText(self.cache_note())

    def _forget_cache(self) -> None:
        self.cached = None
        self.ticker.stop()

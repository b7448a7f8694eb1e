"""What an operator does with a shown record: print it, export it to PDF, copy it as JSON for a
case system (each deliberate, marked and audited), or put it on the watch list."""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget
from qasync import asyncSlot

from console.broker.compose import Composer
from console.domain.codes import Family
from console.domain.errors import ConsoleError
from console.domain.hits import Record, marking, message_json, summary_of
from console.gui.base.ports import Auditor, Watcher
from console.gui.base.presenter import present
from console.gui.results.export import (
    build_document,
    footer_text,
    open_painter,
    paint_marked,
    write_pdf,
)
from console.gui.results.record_view import RecordView


class RecordActions(QObject):
    done = Signal(str)  # what happened, for the status bar

    def __init__(
        self,
        viewer: RecordView,
        *,
        audit: Auditor,
        watch: Watcher,
        composer: Composer,
        operator: str,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.marking = marking(demo)
        self._demo = demo
        self._viewer = viewer
        self._audit = audit
        self._watch = watch
        self._composer = composer
        self._operator = operator
        self._parent = parent
        viewer.pdf_requested.connect(self.choose_pdf)
        viewer.print_requested.connect(self.choose_printer)
        viewer.json_requested.connect(self.copy_json)
        viewer.watch_requested.connect(self.watch)

    def _subject(self) -> str:
        record = self._viewer.shown_record
        if record is not None:
            return summary_of(record)
        message = self._viewer.message
        return f"{message.key.value} {message.control}".strip() if message else "nothing shown"

    def _title(self) -> str:
        record = self._viewer.shown_record
        return f"INTERPOL record {record.eid}" if record is not None else "INTERPOL message"

    # PDF

    def choose_pdf(self) -> QFileDialog:
        """Ask where to write the PDF; the chosen path goes to ``export_pdf``."""
        name = self._title().replace("/", "-").replace(" ", "-").lower()
        dialog = QFileDialog(self._parent, f"Export to PDF — {self.marking}", f"{name}.pdf")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF (*.pdf)")
        dialog.fileSelected.connect(self.export_pdf)
        dialog.open()  # never exec() inside the loop
        return dialog

    @asyncSlot(str)
    async def export_pdf(self, path: str) -> None:
        """Write the marked PDF, then audit it; an export that cannot be audited is removed."""
        if self._viewer.message is None and self._viewer.shown_record is None:
            return
        try:
            pages = write_pdf(
                path,
                self._viewer.printable_html(),
                self._viewer.photos,
                title=self._title(),
                printed_by=self._operator,
                marking=self.marking,
            )
        except (OSError, ConsoleError) as exc:
            with contextlib.suppress(OSError):
                os.remove(path)
            present(self.done.emit, f"PDF not written to {path}", exc)
            return
        try:
            await self._audit.audit("export", "pdf", f"{self._subject()} to {path}")
        except ConsoleError as exc:
            with contextlib.suppress(OSError):
                os.remove(path)
            present(self.done.emit, "PDF not kept: the export could not be audited", exc)
            return
        self.done.emit(f"Exported {self._title()} to {path} ({pages} pages, marked {self.marking})")

    # printing

    def choose_printer(self) -> QPrintDialog:
        """Ask for a printer; its OK goes to ``print_to``."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle(f"Print — {self.marking}")
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # never exec() inside the loop
        return dialog

    @asyncSlot(object)
    async def print_to(self, printer: QPrinter) -> None:
        """Audit the printout, then print it marked (what the print dialog's OK does)."""
        if self._viewer.message is None and self._viewer.shown_record is None:
            return
        document = build_document(self._viewer.printable_html(), self._viewer.photos, self._title())
        try:
            painter = open_painter(printer)  # a printer that cannot print is not audited
        except ConsoleError as exc:
            present(self.done.emit, "Not printed", exc)
            return
        try:
            await self._audit.audit("export", "print", self._subject())
        except ConsoleError as exc:  # a printout that cannot be audited is not made
            printer.abort()
            painter.end()
            present(self.done.emit, "Not printed: the printout could not be audited", exc)
            return
        pages = paint_marked(painter, printer, document, footer_text(self._operator), self.marking)
        self.done.emit(f"Printed {self._title()} ({pages} pages, marked {self.marking})")

    # JSON

    @asyncSlot()
    async def copy_json(self) -> None:
        message = self._viewer.message
        if message is None:
            return
        text = message_json(
            message, exported_by=self._operator, ori=self._composer.ori, demo=self._demo
        )
        try:
            await self._audit.audit("export", "json", self._subject())
        except ConsoleError as exc:  # an export that cannot be audited does not happen
            present(self.done.emit, "Not copied: the export could not be audited", exc)
            return
        QGuiApplication.clipboard().setText(text)
        self.done.emit(f"Copied {self._title()} as JSON for a case system ({self.marking})")

    # watch list

    @asyncSlot(object)
    async def watch(self, record: Record) -> None:
        family = getattr(record, "family", Family.PERSON)  # person notices name no family
        query = self._composer.record(record.eid, family)
        try:
            await self._watch.add(query)
        except ConsoleError as exc:
            present(self.done.emit, f"{record.eid} not added to the watch list", exc)
            return
        self.done.emit(f"{record.eid} is on the watch list: a change raises an alert.")

"""Printing and PDF export of what the viewer shows: every page marked LAW ENFORCEMENT
SENSITIVE at top and bottom, with who printed it and when."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

from console.domain.errors import ConsoleError
from console.domain.hits import MARKING
from console.domain.records import Photo

POINTS_PER_INCH = 72
MARK_POINTS = (9, 8, 7)  # the marking's size, smaller until a line fits the page's width
WRAP = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
Paged = QPdfWriter | QPrinter  # what a record is laid out on, page by page


class ExportError(ConsoleError):
    """A print or export could not be written."""


def build_document(body_html: str, photos: Sequence[Photo], title: str) -> QTextDocument:
    """The record as a text document, its photos added as the ``photo:N`` resources."""
    document = QTextDocument()
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    for number, photo in enumerate(photos):
        image = QImage.fromData(photo.data)
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"photo:{number}"), image
        )
    document.setHtml(body_html)
    return document


def open_painter(device: Paged) -> QPainter:
    """A painter on ``device``; ExportError when the printer or file cannot be opened."""
    painter = QPainter()
    if not painter.begin(device):  # a printer that went away, a file that cannot be written
        raise ExportError("the printer or file could not be opened for writing")
    return painter


def paint_marked(
    painter: QPainter,
    device: Paged,
    document: QTextDocument,
    footer: str,
    marking: str = MARKING,
) -> int:
    """Lay ``document`` out on the device's pages, each marked, and end ``painter`` (open on
    ``device``); returns the page count."""
    resolution = device.resolution()
    layout = device.pageLayout()
    page = layout.paintRectPixels(resolution)
    band = resolution * 0.4  # room for the marking above and below the text
    body = QRectF(0, band, page.width(), page.height() - 2 * band)
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(QSizeF(body.width(), body.height()))
    pages = max(1, document.pageCount())
    try:
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.translate(QPointF(0, band - number * body.height()))
            clip = QRectF(0, number * body.height(), body.width(), body.height())
            document.drawContents(painter, clip)
            painter.restore()
            top = QRectF(0, 0, page.width(), band * 0.8)
            bottom = QRectF(0, page.height() - band * 0.8, page.width(), band * 0.8)
            draw_whole(painter, device, top, marking)
            draw_whole(
                painter, device, bottom, f"{marking} — {footer} — page {number + 1} of {pages}"
            )
    finally:
        painter.end()
    return pages


def draw_whole(painter: QPainter, device: Paged, area: QRectF, text: str) -> None:
    """Draw ``text`` whole inside ``area``: a smaller size until it fits on one line, else
    wrapped onto two (centred text wider than the page would lose both its ends)."""
    font = QFont("DejaVu Sans")
    font.setBold(True)
    for points in MARK_POINTS:
        font.setPointSize(points)
        if QFontMetricsF(font, device).horizontalAdvance(text) <= area.width():
            break
    painter.setFont(font)
    painter.drawText(area, WRAP, text)


def write_pdf(
    path: str,
    body_html: str,
    photos: Sequence[Photo],
    *,
    title: str,
    printed_by: str,
    marking: str = MARKING,
) -> int:
    """Write the marked PDF; returns its page count. OSError when the file cannot be made."""
    # made here, owner-only, before Qt writes it: Qt only warns about a file it cannot open;
    # a file already there keeps its mode through O_TRUNC, so it is made owner-only too
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(handle, 0o600)
    finally:
        os.close(handle)
    writer = QPdfWriter(path)
    writer.setTitle(f"{marking} — {title}")
    writer.setCreator("INTERPOL Dispatch Console")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = build_document(body_html, photos, title)
    painter = open_painter(writer)
    return paint_marked(painter, writer, document, footer_text(printed_by), marking)


def footer_text(printed_by: str) -> str:
    return f"printed by {printed_by} {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"

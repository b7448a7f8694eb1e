"""Printing and PDF export of what the viewer shows: every page marked LAW ENFORCEMENT
SENSITIVE at top and bottom, with who printed it and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from console.domain.records import Photo
from console.gui.hits import MARKING

POINTS_PER_INCH = 72


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


def paint_marked(
    device: QPagedPaintDevice, document: QTextDocument, footer: str, resolution: int
) -> int:
    """Lay ``document`` out on the device's pages, each marked; returns the page count."""
    layout = device.pageLayout()
    page = layout.paintRectPixels(resolution)
    band = resolution * 0.4  # room for the marking above and below the text
    body = QRectF(0, band, page.width(), page.height() - 2 * band)
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(QSizeF(body.width(), body.height()))
    pages = max(1, document.pageCount())
    painter = QPainter(device)
    try:
        mark_font = QFont("DejaVu Sans", 9)
        mark_font.setBold(True)
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.translate(QPointF(0, band - number * body.height()))
            clip = QRectF(0, number * body.height(), body.width(), body.height())
            document.drawContents(painter, clip)
            painter.restore()
            painter.setFont(mark_font)
            top = QRectF(0, 0, page.width(), band * 0.8)
            bottom = QRectF(0, page.height() - band * 0.8, page.width(), band * 0.8)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, MARKING)
            painter.drawText(
                bottom,
                Qt.AlignmentFlag.AlignCenter,
                f"{MARKING} — {footer} — page {number + 1} of {pages}",
            )
    finally:
        painter.end()
    return pages


def write_pdf(
    path: str, body_html: str, photos: Sequence[Photo], *, title: str, printed_by: str
) -> int:
    """Write the marked PDF; returns its page count."""
    writer = QPdfWriter(path)
    writer.setTitle(f"{MARKING} — {title}")
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
    return paint_marked(writer, document, footer_text(printed_by), writer.resolution())


def footer_text(printed_by: str) -> str:
    return f"printed by {printed_by} {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"

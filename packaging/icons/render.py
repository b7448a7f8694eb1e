"""Render the app icon's PNG sizes and the Windows .ico from dispatch-console.svg, with Qt.

Run it after changing the SVG, from the repository:
``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/icons/render.py``.
The outputs are kept in the repository so that a build needs no rendering step.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE / "dispatch-console.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)  # freedesktop hicolor theme
ICO_SIZES = (16, 24, 32, 48, 64, 256)  # Windows: Explorer, Start menu, taskbar


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico whose entries are PNG images (read by every Windows since Vista)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        side = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG.name}", file=sys.stderr)
        return 1
    pngs = {size: render(renderer, size) for size in set(PNG_SIZES) | set(ICO_SIZES)}
    for size in PNG_SIZES:
        target = HERE / "hicolor" / f"{size}x{size}" / "apps" / "dispatch-console.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    (HERE / "dispatch-console.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())

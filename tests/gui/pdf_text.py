"""The text on each page of a PDF that Qt wrote, read back through the fonts' ToUnicode maps
(so a test checks what a reader of the page sees, not what the program meant to draw)."""

from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
# Qt ends a stream with a bare LF: a CR before it is the data's own last byte, kept
STREAM = re.compile(rb"stream\r?\n(.*?)\nendstream", re.S)
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
SHOW = re.compile(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj|\bBT\b")  # BT: a new run of text
NUMBER = rb"-?[\d.]+"
# what moves a glyph sideways: the graphics state saved and restored, the transform, the text
# position, the glyphs shown (Qt writes one Td and Tj per glyph, no rotation)
PLACED = re.compile(
    rb"(?P<save>\bq\b)|(?P<restore>\bQ\b)"
    rb"|(?P<cm>(?:" + NUMBER + rb" ){6}cm)"
    rb"|(?P<tm>(?:" + NUMBER + rb" ){6}Tm)"
    rb"|(?P<td>(?:" + NUMBER + rb" ){2}Td)"
    rb"|/(?P<font>F\d+) [\d.]+ Tf|<(?P<glyphs>[0-9A-Fa-f]+)> Tj|(?P<begin>\bBT\b)"
)


def pdf_pages(path: Path) -> list[str]:
    """One string per page, in page order; whitespace folded to single spaces and ligatures
    (the "ff" a font draws as one glyph) undone."""
    objects, pages = _read(path)
    return [_page_text(objects, page) for page in pages]


def visible_pages(path: Path) -> list[str]:
    """Like ``pdf_pages``, keeping only the glyphs that start on the page (between its left
    and right edges): a line centred wider than the page loses its ends here, as on paper."""
    objects, pages = _read(path)
    return [_visible_text(objects, page) for page in pages]


def _read(path: Path) -> tuple[dict[int, bytes], list[bytes]]:
    """The file's objects by number and its page objects in page order."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), "not a PDF file"
    objects = {int(m[1]): m[2] for m in OBJECT.finditer(data)}
    catalog = next(body for body in objects.values() if b"/Type /Pages" in body)
    kids = re.search(rb"/Kids\s*\[(.*?)\]", catalog, re.S)
    assert kids is not None
    return objects, [objects[int(n)] for n in re.findall(rb"(\d+) 0 R", kids[1])]


def _visible_text(objects: dict[int, bytes], page: bytes) -> str:
    box = re.search(
        rb"/MediaBox \[" + (rb"(" + NUMBER + rb") ") * 3 + rb"(" + NUMBER + rb")\]", page
    )
    assert box is not None
    left, right = float(box[1]), float(box[3])
    fonts = _fonts(objects, page)
    content = _stream(objects[_ref(page, b"Contents")])
    scale, shift = 1.0, 0.0  # the transform's x: page x = shift + scale * x
    saved: list[tuple[float, float]] = []
    x = 0.0
    mapping: dict[int, str] = {}
    shown: list[str] = []
    for match in PLACED.finditer(content):
        kind = match.lastgroup
        if kind == "save":
            saved.append((scale, shift))
        elif kind == "restore" and saved:
            scale, shift = saved.pop()
        elif kind == "cm":
            a, _, _, _, e, _ = (float(v) for v in match[kind].split()[:6])
            scale, shift = scale * a, shift + scale * e
        elif kind == "tm":
            x = float(match[kind].split()[4])
        elif kind == "td":
            x += float(match[kind].split()[0])
        elif kind == "font":
            mapping = fonts.get(match[kind], {})
        elif kind == "begin":
            x = 0.0
            shown.append(" ")
        elif kind == "glyphs":
            at_x = shift + scale * x
            if left <= at_x < right:
                codes = match[kind]
                for at in range(0, len(codes), 4):
                    shown.append(mapping.get(int(codes[at : at + 4], 16), "?"))
    return " ".join(unicodedata.normalize("NFKC", "".join(shown)).split())


def _fonts(objects: dict[int, bytes], page: bytes) -> dict[bytes, dict[int, str]]:
    resources = objects[_ref(page, b"Resources")]
    fonts_block = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
    fonts: dict[bytes, dict[int, str]] = {}
    if fonts_block is not None:
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", fonts_block[1]):
            font = objects[int(number)]
            fonts[name] = _unicode_map(_stream(objects[_ref(font, b"ToUnicode")]))
    return fonts


def _stream(body: bytes) -> bytes:
    found = STREAM.search(body)
    assert found is not None
    raw = found[1]
    length = re.search(rb"/Length (\d+)\s*(?=/|>>)", body.split(b"stream")[0])
    if length is not None:  # the declared length: compressed data may itself end in a CR
        start = found.start(1)
        raw = body[start : start + int(length[1])]
    return zlib.decompress(raw) if b"/FlateDecode" in body.split(b"stream")[0] else raw


def _ref(body: bytes, name: bytes) -> int:
    found = re.search(rb"/" + name + rb" (\d+) 0 R", body)
    assert found is not None, name
    return int(found[1])


def _unicode_map(cmap: bytes) -> dict[int, str]:
    """Glyph code to text, from a CMap's bfrange (array form and offset form) and bfchar."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, target in re.findall(rb"<(\w+)> <(\w+)> (\[.*?\]|<\w+>)", block, re.S):
            start, end = int(first, 16), int(last, 16)
            if target.startswith(b"["):
                for offset, code in enumerate(HEX.findall(target)):
                    mapping[start + offset] = _text(code)
            else:
                base = int(target[1:-1], 16)
                for code in range(start, end + 1):
                    mapping[code] = chr(base + code - start)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, target in re.findall(rb"<(\w+)> <(\w+)>", block):
            mapping[int(code, 16)] = _text(target)
    return mapping


def _text(utf16_hex: bytes) -> str:
    return bytes.fromhex(utf16_hex.decode()).decode("utf-16-be")


def _page_text(objects: dict[int, bytes], page: bytes) -> str:
    resources = objects[_ref(page, b"Resources")]
    fonts_block = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
    fonts: dict[bytes, dict[int, str]] = {}
    if fonts_block is not None:
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", fonts_block[1]):
            font = objects[int(number)]
            fonts[name] = _unicode_map(_stream(objects[_ref(font, b"ToUnicode")]))
    content = _stream(objects[_ref(page, b"Contents")])
    shown: list[str] = []
    mapping: dict[int, str] = {}
    for match in SHOW.finditer(content):
        if match[1]:
            mapping = fonts.get(match[1], {})
            continue
        codes = match[2]
        if codes is None:  # runs are laid out apart on the page: keep their words apart
            shown.append(" ")
            continue
        for at in range(0, len(codes), 4):
            shown.append(mapping.get(int(codes[at : at + 4], 16), "?"))
    return " ".join(unicodedata.normalize("NFKC", "".join(shown)).split())

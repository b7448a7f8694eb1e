"""Record text in any script as issued: laid out in clean lines, with a Latin transliteration
for the operator beside text in a script they may not read (never instead of it)."""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

# Zero-width and direction marks, soft hyphens, BOMs: invisible in the record as issued, and
# noise once laid out (Unicode category Cf, format characters).
_INVISIBLE = "Cf"


def text_lines(text: str) -> list[str]:
    """Free text (a charge, marks) as lines: any line break (CRLF, CR, LS, PS, form feed),
    runs of spaces (NBSP, thin and ideographic spaces, tabs) made one space, invisible and
    control characters dropped, blank lines left out."""
    lines = []
    for raw in text.splitlines():
        kept = "".join(
            " " if ch.isspace() else ch
            for ch in raw
            if ch.isspace() or unicodedata.category(ch) not in (_INVISIBLE, "Cc")
        )
        if words := kept.split():
            lines.append(" ".join(words))
    return lines


def one_line(text: str) -> str:
    """Free text on one line: its laid-out lines joined by a space."""
    return " ".join(text_lines(text))


def is_latin(text: str) -> bool:
    """Whether every letter is Latin (with or without diacritics): readable as it stands."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def beside(text: str | None, *, capitals: bool = False) -> str:
    """Text as issued on one line, its transliteration in brackets after it when not Latin
    (in capitals for the legacy layouts)."""
    if not text:
        return ""
    shown = one_line(text)
    latin = transliteration(shown)
    if latin is None:
        return shown
    return f"{shown} ({latin.upper() if capitals else latin})"


def transliteration(text: str) -> str | None:
    """A Latin rendering of text in another script (Arabic, Cyrillic, Han ...); None when the
    text is Latin already, so nothing is shown twice."""
    if is_latin(text):
        return None
    return one_line(anyascii(text)) or None

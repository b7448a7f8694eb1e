"""How the legacy answer layouts write things: the caution line, dates, one-line text."""

from __future__ import annotations

from datetime import UTC, date, datetime

CAUTION = (
    "*** A HIT IS NOT PROBABLE CAUSE. CONFIRM WITH INTERPOL WASHINGTON (YQ) BEFORE ACTING. ***"
)
UNKNOWN = "UNK"


def ymd(day: date | None) -> str:
    """A date as Nlets writes it, ``ccyymmdd``; UNK when not known."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}" if day else UNKNOWN


def clock(when: datetime) -> str:
    """A time as the clock lines write it, ``hh:mm mm/dd/yyyy``, in UTC when it has a zone."""
    utc = when.astimezone(UTC) if when.tzinfo else when
    return f"{utc:%H:%M} {utc.month:02d}/{utc.day:02d}/{utc.year:04d}"


def line(text: str) -> str:
    """Record text on one line: line breaks and runs of spaces become one space."""
    return " ".join(text.split())


def upper_line(text: str) -> str:
    """Record text on one line in capitals, as Nlets layouts print makes, colours and places."""
    return line(text).upper()


def searched_words(searched: tuple[str, ...], words: dict[str, str]) -> str:
    """What a search looked for, in words ("NAME AND DATE OF BIRTH GIVEN"), so a no-record
    answer never claims a field that was not given."""
    named = [words.get(prefix, prefix) for prefix in searched]
    if not named:
        return "SEARCH"
    joined = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} AND {named[-1]}"
    return f"{joined} GIVEN"


def found_as_issued(asked: str, issued: str) -> str | None:
    """The line saying a record was found under another writing of its id, or None."""
    if asked == issued:
        return None
    return f"EID/{asked} ASKED: FOUND AS EID/{issued}, THE ID AS ISSUED. QUOTE EID/{issued}."

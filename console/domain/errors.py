"""Expected errors of the domain: each names the field and the rule it broke."""

from __future__ import annotations

# Characters of a refused value an error message repeats: enough to recognise a typing error,
# never the whole of a hostile value (a 1 MB name once made a 2 MB ER reply).
ECHO_MAX = 24


def echo(value: str) -> str:
    """A refused value as a message repeats it: quoted, and past ``ECHO_MAX`` characters cut
    short with its length: ``'AAAAAAAAAAAAAAAAAAAA'..., 1000000 characters``."""
    if len(value) <= ECHO_MAX:
        return repr(value)
    return f"{value[: ECHO_MAX - 4]!r}..., {len(value)} characters"


class ConsoleError(Exception):
    """An expected error, shown to the operator as a clear message (never a crash dialog)."""


class FieldError(ConsoleError):
    """One field broke one rule; the message reads ``NAM: <rule> (got 'x')``."""

    def __init__(self, field: str, rule: str, value: str | None = None) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        shown = f" (got {echo(value)})" if value is not None else ""
        super().__init__(f"{field}: {rule}{shown}")


class MessageFormatError(ConsoleError):
    """A message as a whole is malformed (not one field): maps to Nlets error .22."""

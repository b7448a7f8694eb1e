"""Expected errors of the domain: each names the field and the rule it broke."""

from __future__ import annotations


class ConsoleError(Exception):
    """An expected error, shown to the operator as a clear message (never a crash dialog)."""


class FieldError(ConsoleError):
    """One field broke one rule; the message reads ``NAM: <rule> (got 'x')``."""

    def __init__(self, field: str, rule: str, value: str | None = None) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        shown = f" (got {value!r})" if value is not None else ""
        super().__init__(f"{field}: {rule}{shown}")


class MessageFormatError(ConsoleError):
    """A message as a whole is malformed (not one field): maps to Nlets error .22."""
